"""The pre-filter in front of the tokenizer: which sentences can hold a fact.

Word segmentation is most of the pipeline's cost (underthesea runs a CRF over
every syllable), yet most sentences of a news text hold no fact. ``FactScan``
reads the text, never word boundaries, and picks the sentences the tokenizer
segments and the tagger reads:

- a sentence that may hold a fact head (a count of classes or meetings, a
  meeting noun near a count, group or quote, a course trigger with a
  headcount, an anniversary), with the sentences its relations may reach
  (``relate.WINDOW_BACK`` / ``WINDOW_AHEAD``, inside its paragraph);
- a sentence with a document reference (its date, issuer, term and title
  are in the same sentence);
- a sentence that may hold a tally (an action verb before a count).

(The lead's period needs no scan: the tagger reads dates and periods in the
lead whether it is segmented or not.)

Each test is a superset of the tagger's own rule, mostly by running that rule
on the text alone (``tag.tag_regular``, ``tag.tag_counts(exact_units=False)``,
``tag.activity_before``): it may answer "maybe" where the tagger says no,
never the reverse. Facts are built from heads and their windows, documents
and tallies from one sentence, and the record lists only what its facts and
meta were read from; so a record is the same whether the other sentences are
analysed or not. ``tests/test_scan.py`` checks that on the corpus test split,
the seed, news articles and shuffled reports.

Speed comes from reading the whole text once per kind of trigger, lower-cased,
with word lists compiled as tries (:func:`trie_pattern`), and reading single
sentences only where a trigger is.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Iterable

from . import lexicon as lx
from .relate import COUNT_LABELS, WINDOW_AHEAD, WINDOW_BACK
from .tag import (RULES, Found, Mask, Sentence, activity_after, activity_before, activity_pattern, lex_at, lex_prefix,
                  prev_is_number, report_year, tag_counts, tag_regular, trie_pattern)
from .tag.counts import ACTIVITY_GAP_WORDS, ACTIVITY_GAP_WORDS_CHO, ACTIVITY_REACH
from .tag.patterns import (COURSE_EVENT, COURSE_GIVEN, COURSE_OPENED, COURSE_RECEIVED, DOC_BARE_GATE, MEETING_HAD,
                           MEETING_HELD)

_QUOTE_MARK = re.compile(r"[\"“]")  # a quoted topic
_HEAD_UNITS = tuple(sorted(lx.CLASS_UNITS | lx.MEETING_NOUNS))
_POINT_OR_PAPER = tuple(sorted(lx.POINT_UNITS | lx.PAPER_UNITS | {"bài"}))
# Of the counts that never make a tally (``tag.phrases.HEAD_CLASSES``), those
# sure to keep their class once words are known (a meeting or paper count
# may read as "other" then).
_NOT_TALLY = ("class", "points")
# The rules the gates are compiled from (see tag/registry.py): their trigger
# words make the whole-text passes, their patterns are run on the sentences hit.
_COUNT, _ORG = RULES["count"], RULES["organisation"]
# Meetings named without a count: every phrase rule that adds an EVENT from
# trigger words (a new one is scanned for without a change here).
_MEETINGS = [r for r in RULES.values() if r.stage == "phrases" and "EVENT" in r.labels and r.triggers]
_COURSE_NAMED, _COURSE_HELD, _COURSE_ITEM = RULES["course_named"], RULES["course_held"], RULES["course_item"]
_DOCUMENT, _ANNIVERSARY = RULES["document"], RULES["anniversary"]
_DOC_DATED = RULES["document_dated"]
_REVIEW = RULES["review"]
# The only letters that ``re.IGNORECASE`` matches to a letter of the lexicons
# although their ``lower()`` differs (found by matching every code point;
# ``İ`` lower-cases to two characters, caught by the length check).
_FOLD_ODD = ("ı", "ſ")


class _Gates:
    """Whole-text passes over the lower-cased text, one per kind of trigger.
    Each finds a superset of the places where the tagger's rule may fire."""

    def __init__(self, activities: Iterable[str]) -> None:
        def words(ws: Iterable[str]) -> re.Pattern[str]:
            return re.compile(f"(?:{trie_pattern(sorted(set(ws)))})(?![^\\W_])")

        # (Separate passes: Python's ``re`` scans fast for one kind of first
        # character, slowly for an alternation of kinds.)
        # A run of digits with its `.`/`,` groups: a count never starts inside one
        # (the tagger drops a number after a digit, or after `.`/`,` and a digit).
        self.digits = re.compile(r"\d+(?:[.,]\d+)*")
        # Organisation heads (the ``organisation`` rule's triggers); an organisation needs one.
        self.org = words(_ORG.triggers)
        # (A count may also start with digits: those are `self.digits`.)
        self.number_word = words(_COUNT.triggers)
        self.verb = words(activities)
        # What tells a verb after its count (``tag.activity_after``): `được`, or a subject's verb.
        self.after_mark = words(["được", *lx.SUBJECT_VERBS])
        # A few rare words are found faster by ``str.find`` than by any pattern.
        self.meeting = tuple(sorted({w for r in _MEETINGS for w in r.triggers}))
        # After a number: the first word of a unit that makes the count a course or a meeting.
        heads = sorted({w.split()[0] for w in lx.CLASS_UNITS | lx.MEETING_NOUNS | lx.MEETING_PREFIX})
        self.head_after = re.compile(rf"\s+(?:{trie_pattern(heads)})(?![^\W_])")
        self.course_word = _COURSE_NAMED.triggers + _COURSE_HELD.triggers
        self.bracket = re.compile(r"\(")
        # After a run of digits: the rest of a document number (`01-KL/TW`, `15/2020/NĐ-CP`).
        self.doc_number = re.compile(r"[a-z]?(?:/\d{2,4})?[-/]\s?[a-zđ]")
        # `Kế hoạch số ..., ngày 5/3/2021`: a document named by its date.
        self.dated = re.compile(r"ngày\s+\d")
        self.dated_doc = re.compile(rf"(?:{trie_pattern(sorted(t.lower() for t in lx.DOC_TYPES))})"
                                    rf"(?:\s+(?:{trie_pattern(sorted(lx.DOC_QUALIFIERS))}))?(?:\s+số)?\s*,?\s+$")
        # `... đã có văn bản gửi ...`: a document without a number, issued on the day its clause opens with.
        self.issued_doc = re.compile(rf"(?:{trie_pattern(sorted(lx.DOC_ISSUE_VERBS))})\s+(?:(?:một|các)\s+)?"
                                     rf"(?:{trie_pattern(sorted(_DOC_DATED.triggers))})(?![^\W_])")
        # A review (`sơ kết`, `tổng kết`): of a document or of work, told in its own sentence.
        self.review = words(_REVIEW.triggers)
        self.anniversary = re.compile(rf"(?:{trie_pattern(_ANNIVERSARY.triggers)})\s+\d|\d{{1,3}}\s+năm\s+ngày\s")
        self.cho = words(["cho"])


class FactScan:
    """``FactScan(activities)(text, sentences) -> indices of the sentences to analyse``.

    ``activities`` are the tagger's tally verbs (``Tagger.activities``);
    ``sentences`` are ``tokenize.sentences(text)``: (start, end, paragraph).
    """

    name = "scan"

    def __init__(self, activities: Iterable[str]) -> None:
        self.activities = frozenset(activities)
        self.verbs_rx = activity_pattern(self.activities)  # the tagger's own
        self.gates = _Gates(self.activities)

    def __call__(self, text: str, sentences: list[tuple[int, int, int]]) -> set[int]:
        if not sentences:
            return set()
        low = text.lower()
        if len(low) != len(text) or any(c in text for c in _FOLD_ODD):
            # The gates read the lower-cased text; where that differs from the
            # tagger's case-blind matching, every sentence is read.
            return set(range(len(sentences)))
        starts = [a for a, _b, _p in sentences]
        g = self.gates
        # A sentence cut inside a word (a giant run without spaces) has no
        # space at its edge, where the gates read word boundaries.
        cut = {i for i, (a, b, _p) in enumerate(sentences)
               if a > 0 and not text[a - 1].isspace() or b < len(text) and not text[b].isspace()}

        def where(rx: re.Pattern[str], words: bool = True) -> dict[int, list[tuple[int, int]]]:
            return _where(low, rx, sentences, starts, words)

        def inside(rx: re.Pattern[str], keys: Iterable[int], words: bool = True) -> dict[int, list[tuple[int, int]]]:
            """As ``where``, reading only the sentences ``keys`` (the gates'
            words have single spaces, so no match crosses a sentence edge)."""
            out: dict[int, list[tuple[int, int]]] = {}
            for k in keys:
                for m in rx.finditer(low, sentences[k][0], sentences[k][1]):
                    x, e = m.span()
                    if not (words and _inside_word(low, x)):
                        out.setdefault(k, []).append((x, e))
            return out

        digits = where(g.digits)
        numbers = {k: list(found) for k, found in digits.items()}
        for k, found in where(g.number_word).items():
            numbers.setdefault(k, []).extend(found)
        for i in cut:
            numbers.setdefault(i, [(sentences[i][0], sentences[i][0])])
        heads: set[int] = set()  # course and meeting heads: their windows are analysed too
        chosen: set[int] = set()  # sentences analysed alone: documents and tallies
        maybe_tally: set[int] = set(cut)
        verb_near: dict[int, list[int]] = {}  # numbers with a verb close before them
        units: set[int] = set(cut)
        courses: set[int] = set(cut)
        docs: set[int] = set(cut)
        after: set[int] = set()  # sentences with a number before `được` or a subject's verb
        if numbers:
            # A tally holds a number: verbs are looked for only where there is one.
            verbs = inside(g.verb, numbers)
            for k, found in inside(g.after_mark, numbers).items():
                if any(x < m0 for x, _e in numbers[k] for m0, _m1 in found):
                    after.add(k)
                    maybe_tally.add(k)
            for k, nums in numbers.items():
                vs = verbs.get(k)
                near = [x for x, _e in nums if _verb_before(low, vs, x)] if vs else []
                if near:
                    maybe_tally.add(k)
                    verb_near[k] = near
                if any(g.head_after.match(low, e) for _x, e in nums):
                    units.add(k)  # a number before the first word of a course or meeting unit
            courses |= (_find_words(low, g.course_word, starts) | set(where(g.bracket, words=False))) & set(numbers)
            docs |= {k for k, found in digits.items() if any(g.doc_number.match(low, e) for _x, e in found)}
            docs |= set(where(g.anniversary))
            docs |= set(where(DOC_BARE_GATE))  # `Nghị quyết 29`, `Luật Giáo dục năm 2019`
            docs |= set(where(g.issued_doc))
            docs |= {k for k, found in where(g.dated).items()
                     if any(g.dated_doc.search(low, max(0, x - 40), x) for x, _e in found)}
        year: list[int | None] = []
        for i in sorted(units | courses | docs | maybe_tally | cut):
            a, b, para = sentences[i]
            stext = text[a:b]
            if i in docs:
                if _DOCUMENT.pattern.search(stext) or _DOC_DATED.pattern.search(stext):
                    chosen.add(i)  # a document's date, issuer, term and title are in its sentence
                if _ANNIVERSARY.pattern.search(stext):
                    heads.add(i)
            if i in cut:  # (its edges may hide a gate's match: its numbers are read as the tagger reads them)
                spots = [(a + m.start(), a + m.start(), a + m.end()) for m in _COUNT.pattern.finditer(stext)]
                near = [x for x, _n, _y in spots]
            else:
                # Every count starts at a digit run, a number word, a vague amount
                # or a hedge: the gate's matches, each with the word after it.
                spots = [(x, x, _skip_spaces(text, e)) for x, e in numbers.get(i, ())]
                near = verb_near.get(i, [])
            if i in units and any(_head_unit(text, y) for _x, _n, y in spots) \
                    or i in courses and _course(text, a, stext, spots):
                heads.add(i)  # a count of classes or meetings, or a course's headcount
            acts = {x for x in near if activity_before(text, x, a, self.verbs_rx)}
            if i in after or i in cut:
                acts |= {x for x, _n, y in spots if activity_after(text, y, b, True, slack=_AFTER_SLACK)}
            if acts and self._tally(text, Sentence(a, b, para, i), acts, year):
                chosen.add(i)
                if i > 0 and sentences[i - 1][2] == para:
                    chosen.add(i - 1)  # the actor may open the sentence before (a breakdown's total)
        chosen |= set(where(g.review))
        heads |= set(where(COURSE_EVENT))  # a course opened or closed is a fact of its own
        # (and one given to a group, or received by one)
        heads |= set(where(COURSE_GIVEN)) | set(where(COURSE_OPENED)) | set(where(COURSE_RECEIVED))
        # A meeting named without a count is a head only where a count, a
        # group or a topic may be related to it; elsewhere it makes no fact
        # and takes nothing from another head.
        meetings = _find_words(low, g.meeting, starts) | {
            i for i in cut if any(r.pattern.search(text[sentences[i][0]:sentences[i][1]]) for r in _MEETINGS)}
        if meetings:
            near = {j for i in meetings for j in (i - 1, i, i + 1) if 0 <= j < len(sentences)}
            # A count a meeting may take (people, connection points, papers,
            # meetings), or a group (after `cho`, or counted).
            groups = set(inside(g.cho, near)) | {
                j for j in near if j in cut or any(_meeting_tail(text, sentences[j][0], x, _skip_spaces(text, e))
                                                   for x, e in numbers.get(j, ()))}
            for i in meetings:
                if any(j in groups and sentences[j][2] == sentences[i][2] for j in (i - 1, i, i + 1)) \
                        or i in chosen or _QUOTE_MARK.search(text, sentences[i][0], sentences[i][1]) \
                        or MEETING_HELD.search(text, sentences[i][0], sentences[i][1]) \
                        or MEETING_HAD.search(text, sentences[i][0], sentences[i][1]):
                    # (a meeting held: a single meeting is a fact of its own, spec v2)
                    heads.add(i)  # (in `chosen`: a document, whose `về ...` may be its topic)
        # A head's window: the sentence before and after it (counts, groups,
        # the clause subject), and further back only where an organisation may
        # be named (the organiser tails that reach WINDOW_BACK sentences).
        far = {j for h in heads for j in range(max(0, h - WINDOW_BACK), h - 1) if sentences[j][2] == sentences[h][2]}
        orgs = {k for k, found in inside(g.org, far - heads - chosen).items()
                if any(text[x].isupper() or low.startswith("các", x) for x, _e in found)}
        for h in heads:
            para = sentences[h][2]
            for j in range(max(0, h - WINDOW_BACK), min(len(sentences), h + WINDOW_AHEAD + 1)):
                if sentences[j][2] == para and (j >= h - 1 or j in orgs or j in cut):
                    chosen.add(j)
        return chosen

    def _tally(self, text: str, s: Sentence, acts: set[int], year: list[int | None]) -> bool:
        """Does the tagger find a count at one of ``acts`` (the numbers with an
        activity before them)? Its own rules on the text alone; a count that
        passes without the characters dates and documents claim may still
        fall once they are known, so those are read last."""
        for taken in (Mask(s.start, s.end), None):
            if taken is None:
                if not year:
                    year.append(report_year(text))
                taken = tag_regular(text, s, {}, year[0], Found(text, s))
            counts = tag_counts(text, s, {}, taken, self.verbs_rx, Found(text, s), exact_units=False, only=acts)
            if not any(c.unit_class not in _NOT_TALLY and c.start in acts for c in counts):
                return False
        return True


def _where(low: str, rx: re.Pattern[str], sentences: list[tuple[int, int, int]], starts: list[int],
           words: bool = True) -> dict[int, list[tuple[int, int]]]:
    """Matches of ``rx`` in ``low``, by sentence; with ``words``, only those
    starting a word."""
    out: dict[int, list[tuple[int, int]]] = {}
    k, n = -1, len(starts)
    for m in rx.finditer(low):
        x, e = m.span()
        if words and _inside_word(low, x):
            continue
        while k + 1 < n and starts[k + 1] <= x:  # matches come in order: walk the sentences along
            k += 1
        if k >= 0 and e <= sentences[k][1]:
            if k in out:
                out[k].append((x, e))
            else:
                out[k] = [(x, e)]
    return out


def _inside_word(low: str, x: int) -> bool:
    """Does a word match at ``x`` start inside a word? (The tagger's boundary:
    a letter or digit before, not `_`; a digit run may follow letters.)"""
    return x > 0 and low[x - 1].isalnum() and not low[x].isdigit()


def _find_words(low: str, words: Iterable[str], starts: list[int]) -> set[int]:
    """The sentences holding one of ``words`` as a whole word (any sentence
    the word starts in: a superset, as a word never spans two sentences)."""
    out = set()
    for w in words:
        x = low.find(w)
        while x >= 0:
            e = x + len(w)
            if not (x and low[x - 1].isalnum()) and not (e < len(low) and low[e].isalnum()):
                out.add(bisect_right(starts, x) - 1)
            x = low.find(w, x + 1)
    out.discard(-1)
    return out


def _verb_before(low: str, verbs: list[tuple[int, int]], x: int) -> bool:
    """May ``tag.activity_before`` find an activity for a count at ``x``? Its
    verb is the nearest one before, at most ``ACTIVITY_REACH`` characters (and
    a hedge) away, with no punctuation, digit or more than
    ``ACTIVITY_GAP_WORDS`` words between. The slack (a hedge of up to 30
    characters stands between the count's start and its number; two words for
    a verb the gate read differently) keeps the gate a superset."""
    k = bisect_right([v1 for _v0, v1 in verbs], x) - 1
    if k < 0:
        return False
    v0, v1 = verbs[k]
    gap = low[v1:x]
    if x - v0 > ACTIVITY_REACH + _HEDGE_SLACK:
        return False
    if _CHO_GAP.search(gap):  # (`cho` may lead the count: digits of years and dates allowed)
        return not _CHO_GAP_STOP.search(gap) and len(gap.split()) <= ACTIVITY_GAP_WORDS_CHO + 2
    return not _GAP_STOP.search(gap) and len(gap.split()) <= ACTIVITY_GAP_WORDS + 2


_HEDGE_SLACK = 30
# Words more than ``tag.activity_after`` allows: a scale word (`1,5 nghìn`) may
# stand between the number the gate reads and the count's unit.
_AFTER_SLACK = 2
_GAP_STOP = re.compile(r"[\d,;:.()\n]")
_CHO_GAP_STOP = re.compile(r"[,;:.()\n]")
# `cho` and a hedge of up to three words before the number (a superset of ``tag``'s `cho` at the gap's end).
_CHO_GAP = re.compile(r"(?<![^\W_])cho(?:\s+[^\W\d_]+){0,3}\s*$")


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _course(text: str, a: int, stext: str, spots: list[tuple[int, int, int]]) -> bool:
    """May the tagger find a course named without a count of classes? It needs a
    trigger (``lớp``, ``tổ chức đào tạo``, a bracketed list item) and a headcount
    after it in the same clause."""
    people = [(x, n) for x, n, y in spots if _person_count(text, a, n, y)]
    if not people:
        return False
    for m in _COURSE_NAMED.pattern.finditer(stext):
        if not prev_is_number(text, a + m.start(), a) and _clause_before(text, a + m.end(), people):
            return True
    for m in _COURSE_HELD.pattern.finditer(stext):
        if lex_at(text, a + m.end(), lx.TRAINING_WORDS) and _clause_before(text, a + m.end(), people):
            return True
    return any(x == a + m.end() for m in _COURSE_ITEM.pattern.finditer(stext) for x, _n in people)


def _clause_before(text: str, pos: int, people: list[tuple[int, int]]) -> bool:
    # A course grows to a stop word but never over `.` or `;`, and its headcount follows it in the clause.
    return any(pos <= x and not re.search(r"[.;]", text[pos:x]) for x, _n in people)


def _head_unit(text: str, y: int) -> bool:
    """Does the unit at ``y`` make a count one of classes or meetings
    (``tag.counts.unit_at``)? A prefix (`buổi`, `đợt`) needs its second word."""
    if lex_at(text, y, _HEAD_UNITS):
        return True
    end = lex_at(text, y, lx.MEETING_PREFIX)
    return end is not None and end < len(text) and lex_at(text, end + 1, lx.MEETING_SECOND) is not None


# The unit classes ``_meeting_tail`` reads; a class relate gains must be read here too.
_MEETING_TAIL_CLASSES = frozenset({"person", "attendance", "meeting", "points", "papers"})
if not set(COUNT_LABELS["EVENT"]) <= _MEETING_TAIL_CLASSES:
    raise ImportError("scan._meeting_tail does not read every count a meeting may take (relate.COUNT_LABELS)")


def _meeting_tail(text: str, a: int, n: int, y: int) -> bool:
    """May the number at ``n`` (its unit at ``y``) be related to a meeting
    (``relate.relation_label``: people, points, papers or meetings)?"""
    return _person_count(text, a, n, y) or _head_unit(text, y) or lex_at(text, y, _POINT_OR_PAPER) is not None


def _person_count(text: str, a: int, n: int, y: int) -> bool:
    """May the number at ``n`` (its unit at ``y``) count people? (``tag.counts.unit_at``: a
    person noun, ``lượt``, or any unit after ``cho``.)"""
    return bool(lex_at(text, y, lx.PERSON_UNITS) or lex_prefix(text, y, lx.ATTENDANCE)
                or re.search(r"(?<!\w)cho\s*$", text[max(a, n - 6):n]))

