"""The rule for the part on the government's own conduct (gkcorpus.outline.own_conduct) against composed examples.

``benchmarks/judgements/own_conduct_examples.json`` holds chapter headings and address blocks of work reports (and
some chapters of summaries and plans), each marked whether it is the report's part on the government's own conduct
(政府自身建设): a development set, used to change the rule, and a blind set, written without seeing it. Each heading
is scored as the third part of a document (an opening, a review, then the chapter); a report's opening carries the
address to the deputies, a summary's does not. Each block is scored as a coda's text.

    PYTHONPATH=src python benchmarks/eval_own_conduct.py [--show-errors]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent / "judgements" / "own_conduct_examples.json"
OPENINGS = {"report": "各位代表：\n现在，我代表人民政府向大会报告工作，请予审议。", "summary": "今年以来，我局认真贯彻落实上级部署。"}


def heading_is_own_conduct(heading: str, genre: str) -> bool:
    from gkcorpus.outline.own_conduct import find_own_conduct_parts

    flags = find_own_conduct_parts(["d"] * 3, ["preamble", "numbered", "numbered"], ["", "2025年工作回顾", heading],
                                   [OPENINGS[genre], "过去一年…", "…"], [False, True, True])
    return flags[2]


def score(rows: list[dict], predict) -> tuple[dict, list[tuple[bool, str]]]:
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    errors = []
    for r in rows:
        got, own = bool(predict(r)), bool(r["own"])
        counts[("t" if got == own else "f") + ("p" if got else "n")] += 1
        if got != own:
            errors.append((own, r["text"]))
    return counts, errors


def main(argv: list[str] | None = None) -> int:
    from gkcorpus.outline.own_conduct import opens_on_own_conduct

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--show-errors", action="store_true", help="print every example the rule gets wrong")
    args = ap.parse_args(argv)
    data = json.loads(EXAMPLES.read_text(encoding="utf-8"))
    print("set          kind      n   TP  FP  FN  TN  precision recall")
    for name in ("development", "blind"):
        for kind, predict in (("headings", lambda r: heading_is_own_conduct(r["text"], r.get("genre", "report"))),
                              ("blocks", lambda r: opens_on_own_conduct(r["text"]))):
            rows = data[name][kind]
            c, errors = score(rows, predict)
            p = c["tp"] / max(c["tp"] + c["fp"], 1)
            r = c["tp"] / max(c["tp"] + c["fn"], 1)
            print(f"{name:<12} {kind:<8} {len(rows):>3} {c['tp']:>4} {c['fp']:>3} {c['fn']:>3} {c['tn']:>3}  "
                  f"{p:9.2f} {r:6.2f}")
            if args.show_errors:
                for own, text in errors:
                    print(f"    {'missed' if own else 'wrongly taken'}: {text[:70]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
