"""The pre-filter in front of the tokenizer: which sentences can hold a fact.

Word segmentation is most of the pipeline's cost (underthesea runs a CRF over
every syllable), yet most sentences of a news text hold no fact. ``FactScan``
reads the text, never word boundaries, and picks the sentences the tokenizer
segments and the tagger reads:

- a sentence that may hold a fact head (a count of classes or meetings, a
  meeting noun, a course trigger with a headcount, a document reference, an
  anniversary), with the sentences its relations may reach
  (``relate.WINDOW_BACK`` / ``WINDOW_AHEAD``, inside its paragraph);
- a sentence that may hold a tally (an action verb before a count);
- a sentence of the lead that may give the reporting period.

Each test runs the tagger's own text-level rules (``tag.tag_regular`` and
``tag.tag_counts(exact_units=False)``), so it may answer "maybe" where the
tagger says no, never the reverse. Facts are built from heads and their
windows, tallies from one clause, and the record lists only what its facts
and meta were read from; so a record is the same whether the other sentences
are analysed or not. ``tests/test_scan.py`` checks that on the corpus test
split, the seed and the news archive.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Iterator

from .numbers import VAGUE
from .record import lead_bounds
from .relate import WINDOW_AHEAD, WINDOW_BACK
from . import lexicon as lx
from .tag import (_NUMWORD, ANNIVERSARY, COURSE_WORD, DOC, HOLD_WORD, LIST_ITEM, MEETING_WORD, NUMBER,
                  _activity_before, _Found, _lex_at, _prev_is_number, _Sent, report_year, tag_counts,
                  tag_regular)

# A cheap gate, one pass over the whole text: a count needs a digit or a
# number word, so only the sentences it touches are read further.
_NUMBERISH = re.compile(
    rf"\d+|(?<![^\W_])(?:{_NUMWORD}|{'|'.join(sorted({re.escape(v.split()[0]) for v in VAGUE}))})(?![^\W_])",
    re.IGNORECASE)
# A period named without a digit: `quý IV`.
_QUARTER = re.compile(r"(?<![^\W_])[Qq]uý(?![^\W_])")
_CHO = re.compile(r"(?<![^\W_])cho(?![^\W_])")  # `cho các đối tượng`: a group named without a count
_QUOTE_MARK = re.compile(r"[\"“]")  # a quoted topic
_HEAD_UNITS = tuple(sorted(lx.CLASS_UNITS | lx.MEETING_NOUNS | lx.MEETING_PREFIX))
_NOT_TALLY = ("class", "points")  # (meeting and paper counts may read as "other" once words are known)


class FactScan:
    """``FactScan(verbs_rx)(text, sentences) -> indices of the sentences to analyse``.

    ``verbs_rx`` is the tagger's pattern of tally verbs (``Tagger.verbs_rx``);
    ``sentences`` are ``tokenize.sentences(text)``: (start, end, paragraph).
    """

    name = "scan"

    def __init__(self, verbs_rx: re.Pattern[str]) -> None:
        self.verbs_rx = verbs_rx

    def __call__(self, text: str, sentences: list[tuple[int, int, int]]) -> set[int]:
        starts = [a for a, _b, _p in sentences]
        numbers = _touched(text, sentences, starts, _NUMBERISH)
        meetings = _touched(text, sentences, starts, MEETING_WORD)
        # A sentence cut inside a word (a giant run without spaces) has no
        # space at its edge, where the one-pass gates read word boundaries.
        for i, (a, b, _p) in enumerate(sentences):
            if a > 0 and not text[a - 1].isspace() or b < len(text) and not text[b].isspace():
                numbers.add(i)
                if MEETING_WORD.search(text[a:b]):
                    meetings.add(i)
        title_end, lead = lead_bounds(text)
        in_lead = {i for i, a in enumerate(starts) if a < lead}
        periods = in_lead & (numbers | _touched(text, sentences, starts, _QUARTER))
        heads: set[int] = set()  # course and meeting heads: their windows are analysed too
        chosen: set[int] = set()  # sentences analysed alone: documents, tallies, the lead's period
        year: list[int | None] = []
        for i in sorted(numbers | periods):
            a, b, para = sentences[i]
            stext = text[a:b]
            if i in numbers:
                if DOC.search(stext):
                    # A document's date, issuer, term and title are in its sentence.
                    chosen.add(i)
                if ANNIVERSARY.search(stext):
                    heads.add(i)
            spots = list(_numbers(text, a, stext)) if i in numbers else []
            if any(_lex_at(text, y, _HEAD_UNITS) for _x, _n, y in spots) or _course(text, a, stext, spots):
                heads.add(i)
            maybe_tally = bool(spots) and self.verbs_rx.search(stext) is not None and any(
                _activity_before(text, x, a, self.verbs_rx) for x, _n, _y in spots)
            if not maybe_tally and i not in periods:
                continue
            # The tagger's own rules, on the text alone, settle the rest.
            if not year:
                year.append(report_year(text))
            s = _Sent(a, b, para, i)
            found = _Found(text, s)
            taken = tag_regular(text, s, {}, year[0], found)
            # The record's period: a period in the lead, or else a year in the title.
            if i in periods and any(e[0] == "PERIOD" or e[0] == "DATE" and e[1] < max(title_end, 1)
                                    and len(str(e[3])) == 4 for e in found):
                chosen.add(i)
            if maybe_tally and any(
                    attrs["unit_class"] not in _NOT_TALLY and _activity_before(text, x, a, self.verbs_rx)
                    for x, _y, _v, attrs, _u in tag_counts(text, s, {}, taken, self.verbs_rx, found,
                                                           exact_units=False)):
                chosen.add(i)
        # A meeting named without a count is a head only where a count, a
        # group or a topic may be related to it; elsewhere it makes no fact
        # and takes nothing from another head.
        if meetings:
            groups = numbers | _touched(text, sentences, starts, _CHO)
            for i in meetings:
                near = range(max(0, i - 1), min(len(sentences), i + 2))
                if any(j in groups and sentences[j][2] == sentences[i][2] for j in near) \
                        or _QUOTE_MARK.search(text, sentences[i][0], sentences[i][1]):
                    heads.add(i)
        for h in heads:
            para = sentences[h][2]
            for j in range(max(0, h - WINDOW_BACK), min(len(sentences), h + WINDOW_AHEAD + 1)):
                if sentences[j][2] == para:
                    chosen.add(j)
        return chosen


def _numbers(text: str, a: int, stext: str) -> Iterator[tuple[int, int, int]]:
    """(start, number start, unit start) of each number the tagger reads in the sentence."""
    for m in NUMBER.finditer(stext):
        n = a + (m.start("vague") if m.group("vague") else m.start("digits") if m.group("digits")
                 else m.start("words"))
        yield (a + m.start() if m.group("hedge") else n), n, a + m.end()


def _course(text: str, a: int, stext: str, spots: list[tuple[int, int, int]]) -> bool:
    """May the tagger find a course named without a count of classes? It needs a
    trigger (``lớp``, ``tổ chức đào tạo``, a bracketed list item) and a headcount
    after it in the same clause."""
    people = [(x, n) for x, n, y in spots if _person_count(text, a, n, y)]
    if not people:
        return False
    for m in COURSE_WORD.finditer(stext):
        if not _prev_is_number(text, a + m.start(), a) and _clause_before(text, a + m.end(), people):
            return True
    for m in HOLD_WORD.finditer(stext):
        if _lex_at(text, a + m.end(), lx.TRAINING_WORDS) and _clause_before(text, a + m.end(), people):
            return True
    return any(x == a + m.end() for m in LIST_ITEM.finditer(stext) for x, _n in people)


def _clause_before(text: str, pos: int, people: list[tuple[int, int]]) -> bool:
    # A course grows to a stop word but never over `.` or `;`, and its headcount follows it in the clause.
    return any(pos <= x and not re.search(r"[.;]", text[pos:x]) for x, _n in people)


def _touched(text: str, sentences: list[tuple[int, int, int]], starts: list[int], rx: re.Pattern[str]) -> set[int]:
    """Indices of the sentences holding a match of ``rx`` (one pass over the text;
    sentences are bounded by spaces, so a word boundary there reads the same)."""
    out = set()
    for m in rx.finditer(text):
        k = bisect_right(starts, m.start()) - 1
        if k >= 0 and m.end() <= sentences[k][1]:
            out.add(k)
    return out


def _person_count(text: str, a: int, n: int, y: int) -> bool:
    """May the number at ``n`` (its unit at ``y``) count people? (``tag._unit``: a
    person noun, ``lượt``, or any unit after ``cho``.)"""
    return bool(_lex_at(text, y, lx.PERSON_UNITS) or text[y:y + 4].lower() == "lượt"
                or re.search(r"(?<!\w)cho\s*$", text[max(a, n - 6):n]))


def _course_trigger(sentence: str) -> bool:
    """A course named without a count of classes needs one of these before its headcount."""
    return bool(COURSE_WORD.search(sentence) or HOLD_WORD.search(sentence) or "(" in sentence)
