"""When each fact happened (spec v2, "Dates of facts").

The assembler asks :func:`fact_date` for the date of a fact: the date told in
the fact's own sentence (``Sáng 27/4``, ``ngày 13/8/2020``, ``từ ngày 5 đến
9/6/2023``), never a cited document's date or the day an anniversary
commemorates. A date written without its year takes the year, in this order,
from a full date in the same paragraph, the reporting period, a year in the
title or lead, and the publication date the caller passed; with none of these
it is written ``--MM-DD``. The clock is never read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from .. import lexicon as lx
from ..numbers import valid_date

# A time of day or `ngày` before a day/month (`Sáng 27/4`, `chiều nay (13/8)`).
_DAY_WORD = "|".join("".join(f"[{c.upper()}{c}]" if i == 0 else re.escape(c) for i, c in enumerate(w))
                     for w in sorted(lx.DAY_WORDS, key=len, reverse=True))
_LEAD = rf"(?:(?:{_DAY_WORD})(?:\s+(?:nay|qua|mai|ngày|hôm))*\s*\(?\s*)"
_DMY = r"(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})(?:\s*(?P=sep)\s*(?P<y>\d{4}))?(?![\d])"
MENTION = re.compile(
    # A range first: `từ ngày 5 đến 9/6/2023`, `từ 5/6 - 9/6`, `ngày 5 và 6/6`.
    rf"(?<![\w/.])(?P<lead>{_LEAD})?(?:[Tt]ừ\s+(?:ngày\s+)?)?"
    rf"(?P<d1>\d{{1,2}})(?:\s*/\s*(?P<m1>\d{{1,2}}))?(?:\s*/\s*(?P<y1>\d{{4}}))?"
    rf"\s*(?:đến|tới|-|–|và)\s*(?:ngày\s+)?(?P<d2>\d{{1,2}})\s*/\s*(?P<m2>\d{{1,2}})(?:\s*/\s*(?P<y2>\d{{4}}))?(?![\d/])"
    # A single day: `Sáng 27/4`, `ngày 18/5/2021`, `18-5-2021`, `ngày 3 tháng 1 năm 2014`.
    rf"|(?<![\w/.])(?P<lead1>{_LEAD})?{_DMY}"
    rf"|(?<![\w/.])(?P<lead2>{_LEAD})(?P<wd>\d{{1,2}})\s+tháng\s+(?P<wm>\d{{1,2}})(?:\s+năm\s+(?P<wy>\d{{4}}))?(?![\d])"
)
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")
# Words that tie a date to a cited document (`Chỉ thị 05-CT/TW, ngày 15/5/2016`, `ban hành ngày`).
_DOC_BEFORE = re.compile(r"(?:\d[\w/.-]*[-/][A-ZĐ][\wĐđ/.-]*|ban hành|ký|số)\s*,?\s*(?:ngày\s*)?$")


@dataclass(frozen=True)
class Mention:
    """A date told in the text: its span, and day, month, year as written
    (``year`` None when left out); a range carries its last day too."""

    start: int
    end: int
    day: int
    month: int
    year: int | None
    end_day: tuple[int, int, int | None] | None = None
    commemorates: bool = False


def mentions(text: str, lo: int = 0, hi: int | None = None) -> tuple[Mention, ...]:
    """The dates told in ``text[lo:hi]`` (valid days and months only)."""
    return _mentions(text, lo, len(text) if hi is None else hi)


@lru_cache(maxsize=8)
def _mentions(text: str, lo: int, hi: int) -> tuple[Mention, ...]:
    # Cached: every fact of a sentence reads the same sentence.
    return _commemorated(text, _read_mentions(text, lo, hi))


def _commemorated(text: str, found: list[Mention]) -> tuple[Mention, ...]:
    """The mentions with the span an anniversary commemorates marked (`(3/2/1930
    - 3/2/2025)`, `(30-8-2007 - 30-8-2022)`: the same day of two years)."""
    out = list(found)
    for i, m in enumerate(out):
        if m.end_day is not None:
            d2, m2, y2 = m.end_day
            if m.year and y2 and m.year < y2 and (m.day, m.month) == (d2, m2):
                out[i] = replace(m, commemorates=True)
        elif i + 1 < len(out):
            n = out[i + 1]
            if m.year and n.year and m.year < n.year and (m.day, m.month) == (n.day, n.month) \
                    and _SPAN_JOIN.fullmatch(text, m.end, n.start):
                out[i], out[i + 1] = replace(m, commemorates=True), replace(n, commemorates=True)
    return tuple(out)


_SPAN_JOIN = re.compile(r"\s*[-–]\s*")


def _read_mentions(text: str, lo: int, hi: int) -> list[Mention]:
    out = []
    for m in MENTION.finditer(text, lo, hi):
        g = m.groupdict()
        if g["d2"]:
            d2, m2 = int(g["d2"]), int(g["m2"])
            y2 = int(g["y2"]) if g["y2"] else None
            d1 = int(g["d1"])
            m1 = int(g["m1"]) if g["m1"] else m2
            y1 = int(g["y1"]) if g["y1"] else y2
            if not (_ok(d1, m1) and _ok(d2, m2)) or (m1, d1) > (m2, d2) and y1 == y2:
                continue
            start = m.start("d1") if not g["lead"] else m.start()
            out.append(Mention(start, m.end(), d1, m1, y1, (d2, m2, y2)))
        elif g["d"]:
            d, mo = int(g["d"]), int(g["m"])
            y = int(g["y"]) if g["y"] else None
            # `2.5` or `1-2` without a year is a number or a score, unless a day word leads it.
            if not _ok(d, mo) or y is None and (g["sep"] != "/" and not g["lead1"]):
                continue
            out.append(Mention(m.start("lead1") if g["lead1"] else m.start("d"), m.end(), d, mo, y))
        elif g["wd"]:
            d, mo = int(g["wd"]), int(g["wm"])
            if _ok(d, mo):
                out.append(Mention(m.start(), m.end(), d, mo, int(g["wy"]) if g["wy"] else None))
    return out


def _ok(d: int, m: int) -> bool:
    return 1 <= m <= 12 and 1 <= d <= 31


def belongs_elsewhere(text: str, m: Mention, lo: int) -> bool:
    """A date that belongs to something else: a cited document's date, or the
    days in brackets after an anniversary (`(3/2/1930 - 3/2/2025)`)."""
    before = text[max(lo, m.start - 40):m.start]
    return bool(_DOC_BEFORE.search(before))


def _iso(y: int | None, mo: int, d: int) -> str | None:
    if y is None:
        return f"--{mo:02d}-{d:02d}"
    return date(y, mo, d).isoformat() if valid_date(y, mo, d) else None


@dataclass(frozen=True)
class Context:
    """What the year of a date may come from, besides its own paragraph, and
    the reporting period (``(start, end)`` ISO days) that dates no fact."""

    period_year: int | None = None
    lead_year: int | None = None
    published: str | None = None
    period: tuple[str, str] | None = None


def document_context(text: str, title_end: int, lead_end: int, period: dict | None,
                     published: str | None) -> Context:
    """The year sources of a whole document: the reporting period, a year in
    the title or lead (not a cited document's, nor one end of a range of
    years such as a term `2020 - 2025`), and the publication date."""
    period_year = None
    if period and period.get("start") and period.get("end") and period["start"][:4] == period["end"][:4]:
        period_year = int(period["end"][:4])
    lead_year = None
    lead = max(title_end, lead_end)
    spans = [(m.start, m.end) for m in mentions(text, 0, lead) if m.commemorates or belongs_elsewhere(text, m, 0)]
    for m in _YEAR.finditer(text, 0, lead):
        if any(a <= m.start() < b for a, b in spans) or _DOC_BEFORE.search(text[max(0, m.start() - 30):m.start()].rstrip("/ .-")) \
                or _YEAR_RANGE_END.match(text, m.end()) or _YEAR_RANGE_START.search(text[max(0, m.start() - 8):m.start()]):
            continue
        lead_year = int(m.group())
        break
    span = (period["start"], period["end"]) if period and period.get("start") and period.get("end") else None
    return Context(period_year, lead_year, published, span)


_YEAR_RANGE_END = re.compile(r"\s*[-–]\s*(?:19|20)\d\d(?!\d)")
_YEAR_RANGE_START = re.compile(r"(?:19|20)\d\d\s*[-–]\s*$")
# A month or a year that opens a sentence as its time (`Năm 2022, ...`,
# `Trong tháng 10 và tháng 11/2025, ...`, `Từ tháng 7/2025 đến nay, ...`),
# after a bullet, a source tag (`(QBĐT) -`) or an attribution (`Theo báo cáo,`).
_OPENING = r"[\s\-+•*–]*(?:\([^()]{1,15}\)\s*[-–]\s*|[A-ZĐ]{2,8}\s*[-–]\s+)?"
_TOLD_PERIOD = re.compile(
    _OPENING + r"(?:(?:Theo|Riêng|Ngoài ra)(?![^\W_])[^,.;:]{0,80},\s*)?"
    r"(?P<when>(?:(?:cũng\s+)?(?:trong|từ|suốt)\s+)?"
    r"(?:tháng\s+(?P<mo>\d{1,2})(?:\s*/\s*(?P<moy>\d{4})|\s+năm\s+(?P<moy2>\d{4}))?"
    r"(?:\s*(?P<mlink>đến|và|-|–)\s*(?:tháng\s+)?(?P<mo2>\d{1,2})(?:\s*/\s*(?P<mo2y>\d{4})|\s+năm\s+(?P<mo2y2>\d{4}))?)?"
    r"|năm\s+(?P<y>\d{4})(?:\s*(?P<ylink>đến|-|–)\s*(?:năm\s+)?(?P<y2>\d{4}))?)"
    r"(?:\s+đến\s+nay)?)\s*,", re.IGNORECASE)
_HOLIDAY = re.compile(rf"(?<![^\W_])(?:{'|'.join(map(re.escape, lx.HOLIDAY_LEADS))})\s+$", re.IGNORECASE)
_EVENT_REF = re.compile(
    _OPENING + r"(?:(?:cũng|nhân)\s+)?(?:"
    + "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(lx.EVENT_REFS, key=len, reverse=True))
    + r")(?![^\W_])", re.IGNORECASE)


def refers_to_event(text: str, lo: int) -> bool:
    """Whether the sentence at ``lo`` places its facts at the event told
    just before (`Dịp này, ...`, `Tại hội nghị, ...`, `Cùng ngày, ...`)."""
    return _EVENT_REF.match(text, lo) is not None


def opening_day(text: str, sent: tuple[int, int]) -> Mention | None:
    """The day that opens a sentence as the time of its event (`Sáng 26/8/2025, ...`)."""
    m = re.compile(_OPENING).match(text, sent[0])
    pos = m.end() if m else sent[0]
    for d in mentions(text, *sent):
        if d.start == pos and not d.commemorates:
            return d
        if d.start > pos:
            break
    return None


def fact_date(text: str, sent: tuple[int, int], para: tuple[int, int], head: int,
              ctx: Context, anniversary: bool = False) -> tuple[dict[str, str], dict[str, tuple[int, int]]] | None:
    """``({"date": ..., "date_end"?: ...}, spans)`` for a fact whose head is at
    ``head`` in the sentence ``sent`` of paragraph ``para``; None when its
    sentence tells no date of its own."""
    found = [m for m in mentions(text, *sent) if not belongs_elsewhere(text, m, sent[0])]
    if anniversary:
        if not found:
            return None
        # The day of the ceremony, or the last day of the bracketed range
        # (`(3/2/1930 - 3/2/2025)`: the anniversary falls on 3/2/2025).
        m = found[0]
        if m.end_day is not None:
            d, mo, y = m.end_day
            value = _iso(y, mo, d) if y else None
            return ({"date": value}, {"date": (m.start, m.end)}) if value else None
    else:
        # The span an anniversary commemorates, or a day that names a holiday
        # (`nhân dịp 19/5`), is not when another fact happened.
        found = [m for m in found if not m.commemorates
                 and not _HOLIDAY.search(text, max(sent[0], m.start - 16), m.start)]
    before = [m for m in found if m.start <= head]
    if not before and not anniversary:
        # A month or year that opens the sentence dates what follows it,
        # before a day told after the fact's head.
        told = _told_period(text, sent, para, ctx)
        if told is not None or not found:
            return told
    elif not found:
        return None
    m = before[-1] if before else found[0]
    year = m.year or _context_year(text, para, ctx, m.month, m.day)
    value = _iso(year, m.month, m.day)
    if value is None:
        return None
    out, spans = {"date": value}, {"date": (m.start, m.end)}
    if m.end_day is not None:
        d2, m2, y2 = m.end_day
        end = _iso(y2 or year, m2, d2)
        if end:
            out["date_end"] = end
            spans["date_end"] = (m.start, m.end)
    return out, spans


def _context_year(text: str, para: tuple[int, int], ctx: Context, month: int, day: int) -> int | None:
    year = _paragraph_year(text, para, para[0]) or ctx.period_year or ctx.lead_year
    if year is None and ctx.published:
        year = _year_from_published(ctx.published, month, day)
    return year


def _told_period(text: str, sent: tuple[int, int], para: tuple[int, int],
                 ctx: Context) -> tuple[dict[str, str], dict[str, tuple[int, int]]] | None:
    """A month or year told as the time of the sentence (`Năm 2022, ...`): the
    date at that precision; none when it is the reporting period itself."""
    m = _TOLD_PERIOD.match(text, sent[0], sent[1])
    if not m:
        return None
    span = {"date": m.span("when")}
    if m["y"]:
        y = int(m["y"])
        if ctx.period == (f"{y}-01-01", f"{y}-12-31"):
            return None
        out = {"date": str(y)}
        if m["y2"] and int(m["y2"]) > y:
            out["date_end"], span["date_end"] = m["y2"], m.span("when")
        return out, span
    mo, mo2 = int(m["mo"]), int(m["mo2"]) if m["mo2"] else None
    year = next((int(v) for v in (m["moy"], m["moy2"], m["mo2y"], m["mo2y2"]) if v), None) \
        or _context_year(text, para, ctx, mo, 1)
    if year is None or not 1 <= mo <= 12:
        return None
    out = {"date": f"{year}-{mo:02d}"}
    if mo2 and m["mlink"].lower() != "và" and mo < mo2 <= 12:
        out["date_end"], span["date_end"] = f"{year}-{mo2:02d}", m.span("when")
    return out, span


def _paragraph_year(text: str, para: tuple[int, int], lo: int) -> int | None:
    return _first_year(text, para[0], para[1])


@lru_cache(maxsize=8)
def _first_year(text: str, lo: int, hi: int) -> int | None:
    # Cached: every fact of a paragraph asks the same question (a long report
    # in one paragraph would otherwise be read once per fact).
    para = (lo, hi)
    for m in mentions(text, *para):
        if m.year is not None and not m.commemorates and not belongs_elsewhere(text, m, para[0]):
            return m.year
    return None


def _year_from_published(published: str, month: int, day: int) -> int | None:
    """The year of a day told in news published on ``published``: the same
    year, or the one before when the day would fall well after publication
    (`ngày 30/12` in an article of 2 January)."""
    try:
        pub = date.fromisoformat(published[:10])
    except ValueError:
        return int(published[:4]) if published[:4].isdigit() else None
    if (month, day) > (pub.month, pub.day) and month - pub.month >= 6:
        return pub.year - 1
    return pub.year
