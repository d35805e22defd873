# %% [markdown]
# # 03 · Boilerplate and the phrase bank
#
# Government prose is made of reused parts: whole passages copied from one office's summary into another's,
# set formulae of any length (高度重视, 再上新台阶, 在今后的工作中) and frames with a free middle (按照…要求, 现将…总结如下).
# This notebook runs `gkcorpus.boilerplate.phrases.mine_boilerplate`, which finds all three layers over one suffix array, and
# reads its results:
#
# 1. **reuse**: passages two or more documents share, verbatim or near-verbatim, with what differs;
# 2. **the phrase bank**: whole formulae, collocations and terms, each with its document frequency, position and evidence;
# 3. the **套话 index**: how much of each document and sentence is boilerplate, and which items make it so;
# 4. **keyness**: what distinguishes these summaries from the national government work reports (when
#    `../shared/corpora` is present) and the work plans from the summaries;
# 5. the **export** of the phrase bank (JSON, CSV, Markdown, Excel and a jieba user dictionary).

# %%
import tempfile
from pathlib import Path

import pandas as pd

import gkcorpus
from gkcorpus.features.keyness import Keyness
from gkcorpus.boilerplate.phrases import mine_boilerplate

pd.set_option("display.max_colwidth", 80)
pd.set_option("display.width", 200)
corpus = gkcorpus.load_bundled()
bp = mine_boilerplate(corpus)
print(f"{len(bp.reuse.passages_)} shared passages, {len(bp.phrases.phrases_)} phrase bank entries, "
      f"套话 index for {len(bp.formulaicness.documents_)} documents")

# %% [markdown]
# ## 1. Reuse: shared passages
# Verbatim passages are maximal repeats of the concatenated texts (snapped to clause boundaries); near passages
# are sentences whose character 3-gram sets overlap by half or more. Most widely shared first:

# %%
bp.reuse.to_frame().head(10)

# %% [markdown]
# A near passage keeps every occurrence (with raw offsets into the scraped page) and, for each variant, what differs
# from the most common wording. The closing sentence of summaries 09, 10 and 11 is one template with the office's
# name swapped in:

# %%
closing = next(p for p in bp.reuse.passages_ if p.kind == "near" and p.n_docs == 3)
print(closing.text)
print()
pd.DataFrame([{"doc_id": o.doc_id, "sentence": o.sentence, "raw_start": o.raw_start, "raw_end": o.raw_end}
              for o in closing.occurrences])

# %%
for v in closing.variants:
    print(v.doc_id, "similarity", round(v.similarity, 2))
    for op, a, b in v.diff:
        print(f"   {op:8} {a!r:>14} → {b!r}")

# %% [markdown]
# The reuse matrix: the share of the row document's characters that lie in passages shared with the column
# document (the diagonal: shared with any other). Summaries 10 and 11 share about two fifths of their text with
# each other, and 09 a fifth of its text with both.

# %%
import io

import matplotlib
from IPython.display import Image, display
from matplotlib.figure import Figure

from gkcorpus.outline.plots import find_cjk_font

matrix = bp.reuse.matrix()
short = [d.replace("summary-", "") for d in matrix.index]
with matplotlib.rc_context({"font.family": [find_cjk_font() or "DejaVu Sans", "DejaVu Sans"]}):
    fig = Figure(figsize=(6.4, 5.2))
    ax = fig.add_subplot()
    im = ax.imshow(matrix.to_numpy(), cmap="Blues", vmin=0, vmax=max(0.05, float(matrix.to_numpy().max())))
    ax.set_xticks(range(len(short)), short)
    ax.set_yticks(range(len(short)), short)
    for i in range(len(short)):
        for j in range(len(short)):
            v = matrix.iat[i, j]
            if v >= 0.005:
                ax.text(j, i, f"{v:.2f}".lstrip("0"), ha="center", va="center", fontsize=6.5,
                        color="white" if v > 0.3 else "black")
    ax.set_xlabel("shared with summary …")
    ax.set_ylabel("share of summary …")
    ax.set_title("Reuse between the bundled summaries")
    fig.colorbar(im, ax=ax, fraction=0.046, pad=0.03, label="share of characters")
buf = io.BytesIO()
fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
display(Image(data=buf.getvalue()))

# %% [markdown]
# ## 2. The phrase bank
# Every maximal repeat of the texts in at least three documents, at any length, snapped to word boundaries; a
# shorter wording is listed only where it also occurs outside the longer ones that contain it (both are linked:
# `parents`, `children`); punctuation and 的/地/之 variants are one entry; gapped formulae pair two words that
# attract each other across a varying filler. Copying counts for a formula: `df` is the true number of documents,
# and `in_shared_passage` says how many occurrences lie in shared passages. Each entry has a kind: `formula` (set
# wording), `collocation` (a verb with its modifier or object) or `term` (a topical noun compound). Ranked by score
# (dispersion, length, cohesion):

# %%
bank = bp.phrases.to_frame()
print(len(bank), "entries")
bank[["phrase", "kind", "category", "df", "tf", "score"]].head(15)

# %% [markdown]
# Four formulae a reader of these summaries meets first, with their document frequency and the evidence: where each
# occurs (document, sentence, raw offsets in the scraped page) and the sentence around it.

# %%
by_phrase = {p.phrase: p for p in bp.phrases.phrases_}
wanted = ["高度重视", "再上新台阶", "营造…氛围", "现将…总结如下"]
pd.DataFrame([{"phrase": w, "category": by_phrase[w].category, "kind": by_phrase[w].kind,
               "df": by_phrase[w].df, "tf": by_phrase[w].tf, "documents": " ".join(d[-2:] for d in by_phrase[w].docs)}
              for w in wanted])

# %%
rows = []
for w in wanted:
    for o in by_phrase[w].examples:
        rows.append({"phrase": w, "unit_id": o.unit_id, "raw": f"{o.raw_start}–{o.raw_end}", "match": o.text,
                     "sentence": o.sentence_text})
pd.DataFrame(rows)

# %% [markdown]
# A gapped formula also lists the fillers seen between its parts and the regular expression that counts it:

# %%
p = by_phrase["营造…氛围"]
print("fillers:", " | ".join(f or "∅" for f in p.fillers))
print("pattern:", p.pattern.replace("\\\n", "\\n"))  # an escaped line break, shown as \\n

# %% [markdown]
# ## 3. Kinds and positions
# A writer filters by kind. The position (`category`) comes from evidence only: `opening` or `closing` when most of
# an entry's occurrences lie in the first or last tenth of their documents, significantly more than an even spread
# would put there (one-sided binomial test), `heading` likewise for headings; an entry that is everywhere has none.
# Counts, and the top five of each kind:

# %%
pd.crosstab(bank["kind"], bank["category"].replace("", "(none)"))

# %%
kinds = ["formula", "collocation", "term"]
(bank.groupby("kind", sort=False).head(5)
     .assign(kind=lambda d: pd.Categorical(d.kind, kinds, ordered=True))
     .sort_values(["kind", "score"], ascending=[True, False])[["kind", "phrase", "category", "df", "tf", "score"]]
     .reset_index(drop=True))

# %% [markdown]
# ## 4. The 套话 index
# The share of each document's characters covered by corpus-level boilerplate (shared passages and the phrase
# bank), with the items that cover the most. Summaries 10 and 11, which share whole paragraphs, rank first.

# %%
fi = bp.formulaicness
fi.documents_[["rank", "doc_id", "chars", "covered", "reuse_chars", "phrase_chars", "index"]]

# %%
print("summary-10:")
for e in fi.evidence_["summary-10"][:6]:
    print(f"  {e['chars']:4}  {e['kind']:8} {e['item']}")

# %% [markdown]
# The same index per sentence: the most formulaic sentences of the corpus (ties by position).

# %%
(fi.sentences_.sort_values(["index", "chars"], ascending=[False, False], kind="mergesort")
   [["unit_id", "chars", "index", "text"]].head(8).reset_index(drop=True))

# %% [markdown]
# ## 5. Keyness
# Log-likelihood G² (signed) and Log Ratio for every word, target against reference. First against the 50
# national government work reports, if `../shared/corpora` is present next to the repository (it is not part of
# a clone; the cell says so and skips):

# %%
shared = Path.cwd().parent.parent / "shared" / "corpora" / "gwr_national.jsonl"
if shared.exists():
    national = gkcorpus.load(shared)
    key = Keyness().fit(corpus, national)
    print(f"summaries: {key.n_target_:,} tokens; national reports: {key.n_reference_:,} tokens")
    display(key.top(12)[["term", "target_freq", "reference_freq", "g2", "log_ratio"]])
    display(key.top(8, key_for="reference")[["term", "target_freq", "reference_freq", "g2", "log_ratio"]])
else:
    print("skipped: keyness against the national reports needs ../shared/corpora/gwr_national.jsonl "
          "next to the repository, which is not part of a clone")

# %% [markdown]
# Within the bundled corpus: the two work plans (13, 14) against the thirteen summaries. Any `str -> list[str]`
# can be the tokenizer; this one drops bare numbers (the plans' list markers 1、2、 would otherwise rank). The
# plans speak of standards and implementation (标准化, 实施, 规范, 政府信息公开):

# %%
from gkcorpus import Tokenizer

words = Tokenizer(stopwords=True)


def no_numbers(text):
    return [w for w in words(text) if not w.isdigit()]


plans = corpus.subset(number=[13, 14])
summaries = corpus.subset(lambda d: d.meta["number"] not in (13, 14))
Keyness(tokenizer=no_numbers).fit(plans, summaries).top(8)[["term", "target_freq", "reference_freq", "g2", "p", "log_ratio"]]

# %% [markdown]
# ## 6. Export
# The phrase bank in every format, plus `userdict.txt` (the contiguous entries as a jieba user dictionary), and the
# reuse tables; written atomically into a temporary folder here.

# %%
with tempfile.TemporaryDirectory(prefix="gkcorpus-nb03-") as tmp:
    written = bp.write_phrasebank(tmp) + bp.write_reuse(tmp)
    for path in sorted(written):
        print(f"{path.name:32} {path.stat().st_size:>8,} bytes")
    md = (Path(tmp) / "phrasebank.md").read_text(encoding="utf-8")
    userdict = (Path(tmp) / "userdict.txt").read_text(encoding="utf-8")
    csv = pd.read_csv(Path(tmp) / "phrasebank.csv")
print()
print("\n".join(md.splitlines()[:9]))
print()
print("userdict.txt:", " / ".join(userdict.splitlines()[:5]), "…")

# %% [markdown]
# The CSV has one row per entry with its first example and where it is:

# %%
csv[["phrase", "kind", "category", "df", "tf", "example_doc", "example_raw_start", "example_raw_end", "example"]].head(5)
