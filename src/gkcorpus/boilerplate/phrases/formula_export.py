"""Writers of the formula bank: ``phrasebank.{json,csv,md,xlsx}`` (Excel: one sheet per kind) and ``userdict.txt``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from .formula_miner import FormulaMiner
    from .formula_records import Formula

__all__ = ["write_formulabank", "FLAT_FORMULA_COLUMNS"]


def _flat(r: dict[str, Any]) -> dict[str, Any]:
    ex = r["examples"]
    return {
        **{k: r[k] for k in ("id", "phrase", "kind", "category", "df", "tf", "score")},
        "docs": " ".join(r["docs"]),
        "example": ex[0]["sentence_text"] if ex else "",
        "example_doc": ex[0]["doc_id"] if ex else "",
        "example_sentence": ex[0]["sentence"] if ex else "",
        "example_raw_start": ex[0]["raw_start"] if ex else "",
        "example_raw_end": ex[0]["raw_end"] if ex else "",
        "variants": " | ".join(f"{v['text']} ({v['df']}/{v['tf']})" for v in r["variants"]),
        "parents": " | ".join(r["parents"]),
        "children": " | ".join(r["children"]),
        "in_shared_passage": r["in_shared_passage"],
        "han_chars": r["han_chars"],
        "pattern": r["pattern"],
        "fillers": " | ".join(r["fillers"]),
        "df_folded": r["df_folded"],
    }


FLAT_FORMULA_COLUMNS = ["id", "phrase", "kind", "category", "df", "tf", "score", "docs", "example", "example_doc",
                        "example_sentence", "example_raw_start", "example_raw_end", "variants", "parents",
                        "children", "in_shared_passage", "han_chars", "pattern", "fillers", "df_folded"]


def _first_of_each_kind(formulae: Sequence[Formula], top: int | None) -> list[Formula]:
    """The first ``top`` entries of each kind, in their order (all when ``top`` is None)."""
    if top is None:
        return list(formulae)
    taken: dict[str, int] = {}
    out = []
    for f in formulae:
        if taken.get(f.kind, 0) < top:
            taken[f.kind] = taken.get(f.kind, 0) + 1
            out.append(f)
    return out


def write_formulabank(miner: FormulaMiner, out_dir: str | Path, formats: Sequence[str] = ("json", "csv", "md", "xlsx"),
                      top: int | None = None) -> list[Path]:
    """Write the bank as ``phrasebank.{json,csv,md,xlsx}`` (Excel: one sheet per kind) and ``userdict.txt``.

    ``top``: the first ``top`` entries *of each kind*, in the bank's order, so that terms, which rank
    below set wording, are not cut from the export by it."""
    from ...base.export import ExportError, atomic_write_text, ensure_dir, markdown_table, write_csv, write_json, write_xlsx

    unknown = set(formats) - {"json", "csv", "md", "xlsx"}
    if unknown:
        raise ExportError(f"unknown phrase bank format(s): {', '.join(sorted(unknown))} (choose json, csv, md, xlsx)")
    d = ensure_dir(out_dir)
    miner._check()
    # only the exported entries become records: an entry's examples are looked up when first read
    records = [f.to_dict() for f in _first_of_each_kind(miner.formulae_, top)]
    rows = [_flat(r) for r in records]
    written = []
    if "json" in formats:
        written.append(write_json(d / "phrasebank.json", records))
    if "csv" in formats:
        written.append(write_csv(d / "phrasebank.csv", rows, FLAT_FORMULA_COLUMNS))
    if "md" in formats:
        cols = ["phrase", "category", "df", "df_folded", "tf", "score", "example_doc", "example"]
        lines = [f"# Phrase bank\n\n{len(records)} entries from {miner.n_docs_} documents, most formulaic first. "
                 "`df`: documents holding the wording shown; `df_folded`: with its variant wordings (the "
                 "`variants` of the CSV and JSON).\n"]
        for kind in ("formula", "collocation", "term"):
            sub = [r for r in rows if r["kind"] == kind]
            if sub:
                lines.append(f"\n## {kind} ({len(sub)})\n\n" + markdown_table(sub, cols))
        written.append(atomic_write_text(d / "phrasebank.md", "".join(lines)))
    if "xlsx" in formats:
        sheets = {kind: [r for r in rows if r["kind"] == kind] for kind in ("formula", "collocation", "term")}
        written.append(write_xlsx(d / "phrasebank.xlsx", sheets))
    written.append(atomic_write_text(d / "userdict.txt", miner.userdict()))
    return written
