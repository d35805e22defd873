# %% [markdown]
# # 04 · Sentence frames: mine, match, fill
#
# Beyond phrases, the genre writes to patterns: `现将{TEXT}总结如下`, `此次活动共接访群众{NUM}余人`. A **frame** is
# fixed wording with typed slots (`NUM`, `PERCENT`, `MONEY`, `YEAR`, `DATE`, `ORG`, `PLACE`, `PERSON`, `TEXT`), mined
# over clauses, so it matches inside a longer sentence; its support is the number of documents it matches. The frames
# are gkcorpus's templates: `gkcorpus mine` writes them to `templates/`. This notebook
#
# 1. mines frames from the bundled summaries with `FrameMiner`;
# 2. shows them with their slots, slot values and matches;
# 3. matches frames (mined or written by hand) into pandas tables: one row per match, and the numbers side by side,
#    e.g. the number of visitors each office reports, with the offsets of every value in the scraped page;
# 4. fills a frame with new values, saves and reloads a frame library;
# 5. writes the genre's **skeleton**: the common outline with, under each part, the frames found there.

# %%
import tempfile
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

import gkcorpus
from gkcorpus.app.skeleton import skeleton
from gkcorpus.templates import Template, TemplateLibrary
from gkcorpus.templates.frames import FrameMiner, load_library, match_table, wide_table

pd.set_option("display.max_colwidth", 90)
pd.set_option("display.width", 200)
corpus = gkcorpus.load_bundled()

# %% [markdown]
# ## 1. Mining
# `FrameMiner` is a scikit-learn style estimator. `min_docs=None` (the default): a frame needs matches in 10% of the
# documents and at least two.

# %%
miner = FrameMiner().fit(corpus)
library = miner.library_
print(f"{len(library)} frames from {miner.n_units_} sentences ({miner.n_clauses_} clauses), "
      f"each in at least {miner.min_docs_} documents")

# %% [markdown]
# ## 2. Frames and their slots
# In library order: support × fixed Han characters. Slot types come from the values matched (`NUM` for 100 / 300);
# a slot at a frame's edge is the free text around it in the sentence.

# %%
def overview(lib):
    rows = []
    for t in lib:
        rows.append({"id": t.id, "docs": t.support, "matches": len(t.instances),
                     "slots": ", ".join(f"{s.name}:{s.type}" for s in t.slots),
                     "frame": t.template if len(t.template) <= 60 else t.template[:59] + "…"})
    return pd.DataFrame(rows)


overview(library).head(16)

# %% [markdown]
# One frame in full: its slot with the values seen, and its matches with their offsets in the clean and the raw text.

# %%
report = next(t for t in library if t.template == "现将{TEXT}总结如下")
for s in report.slots:
    print(f"{{{s.name}}} ({s.type}):", " / ".join(s.values))
pd.DataFrame([{"doc_id": i.doc_id, "unit_id": i.unit_id, "clean": f"{i.start}–{i.end}", "raw": f"{i.raw_start}–{i.raw_end}",
               "sentence": i.sentence} for i in report.instances])

# %% [markdown]
# The longest frame joins three clauses of the closing paragraph of summaries 09, 10 and 11 (see notebook 03), with
# the office's name as its slot:

# %%
closing = max(library, key=lambda t: t.fixed_chars)
print(closing.template)
print()
for s in closing.slots:
    print(f"{{{s.name}}} ({s.type}):", " / ".join(v or "∅" for v in s.values))

# %% [markdown]
# ## 3. Matching into tables: how many visitors?
# `match_table` has one row per match of every frame, with its document, sentence, offsets and slot values (what
# `templates/matches.csv` holds); `TemplateLibrary.extract` one row per (match, slot), with the value, its number
# (for `NUM` and `PERCENT` slots) and where the value is, in clean and raw offsets.

# %%
matches = match_table(library, corpus)
print(f"{len(matches)} matches")
matches[["frame", "doc_id", "raw_start", "raw_end", "slot_values"]].head(8)

# %%
table = library.extract(corpus)
visitors = table[(table.template == "此次活动共接访群众{NUM}余人") & (table.type == "NUM")]
visitors[["doc_id", "unit_id", "slot", "value", "number", "value_raw_start", "value_raw_end"]]

# %% [markdown]
# `wide_table` puts every numeric slot found in two documents or more side by side, one row per document
# (`templates/numeric.csv`): on the national government work reports, each report's growth, price and jobs targets.

# %%
wide_table(library, corpus, extracted=table)

# %% [markdown]
# Templates can also be written by hand (`Template.from_text`) and matched the same way. Three wordings of the visitor
# count, each allowed to start after and end before a clause boundary (`open_start`, `open_end`); the `NUM` slot reads
# Chinese numerals too (五十 → 50):

# %%
handmade = TemplateLibrary([
    Template.from_text(text, open_start=True, open_end=True)
    for text in ("{TEXT}接访群众{NUM}余人", "{TEXT}接待{TEXT_2}群众{NUM}余人", "{TEXT}群众{NUM}余人次")
])
found = handmade.extract(corpus)
counts = found[found.type == "NUM"][["doc_id", "template", "value", "number", "value_raw_start", "value_raw_end"]]
counts.reset_index(drop=True)

# %% [markdown]
# summary-06 reports `接待现场咨询群众□0余人次`: the scrape destroyed a digit there (□ marks lost text, notebook 01), so
# no `NUM` can be read and the sentence is rightly not in the table. The whole sentences, for checking:

# %%
for row in found.drop_duplicates("unit_id").itertuples():
    print(row.unit_id, row.sentence[:70] + ("…" if len(row.sentence) > 70 else ""))
print(corpus.kwic("咨询群众", window=8)[["doc_id", "left", "match", "right"]].to_string(index=False))

# %% [markdown]
# A library applies to new text, given as plain strings, too:

# %%
handmade.extract(["本次活动共接访群众250余人，发放资料600份。", "活动当天，现场接待咨询群众三百余人。"])[
    ["doc_id", "template", "slot", "value", "number"]]

# %% [markdown]
# ## 4. Filling frames
# `fill` renders a frame with values; a missing value raises `KeyError` (or stays `{NAME}` with `strict=False`).
# Filling a frame with the values matched in a sentence gives the matched text back.

# %%
print(report.fill(TEXT="2024年“5.15政务公开日”活动开展情况"))
try:
    report.fill()
except KeyError as e:
    print("KeyError:", e)
print(report.fill({}, strict=False))
print(all(t.fill(i.slot_values) == corpus[i.doc_id].text[i.start:i.end] for t in library for i in t.instances))

# %%
print(closing.fill(TEXT="把城关街道"))

# %% [markdown]
# A library is saved as JSON (what `gkcorpus mine` and `gkcorpus templates mine` write as `frames.json`) and applied
# later without mining again (`gkcorpus templates match frames.json`):

# %%
with tempfile.TemporaryDirectory(prefix="gkcorpus-nb04-") as tmp:
    path = library.save(Path(tmp) / "frames.json")
    again = load_library(path)
print(again, "— same frames:", [t.template for t in again] == [t.template for t in library])
print("same extraction:", again.extract(corpus).equals(table))

# %% [markdown]
# ## 5. The skeleton
# `skeleton` puts the frames under the parts of the common outline (section types from notebook 02) where their
# matches concentrate (at least half of the parts holding them, in two documents or more): a writer's outline of the
# genre, as Markdown. `min_support=1/3` keeps the parts found in at least a third of the documents, the common outline
# of notebook 02, from the opening to the closing.

# %%
sk = skeleton(corpus, library, max_templates=3, min_support=1 / 3)
display(Markdown(sk.to_markdown(title="Skeleton of a 政务公开活动总结")))

# %% [markdown]
# The earlier miner of whole-sentence templates, `gkcorpus.templates.TemplateMiner`, stays available as library API
# (`gkcorpus templates mine --sentences`); `benchmarks/eval_frames.py` compares the frames against it.
