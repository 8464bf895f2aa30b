"""Phrase entities grown from their trigger words: courses, meetings, groups,
tally activities and units, organisations. Each is a registered rule
(:mod:`.registry`); they run in the order below, after the counts."""

from __future__ import annotations

import re

from .. import lexicon as lx
from .counts import activity_after, activity_before
from .patterns import (CHO, COURSE_EVENT, COURSE_GIVEN, COURSE_OPENED, COURSE_RECEIVED, COURSE_WORD, HOLD_WORD, LIST_ITEM,
                       MEETING_HELD, MEETING_HELD_BEFORE, MEETING_WORD, NUMBER, ORG_HEAD, TERM)
from .registry import Context, rule
from .sentence import Count
from .words import grow, is_subject, lex_at, prev_is_number, skip_space

# After a comma, a group goes on only with one of these (`cán bộ, đảng viên`).
_GROUP_COMMA = lx.PERSON_UNITS | lx.PLACE_NOUNS | frozenset({"các"})
PERSON_CLASSES = ("person", "attendance")
# Counts that are a course's or meeting's own, never a tally.
HEAD_CLASSES = ("class", "meeting", "points", "papers")


@rule("counted", "phrases", ("COURSE", "EVENT", "GROUP", "ACTIVITY", "UNIT"))
def counted(ctx: Context, _m: None) -> None:
    """A course after a count of classes, a meeting kind after a count of meetings, the group of a headcount, a tally."""
    text, b, add, cs = ctx.text, ctx.sent.end, ctx.out.add, ctx.count_starts
    for c in ctx.counts:
        y, cls = c.end, c.unit_class
        if cls == "class":
            c_end = _drop_and(text, y, grow(text, y, b, ctx.token_end, stops=lx.COURSE_STOPS, count_starts=cs))
            if c_end > y:
                add("COURSE", skip_space(text, y), c_end, None, counted=True,
                    has_colon=text[c_end:c_end + 2].strip().startswith(":"))
        elif cls == "meeting":
            k_end = grow(text, y, b, ctx.token_end, stops=lx.PHRASE_STOPS, max_words=6,
                         keep=lx.MEETING_MODIFIERS, count_starts=cs)
            add("EVENT", c.unit_start, max(k_end, y), None, counted=True)
        elif cls in PERSON_CLASSES:
            g_start = group_start(text, c, b)
            if g_start is not None:
                g_end = _drop_and(text, g_start, grow(text, g_start, b, ctx.token_end, stops=lx.GROUP_STOPS,
                                                      max_words=40, after_comma=_GROUP_COMMA, count_starts=cs))
                if g_end > g_start:
                    add("GROUP", g_start, g_end, None)
        # Tally: the verb phrase before the count and the noun phrase after it.
        act = activity_before(text, c.start, ctx.sent.start, ctx.verbs_rx)
        of_count = None
        if act is None and cls not in HEAD_CLASSES:
            act = activity_after(text, c.unit_start, b, cls in PERSON_CLASSES)
            of_count = c.start if act else None
        if act and cls not in HEAD_CLASSES:
            add("ACTIVITY", act[0], act[1], None, of_count=of_count)
            un_end = grow(text, c.unit_start, act[0] if of_count is not None else b, ctx.token_end, stops=lx.UNIT_STOPS | lx.ACTIVITY_VERBS, max_words=10, count_starts=cs,
                          stop_at_digit=True)
            if un_end > c.unit_start:
                add("UNIT", c.unit_start, un_end, None)


@rule("course_named", "phrases", ("COURSE",), COURSE_WORD, lx.COURSE_NOUNS)
def course_named(ctx: Context, m: re.Match[str]) -> None:
    """A course without a count of classes, with a headcount after it: `mở lớp X cho 50 học viên`."""
    text, a, b = ctx.text, ctx.sent.start, ctx.sent.end
    x = a + m.end()
    if prev_is_number(text, a + m.start(), a) or TERM.match(text, a + m.start()):
        return  # (`khóa XV`: a term of office, not a course)
    c_end = grow(text, x, b, ctx.token_end, stops=lx.COURSE_STOPS, count_starts=ctx.count_starts)
    c_end = _drop_and(text, x, c_end)
    # Its headcount after it, or just before it (`45 học viên của lớp X`, a part of a total).
    if c_end > x and (has_person_count_after(ctx.counts, c_end, b, text) or _count_of(ctx, a + m.start())):
        ctx.out.add("COURSE", x, c_end, None, counted=False)


def _count_of(ctx: Context, pos: int) -> bool:
    """Does a headcount end just before `của` at ``pos`` (`200 học viên của 4 lớp ...`)?"""
    m = re.search(r"\s+của\s+$", ctx.text[max(ctx.sent.start, pos - 8):pos])
    at = pos - len(m.group()) if m else -1
    return any(c.end == at and c.unit_class in PERSON_CLASSES for c in ctx.counts)


def _drop_and(text: str, x: int, end: int) -> int:
    """A course or group cut by the next count keeps no dangling `và` (`4 lớp X và 45 học viên ...`)."""
    m = re.search(r"\s+(?:và|cùng)$", text[x:end])
    return x + m.start() if m else end


@rule("course_event", "phrases", ("COURSE",), COURSE_EVENT, lx.COURSE_EVENT_VERBS)
def course_event(ctx: Context, m: re.Match[str]) -> None:
    """A course told opened or closed, with or without a count: `khai giảng lớp Trung cấp lý luận chính trị`."""
    text, a, b = ctx.text, ctx.sent.start, ctx.sent.end
    x = a + m.end()
    c_end = grow(text, x, b, ctx.token_end, stops=lx.COURSE_STOPS, count_starts=ctx.count_starts)
    if c_end > x:
        ctx.out.add("COURSE", x, c_end, None, counted=False, event=True)


@rule("course_held", "phrases", ("COURSE",), HOLD_WORD, lx.HOLD_VERBS)
def course_held(ctx: Context, m: re.Match[str]) -> None:
    """Training held for a headcount: `tổ chức đào tạo, bồi dưỡng cho 250 cán bộ`."""
    text, a, b = ctx.text, ctx.sent.start, ctx.sent.end
    x = a + m.end()
    if not lex_at(text, x, lx.TRAINING_WORDS):
        return
    c_end = grow(text, x, b, ctx.token_end, stops=lx.COURSE_STOPS - lx.TRAINING_WORDS - {"tổ chức"},
                 count_starts=ctx.count_starts)
    nxt = text[c_end:c_end + 6].lower().strip()
    if c_end > x and nxt.startswith("cho") and has_person_count_after(ctx.counts, c_end, b, text, within=12):
        ctx.out.add("COURSE", x, c_end, None, counted=False, total=True)


@rule("course_given", "phrases", ("COURSE",), COURSE_GIVEN, lx.GIVEN_MARKERS)
def course_given(ctx: Context, m: re.Match[str]) -> None:
    """Training told given to a group: `bệnh viện đã tập huấn cho tất cả cán bộ, nhân viên y tế`."""
    marker = " ".join(m.group().lower().split())
    held = marker in lx.HOLD_VERBS and lex_at(ctx.text, ctx.sent.start + m.end(), lx.HELD_ALONE) is not None
    _given(ctx, ctx.sent.start + m.end(), ctx.sent.start + m.start(), held)


@rule("course_opened", "phrases", ("COURSE",), COURSE_OPENED, lx.HOLD_VERBS)
def course_opened(ctx: Context, m: re.Match[str]) -> None:
    """A training class held for a group: `tổ chức lớp tập huấn kỹ năng cho cán bộ Hội`."""
    _given(ctx, ctx.sent.start + m.end(), ctx.sent.start + m.start(), True)


def _given(ctx: Context, x: int, verb: int, held: bool) -> None:
    """A course from the training word at ``x`` up to `cho` and the group it was given to
    (a count or a people noun phrase; not a conjunction `cho biết`, not school students).
    ``verb``: where the words telling it given start (a negation or a need before them: no fact).
    ``held``: told held (`tổ chức tập huấn`, `mở lớp bồi dưỡng`), a fact without a group too."""
    text, b = ctx.text, ctx.sent.end
    before = " ".join(text[max(ctx.sent.start, verb - 24):verb].lower().split()[-2:])
    if any(before == w or before.endswith(" " + w) for w in lx.NOT_GIVEN):
        return
    c_end = grow(text, x, b, ctx.token_end, stops=COURSE_GIVEN_STOPS, max_words=15, count_starts=ctx.count_starts)
    cho = re.match(r"\s*cho\s+(?:(?:tất cả|toàn bộ|toàn thể|các|những)\s+)?", text[c_end:b])
    if c_end <= x or any(x <= s < c_end for s in ctx.count_starts):
        return  # (`đào tạo hàng nghìn nhân lực cho thị trường`: the count is who was trained)
    if not cho:
        if held and not has_person_count_after(ctx.counts, c_end, b, text):
            # The people it is given to end it (`tập huấn, hướng dẫn cán bộ quản lý ...`).
            people = next((p.start() + x for p in re.finditer(r"(?<=[\s,])\S", text[x:c_end])
                           if lex_at(text, p.start() + x, lx.PERSON_UNITS)), c_end)
            ctx.out.add("COURSE", x, people, None, counted=False, event=True)
        return
    y = c_end + cho.end()
    count = next((c for c in ctx.counts if c.start >= c_end and c.unit_class in PERSON_CLASSES
                  and c.start <= c_end + 32 and not re.search(r"[.;]", text[c_end:c.start])), None)
    if count is None and (NUMBER.match(text, y) or lex_at(text, y, lx.NOT_A_GROUP) or not text[y:y + 1].isalpha()):
        return
    if lex_at(text, count.unit_start if count else y, lx.NOT_TRAINEES):
        return
    counted = count is not None
    ctx.out.add("COURSE", x, c_end, None, counted=False, total=counted, event=not counted)


@rule("course_received", "phrases", ("COURSE", "GROUP"), COURSE_RECEIVED, ("được",))
def course_received(ctx: Context, m: re.Match[str]) -> None:
    """Training told received by the people the sentence opens with:
    `Toàn bộ cán bộ, chiến sĩ ... đã được tập huấn các biện pháp phòng dịch`."""
    text, a, b = ctx.text, ctx.sent.start, ctx.sent.end
    x, verb = a + m.end(), a + m.start()
    before = " ".join(text[max(a, verb - 24):verb].lower().split()[-2:])
    if any(before == w or before.endswith(" " + w) for w in lx.NOT_GIVEN):
        return
    g = a + len(text[a:b]) - len(text[a:b].lstrip())
    opener = lex_at(text, g, lx.GROUP_OPENERS)
    if opener is not None:
        g = skip_space(text, opener)
    p_end = lex_at(text, g, lx.PERSON_UNITS)
    if p_end is None or text[g:p_end].lower() in lx.GENERIC_PERSON or lex_at(text, g, lx.NOT_TRAINEES):
        return
    g_end = grow(text, g, verb, ctx.token_end, stops=lx.GROUP_STOPS, max_words=15, after_comma=_GROUP_COMMA,
                 count_starts=ctx.count_starts)
    c_end = grow(text, x, b, ctx.token_end, stops=COURSE_GIVEN_STOPS, max_words=15, count_starts=ctx.count_starts)
    if g_end > g and c_end > x:
        ctx.out.add("GROUP", g, g_end, None, uncounted=True, subject=True)
        ctx.out.add("COURSE", x, c_end, None, counted=False, event=True)


# A course given ends where the course_held rule ends it: training words and
# `tổ chức` are part of it (`tập huấn, bồi dưỡng`).
COURSE_GIVEN_STOPS = lx.COURSE_STOPS - lx.TRAINING_WORDS - {"tổ chức"}


@rule("course_item", "phrases", ("COURSE",), LIST_ITEM)
def course_item(ctx: Context, m: re.Match[str]) -> None:
    """A listed sub-course with its headcount in brackets: `; Công tác Mặt trận (98 học viên)`."""
    a = ctx.sent.start
    inner_start = a + m.end()
    if any(c.start == inner_start and c.unit_class in PERSON_CLASSES for c in ctx.counts):
        ctx.out.add("COURSE", a + m.start(1), a + m.end(1), None, counted=False, item=True)


@rule("group_for", "phrases", ("GROUP",), CHO, ("cho",))
def group_for(ctx: Context, m: re.Match[str]) -> None:
    """A group after `cho` with no count: `cho các đối tượng ở địa phương, đơn vị`."""
    text = ctx.text
    x = ctx.sent.start + m.end()
    if NUMBER.match(text, x) or lex_at(text, x, lx.NOT_A_GROUP):
        return
    g_end = grow(text, x, ctx.sent.end, ctx.token_end, stops=lx.GROUP_STOPS, max_words=15,
                 after_comma=_GROUP_COMMA, count_starts=ctx.count_starts)
    if g_end > x:
        ctx.out.add("GROUP", x, g_end, None, uncounted=True)


@rule("meeting_named", "phrases", ("EVENT",), MEETING_WORD, lx.MEETING_NAMED)
def meeting_named(ctx: Context, m: re.Match[str]) -> None:
    """A meeting named without a count: `tổ chức Hội thảo khoa học với chủ đề ...`."""
    text, a = ctx.text, ctx.sent.start
    x = a + m.start()
    if prev_is_number(text, x, a):
        return
    k_end = grow(text, a + m.end(), ctx.sent.end, ctx.token_end, stops=lx.PHRASE_STOPS, max_words=6,
                 keep=lx.MEETING_MODIFIERS, count_starts=ctx.count_starts)
    k_end = max(k_end, a + m.end())
    if re.match(r"\s*(?:\d|lần thứ|khóa [IVXLC])", text[k_end:k_end + 12]) or any(c.isdigit() for c in text[x:k_end]):
        return  # a numbered session (`Hội nghị Trung ương 5`) is a name, not a meeting held
    # (the verb outside the kind: `họp` in `cuộc họp` tells nothing)
    held = bool(MEETING_HELD.search(text, ctx.sent.start, x) or MEETING_HELD.search(text, k_end, ctx.sent.end)
                or MEETING_HELD_BEFORE.search(text[max(ctx.sent.start, x - 12):x]))
    ctx.out.add("EVENT", x, k_end, None, counted=False, held=held)


@rule("organisation", "phrases", ("ORG",), ORG_HEAD, lx.ORG_HEADS)
def organisation(ctx: Context, m: re.Match[str]) -> None:
    """An organisation: a head noun grown through name words (`Ban Tuyên giáo Tỉnh ủy`)."""
    text, a, b = ctx.text, ctx.sent.start, ctx.sent.end
    x = a + m.start()
    if x > a and text[x - 1].isalpha():
        return
    o_end = grow(text, a + m.end(), b, ctx.token_end, stops=lx.ORG_STOPS, max_words=12,
                 keep=lx.ORG_CONTINUATION, after_comma=lx.PLACE_NOUNS, count_starts=ctx.count_starts)
    o_end = max(o_end, a + m.end())
    # `và các đảng ủy ...` joins a plural subject; a dangling `và` does not.
    tail = re.match(r"\s+và\s+các\s+", text[o_end:b])
    if tail and ORG_HEAD.match(text, o_end + tail.end() - 4):
        o_end = max(o_end, grow(text, o_end + tail.end() - 4, b, ctx.token_end, stops=lx.ORG_STOPS,
                                max_words=12, keep=lx.ORG_CONTINUATION, count_starts=ctx.count_starts))
    head_low = m.group().lower()
    if not m.group()[0].isupper() and not head_low.startswith("các"):
        return
    if head_low in lx.BARE_HEADS and o_end == a + m.end():
        return  # a bare head word is not a name
    ctx.out.add("ORG", x, o_end, None, subject=is_subject(text, x, a))


def group_start(text: str, c: Count, limit: int) -> int | None:
    """Where the participant group of a person count starts, or None.

    `6.330 cán bộ chủ chốt` -> at `cán bộ`; `24.737 lượt cán bộ` -> after `lượt`;
    `200 đại biểu là bí thư chi bộ` -> after `là`; a bare `học viên` has no group.
    """
    start = skip_space(text, c.end) if c.unit_class == "attendance" else c.unit_start
    p_end = lex_at(text, start, lx.PERSON_UNITS)
    if p_end is not None and text[start:p_end].lower() not in lx.GENERIC_PERSON:
        return start
    la = re.match(r"\s*(?:đại biểu|học viên|người|lượt người)?\s*là\s+", text[start:limit])
    if la:
        return start + la.end()
    return start if c.via_cho and p_end is None else None


def has_person_count_after(counts: list[Count], pos: int, limit: int, text: str, within: int = 40) -> bool:
    for c in counts:
        if pos <= c.start <= min(limit, pos + within + 20) and c.unit_class in PERSON_CLASSES:
            gap = text[pos:c.start]
            if ";" not in gap and "." not in gap:
                return True
    return False
