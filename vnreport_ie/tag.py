"""Stage 3: entities and numbers, with values, on the ``Doc``.

Rules where the language is regular: numbers with their unit nouns, dates,
periods, document references, terms. Phrase entities (courses, meetings,
groups, organisations, topics, tally activities and units) are grown from
their trigger words to the next phrase boundary, reading the underthesea words
so that a boundary never falls inside a word.

Every entity is a character span of the NFC text with a value; the relation
stage reads the ``attrs`` (unit class, hedge, role in the clause).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass
from typing import Any, Collection, Iterable

from spacy.attrs import IDX, IS_SPACE, LENGTH
from spacy.tokens import Doc

from . import lexicon as lx
from .numbers import (HEDGES, VAGUE, digits_to_number, iso, month_end, roman_or_int,
                      small_number, words_to_int)
from .tag_model import PhraseModel, merge
from .layout import lead_bounds, sentences
from .types import Entity, work_text

_W = r"[^\W\d_]"  # a letter
_B = r"(?<![^\W_])"  # no letter or digit before
_E = r"(?![^\W_])"  # no letter or digit after

_NUMWORD = r"(?:một|mốt|hai|ba|bốn|tư|năm|lăm|sáu|bảy|bẩy|tám|chín|mười|mươi|trăm|linh|lẻ|nghìn|ngàn|triệu)"
_HEDGE = "|".join(sorted((re.escape(h) for h in HEDGES), key=len, reverse=True))
_VAGUE = "|".join(sorted((re.escape(v) for v in VAGUE), key=len, reverse=True))
NUMBER = re.compile(
    rf"{_B}(?:(?P<hedge>{_HEDGE})\s+)?"
    rf"(?:(?P<vague>{_VAGUE})"
    rf"|(?P<digits>\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?|\d{{1,15}}(?:,\d+)?)(?![\d/.,-]\d)(?:\s+(?P<scale>nghìn|ngàn|vạn|triệu)(?!\s+đồng))?"
    rf"|(?P<words>{_NUMWORD}(?:\s+{_NUMWORD}){{0,6}}))"
    rf"\s+(?=[^\W\d_])",
    re.IGNORECASE,
)
DATE_DMY = re.compile(rf"{_B}(?:(?:ngày|Ngày)\s+)?(\d{{1,2}})\s*([/.-])\s*(\d{{1,2}})\s*\2\s*(\d{{4}}){_E}")
DATE_WORDS = re.compile(rf"{_B}[Nn]gày\s+(\d{{1,2}})\s+tháng\s+(\d{{1,2}})\s+năm\s+(\d{{4}}){_E}")
MONTH = re.compile(rf"{_B}[Tt]háng\s+(\d{{1,2}})\s*(?:/|-|\s+năm\s+)\s*(\d{{4}}){_E}")
YEAR = re.compile(rf"{_B}[Nn]ăm\s+(\d{{4}}){_E}")
PERIOD_MONTHS = re.compile(
    rf"{_B}(\d{{1,2}}|ba|sáu|chín|mười hai)\s+tháng\s+(đầu|cuối)\s+năm(?:\s+(\d{{4}}))?{_E}",
    re.IGNORECASE)
PERIOD_QUARTER = re.compile(
    rf"{_B}[Qq]uý\s+(IV|I{{1,3}}|[1-4])(?:\s*[/-]\s*(\d{{4}})|\s+năm\s+(\d{{4}}))?{_E}")
PERIOD_TERM = re.compile(rf"{_B}[Nn]hiệm\s+kỳ\s+(\d{{4}})\s*[-–]\s*(\d{{4}}){_E}")
PERIOD_RANGE = re.compile(
    rf"{_B}[Tt]ừ\s+(?:ngày\s+)?(\d{{1,2}})(?:\s*/\s*(\d{{1,2}}))?(?:\s*/\s*(\d{{4}}))?"
    rf"\s+(?:đến|tới|-)\s+(?:ngày\s+)?(\d{{1,2}})\s*/\s*(\d{{1,2}})\s*/\s*(\d{{4}}){_E}")
DURATION = re.compile(rf"{_B}(\d{{1,3}}|{_NUMWORD}(?:\s+{_NUMWORD}){{0,3}})\s+(năm|tháng)(?!\s+(?:\d|đầu|cuối))",
                      re.IGNORECASE)
TERM = re.compile(rf"{_B}[Kk]h(?:óa|oá)\s+([IVXLC]+){_E}")
_DOC_TYPES = "|".join(sorted((re.escape(t) for t in lx.DOC_TYPES), key=len, reverse=True))
DOC_NUMBER = r"\d+(?:/\d{2,4})?(?:[-/][A-ZĐ][A-ZĐa-zđ]*)+(?:-[A-ZĐ0-9]+)*"
DOC = re.compile(
    rf"{_B}(?P<type>{_DOC_TYPES})\s+(?:(?:số|Số)\s+)?(?P<number>{DOC_NUMBER})"
    rf"|{_B}(?P<type2>{_DOC_TYPES})(?:\s+(?:số|Số))?(?=\s*,?\s+ngày\s+\d)"
    rf"|{_B}(?:số|Số)\s+(?P<number2>{DOC_NUMBER})",
    re.IGNORECASE)
QUOTE = re.compile(r"[\"“]([^\"“”\n]{3,400})[\"”]")
ABOUT = re.compile(r"về\s+[^;.\n“\"”]{5,300}")
ANNIVERSARY = re.compile(rf"{_B}[Kk]ỷ niệm\s+(\d{{1,4}})\s+năm\s+")
REVIEW = re.compile(rf"{_B}([Ss]ơ kết|[Tt]ổng kết)\s+(?:(\d{{1,3}}|{_NUMWORD}(?:\s+{_NUMWORD}){{0,2}})\s+năm\s+)?"
                    r"(?:thực hiện\s+|triển khai\s+|việc thực hiện\s+)?")
# What every period pattern holds, and what a period or a year (`năm 2021`) holds.
_PERIODISH = re.compile(r"tháng\s+(?:đầu|cuối)|quý|nhiệm\s+kỳ|từ\s+(?:ngày\s+)?\d", re.IGNORECASE)
_YEARISH = re.compile(_PERIODISH.pattern + r"|năm\s+\d", re.IGNORECASE)
# Triggers of courses and meetings named without a count of their own.
COURSE_WORD = re.compile(r"(?<![^\W_])(?:lớp|khóa|khoá)\s+(?=\w)")
HOLD_WORD = re.compile(r"(?<![^\W_])(?:tổ chức|mở|khai giảng|phối hợp tổ chức)\s+")
# A listed sub-course with its headcount in brackets: `; Kiểm tra giám sát (90 học viên)`.
LIST_ITEM = re.compile(r"(?:(?<=[:;,])|(?<=[:;,] ))\s*([^\W\d_][^():;,\n]{1,80}?)\s*\(\s*(?=[^)]*\))")
MEETING_WORD = re.compile(r"(?<![^\W_])(?:[Hh]ội nghị|[Hh]ội thảo|[Tt]ọa đàm|[Tt]oạ đàm|[Dd]iễn đàn)(?![^\W_])")
MONEY_AFTER = re.compile(r"\s*(?:tỷ|tỉ|triệu|nghìn|ngàn)?\s*(?:đồng|USD|usd|VNĐ|VND|đ\b)")


LEXICON_FILE = "lexicon.json"


def load_activities(path) -> list[str]:
    """Tally verbs learned from the corpus (a JSON list; never code)."""
    import json
    from pathlib import Path

    p = Path(path)
    if not p.exists():
        return []
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ValueError(f"cannot load lexicon {p}: {exc or type(exc).__name__}") from None
    acts = data.get("activities") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("format") != "vnreport_ie.lexicon/1" or not isinstance(acts, list) \
            or not all(isinstance(a, str) for a in acts):
        raise ValueError(f"{p} is not a vnreport_ie lexicon (format tag or activities list missing)")
    return acts


@dataclass
class _Sent:
    start: int
    end: int
    paragraph: int
    index: int


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


class Tagger:
    """``Tagger(extra_activities, phrase_model)(doc) -> doc`` with ``doc._.entities`` set.

    ``extra_activities`` are tally verbs learned from the corpus
    (``models/lexicon.json``), added to the general ones of :mod:`lexicon`;
    ``phrase_model`` (``models/phrases.json``) corrects the phrase spans.
    """

    name = "tag"

    def __init__(self, extra_activities: Iterable[str] = (), phrase_model: PhraseModel | None = None) -> None:
        self.activities = frozenset(lx.ACTIVITY_VERBS) | frozenset(a.lower() for a in extra_activities)
        self.verbs_rx = activity_pattern(self.activities)
        self.phrase_model = phrase_model

    def rule_entities(self, doc: Doc) -> tuple[list[tuple[str, int, int, Any, dict[str, Any]]], list[_Sent]]:
        text = work_text(doc)
        year = report_year(text)
        token_end = {i: i + n for i, n, space in doc.to_array([IDX, LENGTH, IS_SPACE]).tolist() if not space}
        found: list[tuple[str, int, int, Any, dict[str, Any]]] = []
        sents = _sentences(doc)
        skipped = {a for a, _b in doc._.skipped or ()}
        title_end, lead = lead_bounds(text) if skipped else (0, 0)
        for sent in sents:
            if sent.start not in skipped:
                found.extend(_tag_sentence(text, sent, token_end, year, self.verbs_rx))
            elif sent.start < lead:
                # The record's period is read in the lead, analysed or not (a
                # period, or a year in the title): patterns of the text, not of its words.
                in_title = sent.start < max(title_end, 1)
                if (_YEARISH if in_title else _PERIODISH).search(text, sent.start, sent.end):
                    dates = _Found(text, sent)
                    (tag_dates if in_title else tag_periods)(text, sent, year, dates)
                    found.extend(dates)
        return found, sents

    def __call__(self, doc: Doc) -> Doc:
        text = work_text(doc)
        found, sents = self.rule_entities(doc)
        model = self.phrase_model
        if model is not None and model.mode != "rules" and found:
            rule_spans: dict[str, list[tuple[int, int]]] = {}
            for label, a, b, _v, _attrs in found:
                rule_spans.setdefault(label, []).append((a, b))
            found = merge(found, model.predict(doc, rule_spans), model.mode, text)
            found = [_with_place(e, sents, text) for e in found]
        found = _resolve(found)
        ents = tuple(Entity(i, label, a, b, doc._.source_text[a:b], value, tuple(sorted(attrs.items())))
                     for i, (label, a, b, value, attrs) in enumerate(found))
        doc._.entities = ents
        return doc


def _with_place(e, sents: list[_Sent], text: str):
    """Sentence and paragraph of an entity the learned model added."""
    label, a, b, value, attrs = e
    if "sent" in attrs:
        return e
    s = next((s for s in sents if s.start <= a < s.end), sents[-1] if sents else _Sent(0, len(text), 0, 0))
    attrs = {**attrs, "sent": s.index, "para": s.paragraph}
    if label == "ORG":
        attrs["subject"] = _is_subject(text, a, s.start)
    return label, a, b, value, attrs


class _Mask:
    """Characters of a sentence already claimed by a date, period or document;
    one byte per character, so checking a span costs its length, not the
    number of spans claimed before it."""

    def __init__(self, lo: int, hi: int) -> None:
        self.lo = lo
        self.mask = bytearray(hi - lo)

    def append(self, span: tuple[int, int]) -> None:
        a, b = max(span[0] - self.lo, 0), max(span[1] - self.lo, 0)
        self.mask[a:b] = b"\x01" * len(self.mask[a:b])

    def free(self, x: int, y: int) -> bool:
        return 1 not in self.mask[max(x - self.lo, 0):max(y - self.lo, 0)]


def _sentences(doc: Doc) -> list[_Sent]:
    cut = doc._.sentences if doc._.sentences is not None else sentences(work_text(doc))
    return [_Sent(a, b, p, i) for i, (a, b, p) in enumerate(cut)]


def _lex_at(text: str, pos: int, words: Iterable[str]) -> int | None:
    """End of the longest lexicon entry starting at ``pos`` (word-bounded).

    Any run of whitespace matches the space inside an entry, so blanked markup
    or a doubled space (`học   viên`) does not hide a word.
    """
    key = words if isinstance(words, (frozenset, tuple)) else tuple(words)
    m = _lexicon_pattern(key).match(text, pos)
    return m.end() if m else None


@lru_cache(maxsize=256)
def _lexicon_pattern(words: frozenset[str] | tuple[str, ...]) -> re.Pattern[str]:
    # Longest entries first, so the alternation returns the longest match.
    alts = sorted(set(words), key=lambda w: (-len(w), w))
    body = "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in alts if w.strip())
    return re.compile(rf"(?:{body})(?!\w)", re.IGNORECASE)


def _next_word(text: str, pos: int, token_end: dict[int, int]) -> tuple[int, int] | None:
    while pos < len(text) and text[pos] == " ":
        pos += 1
    if pos >= len(text) or not text[pos].isalpha():
        return None
    if pos in token_end and text[pos:token_end[pos]].replace(" ", "").isalpha():
        return pos, token_end[pos]
    m = re.match(r"\w+", text[pos:])
    return (pos, pos + m.end()) if m else None


def _prev_word(text: str, pos: int, lo: int) -> str:
    """The last one or two words before ``pos`` (not before ``lo``), lower-cased:
    the match of ``(\\w+(?:\\s+\\w+)?)\\s*$`` on ``text[lo:pos]``, read backwards
    so that the cost does not grow with the sentence."""
    i = pos
    while i > lo and text[i - 1].isspace():
        i -= 1
    j = _word_start(text, i, lo)
    if j == i:
        return ""
    k = j
    while k > lo and text[k - 1].isspace():
        k -= 1
    if k < j:
        m = _word_start(text, k, lo)
        if m < k:
            return text[m:i].lower()
    return text[j:i].lower()


def _word_start(text: str, i: int, lo: int) -> int:
    # `\w` is exactly `isalnum()` or the underscore.
    while i > lo and (text[i - 1].isalnum() or text[i - 1] == "_"):
        i -= 1
    return i


def _unit(text: str, pos: int, token_end: dict[int, int]) -> tuple[int, int, str] | None:
    """The unit noun at ``pos``: (start, end, class)."""
    for cls, lexicon in (("points", lx.POINT_UNITS), ("papers", lx.PAPER_UNITS),
                         ("class", lx.CLASS_UNITS), ("meeting", lx.MEETING_NOUNS),
                         ("person", lx.PERSON_UNITS)):
        end = _lex_at(text, pos, lexicon)
        if end:
            if cls == "person":
                return pos, end, cls
            return pos, end, cls
    low = text[pos:pos + 30].lower()
    if low.startswith("lượt"):
        return pos, pos + 4, "attendance"
    first = _next_word(text, pos, token_end)
    if first is None:
        return None
    word = text[first[0]:first[1]].lower()
    if word in lx.MEETING_PREFIX:
        second = _lex_at(text, first[1] + 1, lx.MEETING_SECOND) if first[1] < len(text) else None
        if second:
            return pos, second, "meeting"
    if word == "bài":
        nxt = _lex_at(text, first[1] + 1, lx.PAPER_UNITS) if first[1] < len(text) else None
        if nxt:
            return pos, first[1], "papers"
    return first[0], first[1], "other"


def _grow(text: str, pos: int, limit: int, token_end: dict[int, int], *, stops: frozenset[str],
          allow_comma: bool = True, max_words: int = 30, keep: frozenset[str] | None = None,
          after_comma: frozenset[str] | None = None, count_starts: frozenset[int] = frozenset(),
          stop_at_digit: bool = False) -> int:
    """End of a phrase from ``pos``: words until a stop word or hard punctuation.

    A comma continues the phrase only when the next word is not a stop word
    and not a number (``cán bộ, công chức``); ``keep`` restricts the words
    allowed at all (used for meeting modifiers and organisation names).
    """
    end = pos
    i = pos
    words = 0
    while i < limit and words < max_words:
        while i < limit and text[i] == " ":
            i += 1
        if i >= limit:
            break
        ch = text[i]
        if ch in ",":
            j = i + 1
            while j < limit and text[j] == " ":
                j += 1
            if not allow_comma or j >= limit or not text[j].isalpha():
                break
            if _lex_at(text, j, stops) or j in count_starts:
                break
            if after_comma is not None and not _lex_at(text, j, after_comma):
                break
            if keep is not None and not _lex_at(text, j, keep):
                break
            i = j
            continue
        if ch == "-" and i + 1 < limit and text[i + 1].isalpha():
            i += 1
            continue
        if not (ch.isalnum()):
            break
        if ch.isdigit():
            m = re.match(r"\d+", text[i:limit])
            # The next count ends the phrase; a number inside a name does not
            # (but what a tally counts never runs into another figure).
            if i in count_starts or stop_at_digit:
                break
            end = i + (m.end() if m else 1)
            i = end
            words += 1
            continue
        stop = _lex_at(text, i, stops)
        if stop:
            break
        word = _next_word(text, i, token_end)
        if word is None:
            break
        w_end = min(word[1], limit)
        if keep is not None and not text[i].isupper():
            k = _lex_at(text, i, keep)
            if not k:
                break
            w_end = max(w_end, k) if k <= limit else w_end
        end = w_end
        i = w_end
        words += 1
    return end


class _Found(list):
    """One sentence's entities as (label, start, end, value, attrs)."""

    def __init__(self, text: str, s: _Sent) -> None:
        super().__init__()
        self.text = text
        self.base = {"sent": s.index, "para": s.paragraph}

    def add(self, label: str, start: int, end: int, value: Any = None, **attrs: Any) -> None:
        while end > start and self.text[end - 1] in " ,;:.":
            end -= 1
        if end > start:
            self.append((label, start, end, value, {**self.base, **attrs}))


def _tag_sentence(text: str, s: _Sent, token_end: dict[int, int], year: int | None,
                  verbs_rx: re.Pattern[str]) -> _Found:
    out = _Found(text, s)
    taken = tag_regular(text, s, token_end, year, out)
    counts = tag_counts(text, s, token_end, taken, verbs_rx, out)
    _tag_phrases(text, s, token_end, counts, verbs_rx, out)
    return out


def tag_regular(text: str, s: _Sent, token_end: dict[int, int], year: int | None, out: _Found) -> _Mask:
    """Dates, periods, durations, terms, documents, anniversaries, reviews and
    quoted topics; returns the characters they claim, where no count starts.

    Only the anniversary's event reads word ends; with none known
    (``token_end`` empty) it grows syllable by syllable and so never further.
    """
    taken = tag_dates(text, s, year, out)
    a, b = s.start, s.end
    stext = text[a:b]
    add = out.add
    free = taken.free
    for m in TERM.finditer(stext):
        add("TERM", a + m.start(), a + m.end(), m.group(1).upper())
        taken.append((a + m.start(), a + m.end()))
    docs: list[tuple[int, int]] = []
    for m in DOC.finditer(stext):
        dtype = m.group("type") or m.group("type2")
        number = m.group("number") or m.group("number2")
        x, y = a + m.start(), a + m.end()
        tstart = a + (m.start("type") if m.group("type") else m.start("type2") if m.group("type2") else m.start())
        add("DOC", x, y, {"doc_type": dtype, "number": number},
            type_span=(tstart, tstart + len(dtype)) if dtype else None,
            number_span=((a + m.start("number")) if m.group("number") else (a + m.start("number2")) if number else None,
                         y) if number else None)
        taken.append((x, y))
        docs.append((x, y))
    for m in ANNIVERSARY.finditer(stext):
        n_start = a + m.start(1)
        n_end = a + m.end(1) + len(" năm")
        ev_start = a + m.end()
        ev_end = _grow(text, ev_start, b, token_end, stops=frozenset({"của", "và", "tại", "với", "cho", "gắn"}),
                       allow_comma=False, max_words=12)
        add("DURATION", n_start, n_end, int(m.group(1)), role="anniversary")
        if ev_end > ev_start:
            add("EVENT", ev_start, ev_end, None, role="anniversary")
        taken.append((n_start, ev_end))
    for m in REVIEW.finditer(stext):
        kind_span = (a + m.start(1), a + m.end(1))
        years = None
        if m.group(2):
            years = small_number(m.group(2).lower())
            add("DURATION", a + m.start(2), a + m.end(2) + len(" năm"), years, role="review")
            taken.append((a + m.start(2), a + m.end(2) + len(" năm")))
        add("REVIEW", kind_span[0], kind_span[1], m.group(1).lower(), review_end=a + m.end())
    for m in DURATION.finditer(stext):
        x, y = a + m.start(), a + m.end()
        if not free(x, y):
            continue
        n = small_number(m.group(1).lower())
        nxt = _unit(text, _skip_space(text, y), token_end) if y < b else None
        if nxt and nxt[2] not in ("other",) and not m.group(1).isdigit():
            continue  # `một trăm linh năm đảng viên`: the `năm` is five
        if n is not None:
            add("DURATION", x, y, n, unit=m.group(2).lower())
            taken.append((x, y))
    for m in QUOTE.finditer(stext):
        add("TOPIC", a + m.start(1), a + m.end(1), None, quoted=True)
    for x, y in docs:
        am = ABOUT.match(text, _skip_doc_tail(text, y, b), b)
        if am:
            add("TOPIC", am.start(), am.end(), None, quoted=False)

    return taken


def tag_dates(text: str, s: _Sent, year: int | None, out: _Found) -> _Mask:
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


def tag_periods(text: str, s: _Sent, year: int | None, out: _Found) -> _Mask:
    """Periods (`6 tháng đầu năm 2022`, `quý I/2023`, a term, `từ ... đến ...`),
    read before anything else; returns the characters they claim."""
    a, b = s.start, s.end
    stext = text[a:b]
    add = out.add
    taken = _Mask(a, b)
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


def tag_counts(text: str, s: _Sent, token_end: dict[int, int], taken: _Mask, verbs_rx: re.Pattern[str],
               out: _Found, exact_units: bool = True, only: Collection[int] | None = None
               ) -> list[tuple[int, int, Any, dict[str, Any], int]]:
    """Numbers with their unit nouns: (start, end, value, attrs, unit start) of each count.

    Only a unit outside the lexicons reads word ends (its first word). With
    ``exact_units=False`` the filters that read that word are skipped where
    the word could be longer than its first syllable, so the counts are a
    superset of the exact ones whatever the word ends are: what
    :mod:`vnreport_ie.scan` needs before any word is segmented. With ``only``,
    just the numbers starting at those places are read (a superset again: a
    number there may lie inside a longer one in the sentence).
    """
    a, b = s.start, s.end
    stext = text[a:b]
    add = out.add
    free = taken.free
    counts = []
    matches = NUMBER.finditer(stext) if only is None else \
        [m for m in (NUMBER.match(stext, p - a) for p in sorted(only) if a <= p < b) if m]
    for m in matches:
        x, y = a + m.start(), a + m.end()
        num_start = a + (m.start("vague") if m.group("vague") else m.start("digits") if m.group("digits") else m.start("words"))
        if not free(num_start, y - 1):
            continue
        if num_start >= 2 and text[num_start - 1] in "-/.," and text[num_start - 2].isalnum():
            continue  # `Covid-19`, `12-NQ`, `1.2.3.4.5`: part of a name or a label
        if num_start >= 1 and text[num_start - 1].isdigit():
            continue  # the tail of a longer run of digits
        unit = _unit(text, y, token_end)
        if unit is None:
            continue
        u_start, u_end, u_class = unit
        unit_text = text[u_start:u_end].lower()
        # A unit outside the lexicons is a word of the segmenter: without word
        # ends known it is sure only where no letter follows the syllable.
        sure = exact_units or u_class != "other" or _closed(text, u_end)
        if u_class == "other" and re.search(r"(?<!\w)cho\s*$", text[max(a, num_start - 6):num_start]) \
                and not m.group("vague"):
            u_class = "person"  # `cho 146 chi hội trưởng`: whoever a course or meeting is for
            via_cho = True
        else:
            via_cho = False
        if MONEY_AFTER.match(text, y - 1) or sure and (
                unit_text in lx.NON_COUNT_UNITS or unit_text in lx.FUNCTION_WORDS):
            continue
        if unit_text in ("khóa", "khoá") and TERM.match(text, num_start - 0) is None \
                and re.match(r"\s+[IVXLC]+(?![^\W_])", text[u_end:u_end + 8]):
            continue  # `5 khóa XIII`: a term, not five courses
        if u_class == "other" and unit_text[:1].isupper() is False and text[u_start].isupper():
            continue  # `5 Nga-Ukraina`: a number before a name is not a count
        prev = _prev_word(text, num_start, a)
        prev_last = prev.split()[-1] if prev else ""
        if (prev in lx.ORDINAL_NOUNS or prev_last in lx.ORDINAL_NOUNS) and not verbs_rx.fullmatch(prev):
            continue  # `đối tượng 4`, `lần thứ 3`; but `xếp loại 412 ...` is a verb and its object
        before = text[max(a, num_start - 20):num_start].rstrip()
        if before and before.split()[-1][:1].isupper() and not m.group("hedge") and before[-1].isalpha() \
                and before.split()[-1].lower() not in ("có", "gồm", "với", "cho", "mở", "đã"):
            continue  # `Hội nghị Trung ương 5`, `Quận 3`: a label, not a count
        value: int | None
        approx = None
        if m.group("vague"):
            if m.group("vague").lower() == "nhiều" and u_class not in ("class", "meeting"):
                continue  # `nhiều hoạt động`: "many", not an amount anyone would tabulate
            value, approx = None, m.group("vague").lower()
        elif m.group("digits"):
            v = digits_to_number(m.group("digits"), m.group("scale"))
            value = v if isinstance(v, int) else None
            if v is None or isinstance(v, float) or v > 2**53:
                continue  # not a whole number, or beyond what JSON readers keep exact
        else:
            value = words_to_int(m.group("words"))
            if value is None or u_class == "other":
                continue
            if value == 1 and m.group("words").lower() == "một" and u_class not in ("class", "meeting"):
                continue
        if m.group("hedge"):
            approx = m.group("hedge").lower()
        if not m.group("hedge"):
            x = num_start
        attrs = {"unit": unit_text, "unit_class": u_class, "approx": approx, "via_cho": via_cho}
        counts.append((x, u_end, value, attrs, u_start))
        add("COUNT", x, u_end, value, **attrs)
    return counts


def _tag_phrases(text: str, s: _Sent, token_end: dict[int, int],
                 counts: list[tuple[int, int, Any, dict[str, Any], int]], verbs_rx: re.Pattern[str],
                 out: _Found) -> None:
    """Courses, meetings, groups, tallies and organisations grown from their trigger words."""
    a, b = s.start, s.end
    stext = text[a:b]
    add = out.add
    cs = frozenset(c[0] for c in counts)
    group_comma = lx.PERSON_UNITS | lx.PLACE_NOUNS | frozenset({"các"})
    # Phrase entities grown from counts.
    for x, y, value, attrs, u_start in counts:
        cls = attrs["unit_class"]
        if cls == "class":
            c_end = _grow(text, y, b, token_end, stops=_COURSE_STOPS, count_starts=cs)
            if c_end > y:
                add("COURSE", _skip_space(text, y), c_end, None, counted=True,
                    has_colon=text[c_end:c_end + 2].strip().startswith(":"))
        elif cls == "meeting":
            k_end = _grow(text, y, b, token_end, stops=lx.PHRASE_STOPS, max_words=6,
                          keep=lx.MEETING_MODIFIERS, count_starts=cs)
            add("EVENT", u_start, max(k_end, y), None, counted=True)
        elif cls in ("person", "attendance"):
            g_start = _group_start(text, u_start, y, b, cls, attrs.get("via_cho", False))
            if g_start is not None:
                g_end = _grow(text, g_start, b, token_end, stops=_GROUP_STOPS, max_words=40,
                              after_comma=group_comma, count_starts=cs)
                if g_end > g_start:
                    add("GROUP", g_start, g_end, None)
        # Tally: the verb phrase before the count and the noun phrase after it.
        act = _activity_before(text, x, a, verbs_rx)
        if act and cls not in ("class", "meeting", "points", "papers"):
            add("ACTIVITY", act[0], act[1], None)
            un_end = _grow(text, u_start, b, token_end, stops=_UNIT_STOPS, max_words=10, count_starts=cs,
                           stop_at_digit=True)
            if un_end > u_start:
                add("UNIT", u_start, un_end, None)

    # Courses without a count of classes: `mở lớp X cho ...`, `tổ chức đào tạo, bồi dưỡng cho N ...`,
    # and sub-courses listed after a colon: `Công tác Mặt trận (98 học viên)`.
    for m in COURSE_WORD.finditer(stext):
        x = a + m.end()
        if _prev_is_number(text, a + m.start(), a):
            continue
        c_end = _grow(text, x, b, token_end, stops=_COURSE_STOPS, count_starts=cs)
        if c_end > x and _has_person_count_after(counts, c_end, b, text):
            add("COURSE", x, c_end, None, counted=False)
    for m in HOLD_WORD.finditer(stext):
        x = a + m.end()
        if not _lex_at(text, x, lx.TRAINING_WORDS):
            continue
        c_end = _grow(text, x, b, token_end, stops=_COURSE_STOPS - lx.TRAINING_WORDS - {"tổ chức"},
                      count_starts=cs)
        nxt = text[c_end:c_end + 6].lower().strip()
        if c_end > x and nxt.startswith("cho") and _has_person_count_after(counts, c_end, b, text, within=12):
            add("COURSE", x, c_end, None, counted=False, total=True)
    for m in LIST_ITEM.finditer(stext):
        x = a + m.start(1)
        inner_start = a + m.end()
        if any(cx == inner_start and c[3]["unit_class"] in ("person", "attendance")
               for c in counts for cx in (c[0],)):
            add("COURSE", x, a + m.end(1), None, counted=False, item=True)
    # Groups after `cho` with no count: `cho các đối tượng ở địa phương, đơn vị`.
    for m in re.finditer(r"(?<![^\W_])cho\s+(?=[^\W\d_])", stext):
        x = a + m.end()
        if NUMBER.match(text, x) or _lex_at(text, x, ("biết", "rằng", "thấy", "phép")):
            continue
        g_end = _grow(text, x, b, token_end, stops=_GROUP_STOPS, max_words=15,
                      after_comma=group_comma, count_starts=cs)
        if g_end > x:
            add("GROUP", x, g_end, None, uncounted=True)
    # Meetings named without a count: `tổ chức Hội thảo khoa học với chủ đề ...`.
    for m in MEETING_WORD.finditer(stext):
        x = a + m.start()
        if _prev_is_number(text, x, a):
            continue
        k_end = _grow(text, a + m.end(), b, token_end, stops=lx.PHRASE_STOPS, max_words=6,
                      keep=lx.MEETING_MODIFIERS, count_starts=cs)
        k_end = max(k_end, a + m.end())
        if re.match(r"\s*(?:\d|lần thứ|khóa [IVXLC])", text[k_end:k_end + 12]) or any(c.isdigit() for c in text[x:k_end]):
            continue  # a numbered session (`Hội nghị Trung ương 5`) is a name, not a meeting held
        add("EVENT", x, k_end, None, counted=False)
    # Organisations: a head noun grown through name words.
    for m in _ORG_HEAD.finditer(stext):
        x = a + m.start()
        if x > a and text[x - 1].isalpha():
            continue
        o_end = _grow(text, a + m.end(), b, token_end, stops=_ORG_STOPS, max_words=12,
                      keep=lx.ORG_CONTINUATION, after_comma=lx.PLACE_NOUNS, count_starts=cs)
        o_end = max(o_end, a + m.end())
        # `và các đảng ủy ...` joins a plural subject; a dangling `và` does not.
        tail = re.match(r"\s+và\s+các\s+", text[o_end:b])
        if tail and _ORG_HEAD.match(text, o_end + tail.end() - 4):
            o_end = max(o_end, _grow(text, o_end + tail.end() - 4, b, token_end, stops=_ORG_STOPS,
                                     max_words=12, keep=lx.ORG_CONTINUATION, count_starts=cs))
        head_low = m.group().lower()
        if not m.group()[0].isupper() and not head_low.startswith("các"):
            continue
        if head_low in ("ban", "hội", "đoàn", "báo", "đài", "phòng", "bộ", "sở", "trường", "trung tâm") \
                and o_end == a + m.end():
            continue  # a bare head word is not a name
        subject = _is_subject(text, x, a)
        add("ORG", x, o_end, None, subject=subject)


_COURSE_STOPS = frozenset({"cho", "với", "do", "tại", "gồm", "nhằm", "để", "thu hút", "có", "tham dự",
                           "trong đó", "khai giảng", "bế giảng", "được", "đã", "đang", "từ ngày",
                           "trong", "theo", "thời gian", "kéo dài", "diễn ra", "vào"})
_GROUP_STOPS = frozenset({"tham dự", "tham gia", "dự", "được", "đã", "đang", "học tập", "với",
                          "gồm", "trong đó", "tại", "theo", "nhằm", "để", "về", "do", "thông qua",
                          "trực tiếp", "trực tuyến", "cùng", "như", "là", "từ", "đạt", "trên",
                          "học", "tăng", "giảm", "so với", "và các", "đến", "vào", "hoàn thành", "mở",
                          "tổ chức", "cho", "ở các", "kết hợp", "thực hiện", "nhận", "chiếm",
                          "trong", "sau", "được kết nạp", "dưới", "qua", "trao", "có", "nghe"})
_UNIT_STOPS = frozenset({"của", "cho", "với", "tại", "trong", "trên", "và", "được", "đã", "đang",
                         "vi phạm", "theo", "về", "do", "nhằm", "để", "có", "đạt", "từ", "đến",
                         "thuộc", "trực thuộc", "ở", "gồm", "trị giá", "với tổng", "tổng"})
_ORG_STOPS = frozenset(lx.PHRASE_STOPS - {"tuyên giáo", "dân vận", "chỉ đạo", "bồi dưỡng", "đào tạo",
                                          "tuyên truyền", "giám sát"})
_ORG_HEAD = re.compile(
    r"(?<![^\W_])(?:" + "|".join(sorted((re.escape(h) for h in lx.ORG_HEADS), key=len, reverse=True))
    + r")(?![^\W_])", re.IGNORECASE)


def _group_start(text: str, u_start: int, count_end: int, limit: int, cls: str, via_cho: bool) -> int | None:
    """Where the participant group of a person count starts, or None.

    `6.330 cán bộ chủ chốt` -> at `cán bộ`; `24.737 lượt cán bộ` -> after `lượt`;
    `200 đại biểu là bí thư chi bộ` -> after `là`; a bare `học viên` has no group.
    """
    start = _skip_space(text, count_end) if cls == "attendance" else u_start
    p_end = _lex_at(text, start, lx.PERSON_UNITS)
    if p_end is not None and text[start:p_end].lower() not in lx.GENERIC_PERSON:
        return start
    la = re.match(r"\s*(?:đại biểu|học viên|người|lượt người)?\s*là\s+", text[start:limit])
    if la:
        return start + la.end()
    return start if via_cho and p_end is None else None


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] == " ":
        pos += 1
    return pos


def _skip_doc_tail(text: str, pos: int, limit: int) -> int:
    """Past `, ngày 1/2/2020 của Ban X (khóa XI)` to where a `về ...` title may start."""
    m = re.compile(r"(?:\s*,?\s*(?:ngày\s+)?\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4})?"
                   r"(?:\s+của\s+[^\s(“\"]+(?:\s+(?!về\s)[^\s(“\",;]+){0,6})?"
                   r"(?:\s*\([^)]{0,30}\))?\s*").match(text, pos, limit)
    return m.end() if m else pos


def _prev_is_number(text: str, pos: int, lo: int) -> bool:
    m = re.search(r"(\S+)\s*$", text[lo:pos])
    if not m:
        return False
    w = m.group(1).lower()
    return bool(re.fullmatch(r"[\d.,]+", w)) or words_to_int(w) is not None or w in ("chục", "trăm")


def _has_person_count_after(counts, pos: int, limit: int, text: str, within: int = 40) -> bool:
    for x, _y, _v, attrs, _u in counts:
        if pos <= x <= min(limit, pos + within + 20) and attrs["unit_class"] in ("person", "attendance"):
            gap = text[pos:x]
            if ";" not in gap and "." not in gap:
                return True
    return False


def activity_pattern(verbs: Iterable[str]) -> re.Pattern[str]:
    """Any of ``verbs`` as a whole word, the longest first."""
    return re.compile(rf"(?<![^\W_])(?:{trie_pattern(sorted({v.lower() for v in verbs if v.strip()}))})(?![^\W_])",
                      re.IGNORECASE)


def trie_pattern(words: Iterable[str]) -> str:
    """One regex alternation for many words, as a trie: Python's ``re`` tries
    the branches of a flat alternation one by one at every position, a trie
    only the branches that share the next character. Longer entries win, as in
    a flat alternation sorted longest first."""
    root: dict[str, dict] = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + build(node[ch]) for ch in sorted(k for k in node if k)]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)



_GAP_FILLER = re.compile(r"(?:\s+(?:cho|được|thêm|mới|tổng số|tổng cộng|tổng|tại|đối với|với))+\s*$")


def _activity_before(text: str, pos: int, lo: int, verbs_rx: re.Pattern[str]) -> tuple[int, int] | None:
    """The verb phrase before a count, in the same clause.

    The nearest action verb counts when at most six words stand between it and
    the number (`tặng Bằng khen cho 12 tập thể`, `giám sát chuyên đề 187 ...`);
    verbs coordinated before it join (`phổ biến, quán triệt 12 ...`).
    """
    window = text[max(lo, pos - 90):pos]
    off = pos - len(window)
    cut = max(window.rfind(c) for c in ";:.()\n")
    if cut >= 0:
        window = window[cut + 1:]
        off += cut + 1
    # Verbs are matched in the text itself (a word cut by the window's edge is
    # not a verb). A "verb" right after a number is a noun (`78 tổ chức cơ sở đảng`).
    hits = [(h.start() - off, h.end() - off) for h in verbs_rx.finditer(text, off, pos)
            if not _after_digit(window, h.start() - off)]
    if not hits:
        return None
    last = hits[-1]
    gap = window[last[1]:]
    if "," in gap or len(gap.split()) > 6 or re.search(r"\d", gap) or re.search(r"(?<!\w)(?:có|còn|là)(?!\w)", gap):
        return None  # `hiện có 78 ...`, `còn 12 chi bộ`: stock figures, not activities
    m = _GAP_FILLER.search(window)
    end = m.start() if m and m.start() >= last[1] else len(window.rstrip())
    start = last[0]
    # Coordinated verbs before it: `phổ biến, quán triệt`, `rà soát và đánh giá`.
    for h in reversed(hits[:-1]):
        between = window[h[1]:start]
        if re.fullmatch(r"\s*(?:,|và)\s*", between):
            start = h[0]
        else:
            break
    return off + start, off + end


def _closed(text: str, end: int) -> bool:
    """Does no letter follow ``end`` (spaces aside)? Then no word of the
    segmenter runs on past it: it joins syllables, and a joined word that is
    not all letters is read syllable by syllable (``_next_word``)."""
    while end < len(text) and text[end].isspace():
        end += 1
    return end >= len(text) or not text[end].isalpha()


def _after_digit(s: str, i: int) -> bool:
    """Is ``s[:i]`` a digit and then only spaces (``\\d\\s*$``)?"""
    while i > 0 and s[i - 1].isspace():
        i -= 1
    return i > 0 and s[i - 1].isdecimal()


def _is_subject(text: str, pos: int, lo: int) -> bool:
    """An organisation that opens its clause (sentence start or after an intro phrase)."""
    before = text[lo:pos].strip()
    if not before:
        return True
    return bool(re.search(r"(?:,|:|;|\bthì|^Trong [^,]{0,60})$", before)) and len(before) < 80 or before.endswith(";")


def _resolve(found):
    """Drop exact duplicates and, per label, spans inside a longer one.

    One sweep in start order: a span is inside an earlier one exactly when it
    ends before the furthest end seen so far (linear after sorting).
    """
    uniq = {}
    for e in found:
        uniq.setdefault((e[0], e[1], e[2]), e)
    items = sorted(uniq.values(), key=lambda e: (e[1], -(e[2] - e[1])))
    kept = []
    reach: dict[str, int] = {}
    container_reach = -1  # an organisation inside a course, group or title is part of that name
    for e in items:
        label, b = e[0], e[2]
        if label == "ORG" and b <= container_reach:
            continue
        if b <= reach.get(label, -1):
            continue
        reach[label] = b
        if label in ("COURSE", "TOPIC", "GROUP"):
            container_reach = max(container_reach, b)
        kept.append(e)
    kept.sort(key=lambda e: (e[1], e[2], e[0]))
    return kept
