"""A document's issuer, date and title told around its reference, where no
relation gave them; the subject of a review of work.

News tells who issued a document and when before the reference, as the
clause's subject and its opening date (`Ngày 27/4, UBND tỉnh X đã ban hành
Công văn số ...`), and gives its title right after it (`... số 12/UBND-VX về
việc ...`). The relation model reads a document's tails after it only; these
readings are rules of the clause's shape, filled only where it left a slot
empty.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from typing import Any, Sequence

from .. import lexicon as lx
from ..tag.regular import skip_doc_tail
from ..types import Entity
from .dating import Context, fact_date, mentions

_ISSUE_VERB = re.compile(
    r"(?<![^\W_])(?:(?:" + "|".join(map(re.escape, sorted(lx.DOC_ISSUE_ADVERBS, key=len, reverse=True)))
    + r")\s+)*(?:" + "|".join(map(re.escape, sorted(lx.DOC_ISSUE_VERBS, key=len, reverse=True)))
    + r")\s+(?:(?:một|các)\s+)?$", re.IGNORECASE)
# A clause opens after these marks; the issuer is named after the last one.
_CLAUSE_MARK = re.compile(r"[,;:(]")
# After the organisation: a person's name at most (`Chủ tịch UBND TP X Nguyễn Văn A đã ký`).
_NAME_TAIL = re.compile(r"(?:\s+[A-ZĐ][^\s,;]*){0,4}\s*[-–]?\s*$")
_MAX_ISSUER_WORDS = 15
_JOINED = re.compile(r"[&-][^\s,;]+")


def _starting_in(ents: Sequence[Entity], starts: Sequence[int], lo: int, hi: int) -> list[Entity]:
    return list(ents[bisect_left(starts, lo):bisect_left(starts, hi)])


class Around:
    """The organisations and topics of a text, by start, for the readings below."""

    def __init__(self, ents: Sequence[Entity]) -> None:
        self.orgs = sorted((e for e in ents if e.label == "ORG"), key=lambda e: e.start)
        self.org_starts = [e.start for e in self.orgs]
        self.topics = {e.start: e for e in ents if e.label == "TOPIC" and not e.attrs.quoted}


def issuing_clause(text: str, doc: Entity, sent: tuple[int, int]) -> tuple[int, int] | None:
    """``(clause start, verb start)`` when the clause that cites ``doc`` tells
    it issued: `... (đã) ban hành|có|ký <doc>`."""
    lo = sent[0]
    verb = _ISSUE_VERB.search(text, lo, doc.start)
    if verb is None:
        return None
    marks = [m.end() for m in _CLAUSE_MARK.finditer(text, lo, verb.start())]
    return (marks[-1] if marks else lo), verb.start()


def issuer_before(text: str, zone_lo: int, zone_end: int, near: Around) -> tuple[str, tuple[int, int]] | None:
    """The subject of the issuing clause ``text[zone_lo:zone_end]`` when it is
    an organisation, with a title before it (`Chủ tịch UBND tỉnh X`) and at
    most a person's name after it."""
    org = next((e for e in _starting_in(near.orgs, near.org_starts, zone_lo, zone_end) if e.end <= zone_end + 1), None)
    if org is None:
        return None
    org_end = min(org.end, zone_end)
    joined = _JOINED.match(text, org_end, zone_end)  # `Bộ GD` + `&ĐT`: a name cut at a sign
    if joined:
        org_end = joined.end()
    if not _NAME_TAIL.fullmatch(text, org_end, zone_end):
        return None  # more than a name between the organisation and the verb: another clause
    # A title before the organisation (`Chủ tịch`, `Thường trực`): capitalised, a few words.
    words = text[zone_lo:org.start].split()
    start = org.start
    if words and words[0][0].isupper() and len(words) <= 3:
        start = zone_lo + len(text[zone_lo:org.start]) - len(text[zone_lo:org.start].lstrip())
    value = text[start:org_end].strip(" ,.;:-–")
    if not value or len(value.split()) > _MAX_ISSUER_WORDS:
        return None
    return value, (start, start + len(value))


def date_before(text: str, clause_lo: int, sent: tuple[int, int], para: tuple[int, int], ctx: Context
                ) -> tuple[str, tuple[int, int]] | None:
    """The day that opens the sentence before the issuer (`Ngày 27/4, ...`):
    the document's date when the clause tells it was issued."""
    if not mentions(text, sent[0], clause_lo):
        return None
    found = fact_date(text, (sent[0], clause_lo), para, clause_lo, ctx)
    if not found:
        return None
    values, spans = found
    if "date_end" in values:
        return None  # a range is not the day a document was issued
    return values["date"], spans["date"]


_DATE_AFTER = re.compile(r"\s*,?\s*(?:ban hành\s+|ký\s+)?(?:vào\s+)?(?=[Nn]gày\s+\d)")


def date_after(text: str, doc: Entity, sent: tuple[int, int], para: tuple[int, int], ctx: Context
               ) -> tuple[str, tuple[int, int]] | None:
    """A day right after the reference, written without its year (`số 12/QĐ-UBND ngày 29/4`):
    the tagger reads full dates only."""
    m = _DATE_AFTER.match(text, doc.end, sent[1])
    if m is None:
        return None
    found = mentions(text, m.end(), min(sent[1], m.end() + 30))
    if not found or found[0].start != m.end() or found[0].end_day is not None:
        return None
    dated = fact_date(text, (m.end(), found[0].end), para, m.end(), ctx)
    return (dated[0]["date"], dated[1]["date"]) if dated else None


def title_after(text: str, doc: Entity, sent: tuple[int, int], near: Around) -> Entity | None:
    """The `về ...` phrase right after the reference (past its date and issuer)."""
    return near.topics.get(skip_doc_tail(text, doc.end, sent[1]))


_SHARED_SLOTS = ("issued_date", "issuer", "term", "title", "session")


def share_slots(group: list[Any]) -> None:
    """Documents listed with a shared suffix (`số 131, 132-QĐ/TW ngày ... của ...`)
    share the date, issuer, term and title told once for the list."""
    for slot in _SHARED_SLOTS:
        donor = next((b for b in group if slot in b.slots), None)
        if donor is None:
            continue
        for b in group:
            if slot not in b.slots:
                b.put(slot, donor.slots[slot], span=donor.spans.get(slot), evidence=False)


def around(text: str, doc: Entity, sent: tuple[int, int], para: tuple[int, int], near: Around,
           ctx: Context, want: set[str]) -> dict[str, tuple[Any, tuple[int, int]]]:
    """The slots of ``want`` (issuer, issued_date, title) read around ``doc``."""
    out: dict[str, tuple[Any, tuple[int, int]]] = {}
    value = doc.value or {}
    if value.get("list_end") is not None:  # one number of a list: read around the whole list
        doc = replace(doc, start=value["list_start"], end=value["list_end"])
    clause = issuing_clause(text, doc, sent) if want & {"issuer", "issued_date"} else None
    if clause is not None:
        if "issuer" in want:
            found = issuer_before(text, *clause, near)
            if found is not None:
                out["issuer"] = found
        if "issued_date" in want:
            date = date_before(text, clause[0], sent, para, ctx)
            if date is not None:
                out["issued_date"] = date
    if "issued_date" in want and "issued_date" not in out:
        date = date_after(text, doc, sent, para, ctx)
        if date is not None:
            out["issued_date"] = date
    if "title" in want:
        topic = title_after(text, doc, sent, near)
        if topic is not None:
            value = text[topic.start:topic.end].strip(" \t\n.,;:")
            out["title"] = (value, (topic.start, topic.start + len(value)))
    return out


_STOP_WORDS = "|".join(sorted(map(re.escape, lx.REVIEW_SUBJECT_STOPS), key=len, reverse=True))
_WORK = "|".join(sorted(map(re.escape, lx.REVIEW_WORK_WORDS), key=len, reverse=True))
# The subject: words up to a time, the organiser or the place, a digit or a mark; at most twelve.
_SUBJECT = re.compile(rf"(?!(?:{_STOP_WORDS})(?![^\W_]))[^\W\d_][^\s,;:.()“”\"]*"
                      rf"(?:\s+(?!(?:{_STOP_WORDS})(?![^\W_]))[^\W\d_][^\s,;:.()“”\"]*){{0,11}}", re.IGNORECASE)
_WORK_START = re.compile(rf"(?:{_WORK})(?![^\W_])", re.IGNORECASE)
_MEETING_BEFORE = re.compile(r"(?<![^\W_])hội\s+nghị\s+$", re.IGNORECASE)
_MONTHS = re.compile(r"\s*(?:(\d{1,2})|(sáu|chín))\s+tháng\s+(?:đầu|cuối)\s+năm(?![^\W_])", re.IGNORECASE)


_OF_ORG = re.compile(r"[^,.;:()\n]{0,40}?(?<![^\W_])của\s+")

Found = tuple[str, tuple[int, int]] | None


def work_review(text: str, kind: Entity, end: int, near: Around) -> tuple[Found, Found, Found] | None:
    """``(subject, duration, organizer)`` of a review of work (`sơ kết công tác
    tuyên giáo 6 tháng đầu năm của Ban Tuyên giáo ...`, `Hội nghị tổng kết ...`),
    each with its span or None; None when the review is neither of work nor a
    meeting's."""
    meeting = _MEETING_BEFORE.search(text, max(0, kind.start - 12), kind.start) is not None
    if not meeting and not _WORK_START.match(text, end):
        return None
    m = _SUBJECT.match(text, end)
    subject = (m.group(), m.span()) if m else None
    after = m.end() if m else end
    months = _MONTHS.match(text, after)
    duration = None
    if months:
        n = int(months.group(1)) if months.group(1) else {"sáu": 6, "chín": 9}[months.group(2).lower()]
        if 1 <= n <= 12:
            duration = (f"P{n}M", (months.start() + len(months.group()) - len(months.group().lstrip()), months.end()))
    organizer = None
    of = _OF_ORG.match(text, after)
    if of:
        org = next(iter(_starting_in(near.orgs, near.org_starts, of.end(), of.end() + 1)), None)
        if org is not None:
            value = text[org.start:org.end].strip(" ,.;:")
            organizer = (value, (org.start, org.start + len(value)))
    return subject, duration, organizer
