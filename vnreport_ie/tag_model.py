"""The learned half of the tagger: phrase boundaries from annotated data.

Course names, participant groups, organisations, meeting kinds, topics and
tally phrases are not regular enough for rules alone. For each of these labels
a left-to-right B/I/O token classifier (logistic regression over the words
around a token, its shape, the rule tagger's own guess and the previous tag)
is trained on ``corpus/``. Its spans then correct the rule spans' boundaries,
drop rule spans it rejects, and add spans the rules missed (the ``mode``
chosen on dev by ``vnreport-ie train``).

Stored as JSON weights (``models/phrases.json``): loading runs no code.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from pathlib import Path
from typing import Any, Iterable

import numpy as np
from spacy.attrs import IDX, IS_SPACE, LENGTH, SENT_START
from spacy.tokens import Doc

from . import lexicon as lx
from .types import work_text

PHRASE_LABELS = ("COURSE", "EVENT", "GROUP", "ORG", "TOPIC", "ACTIVITY", "UNIT")
TAGS = ("B", "I", "O")
MODES = ("rules", "adjust", "full")
PHRASE_FILE = "phrases.json"


def _shape(w: str) -> str:
    if any(c.isdigit() for c in w):
        return "digit"
    if not any(c.isalpha() for c in w):
        return "punct:" + w[:2]
    if w.isupper():
        return "upper"
    if w[:1].isupper():
        return "title"
    return "lower"


def token_features(doc: Doc, rule_tags: dict[str, list[str]]) -> list[dict[str, float]]:
    """Features of every token that do not depend on the predicted tags."""
    toks = [t for t in doc]
    words = [t.text.lower() for t in toks]
    n = len(toks)
    out = []
    for i, t in enumerate(toks):
        w = words[i]
        f = {f"w={w}": 1.0, f"shape={_shape(t.text)}": 1.0, "bias": 1.0}
        for d in (-2, -1, 1, 2):
            j = i + d
            f[f"w{d:+d}={words[j] if 0 <= j < n else '<s>'}"] = 1.0
        f[f"w-1|w={words[i - 1] if i else '<s>'}|{w}"] = 1.0
        f[f"w|w+1={w}|{words[i + 1] if i + 1 < n else '</s>'}"] = 1.0
        if t.is_sent_start:
            f["sent_start"] = 1.0
        if w in lx.PERSON_UNITS:
            f["lex_person"] = 1.0
        if w in lx.PHRASE_STOPS:
            f["lex_stop"] = 1.0
        if w in lx.ACTIVITY_VERBS:
            f["lex_verb"] = 1.0
        for label, tags in rule_tags.items():
            f[f"rule_{label}={tags[i]}"] = 1.0
            if i + 1 < n:
                f[f"rule_{label}+1={tags[i + 1]}"] = 1.0
            if i:
                f[f"rule_{label}-1={tags[i - 1]}"] = 1.0
        out.append(f)
    return out


class PhraseModel:
    """Per-label B/I/O weights; ``predict(doc, rule_spans) -> {label: spans}``."""

    def __init__(self, weights: dict[str, dict[str, list[float]]], mode: str = "adjust",
                 meta: dict[str, Any] | None = None) -> None:
        self.weights = weights
        self.mode = mode
        self.meta = meta or {}
        self._scores: _ScoreTable | None = None  # built on first predict

    def predict(self, doc: Doc, rule_spans: dict[str, list[tuple[int, int]]]) -> dict[str, list[tuple[int, int]]]:
        toks = _Toks(doc)
        # In "adjust" mode a learned span only moves a rule span of its label:
        # a label without rule spans needs no prediction.
        labels = [lab for lab in self.weights if self.mode != "adjust" or rule_spans.get(lab)]
        if not labels or not toks.n:
            return {lab: [] for lab in labels}
        rule_tags = {lab: toks.span_tags(rule_spans.get(lab, ())) for lab in PHRASE_LABELS}
        if self._scores is None:
            self._scores = _ScoreTable(self.weights)
        table = self._scores
        static = table.static_scores(toks, rule_tags)
        out = {}
        for label in labels:
            out[label] = toks.tags_to_spans(table.decode(label, static, toks.is_space))
        return out

    def to_json(self) -> dict[str, Any]:
        return {"format": "vnreport_ie.phrases/1", "mode": self.mode, "meta": self.meta, "weights": self.weights}

    @classmethod
    def from_json(cls, data: Any) -> "PhraseModel":
        if not isinstance(data, dict) or data.get("format") != "vnreport_ie.phrases/1":
            raise ValueError("not a vnreport_ie phrase model (format tag missing or wrong)")
        weights = data.get("weights")
        if not isinstance(weights, dict) or data.get("mode") not in MODES:
            raise ValueError("phrase model needs a weights mapping and a known mode")
        for label, table in weights.items():
            if label not in PHRASE_LABELS or not isinstance(table, dict) or not all(
                    isinstance(r, list) and len(r) == 3 and all(isinstance(x, (int, float)) and math.isfinite(x) for x in r)
                    for r in table.values()):
                raise ValueError(f"phrase model weights for {label!r} are malformed")
        return cls(weights, data["mode"], data.get("meta"))

    @classmethod
    def load(cls, path: Path) -> "PhraseModel | None":
        path = Path(path)
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls.from_json(data)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError, ValueError) as exc:
            raise ValueError(f"cannot load phrase model {path}: {exc or type(exc).__name__}") from None

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"), sort_keys=True),
                              encoding="utf-8")


def training_rows(doc: Doc, rule_spans: dict[str, list[tuple[int, int]]],
                  gold_spans: dict[str, list[tuple[int, int]]]) -> dict[str, tuple[list[dict], list[str]]]:
    """Per label: (features with the gold previous tag, gold tags), skipping spaces."""
    toks = _Toks(doc)
    rule_tags = {lab: toks.span_tags(rule_spans.get(lab, ())) for lab in PHRASE_LABELS}
    feats = token_features(doc, rule_tags)
    rows = {}
    for label in PHRASE_LABELS:
        gold = toks.span_tags(gold_spans.get(label, ()))
        X, y = [], []
        prev = "O"
        for t, f, g in zip(doc, feats, gold):
            if t.is_space:
                prev = "O"
                continue
            X.append({**f, f"prev={prev}": 1.0})
            y.append(g)
            prev = g
        rows[label] = (X, y)
    return rows


def merge(rule: list[tuple[str, int, int, Any, dict]], learned: dict[str, list[tuple[int, int]]], mode: str,
          text: str) -> list[tuple[str, int, int, Any, dict]]:
    """Rule entities corrected by the learned spans (see the module docstring)."""
    if mode == "rules":
        return rule
    out = []
    used: set[tuple[str, int, int]] = set()
    for e in rule:
        label, a, b, value, attrs = e
        if label not in learned:
            out.append(e)
            continue
        hits = [(x, y) for x, y in learned[label] if x < b and a < y]
        if not hits:
            if mode == "full":
                continue  # the model rejects this rule span
            out.append(e)
            continue
        x, y = max(hits, key=lambda s: min(s[1], b) - max(s[0], a))
        used.add((label, x, y))
        x, y = _trim(text, x, y)
        out.append((label, x, y, value, attrs) if y > x else e)
    if mode == "full":
        for label, spans in learned.items():
            for x, y in spans:
                if (label, x, y) not in used and not any(o[0] == label and o[1] < y and x < o[2] for o in out):
                    x, y = _trim(text, x, y)
                    if y > x:
                        out.append((label, x, y, None, {"learned": True}))
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and not text[a].isalnum():
        a += 1
    while b > a and re.match(r"[\s,;:.(“\"]", text[b - 1]):
        b -= 1
    return a, b


class _Toks:
    """The doc's tokens read once (iterating a spaCy Doc makes a Token object per step)."""

    def __init__(self, doc: Doc) -> None:
        text = work_text(doc)
        rows = doc.to_array([IDX, LENGTH, IS_SPACE, SENT_START]).tolist() if len(doc) else []
        self.idx = [r[0] for r in rows]
        self.end = [r[0] + r[1] for r in rows]
        self.text = [text[a:b] for a, b in zip(self.idx, self.end)]
        self.is_space = [bool(r[2]) for r in rows]
        self.sent_start = [r[3] == 1 for r in rows]
        self.n = len(rows)

    def span_tags(self, spans: Iterable[tuple[int, int]]) -> list[str]:
        """B/I/O of each token for character spans (a token overlapping a span is
        inside), with a binary search for the first token of each span."""
        tags = ["O"] * self.n
        for a, b in sorted(spans):
            first = True
            i = bisect_right(self.end, a)  # first token ending after a
            while i < self.n and self.idx[i] < b:
                if a < self.end[i] and not self.is_space[i]:
                    tags[i] = "B" if first else "I"
                    first = False
                i += 1
        return tags

    def tags_to_spans(self, tags: list[str]) -> list[tuple[int, int]]:
        spans, start, end = [], None, None
        for i, tag in enumerate(tags):
            if tag == "B" or (tag == "I" and start is None):
                if start is not None:
                    spans.append((start, end))
                start, end = self.idx[i], self.end[i]
            elif tag == "I":
                end = self.end[i]
            else:
                if start is not None:
                    spans.append((start, end))
                start = None
        if start is not None:
            spans.append((start, end))
        return [(a, b) for a, b in spans if b > a]


class _ScoreTable:
    """All labels' weights as one matrix: row = feature, columns = label x (B, I, O).

    Scores are summed feature by feature in the order of :func:`token_features`
    (a missing weight adds 0.0), so every score is bit-for-bit the one the
    per-label dictionary loop computes.
    """

    def __init__(self, weights: dict[str, dict[str, list[float]]]) -> None:
        self.labels = list(weights)
        self.col = {lab: 3 * k for k, lab in enumerate(self.labels)}
        names = sorted({k for w in weights.values() for k in w})
        self.index = {k: i + 1 for i, k in enumerate(names)}  # row 0: zeros
        m = np.zeros((len(names) + 1, 3 * len(self.labels)))
        for lab, w in weights.items():
            c = self.col[lab]
            for k, row in w.items():
                if row:
                    m[self.index[k], c:c + 3] = row
        self.m = m
        self.prev = {lab: {p: np.array(weights[lab].get(f"prev={p}") or [0.0, 0.0, 0.0]) for p in TAGS}
                     for lab in self.labels}

    def static_scores(self, toks: _Toks, rule_tags: dict[str, list[str]]):
        index = self.index
        rows = [[index.get(k, 0) for k in f] for f in token_features_from(toks, rule_tags)]
        width = max(len(r) for r in rows)
        ids = np.zeros((len(rows), width), dtype=np.intp)
        for i, r in enumerate(rows):
            ids[i, :len(r)] = r
        acc = np.zeros((len(rows), self.m.shape[1]))
        for j in range(width):
            acc += self.m[ids[:, j]]
        return acc

    def decode(self, label: str, static, is_space: list[bool]) -> list[str]:
        """Greedy left-to-right tags; the previous tag's weights are added last."""
        c = self.col[label]
        s = static[:, c:c + 3]
        # best[i, p]: the tag at token i when the previous tag is TAGS[p] (first maximum wins, as max() does).
        best = np.stack([np.argmax(s + self.prev[label][p], axis=1) for p in TAGS], axis=1).tolist()
        tags, prev = [], 2
        for i, space in enumerate(is_space):
            if space:
                tags.append("O")
                prev = 2
                continue
            prev = best[i][prev]
            tags.append(TAGS[prev])
        return tags


def token_features_from(toks: _Toks, rule_tags: dict[str, list[str]]) -> list[list[str]]:
    """The feature names of :func:`token_features`, in the same order, from read-once tokens."""
    words = [w.lower() for w in toks.text]
    n = toks.n
    out = []
    for i in range(n):
        w = words[i]
        f = [f"w={w}", f"shape={_shape(toks.text[i])}", "bias"]
        for d in (-2, -1, 1, 2):
            j = i + d
            f.append(f"w{d:+d}={words[j] if 0 <= j < n else '<s>'}")
        f.append(f"w-1|w={words[i - 1] if i else '<s>'}|{w}")
        f.append(f"w|w+1={w}|{words[i + 1] if i + 1 < n else '</s>'}")
        if toks.sent_start[i]:
            f.append("sent_start")
        if w in lx.PERSON_UNITS:
            f.append("lex_person")
        if w in lx.PHRASE_STOPS:
            f.append("lex_stop")
        if w in lx.ACTIVITY_VERBS:
            f.append("lex_verb")
        for label, tags in rule_tags.items():
            f.append(f"rule_{label}={tags[i]}")
            if i + 1 < n:
                f.append(f"rule_{label}+1={tags[i + 1]}")
            if i:
                f.append(f"rule_{label}-1={tags[i - 1]}")
        out.append(f)
    return out
