# %% [markdown]
# # 04 · Sentence templates: mine, match, fill
#
# Beyond phrases, whole sentences are written to a pattern: `现将{TOPIC}总结如下`, `此次活动共接访群众{NUM}余人`.
# A **template** is fixed text with typed slots (`NUM`, `DATE`, `ORG`, `PLACE`, `TEXT` …), shared by sentences of
# several documents. This notebook
#
# 1. mines templates from the bundled summaries with `TemplateMiner` (candidate pairs by blocking, alignment,
#    greedy merging; never all pairs of sentences);
# 2. shows them with their slots, slot values and instances;
# 3. matches templates (mined or written by hand) into a pandas table, e.g. the number of visitors each office
#    reports, with the offsets of every value in the scraped page;
# 4. fills a template with new values, saves and reloads a template library;
# 5. writes the genre's **skeleton**: the common outline with, under each part, the templates found there.

# %%
import tempfile
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

import gkcorpus
from gkcorpus.app.skeleton import skeleton
from gkcorpus.templates import Template, TemplateLibrary, TemplateMiner

pd.set_option("display.max_colwidth", 90)
pd.set_option("display.width", 200)
corpus = gkcorpus.load_bundled()

# %% [markdown]
# ## 1. Mining
# `TemplateMiner` is a scikit-learn style estimator. `min_support=2`: a template needs instances in two documents.

# %%
miner = TemplateMiner(min_support=2).fit(corpus)
library = miner.library_
print(f"{len(library)} templates from {len(miner.units_)} sentences ({miner.n_candidates_} candidate pairs aligned)")

# %% [markdown]
# ## 2. Templates and their slots
# Best supported first. `…` marks a template that may start or end inside a sentence (after or before a clause);
# slot types come from the values seen (`ORG` for 葵英街道办事处 / 我镇, `NUM` for 100 / 300).

# %%
def overview(lib):
    rows = []
    for t in lib:
        text = ("…" if t.open_start else "") + t.template + ("…" if t.open_end else "")
        rows.append({"id": t.id, "docs": t.support, "sentences": len(t.instances),
                     "slots": ", ".join(f"{s.name}:{s.type}" for s in t.slots),
                     "template": text if len(text) <= 60 else text[:59] + "…"})
    return pd.DataFrame(rows)


overview(library).head(16)

# %% [markdown]
# One template in full: its slots with the values seen, and its instances with their offsets.

# %%
report = next(t for t in library if t.template == "现将{TOPIC}总结如下")
for s in report.slots:
    print(f"{{{s.name}}} ({s.type}):", " / ".join(s.values))
pd.DataFrame([{"doc_id": i.doc_id, "unit_id": i.unit_id, "raw": f"{i.raw_start}–{i.raw_end}", "sentence": i.sentence}
              for i in report.instances])

# %% [markdown]
# The longest mined template is the closing sentence of summaries 09, 10 and 11 (see notebook 03), with the office's
# name as slots:

# %%
closing = max(library, key=lambda t: t.fixed_chars)
print(closing.template)
print()
for s in closing.slots:
    print(f"{{{s.name}}} ({s.type}):", " / ".join(v or "∅" for v in s.values))

# %% [markdown]
# The mined instances as a table, one row per (template, sentence), slot values as a dict:

# %%
library.instances_frame()[["template_id", "doc_id", "unit_id", "raw_start", "raw_end", "slot_values"]].head(8)

# %% [markdown]
# ## 3. Matching into a table: how many visitors?
# `TemplateLibrary.extract` matches every template in every sentence and returns one row per (match, slot), with the
# value, its number (for `NUM` and `PERCENT` slots) and where the value is, in clean and raw offsets. From the
# mined library, the visitor counts of the template containing `此次活动共接访群众{NUM}余人`:

# %%
table = library.extract(corpus)
visitors = table[(table.template_id == next(t.id for t in library if "接访群众{NUM}余人" in t.template))
                 & (table.type == "NUM")]
visitors[["doc_id", "unit_id", "slot", "value", "number", "value_raw_start", "value_raw_end"]]

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
# The same library on new text, given as plain strings:

# %%
handmade.extract(["本次活动共接访群众250余人，发放资料600份。", "活动当天，现场接待咨询群众三百余人。"])[
    ["doc_id", "template", "slot", "value", "number"]]

# %% [markdown]
# ## 4. Filling templates
# `fill` renders a template with values; a missing value raises `KeyError` (or stays `{NAME}` with `strict=False`).

# %%
print(report.fill(TOPIC="2024年“5.15政务公开日”活动开展情况"))
try:
    report.fill()
except KeyError as e:
    print("KeyError:", e)
print(report.fill({}, strict=False))

# %%
print(closing.fill({s.name: v for s, v in zip(closing.slots, ["继续", "城关街道", "街道", "全街道"])}))

# %% [markdown]
# A library is saved as JSON (what `gkcorpus templates mine` writes) and applied later without mining again:

# %%
with tempfile.TemporaryDirectory(prefix="gkcorpus-nb04-") as tmp:
    path = library.save(Path(tmp) / "templates.json")
    again = TemplateLibrary.load(path)
print(again, "— same templates:", [t.template for t in again] == [t.template for t in library])
print("same extraction:", again.extract(corpus).equals(table))

# %% [markdown]
# ## 5. The skeleton
# `skeleton` puts the templates under the parts of the common outline (section types from notebook 02) where their
# instances occur: a writer's outline of the genre, as Markdown. `min_support=1/3` keeps the parts found in at least
# a third of the documents, the common outline of notebook 02, from the opening to the closing.

# %%
sk = skeleton(corpus, library, max_templates=3, min_support=1 / 3)
display(Markdown(sk.to_markdown(title="Skeleton of a 政务公开活动总结")))
