"""Top-level parts of a document, however they are marked.

A genre's real parts (opening, review, tasks, the government's own conduct, closing, appendices) are
not always numbered ``一、``. :func:`find_parts` cuts a document's body into its top-level parts and
records how each was found:

``preamble``
    text before the first top-level part (title block, salutation, the address);
``numbered``
    a numbered heading of the document's top series (``一、`` or, when the document opens with it,
    ``（一）``); a numbered series that restarts at ``一`` inside another part is nested, not top level
    (an ambiguous number is resolved by the shape of the heading line: a nested series' headings end
    like sentences, the top series' do not); a number that skips one (``三、`` after ``一、``) is a top
    heading too when the missing number comes nowhere in the series, no nested series is open and its
    line has the last top heading's shape: the source lost a heading; a series whose every item runs into
    its text (or ends like a sentence) while the numbering starts again later is an enumeration in the
    text, not chapters (a report whose chapter headings the source lost);
``unnumbered_heading``
    a short heading line without a number and without final sentence punctuation, followed by body text, in
    a document whose first heading is such a line (slogans and 关于… headings of older reports, or chapters
    that lost their numbers); the numbered series under it are nested. Body text is a long line ending in
    punctuation, the first item ``（一）`` or ``一、`` of a nested series, or -- in a source with one sentence or
    clause a line -- a sentence or clause that with the line after it is longer than the heading; a
    speaker's line (``国务院总理 李鹏``, before ``各位代表：``), the first clause of a sentence cut at a line break
    (``做好政府工作，要``), a line ending on a copula or announcing a list (``主要措施是``, ``…如下``) and the report's
    announcement (``现在，我代表…``) are not headings. Where the numbered series starts at ``二、`` or later after
    such lines (no more of them than numbers are missing), they are its first chapters, which lost their
    numbers, and the series is the top level; a single such line at most one paragraph before a numbered
    series starting at ``一、`` is the series' lead-in, not a chapter holding it. A series of two headings or
    more starting at ``二、`` or later is the top level even after ``（一）`` items (the first chapter's heading
    lost) when a ``（一）`` follows its first heading, and a document's first line followed by its body or its
    first ``（一）`` is then that heading, not a title, when it is no longer than the series' headings and has
    none of a title's wording (a year, ``关于…``, a bracketed ``（摘要）``); so is the line right after a title
    so worded;
``unheaded``
    a long preamble's body after the address (``现在，我代表…报告…``): a part without a heading, introduced at most
    by a one-sentence announcement (``首先报告2001年的工作。``);
``unheaded_coda``
    in the last top-level part, the paragraphs from a ``各位代表！`` address that follows every nested heading of
    that part (and is not the last one's only paragraph): the unheaded coda the genre puts after its last
    task. When the coda opens on the government's own work (``各级政府要…``, ``对政府工作提出新的更高要求``), the next address
    starts a second coda: the chain of per-subject addresses (ethnic affairs, defence, Hong Kong and Macao,
    foreign policy). A report without any address after its last task's sub-sections has its coda at the
    first paragraph there that opens on ``政府工作``/``政府自身``;
``closing``
    the final paragraph(s) when they use the closing formulae (``让我们…``, ``团结在…周围``, ``…而奋斗``, ``再上新台阶`` …,
    a peroration opener such as ``总之``/``回顾过去``, a short last paragraph ending in ``！``, or a summary's last
    paragraph turning to the work ahead, ``在今后的工作中，…`` or ``下一步，…``, summing up, ``通过此次活动，…`` or
    ``一年来，…``, or, after a last chapter that is not the plans, turning to the next year, ``2024年，我们将…``),
    reaching back over an
    address or opener right before them, to a bare ``各位代表！`` line at most two paragraphs before, and to a
    peroration opener (``回顾过去``, ``总之`` …) at most six paragraphs before when no address opens it, and to
    the first half of its first sentence when a source with one sentence a line cut it at its semicolon;
    trailing ``…万岁！`` lines belong to it, and so does a last paragraph that only repeats the end of the one
    before it (a scraping error); it never takes the only paragraph after the last heading line, a chapter's
    or a nested section's (with a bare ``各位代表！`` before it): that section keeps it, and when nothing would
    be left, or the paragraph is a sentence cut at a line break, the section is the closing and keeps it
    all. The last of several coda addresses, when its block is short and rallies with the closing formulae,
    is the closing's own address; a report that ends on no closing formula has its last short address block
    (at most ``MAX_CLOSING_CHARS``) as its closing;
``appendix``
    from a ``注释``/``名词解释``/``附件`` line to the end.

A document whose text runs on without line breaks (a scraped page flattened to one paragraph) is read
as if each inline ``一、``, ``二、``, … of a series (after a sentence end) and each inline ``各位代表！``
began a line; offsets are those of the document's own text.

The parts tile the document's body (signature and date lines, which belong to no section, excepted) in
order; each keeps its clean and raw offsets. Pure rules over :class:`~gkcorpus.structure.DocStructure`,
which is not changed.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Sequence

from ..text.structure import chinese_numeral, parse_structure
from .own_conduct import ADDRESS as _ADDRESS
from .own_conduct import opens_on_own_conduct

if TYPE_CHECKING:  # pragma: no cover
    from ..corpus import Document

__all__ = ["Part", "find_parts", "numbering_gaps", "HOW", "MAX_UNNUMBERED_HEADING"]

HOW = ("preamble", "numbered", "unnumbered_heading", "unheaded", "unheaded_coda", "closing", "appendix")
MAX_UNNUMBERED_HEADING = 30  # an unnumbered heading line is at most this long
MIN_UNHEADED = 1500
MAX_CLOSING_CHARS = 600  # a last paragraph ending in ！ is a closing when at most this long
PERORATION_REACH = 6  # a closing opened by a peroration opener starts at most this many paragraphs before the last
RUN_ON_CHARS = 3000  # a paragraph longer than this is searched for inline top-level headings

_TERMINAL_END = "。！？；：!?;:，,、…"
_BARE_ADDRESS = re.compile(r"^各位代表(?:[、，,]同志们)?[！!：:]?$")
_REPORTS = re.compile(r"报告|汇报|审议|如下")
_CLOSING = re.compile(
    r"让我们|团结在.{0,40}周围|团结一致|(?:而|为此)(?:共同|继续|不懈|努力)?奋斗[！!。]?$|努力奋斗|万岁"
    r"|再上新台阶|再创新辉煌|新的更大(?:的)?(?:贡献|成绩|胜利)|开创.{0,20}新局面[！!。]?$|奋勇前进|胜利前进"
)
_OWN_WORK = re.compile(r"政府工作|政府自身")  # the same, without an address to open it: a stricter opener
_OWN_YEAR = re.compile(r"^(?:今年|(?:19|20)\d\d年)是")  # the turn to the report's own year: 今年是…, 2002年是…
_PERORATION = re.compile(r"^(?:总之|总的来看|总起来说|回顾过去|展望未来|综观)")  # openers of a peroration
# a last paragraph turning to the work ahead (the closing of a work summary): 在今后的工作中，我们将…; 下一步，我局将…
_AHEAD = re.compile(r"^(?:在今后(?:的)?工作中|下一步)[，,]")
# a summary's last paragraph summing up the work (通过此次活动，…; 一年来，…), or, when the last chapter is not the
# plans, turning to the next year (2024年，我们将继续…)
_SUMMING_UP = re.compile(r"^(?:通过(?:此次|这次|本次)|一年来[，,]|总的来说|综上所述)")
_NEXT_YEAR = re.compile(r"^(?:(?:19|20)\d\d年|今后|明年|新的一年)[，,][^，。]{0,12}将(?:继续|进一步|坚持|以|紧紧|着力|持续"
                        r"|全力|围绕|重点|聚焦|深入|不断|按照|努力|切实|大力|加快|积极)")  # not 将 marking an object, 将近
_PLANS = re.compile(r"下一?步|今后|打算|计划|思路|安排|展望|方向|要点|重点$|谋划")
_APPENDIX = re.compile(r"^(?:附[件录注]?[一二三四五六七八九\d]*|注释|注|名词解释|说明|参考资料)[：:]?$")
# a line whose last clause is one or two characters after a longer one (做好政府工作，要 / 必须) is the first half of
# a sentence cut at a line break, not a heading (a slogan's clauses are phrases of their own, 加强领导，落实责任, and
# items listed with commas are alike, 科学，教育); nor is a line ending on a copula or announcing what follows
# (主要措施是, 现将有关情况报告如下), nor the address announcing the report (现在，我代表…)
_DANGLING = re.compile(r"[^，,]{3,}[，,][^，,]{1,2}$|(?<!实事求)是$|如下$|^(?:现在[，,])?我代表")
_LIST_START = re.compile(r"^(?:第[一二三四五六七八九十]+[，,、：:]|[一二三四五六七八九十]+是)")
_TITLE_LINE = re.compile(r"^(?:[—－-]{1,2}|.*(?:报告|总结|方案|计划|讲话)$|.*(?:总理|主任|主席|省长|市长)\s*\S{2,4}$)")
_TITLE_WORDS = re.compile(r"\d{4}|[〇零一二三四五六七八九]{4}年|^关于|[）)]$")  # a year, 关于…, （摘要）: a title's wording
_L1 = re.compile(r"^[一二三四五六七八九十]{1,3}[、．.]")
_L2 = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")
_INLINE_L1 = re.compile(r"(?<=[。！？”])\s*(?=([一二三四五六七八九十]{1,3})、)")
_INLINE_ADDRESS = re.compile(r"(?<=[。！？”])\s*(?=各位代表[！!])")


@dataclass(frozen=True)
class Part:
    """One top-level part: its place in the document, its heading ("" when unheaded) and how it was found."""

    doc_id: str
    index: int
    start: int
    end: int
    raw_start: int
    raw_end: int
    heading: str
    marker: str
    how: str
    n_paragraphs: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Head:
    para: int
    family: str  # "L1" | "L2" | "U"
    number: int  # 0 for unnumbered
    marker: str
    text: str
    sentence_like: bool  # the heading line ends like a sentence or runs into body text


def _heading_candidates(doc: "Document", body: Sequence[int]) -> list[_Head]:
    """Numbered level-1/level-2 headings at paragraph starts and unnumbered heading lines."""
    st = doc.structure
    text = doc.text
    paras = st.paragraphs
    by_start = {h.start: h for h in st.headings if h.level in (1, 2)}
    title_end = _title_block_end(doc, body)
    out: list[_Head] = []
    for j, k in enumerate(body):
        p = paras[k]
        line = text[p.start:p.end]
        h = by_start.get(p.start)
        if h is not None:
            num = chinese_numeral(_numeral(h.marker)) or 0
            out.append(_Head(k, "L1" if h.level == 1 else "L2", num, h.marker, h.text,
                             h.run_in or line.rstrip("”’」）)")[-1:] in "。！？；"))
            continue
        if j < title_end or j + 1 >= len(body):
            continue
        nxt = text[paras[body[j + 1]].start:paras[body[j + 1]].end]
        nxt2 = text[paras[body[j + 2]].start:paras[body[j + 2]].end] if j + 2 < len(body) else ""
        if (len(line) <= MAX_UNNUMBERED_HEADING and line[-1] not in _TERMINAL_END and not _LIST_START.match(line)
                and not _BARE_ADDRESS.match(line) and not _APPENDIX.match(line) and not _DANGLING.search(line)
                and not _L1.match(line) and not _L2.match(line)
                and (_body_follows(line, nxt, nxt2) or _opens_series(by_start.get(paras[body[j + 1]].start)))):
            out.append(_Head(k, "U", 0, "", line, False))
    # a document opening on a short line with body (or its first （一） item) after it, and a chapter series that
    # starts at 二、 or later: the line is the first chapter's heading, which lost its number, not a title -- when it
    # is no longer than those chapters' headings and names no year, no subject of 关于 and no bracketed edition
    # (or the line after a title so worded, when no opening paragraph comes between)
    run = _headless_series(out)
    lines = [text[paras[k].start:paras[k].end] for k in body[:4]]
    titled = lambda x: bool(_TITLE_LINE.match(x) or _TITLE_WORDS.search(x))  # noqa: E731
    for i in (0, 1) if run and len(body) > 3 else ():
        if i == 1 and not titled(lines[0]):
            break
        opens_items = any(c.para == body[i + 1] and c.family == "L2" and c.number == 1 for c in out)
        line, nxt, nxt2 = lines[i:i + 3]
        if ((title_end == i + 1 or opens_items) and len(line) <= max(len(c.text) for c in run) and not titled(line)
                and line[-1] not in _TERMINAL_END and not _DANGLING.search(line) and _body_follows(line, nxt, nxt2)):
            out.insert(0, _Head(body[i], "U", 0, "", line, False))
            break
    return out


def _headless_series(cands: Sequence[_Head], nested: bool = False) -> list[_Head]:
    """The chapter headings of a numbered series that lost its first heading(s): the ``一、`` candidates when they
    start at 二 or later with at least two consecutive numbers, none running into its text (else empty: one stray
    ``二、三月份…`` line is no series); with ``nested``, also a ``（一）`` after the first of them."""
    l1 = [c for c in cands if c.family == "L1"]
    if len(l1) < 2 or l1[0].number < 2:
        return []
    run = [l1[0]]
    for c in l1[1:]:
        if c.number == run[-1].number + 1:
            run.append(c)
    if len(run) < 2 or any(c.sentence_like for c in run):
        return []
    if nested and not any(c.family == "L2" and c.number == 1 and c.para > run[0].para for c in cands):
        return []
    return run


def _opens_series(h: Any) -> bool:
    """Whether heading ``h`` (or None) is the first ``一、`` heading of a series, on a line of its own."""
    return h is not None and h.level == 1 and chinese_numeral(_numeral(h.marker)) == 1 and not h.run_in


def _body_follows(line: str, nxt: str, nxt2: str) -> bool:
    """Whether the lines after a short unpunctuated ``line`` are body text, so that it is a heading: the first
    item of a series nested under it (``（一）``), a long line ending in punctuation (a sentence, a clause of
    a source with one sentence or clause a line, or ： announcing a list), or a shorter sentence or clause
    that, with the next line when it too ends in punctuation, is longer than the heading (an address line
    such as 各位代表： after a speaker's name is not body text)."""
    if _BARE_ADDRESS.match(nxt) or (_ADDRESS.match(nxt) and len(nxt) <= 6):
        return False  # 各位代表： after the speaker's name
    if _L2.match(nxt) and nxt.startswith(("（一）", "(一)")):
        return True
    if nxt[-1] not in "。！？；：”，、":
        return False
    if len(nxt) > MAX_UNNUMBERED_HEADING:
        return True
    more = nxt2 if nxt2[-1:] in tuple("。！？；”，、") else ""
    return nxt[-1] != "：" and len(nxt) + len(more) > len(line)


def _title_block_end(doc: "Document", body: Sequence[int]) -> int:
    """Index (into ``body``) of the first paragraph after the title block: title, date line, speaker."""
    text, paras = doc.text, doc.structure.paragraphs
    for j, k in enumerate(body[:8]):
        line = text[paras[k].start:paras[k].end]
        if line[-1] in "。！？；：:!" or _ADDRESS.match(line) or len(line) > 60:
            return j
        if not _TITLE_LINE.match(line) and j >= 1 and len(line) > MAX_UNNUMBERED_HEADING:
            return j
    return 0


def _top_heads(cands: list[_Head]) -> list[_Head]:
    """The candidates of the document's top series (see the module docstring)."""
    if not cands:
        return []
    appendix_free = cands
    top = appendix_free[0].family
    if top == "L2" and _headless_series(appendix_free, nested=True):
        top = "L1"  # the first chapter's heading lost, its items (（一）…) come first: the chapters are the top series
    if top == "U":
        unnumbered = [c for c in appendix_free if c.family == "U"]
        numbered = [c for c in appendix_free if c.family == "L1"]
        # a numbered series starting at 二 (or later) after no more unnumbered lines than numbers are missing: those
        # lines are its first headings, which lost their numbers (一、 dropped by a scrape); the series is the top
        lead = [c for c in unnumbered if numbered and c.para < numbered[0].para]
        if numbered and 1 <= len(lead) <= numbered[0].number - 1:
            return lead + _top_heads(numbered)
        # a single unnumbered line before a numbered series of two chapters or more is a lead-in: nesting the
        # series under it would leave the document one chapter
        if len(unnumbered) == 1 and lead and numbered[0].number == 1 and numbered[0].para - lead[0].para <= 2:
            series = _top_heads(numbered)
            if len(series) >= 2:
                return series
        return unnumbered
    series = [c for c in appendix_free if c.family == top]
    out: list[_Head] = []
    outer = 0
    inner: _Head | None = None
    last_top: _Head | None = None
    for c in series:
        as_top = c.number == outer + 1
        as_inner = (inner is not None and c.number == inner.number + 1) or (c.number == 1 and outer >= 1)
        if as_top and as_inner and inner is not None and last_top is not None:
            # ambiguous: the shape of the line decides (nested items end like sentences)
            as_top = c.sentence_like == last_top.sentence_like or c.sentence_like != inner.sentence_like
        # a number skipping one, where no section of the part is open and the missing number comes nowhere in
        # the series, with the shape of the last top heading: a top heading whose predecessor the source lost
        lost = (c.number == outer + 2 and inner is None and last_top is not None
                and c.sentence_like == last_top.sentence_like and not any(x.number == outer + 1 for x in series))
        if as_top or (outer == 0 and not as_inner) or lost:
            out.append(c)
            outer, inner, last_top = c.number, None, c
        elif as_inner:
            inner = c
        # anything else (a number out of any sequence) stays inside the current part
    if out and all(c.sentence_like for c in out) and any(c.number == 1 for c in series if c not in out):
        return []  # every "chapter" runs into its text and the numbering starts again: enumerations, not chapters
    return out


@dataclass
class _Relined:
    """A stand-in for a document whose run-on text got line breaks: ``breaks`` are the offsets, in the
    re-lined text, of the inserted ``\\n``; an offset maps back by subtracting the breaks before it."""

    id: str
    text: str
    structure: Any
    breaks: list[int]
    doc: Any

    def back(self, i: int) -> int:
        import bisect

        return i - bisect.bisect_left(self.breaks, i)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        return self.doc.raw_span(self.back(start), self.back(end))


def _relined(doc: "Document") -> _Relined | None:
    """The document with a line break before every inline top-level heading of a 一、二、… series and
    every inline 各位代表！ in its run-on paragraphs (None when it has none)."""
    text = doc.text
    cuts: list[int] = []
    for p in doc.structure.paragraphs:
        if p.end - p.start <= RUN_ON_CHARS:
            continue
        chunk = text[p.start:p.end]
        series, expect = [], 1
        for m in _INLINE_L1.finditer(chunk):
            if chinese_numeral(m.group(1)) == expect:
                series.append(p.start + m.end())
                expect += 1
        if len(series) < 2:  # not a series: a lone 一、 is an enumeration inside a sentence
            continue
        cuts += series + [p.start + m.end() for m in _INLINE_ADDRESS.finditer(chunk)]
    if not cuts:
        return None
    cuts = sorted(set(cuts))
    pieces, last = [], 0
    for c in cuts:
        pieces.append(text[last:c])
        last = c
    pieces.append(text[last:])
    new = "\n".join(pieces)
    return _Relined(doc.id, new, parse_structure(new), [c + j for j, c in enumerate(cuts)], doc)


def find_parts(doc: "Document") -> list[Part]:
    """The document's top-level parts in order (see the module docstring for the kinds)."""
    rel = _relined(doc)
    if rel is not None:
        out = []
        for p in _find_parts(rel):
            s, e = rel.back(p.start), rel.back(p.end)
            while e > s and doc.text[e - 1].isspace():  # the space the break followed
                e -= 1
            rs, re_ = doc.raw_span(s, e)
            out.append(Part(p.doc_id, p.index, s, e, rs, re_, p.heading, p.marker, p.how, p.n_paragraphs))
        return out
    return _find_parts(doc)


def _numeral(marker: str) -> str:
    """The number of a heading marker (``（三）`` -> 三)."""
    return re.sub(r"[（()）、．.\s]", "", marker)


def numbering_gaps(parts: Sequence[Part]) -> list[dict[str, Any]]:
    """Where a document's numbered top-level parts skip a number (一、 then 三、; a series opening at 二、):
    ``{"doc_id", "missing", "before"}`` per gap, the missing numbers as markers of the series' form. A heading
    the source lost, or a chapter it dropped, is read over without a word otherwise."""
    cn = "一二三四五六七八九十"
    out: list[dict[str, Any]] = []
    prev: dict[str, int] = {}
    for p in parts:
        if p.how != "numbered":
            continue
        n = chinese_numeral(_numeral(p.marker))
        if n is None:
            continue
        last = prev.get(p.doc_id, 0)
        if n > last + 1 and n <= 10:  # markers written out for the first ten numbers
            form = p.marker.replace(_numeral(p.marker), "{}")
            out.append({"doc_id": p.doc_id, "missing": [form.format(cn[k - 1]) for k in range(last + 1, n)],
                        "before": p.marker})
        prev[p.doc_id] = n
    return out


def _find_parts(doc: Any) -> list[Part]:
    st = doc.structure
    text = doc.text
    paras = st.paragraphs
    body = [p.index for p in paras if p.kind != "closing"]
    if not body:
        return []
    # ---- appendix: from an appendix line to the end
    app = next((j for j, k in enumerate(body) if j > 0 and _APPENDIX.match(text[paras[k].start:paras[k].end])), None)
    main = body if app is None else body[:app]
    cands = _heading_candidates(doc, main)
    heads = _top_heads(cands)
    starts: list[tuple[int, str, str, str]] = []  # (index into main, how, marker, heading)
    pos = {k: j for j, k in enumerate(main)}
    for h in heads:
        starts.append((pos[h.para], "numbered" if h.family != "U" else "unnumbered_heading", h.marker, h.text))
    first = starts[0][0] if starts else len(main)
    # ---- a long preamble: the address, then an unheaded part
    if first > 0:
        starts.insert(0, (0, "preamble", "", ""))
        for k, (at, announce) in enumerate(_unheaded_in_preamble(doc, main[:first])):
            starts.insert(1 + k, (at, "unheaded", "", announce))
    # ---- closing formulae at the end
    close = _closing_start(doc, main)
    close = _closing_after_heading(doc, main, close, {c.para for c in cands})
    # ---- the coda: a 各位代表 address after every nested heading of the last top-level part
    lines = [text[paras[k].start:paras[k].end] for k in main]
    if starts:
        last_start = starts[-1][0]
        nested = [pos[c.para] for c in cands if c.para in pos and pos[c.para] > last_start]
        after = max(nested, default=last_start)
        # the coda follows at least one body paragraph of the last part (a heading that runs into its body
        # is one)
        run_in = len(lines[last_start]) > MAX_UNNUMBERED_HEADING
        lo = max(after + 1, last_start + (1 if run_in else 2))
        # nor does an address that is the only paragraph of the last nested heading open a coda
        lo_addr = lo if after == last_start or len(lines[after]) > MAX_UNNUMBERED_HEADING else max(lo, after + 2)
        hi = close if close is not None else len(main)
        codas = [j for j in range(lo_addr, hi) if _is_address(lines[j]) and (j < hi - 1 or not _BARE_ADDRESS.match(lines[j]))
                 and not (j > lo_addr and _BARE_ADDRESS.match(lines[j - 1]))]  # a bare address line opens the next
        block = lines[codas[-1]:hi] if codas else []
        if (codas and sum(len(x) for x in block) <= MAX_CLOSING_CHARS
                and (close is None or (len(codas) > 1 and any(_CLOSING.search(x) for x in block)))):
            # the last short address block is the closing's own address (rallying with the closing formulae
            # after a chain of addresses), or, when no closing formula ends the document, the closing itself
            close, hi = codas[-1], codas[-1]
            codas = codas[:-1]
        if not codas and after > last_start and len(heads) > 1:
            # no address after the last task's sub-sections: the first paragraph that opens on the government's
            # own work (政府工作, 政府自身…) starts the coda
            codas = [j for j in range(lo, hi) if _OWN_WORK.search(re.split(r"[。！？]", lines[j], maxsplit=1)[0])][:1]
        for coda in _coda_starts(codas, hi, lines):
            if coda > last_start and (close is None or coda < close):
                starts.append((coda, "unheaded_coda", "", ""))
    if close is not None and (not starts or close > starts[-1][0]):
        starts.append((close, "closing", "", ""))
    elif close is not None and starts and close == starts[-1][0] and starts[-1][1] in ("unheaded_coda",):
        starts[-1] = (close, "closing", "", "")
    if not starts:
        starts.append((0, "preamble", "", ""))
    # ---- tile
    bounds = [(j, how, m, hd) for j, how, m, hd in starts]
    out: list[Part] = []
    for i, (j, how, marker, heading) in enumerate(bounds):
        j_end = bounds[i + 1][0] if i + 1 < len(bounds) else len(main)
        if j_end <= j:
            continue
        out.append(_part(doc, len(out), main[j], main[j_end - 1], heading, marker, how, j_end - j))
    if app is not None:
        ks = body[app:]
        head = text[paras[ks[0]].start:paras[ks[0]].end].rstrip("：:")
        out.append(_part(doc, len(out), ks[0], ks[-1], head, "", "appendix", len(ks)))
    return out


def _closing_after_heading(doc: Any, main: Sequence[int], close: int | None, heading_at: set[int]) -> int | None:
    """Where the closing starts when, reaching back over an address, it would leave the last heading line (a
    chapter's, or a section's in it) no body: that heading keeps its first paragraph (and the bare 各位代表！ line
    before it); when nothing is left, or that paragraph is a sentence cut at a line break, the heading's section
    is the closing and keeps it all (None)."""
    text, paras = doc.text, doc.structure.paragraphs
    line = lambda j: text[paras[main[j]].start:paras[main[j]].end]  # noqa: E731
    if close is None or close == 0 or main[close - 1] not in heading_at or len(line(close - 1)) > MAX_UNNUMBERED_HEADING:
        return close
    keep = close + (2 if _BARE_ADDRESS.match(line(close)) else 1)
    cut = keep <= len(main) and line(keep - 1)[-1:] in "；;，,、：:"
    return keep if keep < len(main) and not cut else None


def _coda_starts(addresses: Sequence[int], end: int, lines: Sequence[str]) -> list[int]:
    """Where the unheaded parts after the last task begin, given the addresses (各位代表…) found there.

    The first address opens the coda. When its block opens on the government's own conduct
    (:data:`~gkcorpus.outline.own_conduct.OWN_CONDUCT_OPENER` in its first sentence: ``对政府工作提出…要求``, ``各级政府要…``), that block is
    the government's self-improvement and the next address starts another part: the chain of short
    blocks the genre addresses to the deputies one subject at a time (ethnic affairs, defence, Hong Kong
    and Macao, Taiwan, foreign policy), kept as one part. A coda that opens on another subject is that
    chain itself."""
    if not addresses:
        return []
    out = [addresses[0]]
    if len(addresses) > 1 and _opens_on_own_conduct(lines, addresses[0]):
        out.append(addresses[1])
    return out


def _opens_on_own_conduct(lines: Sequence[str], j: int) -> bool:
    """Whether the block at ``lines[j]`` (an address line, bare or not) opens on the government's own conduct."""
    return opens_on_own_conduct(lines[j] if not _BARE_ADDRESS.match(lines[j]) or j + 1 >= len(lines) else lines[j + 1])


def _is_address(line: str) -> bool:
    return bool(_ADDRESS.match(line) or _BARE_ADDRESS.match(line))


def _part(doc: "Document", index: int, k0: int, k1: int, heading: str, marker: str, how: str, n: int) -> Part:
    paras = doc.structure.paragraphs
    s, e = paras[k0].start, paras[k1].end
    rs, re_ = doc.raw_span(s, e)
    return Part(doc.id, index, s, e, rs, re_, heading, marker, how, n)


def _unheaded_in_preamble(doc: "Document", pre: Sequence[int]) -> list[tuple[int, str]]:
    """(start index, announcement) of each unheaded part in a long preamble: the first after the address
    paragraph, and a second where a paragraph turns to the report's own year (``今年是…``, ``2002年是…``
    with the year of the title line: :data:`_OWN_YEAR`), the year's part after the review."""
    text, paras = doc.text, doc.structure.paragraphs
    lines = [text[paras[k].start:paras[k].end] for k in pre]
    addr = next((j for j, line in enumerate(lines[:10]) if _REPORTS.search(line) and line[-1] in "。：:"), None)
    if addr is None or addr + 1 >= len(lines):
        return []
    rest = lines[addr + 1:]
    if sum(len(x) for x in rest) < MIN_UNHEADED or len(rest) < 3:
        return []
    first = rest[0]
    announce = first.rstrip("。：:") if len(first) <= MAX_UNNUMBERED_HEADING and first.count("。") <= 1 else ""
    out = [(addr + 1, announce)]
    title_year = re.search(r"(?:19|20)\d\d(?=年)", lines[0]) if lines else None
    own = ("今年",) + ((title_year.group() + "年",) if title_year else ())
    turn = next((j for j in range(2, len(rest)) if _OWN_YEAR.match(rest[j]) and rest[j].startswith(own)), None)
    if turn is not None:
        out.append((addr + 1 + turn, ""))
    return out


def _ends_on_plans(doc: "Document", at: int) -> bool:
    """Whether the outermost chapter before offset ``at`` is the plans (下一步工作打算, 2024年工作思路): a paragraph turning
    to the next year is then its own, not a closing."""
    heads = doc.structure.headings
    top = min((h.level for h in heads), default=0)
    last = [h for h in heads if h.level == top and h.start < at]
    return bool(last) and bool(_PLANS.search(last[-1].text))


def _closing_start(doc: "Document", main: Sequence[int]) -> int | None:
    """Index (into ``main``) where the closing formulae begin, or None."""
    text, paras = doc.text, doc.structure.paragraphs
    heading_starts = {h.start for h in doc.structure.headings}
    lines = [text[paras[k].start:paras[k].end] for k in main]
    j = len(lines) - 1
    # trailing 万岁 lines, and a last paragraph that only repeats the end of the one before it (a scrape's
    # duplicate), belong to the closing but do not decide it
    while j > 0 and (("万岁" in lines[j] and len(lines[j]) <= 40) or (lines[j] and lines[j - 1].endswith(lines[j]))):
        j -= 1
    if j <= 0 or paras[main[j]].start in heading_starts or paras[main[j - 1]].kind == "heading":
        return None  # a paragraph right under a heading line is that section's own body
    if not (_CLOSING.search(lines[j]) or _PERORATION.match(lines[j]) or _AHEAD.match(lines[j])
            or _SUMMING_UP.match(lines[j]) or (_NEXT_YEAR.match(lines[j]) and not _ends_on_plans(doc, paras[main[j]].start))
            or (lines[j].endswith("！") and len(lines[j]) <= MAX_CLOSING_CHARS)):
        return None
    # the peroration may open a little earlier: with an address (各位代表！…) or an opener (回顾过去…),
    # or with a bare 各位代表！ line at most two paragraphs before -- unless it opens with an address itself
    first = j
    for k in range(j - 1, max(0, j - 3) if not _ADDRESS.match(lines[j]) else j - 1, -1):
        if paras[main[k]].start in heading_starts or paras[main[k]].kind == "heading":
            break
        if _BARE_ADDRESS.match(lines[k]) or (k == j - 1 and (_ADDRESS.match(lines[k]) or _PERORATION.match(lines[k]))):
            first = k
    # a peroration opened by 回顾过去/总之… runs over several paragraphs to the formula: unless an address
    # already opens the closing, reach back to the opener within the last few paragraphs (no heading or
    # address between), and to a bare address right before it
    for k in range(first - 1, max(0, j - PERORATION_REACH) - 1, -1):
        if (_is_address(lines[first]) or _is_address(lines[k]) or paras[main[k]].start in heading_starts
                or paras[main[k]].kind == "heading"):
            break
        if _PERORATION.match(lines[k]):
            first = k - 1 if k > 0 and _BARE_ADDRESS.match(lines[k - 1]) else k
            break
    # the closing's first line may be the second half of a sentence cut at its semicolon (a source with one
    # sentence a line: 回顾五年的成就，令人鼓舞；/ 展望未来发展，…): the closing starts with the first half, and
    # with a bare address right before it
    k = first
    while (k > 1 and lines[k - 1].endswith(("；", ";")) and paras[main[k - 1]].start not in heading_starts
           and paras[main[k - 1]].kind != "heading"):
        k -= 1
    if k < first:
        first = k - 1 if _BARE_ADDRESS.match(lines[k - 1]) else k
    return first
