"""Regular entities: periods, dates, durations, terms, documents, anniversaries,
reviews and quoted topics: patterns of the text, read before any count."""

from __future__ import annotations

import re
from collections import Counter

from .. import lexicon as lx
from ..numbers import iso, month_end, roman_or_int, small_number
from .counts import unit_at
from .patterns import (ABOUT, ANNIVERSARY, DATE_DMY, DATE_WORDS, DAY_OPENING, DOC, DOC_ISSUED, DURATION, MONTH,
                       PERIOD_MONTHS, PERIOD_QUARTER, PERIOD_RANGE, PERIOD_TERM, QUOTE, REVIEW, TERM, YEAR)
from .registry import Context, rule, run_stage
from .sentence import Found, Mask, Sentence
from .words import grow, skip_space


def report_year(text: str) -> int | None:
    """The year the report is about: the first year in the title or lead."""
    head = text[:600]
    m = re.search(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)", head)
    if m:
        return int(m.group(1))
    # (The same years as `(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)`, whose lookbehind
    # makes the scan of a long text slow: a rejected match hides no year, as
    # the three digits after its start all follow a digit.)
    years = [m.group() for m in _YEAR_LIKE.finditer(text) if not (m.start() and text[m.start() - 1].isdecimal())]
    # Ties go to the year named first: max over a set would depend on the hash seed.
    return int(Counter(years).most_common(1)[0][0]) if years else None


_YEAR_LIKE = re.compile(r"(?:19[5-9]|20[0-4])\d(?!\d)")


def tag_regular(text: str, s: Sentence, token_end: dict[int, int], year: int | None, out: Found) -> Mask:
    """Dates and periods, then the rules of the ``regular`` stage; returns the
    characters they claim, where no count starts.

    Only the anniversary's event reads word ends; with none known
    (``token_end`` empty) it grows syllable by syllable and so never further.
    """
    return regular_context(text, s, token_end, year, out).taken


def regular_context(text: str, s: Sentence, token_end: dict[int, int], year: int | None, out: Found) -> Context:
    ctx = Context(text, s, token_end, out, year=year)
    run_stage("regular", ctx)
    return ctx


@rule("dates", "regular", ("PERIOD", "DATE"))
def dates(ctx: Context, _m: None) -> None:
    """Periods, then dates (`quý I/2023`, `6 tháng đầu năm`, `ngày 5/3/2021`): patterns of the
    text alone, read first; the characters they claim take no count."""
    ctx.taken = tag_dates(ctx.text, ctx.sent, ctx.year, ctx.out)


@rule("term", "regular", ("TERM",), TERM, ("khóa", "khoá"))
def term(ctx: Context, m: re.Match[str]) -> None:
    """A party term: `khóa XIII`."""
    a = ctx.sent.start
    ctx.out.add("TERM", a + m.start(), a + m.end(), m.group(1).upper())
    ctx.taken.append((a + m.start(), a + m.end()))


@rule("document", "regular", ("DOC",), DOC, lx.DOC_TYPES + ("số",))
def document(ctx: Context, m: re.Match[str]) -> None:
    """A document reference: `Nghị quyết số 12-NQ/TW`, `Kế hoạch số ..., ngày 5/3/2021`."""
    a = ctx.sent.start
    x, y = a + m.start(), a + m.end()
    if m.group("law"):
        # A law named with its year: the year is its date, the name its title.
        ctx.out.add("DOC", x, y, {"doc_type": " ".join(m.group("lawtype").split()), "number": None,
                                  "issued": m.group("law_year"), "title": m.group("law")},
                    type_span=(x, a + m.end("lawtype")), issued_span=(a + m.start("law_year"), y),
                    title_span=(a + m.start("law"), a + m.end("law")))
        ctx.taken.append((x, y))
        ctx.docs.append((x, y))
        return
    if m.group("law2"):
        ctx.out.add("DOC", x, y, {"doc_type": " ".join(m.group("lawtype2").split()), "number": m.group("law_number"),
                                  "title": m.group("law2")},
                    type_span=(x, a + m.end("lawtype2")), number_span=(a + m.start("law_number"), y),
                    title_span=(a + m.start("law2"), a + m.end("law2")))
        ctx.taken.append((x, y))
        ctx.docs.append((x, y))
        return
    if m.group("shared"):
        shared_documents(ctx, m)
        return
    if m.group("session"):
        session = " ".join(m.group("session").split())
        if m.group("plenum"):
            session = f"Hội nghị Trung ương {m.group('plenum')}"
        elif m.group("congress"):
            session = "Đại hội"  # of the national party congress (its number is the term)
        else:
            session = session[:1].upper() + session[1:]
        term = m.group("session_term") or m.group("congress")
        ctx.out.add("DOC", x, y, {"doc_type": m.group("type4"), "number": None, "session": session, "term": term},
                    type_span=(a + m.start("type4"), a + m.end("type4")),
                    session_span=(a + m.start("session"), a + m.end("session")),
                    term_span=(a + m.start("session_term"), a + m.end("session_term")) if m.group("session_term")
                    else (a + m.start("congress"), a + m.end("congress")) if m.group("congress") else None)
        ctx.taken.append((x, y))
        ctx.docs.append((x, y))
        return
    key = next((k for k in ("type", "type2", "type3", "type5") if m.group(k)), None)
    dtype = m.group(key) if key else None
    nkey = next((k for k in ("number", "number2", "number3", "number5") if m.group(k)), None)
    number = m.group(nkey) if nkey else None
    tstart = a + m.start(key) if key else x
    ctx.out.add("DOC", x, y, {"doc_type": dtype, "number": number},
                type_span=(tstart, tstart + len(dtype)) if dtype else None,
                number_span=(a + m.start(nkey), a + m.end(nkey)) if nkey else None)
    ctx.taken.append((x, y))
    ctx.docs.append((x, y))


def shared_documents(ctx: Context, m: re.Match[str]) -> None:
    """`Nghị quyết số 44, 45, 46-NQ/TW`: a document per number, each with the
    shared suffix; their date, issuer and title follow the last (the
    assembler shares them through ``list_start``/``list_end``)."""
    a = ctx.sent.start
    x, y = a + m.start(), a + m.end()
    dtype, suffix = m.group("type6"), m.group("suffix")
    type_span = (a + m.start("type6"), a + m.end("type6"))
    spans = [(a + m.start("shared") + n.start(), a + m.start("shared") + n.end())
             for n in re.finditer(r"\d+", m.group("shared"))]
    for i, (n0, n1) in enumerate(spans):
        ctx.out.add("DOC", x if i == 0 else n0, n1,
                    {"doc_type": dtype, "number": ctx.text[n0:n1] + suffix, "list_start": x, "list_end": y},
                    type_span=type_span, number_span=(n0, n1))
    ctx.out.add("DOC", a + m.start("number6"), y,
                {"doc_type": dtype, "number": m.group("number6"), "list_start": x, "list_end": y},
                type_span=type_span, number_span=(a + m.start("number6"), y))
    ctx.taken.append((x, y))
    ctx.docs.append((x, y))


@rule("document_dated", "regular", ("DOC",), DOC_ISSUED, lx.DOC_DATED_TYPES)
def document_dated(ctx: Context, m: re.Match[str]) -> None:
    """A document told issued, without a number, in a clause that opens with its
    day: `Ngày 9/3, Ban Chỉ đạo tỉnh đã có văn bản gửi ...` (the assembler
    keeps it only when that day is read)."""
    a = ctx.sent.start
    x, y = a + m.start("type"), a + m.end()
    if not DAY_OPENING.match(ctx.stext) or not ctx.taken.free(x, y):
        return
    ctx.out.add("DOC", x, y, {"doc_type": m.group("type"), "number": None, "dated": True},
                type_span=(x, a + m.end("type")))
    ctx.taken.append((x, y))
    ctx.docs.append((x, y))


@rule("anniversary", "regular", ("DURATION", "EVENT"), ANNIVERSARY, ("kỷ niệm",))
def anniversary(ctx: Context, m: re.Match[str]) -> None:
    """An anniversary and what it celebrates: `kỷ niệm 90 năm Ngày thành lập Đảng`."""
    a = ctx.sent.start
    g = 1 if m.group(1) else 2
    n_start = a + m.start(g)
    n_end = a + m.end(g) + len(" năm")
    ev_start = a + m.end()
    ev_end = grow(ctx.text, ev_start, ctx.sent.end, ctx.token_end, stops=lx.ANNIVERSARY_STOPS,
                  allow_comma=False, max_words=12)
    ctx.out.add("DURATION", n_start, n_end, int(m.group(g)), role="anniversary")
    if ev_end > ev_start:
        ctx.out.add("EVENT", ev_start, ev_end, None, role="anniversary")
    ctx.taken.append((n_start, ev_end))


@rule("review", "regular", ("REVIEW", "DURATION"), REVIEW, lx.REVIEW_KINDS)
def review(ctx: Context, m: re.Match[str]) -> None:
    """A review of a document's implementation: `sơ kết 5 năm thực hiện Nghị quyết ...`."""
    a = ctx.sent.start
    if m.group(2):
        years = small_number(m.group(2).lower())
        ctx.out.add("DURATION", a + m.start(2), a + m.end(2) + len(" năm"), years, role="review")
        ctx.taken.append((a + m.start(2), a + m.end(2) + len(" năm")))
    ctx.out.add("REVIEW", a + m.start(1), a + m.end(1), m.group(1).lower(), review_end=a + m.end())


@rule("duration", "regular", ("DURATION",), DURATION)
def duration(ctx: Context, m: re.Match[str]) -> None:
    """A span of years or months: `5 năm`, `ba tháng`."""
    text, a, b = ctx.text, ctx.sent.start, ctx.sent.end
    x, y = a + m.start(), a + m.end()
    if not ctx.taken.free(x, y):
        return
    n = small_number(m.group(1).lower())
    nxt = unit_at(text, skip_space(text, y), ctx.token_end) if y < b else None
    if nxt and nxt[2] not in ("other",) and not m.group(1).isdigit():
        return  # `một trăm linh năm đảng viên`: the `năm` is five
    if n is not None:
        ctx.out.add("DURATION", x, y, n, unit=m.group(2).lower())
        ctx.taken.append((x, y))


@rule("quoted_topic", "regular", ("TOPIC",), QUOTE)
def quoted_topic(ctx: Context, m: re.Match[str]) -> None:
    """A quoted title or theme."""
    a = ctx.sent.start
    ctx.out.add("TOPIC", a + m.start(1), a + m.end(1), None, quoted=True)


@rule("document_title", "regular", ("TOPIC",))
def document_title(ctx: Context, _m: None) -> None:
    """A document's title: `về ...` after the reference (and its date and issuer)."""
    text, b = ctx.text, ctx.sent.end
    for x, y in ctx.docs:
        am = ABOUT.match(text, skip_doc_tail(text, y, b), b)
        if am:
            ctx.out.add("TOPIC", am.start(), am.end(), None, quoted=False)


def tag_dates(text: str, s: Sentence, year: int | None, out: Found) -> Mask:
    """Periods and dates: patterns of the text alone, read first; returns the
    characters they claim."""
    taken = tag_periods(text, s, year, out)
    a, b = s.start, s.end
    stext = text[a:b]
    add = out.add
    free = taken.free

    for rx, kind in ((DATE_WORDS, "dmy_words"), (DATE_DMY, "dmy"), (MONTH, "my"), (YEAR, "y")):
        for m in rx.finditer(stext):
            x, y = a + m.start(), a + m.end()
            if not free(x, y):
                continue
            if kind == "dmy_words":
                val = iso(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            elif kind == "dmy":
                val = iso(int(m.group(4)), int(m.group(3)), int(m.group(1)))
            elif kind == "my":
                val = iso(int(m.group(2)), int(m.group(1)))
            else:
                val = iso(int(m.group(1)))
            if val:
                # The value words, without a leading `ngày`.
                if kind == "dmy" and text[x:x + 4].lower() == "ngày":
                    x = a + m.start(1)
                add("DATE", x, y, val, kind=kind)
            taken.append((a + m.start(), a + m.end()))
    return taken


def tag_periods(text: str, s: Sentence, year: int | None, out: Found) -> Mask:
    """Periods (`6 tháng đầu năm 2022`, `quý I/2023`, a term, `từ ... đến ...`),
    read before anything else; returns the characters they claim."""
    a, b = s.start, s.end
    stext = text[a:b]
    add = out.add
    taken = Mask(a, b)
    for m in PERIOD_RANGE.finditer(stext):
        d1, m1, y1, d2, m2, y2 = m.groups()
        y2i, m2i = int(y2), int(m2)
        y1i = int(y1) if y1 else y2i
        m1i = int(m1) if m1 else m2i
        start_iso, end_iso = iso(y1i, m1i, int(d1)), iso(y2i, m2i, int(d2))
        if start_iso and end_iso:
            add("PERIOD", a + m.start(), a + m.end(), {"start": start_iso, "end": end_iso})
            taken.append((a + m.start(), a + m.end()))
    for m in PERIOD_MONTHS.finditer(stext):
        n = small_number(m.group(1).lower())
        y = int(m.group(3)) if m.group(3) else year
        if n and 1 <= n <= 12 and y:
            if m.group(2).lower() == "đầu":
                val = {"start": f"{y:04d}-01-01", "end": month_end(y, n)}
            else:
                val = {"start": f"{y:04d}-{13 - n:02d}-01", "end": f"{y:04d}-12-31"}
            add("PERIOD", a + m.start(), a + m.end(), val)
            taken.append((a + m.start(), a + m.end()))
    for m in PERIOD_QUARTER.finditer(stext):
        q = roman_or_int(m.group(1))
        y = int(m.group(2) or m.group(3) or 0) or year
        if q and y:
            add("PERIOD", a + m.start(), a + m.end(),
                {"start": f"{y:04d}-{3 * q - 2:02d}-01", "end": month_end(y, 3 * q)})
            taken.append((a + m.start(), a + m.end()))
    for m in PERIOD_TERM.finditer(stext):
        y1, y2 = int(m.group(1)), int(m.group(2))
        if y1 <= y2:
            add("PERIOD", a + m.start(), a + m.end(), {"start": f"{y1:04d}-01-01", "end": f"{y2:04d}-12-31"})
            taken.append((a + m.start(), a + m.end()))
    return taken


def skip_doc_tail(text: str, pos: int, limit: int) -> int:
    """Past `, ngày 1/2/2020 của Ban X (khóa XI)` to where a `về ...` title may start."""
    m = _DOC_TAIL.match(text, pos, limit)
    return m.end() if m else pos


# A document's date (`ngày 5/3/2021`, `ngày 29/4`, `ngày 24 tháng 8 năm 2018`), its
# issuer (`của UBND tỉnh ...`, up to the `về` of its title), whom it was sent to
# (`gửi Sở Y tế`) and a bracket (`(khóa XI)`).
_DOC_TAIL = re.compile(r"(?:\s*,?\s*(?:ngày\s+)?(?:\d{1,2}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{4})?"
                       r"|\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?)(?![\d/.-]))?"
                       r"(?:\s*,?\s+của\s+[^\s(“\"]+(?:\s+(?!về\s)[^\s(“\",;]+){0,11})?"
                       r"(?:\s+gửi\s+[^\s(“\"]+(?:\s+(?!về\s)[^\s(“\",;]+){0,9}(?=\s+về\s))?"
                       r"(?:\s*\([^)]{0,30}\))?\s*,?\s*")
