"""The rule for a summary's practices (gkcorpus.outline.practices) against composed outlines of summaries.

``benchmarks/judgements/practices_examples*.json`` hold the top-level headings of composed summaries (工作总结,
政务公开 summaries, annual reports on government information and on law-based government), each labelled by the
part it heads: practices, overview, results, lessons, problems, next_steps or other. Four readers composed them
without seeing the rule. The first three sets were read to change the rule after it was scored on them
(development); the fourth was scored once, on the rule as it stands (blind). Each heading is scored without its
enumerator, as the part finder gives it.

    PYTHONPATH=src python benchmarks/eval_practices.py [--show-errors]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

JUDGEMENTS = Path(__file__).resolve().parent / "judgements"
SETS = (("practices_examples.json", "development"), ("practices_examples_2.json", "development"),
        ("practices_examples_3.json", "development"), ("practices_examples_4.json", "blind"))
ENUMERATOR = re.compile(r"^[一二三四五六七八九十]+[、，.．]\s*")


def main(argv: list[str] | None = None) -> int:
    from gkcorpus.outline.practices import names_practices

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--show-errors", action="store_true", help="print every heading the rule gets wrong")
    args = ap.parse_args(argv)
    print("set                          role          docs headings  TP  FP  FN  TN  precision recall")
    for name, role in SETS:
        data = json.loads((JUDGEMENTS / name).read_text(encoding="utf-8"))
        c = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
        errors = []
        for doc in data["summaries"]:
            for heading, part in doc["headings"]:
                got, want = names_practices(ENUMERATOR.sub("", heading)), part == "practices"
                c[("t" if got == want else "f") + ("p" if got else "n")] += 1
                if got != want:
                    errors.append(f"  {'taken' if got else 'missed'}: {heading} ({part}; {doc['kind']})")
        n = sum(c.values())
        p, r = c["tp"] / max(c["tp"] + c["fp"], 1), c["tp"] / max(c["tp"] + c["fn"], 1)
        print(f"{name:<28} {role:<12} {len(data['summaries']):>5} {n:>8} {c['tp']:>3} {c['fp']:>3} {c['fn']:>3} "
              f"{c['tn']:>3} {p:10.2f} {r:6.2f}")
        if args.show_errors:
            print("\n".join(errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
