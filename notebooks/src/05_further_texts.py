# %% [markdown]
# # 05 · Further texts: the national government work reports
#
# The same tools on a sister genre, larger and messier: fifty 政府工作报告 of the State Council, 1954–2018
# (1 M characters after cleaning). They are public documents without a stated licence, so they are **not** part of
# gkcorpus: `gkcorpus.datasets` downloads them from their public repository at a pinned commit, checks every file
# against its pinned SHA-256, converts them with the project's loader and cleaner and caches the corpus in the user's
# data folder (`GKCORPUS_DATA`; offline, `GKCORPUS_DATA_MIRROR` names a local copy).
#
# This notebook teaches how to
#
# 1. load a folder of raw scraped files (GBK encoded, portal chrome, every paragraph repeated several times) and
#    read what the cleaner detected and removed;
# 2. load them as a dataset with metadata (`load_gwr_national`), and check them against a second public source of
#    the same reports (`load_gwr_national_bilingual`);
# 3. find the genre's outline (`SectionTyper`, `common_outline`) and its formulae (`mine_boilerplate`): 各位代表,
#    让我们…团结在…周围;
# 4. follow the 套话 index across seven decades;
# 5. spread the loading over local processes (`gkcorpus.runtime.parallel`).

# %%
import time
from pathlib import Path

import pandas as pd
from IPython.display import Image, display

import gkcorpus
from gkcorpus.datasets import DatasetError, fetch, load_gwr_national, load_gwr_national_bilingual

pd.set_option("display.max_colwidth", 80)
pd.set_option("display.width", 200)

try:
    RAW_DIR = fetch("gwr_national")  # the raw files, downloaded once and checked against pinned checksums
    HAVE = True
    print(f"national reports: {len(list(RAW_DIR.glob('*.txt')))} raw files")
except DatasetError as e:
    HAVE = False
    print(f"the national reports could not be fetched ({e}). The cells below do nothing: connect to the network, "
          "or set GKCORPUS_DATA_MIRROR to a folder holding gwr_national/ and gwr_national_bilingual/, and rerun.")

# %% [markdown]
# ## 1. The raw folder: encodings, chrome and repetition
# `gkcorpus.load` on a folder reads every `*.txt`, detects its encoding and cleans it. Nothing here is told that
# these files are GBK, or that the portal repeated every paragraph.

# %%
if HAVE:
    raw = gkcorpus.load(RAW_DIR, glob="*.txt")
    print(raw)
    print("encodings detected:", raw.to_frame("document")["encoding"].value_counts().to_dict())

# %% [markdown]
# What cleaning removed, summed over the fifty files: markup and HTML code points (`<U+00A0>`), page chrome
# (当前位置：首页, 【字体：大 中 小】, the portal's name and date), repeated blocks, and whitespace.

# %%
if HAVE:
    summary = raw.cleaning_summary()
    raw_chars = sum(len(d.raw) for d in raw)
    repeated_lines = sum(d.cleaning.step("repeats").kinds.get("lines", 0) for d in raw)
    print(f"raw: {raw_chars:,} characters → clean: {raw.n_chars:,} ({raw.n_chars / raw_chars:.0%})")
    print(f"repeated lines dropped: {repeated_lines:,}")
    display(summary.drop(columns=["doc_id", "encoding"]).sum().to_frame("total").T)

# %% [markdown]
# Per report (first rows): clean length, and the changes of each step that did something.

# %%
if HAVE:
    steps = ["markup", "chrome", "repeats", "punctuation", "whitespace"]
    per_doc = summary.assign(raw_chars=[len(d.raw) for d in raw])[["doc_id", "encoding", "raw_chars", "chars"] + steps]
    display(per_doc.head(8))

# %% [markdown]
# What the chrome step recognised, and the first lines of one report before and after cleaning:

# %%
if HAVE:
    d = raw["1954"]
    for example in d.cleaning.step("chrome").examples[:4]:
        print("chrome:", example)
    print("\nraw:  ", " ⏎ ".join(line.strip() for line in d.raw[:420].splitlines() if line.strip())[:260])
    print("clean:", " ⏎ ".join(d.text.splitlines()[:4])[:260])

# %% [markdown]
# ## 2. The dataset, and a second source of the same reports
# `load_gwr_national()` is that folder converted once and cached: ids `gwr_national/<year>`, and document variables
# `year`, the gov.cn `url` and `flags` (defects of the scrape the conversion detected).

# %%
if HAVE:
    national = load_gwr_national()
    print(national)
    display(national.docvars()[["title", "year", "flags"]].head(4))

# %% [markdown]
# The reports 2008–2022 exist in a second public collection, sentence-aligned with the official English translation
# (`load_gwr_national_bilingual`). Two sources of one report should agree; where their clean lengths differ by more
# than 5%, `flags` says why (only the first page of 2006–2009 was scraped from gov.cn):

# %%
if HAVE:
    bilingual = load_gwr_national_bilingual()
    rows = []
    for d in bilingual:
        year = d.meta["year"]
        if f"gwr_national/{year}" in national:
            n = national[f"gwr_national/{year}"]
            rows.append({"year": year, "gov.cn scrape": len(n.text), "bilingual": len(d.text),
                         "ratio": round(len(n.text) / len(d.text), 3), "flags": ", ".join(n.meta["flags"])})
    check = pd.DataFrame(rows)
    print(f"{(abs(check.ratio - 1) <= 0.05).sum()} of {len(check)} shared years agree within 5%")
    display(check[abs(check.ratio - 1) > 0.05].reset_index(drop=True))

# %% [markdown]
# ## 3. The outline of the genre
# Section types are fitted on the national reports (about 20 s). Early reports have no 一、 headings and fall back to
# paragraphs; type names come from the most frequent headings.

# %%
if HAVE:
    from gkcorpus.outline import SectionTyper, common_outline

    typer = SectionTyper(random_state=0)
    outlines = typer.fit_outlines(national)
    print(typer.metrics_.selection)
    display(pd.DataFrame([{"type": f"T{t.type_id}", "name": t.name, "segments": t.size, "reports": t.n_docs,
                           "headings": "; ".join(h for h, _ in t.headings[:2])} for t in typer.types_]))

# %%
if HAVE:
    for o in outlines:
        if o.doc_id.endswith(("1954", "1978", "1998", "2018")):
            print(o.doc_id[-4:], " → ".join(o.names(typer.types_)), "[paragraphs]" if o.fallback else "")

# %% [markdown]
# The common outline: an opening (各位代表：现在，我代表国务院…), a review of the past year or term, the tasks,
# foreign affairs, and a closing call (让我们…).

# %%
if HAVE:
    common = common_outline(outlines, typer.types_)
    display(pd.DataFrame(common.consensus)[["name", "support", "median_position"]])

# %%
if HAVE:
    import tempfile

    from dataclasses import replace

    from gkcorpus.outline.plots import plot_outline_heatmap

    by_year = [replace(o, doc_id=o.doc_id.rsplit("/", 1)[-1]) for o in outlines]  # rows labelled by year
    with tempfile.TemporaryDirectory(prefix="gkcorpus-nb05-") as tmp:
        png = plot_outline_heatmap(by_year, typer.types_, Path(tmp) / "outline.png", title="Work reports × section types")
        display(Image(filename=str(png), width=820))

# %% [markdown]
# One outline for seventy years hides how the genre changed. `document_kinds` splits the reports into two kinds
# (they follow eras: to 1998, and 1991 with 1999 on), and each kind gets its own common outline: the types in at
# least 30% of its reports by median position, then the most travelled path. Since 1999 the reports run
# opening → review of the year (工作回顾) → overall requirements (总体部署 / 总体要求) → the tasks (对今年政府工作的建议,
# in a type that also holds 加强政府自身建设) → closing; the policy-area chapters of the 1990s (加快农业和农村经济发展…)
# stand in a third of the later kind:

# %%
if HAVE:
    from gkcorpus.outline import document_kinds

    kinds = document_kinds(national, typer, random_state=0)
    print(kinds.selection)
    for k in kinds.kinds:
        years = [d[-4:] for d in k["doc_ids"]]
        members = [o for o in outlines if o.doc_id in set(k["doc_ids"])]
        common_k = common_outline(members, typer.types_)
        print(f"kind {k['kind']} ({years[0]}–{years[-1]}, {len(years)} reports):")
        print("  types in most: " + " → ".join(f"{r['name']} [{r['support']}]" for r in common_k.consensus))
        print("  path: " + " → ".join(f"{r['name']} [{r['docs']}]" for r in common_k.path))

# %% [markdown]
# ## 4. Formulae of the work reports
# `mine_boilerplate` on a million characters (about 20 s): shared passages, the phrase bank and the 套话 index.

# %%
if HAVE:
    from gkcorpus.boilerplate.phrases import mine_boilerplate

    bp = mine_boilerplate(national)
    bank = bp.phrases.to_frame()
    print(f"{len(bp.reuse.passages_)} shared passages, {len(bank)} phrase bank entries")
    display(bank[["phrase", "kind", "category", "df", "tf"]].head(12))

# %% [markdown]
# The address, the admission and the closing call: `各位代表` (the address to the deputies, in almost every report,
# so it has no position of its own), the admission `我们也清醒地看到` with its sister wordings (a pronoun and one
# verb around a gap, `我们…看到`, would match unrelated sentences, so the bank keeps the wordings themselves), and
# the closing call `团结在以…为核心的党中央周围`, one entry per leadership of the day (each whole wording is its own
# entry).

# %%
if HAVE:
    by_phrase = {p.phrase: p for p in bp.phrases.phrases_}
    for w in ("各位代表", "我们也清醒地看到"):
        p = by_phrase[w]
        print(f"{w}: {p.kind}, position {p.category or '(none)'}, in {p.df} reports, {p.tf} times")
    for p in bp.phrases.phrases_:
        if p.phrase.startswith("团结在以") and not p.pattern:
            print(f"   {p.phrase}  {p.category or '(none)'}, in {p.df} reports: {' '.join(d[-4:] for d in p.docs)}")
    address = national.kwic("各位代表", window=24).drop_duplicates("doc_id")
    display(address[address.doc_id.str.endswith(("1954", "1978", "1998", "2018"))][["doc_id", "match", "right"]])

# %%
if HAVE:
    print("the admission's wordings in the bank:")
    for p in bp.phrases.phrases_:
        if "清醒地" in p.phrase:
            print(f"   {p.phrase}  {p.kind}, in {p.df} reports")

# %% [markdown]
# The top of each kind:

# %%
if HAVE:
    display(bank.groupby("kind", sort=False).head(4)[["kind", "phrase", "category", "df", "tf"]]
            .sort_values("kind", kind="mergesort").reset_index(drop=True))

# %% [markdown]
# ## 5. The 套话 index across seven decades
# The share of each report's characters covered by boilerplate shared with the other reports (no reports were
# delivered from 1965 to 1974: the line breaks there). Yearly reports since 1978 reuse more of each other's wording;
# a short report (1975) scores high because its few sentences are mostly set phrases.

# %%
if HAVE:
    import io

    import matplotlib
    from matplotlib.figure import Figure

    from gkcorpus.outline.plots import find_cjk_font

    idx = bp.formulaicness.documents_.assign(year=lambda df: [national[d].meta["year"] for d in df.doc_id])
    idx = idx.sort_values("year")
    with matplotlib.rc_context({"font.family": [find_cjk_font() or "DejaVu Sans", "DejaVu Sans"]}):
        fig = Figure(figsize=(9, 3.6))
        ax = fig.add_subplot()
        run = (idx.year.diff() > 5).cumsum()  # a new line after a gap of more than five years
        for _, part in idx.groupby(run):
            ax.plot(part.year, part["index"], marker="o", markersize=4, linewidth=1, color="tab:blue")
        ax.set_xlabel("year of the report")
        ax.set_ylabel("套话 index (share of characters)")
        ax.set_title("How much of each 政府工作报告 is shared boilerplate")
        ax.set_ylim(0, None)
        ax.grid(alpha=0.3)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    display(Image(data=buf.getvalue()))
    display(idx[["rank", "year", "chars", "index", "evidence"]].sort_values("rank").head(5).reset_index(drop=True))

# %% [markdown]
# ## 6. Loading on several processes
# `gkcorpus.runtime.parallel.load_parallel` reads, cleans and parses each file on a worker and returns the same corpus.
# A Dask `LocalCluster` takes seconds to start, too slow for a notebook; local processes show the idea. On fifty
# files starting the pool costs more than it saves: parallelism pays on thousands of documents. (The only cell whose
# output changes from run to run: it prints wall-clock times.)

# %%
if HAVE:
    from gkcorpus.runtime.parallel import load_parallel

    t0 = time.perf_counter()
    serial = gkcorpus.load(RAW_DIR)
    t1 = time.perf_counter()
    again = load_parallel(RAW_DIR, backend="processes", workers=2, structure=False)
    t2 = time.perf_counter()
    same = again.ids == serial.ids and all(a.text == b.text and a.offsets == b.offsets for a, b in zip(again, serial))
    print(f"one process: {t1 - t0:.1f} s; two processes: {t2 - t1:.1f} s")
    print(f"{again}; same ids, texts and offset maps as gkcorpus.load: {same}")
