"""Text processing of one document: cleaning, structure parsing, tokenization."""
