# %% [markdown]
# # 02 · TF-IDF, clustering and the outline of a genre
#
# Government summaries are built from a small set of parts: an opening (按照…要求，现将…总结如下),
# the work done (主要做法), the results, the problems (存在问题), the next steps (下一步工作打算) and a
# closing (在今后的工作中…). This notebook finds those parts from the texts alone:
#
# 1. `UnitVectorizer` turns sections, paragraphs or sentences into TF-IDF rows, with a table back to the source;
# 2. `Clusterer` groups the rows (k-means, agglomerative or HDBSCAN; k chosen by silhouette);
# 3. `SectionTyper` clusters outline segments into **section types**, gives every document its **outline**
#    and `common_outline` the genre's common order;
# 4. `document_kinds` clusters whole documents: the work plans 13, 14 come apart from the summaries;
# 5. `near_identical_groups` finds sentences repeated almost verbatim across documents;
# 6. `gkcorpus.outline.plots` draws the clusters and the outlines, with Chinese labels.
#
# Everything is seeded (`random_state=0`): the same corpus gives the same clusters and ids.

# %%
import tempfile
from pathlib import Path

import pandas as pd
from IPython.display import Image, display

import gkcorpus
from gkcorpus.features.cluster import Clusterer, label_clusters, near_identical_groups
from gkcorpus.outline import SectionTyper, cluster_corpus, common_outline, document_kinds
from gkcorpus.features.vectorize import UnitVectorizer

pd.set_option("display.max_colwidth", 70)
pd.set_option("display.width", 200)
corpus = gkcorpus.load_bundled()
corpus

# %% [markdown]
# ## 1. TF-IDF of units
# `UnitVectorizer` is a scikit-learn transformer whose input is a corpus (its units at `level`). Words come
# from the jieba tokenizer with the domain dictionary and stoplist. With `heading_weight`, a section's
# heading gets its own block of character n-gram features (prefixed `h:`), so that `存在问题` and
# `存在的主要问题` look alike.

# %%
vec = UnitVectorizer(level="section", heading_weight=0.5).vectorize(corpus)
vec.to_dict()

# %% [markdown]
# The unit table keeps every row's ids, heading and clean/raw offsets:

# %%
vec.units[["unit_id", "heading", "start", "end", "raw_start", "raw_end", "text"]].head(6)

# %% [markdown]
# The heaviest features of one section, `二、存在问题` of summary-05: the heading block leads (存在, 问题 and their
# characters), then the body's words (不够, 实效性 …).

# %%
def top_features(v, unit_id, n=10):
    row = v.units.index[v.units.unit_id == unit_id][0]
    r = v.matrix[row].tocoo()
    names = v.feature_names
    pairs = sorted(zip(r.col, r.data), key=lambda t: (-t[1], names[t[0]]))[:n]
    return pd.DataFrame([(names[j], round(float(w), 3)) for j, w in pairs], columns=["feature", "tf-idf"])


top_features(vec, "summary-05#s2")

# %% [markdown]
# ## 2. Clustering units
# `Clusterer` works on any L2-normalised rows. With `n_clusters="auto"` it tries every k in `k_range` and keeps
# the best cosine silhouette; cluster ids are renumbered by size. Here: the corpus's paragraphs.

# %%
para = UnitVectorizer(level="paragraph").vectorize(corpus)
km = Clusterer(method="kmeans", n_clusters="auto", k_range=(2, 15), random_state=0).fit(para.matrix)
print(km.selection_)
pd.Series(km.k_scores_, name="silhouette").rename_axis("k").to_frame().T

# %% [markdown]
# The silhouette of short, sparse texts is low and keeps rising as k grows (clusters shrink towards
# near-duplicates), which is why the section types below add headings and positions to the vectors.
# Each cluster is labelled by its class-based TF-IDF terms (c-TF-IDF) and shown with its most central member:

# %%
labels = label_clusters(para, km.labels_, km.cluster_centers_)
pd.DataFrame([{"cluster": c.cluster, "size": c.size, "docs": c.n_docs, "label": c.label,
               "most central paragraph": c.exemplars[0]["text"][:50]} for c in labels])

# %% [markdown]
# The three methods behind one interface, on the section vectors of part 1 (heading-weighted). Average linkage
# and HDBSCAN need all pairwise distances, so above `max_exact` rows they run on a reduced sample; HDBSCAN finds
# its own number of clusters and leaves noise (`-1`). On 109 short sections the density-based method puts most of
# them into one cluster: k-means, the default, spreads them more evenly.

# %%
rows = []
for method in ("kmeans", "agglomerative", "hdbscan"):
    est = Clusterer(method=method, n_clusters="auto", k_range=(4, 15), min_cluster_size=3, random_state=0).fit(vec.matrix)
    m = est.metrics_
    rows.append({"method": method, "clusters": m.n_clusters, "largest": max(m.sizes.values()),
                 "unassigned": m.n_unassigned, "silhouette": round(m.silhouette, 3), "how": est.selection_})
pd.DataFrame(rows)

# %% [markdown]
# ## 3. Section types and every document's outline
# `SectionTyper` cuts each document into outline segments (the preamble, each 一、 section, a detached closing
# paragraph; a document without headings falls back to its paragraphs), clusters them on heading + body +
# position, and numbers the types by their mean position, so T0 tends to be the opening and the last type the closing.

# %%
typer = SectionTyper(random_state=0)
outlines = typer.fit_outlines(corpus)
print(typer.metrics_.selection)
pd.DataFrame([{"type": f"T{t.type_id}", "name": t.name, "segments": t.size, "docs": t.n_docs,
               "mean position": t.mean_position,
               "headings": "; ".join(h for h, _ in t.headings[:3])} for t in typer.types_])

# %% [markdown]
# The opening type also holds the first sections of the two work plans (一、指导思想, 一、总体要求): they do what a
# summary's preamble does. Every document's outline (consecutive repeats merged); summary-04 has no headings, so
# its paragraphs were typed instead:

# %%
for o in outlines:
    print(f"{o.doc_id}  {' → '.join(o.names(typer.types_))}" + ("   [no headings: paragraphs]" if o.fallback else ""))

# %% [markdown]
# The segments behind one outline, with their types:

# %%
typer.segments_.query("doc_id == 'summary-05'")[["unit_id", "role", "heading", "type", "type_name", "position"]]

# %% [markdown]
# ## 4. The common outline
# `consensus`: the types found in at least 30% of the documents, in the order of their median position, with support.

# %%
common = common_outline(outlines, typer.types_)
pd.DataFrame(common.consensus)[["name", "support", "share", "median_position"]]

# %% [markdown]
# The most travelled path (from START, the transition most documents make next) and the most frequent transitions:

# %%
print(" → ".join(f"{r['name']} [{r['docs']}]" for r in common.path))
pd.DataFrame(common.transitions)[["from_name", "to_name", "docs", "count"]].head(8)

# %% [markdown]
# ## 5. Document kinds: work plans and summaries
# `document_kinds` clusters whole documents on five blocks, each a share of the vector: their words, their bag
# of section types, their layout (preamble or not, closing paragraph or not, heading density, sentence and
# paragraph length), their register (rates of aspect and modal markers such as 了/已 vs 要/将/确保, and of the
# commonest function words) and their genre evidence (section 5b). With k chosen by silhouette the corpus
# splits in two, and the two work plans, 13 and 14, are a kind of their own:

# %%
auto = document_kinds(corpus, typer, random_state=0)
print(auto.selection, {b: round(w, 2) for b, w in auto.weights.items()})
pd.DataFrame([{"kind": k["kind"], "documents": ", ".join(k["doc_ids"]), "genres": k["genres"],
               "terms": " · ".join(k["terms"][:5])} for k in auto.kinds])

# %% [markdown]
# The genre block is what does it. Without it (a 4-tuple of weights: words, outline, layout, register) and
# asked for four kinds, the plans, 13 (指导思想 / 基本原则 / 公开内容及范围 / 具体工作) and 14 (总体要求 /
# 主要内容 / 工作步骤 / 保障措施), share a kind with 07, an inspection report that, like them, starts at 一、
# without a preamble and has no closing paragraph, and with 05. The plans share no heading with each other,
# and their register (no perfective 了) is shared by summary 15, written in the directive style:

# %%
four = document_kinds(corpus, typer, weights=(0.4, 0.2, 0.4, 0.4), n_kinds=4, random_state=0)
plans = four.kind_of("summary-13")
print("without the genre block, the kind of summary-13 and summary-14:", four.members(plans))
pd.DataFrame([{"kind": k["kind"], "documents": ", ".join(k["doc_ids"]),
               "types in most": "; ".join(k["typical_types"][:4]),
               "has preamble": k["layout"]["has_preamble"], "has closing": k["layout"]["has_closing"]}
              for k in four.kinds])

# %% [markdown]
# ### 5b. Genre by the outline vocabulary
# `guess_genre` looks the headings up in two small lexicons of conventional section names (指导思想, 工作步骤,
# 保障措施 … for plans; 主要做法, 存在问题, 下一步 … for summaries) and adds opening and body cues, with its
# evidence. `genre_matrix` turns its two scores into the genre block: a dictionary lookup, like quanteda's
# `dfm_lookup`, that is transparent about why a document counts as a plan:

# %%
from gkcorpus.features.genre import guess_genre

pd.DataFrame([{"doc": g.doc_id, "genre": g.genre, "plan": g.plan_score, "summary": g.summary_score,
               "evidence": "; ".join(g.evidence[:3])} for g in map(guess_genre, corpus)])

# %% [markdown]
# ## 6. Near-identical sentences
# MinHash LSH over character 3-grams (digits masked), each candidate pair checked by exact Jaccard: sentences
# shared by two or more documents are boilerplate candidates (notebook 03 goes further).

# %%
near = near_identical_groups(corpus.units("sentence"), threshold=0.8)
pd.DataFrame([{"docs": ", ".join(g.doc_ids), "min Jaccard": g.min_jaccard, "text": g.text} for g in near])

# %% [markdown]
# ## 7. Plots
# `gkcorpus.outline.plots` finds a font with Chinese glyphs at run time (and warns, saying what to install, when there is
# none). Each function writes a PNG; here into a temporary folder, shown inline.

# %%
from gkcorpus.outline.plots import find_cjk_font, plot_cluster_map, plot_cluster_sizes, plot_outline_heatmap

print("CJK font:", find_cjk_font())
workdir = tempfile.TemporaryDirectory(prefix="gkcorpus-nb02-")  # removed at the end
tmp = Path(workdir.name)
names = {t.type_id: t.name for t in typer.types_}
seg_types = typer.segments_["type"].to_numpy()

# %% [markdown]
# The outline segments in the plane of the section types' centroids, coloured by type:

# %%
png = plot_cluster_map(typer.matrix_, seg_types, names, tmp / "types_map.png",
                       title=f"{len(seg_types)} outline segments in {len(typer.types_)} section types")
display(Image(filename=str(png), width=820))

# %% [markdown]
# How many segments each type has:

# %%
png = plot_cluster_sizes([(f"T{t.type_id} {t.name}", t.size) for t in typer.types_], tmp / "type_sizes.png",
                         title="Segments per section type", xlabel="outline segments")
display(Image(filename=str(png), width=700))

# %% [markdown]
# Documents × section types: the number is the order in which a type first appears in the document, so reading
# a row left to right follows its outline (the colour is that order divided by the number of types in the row).

# %%
png = plot_outline_heatmap(outlines, typer.types_, tmp / "outline_heatmap.png", title="Documents × section types")
display(Image(filename=str(png), width=820))

# %% [markdown]
# The paragraph clusters of part 2 on the same kind of map. Compare with the section types: without headings and
# positions, paragraphs of one topic share few words and the clusters overlap (silhouette below 0.1); only a few
# stand apart (0, 公开 · 形式 · 内容, on the left; 1, 宣传 · 标准化, at the bottom).

# %%
png = plot_cluster_map(para.matrix, km.labels_, {c.cluster: c.label for c in labels}, tmp / "paragraph_map.png",
                       title=f"{para.n_units} paragraphs in {km.n_clusters_} k-means clusters "
                       f"(silhouette {km.metrics_.silhouette:.2f})")
display(Image(filename=str(png), width=820))

# %% [markdown]
# ## 8. All of it in one call
# `cluster_corpus` is what `gkcorpus cluster` runs: section types, outlines, the common outline and document
# kinds (and, at other levels, clusters of those units). `write` saves tables, labels, the outline as Markdown
# and the plots.

# %%
run = cluster_corpus(corpus, level="section", random_state=0)
written = run.write(tmp / "cluster")
print("\n".join(sorted(p.name for p in written)))
print()
print("\n".join(run.common_lines()))
workdir.cleanup()
