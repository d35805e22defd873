"""Corpus features: unit vectors, clustering, keyness, genre cues."""
