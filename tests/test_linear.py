"""Issue #14: the work done on one long, fact-dense line grows linearly.

Nothing here is timed: the tests count work (candidate pairs, features
computed, Python function calls) for a line of N clauses and one of 4N, and
check the count grows about fourfold, not sixteenfold.
"""

from __future__ import annotations

import cProfile
import pstats

import pytest

from vnreport_ie import relate
from vnreport_ie.normalise import normalise
from vnreport_ie.types import Entity, EntityAttrs

CLAUSE = "Mở 3 lớp bồi dưỡng cho 120 học viên; "
N = 60


def _dense(n: int) -> str:
    return CLAUSE * n


@pytest.fixture(scope="module")
def pipe():
    import vnreport_ie

    p = vnreport_ie.load()
    p(_dense(3))  # first-call set-up is not work on the text
    return p


def _pairs(pipe, text: str) -> tuple[int, int]:
    """(candidate pairs, heads) of the text's entities."""
    doc = pipe.get("tag")(pipe.tokenizer(normalise(text)))
    ents = doc._.vnr_entities
    return sum(1 for _ in relate.candidates(ents)), sum(1 for e in ents if e.label in relate.HEADS)


def test_candidate_pairs_grow_linearly(pipe):
    small, heads_small = _pairs(pipe, _dense(N))
    big, heads_big = _pairs(pipe, _dense(4 * N))
    assert heads_big >= 4 * N and heads_small >= N
    assert big <= 4.4 * small, (small, big)
    # Each head meets a bounded number of tails.
    assert big / heads_big <= 2 * (relate.PAIR_RANK_WINDOW + 1) * max(map(len, relate.TAILS.values()))


def test_pairs_bounded_in_one_sentence():
    """Even with every entity in one sentence (no layout cap), a head pairs
    with a bounded number of tails: the rank window, not the sentence."""

    def ents(n: int) -> tuple[Entity, ...]:
        out, pos = [], 0
        for i in range(n):
            out.append(Entity(3 * i, "COURSE", pos, pos + 8, "lớp", attrs=EntityAttrs(counted=True)))
            out.append(Entity(3 * i + 1, "COUNT", pos + 3, pos + 8, "3 lớp", 3, EntityAttrs(unit="lớp", unit_class="class")))
            out.append(Entity(3 * i + 2, "COUNT", pos + 20, pos + 32, "120 học viên", 120,
                              EntityAttrs(unit="học viên", unit_class="person", via_cho=True)))
            pos += 37
        return tuple(out)

    small = sum(1 for _ in relate.candidates(ents(100)))
    big = sum(1 for _ in relate.candidates(ents(400)))
    assert big <= 4.1 * small, (small, big)
    assert big <= 400 * 2 * (relate.PAIR_RANK_WINDOW + 2)


def test_features_match_a_walk_of_the_window():
    """The indexed features are those of the plain definition (a walk of the
    window's entities for the counts and the nearest head)."""
    es = []
    pos = 0
    for i in range(12):
        es.append(Entity(2 * i, "COURSE", pos, pos + 8, "lớp", attrs=EntityAttrs(counted=bool(i % 2))))
        es.append(Entity(2 * i + 1, "COUNT", pos + 10, pos + 15, "3 lớp", 3,
                         EntityAttrs(unit="lớp", unit_class="class" if i % 3 else "person")))
        pos += 20 if i % 4 else 15
    ents = tuple(es)
    text = "x" * (pos + 10)
    for head in ents[::2]:
        for tail in ents[1::2]:
            f = relate.features(text, head, tail, ents)
            after = tail.start >= head.start
            lo, hi = (head.end, tail.start) if after else (tail.end, head.start)
            hb = sum(1 for e in ents if e.label == head.label and lo <= e.start < hi and e is not head)
            tb = sum(1 for e in ents if e.label == tail.label and lo <= e.start < hi and e is not tail
                     and e.attrs.unit_class == tail.attrs.unit_class)
            nearest = min((e for e in ents if e.label == head.label), key=lambda e: abs(e.start - tail.start))
            assert f[f"heads_between={min(hb, 3)}"] == 1.0
            assert f[f"tails_between={min(tb, 3)}"] == 1.0
            assert f[f"nearest_head={nearest is head}"] == 1.0


def _calls(pipe, text: str) -> int:
    prof = cProfile.Profile()
    prof.enable()
    pipe(text)
    prof.disable()
    return sum(v[1] for v in pstats.Stats(prof).stats.values())  # primitive calls


def test_pipeline_calls_grow_linearly(pipe):
    """Every Python-level step (rule applications, regex calls, pair
    features, assembling, recording) counted: 4x the clauses, about 4x the calls."""
    small = _calls(pipe, _dense(N))
    big = _calls(pipe, _dense(4 * N))
    assert big <= 4.5 * small, (small, big)
