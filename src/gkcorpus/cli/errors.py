"""The command line's own error: a problem the user can fix, printed as one line."""

from __future__ import annotations

__all__ = ["UsageError"]


class UsageError(Exception):
    """A command-line problem the user can fix; printed as one line."""
