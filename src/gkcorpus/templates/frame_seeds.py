"""Clause candidates of the frame miner: clauses ending in a quantity (``opening{TEXT}{NUM}``,
``{TEXT}predicate{PERCENT}``) and constructions fixed at both edges of a clause
(``opening{TEXT}ending``). A mixin of :class:`~gkcorpus.templates.frames.FrameMiner`, whose
parameters it reads."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Sequence

from .frame_cands import OneClauseInstances, _Cand, _content_ok
from .frame_filters import edge_cohesion
from .frame_model import _HAN, _NUM_TAIL, Clause, _balanced, _han
from .frame_slots import BASE_YEAR_RE as _BASE_YEAR, is_measure, is_measure_change, is_predicate as _is_predicate, quantity_kind

__all__: list[str] = []

_YEAR_MARK = "\x01"  # a base year inside a predicate before a number
_HEAD_HAN = re.compile("[\u4e00-\u9fff]{1,3}")
_TAIL_HAN = re.compile("[\u4e00-\u9fff]{1,3}$")


class _ClauseSeeds:
    """The numeric and clause-edge candidates of the frame miner."""

    def _numeric_candidates(self, clauses: Sequence[Clause], c_doc: Sequence[int], m: int) -> list[_Cand]:
        """Frames of clauses ending in a quantity: ``opening{TEXT}{NUM}`` keyed by the clause opening
        (2 to ``max_affix`` characters) and the kind of the quantity (a percent, an amount of money,
        another number: a growth rate and a level are two frames), and ``{TEXT}predicate{NUM}`` keyed
        by the words right before the number when they are a predicate (:func:`_is_predicate`) after
        other words in most of its clauses (``{TEXT}比上年增长{PERCENT}``: the measure varies, the
        comparison is the frame). A bound after the number (左右, 以内 …) and a range are part of the
        value: ``国内生产总值增长{PERCENT}`` holds 8%左右, 7.5% and 6.5%－7%."""
        table: dict[tuple[str, str], list[tuple[int, int, str, str]]] = defaultdict(list)
        before: dict[tuple[str, str], list[tuple[int, int, str, str]]] = defaultdict(list)
        for i, c in enumerate(clauses):
            mt = _NUM_TAIL.search(c.text)
            if not mt:
                continue
            head = c.text[: mt.start()]
            after = quantity_kind(mt.group(0))
            for k in range(2, min(self.max_affix, len(head)) + 1):
                if _HAN.match(head[k - 1]):
                    table[(head[:k], after)].append((c_doc[i], i, head[k:], mt.group(0)))
            # a base year inside the predicate is a slot of its own (比一九五二年增长, 比上年增长)
            marked = _BASE_YEAR.sub(_YEAR_MARK, head)
            years = _BASE_YEAR.findall(head)
            # a key is a proper tail of the clause opening, or the whole of a long one (a measure
            # and its predicate beyond the openings the opening table holds)
            for k in range(4, min(2 * self.max_affix, len(marked) - (len(marked) <= self.max_affix)) + 1):
                if not (_HAN.match(marked[-k]) or marked[-k] == _YEAR_MARK):
                    break
                key = marked[-k:]
                n_years = key.count(_YEAR_MARK)
                own = years[len(years) - n_years:] if n_years else []
                size = len(key) - n_years + sum(map(len, own))
                before[(key, after)].append((c_doc[i], i, head[: len(head) - size], (*own, mt.group(0))))
        out = []
        for (h, after), rows in table.items():
            if len(rows) < m:  # fewer clauses than documents needed
                continue
            ds = {r[0] for r in rows}
            if len(ds) < m or _han(h) < 2:
                continue
            longer = {h + r[2][:1] for r in rows if r[2]}
            if any(len({r[0] for r in table.get((x, after), ())}) == len(ds) for x in longer):
                continue  # a longer opening has the same documents
            if any(r[2] for r in rows):
                pieces, types = [h, "", ""], ["TEXT", after]
                inst = OneClauseInstances.from_rows((d, i, (mid, num)) for d, i, mid, num in rows)
            else:
                pieces, types = [h, ""], [after]
                inst = OneClauseInstances.from_rows((d, i, (num,)) for d, i, _, num in rows)
            out.append(_Cand(pieces, types, inst, _content_ok(pieces, types, self.min_fixed_han, self.min_segment_han)))
        for (t, after), rows in before.items():
            if len(rows) < m:  # fewer clauses than documents needed
                continue
            ds = {r[0] for r in rows}
            if len(ds) < m:
                continue
            longer = {r[2][-1:] + t for r in rows if r[2]}
            if any(len(before.get((x, after), ())) == len(rows) and len({r[0] for r in before[(x, after)]}) == len(ds)
                   for x in longer):
                continue  # a longer predicate has the same clauses
            if 2 * sum(1 for r in rows if r[2]) < len(rows) and len(t) <= self.max_affix:
                continue  # mostly a whole clause (the opening table has it: openings up to max_affix)
            plain = t.replace(_YEAR_MARK, "")
            if not ((_is_predicate(plain) or is_measure(t)) if len(t) <= self.max_affix else is_measure_change(t)):
                # not a predicate or a measure; longer than the openings the opening table holds, not a measure
                # with its predicate (单位国内生产总值能耗下降; a shorter one, 国内生产总值增长, keeps its measure whole
                # as the opening of 国内生产总值{TEXT}{PERCENT})
                continue
            if t.startswith(_YEAR_MARK) or t.count(_YEAR_MARK) > 1:
                continue
            fixed = t.split(_YEAR_MARK)
            inst = OneClauseInstances.from_rows((d, i, (lead, *rest)) for d, i, lead, rest in rows)
            types = ["TEXT"] + ["YEAR"] * (len(fixed) - 1) + [after]
            out.append(_Cand(["", *fixed, ""], types, inst, _balanced(fixed)))
        return out

    def _edge_candidates(self, clauses: Sequence[Clause], c_doc: Sequence[int], m: int) -> list[_Cand]:
        """Constructions fixed at both edges of a clause: ``opening{TEXT}ending`` (以{TEXT}为指导,
        经过{TEXT}的努力), an opening of one to three Han characters and an ending of two to four, found
        together in ``min_docs`` documents and cohesive (:func:`edge_cohesion`: most clauses with the
        rarer of the two have the other). The longest opening and ending with the same documents."""
        # per clause, how many openings (1..3 Han characters) and endings (2..4, Han before the last) it has
        edges = []
        for c in clauses:
            t = c.text
            n = len(t)
            mh = _HEAD_HAN.match(t)
            mt = _TAIL_HAN.search(t, 0, n - 1) if n > 1 else None
            edges.append((max(0, min(mh.end() if mh else 0, n - 3)), max(0, min(mt.end() - mt.start() if mt else 0, n - 3))))
        heads = Counter(c.text[:a] for c, (nh, _) in zip(clauses, edges) for a in range(1, nh + 1))
        tails = Counter(c.text[-b:] for c, (_, nt) in zip(clauses, edges) for b in range(2, nt + 2))
        # only openings and endings found in min_docs clauses can pair into a construction; a pair's rows are
        # (document, clause), the text between the two cut only for the pairs that pass the counts
        table: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        for i, (c, (nh, nt)) in enumerate(zip(clauses, edges)):
            if not nh or not nt:
                continue
            t = c.text
            hs = [t[:a] for a in range(1, nh + 1) if heads[t[:a]] >= m]
            ts = [t[-b:] for b in range(2, nt + 2) if tails[t[-b:]] >= m]
            for x in hs:
                for y in ts:
                    if len(x) + len(y) < len(t):
                        table[(x, y)].append((c_doc[i], i))
        out = []
        for (h, tl), rows in table.items():
            if len(rows) < m:  # fewer clauses than documents needed
                continue
            ds = {r[0] for r in rows}
            if len(ds) < m or _han(h + tl) < 4 or edge_cohesion(len(rows), heads[h], tails[tl]) < 0.5:
                continue
            rows = [(d, i, clauses[i].text[len(h):len(clauses[i].text) - len(tl)]) for d, i in rows]
            mids = {r[2] for r in rows}
            lengths = sorted(len(r[2]) for r in rows)
            if len(mids) < 3 or lengths[len(lengths) // 2] < 2 or any(ch.isdigit() for ch in h + tl):
                continue  # a construction holds phrases of many kinds (as :func:`is_frame` asks of it)
            longer = [(h + r[2][:1], tl) for r in rows] + [(h, r[2][-1:] + tl) for r in rows]
            if any(len({r[0] for r in table.get(x, ())}) == len(ds) for x in set(longer) if len(x[0]) <= 3 and len(x[1]) <= 4):
                continue  # a longer opening or ending has the same documents
            inst = OneClauseInstances.from_rows((d, i, (mid,)) for d, i, mid in rows)
            out.append(_Cand([h, tl], ["TEXT"], inst, _balanced([h, tl]), edge=True))
        return out
