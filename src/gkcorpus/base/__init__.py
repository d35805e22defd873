"""Foundations with no gkcorpus imports: readers (io), offset-tracked edits, atomic exports."""
