"""Counts: numbers with their unit nouns, and the tally verb before a count."""

from __future__ import annotations

import re
from typing import Collection

from .. import lexicon as lx
from ..numbers import digits_to_number, words_to_int
from .patterns import GAP_FILLER, MONEY_AFTER, NUMBER, TERM
from .registry import RULES, Context, rule
from .sentence import Count, Found, Mask, Sentence
from .words import activity_pattern, after_digit, closed, lex_at, lex_prefix, next_word, prev_word


def unit_at(text: str, pos: int, token_end: dict[int, int]) -> tuple[int, int, str] | None:
    """The unit noun at ``pos``: (start, end, class)."""
    for cls, lexicon in (("points", lx.POINT_UNITS), ("papers", lx.PAPER_UNITS),
                         ("class", lx.CLASS_UNITS), ("meeting", lx.MEETING_NOUNS),
                         ("person", lx.PERSON_UNITS)):
        end = lex_at(text, pos, lexicon)
        if end:
            return pos, end, cls
    att = lex_prefix(text, pos, lx.ATTENDANCE)
    if att:
        return pos, att, "attendance"
    first = next_word(text, pos, token_end)
    if first is None:
        return None
    word = text[first[0]:first[1]].lower()
    if word in lx.MEETING_PREFIX:
        second = lex_at(text, first[1] + 1, lx.MEETING_SECOND) if first[1] < len(text) else None
        if second:
            return pos, second, "meeting"
    if word == "bài":
        nxt = lex_at(text, first[1] + 1, lx.PAPER_UNITS) if first[1] < len(text) else None
        if nxt:
            return pos, first[1], "papers"
    return first[0], first[1], "other"


def tag_counts(text: str, s: Sentence, token_end: dict[int, int], taken: Mask, verbs_rx: re.Pattern[str],
               out: Found, exact_units: bool = True, only: Collection[int] | None = None
               ) -> list[Count]:
    """Numbers with their unit nouns, as ``Count`` values (their ``COUNT`` entities go to ``out``).

    Only a unit outside the lexicons reads word ends (its first word). With
    ``exact_units=False`` the filters that read that word are skipped where
    the word could be longer than its first syllable, so the counts are a
    superset of the exact ones whatever the word ends are: what
    :mod:`vnreport_ie.scan` needs before any word is segmented. With ``only``,
    just the numbers starting at those places are read (a superset again: a
    number there may lie inside a longer one in the sentence).
    """
    a, b = s.start, s.end
    ctx = Context(text, s, token_end, out, verbs_rx=verbs_rx, taken=taken, exact_units=exact_units)
    if only is None:
        RULES["count"].run(ctx)
    else:
        for p in sorted(only):
            m = NUMBER.match(ctx.stext, p - a) if a <= p < b else None
            if m:
                count(ctx, m)
    return ctx.counts


# The words a count may start with (digits aside): number words, vague
# amounts, scales and the first words of the hedges before a number.
COUNT_TRIGGERS = (frozenset(lx.COUNT_WORDS) | {w for v in lx.VAGUE for w in v.split()}
                  | frozenset(lx.COUNT_SCALES) | {h.split()[0] for h in lx.HEDGES})


@rule("count", "counts", ("COUNT",), NUMBER, COUNT_TRIGGERS)
def count(ctx: Context, m: re.Match[str]) -> None:
    """A number with its unit noun: `2 lớp`, `khoảng 300 đại biểu`, `hàng trăm lượt người`."""
    c = read_count(ctx.text, ctx.sent.start, m, ctx.token_end, ctx.taken, ctx.verbs_rx, ctx.exact_units)
    if c is not None:
        ctx.counts.append(c)
        ctx.out.add("COUNT", c.start, c.end, c.value, unit=c.unit, unit_class=c.unit_class, approx=c.approx,
                    via_cho=c.via_cho)


def read_count(text: str, a: int, m: re.Match[str], token_end: dict[int, int], taken: Mask,
               verbs_rx: re.Pattern[str], exact_units: bool = True) -> Count | None:
    """The count a match of ``NUMBER`` (in the sentence starting at ``a``) makes, if any."""
    free = taken.free
    x, y = a + m.start(), a + m.end()
    num_start = a + (m.start("vague") if m.group("vague") else m.start("digits") if m.group("digits") else m.start("words"))
    if not free(num_start, y - 1):
        return None
    if num_start >= 2 and text[num_start - 1] in "-/.," and text[num_start - 2].isalnum():
        return None  # `Covid-19`, `12-NQ`, `1.2.3.4.5`: part of a name or a label
    if num_start >= 1 and text[num_start - 1].isdigit():
        return None  # the tail of a longer run of digits
    unit = unit_at(text, y, token_end)
    if unit is None:
        return None
    u_start, u_end, u_class = unit
    unit_text = text[u_start:u_end].lower()
    # A unit outside the lexicons is a word of the segmenter: without word
    # ends known it is sure only where no letter follows the syllable.
    sure = exact_units or u_class != "other" or closed(text, u_end)
    if u_class == "other" and re.search(r"(?<!\w)cho\s*$", text[max(a, num_start - 6):num_start]) \
            and not m.group("vague"):
        u_class = "person"  # `cho 146 chi hội trưởng`: whoever a course or meeting is for
        via_cho = True
    else:
        via_cho = False
    # (`đồng chí` is a person noun, not a sum in `đồng`.)
    if MONEY_AFTER.match(text, y - 1) and u_class != "person" or sure and (
            unit_text in lx.NON_COUNT_UNITS or unit_text in lx.FUNCTION_WORDS):
        return None
    if unit_text in ("khóa", "khoá") and TERM.match(text, num_start - 0) is None \
            and re.match(r"\s+[IVXLC]+(?![^\W_])", text[u_end:u_end + 8]):
        return None  # `5 khóa XIII`: a term, not five courses
    if u_class == "class" and re.match(r"\s*\d", text[u_end:u_end + 4]):
        return None  # `năm lớp 12`: a school grade, not five classes
    if u_class == "other" and unit_text[:1].isupper() is False and text[u_start].isupper() \
            and not lex_at(text, u_start, lx.CAPITAL_UNITS):
        return None  # `5 Nga-Ukraina`: a number before a name is not a count (`2.340 Huy hiệu Đảng` is)
    prev = prev_word(text, num_start, a)
    prev_last = prev.split()[-1] if prev else ""
    if (prev in lx.ORDINAL_NOUNS or prev_last in lx.ORDINAL_NOUNS) and not verbs_rx.fullmatch(prev):
        return None  # `đối tượng 4`, `lần thứ 3`; but `xếp loại 412 ...` is a verb and its object
    before = text[max(a, num_start - 20):num_start].rstrip()
    if before and before.split()[-1][:1].isupper() and not m.group("hedge") and before[-1].isalpha() \
            and before.split()[-1].lower() not in lx.BEFORE_COUNT_CAPITAL and not verbs_rx.fullmatch(prev) \
            and not verbs_rx.fullmatch(prev_last):
        return None  # `Hội nghị Trung ương 5`, `Quận 3`: a label, not a count; `Trao 150 suất`, `Đảng 41 đoàn viên` are
    value: int | None
    approx = None
    if m.group("vague"):
        if m.group("vague").lower() == "nhiều" and u_class not in ("class", "meeting"):
            return None  # `nhiều hoạt động`: "many", not an amount anyone would tabulate
        value, approx = None, m.group("vague").lower()
    elif m.group("digits"):
        v = digits_to_number(m.group("digits"), m.group("scale"))
        value = v if isinstance(v, int) else None
        if v is None or isinstance(v, float) or v > 2**53:
            return None  # not a whole number, or beyond what JSON readers keep exact
    else:
        value = words_to_int(m.group("words"))
        if value is None or u_class == "other":
            return None
        if value == 1 and m.group("words").lower() == "một" and u_class not in ("class", "meeting"):
            return None
    if m.group("hedge"):
        approx = m.group("hedge").lower()
    if not m.group("hedge"):
        x = num_start
    return Count(x, u_end, value, u_start, unit_text, u_class, approx, via_cho)


# How far before its count a tally verb may stand: characters, and words between
# them (more when `cho` leads the count: the gift or award is named between).
ACTIVITY_REACH = 90
ACTIVITY_GAP_WORDS = 6
ACTIVITY_GAP_WORDS_CHO = 10
_CHO_END = re.compile(r"(?<![^\W_])cho\s*$")
# Numbers of a name given, not counts: years (`năm 2019`, `30 năm tuổi Đảng`) and dates (`đợt 3/2`).
_DATED = re.compile(r"(?<![^\W_])(?:\d+\s+năm|năm\s+\d{4}|\d{1,2}/\d{1,2}(?:/\d{2,4})?)(?![^\W_])", re.IGNORECASE)


def activity_before(text: str, pos: int, lo: int, verbs_rx: re.Pattern[str]) -> tuple[int, int] | None:
    """The verb phrase before a count, in the same clause.

    The nearest action verb counts when at most six words stand between it and
    the number (`tặng Bằng khen cho 12 tập thể`, `giám sát chuyên đề 187 ...`);
    verbs coordinated before it join (`phổ biến, quán triệt 12 ...`).
    """
    window = text[max(lo, pos - ACTIVITY_REACH):pos]
    off = pos - len(window)
    cut = max(window.rfind(c) for c in ";:.()\n")
    if cut >= 0:
        window = window[cut + 1:]
        off += cut + 1
    # Verbs are matched in the text itself (a word cut by the window's edge is
    # not a verb). A "verb" right after a number is a noun (`78 tổ chức cơ sở đảng`).
    hits = [(h.start() - off, h.end() - off) for h in verbs_rx.finditer(text, off, pos)
            if not after_digit(window, h.start() - off)]
    if not hits:
        return None
    last = hits[-1]
    gap = window[last[1]:]
    if "," in gap or re.search(r"(?<!\w)(?:có|còn|là)(?!\w)", gap):
        return None  # `hiện có 78 ...`, `còn 12 chi bộ`: stock figures, not activities
    if _CHO_END.search(gap):
        # `trao Huy hiệu 30 năm tuổi Đảng cho 17 đảng viên`, `tặng Giải thưởng ... năm 2019 cho 61
        # doanh nghiệp`: what is given may be named at length, with its years and dates.
        if len(gap.split()) > ACTIVITY_GAP_WORDS_CHO or re.search(r"\d", _DATED.sub(" ", gap)):
            return None
    elif len(gap.split()) > ACTIVITY_GAP_WORDS or re.search(r"\d", gap):
        return None
    m = GAP_FILLER.search(window)
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


# A count told before its verb: a passive (`18 đoàn viên đã được kết nạp`,
# `1.355 học sinh được Bộ trưởng tặng Bằng khen`), or a headcount that is the
# subject (`3 đồng chí nhận Huy hiệu ...`). How far after the unit's start the
# verb may stand, and the words of the unit phrase and of the agent before it.
AFTER_REACH = 80
AFTER_UNIT_WORDS = 6
AFTER_AGENT_WORDS = 5
_PASSIVE_VERBS = activity_pattern(lx.PASSIVE_VERBS)
_SUBJECT_VERBS = activity_pattern(lx.SUBJECT_VERBS)
_PASSIVE_MARK = re.compile(r"(?<![^\W_])được(?![^\W_])", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[,;:.()\n\d]")


def activity_after(text: str, unit_start: int, hi: int, person: bool, slack: int = 0) -> tuple[int, int] | None:
    """The verb after a count whose unit starts at ``unit_start``, in its clause
    (no punctuation or other number between), when the count is its object told
    in the passive, or (``person``: a headcount) its subject. ``slack`` words
    more are allowed (the scan's superset)."""
    end = min(hi, unit_start + AFTER_REACH + 10 * slack)
    stop = _CLAUSE_END.search(text, unit_start, end)
    if stop:
        end = stop.start()
    marks = [m for m in (_PASSIVE_MARK.search(text, unit_start, end),
                         _SUBJECT_VERBS.search(text, unit_start, end) if person else None) if m]
    if not marks:
        return None
    m = min(marks, key=lambda m: m.start())
    if len(text[unit_start:m.start()].split()) > AFTER_UNIT_WORDS + slack:
        return None
    if not _PASSIVE_MARK.fullmatch(m.group()):
        return m.start(), m.end()  # the subject's own verb
    v = _PASSIVE_VERBS.search(text, m.end(), end)
    if v is None or len(text[m.end():v.start()].split()) > AFTER_AGENT_WORDS + slack:
        return None
    return v.start(), v.end()
