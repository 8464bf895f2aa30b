"""Stage 4: which count, group, organisation, date or title belongs to which
course, meeting or document.

Candidate pairs are classified by a logistic regression trained on
``corpus/`` (see :mod:`vnreport_ie.train`). Its features are ones a person can
read: distance, the words and punctuation between, parentheses, ``cho``/``với``,
the unit noun's class, order, whether the organisation opens its clause. The
label of a related pair follows from the entity types and unit class
(``COURSE -> 2 lớp`` is ``CLASSES``), so the model only answers *related or not*.

The model is stored as JSON (feature names, weights, bias): loading it never
runs code.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import repeat
from operator import mul
from pathlib import Path
from typing import Any, Iterator

from spacy.tokens import Doc

from . import lexicon as lx
from .types import Entity, Relation, work_text

HEADS = ("COURSE", "EVENT", "DOC")
TAILS = {
    "COURSE": ("COUNT", "GROUP", "ORG"),
    "EVENT": ("COUNT", "GROUP", "ORG", "TOPIC"),
    "DOC": ("DATE", "ORG", "TERM", "TOPIC"),
}
# Tails that may serve several heads (an organiser of a whole list of courses).
SHARED_TAILS = ("ORG",)
# Labels that take several tails, summed (`10 điểm cầu cấp huyện và 102 điểm cầu cấp xã`).
MULTI = ("POINTS",)
SENTENCE_WINDOW = {"ORG": 3, "COUNT": 1, "GROUP": 1, "TOPIC": 0, "DATE": 0, "TERM": 0}
# A head's pairs and features read the sentences [head - BACK, head + AHEAD] of its paragraph.
WINDOW_BACK = max(SENTENCE_WINDOW.values())
WINDOW_AHEAD = 1
# Inside that window a head pairs with a tail only if at most this many entities
# of the tail's label start between the two (by start): a long list in one
# sentence gives each head a bounded number of pairs, not the whole list.
# (Across the corpus and the news archive no related pair has more than 5.)
PAIR_RANK_WINDOW = 8
MODEL_FILE = "relations.json"
_SHAPES_KEPT = 100_000  # scores of pair shapes a Relater remembers


# What a count is to its head, by the count's unit class.
COUNT_LABELS = {
    "COURSE": {"class": "CLASSES", "person": "PARTICIPANTS", "attendance": "PARTICIPANTS"},
    "EVENT": {"meeting": "EVENT_COUNT", "points": "POINTS", "person": "PARTICIPANTS",
              "attendance": "PARTICIPANTS", "papers": "PAPERS"},
}


def relation_label(head: Entity, tail: Entity) -> str | None:
    """The only label a related (head, tail) pair can have."""
    if tail.label == "COUNT":
        return COUNT_LABELS.get(head.label, {}).get(tail.attrs.unit_class)
    if head.label == "DOC":
        return {"DATE": "ISSUED_ON", "ORG": "ISSUED_BY", "TERM": "TERM", "TOPIC": "TITLE"}.get(tail.label)
    return {"GROUP": "GROUP", "ORG": "ORGANIZER", "TOPIC": "TOPIC"}.get(tail.label)


_BUCKET_EDGES = (0, 1, 2, 3, 5, 8, 13, 21, 34)
# Bucket names of 0..34, looked up rather than searched (every pair reads two).
_BUCKETS = tuple(next(str(e) for e in _BUCKET_EDGES if n <= e) for n in range(_BUCKET_EDGES[-1] + 1))


def _bucket(n: int) -> str:
    return _BUCKETS[n] if 0 <= n < len(_BUCKETS) else ("0" if n < 0 else "more")


_BETWEEN_MARKS = {"(": "paren_open", ")": "paren_close", ";": "semicolon", ":": "colon",
                  ".": "period", ",": "comma", "“": "quote", "\"": "quote"}
_BETWEEN_WORDS = lx.BETWEEN_WORDS  # (the model's features: changing them needs `make models`)


_NO_ROWS: tuple[list[int], list[tuple[int, int, Entity]]] = ([], [])  # (never mutated)


class Nearby(tuple):
    """The entities of a head's window of sentences (a tuple, in text order),
    with sorted start positions by label built once and shared by every pair
    of the window: counts between two points and the entity nearest a point
    are binary searches, not scans of the window."""

    _index: "dict[Any, tuple[list[int], list[tuple[int, int, Entity]]]] | None" = None
    _sent_labels: "set[tuple[str, int]] | None" = None
    _nearest: "dict[tuple[str, int], Entity | None] | None" = None

    def index(self, key: Any) -> tuple[list[int], list[tuple[int, int, Entity]]]:
        """(sorted starts, sorted (start, position, entity)) of the entities
        under ``key``: a label, or (label, unit class)."""
        if self._index is None:
            groups: dict[Any, list[tuple[int, int, Entity]]] = {}
            for i, e in enumerate(self):
                groups.setdefault(e.label, []).append((e.start, i, e))
                groups.setdefault((e.label, e.attrs.unit_class), []).append((e.start, i, e))
            index = {}
            for k, rows in groups.items():
                rows.sort(key=lambda r: (r[0], r[1]))
                index[k] = ([r[0] for r in rows], rows)
            self._index = index
        return self._index.get(key, _NO_ROWS)

    def count(self, key: Any, lo: int, hi: int) -> int:
        """How many entities under ``key`` start in [lo, hi)."""
        if hi <= lo:
            return 0
        starts = self.index(key)[0]
        return bisect_left(starts, hi) - bisect_left(starts, lo)

    def has_in_sent(self, label: str, sent: int) -> bool:
        if self._sent_labels is None:
            self._sent_labels = {(e.label, e.attrs.sent) for e in self}
        return (label, sent) in self._sent_labels

    def nearest(self, label: str, point: int) -> Entity | None:
        """The entity of ``label`` starting nearest ``point``; of equals, the
        first in window order (as ``min`` over the window)."""
        if self._nearest is None:
            self._nearest = {}
        key = (label, point)
        if key not in self._nearest:  # (a tail is paired with every head of the window: asked again)
            self._nearest[key] = self._find_nearest(label, point)
        return self._nearest[key]

    def _find_nearest(self, label: str, point: int) -> Entity | None:
        starts, rows = self.index(label)
        if not starts:
            return None
        i = bisect_left(starts, point)
        d = min(abs(starts[j] - point) for j in (i - 1, i) if 0 <= j < len(starts))
        best = None
        for at in {point - d, point + d}:
            for j in range(bisect_left(starts, at), bisect_right(starts, at)):
                if best is None or rows[j][1] < best[1]:
                    best = rows[j]
        return best[2] if best else None

    def near_rank(self, label: str, point: int, k: int) -> list[tuple[int, int, Entity]]:
        """(start, position, entity) of the entities of ``label`` with at most
        ``k`` of that label starting strictly between ``point`` and them."""
        starts, rows = self.index(label)
        out: list[tuple[int, int, Entity]] = []
        first_after, last_at = bisect_left(starts, point), bisect_right(starts, point)
        j = first_after
        while j < len(starts) and bisect_left(starts, starts[j]) - last_at <= k:
            out.append(rows[j])
            j += 1
        j = first_after - 1
        while j >= 0 and first_after - bisect_right(starts, starts[j]) <= k:
            out.append(rows[j])
            j -= 1
        return out


def candidates(ents: tuple[Entity, ...]) -> Iterator[tuple[Entity, Entity, tuple[Entity, ...]]]:
    """(head, tail, nearby entities) for every pair worth scoring.

    Pairs stay inside a paragraph and a window of sentences, and within
    :data:`PAIR_RANK_WINDOW` entities of the tail's label; features look only
    at the entities of that window, through an index built once per window,
    so the work grows with the length of the text, not its square (even when
    the whole text is one sentence).
    """
    by_sent: dict[tuple[Any, Any], list[Entity]] = {}
    for e in ents:
        by_sent.setdefault((e.attrs.para, e.attrs.sent), []).append(e)
    # Only the window of the current head's sentence is kept: heads come in
    # text order, so an earlier window is never read again (a giant text
    # keeps one index at a time).
    window_key: tuple[Any, Any] | None = None
    nearby = Nearby()
    for head in ents:
        if head.label not in HEADS:
            continue
        para, sent = head.attrs.para, head.attrs.sent
        if (para, sent) != window_key:
            window_key = (para, sent)
            nearby = Nearby(
                e for s in range(sent - WINDOW_BACK, sent + WINDOW_AHEAD + 1) for e in by_sent.get((para, s), ()))
        # The tails in window order, as a walk over the window would meet them.
        near = sorted((r for label in TAILS[head.label] for r in nearby.near_rank(label, head.start, PAIR_RANK_WINDOW)),
                      key=lambda r: r[1])
        for _, _, tail in near:
            ds = sent - tail.attrs.sent
            if tail.label == "ORG" and head.label != "DOC":
                # An organiser is named in the clause or in a sentence before it.
                if not (0 <= ds <= SENTENCE_WINDOW["ORG"]):
                    continue
            elif abs(ds) > SENTENCE_WINDOW[tail.label]:
                continue
            if head.label == "DOC":
                # A document's date, issuer, term and title follow it, before the next document.
                if ds != 0 or tail.start < head.end or nearby.count("DOC", head.end, tail.start):
                    continue
            if relation_label(head, tail) is None:
                continue
            yield head, tail, nearby


def _overlaps(a: Entity, b: Entity) -> bool:
    return a.start < b.end and b.start < a.end


_WORD_PATTERNS = tuple((w, re.compile(rf"(?<!\w){re.escape(w)}(?!\w)")) for w in _BETWEEN_WORDS)


_MARK_CHARS = frozenset(_BETWEEN_MARKS)
_ORG_PARTNER = re.compile(r"phối hợp với\s*$")
_AFTER_CHU_DE = re.compile(r"chủ đề\s*[:“\"]?\s*$")


def features(text: str, head: Entity, tail: Entity, ents: tuple[Entity, ...]) -> dict[str, float]:
    """The named features of a pair; ``ents``: the window's entities (a
    :class:`Nearby` from :func:`candidates`, or any tuple)."""
    return named(shape(text, head, tail, ents if isinstance(ents, Nearby) else Nearby(ents)))


def shape(text: str, head: Entity, tail: Entity, near: Nearby) -> tuple[Any, ...]:
    """What the features of a pair read, as plain values: pairs of the same
    shape have the same features (:func:`named`), so a score is computed once
    per shape (:class:`Relater`)."""
    label = relation_label(head, tail) or "NONE"
    ha, ta = head.attrs, tail.attrs
    after = tail.start >= head.start
    lo, hi = (head.end, tail.start) if after else (tail.end, head.start)
    between = text[lo:hi] if hi > lo else ""
    marks: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    if between:
        if not _MARK_CHARS.isdisjoint(between):
            marks = tuple(name for mark, name in _BETWEEN_MARKS.items() if mark in between)
        low = between.lower()
        # (a plain substring test first: most words are absent)
        words = tuple(w for w, pattern in _WORD_PATTERNS if w in low and pattern.search(low))
    org = course = topic = None
    if tail.label == "ORG":
        org = (bool(ta.subject), text[max(0, tail.start - 8):tail.start].strip().endswith("của"),
               _ORG_PARTNER.search(text[max(0, tail.start - 20):tail.start]) is not None)
    if head.label == "COURSE":
        course = tuple(k for k in ("counted", "item", "total", "has_colon") if getattr(ha, k))
    if tail.label == "TOPIC":
        topic = (bool(ta.quoted), _AFTER_CHU_DE.search(text[max(0, tail.start - 14):tail.start]) is not None)
    # Other candidates between: the nearest head/tail of the same kind usually wins.
    # (Neither the head nor the tail starts in [lo, hi).)
    return (f"{label}:{ta.unit_class or tail.label}", "after" if after else "before", ha.sent - ta.sent,
            _bucket(len(between)), _bucket(len(between.split())), marks, words,
            min(near.count(head.label, lo, hi), 3), min(near.count((tail.label, ta.unit_class), lo, hi), 3),
            tail.start > 0 and text[max(0, tail.start - 2):tail.start].strip().endswith("("),
            head.label, org, course, bool(ha.counted) if head.label == "EVENT" else None,
            tail.label == "GROUP" and bool(ta.uncounted), topic,
            near.has_in_sent(head.label, ta.sent), near.nearest(head.label, tail.start) is head)


def named(shape: tuple[Any, ...]) -> dict[str, float]:
    """The named features of a pair of this :func:`shape` (the model's and training's names)."""
    (pair, direction, ds, chars, nwords, marks, words, heads_between, tails_between, in_paren, head_label,
     org, course, event_counted, group_uncounted, topic, sent_has_head, nearest) = shape
    pd = f"{pair}|{direction}"
    f: dict[str, float] = {
        f"pair={pair}": 1.0,
        f"pair_dir={pd}": 1.0,
        f"sent_dist={ds}": 1.0,
        f"pair_sent={pair}|{ds}": 1.0,
        f"chars={chars}": 1.0,
        f"pair_chars={pd}|{chars}": 1.0,
        f"words={nwords}": 1.0,
    }
    for name in marks:
        f[f"has_{name}"] = 1.0
        f[f"pair_has_{name}={pd}"] = 1.0
    for w in words:
        f[f"word_{w}"] = 1.0
        f[f"pair_word={pd}|{w}"] = 1.0
    f[f"heads_between={heads_between}"] = 1.0
    f[f"tails_between={tails_between}"] = 1.0
    f[f"pair_heads_between={pd}|{heads_between}"] = 1.0
    f[f"pair_tails_between={pd}|{tails_between}"] = 1.0
    if in_paren:
        f["tail_in_paren"] = 1.0
        f[f"pair_tail_in_paren={pair}"] = 1.0
    if org is not None:
        subject, after_cua, partner = org
        f[f"org_subject={subject}"] = 1.0
        f[f"org_subject_dir={subject}|{direction}|{ds}"] = 1.0
        if after_cua:
            f["org_after_cua"] = 1.0
        if partner:
            f["org_partner"] = 1.0
    for k in course or ():
        f[f"course_{k}|{pd}"] = 1.0
    if event_counted is not None:
        f[f"event_counted={event_counted}|{pair}"] = 1.0
    if group_uncounted:
        f[f"group_uncounted|{direction}"] = 1.0
    if topic is not None:
        quoted, after_chu_de = topic
        f[f"topic_quoted={quoted}|{head_label}"] = 1.0
        if after_chu_de:
            f["topic_after_chu_de"] = 1.0
    f[f"tail_sent_has_head={sent_has_head}|{ds}"] = 1.0
    f[f"nearest_head={nearest}"] = 1.0
    f[f"pair_nearest_head={pair}|{nearest}"] = 1.0
    f["bias"] = 1.0
    return f


@dataclass(frozen=True)
class RelationModel:
    """A linear model over named features: score = sigmoid(w . x + b)."""

    weights: dict[str, float]
    bias: float
    threshold: float = 0.5
    meta: dict[str, Any] | None = None

    def score(self, feats: dict[str, float]) -> float:
        # (The same products added in the same order as a generator over items.)
        z = self.bias + sum(map(mul, map(self.weights.get, feats, repeat(0.0)), feats.values()))
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def to_json(self) -> dict[str, Any]:
        return {"format": "vnreport_ie.relations/1", "bias": self.bias, "threshold": self.threshold,
                "weights": self.weights, "meta": self.meta or {}}

    @classmethod
    def from_json(cls, data: Any) -> "RelationModel":
        if not isinstance(data, dict) or data.get("format") != "vnreport_ie.relations/1":
            raise ValueError("not a vnreport_ie relation model (format tag missing or wrong)")
        weights = data.get("weights")
        if not isinstance(weights, dict) or not all(
                isinstance(k, str) and isinstance(v, (int, float)) and math.isfinite(v) for k, v in weights.items()):
            raise ValueError("relation model weights must be a mapping of feature name to finite number")
        bias, threshold = data.get("bias"), data.get("threshold", 0.5)
        if not all(isinstance(x, (int, float)) and math.isfinite(x) for x in (bias, threshold)):
            raise ValueError("relation model bias and threshold must be finite numbers")
        return cls({k: float(v) for k, v in weights.items()}, float(bias), float(threshold), data.get("meta"))

    @classmethod
    def load(cls, path: Path) -> "RelationModel":
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            return cls.from_json(data)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError, ValueError) as exc:
            raise ValueError(f"cannot load relation model {path}: {exc or type(exc).__name__}") from None

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=0, sort_keys=True),
                              encoding="utf-8")


def load_relation_model(model_dir: Path) -> RelationModel:
    path = Path(model_dir) / MODEL_FILE
    if not path.exists():
        raise FileNotFoundError(f"relation model not found: {path} (run `make models`)")
    model = RelationModel.load(path)
    lx.check((model.meta or {}).get("lexicon"), "the relation model")
    return model


class Relater:
    """``Relater(model)(doc) -> doc`` with ``doc._.vnr_relations`` set.

    Decoding keeps the data's structure: a count or group belongs to one head,
    a head takes one tail per label (connection points may be several, summed),
    an organisation may organise many courses.
    """

    name = "relate"

    def __init__(self, model: RelationModel) -> None:
        self.model = model
        self._by_shape: dict[tuple[Any, ...], float] = {}
        self._scored_by = model

    def __getstate__(self) -> dict[str, Any]:
        # Shipped to worker processes without its remembered scores.
        return {**self.__dict__, "_by_shape": {}}

    # spaCy's serialisation protocol (``nlp.to_disk`` / ``spacy.load``).
    def to_disk(self, path: str | Path, *, exclude: Any = ()) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)
        self.model.save(Path(path) / MODEL_FILE)

    def from_disk(self, path: str | Path, *, exclude: Any = ()) -> "Relater":
        self.model = load_relation_model(Path(path))
        return self

    def __call__(self, doc: Doc) -> Doc:
        ents = doc._.vnr_entities or ()
        text = work_text(doc)
        scored = []
        # Pairs of one shape have the same features, so the same score: a
        # long list scores each shape once.
        if self._scored_by is not self.model:  # (a model set since: its own scores)
            self._by_shape, self._scored_by = {}, self.model
        by_shape = self._by_shape
        for head, tail, near in candidates(ents):
            key = shape(text, head, tail, near)
            p = by_shape.get(key)
            if p is None:
                if len(by_shape) >= _SHAPES_KEPT:
                    by_shape.clear()
                p = by_shape[key] = self.model.score(named(key))
            if p >= self.model.threshold:
                scored.append((p, head, tail, relation_label(head, tail)))
        scored.sort(key=lambda x: (-x[0], x[1].start, x[2].start))
        tail_used: set[int] = set()
        head_label_used: set[tuple[int, str]] = set()
        rels = []
        for p, head, tail, label in scored:
            if tail.label not in SHARED_TAILS and tail.id in tail_used:
                continue
            if label not in MULTI and (head.id, label) in head_label_used:
                continue
            tail_used.add(tail.id)
            head_label_used.add((head.id, label))
            rels.append(Relation(label, head.id, tail.id, round(p, 4)))
        rels.sort(key=lambda r: (r.head, r.tail))
        doc._.vnr_relations = tuple(rels)
        return doc
