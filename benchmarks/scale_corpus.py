"""Build larger benchmark corpora from the 50 national work reports by perturbed copying.

    python benchmarks/scale_corpus.py --chars 10M 100M --out /tmp/gkcorpus-bench

writes ``gwr_scale_10M.jsonl`` and ``gwr_scale_100M.jsonl`` (one JSON object a line, the fields of
``gwr_national.jsonl``) into ``--out`` (default: ``<tmp>/gkcorpus-bench``; never inside the repo:
the reports may be used for benchmarks but not redistributed).

Method (deterministic: every choice comes from ``random.Random(f"{seed}:{copy}:{doc_id}")``):

* copy 0 is the 50 reports unchanged; copies 1, 2, … are perturbed versions of each report, in
  order, until the target number of characters is reached (the last copy is cut at a document
  boundary, so a scale-up holds at least the target);
* numbers: each run of digits (ASCII or full-width) changes with probability 0.5; a year
  (1900–2099) moves by the copy's offset (-6…+6), another integer is rescaled by a factor in
  [0.6, 1.6] (keeping its width where it can), decimals keep their decimal places;
* names: each province-level name (北京, 河北, 广东, …) is replaced consistently within a copy by
  another one drawn from a per-copy permutation, and so are the ordinals of congresses and
  plenums (第十一届 -> 第十三届);
* sentence order: in each paragraph of three or more sentences, one adjacent pair of sentences is
  swapped with probability 0.3, and each sentence is dropped with probability 0.03.

So a copy shares most of its sentences verbatim with the original and with the other copies,
near-verbatim where only a number or name changed, and reordered locally: the kind of reuse the
boilerplate stage has to find at scale. Records are written one at a time into a temporary file
renamed into place at the end (``gkcorpus.base.export.atomic_path``).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO.parent / "shared" / "corpora" / "gwr_national.jsonl"
DEFAULT_OUT = Path(tempfile.gettempdir()) / "gkcorpus-bench"

PROVINCES = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州",
    "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "台湾", "香港", "澳门",
)
_PROVINCE = re.compile("|".join(sorted(PROVINCES, key=len, reverse=True)))
_CN_ORDINAL = re.compile(r"第([一二三四五六七八九十]{1,3})(届|次)")
_CN_DIGITS = "一二三四五六七八九"
_NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
_SENTENCE = re.compile(r"[^。！？；]*[。！？；]+[”’」』）]*|[^。！？；]+$")
_FULL = str.maketrans("０１２３４５６７８９．", "0123456789.")
_TO_FULL = str.maketrans("0123456789.", "０１２３４５６７８９．")


def parse_size(s: str) -> int:
    """``10M`` -> 10_000_000, ``500k`` -> 500_000, ``1234`` -> 1234."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([kKmMgG]?)", s.strip())
    if not m:
        raise argparse.ArgumentTypeError(f"not a size: {s!r} (e.g. 10M, 500k)")
    mult = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9}[m.group(2).lower()]
    return int(float(m.group(1)) * mult)


def size_label(n: int) -> str:
    return f"{n // 10**6}M" if n % 10**6 == 0 else f"{n // 10**3}k" if n % 10**3 == 0 else str(n)


def _cn_int(s: str) -> int | None:
    if s == "十":
        return 10
    if "十" in s:
        a, _, b = s.partition("十")
        tens = _CN_DIGITS.index(a) + 1 if a else 1
        return tens * 10 + (_CN_DIGITS.index(b) + 1 if b else 0)
    return _CN_DIGITS.index(s) + 1 if len(s) == 1 and s in _CN_DIGITS else None


def _cn_str(n: int) -> str:
    if n <= 9:
        return _CN_DIGITS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens - 1]) + "十" + (_CN_DIGITS[ones - 1] if ones else "")


class Perturber:
    """The perturbation of one copy (its year offset and name permutation), applied document by document."""

    def __init__(self, seed: int, copy: int):
        rng = random.Random(f"{seed}:{copy}")
        self.seed, self.copy = seed, copy
        self.year_shift = rng.choice([d for d in range(-6, 7) if d])
        names = list(PROVINCES)
        rng.shuffle(names)
        self.names = dict(zip(PROVINCES, names))
        self.ordinal_shift = rng.choice([-2, -1, 1, 2])

    def number(self, rng: random.Random, tok: str) -> str:
        full = any("０" <= c <= "９" for c in tok)
        s = tok.translate(_FULL)
        if rng.random() >= 0.5:
            return tok
        if "." in s:
            whole, frac = s.split(".")
            value = float(s) * rng.uniform(0.6, 1.6)
            out = f"{value:.{len(frac)}f}"
        else:
            n = int(s)
            if len(s) == 4 and 1900 <= n <= 2099:
                out = str(n + self.year_shift)
            else:
                out = str(max(1, round(n * rng.uniform(0.6, 1.6))))
                if len(out) < len(s) and s.startswith("0"):
                    out = out.zfill(len(s))
        return out.translate(_TO_FULL) if full else out

    def ordinal(self, m: re.Match) -> str:
        n = _cn_int(m.group(1))
        if n is None:
            return m.group()
        return f"第{_cn_str(max(1, n + self.ordinal_shift))}{m.group(2)}"

    def sentences(self, rng: random.Random, para: str) -> str:
        sents = _SENTENCE.findall(para)
        if len(sents) < 3 or "".join(sents) != para:
            return para
        if rng.random() < 0.3:
            i = rng.randrange(len(sents) - 1)
            sents[i], sents[i + 1] = sents[i + 1], sents[i]
        kept = [s for s in sents if rng.random() >= 0.03]
        return "".join(kept or sents)

    def text(self, doc_id: str, text: str) -> str:
        rng = random.Random(f"{self.seed}:{self.copy}:{doc_id}")
        paras = []
        for para in text.split("\n"):
            para = self.sentences(rng, para)
            para = _NUMBER.sub(lambda m: self.number(rng, m.group()), para)
            para = _PROVINCE.sub(lambda m: self.names[m.group()], para)
            para = _CN_ORDINAL.sub(self.ordinal, para)
            paras.append(para)
        return "\n".join(paras)

    def _title_year(self, m: re.Match) -> str:
        s = m.group().translate(_FULL)
        return str(int(s) + self.year_shift) if s.isdigit() and len(s) == 4 else m.group()

    def record(self, rec: dict) -> dict:
        out = dict(rec)
        out["id"] = f"{rec['id']}#c{self.copy:03d}"
        out["text"] = self.text(rec["id"], rec["text"])
        if isinstance(rec.get("year"), int):
            out["year"] = rec["year"] + self.year_shift
        if rec.get("title"):
            out["title"] = _NUMBER.sub(self._title_year, rec["title"])
        out["copy_of"] = rec["id"]
        out["copy"] = self.copy
        return out


def scaled_records(source: list[dict], target_chars: int, seed: int = 0) -> Iterator[dict]:
    """Records of the scale-up, in order, until at least ``target_chars`` characters of text."""
    total = 0
    copy = 0
    while total < target_chars:
        p = Perturber(seed, copy) if copy else None
        for rec in source:
            out = p.record(rec) if p else dict(rec, copy_of=rec["id"], copy=0)
            total += len(out["text"])
            yield out
            if total >= target_chars:
                return
        copy += 1


def _inside_repo(path: Path) -> bool:
    try:
        path.resolve().relative_to(REPO)
    except ValueError:
        return False
    return True


def build(target_chars: int, out_dir: Path, source: Path = SOURCE, seed: int = 0) -> Path:
    """Write ``gwr_scale_<size>.jsonl`` into ``out_dir`` (streamed, atomic) and return its path."""
    sys.path.insert(0, str(REPO / "src"))
    from gkcorpus.base.export import atomic_path, ensure_dir

    if _inside_repo(out_dir):
        raise SystemExit(f"refusing to write the scale-up inside the repository ({out_dir}); pick another --out")
    ensure_dir(out_dir)
    with open(source, encoding="utf-8") as fh:
        src = [json.loads(line) for line in fh if line.strip()]
    final = out_dir / f"gwr_scale_{size_label(target_chars)}.jsonl"
    with atomic_path(final) as tmp, open(tmp, "w", encoding="utf-8") as out:
        for rec in scaled_records(src, target_chars, seed):
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return final


def ensure(target_chars: int, out_dir: Path = DEFAULT_OUT, seed: int = 0) -> Path:
    """The scale-up file, built if it is not there yet."""
    p = out_dir / f"gwr_scale_{size_label(target_chars)}.jsonl"
    return p if p.exists() else build(target_chars, out_dir, seed=seed)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chars", nargs="+", type=parse_size, default=[10**7], help="target sizes, e.g. 10M 100M")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output directory (default {DEFAULT_OUT})")
    ap.add_argument("--source", type=Path, default=SOURCE, help="the JSONL to scale up (default: gwr_national.jsonl)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if not args.source.exists():
        print(f"no source corpus at {args.source}", file=sys.stderr)
        return 1
    for n in args.chars:
        p = build(n, args.out, args.source, args.seed)
        print(f"{p}  {p.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
