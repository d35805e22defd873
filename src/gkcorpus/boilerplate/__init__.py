"""Shared passages, the phrase bank and the formulaicness (套话) index."""
