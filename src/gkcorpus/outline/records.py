"""Records of the section typing: a section type, and a document's outline in types."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Sequence

__all__ = ["SectionType", "DocOutline"]


@dataclass
class SectionType:
    """One kind of section: id, a name from its headings, c-TF-IDF terms, support and exemplars."""

    type_id: int
    name: str
    label: str
    size: int
    n_docs: int
    mean_position: float
    roles: dict[str, int]
    headings: list[tuple[str, int]]
    heading_terms: list[tuple[str, float]]
    terms: list[tuple[str, float]]
    exemplars: list[dict[str, Any]]

    @property
    def display(self) -> str:
        return f"T{self.type_id} {self.name}"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["headings"] = [{"heading": h, "count": c} for h, c in self.headings]
        d["heading_terms"] = [{"term": t, "score": s} for t, s in self.heading_terms]
        d["terms"] = [{"term": t, "score": s} for t, s in self.terms]
        return d


@dataclass
class DocOutline:
    """A document's outline: its segments with their types, and the type sequence (repeats merged)."""

    doc_id: str
    title: str
    types: list[int]
    segments: list[dict[str, Any]]
    fallback: bool = False

    def names(self, types: Sequence[SectionType]) -> list[str]:
        by = {t.type_id: t for t in types}
        return [by[t].display if t in by else ("(unassigned)" if t < 0 else f"T{t}") for t in self.types]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
