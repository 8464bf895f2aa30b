"""One fact per thing told: a meeting or course told again is the one told first."""

from __future__ import annotations

from ..types import Fact


def merge_repeats(facts: list[Fact]) -> list[Fact]:
    """A single meeting told again (`Tại buổi làm việc`, `chủ trì phiên họp`)
    is the meeting told first: one fact (spec: one fact per meeting). A later
    mention of the same noun merges into the first unless it has a count or
    another topic (`hội nghị hiệp thương lần thứ 1`, `... lần thứ 2`)."""
    out: list[Fact] = []
    first: dict[str, int] = {}
    for f in facts:
        kind = (f.get("kind") or "").lower().split()
        if f.type != "meeting" or f.get("count") is not None or len(kind) < 2:
            out.append(f)
            continue
        key = " ".join(kind[:2])
        i = first.get(key)
        if i is None or not _same_topic(out[i].get("topic"), f.get("topic")):
            if i is None:
                first[key] = len(out)
            out.append(f)
            continue
        g = out[i]
        later = dict(f.slots)
        spans = dict(f.spans) | dict(g.spans)
        slots = tuple((k, v if v is not None else later.get(k)) for k, v in g.slots)
        out[i] = Fact(g.type, slots, g.evidence, tuple((k, spans[k]) for k, _v in g.slots if k in spans),
                      tuple(sorted((dict(f.approx) | dict(g.approx)).items())), tuple(sorted({*g.sources, *f.sources})))
    return out


def _same_topic(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    a, b = a.lower(), b.lower()
    return a in b or b in a


def title_repeats(facts: list[Fact], title_end: int) -> list[Fact]:
    """Without the course of the title that the body tells again (`Khai giảng lớp bồi dưỡng
    ... cho đảng viên mới` above `Sáng 4/3, Trung tâm ... khai giảng lớp bồi dưỡng ...`)."""
    def course(f: Fact) -> str:
        return " ".join(str(f.get("course") or "").lower().split())
    body = {course(f) for f in facts if f.type == "training" and f.evidence[0] >= title_end}
    return [f for f in facts if not (f.type == "training" and f.evidence[0] < title_end and course(f) in body)]
