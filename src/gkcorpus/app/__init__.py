"""The ``mine`` pipeline and its HTML report."""
