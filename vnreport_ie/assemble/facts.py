"""Stage 5: facts of the schema from entities and relations.

One ``training`` fact per course with a count, one ``meeting`` per meeting
with a count, topic or papers, one ``document`` per distinct document, plus
reviews, anniversaries and tallies read off their regular phrases. Every slot
keeps the span of the words that gave it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from spacy.tokens import Doc

from .. import lexicon as lx
from ..layout import lead_bounds, sentences
from ..schema import slot_order
from ..types import Entity, Fact, Relation, work_text
from . import clause, documents
from .dating import document_context
from .enrich import Layout, enrich
from .repeats import merge_repeats, title_repeats

_PUNCT = " \t\n.,;:!?\"'“”‘’()[]…-–"


def clean(s: str) -> str:
    """``s`` without the punctuation and spaces around it."""
    return s.strip(_PUNCT)


class _Builder:
    def __init__(self, ftype: str, head: Entity | None) -> None:
        self.type = ftype
        self.slots: dict[str, Any] = {}
        self.spans: dict[str, tuple[int, int]] = {}
        self.approx: dict[str, str] = {}
        self.cover: list[tuple[int, int]] = []
        self.sources: set[int] = set()
        if head is not None:
            self.cover.append((head.start, head.end))
            self.sources.add(head.id)

    def put(self, slot: str, value: Any, ent: Entity | None = None, span: tuple[int, int] | None = None,
            evidence: bool = True, source: Entity | None = None) -> None:
        """Fill ``slot``; ``ent`` gives the span too, ``source`` only says which entity it came from."""
        self.slots[slot] = value
        for e in (ent, source):
            if e is not None:
                self.sources.add(e.id)
        where = span or ((ent.start, ent.end) if ent else None)
        if where:
            self.spans[slot] = where
            if evidence:
                self.cover.append(where)
        if ent is not None and ent.attrs.approx:
            self.approx[slot] = ent.attrs.approx

    def put_words(self, slot: str, text: str, ent: Entity, evidence: bool = True) -> None:
        """Fill ``slot`` with the entity's words, trimmed of punctuation."""
        value, span = _text_span(text, ent)
        self.put(slot, value, span=span, evidence=evidence, source=ent)

    def fact(self, order: tuple[str, ...]) -> Fact:
        slots = tuple((k, self.slots.get(k)) for k in order)
        start = min(a for a, _ in self.cover)
        end = max(b for _, b in self.cover)
        spans = tuple((k, self.spans[k]) for k in order if k in self.spans)
        return Fact(self.type, slots, (start, end), spans, tuple(sorted(self.approx.items())),
                    tuple(sorted(self.sources)))


# The slots the assembler fills, in output order: schema v2's (v1's first).
ORDER = slot_order(version=2)


def _text_span(text: str, ent: Entity) -> tuple[str, tuple[int, int]]:
    """The entity's words trimmed of punctuation, with the trimmed span."""
    raw = text[ent.start:ent.end]
    lead = len(raw) - len(raw.lstrip(_PUNCT))
    trimmed = raw.strip(_PUNCT)
    return trimmed, (ent.start + lead, ent.start + lead + len(trimmed))


# What may stand between a tally's verb and its count (`trao tặng cho 12 ...`).
# (A closing quote may end the verb phrase: `trao Kỷ niệm chương "..." cho 26 cá nhân`.)
_FILLERS = re.compile(r"[\s,\"”’]*(?:(?:" + "|".join(map(re.escape, lx.GAP_FILLERS)) + r")\s*)*")
# What leads a count that shares the verb of the count before it: `và`, a
# comma, a bracket, or the words opening the parts of a total.
_PART_LEAD = re.compile(r"(?:(?:^|\s)(?:và|(?:bao\s+)?gồm\s*:?|trong\s+đó(?:\s+có)?\s*:?)|,|\()\s*$")
_MODE_AFTER = re.compile(r"\s*(?:,|kết hợp|và)?\s*(?:hình thức\s+)?(?:"
                         + "|".join(map(re.escape, lx.ONLINE + lx.IN_PERSON)) + ")")


class Assembler:
    """``Assembler()(doc) -> doc`` with ``doc._.vnr_facts`` set."""

    name = "assemble"

    # (No state: nothing to save, but spaCy's ``nlp.to_disk`` asks every component.)
    def to_disk(self, path: Any, *, exclude: Any = ()) -> None:
        """Nothing to write: the assembler has no model (``nlp.to_disk`` calls it)."""

    def from_disk(self, path: Any, *, exclude: Any = ()) -> "Assembler":
        """Nothing to read (``spacy.load`` calls it)."""
        return self

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.vnr_source_text
        ents: tuple[Entity, ...] = doc._.vnr_entities or ()
        rels: tuple[Relation, ...] = doc._.vnr_relations or ()
        by_id = {e.id: e for e in ents}
        tails: dict[int, list[tuple[str, Entity]]] = {}
        used: set[int] = set()
        for r in rels:
            tails.setdefault(r.head, []).append((r.label, by_id[r.tail]))
            used.add(r.tail)
        facts: list[Fact] = []
        self._groups = {e.start: e for e in ents if e.label == "GROUP" and e.id not in used}
        last_organizer: dict[int, tuple[Entity, int]] = {}
        subjects: dict[tuple[int, int], Entity] = {}
        for e in ents:
            if e.label == "ORG" and e.attrs.subject:
                subjects.setdefault((e.attrs.para, e.attrs.sent), e)
        for e in ents:
            if e.label == "COURSE":
                f = self._training(text, e, tails.get(e.id, []), last_organizer, subjects)
                if f:
                    facts.append(f)
            elif e.label == "EVENT" and e.attrs.role != "anniversary":
                f = self._meeting(text, e, tails.get(e.id, []), subjects)
                if f:
                    facts.append(f)
        facts = title_repeats(merge_repeats(facts), lead_bounds(work_text(doc))[0])
        layout, dctx = self._context(doc, ents)
        facts.extend(self._documents(text, ents, tails, layout, dctx))
        facts.extend(self._reviews(text, ents))
        facts.extend(self._anniversaries(text, ents))
        # A count already in a fact is no tally; one related to a head that made
        # no fact (an anniversary's day, a course without a count) still may be.
        in_facts = {i for f in facts for i in f.sources}
        facts.extend(self._tallies(text, ents, used & in_facts))
        facts.sort(key=lambda f: (f.evidence[0], f.type))
        doc._.vnr_facts = tuple(enrich(facts, text, layout, dctx, ORDER, subjects))
        return doc

    @staticmethod
    def _context(doc: Doc, ents: tuple[Entity, ...]):
        """The sentences and what the year of a date may come from (spec v2)."""
        work = work_text(doc)
        cut = doc._.vnr_sentences if doc._.vnr_sentences is not None else sentences(work)
        title_end, lead_end = lead_bounds(work)
        period = next(({"start": e.value["start"], "end": e.value["end"]} for e in ents
                       if e.label == "PERIOD" and e.start < lead_end and isinstance(e.value, dict)), None)
        if period is None:  # a year in the title is the period, as meta reads it (record.extract_meta)
            period = next(({"start": f"{e.value}-01-01", "end": f"{e.value}-12-31"} for e in ents
                           if e.label == "DATE" and e.start < max(title_end, 1) and len(str(e.value)) == 4), None)
        published = (doc._.vnr_meta or {}).get("published")
        return Layout(tuple(cut)), document_context(work, title_end, lead_end, period, published)

    def _training(self, text, head, tails, last_organizer, subjects) -> Fact | None:
        labels = {lab for lab, _ in tails}
        # A course told opened or closed is a fact even without a count (spec v2).
        if not labels & {"CLASSES", "PARTICIPANTS"} and not head.attrs.event:
            return None
        b = _Builder("training", head)
        course, span = _text_span(text, head)
        b.put("course", course, span=span)
        for lab, t in sorted(tails, key=lambda x: x[1].start):
            if lab == "CLASSES":
                b.put("classes", t.value, t)
            elif lab == "PARTICIPANTS":
                b.put("participants", t.value, t)
                m = re.match(r"\s*(?:\w+\s+){0,2}?(đang (?:theo )?học)", text[t.end:t.end + 25])
                if m:
                    b.put("status", "ongoing", span=(t.end + m.start(1), t.end + m.end(1)))
            elif lab == "GROUP":
                b.put_words("participant_group", text, t)
            elif lab == "ORGANIZER":
                b.put_words("organizer", text, t, evidence=False)
        _group_of_count(text, b, tails, self._groups)
        if head.attrs.event:
            _group_after_cho(text, b, head, self._groups)
        sent = head.attrs.sent
        if "organizer" not in b.slots:
            # A list item takes the organiser of the sentence that introduced the list.
            prev = last_organizer.get(head.attrs.para)
            carried = prev[0] if prev and sent - prev[1] <= 1 else _subject(head, subjects)
            if carried is not None:
                b.put_words("organizer", text, carried, evidence=False)
                last_organizer[head.attrs.para] = (carried, sent)
        else:
            org_ent = next(t for lab, t in tails if lab == "ORGANIZER")
            last_organizer[head.attrs.para] = (org_ent, sent)
        return b.fact(ORDER["training"])

    def _meeting(self, text, head, tails, subjects) -> Fact | None:
        labels = {lab for lab, _ in tails}
        # A single meeting told held (spec v2) is a fact with no count.
        single = bool(head.attrs.held) and not head.attrs.counted
        if not labels & {"EVENT_COUNT", "POINTS", "PARTICIPANTS", "PAPERS", "TOPIC"} and not single:
            return None
        b = _Builder("meeting", head)
        kind, span = _text_span(text, head)
        b.put("kind", kind, span=span)
        mode = _mode(text, head)
        if mode:
            b.put("mode", mode[0], span=mode[1])
        points = [t for lab, t in tails if lab == "POINTS"]
        if points:
            values = [t.value for t in points]
            total = sum(values) if all(v is not None for v in values) else None
            b.put("connection_points", total, span=(min(t.start for t in points), max(t.end for t in points)))
            b.sources.update(t.id for t in points)
            for t in points:
                if t.attrs.approx:
                    b.approx["connection_points"] = t.attrs.approx
        for lab, t in tails:
            if lab == "EVENT_COUNT":
                b.put("count", t.value, t)
            elif lab == "PARTICIPANTS":
                b.put("participants", t.value, t)
                if t.attrs.unit_class == "attendance":
                    b.put("participants_are_attendances", True,
                          span=(t.end - len(t.attrs.unit), t.end))
            elif lab == "PAPERS":
                b.put("papers", t.value, t)
            elif lab == "GROUP":
                b.put_words("participant_group", text, t)
            elif lab == "ORGANIZER":
                b.put_words("organizer", text, t, evidence=False)
            elif lab == "TOPIC":
                b.put_words("topic", text, t)
        _group_of_count(text, b, tails, self._groups)
        if "organizer" not in b.slots:
            carried = _subject(head, subjects)
            if carried is not None:
                b.put_words("organizer", text, carried, evidence=False)
        if "organizer" not in b.slots and single:
            found = _actor(text, head)
            if found:
                b.put("organizer", found[0], span=found[1])
        if "topic" not in b.slots and not head.attrs.counted:
            found = clause.purpose(text, head.end, _sentence_end(text, head.end))
            if found:
                b.put("topic", found[0], span=found[1])
        if single and not labels and "organizer" not in b.slots and "topic" not in b.slots:
            return None  # a meeting only named, with nothing told of it
        return b.fact(ORDER["meeting"])

    def _documents(self, text, ents, tails, layout, dctx) -> list[Fact]:
        merged: dict[tuple[str, str], _Builder] = {}
        order: list[tuple[str, str]] = []
        near = documents.Around(ents)
        shared: dict[int, list[_Builder]] = {}  # numbers sharing a suffix, by the end of their list
        for e in ents:
            if e.label != "DOC":
                continue
            value = e.value or {}
            dtype, number = value.get("doc_type"), value.get("number")
            attached = tails.get(e.id, [])
            date = next((t for lab, t in attached if lab == "ISSUED_ON"), None)
            issued = value.get("issued")  # a law named with its year
            session = value.get("session")  # a resolution named by its plenum or congress
            # Who issued it, when, and its title, told around the reference where no relation said.
            have = {"issuer": "ISSUED_BY", "issued_date": "ISSUED_ON", "title": "TITLE"}
            want = {s for s, lab in have.items() if not any(lab == x for x, _t in attached)}
            sent = layout.sentence_at(e.start)
            extra = documents.around(text, e, sent[:2], layout.paragraph_of(sent), near, dctx, want) if want else {}
            if value.get("dated") and "issued_date" not in extra:
                continue  # a document named without a number is one only with its day
            if not number and not date and not issued and not session and "issued_date" not in extra:
                continue
            ident = number or (f"{session}|{value.get('term')}" if session else f"@{e.start}")
            key = ((dtype or "").lower(), ident)
            b = merged.get(key)
            if b is None:
                b = merged[key] = _Builder("document", e)
                order.append(key)
            b.sources.add(e.id)  # a second mention is read too
            if value.get("list_end") is not None:
                shared.setdefault(value["list_end"], []).append(b)
            if dtype and "doc_type" not in b.slots:
                b.put("doc_type", _cap(dtype), span=e.attrs.type_span)
            if number and "number" not in b.slots:
                b.put("number", number, span=e.attrs.number_span)
            if session and "session" not in b.slots:
                b.put("session", session, span=e.attrs.session_span)
                if value.get("term"):
                    b.put("term", value["term"], span=e.attrs.term_span)
            if issued and "issued_date" not in b.slots:
                b.put("issued_date", issued, span=e.attrs.issued_span)
            if value.get("title") and "title" not in b.slots:  # a law's name
                b.put("title", value["title"], span=e.attrs.title_span)
            for lab, t in attached:
                slot = {"ISSUED_ON": "issued_date", "ISSUED_BY": "issuer", "TERM": "term", "TITLE": "title"}[lab]
                if slot in b.slots:
                    continue
                if slot in ("issuer", "title"):
                    b.put_words(slot, text, t)
                elif slot == "term":
                    m = re.search(r"[IVXLC]+\s*$", text[t.start:t.end])
                    sp = (t.start + m.start(), t.start + m.start() + len(m.group().strip())) if m else (t.start, t.end)
                    b.put(slot, t.value, span=sp, source=t)
                else:
                    b.put(slot, t.value, t)
            for slot, (v, span) in extra.items():
                if slot not in b.slots:
                    b.put(slot, v, span=span)
        for group in shared.values():
            documents.share_slots(group)
        return [merged[k].fact(ORDER["document"]) for k in order]

    def _reviews(self, text, ents) -> list[Fact]:
        out = []
        docs = {d.start: d for d in ents if d.label == "DOC"}
        durations = {d.start: d for d in ents if d.label == "DURATION" and d.attrs.role == "review"}
        near = documents.Around(ents)
        for e in ents:
            if e.label != "REVIEW":
                continue
            end = e.attrs.review_end
            doc = next((docs[p] for p in range(end - 2, end + 3) if p in docs), None)
            if doc is None:
                work = documents.work_review(text, e, end, near)  # a review of work (spec v2)
                if work is None:
                    continue
                b = _Builder("review", e)
                b.put("kind", e.value, e)
                for slot, found in zip(("subject", "duration", "organizer"), work):
                    if found is not None:
                        b.put(slot, found[0], span=found[1])
                out.append(b.fact(ORDER["review"]))
                continue
            b = _Builder("review", e)
            b.put("kind", e.value, e)
            years = next((durations[p] for p in range(e.end, end) if p in durations), None)
            if years is not None:
                b.put("years", years.value, years)
            number = (doc.value or {}).get("number")
            if number:
                b.put("document", number, span=doc.attrs.number_span, source=doc)
            else:
                b.put("document", clean(doc.text), doc)
            out.append(b.fact(ORDER["review"]))
        return out

    def _anniversaries(self, text, ents) -> list[Fact]:
        out = []
        events = {x.start: x for x in ents if x.label == "EVENT" and x.attrs.role == "anniversary"}
        for e in ents:
            if e.label == "DURATION" and e.attrs.role == "anniversary":
                b = _Builder("anniversary", e)
                b.put("years", e.value, e)
                ev = next((events[p] for p in range(e.end, e.end + 3) if p in events), None)
                if ev is not None:
                    b.put_words("event", text, ev)
                out.append(b.fact(ORDER["anniversary"]))
        return out

    def _tallies(self, text, ents, used) -> list[Fact]:
        out = []
        acts = sorted((e for e in ents if e.label == "ACTIVITY"), key=lambda a: a.end)
        act_ends = [a.end for a in acts]
        units = {e.start: e for e in ents if e.label == "UNIT"}
        # Activities told after their count (`18 đoàn viên đã được kết nạp`), by the count's start.
        after = {a.attrs.of_count: a for a in acts if a.attrs.of_count is not None}
        prev: tuple[Entity, Entity] | None = None  # (count, activity) of the last tally
        for e in ents:
            if e.label != "COUNT" or e.id in used:
                continue
            if e.attrs.unit_class in ("class", "meeting", "points", "papers"):
                continue
            # The activity that ends closest before the count, if only fillers stand between.
            k = bisect_right(act_ends, e.start) - 1
            # (in the count's own sentence: a tally is read from one clause).
            act = acts[k] if k >= 0 and acts[k].attrs.sent == e.attrs.sent and re.fullmatch(
                _FILLERS,
                text[acts[k].end:e.start]) else None
            if act is None:
                act = after.get(e.start)
            if act is None and prev is not None and prev[0].attrs.sent == e.attrs.sent:
                # `kiểm tra 214 tổ chức đảng và 538 đảng viên`: the second count shares the verb.
                # The parts of a total too (`kết nạp 67 đảng viên, gồm: 46 ... và 21 ...`).
                gap = text[prev[0].end:e.start]
                lead = _PART_LEAD.search(gap)
                if len(gap) <= 100 and lead and not re.search(r"[;.:]", gap[:lead.start()]):
                    act = prev[1]
            if act is None:
                continue
            prev = (e, act)
            b = _Builder("tally", None)
            v, sp = _text_span(text, act)
            near = e.start - act.end < 60 if act.end <= e.start else act.start - e.end < 80
            b.put("activity", v, span=sp, evidence=near, source=act)
            b.put("value", e.value, e)
            unit_start = e.end - len(e.attrs.unit or "")
            unit = units.get(unit_start)
            if unit is not None:
                b.put_words("unit", text, unit)
            else:
                b.put("unit", text[unit_start:e.end], span=(unit_start, e.end))
            out.append(b.fact(ORDER["tally"]))
        return out


def _group_of_count(text: str, b: _Builder, tails, groups: dict[int, Entity]) -> None:
    """The people a headcount counts (`1.900 cán bộ, đảng viên`, `200 đại biểu là bí thư ...`)
    are its group, when no group was related to the fact otherwise."""
    if "participant_group" in b.slots:
        return
    count = next((t for lab, t in tails if lab == "PARTICIPANTS"), None)
    if count is None:
        return
    lo = count.end - len(count.attrs.unit or "")
    for p in range(lo, count.end + 40):
        g = groups.get(p)
        if g is not None and g.attrs.sent == count.attrs.sent and (p <= count.end + 1 or re.fullmatch(r"\s*(?:\w+\s+)?là\s*", text[count.end:p])):
            b.put_words("participant_group", text, g)
            return


def _group_after_cho(text: str, b: _Builder, head: Entity, groups: dict[int, Entity]) -> None:
    """A course told held for a group (`tập huấn cho cán bộ, nhân viên y tế`): the group
    right after its `cho`, when no group was related to it otherwise (the relation
    model pairs groups with counted courses; this one has no count to lean on)."""
    if "participant_group" in b.slots:
        return
    m = re.match(r"\s*cho\s+", text[head.end:head.end + 12])
    g = groups.get(head.end + m.end()) if m else None
    if g is None:  # (received: `cán bộ, chiến sĩ ... được tập huấn`, the group opens the sentence)
        g = next((e for e in groups.values() if e.attrs.subject and e.attrs.sent == head.attrs.sent
                  and e.attrs.para == head.attrs.para and e.end <= head.start), None)
    if g is not None and g.attrs.sent == head.attrs.sent:
        b.put_words("participant_group", text, g)


def _subject(head: Entity, subjects: dict[tuple[int, int], Entity]) -> Entity | None:
    """The organisation that opens the head's sentence, or, when that sentence
    has none (`Đã mở 19 lớp ...`), the one that opened the sentence before."""
    para, sent = head.attrs.para, head.attrs.sent
    own = subjects.get((para, sent))
    if own is not None:
        return own if own.start < head.start else None
    return subjects.get((para, sent - 1))


_ACTOR_VERB = re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, sorted(lx.MEETING_ACTOR_VERBS, key=len, reverse=True)))
                         + r")\s+$", re.IGNORECASE)


def _actor(text: str, head: Entity) -> tuple[str, tuple[int, int]] | None:
    """The subject of the verb right before a single meeting (`Thủ tướng ... có buổi làm việc`)."""
    lo = max((text.rfind(c, 0, head.start) for c in ".!?\n"), default=-1) + 1
    m = _ACTOR_VERB.search(text, max(lo, head.start - 25), head.start)
    return clause.actor(text, lo, m.start()) if m else None


def _sentence_end(text: str, pos: int) -> int:
    m = re.compile(r"[.!?;\n]").search(text, pos)
    return m.start() if m else len(text)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _mode(text: str, head: Entity) -> tuple[str, tuple[int, int]] | None:
    """How a meeting was held, from its kind and the words right after it."""
    window_end = head.end
    m = _MODE_AFTER.match(text[head.end:head.end + 30])
    if m:
        window_end = head.end + m.end()
    seg = text[head.start:window_end].lower()
    online = [(i, i + len(w)) for w in lx.ONLINE for i in (seg.find(w),) if i >= 0]
    direct = [(i, i + len(w)) for w in lx.IN_PERSON for i in (seg.find(w),) if i >= 0]
    if not (online or direct):
        return None
    a = head.start + min(i for i, _e in online + direct)
    # (the span ends after the last mention of either kind)
    z = head.start + max(seg.rfind(w) + len(w) for w in lx.ONLINE + lx.IN_PERSON if seg.rfind(w) >= 0)
    return ("hybrid" if online and direct else "online" if online else "in_person"), (a, z)
