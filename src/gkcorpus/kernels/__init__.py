"""Numeric kernels on plain arrays: connected components and other graph helpers."""
