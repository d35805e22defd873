"""The part typer's body tokenizer: the default one, and one that remembers its results while the fits of a
consensus read the same texts again."""

from __future__ import annotations

from typing import Callable

__all__ = ["_default_tokenizer", "_MemoTokenizer"]


def _default_tokenizer() -> Callable[[str], list[str]]:
    from ..text.tokenize import Tokenizer

    return Tokenizer(stopwords=True)


class _MemoTokenizer:
    """A tokenizer that remembers its results while the fits of a consensus read the same texts again."""

    def __init__(self, tokenizer: Callable[[str], list[str]]):
        self.tokenizer = tokenizer
        self.memo: dict[str, list[str]] = {}

    def __call__(self, text: str) -> list[str]:
        out = self.memo.get(text)
        if out is None:
            out = self.memo[text] = self.tokenizer(text)
        return out
