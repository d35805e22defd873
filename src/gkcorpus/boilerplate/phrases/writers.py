"""mine_boilerplate (shared passages, phrase bank and 套话 index in one pass) and the writers of their files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence, TYPE_CHECKING

from ..reuse import ReuseFinder, document_sentences
from ...kernels.suffix import TextIndex
from .formulaicness import FormulaicnessIndex, PhraseSpans
from .formula_export import write_formulabank
from .formula_miner import FormulaMiner
from .miner import PhraseMiner
from .records import CATEGORIES, Phrase
from .sentence_table import SENTENCE_COLUMNS

if TYPE_CHECKING:  # pragma: no cover
    from ...corpus import Corpus

__all__ = ["Boilerplate", "mine_boilerplate", "index_items", "BANKS"]

#: phrase bank miners by name: the formula bank (default) and the legacy n-gram phrase miner.
BANKS = ("formulae", "legacy")


# --------------------------------------------------------------------------- pipeline and exports


@dataclass
class Boilerplate:
    """Reuse, phrase bank and 套话 index of one corpus, mined over one shared suffix array."""

    reuse: ReuseFinder
    phrases: FormulaMiner | PhraseMiner
    formulaicness: FormulaicnessIndex

    def write_phrasebank(self, out_dir: str | Path, formats: Sequence[str] = ("json", "csv", "md", "xlsx"),
                         top: int | None = None) -> list[Path]:
        """``phrasebank.{json,csv,md,xlsx}`` and ``userdict.txt`` in ``out_dir`` (each written atomically)."""
        if isinstance(self.phrases, FormulaMiner):
            return write_formulabank(self.phrases, out_dir, formats, top)
        return write_phrasebank(self.phrases, out_dir, formats, top)

    def write_reuse(self, out_dir: str | Path) -> list[Path]:
        """``reuse.json``, ``reuse_matrix.csv``, ``formulaicness.csv`` and ``formulaicness_sentences.csv``."""
        return write_reuse(self.reuse, self.formulaicness, out_dir)


def mine_boilerplate(
    corpus: "Corpus",
    reuse: ReuseFinder | None = None,
    phrases: FormulaMiner | PhraseMiner | None = None,
    progress: bool = False,
    bank: str = "formulae",
) -> Boilerplate:
    """Run reuse detection, the phrase bank and the 套话 index on ``corpus`` (one suffix array and one
    sentence split for all three).

    ``bank``: "formulae" (:class:`FormulaMiner`: whole formulae at any length, typed by kind; the
    default) or "legacy" (:class:`PhraseMiner`, the earlier n-gram miner, which counts documents that
    hold a phrase only inside a shared passage as one source); ``phrases`` may be a configured miner
    of either and then decides.
    """
    if bank not in BANKS:
        raise ValueError(f"bank must be one of {', '.join(BANKS)}, got {bank!r}")
    docs = list(corpus)
    index = TextIndex([d.text for d in docs])
    sentences = [document_sentences(d, i) for i, d in enumerate(docs)]
    rf = (reuse or ReuseFinder(progress=progress)).fit(corpus, index=index, sentences=sentences)
    if phrases is None:
        phrases = FormulaMiner(progress=progress) if bank == "formulae" else PhraseMiner(progress=progress)
    pm = phrases.fit(corpus, index=index, passages=rf.passages_, sentences=sentences)
    fi = FormulaicnessIndex().fit(corpus, index_items(pm), rf.passages_, sentences=sentences)
    return Boilerplate(rf, pm, fi)


def index_items(pm: FormulaMiner | PhraseMiner) -> list[Phrase] | PhraseSpans:
    """The phrases the 套话 index counts: the contiguous entries of the bank (a gapped entry's matches
    would cover its fillers too); the formula bank's as flat arrays (tens of thousands of entries)."""
    if not isinstance(pm, FormulaMiner):
        return pm.phrases_
    return pm.contiguous_spans()


def _flat_row(p: dict[str, Any]) -> dict[str, Any]:
    ex = p["examples"]
    return {
        **{k: p[k] for k in ("id", "phrase", "category", "df", "tf", "score", "kind")},
        "docs": " ".join(p["docs"]),
        "example": ex[0]["sentence_text"] if ex else "",
        "example_doc": ex[0]["doc_id"] if ex else "",
        "example_sentence": ex[0]["sentence"] if ex else "",
        "example_raw_start": ex[0]["raw_start"] if ex else "",
        "example_raw_end": ex[0]["raw_end"] if ex else "",
        "examples": p["examples"],
        "cohesion": p["cohesion"],
        "left_entropy": p["left_entropy"],
        "right_entropy": p["right_entropy"],
        "fillers": " | ".join(p["fillers"]),
        "pattern": p["pattern"],
    }


FLAT_COLUMNS = ["id", "phrase", "category", "df", "tf", "score", "kind", "docs", "example", "example_doc",
                "example_sentence", "example_raw_start", "example_raw_end", "examples", "cohesion", "left_entropy",
                "right_entropy", "fillers", "pattern"]


def write_phrasebank(miner: PhraseMiner, out_dir: str | Path, formats: Sequence[str] = ("json", "csv", "md", "xlsx"),
                     top: int | None = None) -> list[Path]:
    """Write the phrase bank in ``formats`` plus ``userdict.txt`` into ``out_dir``; returns the paths."""
    from ...base.export import ExportError, ensure_dir, markdown_table, atomic_write_text, write_csv, write_json, write_xlsx

    unknown = set(formats) - {"json", "csv", "md", "xlsx"}
    if unknown:
        raise ExportError(f"unknown phrase bank format(s): {', '.join(sorted(unknown))} (choose json, csv, md, xlsx)")
    d = ensure_dir(out_dir)
    records = miner.to_records(top)
    rows = [_flat_row(r) for r in records]
    written = []
    if "json" in formats:
        written.append(write_json(d / "phrasebank.json", records))
    if "csv" in formats:
        written.append(write_csv(d / "phrasebank.csv", rows, FLAT_COLUMNS))
    if "md" in formats:
        md_cols = ["phrase", "category", "df", "tf", "score", "example_doc", "example"]
        lines = [f"# Phrase bank\n\n{len(records)} phrases from {miner.n_docs_} documents, most formulaic first.\n"]
        for cat in CATEGORIES:
            sub = [r for r in rows if r["category"] == cat]
            if sub:
                lines.append(f"\n## {cat} ({len(sub)})\n\n" + markdown_table(sub, md_cols))
        written.append(atomic_write_text(d / "phrasebank.md", "".join(lines)))
    if "xlsx" in formats:
        written.append(write_xlsx(d / "phrasebank.xlsx", {"phrasebank": [{k: v for k, v in r.items() if k != "examples"}
                                                                           for r in rows]}))
    written.append(atomic_write_text(d / "userdict.txt", miner.userdict()))
    return written


MATRIX_MAX_DOCS = 2000  # above this, reuse between documents is written as pairs, not as a dense matrix
PAIRS_TOP = 50  # partners kept per document in reuse_pairs.csv


def write_reuse(finder: ReuseFinder, index: FormulaicnessIndex, out_dir: str | Path,
                max_matrix_docs: int = MATRIX_MAX_DOCS, pairs_top: int = PAIRS_TOP) -> list[Path]:
    """Write ``reuse.json`` (the passages covering most text first), ``reuse_matrix.csv``, ``formulaicness.csv``
    and ``formulaicness_sentences.csv``.

    With more than ``max_matrix_docs`` documents the document × document matrix (n² cells) becomes
    ``reuse_pairs.csv``: each document's ``pairs_top`` partners by share, plus its overall reused share.
    """
    from ...base.export import ensure_dir, write_csv, write_json_items

    d = ensure_dir(out_dir)
    if len(finder.doc_ids_) <= max_matrix_docs:
        between = write_csv(d / "reuse_matrix.csv", finder.matrix().round(4).reset_index())
    else:
        between = write_csv(d / "reuse_pairs.csv", finder.pairs(top=pairs_top).round({"share": 4, "reused": 4}))
    return [
        write_json_items(d / "reuse.json", finder.iter_records(order="coverage")),
        between,
        write_csv(d / "formulaicness.csv", index.documents_),
        write_csv(d / "formulaicness_sentences.csv", index.sentence_rows(), columns=SENTENCE_COLUMNS),
    ]
