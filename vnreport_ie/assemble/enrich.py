"""The slots of spec v2 read around a fact once it is built: when it happened
(:mod:`.dating`), a training's status, duration, graduates and plan
attainment, a tally's plan attainment (:mod:`.clause`), and a tally's actor.

The facts come from :mod:`.facts`; this module only adds slots, each with the
span of the words that gave it, and never changes a v1 slot a fact already has.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from typing import Any, Iterable

from .. import lexicon as lx
from ..types import Entity, Fact
from . import clause
from .dating import Context, fact_date, opening_day, refers_to_event


class Layout:
    """Sentences of the document as (start, end, paragraph), in order, with
    what a fact asks of them precomputed (so that enriching stays linear)."""

    def __init__(self, sentences: tuple[tuple[int, int, int], ...]) -> None:
        self.sentences = sentences
        self.starts = [s[0] for s in sentences]
        self.index = {s[0]: i for i, s in enumerate(sentences)}
        self.paragraphs: dict[int, tuple[int, int]] = {}
        for a, b, p in sentences:
            lo, _hi = self.paragraphs.get(p, (a, b))
            self.paragraphs[p] = (lo, b)

    def sentence_at(self, pos: int) -> tuple[int, int, int]:
        k = max(0, bisect_right(self.starts, pos) - 1)
        return self.sentences[k] if self.sentences else (0, pos + 1, 0)

    def paragraph_of(self, sent: tuple[int, int, int]) -> tuple[int, int]:
        return self.paragraphs.get(sent[2], (sent[0], sent[1]))


def with_slots(fact: Fact, order: tuple[str, ...], values: dict[str, Any],
               spans: dict[str, tuple[int, int]]) -> Fact:
    """The fact with ``values`` filled where it had none, in schema order."""
    old = dict(fact.slots)
    new = {k: (old.get(k) if old.get(k) is not None else values.get(k)) for k in order}
    added = {k for k in values if old.get(k) is None and values[k] is not None}
    all_spans = dict(fact.spans)
    for k in added:
        if k in spans:
            all_spans[k] = spans[k]
    return replace(fact, slots=tuple(new.items()),
                   spans=tuple((k, all_spans[k]) for k in order if k in all_spans))


def enrich(facts: Iterable[Fact], text: str, layout: Layout, ctx: Context, orders: dict[str, tuple[str, ...]],
           subjects: dict[tuple[int, int], Entity]) -> list[Fact]:
    facts = list(facts)
    starts = [f.evidence[0] for f in facts]
    out = []
    sent_index = layout.index
    events = _Events(text, layout, ctx)
    last_actor: dict[int, tuple[str, tuple[int, int]]] = {}  # a sentence's last clause actor
    last_status: dict[int, tuple[str, tuple[int, int]]] = {}  # the status that governs a sentence's list
    for f in facts:
        order = orders[f.type]
        head = dict(f.spans).get(order[0], f.evidence)[0] if f.spans else f.evidence[0]
        sent = layout.sentence_at(f.evidence[0])
        lo, hi = sent[0], sent[1]
        values: dict[str, Any] = {}
        spans: dict[str, tuple[int, int]] = {}
        if "date" in order and f.type != "document":
            found = fact_date(text, (lo, hi), layout.paragraph_of(sent), head, ctx,
                              anniversary=f.type == "anniversary")
            if found is None and f.type != "anniversary":
                found = events.date_of(sent)
            if found:
                values.update(found[0])
                spans.update(found[1])
        if f.type == "training":
            # Read in the fact's own clause: one item of a list does not give its status to the others.
            c_lo, c_hi = clause.bounds(text, f.evidence[0], f.evidence[1], lo, hi)
            _put(values, spans, "status", clause.status(text, c_lo, c_hi))
            _put(values, spans, "duration", clause.duration(text, c_lo, c_hi))
            _put(values, spans, "graduates", clause.graduates(text, c_lo, c_hi))
            _put(values, spans, "plan_percent", clause.plan_percent(text, f.evidence[0], hi))
        elif f.type == "tally":
            # Up to the next fact: `kết nạp 6.845 hội viên mới, nâng tổng số ... lên 218.430, đạt 112% chỉ tiêu`.
            nxt = starts[bisect_right(starts, f.evidence[1])] if starts and starts[-1] > f.evidence[1] else hi
            _put(values, spans, "plan_percent", clause.plan_percent(text, f.evidence[1], min(hi, nxt, f.evidence[1] + 120)))
            actor = _actor(f, sent, sent_index, layout, subjects)
            # The words that open the tally's own clause name its actor before
            # an organisation of an earlier clause or sentence; an item of a
            # list takes the actor of the item before it.
            own = clause.subject(text, lo, f.evidence[0]) if f.get("organizer") is None else None
            if own is False:
                own = last_actor.get(lo) if actor is None or actor.start < lo else None
            if own and (actor is None or actor.start < own[1][0]):
                values["organizer"], spans["organizer"] = own
                last_actor[lo] = own
            elif actor is not None:
                values["organizer"] = text[actor.start:actor.end].strip(" ,.;:")
                spans["organizer"] = (actor.start, actor.start + len(values["organizer"]))
                last_actor[lo] = (values["organizer"], spans["organizer"])
        elif f.type == "review":
            actor = _actor(f, sent, sent_index, layout, subjects)
            if actor is not None:
                values["organizer"] = text[actor.start:actor.end].strip(" ,.;:")
                spans["organizer"] = (actor.start, actor.start + len(values["organizer"]))
            years = f.get("years")
            if years:
                values["duration"] = f"P{years}Y"
                spans["duration"] = dict(f.spans).get("years", f.evidence)
        if f.type == "training" and "status" not in values and f.get("status") is None:
            # The items of a list take the status of the verb that governs it
            # (`mở 19 lớp ..., 8 lớp ...`); a status told after an item
            # (`564 học viên đang học`) is that item's alone.
            parent = last_status.get(sent[0])
            if parent is not None:
                values["status"], spans["status"] = parent
        fact = with_slots(f, order, values, spans)
        st_span = dict(fact.spans).get("status")
        if fact.type == "training" and st_span is not None and st_span[0] < fact.evidence[0] \
                and sent[0] not in last_status:
            last_status[sent[0]] = (fact.get("status"), st_span)
        out.append(fact)
    return _course_durations(out, text, layout, orders)


_COURSE_WORD = re.compile(rf"(?<![^\W_])(?:{'|'.join(map(re.escape, lx.COURSE_NOUNS + lx.GRADUATE_NOUNS[:1]))})(?![^\W_])",
                          re.IGNORECASE)


def _course_durations(facts: list[Fact], text: str, layout: Layout, orders: dict[str, tuple[str, ...]]) -> list[Fact]:
    """A course's length told in a sentence of its own after the course
    (`Trong thời gian 7 ngày, học viên ...`, `Lớp học diễn ra trong 4 ngày`,
    `Sau 8 tháng học tập, ...`): the duration of the last course before it."""
    trainings = [i for i, f in enumerate(facts) if f.type == "training"]
    if not trainings:
        return facts
    heads = sorted(facts[i].evidence[0] for i in trainings)
    first = layout.index.get(layout.sentence_at(heads[0])[0], 0)
    for a, b, _p in layout.sentences[first + 1:]:
        k = bisect_right(heads, b - 1)
        if k and heads[k - 1] >= a:
            continue  # a sentence with a course of its own reads its clause
        found = clause.duration(text, a, min(b, a + 60))
        if found is None or not _COURSE_WORD.search(text, a, b):
            continue
        i = max((j for j in trainings if facts[j].evidence[0] < a), key=lambda j: facts[j].evidence[0])
        if facts[i].get("duration") is None and layout.index.get(layout.sentence_at(facts[i].evidence[0])[0], 0) + 12 \
                >= layout.index.get(a, 0):
            facts[i] = with_slots(facts[i], orders["training"], {"duration": found[0]}, {"duration": found[1]})
    return facts


class _Events:
    """The day of the event a sentence refers back to (`Dịp này, ...`,
    `Tại hội nghị, ...`): the day that opened the last sentence told with
    one, read once per document and sentence."""

    REACH = 60  # sentences looked back

    def __init__(self, text: str, layout: Layout, ctx: Context) -> None:
        self.text, self.layout, self.ctx = text, layout, ctx
        self.memo: dict[int, Any] = {}

    def date_of(self, sent: tuple[int, int, int]):
        if not refers_to_event(self.text, sent[0]):
            return None
        i = self.layout.index.get(sent[0])
        if i is None:
            return None
        if i not in self.memo:
            self.memo[i] = None
            for k in range(i - 1, max(-1, i - self.REACH), -1):
                prev = self.layout.sentences[k]
                day = opening_day(self.text, (prev[0], prev[1]))
                if day is not None:
                    self.memo[i] = fact_date(self.text, (prev[0], prev[1]), self.layout.paragraph_of(prev),
                                             day.start, self.ctx)
                    break
        return self.memo[i]


def _put(values: dict[str, Any], spans: dict[str, tuple[int, int]], slot: str,
         found: tuple[Any, tuple[int, int]] | None) -> None:
    if found is not None:
        values[slot], spans[slot] = found


def _actor(f: Fact, sent: tuple[int, int, int], sent_index: dict[int, int], layout: Layout,
           subjects: dict[tuple[int, int], Entity]) -> Entity | None:
    """The organisation that opens the tally's clause, or the sentence that
    introduced its list (the parts of a breakdown take their total's actor)."""
    i = sent_index.get(sent[0])
    if i is None:
        return None
    own = subjects.get((sent[2], i))
    if own is not None:
        return own if own.start < f.evidence[0] + 200 and own.end <= dict(f.spans).get("value", f.evidence)[0] \
            else None
    prev = subjects.get((sent[2], i - 1))
    return prev
