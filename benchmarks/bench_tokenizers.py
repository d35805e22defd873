"""jieba vs rjieba: speed, agreement of segmentations, and the user dictionary in both.

    python benchmarks/bench_tokenizers.py [--reports PATH] [--repeat 3] [--json OUT]

On the fifteen bundled summaries and the 50 national reports (``../shared/corpora``), for HMM on
and off, prints: characters per second of ``Tokenizer.cut`` (warm: the engine is built first and
its load time shown apart; best of ``--repeat``), and agreement with jieba, the reference:

* token agreement: the share of jieba's tokens (as character spans) that rjieba also produces,
  and the F1 of the two span sets (both segmentations are lossless, so spans are comparable);
* identical sentences: the share of sentences (``parse_structure``) segmented identically;
* the most frequent disagreements, to see what they are.

The user dictionary: every multi-character word of the shipped dictionary must come out as one
token from both backends when cut on its own, and a word added from a temporary dictionary file
(absent from both stock dictionaries) must be kept whole by both.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from bisect import bisect_left
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REPORTS = REPO.parent / "shared" / "corpora" / "gwr_national.jsonl"


def spans(tokens: list[str]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for t in tokens:
        out.append((pos, pos + len(t)))
        pos += len(t)
    return out


def timed_cut(tok, texts: list[str], repeat: int) -> tuple[float, list[list[str]]]:
    best, result = float("inf"), []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = [tok.cut(t) for t in texts]
        best = min(best, time.perf_counter() - t0)
    return best, result


def engine_load_seconds(backend: str, hmm: bool) -> float:
    """Time to build the engine (dictionary + user dictionary), measured in a fresh interpreter."""
    import subprocess

    code = (
        "import time; from gkcorpus.text.tokenize import Tokenizer; t=time.perf_counter(); "
        f"Tokenizer(backend={backend!r}, hmm={hmm}).cut('预热'); print(time.perf_counter()-t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def agreement(docs, ref: list[list[str]], other: list[list[str]]) -> dict:
    shared = n_ref = n_other = 0
    same_sent = n_sent = 0
    diffs: Counter = Counter()
    for d, a, b in zip(docs, ref, other):
        sa, sb = spans(a), spans(b)
        A, B = set(sa), set(sb)
        shared += len(A & B)
        n_ref += len(A)
        n_other += len(B)
        starts_a, starts_b = [x[0] for x in sa], [x[0] for x in sb]
        for s in d.structure.sentences:
            ta = sa[bisect_left(starts_a, s.start) : bisect_left(starts_a, s.end)]
            tb = sb[bisect_left(starts_b, s.start) : bisect_left(starts_b, s.end)]
            n_sent += 1
            same_sent += ta == tb
        only_a = sorted(A - B)
        for st, en in only_a:
            # the disagreeing region: jieba's token vs the rjieba tokens covering it
            cover = [d.text[x:y] for x, y in sb if x < en and y > st]
            diffs[(d.text[st:en], "/".join(cover))] += 1
    recall = shared / n_ref if n_ref else 1.0
    precision = shared / n_other if n_other else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "jieba_tokens": n_ref, "rjieba_tokens": n_other, "token_agreement": recall, "f1": f1,
        "sentences": n_sent, "identical_sentences": same_sent / n_sent if n_sent else 1.0,
        "differing_sentences": n_sent - same_sent,
        "top_differences": [f"{a} -> {b} ({n})" for (a, b), n in diffs.most_common(8)],
    }


def user_dict_check() -> dict:
    from gkcorpus.text.tokenize import Tokenizer, _read_user_dict, default_user_dict

    words = [w for w, _, _ in _read_user_dict(default_user_dict()) if len(w) > 1]
    out: dict = {"shipped_words": len(words)}
    for backend in ("jieba", "rjieba"):
        with_dict = Tokenizer(backend=backend)
        without = Tokenizer(backend=backend, user_dict=False)
        whole = [w for w in words if with_dict.cut(w) == [w]]
        whole_without = [w for w in words if without.cut(w) == [w]]
        out[backend] = {"whole_with_dict": len(whole), "whole_without_dict": len(whole_without),
                        "split_even_with_dict": [w for w in words if w not in whole]}
    new_word = "清单式晒权"
    sentence = f"各单位推行{new_word}工作法。"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "extra.txt"
        path.write_text(f"{new_word} 1000 n\n", encoding="utf-8")
        for backend in ("jieba", "rjieba"):
            plain = Tokenizer(backend=backend, user_dict=False).cut(sentence)
            custom = Tokenizer(backend=backend, user_dict=[default_user_dict(), str(path)]).cut(sentence)
            out[backend]["custom_word"] = {"without": "/".join(plain), "with": "/".join(custom),
                                           "kept_whole": new_word in custom and new_word not in plain}
    return out


def run(corpora: dict, repeat: int) -> dict:
    from gkcorpus.text.tokenize import Tokenizer

    results: dict = {"corpora": {}, "engine_load_s": {}}
    for backend in ("jieba", "rjieba"):
        results["engine_load_s"][backend] = round(engine_load_seconds(backend, True), 3)
    for name, corpus in corpora.items():
        texts = [d.text for d in corpus]
        n_chars = sum(map(len, texts))
        rows = {}
        for hmm in (True, False):
            cut: dict = {}
            for backend in ("jieba", "rjieba"):
                tok = Tokenizer(backend=backend, hmm=hmm)
                tok.cut("预热")
                secs, cut[backend] = timed_cut(tok, texts, repeat)
                rows[f"{backend} hmm={hmm}"] = {"seconds": round(secs, 3), "chars_per_s": round(n_chars / secs)}
            rows[f"agreement hmm={hmm}"] = agreement(list(corpus), cut["jieba"], cut["rjieba"])
        results["corpora"][name] = {"chars": n_chars, "docs": len(corpus), **rows}
    results["user_dict"] = user_dict_check()
    return results


def print_report(res: dict) -> None:
    print(f"engine load (fresh process): jieba {res['engine_load_s']['jieba']} s, rjieba {res['engine_load_s']['rjieba']} s")
    print()
    print("| corpus | chars | HMM | jieba chars/s | rjieba chars/s | speed-up | token agreement | F1 | identical sentences |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    for name, r in res["corpora"].items():
        for hmm in (True, False):
            j, rj, ag = r[f"jieba hmm={hmm}"], r[f"rjieba hmm={hmm}"], r[f"agreement hmm={hmm}"]
            print(f"| {name} | {r['chars']:,} | {'on' if hmm else 'off'} | {j['chars_per_s']:,} | {rj['chars_per_s']:,} | "
                  f"{rj['chars_per_s'] / j['chars_per_s']:.1f}x | {ag['token_agreement']:.4%} | {ag['f1']:.4f} | "
                  f"{ag['identical_sentences']:.3%} of {ag['sentences']:,} ({ag['differing_sentences']} differ) |")
    print()
    for name, r in res["corpora"].items():
        for hmm in (True, False):
            diffs = r[f"agreement hmm={hmm}"]["top_differences"]
            if diffs:
                print(f"{name}, HMM {'on' if hmm else 'off'}: jieba -> rjieba: " + "; ".join(diffs))
    print()
    ud = res["user_dict"]
    for backend in ("jieba", "rjieba"):
        b = ud[backend]
        print(f"user dictionary, {backend}: {b['whole_with_dict']}/{ud['shipped_words']} shipped words whole "
              f"(without the dictionary: {b['whole_without_dict']}); split even with it: {b['split_even_with_dict']}; "
              f"custom word: {b['custom_word']['without']} -> {b['custom_word']['with']} "
              f"({'ok' if b['custom_word']['kept_whole'] else 'NOT kept whole'})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="jieba vs rjieba: speed, agreement, user dictionary")
    ap.add_argument("--reports", type=Path, default=REPORTS, help="the national reports JSONL")
    ap.add_argument("--repeat", type=int, default=3, help="timing runs per measurement (best is kept)")
    ap.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = ap.parse_args(argv)

    import gkcorpus

    corpora = {"summaries": gkcorpus.load_bundled()}
    if args.reports.exists():
        corpora["reports"] = gkcorpus.load(args.reports)
    else:
        print(f"(no reports at {args.reports}; summaries only)", file=sys.stderr)
    res = run(corpora, args.repeat)
    res["machine"] = {"python": platform.python_version(), "platform": platform.platform()}
    print_report(res)
    if args.json:
        from gkcorpus.base.export import write_json

        write_json(args.json, res)
    return 0


if __name__ == "__main__":
    sys.exit(main())
