"""What a recurring phrase is: a formula, a collocation or a term, and where it sits.

The decisions use features of the phrase, never a list of phrases:

* **part-of-speech pattern** -- the jieba dictionary tags of its words (``n`` nominal, ``v``
  verbal, ``d`` adverbial, ``a`` adjectival, ``i`` idiom …);
* **standalone share** -- the share of its occurrences bounded by punctuation or a line edge on
  both sides (an address such as 各位代表！ or a whole clause);
* **association** -- for a two-word phrase, how much each word predicts the other:
  ``max(tf(ab) / tf(a), tf(ab) / tf(b))`` over the corpus' word counts;
* **position** -- where its occurrences lie in their documents (:func:`position_category`);
* **edges** -- the share of occurrences followed by punctuation or a line edge (``right_closed``);
* **two-word idioms** -- a dictionary idiom that splits into two dictionary words (进一步提高 -> 进一步 +
  提高) is judged as that pair when the pair's words combine freely (association below 0.5).

jieba's tags are context-free and often wrong for this genre (收入 and 增长 verbs, 团结 an adjective,
自然 and 高度 adverbs or nouns), so several rules look at the shape of the phrase rather than at every
word's tag.

Kinds, in the order they are tested:

``collocation``
    a free combination of a verb with its modifier or object and nothing else: two words whose words
    combine freely (neither predicts the other in half of its uses): an adverb before anything but a
    noun, an ``ad`` adverb before anything (充分利用: 利用 is tagged as a noun), a nominal-tagged word
    the corpus puts before a verb in most of its uses before a verb or ``ad`` word (全面推进, 依法公开:
    an adverbial whatever the dictionary says), an adjective before a
    verb (加快建设), a verb before a nominal or a verb (推进政务公开) or an adjective (建立健全); or three
    or four words, a verb before a noun-compound object (做好政务公开工作, 增加农民收入); or a verb or
    nominal verb before a compound object of two to five nominal words and verbs inside it, the first
    nominal (发展海洋经济, 加强社会治安综合治理: routine task wording, not set phrasing; an ``ad``
    word after a noun, last or before a noun, counts as a nominal verb here: 推进政务公开); or two verbs
    joined by 和/与/及/并 (巩固和发展); or an adverbial with 地 before its verb (更好地发挥); or a
    personal pronoun before a verb or modal and nothing else (我们必须, 我们将继续); or adverbs before a
    modal (就一定能够).
``formula`` (lead-in)
    a wording whose last word is a one-character preposition, copula or modal that leads into the
    rest of the sentence (各级政府要, 城镇登记失业率控制在); and any wording with a comma (two clauses
    name nothing).
``term``
    a noun compound: every word nominal (nouns, names, abbreviations, nominal verbs, numerals,
    measure words, locatives), the first possibly an adjective, distinguishing word or
    demonstrative (我国, 广大), demonstratives and (after a nominal first word) one modifier also
    inside (全国各族人民, 香港特别行政区), the last possibly a verb heading two or more nominal words
    (基础设施建设); two or more nouns proper also when they stand alone (a title line: 国务院总理;
    各位代表 opens with a demonstrative and is an address); or such compounds joined by 的 or a coordinating conjunction (科学技术的发展,
    中央和地方); or a phrase *shaped* as a noun phrase: two or more words, the first nominal,
    adjectival, a nominal verb, an adverb-tagged word before a noun (严重的自然灾害) or an idiom before
    的 or nouns (独立自主的和平外交政策, 精神文明建设), inside only content words, 的, conjunctions and
    non-personal demonstratives, an adverb only before a noun, no copula, modal, aspect particle or
    disposal marker (是, 要, 了, 把 …), ending in a noun, or in a verb after two nominal words; or a
    noun and a two-character verb whose words combine freely and that ends a clause in at least
    ``CLOSED_SHARE`` of its occurrences (环境保护, 财政收入). No personal pronoun, and the phrase does not
    stand alone as a clause in most of its occurrences.
``formula``
    everything else: set wording that carries a verb, an idiom, a preposition frame or
    function words (坚持稳中求进工作总基调, 以经济建设为中心, 高度重视), nominal wording that
    stands alone (各位代表), and gapped patterns whose first anchor is a frame word (现将…总结如下,
    按照…要求; 发挥…作用 and an adverb or adjective before its verb, 积极稳妥…改革, are collocations; two
    nominal anchors, or a pronoun and a noun, are not a frame and are dropped; a noun compound leads
    a formula only before a quantity or a limit, 城镇登记失业率…以内). An anchor the dictionary lacks
    is tagged by the dictionary words it is made of (:func:`compound_tag`: 活动开展情况 is a noun
    compound, 我局 a pronoun's phrase), not taken for a frame word.

Dropped as not a unit (:func:`is_incomplete`, :func:`is_fragment`, :func:`is_clipped_clause`): a
wording with no content word (以及其他); one ending in an adverb (要进一步); one opening with a
particle that belongs to the word before (地为…服务), inside a predicate (是社会主义, 这是我们) or with
a bare verb and 的 (解决的问题); an adverb and a lead-in word at its end (企业特别是); a noun and a
two-character verb that almost never end a clause (方面取得: a subject and a verb waiting for its
object); a preposition with its object but without the rest of its frame (:func:`is_open_frame`:
a one-character preposition or coverb and no verb, preposition, locative or lead-in word after it:
在政务公开, 将政务公开), unless it stands between punctuation in most of its occurrences
(向全国各族人民，…).

A contiguous wording that runs over a comma into the stump of the next clause (发展，必须; a last
clause of four characters or fewer that runs on without punctuation, …，全力推动) is a fragment and is
dropped. So is a modifier cut before its head: a wording not ending in a verb or lead-in word that
is followed by one same noun in at least half of its occurrences (at least ``min_df`` of them), its
other occurrences lying in fewer than ``min_df`` documents (对政务公开 + 工作, 维护世界 + 和平; but
以江泽民同志为核心的党中央, followed by 领导 in half of its uses, stands alone in ten reports).

Gapped patterns (:func:`decide_gapped_kind`) are dropped when their anchors are a pronoun or time
word and one verb (我们…贯彻, 今年…安排): a subject and its predicate, which match any sentence.

Categories (position, from evidence): a document's opening part is its first ``ceil(edge * n)`` of ``n``
sentences and its closing part its last as many, at least one and at most six (a report's salutation
and lead-in, its final exhortation; a short summary's first and last sentence) -- not a share of its
characters, which in a long report holds whole topical sections (foreign affairs, defence) whose
wording is not a closing formula. A phrase is ``opening`` when at least ``min_share`` of its
occurrences lie in the opening part *and* that count is significantly more than the part's share of
the characters predicts (one-sided binomial test, p < ``alpha``); ``closing`` likewise; ``heading``
when ``min_share`` of its occurrences lie inside headings (tested against the headings' share of the
characters). A phrase used throughout its documents (各位代表 before each part) has no position
category (``""``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ...text.postags import word_tags as _pos_tags  # noqa: F401  (the miners' table, under its old name)

__all__ = ["KindFeatures", "decide_kind", "decide_gapped_kind", "compound_tag", "anchor_tag", "gapped_lead_has_kind", "is_fragment", "is_incomplete", "is_open_frame", "starts_with_particle", "starts_with_enumerator", "is_clipped_clause", "position_zones",
           "position_categories", "NOMINAL_TAGS", "KINDS", "POSITIONS"]

KINDS = ("formula", "collocation", "term")
POSITIONS = ("opening", "closing", "heading", "")

#: jieba tags counted as nominal for the term decision.
NOMINAL_TAGS = frozenset("n nr nrt nrfg ns nt nz ng vn an j m mq q f s t b".split())
_VERBAL = frozenset("v vd vi vg vq".split())
_MODIFIER = frozenset("d ad a ag dg z".split())
_IDIOM = frozenset(["i"])


@dataclass(slots=True)
class KindFeatures:
    """The features a kind is decided from (one per entry, made and read once: not frozen, whose
    checked assignments would double the cost of making twenty thousand of them)."""

    words: tuple[str, ...]
    tags: tuple[str, ...]
    han_chars: int
    standalone: float  # share of occurrences with punctuation or a line edge on both sides
    association: float  # two-word phrases: how strongly one word predicts the other (0..1)
    category: str
    right_closed: float = 0.0  # share of occurrences followed by punctuation or a line edge
    #: a one-word idiom that splits into two dictionary words: their tags (进一步提高 -> d, v)
    split_tags: tuple[str, ...] = ()
    text: str = ""  # the wording itself, punctuation included
    #: share of the corpus occurrences of the first word that a verb follows (an adverb's are most)
    first_before_verb: float = 0.0


def decide_kind(f: KindFeatures) -> str:
    """``formula``, ``collocation`` or ``term`` (rules in the module docstring)."""
    tags = f.tags
    if len(tags) == 1 and len(f.split_tags) == 2 and f.association < 0.5:
        tags = f.split_tags  # a dictionary idiom made of two free words (进一步提高, 深入开展): judged as the pair
    if len(tags) == 2 and f.association < 0.5:
        a, b = tags
        if a == "ad" or (a == "d" and b not in NOMINAL_TAGS):
            return "collocation"  # an adverb and what it modifies (坚决反对, 认真落实, 充分利用)
        if a in _VERBAL and b == "a":
            return "collocation"  # two verbs (建立健全: 健全 is tagged as an adjective)
        if (a in _MODIFIER and (b in _VERBAL or b == "vn")) or (a in _VERBAL and (b in NOMINAL_TAGS or b in _VERBAL)):
            return "collocation"
        if a in NOMINAL_TAGS and f.first_before_verb >= 0.5 and (b in _VERBAL or b == "ad"):
            return "collocation"  # a word the corpus mostly puts before verbs is an adverbial (全面推进, 依法公开)
    if len(tags) == 3 and tags[0] in _VERBAL and f.words[1] in _COORD and tags[2] in _VERBAL | {"vn"}:
        return "collocation"  # two coordinated verbs (巩固和发展, 建立和完善)
    if len(tags) == 3 and f.words[1] == "地" and tags[2] in _VERBAL | _IDIOM:
        return "collocation"  # an adverbial with 地 before its verb (更好地发挥)
    obj = _object_tags(tags)
    if 3 <= len(obj) <= 4 and obj[0] in _VERBAL and all(t in NOMINAL_TAGS for t in obj[1:-1]) \
            and (obj[-1] in NOMINAL_TAGS or obj[-1] in _VERBAL):
        return "collocation"  # a verb and its noun-compound object (做好政务公开工作, 增加农民收入)
    if _verb_object(obj):
        return "collocation"  # a verb and a topical compound object (发展海洋经济, 加强社会治安综合治理)
    if 2 <= len(tags) <= 3 and f.words[:1] and f.words[0] in _PERSONAL and all(t in _VERBAL or t in _MODIFIER
                                                                               for t in tags[1:]):
        return "collocation"  # a speaker and a verb or modal (我们必须, 我们将继续): a free combination
    if len(tags) >= 2 and all(t in ("d", "ad") for t in tags[:-1]) and f.words[-1] in _MODALS:
        return "collocation"  # adverbs before a modal (就一定能够): a free combination
    if f.words and len(f.words[-1]) == 1 and f.words[-1] in LEAD_IN_WORDS:
        return "formula"  # a lead-in to the rest of the sentence (各级政府要, 城镇登记失业率控制在)
    if "，" in f.text:
        return "formula"  # two clauses are not a name of a thing
    if (_noun_compound(tags, f.words) or _noun_phrase(tags, f.words)) and f.standalone < 0.5:
        return "term"
    if all(t in _NOUNS for t in tags) and len(tags) >= 2 and "，" not in f.text and "、" not in f.text:
        return "term"  # a name or title on a line of its own (国务院总理, 政府工作报告); 各位代表 opens with 各位
    if _nominal_shape(tags, f.words, f.first_before_verb) and f.standalone < 0.5:
        return "term"  # shaped as a noun phrase, whatever jieba's context-free tags say of its words
    if _subject_predicate_noun(tags, f.words) and f.standalone < 0.5 and f.right_closed >= CLOSED_SHARE \
            and f.association < 0.5:
        return "term"  # a noun and a verb used as one noun (环境保护, 财政收入): often ends a clause, free words
    return "formula"


_COORD = frozenset("和 与 及 并".split())
#: nouns and names proper: no nominal verbs or abbreviations (深化 is tagged j), numerals or locatives.
_NOUNS = frozenset("n nr nrt nrfg ns nt nz".split())
_MODALS = frozenset("要 能 能够 应 应当 应该 必须 将 会 可以 一定要".split())
#: one-character words that lead into the rest of the sentence when they end a phrase.
LEAD_IN_WORDS = frozenset("在于对把被由从向以为给将让使要能可会是")
#: share of occurrences ending a clause above which a noun + verb pair is used as a noun.
CLOSED_SHARE = 0.2
_CONTENT = NOMINAL_TAGS | _VERBAL | _MODIFIER | _IDIOM | frozenset("l vn nrt".split())


#: words that make a clause of what they stand in: copula, modals, aspect particles, disposal markers.
_PREDICATE_WORDS = frozenset("是 要 能 应 应当 应该 必须 将 会 可以 把 被 了 着 过".split())
_NP_FIRST = NOMINAL_TAGS | frozenset("a b vn nz l".split())
_NP_INSIDE = NOMINAL_TAGS | _VERBAL | frozenset("a b vn nz l i uj c r".split())  # r: 各国, never a personal pronoun


def _nominal_shape(tags: Sequence[str], words: Sequence[str], first_before_verb: float = 0.0) -> bool:
    """A noun phrase by its shape, not by every word's tag (jieba tags 收入 and 增长 as verbs, 团结 as
    an adjective): two or more words; the first nominal, adjectival, a nominal verb or an idiom
    before 的 (独立自主的和平外交政策) -- never a verb, preposition, pronoun or adverb, so it is not a
    predicate or a frame; inside only content words, 的 and conjunctions, a two-character adverb only
    before a noun (严重的自然灾害: 自然 is tagged as an adverb; a one-character adverb such as 再 or 更 is
    one, so 再上新台阶 is not a noun phrase); no copula, modal, aspect particle or
    disposal marker; no comma (two clauses)."""
    if len(words) < 2 or len(tags) != len(words) or "，" in "".join(words):
        return False
    first_ok = tags[0] in _NP_FIRST or (tags[0] == "i" and (tags[1] == "uj" or all(t in NOMINAL_TAGS for t in tags[1:]))) \
        or (tags[0] == "d" and tags[1] in NOMINAL_TAGS and first_before_verb < 0.5)  # an "adverb" the corpus
    # mostly puts before nouns is a mis-tagged modifier (自然, 高速, 共同); one it mostly puts before verbs is an
    # adverb (进一步, 已经, 再上), and the wording is no noun phrase
    if not first_ok or any(w in _PREDICATE_WORDS or w in _PERSONAL for w in words):
        return False
    for i, t in enumerate(tags[1:], 1):
        if t == "d" and len(words[i]) >= 2 and i + 1 < len(tags) and tags[i + 1] in NOMINAL_TAGS:
            continue
        if t not in _NP_INSIDE:
            return False
    if tags[-1] in _VERBAL:  # a verb heads a noun phrase only after two or more nominal words (产业结构调整)
        return len(tags) >= 3 and all(t in NOMINAL_TAGS for t in tags[-3:-1])
    return tags[-1] not in _JOINERS


def _object_tags(tags: Sequence[str]) -> tuple[str, ...]:
    """The tags with an adverbial (``ad``) word after a noun read as a nominal verb: an adverb modifies
    what follows it, so one that ends the wording or comes before a noun is used inside a noun
    compound (政务公开, 政务公开工作: 公开 is tagged ``ad``). Only the verb-object rules read these."""
    if "ad" not in tags[1:]:
        return tuple(tags)
    out = list(tags)
    for i in range(1, len(tags)):
        if tags[i] == "ad" and tags[i - 1] in _HEAD_NOUN and (i + 1 == len(tags) or tags[i + 1] in NOMINAL_TAGS):
            out[i] = "vn"
    return tuple(out)


def _verb_object(tags: Sequence[str]) -> bool:
    """One verb (or a verb used as a noun) and a compound object of two to five words: the first
    nominal, the others nominal or verbs inside the compound (财政支出结构, 社会治安综合治理), the last
    nominal or verbal. No adverb, adjective, idiom, preposition, pronoun, 的 or conjunction: those make
    set wording (坚持稳中求进工作总基调, 加强政府自身建设, 坚持和完善…)."""
    if not 3 <= len(tags) <= 6 or tags[0] not in _VERBAL | {"vn"} or tags[1] not in NOMINAL_TAGS:
        return False
    return all(t in NOMINAL_TAGS or t in _VERBAL for t in tags[2:])


def _subject_predicate_noun(tags: Sequence[str], words: Sequence[str]) -> bool:
    """Two words: a noun (not a pronoun, numeral or locative) and a two-character verb."""
    return (len(tags) == 2 and len(words) == 2 and tags[0] in NOMINAL_TAGS and tags[0] not in ("m", "mq", "q", "f", "t")
            and tags[1] in _VERBAL and len(words[1]) == 2)


def starts_with_particle(words: Sequence[str]) -> bool:
    """The first word begins with a particle that belongs to the word before (地为…服务)."""
    return bool(words) and words[0][:1] in ("的", "地", "得", "之")


_ENUMERATOR_WORD = re.compile(r"[一二三四五六七八九十]{1,3}是")


def starts_with_enumerator(words: Sequence[str]) -> bool:
    """The first word begins with an enumerator (一是, 三是): a list marker and the words after it are not a frame
    (一是…政务), whatever the words that follow share."""
    return bool(words) and _ENUMERATOR_WORD.match(words[0]) is not None


def is_incomplete(tags: Sequence[str], words: Sequence[str], right_closed: float) -> bool:
    """Wordings that are not a unit: no content word at all (以及其他, 另一方面); a last word that is
    an adverb waiting for its verb (要进一步); a noun and a two-character verb that never end a
    clause, a subject with a verb waiting for its object (方面取得, 资金用于)."""
    if not any(t in _CONTENT for t in tags):
        return True
    if words and (words[0] in ("是", "了", "着", "过") or (len(words[0]) == 2 and words[0][-1] == "是")):
        return True  # begins inside a predicate (是社会主义, 这是我们)
    if len(tags) >= 2 and words[-1] in LEAD_IN_WORDS and tags[-2] == "d":
        return True  # an adverb and a lead-in word (企业特别是): a discourse marker, not an edge
    if starts_with_particle(words):
        return True
    if len(words) == 3 and tags[0] in _VERBAL and words[1] == "的":
        return True  # a bare verb and 的 (解决的问题): a relative clause without its subject
    if tags and tags[-1] == "d" and len(tags) >= 2:
        return True
    return _subject_predicate_noun(tags, words) and right_closed < CLOSED_SHARE / 2


#: personal pronouns: a phrase holding one speaks (我们要继续), it does not name a thing.
_PERSONAL = frozenset("我 你 他 她 它 我们 你们 他们 她们 它们 咱们 大家 自己".split())
#: words that join nominal chunks into one noun phrase: 的 and coordinating conjunctions (和, 及).
_JOINERS = frozenset(("uj", "c"))


def _noun_compound(tags: Sequence[str], words: Sequence[str] = ()) -> bool:
    """Content words only, all nominal (nouns, names, abbreviations, nominal verbs, numerals,
    measure words, locatives) except that the first may be an adjective, a distinguishing word or
    a demonstrative (我国, 广大); demonstratives (全国各族人民) and, after a nominal first word, one
    modifier (香港特别行政区, 外商直接投资) may also stand inside, never last; no personal pronoun."""
    if not tags or not (tags[0] in NOMINAL_TAGS or tags[0] in ("a", "b", "r")):
        return False
    if any(w in _PERSONAL for w in words):
        return False
    if len(tags) == 1:
        return tags[0] in NOMINAL_TAGS
    if all(t in NOMINAL_TAGS for t in tags[1:]):
        return True
    if tags[-1] in NOMINAL_TAGS and len(tags) >= 3:
        inner = tags[1:-1]
        modifiers = sum(t in _MODIFIER for t in inner)  # two would make a clause (政务公开工作再上新台阶)
        if modifiers <= 1 and all(t in NOMINAL_TAGS or t == "r" or (t in _MODIFIER and tags[0] in NOMINAL_TAGS)
                                  for t in inner):
            return True
    # a verb heading two or more nominal words is used as a noun (基础设施建设, 产业结构调整)
    return len(tags) >= 3 and tags[-1] in _VERBAL and all(t in NOMINAL_TAGS for t in tags[1:-1])


def _noun_phrase(tags: Sequence[str], words: Sequence[str] = ()) -> bool:
    """Noun compounds joined by 的 or a coordinating conjunction (科学技术的发展, 廉政建设和反腐败斗争,
    中央和地方); a chunk before 的 may be a lone adjective (严重的自然灾害)."""
    words = tuple(words) or ("",) * len(tags)
    if not any(t in _JOINERS for t in tags):
        return False
    chunks: list[tuple[list[str], list[str], str]] = []
    ts: list[str] = []
    ws: list[str] = []
    for w, t in zip(words, tags):
        if t in _JOINERS:
            if not ts:
                return False
            chunks.append((ts, ws, t))
            ts, ws = [], []
        else:
            ts.append(t)
            ws.append(w)
    if not ts:
        return False
    chunks.append((ts, ws, ""))
    for ts, ws, joiner in chunks:
        if joiner == "uj" and len(ts) == 1 and ts[0] in ("a", "b"):
            continue
        if not _noun_compound(ts, ws):
            return False
    return True


def decide_gapped_kind(tags: Sequence[str], words: Sequence[str] = (), lead_before_verb: float = 0.0) -> str:
    """Kind of a gapped pattern from its anchors' tags (an anchor the dictionary lacks is tagged by
    :func:`compound_tag`; ``x`` when its words say nothing): ``collocation`` when the first anchor is
    a verb (a verb and its object around a filler: 发挥…作用, 取得…成效); ``formula`` when it is a
    frame word -- preposition, adverb, conjunction, pronoun, time word or an unknown word
    (现将…总结如下, 按照…要求), or a noun compound before a quantity or a limit (城镇登记失业率…以内,
    国家外汇储备…亿美元: a measure and its value, the frame of a target or a statistic); ``""``
    otherwise: two content words that co-occur (活动开展情况…年度, 改革发展…大局: a noun compound and a
    verb or noun is a subject and its predicate, or two topics), or a pronoun or time word and a
    single verb (我们…贯彻, 今年…安排, 我局…履行: a subject and its predicate match any sentence), a time
    word and a noun (今年…政务公开日, 当前…政治形势), or an
    adverb before a noun when the corpus puts a verb after that adverb in most of its uses
    (``lead_before_verb`` >= 0.5: 进一步…工作作风 is an adverb and the object of the verb in the gap;
    高举…旗帜 stays, as 高举, tagged an adverb, is mostly followed by nouns: a verb)."""
    if not tags:
        return ""
    if tags[0] in _VERBAL or tags[0] == "vn":
        return "collocation"
    if len(tags) == 2 and tags[0] in _HEAD_NOUN:
        quantity = tags[1] in _QUANTITY or (len(words) == 2 and words[1] in _LIMITS)
        return "formula" if quantity else ""  # a measure and its value, or two content words
    if tags[0] in ("d", "ad", "a") and (tags[-1] in _VERBAL or tags[-1] == "vn"):
        return "collocation"  # an adverb and its verb around a filler (积极稳妥…改革)
    if tags[0] in ("d", "ad") and len(tags) == 2 and tags[1] in NOMINAL_TAGS and lead_before_verb >= 0.5:
        return ""  # an adverb, then its verb in the gap, then that verb's object: no frame
    if tags[0] == "r" and tags[-1] not in _VERBAL:
        return ""  # a pronoun and a noun (我们…基本方针): a subject and part of its object, not a frame
    if tags[0] == "t" and tags[-1] in _HEAD_NOUN:
        return ""  # a time word and a noun (今年…政务公开日, 当前…政治形势): when, and part of what happened
    if len(tags) == 2 and tags[0] in ("r", "t") and tags[1] in _VERBAL:
        return ""  # a subject or time word and one verb (我们…贯彻, 今年…安排): a clause's parts, not a frame
    if tags[0] in _FRAME_TAGS:
        return "formula"
    return ""


_FRAME_TAGS = frozenset("p d ad c r t x zg".split())
#: tags of a noun that heads a compound (no numerals, measure words, locatives, time or distinguishing words).
_HEAD_NOUN = NOMINAL_TAGS - frozenset("m mq q f t b s".split())
_QUANTITY = frozenset("m mq q".split())
#: words that bound a quantity: the limit a target sets (控制在…以内).
_LIMITS = frozenset("以内 以上 以下 之内 左右".split())


def compound_tag(part_tags: Sequence[str]) -> str:
    """Tag of a gapped anchor the dictionary lacks (a run of words the anchor grew by, or a word
    jieba's model made up) from the tags of the dictionary words it splits into: a run that opens
    with a modifier is adverbial (积极稳妥: ``ad``), one that opens with a pronoun is a subject
    (我们不仅, 我局: ``r``), one that opens with a preposition a frame word (从源头: ``p``), one that
    opens with a verb a verb and its object (赋予农民: ``v``), one that opens with a numeral a
    quantity (多万户, 八项主张: ``m``), one that ends in a noun a noun compound (活动开展情况,
    改革发展, 城镇登记失业率: ``n``);
    ``x`` (unknown) otherwise, and when it does not split (现将 is 现 ``tg`` + 将 ``d``: ``x``).
    Unknown words are not all names: most are such runs, and their words say what they are."""
    if len(part_tags) < 2:
        return "x"
    first, last = part_tags[0], part_tags[-1]
    if first in ("a", "ad", "d", "r", "p"):
        return first  # a modifier, a subject or a preposition with its object (从源头, 向产业链)
    if first in _VERBAL:
        return "v"  # a verb and its object (赋予农民, 改善民生作为)
    if first in _QUANTITY:
        return "m"
    return "n" if last in _HEAD_NOUN else "x"


def anchor_tag(word: str, tags: dict[str, str]) -> str:
    """Tag of a gapped anchor: its dictionary tag (``tags``: word -> tag); for a word the dictionary
    lacks, the tag its dictionary words give it (:func:`compound_tag`), split into words of two or
    more characters, else of any length (我局 = 我 + 局)."""
    t = tags.get(word)
    if t is not None:
        return t
    parts = _dict_split(word, tags) if len(word) >= 3 else [word]
    if len(parts) < 2:
        parts = _dict_split(word, tags, min_chars=1)
    return compound_tag([tags.get(p, "x") for p in parts])


def gapped_lead_has_kind(tag: str) -> bool:
    """Whether a gapped pattern whose first anchor has this tag can have a kind at all (whatever its
    second anchor): lets the miner skip counting patterns :func:`decide_gapped_kind` always drops."""
    return tag in _VERBAL or tag in ("vn", "a") or tag in _FRAME_TAGS


def is_fragment(tags: Sequence[str]) -> bool:
    """A preposition and its object without the rest of the frame (在政务公开, 把政务公开工作): the
    first word is a preposition, the last nominal, and no other preposition, verb or locative
    completes it (以经济建设为中心 and 在今后的工作中 are whole)."""
    if len(tags) < 2 or tags[0] != "p" or tags[-1] not in NOMINAL_TAGS or tags[-1] == "f":
        return False
    return not any(t == "p" or t in _VERBAL for t in tags[1:])


#: one-character prepositions and coverbs that open a frame (在…中, 把…作为, 使…得到).
_COVERBS = frozenset("在 对 把 被 由 从 向 以 为 给 将 让 使".split())


def is_open_frame(tags: Sequence[str], words: Sequence[str]) -> bool:
    """A one-character preposition or coverb and what follows it with nothing that completes the frame:
    no verb, preposition, locative or lead-in word after it (在政务公开, 将政务公开, 使政务公开工作: the
    object without its predicate). Whole frames hold one (以经济建设为中心, 在中国共产党领导下)."""
    if len(words) < 2 or len(tags) != len(words) or words[0] not in _COVERBS:
        return False
    return not any(t in _VERBAL or t in ("p", "f") or w in LEAD_IN_WORDS for w, t in zip(words[1:], tags[1:]))


def is_clipped_clause(text: str, min_han: int = 3, right_closed: float = 1.0) -> bool:
    """A wording that runs over a comma into the stump of the next clause: its last comma-separated
    piece has fewer than ``min_han`` characters (发展，必须; 在今后的工作中，我们), or at most four while
    most occurrences run on without punctuation (``right_closed`` below 0.5: …不断提高政务公开工作质量，
    全力推动 + its object). A short first piece is an opener and stays (现在，我代表国务院)."""
    if "，" not in text:
        return False
    last = len(text.rsplit("，", 1)[1])
    return last < min_han or (last <= 4 and right_closed < 0.5)


def position_zones(sentence_bounds: Sequence[Sequence[tuple[int, int]]], edge: float = 0.1, cap: int = 6
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Per document, where its opening part ends and its closing part starts (offsets in its text):
    the first and last ``ceil(edge * n)`` of its ``n`` sentences, at least one and at most ``cap``
    (a report's salutation and lead-in, its final exhortation; a short summary's first and last
    sentence). ``sentence_bounds``: (start, end) of each sentence, per document. A document without
    sentences has empty zones."""
    open_end = np.zeros(len(sentence_bounds), dtype=np.int64)
    close_start = np.zeros(len(sentence_bounds), dtype=np.int64)
    for d, sb in enumerate(sentence_bounds):
        if not len(sb):
            close_start[d] = np.iinfo(np.int64).max
            continue
        z = max(1, min(cap, math.ceil(edge * len(sb))))
        open_end[d], close_start[d] = sb[z - 1][1], sb[-z][0]
    return open_end, close_start


def position_categories(group: np.ndarray, n_groups: int, totals: np.ndarray, in_open: np.ndarray,
                        in_close: np.ndarray, in_heading: np.ndarray, open_share: np.ndarray, close_share: np.ndarray,
                        heading_share: np.ndarray, min_share: float = 0.5, alpha: float = 0.01) -> list[str]:
    """Position category of many phrases at once from their occurrences (``group``: phrase number of
    each occurrence; ``totals``: occurrences per phrase; ``in_open``/``in_close``/``in_heading``: whether
    an occurrence lies in its document's opening part, closing part (:func:`position_zones`) or a
    heading; ``*_share``: per phrase, the mean share of the characters of its occurrences' documents
    that the zone holds). A phrase gets a zone's name when at least ``min_share`` of its occurrences
    lie there and that count is significantly more than the zone's share of the text predicts
    (one-sided binomial test, p < ``alpha``); a phrase used throughout its documents has none."""
    from scipy.stats import binom

    n = np.maximum(totals, 1)
    out = [""] * n_groups
    tests = (
        ("closing", in_close, np.clip(close_share, 1e-6, 1.0)),
        ("opening", in_open, np.clip(open_share, 1e-6, 1.0)),
        ("heading", in_heading, np.clip(heading_share, 1e-6, 1.0)),
    )
    for name, hit, p in tests:  # the last test passed wins: heading, then opening, then closing
        k = np.bincount(group, weights=hit.astype(np.float64), minlength=n_groups)
        ok = (k >= min_share * n) & (k > p * n) & (totals > 0)
        ok &= binom.sf(k - 1, n, p) < alpha
        for i in np.flatnonzero(ok).tolist():
            out[i] = name
    return out


# --------------------------------------------------------------------------- the dictionary's tags


def _dict_split(word: str, tags: dict[str, str], idioms: bool = False, min_chars: int = 2) -> list[str]:
    """``word`` split into dictionary words of ``min_chars`` or more characters, longest first from the
    left; the word itself when it does not split that way, or when it is an idiom and ``idioms`` is
    false (the dictionary tags many compositional entries such as 充分发挥 or 继续加强 as nouns)."""
    if tags.get(word) == "i" and not idioms:
        return [word]
    out, i = [], 0
    while i < len(word):
        for j in range(len(word) if i else len(word) - 1, i + min_chars - 1, -1):
            if word[i:j] in tags:
                out.append(word[i:j])
                i = j
                break
        else:
            return [word]
    return out


_HAN_START = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")  # as formula_records._HAN_RE


def dictionary_words(text: str, inner: Sequence[int], tags: dict[str, str],
                     cache: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Words of ``text`` as segmented where it occurs (``inner``: the word boundaries inside that
    occurrence, as offsets) and their tags; a word the dictionary lacks or tags as a fixed
    expression (``l``) is split into the dictionary words it is made of. ``cache`` keeps each
    word's split (one per fit)."""
    cut = [0, *inner, len(text)]
    words: list[str] = []
    out_tags: list[str] = []
    for x, y in zip(cut[:-1], cut[1:]):
        w = text[x:y]
        got = cache.get(w)
        if got is None:
            if not _HAN_START.match(w):
                got = ((), ())
            else:
                # long dictionary entries are often compositional (充分发挥 is tagged as a noun)
                parts = _dict_split(w, tags) if len(w) >= 4 or tags.get(w, "l") == "l" else [w]
                got = (tuple(parts), tuple(word_tag(p, tags) for p in parts))
            cache[w] = got
        words.extend(got[0])
        out_tags.extend(got[1])
    return tuple(words), tuple(out_tags)


def word_tag(w: str, tags: dict[str, str]) -> str:
    """A word's tag; a word the dictionary lacks is a noun (one character: ``x``)."""
    t = tags.get(w)
    return t if t is not None else ("n" if len(w) > 1 else "x")
