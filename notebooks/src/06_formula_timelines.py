# %% [markdown]
# # 06 · Formula timelines: when each formula enters, peaks and leaves the genre
#
# The fifty national government work reports (1954–2018) carry a `year`. Every formula of the phrase bank and
# every sentence frame is counted in every report, and the counts per year tell a formula's life: when it
# first appears, when it peaks, when it falls out of use, and which wording replaces it. Cutting the years where
# the formula vocabulary changes gives eras, each with the formulae that mark it.
#
# This notebook teaches how to
#
# 1. count formulae by a document variable (`FormulaTimeline`): df, tf and rate per 10,000 characters, with the
#    documents behind every cell;
# 2. read life spans, recent trends and successions (全面建设小康社会 → 全面建成小康社会);
# 3. cut the years into eras (`EraSegmenter`) and read each era's marker formulae;
# 4. draw the timeline and the era strip.

# %%
import re

import pandas as pd
from IPython.display import Image, display

from gkcorpus.datasets import DatasetError, load_gwr_national
from gkcorpus.timeline import EraSegmenter, Formula, FormulaTimeline, formulae_from_bank, formulae_from_frames, write_trends

pd.set_option("display.max_colwidth", 60)
pd.set_option("display.width", 200)

try:
    corpus = load_gwr_national()
    HAVE = True
    print(corpus)
except DatasetError as e:
    HAVE = False
    print(f"the national reports could not be fetched ({e}). The cells below do nothing: connect to the network, "
          "or set GKCORPUS_DATA_MIRROR to a folder holding gwr_national/, and rerun.")

# %% [markdown]
# ## 1. A handful of formulae, counted by year
# A `Formula` is a fixed string (found with the corpus suffix array) or a pattern; `…` in a gapped formula stands
# for a gap inside one sentence. Each row of `counts_` is one formula in one year, with the documents that hold it.

# %%
if HAVE:
    five = ["以经济建设为中心", "全面建设小康社会", "全面建成小康社会", "坚持稳中求进工作总基调", "与时俱进"]
    tl = FormulaTimeline(by="year").fit(corpus, [Formula(t, t) for t in five])
    display(tl.lifespan_frame())
    display(tl.counts_[tl.counts_.df > 0].head(8))

# %% [markdown]
# The spans agree with a plain regular-expression count over the texts:

# %%
if HAVE:
    for t in five:
        years = sorted(d.meta["year"] for d in corpus if re.search(re.escape(t), d.text))
        print(f"{t}: {years[0]}–{years[-1]} in {len(years)} reports")

# %% [markdown]
# ## 2. Every mined formula and frame
# The phrase bank and the sentence frames of the reports (notebook 04), all counted by year. A frame is counted by
# its wording: its fixed text from the first fixed piece on, a comma matching any clause punctuation, number,
# percent, money, year and date slots by their patterns, a free slot by up to 60 characters of one clause
# (`formulae_from_frames`). A formula needs at least two reports to get a life span. The trend compares the mean rate of the last five years with the five before (a factor of 1.5 either
# way is rising or falling; absent from all of the last five is gone).

# %%
if HAVE:
    from gkcorpus.boilerplate.phrases import mine_boilerplate
    from gkcorpus.templates.frames import FrameMiner

    bank = mine_boilerplate(corpus).phrases.phrases_
    frames = FrameMiner().fit(corpus).library_
    formulae = formulae_from_bank(bank) + formulae_from_frames(frames)
    tl = FormulaTimeline(by="year").fit(corpus, formulae)
    life = tl.lifespan_frame()
    print(f"{len(formulae)} formulae and frames; {len(life)} with a life span")
    display(life.sort_values("df", ascending=False).head(15))

# %% [markdown]
# The frames alone, most widespread first: the title lines, constructions (`在{TEXT}的同时`), comparisons with a
# base year (`{TEXT}比{YEAR}增长{PERCENT}`), the opening (`现在，我代表国务院{TEXT}`, from 1978) and the thanks, each
# with the years it lives in. A slot opening a frame is left out of its count, so `{YEAR}政府工作报告` is counted
# wherever 政府工作报告 stands (47 reports), more than the 29 title lines it matched; `frames.json` keeps the
# matches themselves.

# %%
if HAVE:
    display(life[life.kind == "frame"].sort_values(["df", "first"], ascending=[False, True]).head(12))

# %% [markdown]
# Formulae that are gone by the end of the corpus, longest-lived first:

# %%
if HAVE:
    gone = life[life.trend == "gone"].copy()
    gone["years"] = gone["last"] - gone["first"]
    display(gone.sort_values(["years", "df"], ascending=False).head(12))

# %% [markdown]
# Successions: two wordings of equal length that differ in one or two characters (not numerals), the new one
# beginning within two groups of the old one's end.

# %%
if HAVE:
    display(tl.succession_frame())

# %% [markdown]
# ## 3. Eras
# Each year is a profile (which formulae its report holds); the ordered profiles are cut where they change most,
# with a BIC penalty choosing the number of eras. Each era lists the formulae it over-uses against all other years
# (log-likelihood G²).

# %%
if HAVE:
    eras = EraSegmenter().fit(tl)
    for e in eras.eras_:
        print(f"{e.start}–{e.end} ({e.n_docs} reports): " + " · ".join(m["formula"] for m in e.markers[:8]))

# %% [markdown]
# ## 4. Pictures
# `write_trends` writes the tables (`trends.csv` long, `trends.xlsx` wide) and two plots: the formulae that live
# in a period, one row each (dot area = rate), over the eras; and the era strip.

# %%
if HAVE:
    import tempfile
    from pathlib import Path

    out = Path(tempfile.mkdtemp()) / "timelines"
    paths = write_trends(out, tl, eras, top=35)
    print("wrote", ", ".join(p.name for p in paths))
    display(Image(filename=str(out / "timeline.png")))
    display(Image(filename=str(out / "eras.png")))
