# %% [markdown]
# # 01 · A tour of the bundled corpus
#
# gkcorpus ships one scraped web page with fifteen 政务公开活动总结 (summaries of government-openness
# activities). The page is in Traditional script, full of pinyin glosses (`公開(kāi)`), mojibake and
# watermark characters. This notebook loads it as a clean, structured `Corpus`, shows what the cleaner
# repaired, walks the structure (headings, sections, sentences) and runs the corpus verbs: KWIC and
# frequencies.

# %%
import gkcorpus

corpus = gkcorpus.load_bundled()
corpus

# %% [markdown]
# ## The raw text and the clean text
# Every document keeps its raw text beside the clean one, with a map from clean offsets to raw offsets.

# %%
doc = corpus["summary-07"]
print(doc.raw[:160])
print("—" * 20)
print(doc.text[:120])

# %% [markdown]
# ## What the cleaner did
# Counts per cleaning step and document; spans where information was truly lost are marked `□`, never invented.

# %%
corpus.cleaning_summary()

# %%
for d in corpus:
    for lost in d.cleaning.lost:
        print(d.id, lost.marker, "…" + lost.context + "…", "—", lost.reason)

# %% [markdown]
# ## Structure: the official heading hierarchy
# 一、 > （一） > 1./1、 > （1）, run-in headings (`1、系统全员参与。活动…`) included; 一是…二是… are list items, not headings.

# %%
for h in doc.structure.headings:
    print("  " * (h.level - 1) + h.marker + h.text)

# %%
corpus.to_frame("sentence").head(8)[["unit_id", "heading", "text", "raw_start", "raw_end"]]

# %% [markdown]
# ## Keyword in context
# Each hit carries its raw offsets, so it can be found again in the scraped page.

# %%
corpus.kwic("高度重视", window=8)[["doc_id", "left", "match", "right", "raw_start"]]

# %% [markdown]
# ## Frequencies
# jieba with the shipped domain dictionary (政务公开, 营商环境, 再上新台阶 …) and stoplist.

# %%
freq = corpus.frequencies()
freq.head(15)

# %% [markdown]
# Grouped by a document variable: here the document number, for the two work plans (13, 14) against two summaries.

# %%
corpus.subset(number=[9, 10, 13, 14]).frequencies(by="number").groupby("group").head(3)
