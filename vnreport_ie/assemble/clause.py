"""Readers of a fact's own clause for the slots of spec v2 that are told
around the head rather than related to it: a training's status, a duration,
graduates, and plan attainment (`đạt 64% kế hoạch`).

Each reader takes the text and the clause span and returns ``(value, span)``
or None; the assembler decides which fact the clause belongs to.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from .. import lexicon as lx
from ..numbers import digits_to_number, small_number


def _alts(words) -> str:
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True))


_STATUS = re.compile(rf"(?<![^\W_])({_alts(w for w, _ in lx.STATUS_WORDS)})(?![^\W_])", re.IGNORECASE)
_STATUS_OF = {w: stage for w, stage in lx.STATUS_WORDS}
_RANK = {"planned": 0, "opened": 1, "ongoing": 2, "completed": 3}

_NUM = r"(\d{1,3}(?:\.\d{3})+|\d+|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười(?:\s+\w+)?)"
_UNIT = {"năm": "Y", "tháng": "M", "tuần": "W", "ngày": "D"}
DURATION = re.compile(rf"(?<![^\W_])(?:trong\s+(?:thời gian\s+)?|thời gian\s+|kéo dài\s+)?{_NUM}\s+(năm|tháng|tuần|ngày)"
                      r"(?!\s+(?:đầu|cuối|qua|tới|\d))(?![^\W_])", re.IGNORECASE)
_DURATION_CUE = re.compile(rf"(?:{_alts(lx.DURATION_CUES)})\s*$", re.IGNORECASE)
PLAN = re.compile(rf"(?<![^\W_])(?:đạt|bằng|vượt)\s+(\d+(?:,\d+)?)\s*%\s*(?:so với\s+)?({_alts(lx.PLAN_WORDS)})",
                  re.IGNORECASE)
GRADUATES = re.compile(rf"(?<![^\W_])(\d{{1,3}}(?:\.\d{{3}})+|\d+)\s+(?:{_alts(lx.GRADUATE_NOUNS)})"
                       r"(?:\s+\w+){0,2}?\s+(?:tốt nghiệp|được cấp bằng|được cấp chứng chỉ|hoàn thành khóa học)",
                       re.IGNORECASE)


_CLAUSE_EDGE = re.compile(r"[;:()]")


def bounds(text: str, start: int, end: int, lo: int, hi: int, reach: int = 80) -> tuple[int, int]:
    """The clause around a fact's evidence ``[start, end)`` inside its sentence
    ``[lo, hi)``: back to the last `;`, `:` or bracket (at most ``reach``
    characters), on to the next one."""
    left = max(lo, start - reach)
    edges = [m.end() for m in _CLAUSE_EDGE.finditer(text, left, start)]
    left = edges[-1] if edges else left
    m = _CLAUSE_EDGE.search(text, end, min(hi, end + reach))
    right = m.start() if m else min(hi, end + reach)
    return left, right


# Every fact of a sentence reads the same clause (its sentence): the readers
# are pure functions of (text, lo, hi), cached for the last few clauses, so a
# long sentence of many facts is read once, not once per fact.
@lru_cache(maxsize=8)
def status(text: str, lo: int, hi: int) -> tuple[str, tuple[int, int]] | None:
    """The furthest stage the clause tells (`khai giảng` opened ... `bế giảng` completed)."""
    best = None
    for m in _STATUS.finditer(text, lo, hi):
        value = _STATUS_OF[" ".join(m.group(1).lower().split())]
        if best is None or _RANK[value] > _RANK[best[0]]:
            best = (value, m.span())
    return best


@lru_cache(maxsize=8)
def duration(text: str, lo: int, hi: int) -> tuple[str, tuple[int, int]] | None:
    """``P6M`` for `trong thời gian 6 tháng`; a bare `5 ngày` counts only after a cue word."""
    for m in DURATION.finditer(text, lo, hi):
        n = small_number(m.group(1).lower()) if not m.group(1)[0].isdigit() else digits_to_number(m.group(1))
        if not isinstance(n, int) or n <= 0:
            continue
        cued = m.group(0).lower().startswith(("trong", "thời gian", "kéo dài")) or \
            _DURATION_CUE.search(text[max(lo, m.start() - 20):m.start()])
        if cued:
            return f"P{n}{_UNIT[m.group(2).lower()]}", (m.start(1), m.end())
    return None


_PLAN_START = re.compile(r"(?<![^\W_])(?:đạt|bằng|vượt)", re.IGNORECASE)


class _PlanMatches:
    """The matches of ``PLAN`` in ``text[:hi]`` by the position they start at
    (overlapping ones too), found from the leftmost ``lo`` asked so far: what
    ``PLAN.search(text, lo, hi)`` finds is the first of them at or after
    ``lo``. A match can start only where its first word is; each such place
    is tried once per (text, hi)."""

    def __init__(self, text: str, hi: int) -> None:
        self.text, self.hi = text, hi
        self.start = hi
        self.starts: list[int] = []
        self.found: list[re.Match] = []

    def first_from(self, lo: int) -> re.Match | None:
        if lo < self.start:
            starts, found = [], []
            for s in _PLAN_START.finditer(self.text, lo, self.hi):
                if s.start() >= self.start:
                    break
                m = PLAN.match(self.text, s.start(), self.hi)
                if m:
                    starts.append(s.start())
                    found.append(m)
            self.starts[:0], self.found[:0], self.start = starts, found, lo
        k = bisect_left(self.starts, lo)
        return self.found[k] if k < len(self.starts) else None


@lru_cache(maxsize=8)
def _plan_matches(text: str, hi: int) -> _PlanMatches:
    return _PlanMatches(text, hi)


def plan_percent(text: str, lo: int, hi: int) -> tuple[int | float, tuple[int, int]] | None:
    """64 for `đạt 64% kế hoạch`, 35.34 for `đạt 35,34% chỉ tiêu`."""
    if hi - lo <= 200:
        m = PLAN.search(text, lo, hi)
    else:  # a long clause read from many heads: its matches found once
        m = _plan_matches(text, hi).first_from(lo)
    if not m:
        return None
    value = float(m.group(1).replace(",", "."))
    if m.group(0)[:4].lower() == "vượt":  # `vượt 8,7% chỉ tiêu`: 108.7% of the plan
        value = round(100 + value, 4)
    return (int(value) if value.is_integer() else value), (m.start(1), m.end())


@lru_cache(maxsize=8)
def graduates(text: str, lo: int, hi: int) -> tuple[int, tuple[int, int]] | None:
    """98 for `98 học viên tốt nghiệp`."""
    m = GRADUATES.search(text, lo, hi)
    if not m:
        return None
    n = digits_to_number(m.group(1))
    return (n, m.span()) if isinstance(n, int) else None


# Where a meeting's purpose clause ends: punctuation or a phrase of place,
# manner, time or participants (`với sự tham dự`, `tại`, `có`, `do`).
_PURPOSE_END = re.compile(r"[,.;:()\n“”\"]|\s(?:với|tại|có|do|nhằm|vào|diễn ra|được|đã|cho|từ ngày|trong 2|trong hai)\s",
                          re.IGNORECASE)


_NOT_PURPOSE = re.compile(rf"(?:{_alts(lx.TOPIC_NOT_STARTS)})(?![^\W_])", re.IGNORECASE)


def purpose(text: str, pos: int, hi: int, max_words: int = 25) -> tuple[str, tuple[int, int]] | None:
    """The purpose clause that follows a single meeting's kind (`Hội nghị` +
    `quán triệt Nghị quyết Trung ương 4 khóa XIII`): its topic."""
    while pos < hi and text[pos] == " ":
        pos += 1
    if _NOT_PURPOSE.match(text, pos, hi):
        return None  # a place, an actor, the session's number or another clause follows
    m = _PURPOSE_END.search(text, pos, hi)
    end = m.start() if m else hi
    words = text[pos:end].split()
    if len(words) < 2 or not text[pos:pos + 1].isalpha():
        return None
    words = words[:max_words]
    end = pos + len(" ".join(words)) if len(words) == max_words else end
    value = text[pos:end].strip()
    return value, (pos, pos + len(value))


def _phrase_re(words) -> re.Pattern:
    return re.compile(rf"(?<![^\W_])(?:{_alts(words)})(?![^\W_])", re.IGNORECASE)


_ACTOR_HEAD = _phrase_re(tuple(lx.ORG_HEADS) + tuple(lx.PLACE_NOUNS))
_TRAILING_STOP = re.compile(rf"(?:\s+|^)(?:{_alts(lx.PHRASE_STOPS)})\s*$", re.IGNORECASE)
_NOT_ACTOR = re.compile(rf"(?:toàn|cả|{_alts(lx.MEETING_NAMED)})(?![^\W_])", re.IGNORECASE)
_SUBJECT_EDGE = re.compile(r"[;:,()\n“”\"]|\.\s")


def subject(text: str, lo: int, verb: int) -> tuple[str, tuple[int, int]] | None | bool:
    """The actor that opens the clause of a verb at ``verb`` (`các cấp Hội
    trong huyện` + `kết nạp 96 hội viên`): a name with an organisation's head
    noun, starting with a capital or `các`, never a scope (`toàn tỉnh`) or a
    meeting (`Hội nghị đã khen thưởng`). False when the clause opens with
    the verb itself (an item of a list, which takes the actor before it)."""
    edges = [m.end() for m in _SUBJECT_EDGE.finditer(text, max(lo, verb - 120), verb)]
    start = edges[-1] if edges else max(lo, verb - 120)
    seg = text[start:verb]
    while True:
        m = _TRAILING_STOP.search(seg)
        if not m or not seg.strip():
            break
        seg = seg[:m.start()]
    value = seg.strip(" -+•*\t")
    if not value:
        return False
    words = value.split()
    if len(words) > 12 or any(c.isdigit() for c in value) or _NOT_ACTOR.match(value) \
            or not (value[0].isupper() or words[0].lower() == "các") or not _ACTOR_HEAD.search(value):
        return None
    a = text.index(value, start)
    return value, (a, a + len(value))


# The actor of a single meeting told by a person or a delegation (`Thủ tướng
# Phạm Minh Chính có buổi làm việc với ...`): the words that open the clause
# before the verb, from a capital, cut before a `do ... dẫn đầu` or a bracket.
_ACTOR_CUT = re.compile(r"\s+(?:do|đã|vừa|sẽ|cũng|đang)\s|\s*\(", re.IGNORECASE)


def actor(text: str, lo: int, verb: int, max_words: int = 12) -> tuple[str, tuple[int, int]] | None:
    """The subject of the clause that ends at ``verb`` (from ``lo``, its sentence start)."""
    left = max((m.end() for m in re.finditer(r"[,;:]", text[lo:verb])), default=0) + lo
    while left < verb and text[left] == " ":
        left += 1
    if left >= verb or not text[left].isupper():
        return None
    m = _ACTOR_CUT.search(text, left, verb)
    end = m.start() if m else verb
    value = text[left:end].strip()
    words = value.split()
    if not 2 <= len(words) <= max_words or _NOT_PURPOSE.match(value):
        return None
    return value, (left, left + len(value))
