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
from .types import Candidate, work_text

PHRASE_LABELS = ("COURSE", "EVENT", "GROUP", "ORG", "TOPIC", "ACTIVITY", "UNIT")
TAGS = ("B", "I", "O")
MODES = ("rules", "adjust", "full")
PHRASE_FILE = "phrases.json"
_OFFSETS = (-2, -1, 1, 2)  # the context words of a token
# The lexicon features of a word, in the order token_features_from adds them.
_LEXICONS = (("lex_person", lx.PERSON_UNITS), ("lex_stop", lx.PHRASE_STOPS), ("lex_verb", lx.ACTIVITY_VERBS))
_CACHE_SIZE = 200_000  # entries of each word-id cache of _ScoreTable
_BATCH_TOKENS = 20_000  # tokens scored at once by PhraseModel.predict (bounds its matrices)


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
        # In "adjust" mode a learned span only moves a rule span of its label,
        # and tags are decided sentence by sentence: only the sentences that
        # hold a rule span of a label need a prediction for it.
        labels = [lab for lab in self.weights if self.mode != "adjust" or rule_spans.get(lab)]
        if not labels or not toks.n:
            return {lab: [] for lab in labels}
        wanted = {lab: (toks.sentences_of(rule_spans[lab]) if self.mode == "adjust" else toks.analysed_sentences())
                  for lab in labels}
        rule_codes = np.array([toks.span_codes(rule_spans.get(lab, ())) for lab in PHRASE_LABELS], dtype=np.intp)
        if self._scores is None:
            self._scores = _ScoreTable(self.weights)
        table = self._scores
        out: dict[str, list[tuple[int, int]]] = {label: [] for label in labels}
        # Whole sentences at a time, a bounded number of tokens per batch: a
        # token's scores read only its own sentence, so batches give the same
        # tags, and the feature matrices of a giant text stay small.
        batch: list[int] = []
        rows: list[int] = []
        for s in sorted(set().union(*wanted.values())):
            batch.append(s)
            rows.extend(range(*toks.bounds[s]))
            if len(rows) >= _BATCH_TOKENS:
                self._predict_batch(table, toks, rule_codes, batch, rows, wanted, out)
                batch, rows = [], []
        if batch:
            self._predict_batch(table, toks, rule_codes, batch, rows, wanted, out)
        return out

    @staticmethod
    def _predict_batch(table: "_ScoreTable", toks: "_Toks", rule_codes: np.ndarray, batch: list[int],
                       rows: list[int], wanted: dict[str, Any], out: dict[str, list[tuple[int, int]]]) -> None:
        """Spans of the sentences ``batch`` (whose tokens are ``rows``), added to ``out``."""
        static = table.static_scores(table.feature_ids(toks, rule_codes, rows))
        for label, spans in out.items():
            if not any(s in wanted[label] for s in batch):
                continue
            best = table.best_tags(label, static)
            k = 0
            for s in batch:
                i0, i1 = toks.bounds[s]
                if s in wanted[label]:
                    tags = _greedy(best, k, toks.is_space[i0:i1])
                    spans.extend(toks.tags_to_spans(tags, i0))
                k += i1 - i0

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
    """Per label: (features with the gold previous tag, gold tags), skipping
    spaces; the previous tag starts again at ``O`` in every sentence."""
    toks = _Toks(doc)
    rule_tags = {lab: toks.span_tags(rule_spans.get(lab, ())) for lab in PHRASE_LABELS}
    feats = token_features_from(toks, rule_tags, range(toks.n))
    rows = {}
    for label in PHRASE_LABELS:
        gold = toks.span_tags(gold_spans.get(label, ()))
        X, y = [], []
        prev = "O"
        for i, f in enumerate(feats):
            if toks.sent_start[i] or toks.is_space[i]:
                prev = "O"
            if toks.is_space[i]:
                continue
            X.append({**dict.fromkeys(f, 1.0), f"prev={prev}": 1.0})
            y.append(gold[i])
            prev = gold[i]
        rows[label] = (X, y)
    return rows


def merge(rule: list[Candidate], learned: dict[str, list[tuple[int, int]]], mode: str,
          text: str) -> list[Candidate]:
    """Rule entities corrected by the learned spans (see the module docstring)."""
    if mode == "rules":
        return rule
    out = []
    used: set[tuple[str, int, int]] = set()
    overlapping = {label: _Overlaps(spans) for label, spans in learned.items()}
    for e in rule:
        label, a, b, value, attrs = e
        if label not in learned:
            out.append(e)
            continue
        hits = overlapping[label](a, b)
        if not hits:
            if mode == "full":
                continue  # the model rejects this rule span
            out.append(e)
            continue
        x, y = max(hits, key=lambda s: min(s[1], b) - max(s[0], a))
        used.add((label, x, y))
        x, y = _trim(text, x, y)
        out.append(Candidate(label, x, y, value, attrs) if y > x else e)
    if mode == "full":
        for label, spans in learned.items():
            for x, y in spans:
                if (label, x, y) not in used and not any(o[0] == label and o[1] < y and x < o[2] for o in out):
                    x, y = _trim(text, x, y)
                    if y > x:
                        out.append(Candidate(label, x, y, None, {"learned": True}))
    return out


class _Overlaps:
    """``spans(a, b)``: the spans overlapping [a, b), in list order. Spans in
    order of start whose ends also rise (a tagger's non-nested spans) are
    found by binary search; any others by a walk of the list."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self.sorted = all(spans[i][0] <= spans[i + 1][0] and spans[i][1] <= spans[i + 1][1]
                          for i in range(len(spans) - 1))
        self.ends = [y for _, y in spans] if self.sorted else []

    def __call__(self, a: int, b: int) -> list[tuple[int, int]]:
        if not self.sorted:
            return [(x, y) for x, y in self.spans if x < b and a < y]
        out = []
        for k in range(bisect_right(self.ends, a), len(self.spans)):
            x, y = self.spans[k]
            if x >= b:
                break
            out.append((x, y))
        return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and not text[a].isalnum():
        a += 1
    while b > a and re.match(r"[\s,;:.(“\"]", text[b - 1]):
        b -= 1
    return a, b


class _Toks:
    """The doc's tokens read once (iterating a spaCy Doc makes a Token object
    per step), with the token range of every sentence.

    A sentence the tokenizer did not analyse (``doc._.vnr_skipped``, see
    :mod:`vnreport_ie.scan`) is one token, read as a space: no phrase can
    start, end or be predicted there.
    """

    def __init__(self, doc: Doc) -> None:
        text = work_text(doc)
        rows = doc.to_array([IDX, LENGTH, IS_SPACE, SENT_START]).tolist() if len(doc) else []
        skipped = {a for a, _b in (doc._.vnr_skipped or ())}
        self.idx = [r[0] for r in rows]
        self.end = [r[0] + r[1] for r in rows]
        self.text = [text[a:b] for a, b in zip(self.idx, self.end)]
        self.is_space = [bool(r[2]) or r[0] in skipped for r in rows]
        self.sent_start = [r[3] == 1 or i == 0 for i, r in enumerate(rows)]
        self.n = len(rows)
        self.sent: list[int] = []  # the sentence of each token
        self.bounds: list[tuple[int, int]] = []  # token range of each sentence
        for i, start in enumerate(self.sent_start):
            if start:
                if self.bounds:
                    self.bounds[-1] = (self.bounds[-1][0], i)
                self.bounds.append((i, i))
            self.sent.append(len(self.bounds) - 1)
        if self.bounds:
            self.bounds[-1] = (self.bounds[-1][0], self.n)

    def sentences_of(self, spans: Iterable[tuple[int, int]]) -> set[int]:
        out = set()
        for a, _b in spans:
            i = bisect_right(self.end, a)  # first token ending after a
            if i < self.n:
                out.add(self.sent[i])
        return out

    def analysed_sentences(self) -> set[int]:
        return {s for s, (i0, i1) in enumerate(self.bounds) if not all(self.is_space[i0:i1])}

    def span_tags(self, spans: Iterable[tuple[int, int]]) -> list[str]:
        """B/I/O of each token for character spans (a token overlapping a span is
        inside)."""
        return [TAGS[c] for c in self.span_codes(spans)]

    def span_codes(self, spans: Iterable[tuple[int, int]]) -> list[int]:
        """:meth:`span_tags` as indices into ``TAGS``, with a binary search for
        the first token of each span."""
        codes = [TAGS.index("O")] * self.n
        for a, b in sorted(spans):
            first = True
            i = bisect_right(self.end, a)
            while i < self.n and self.idx[i] < b:
                if a < self.end[i] and not self.is_space[i]:
                    codes[i] = TAGS.index("B" if first else "I")
                    first = False
                i += 1
        return codes

    def tags_to_spans(self, tags: list[str], first: int = 0) -> list[tuple[int, int]]:
        """Character spans of B/I runs; ``tags`` are those of tokens ``first``... ."""
        spans, start, end = [], None, None
        for k, tag in enumerate(tags):
            i = first + k
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
    """All labels' weights as one matrix: row = feature, columns = label x (B, I, O)."""

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
        # The ids of the features that do not name a word, looked up once.
        get = self.index.get
        self.bias = get("bias", 0)
        self.sent_start = get("sent_start", 0)
        self.edge = [get(f"w{d:+d}=<s>", 0) for d in _OFFSETS]
        # rule_ids[label, position (here, next, previous), tag]
        self.rule_ids = np.array([[[get(f"rule_{lab}{pos}={tag}", 0) for tag in TAGS] for pos in ("", "+1", "-1")]
                                  for lab in PHRASE_LABELS], dtype=np.intp)
        # Words repeat across documents: their feature ids are cached, and the
        # caches emptied when full so that memory stays flat over a long run.
        self._words: dict[str, tuple[str, tuple[int, ...]]] = {}
        self._pairs: dict[tuple[str, str], tuple[int, int]] = {}

    def _word(self, text: str) -> tuple[str, tuple[int, ...]]:
        """The lower-cased word of a token's text, and the ids of its features
        that name only this word: as the token itself (word, shape), as
        another token's context (w-2 ... w+2), as a bigram with a sentence
        edge, and its lexicon features (in the order :meth:`feature_ids`
        unpacks them)."""
        hit = self._words.get(text)
        if hit is None:
            if len(self._words) >= _CACHE_SIZE:
                self._words.clear()
            w = text.lower()
            get = self.index.get
            names = [f"w={w}", f"shape={_shape(text)}", *(f"w{d:+d}={w}" for d in _OFFSETS),
                     f"w-1|w=<s>|{w}", f"w|w+1={w}|</s>"]
            ids = [get(k, 0) for k in names]
            ids += [get(k, 0) if w in words else 0 for k, words in _LEXICONS]
            hit = self._words[text] = (w, tuple(ids))
        return hit

    def _pair(self, a: str, b: str) -> tuple[int, int]:
        """Ids of the bigram ``a b`` seen from its right word and from its left word."""
        hit = self._pairs.get((a, b))
        if hit is None:
            if len(self._pairs) >= _CACHE_SIZE:
                self._pairs.clear()
            hit = self._pairs[a, b] = (self.index.get(f"w-1|w={a}|{b}", 0), self.index.get(f"w|w+1={a}|{b}", 0))
        return hit

    def feature_ids(self, toks: _Toks, rule_codes: np.ndarray, rows: list[int]) -> np.ndarray:
        """The row ids of the features :func:`token_features_from` names, as a
        (feature, token) matrix: column k holds those of token ``rows[k]`` in
        the same order, with 0 (a row of zeros) for a feature that is absent or
        unknown, so that :meth:`static_scores` adds the same numbers in the
        same order. ``rows`` are whole sentences in order; ``rule_codes`` are
        :meth:`_Toks.span_codes` of the rule spans of every ``PHRASE_LABELS``."""
        m = len(rows)
        if not m:
            return np.zeros((0, 0), dtype=np.intp)
        r = np.array(rows, dtype=np.intp)
        sent = np.array(toks.sent, dtype=np.intp)[r]
        # Context stops at the sentence's edges; as rows are whole sentences,
        # rows[k + d] is token rows[k] + d exactly when it is in the same one.
        nxt = np.zeros(m, dtype=bool)
        nxt[:-1] = sent[1:] == sent[:-1]
        prv = np.zeros(m, dtype=bool)
        prv[1:] = nxt[:-1]

        entries = [self._word(toks.text[i]) for i in rows]
        words = [w for w, _ids in entries]
        ids = np.array([e for _w, e in entries], dtype=np.intp).T
        w_id, shape_id, far_prev, near_prev, near_next, far_next, first_pair, last_pair, *lex = ids
        left, right = first_pair.copy(), last_pair.copy()
        for k in np.flatnonzero(nxt).tolist():
            left[k + 1], right[k] = self._pair(words[k], words[k + 1])

        def context(ids_there: np.ndarray, d: int, edge: int) -> np.ndarray:
            """The feature of the word d tokens away, or the edge's."""
            out = np.full(m, edge, dtype=np.intp)
            k = np.arange(max(0, -d), min(m, m - d))
            k = k[sent[k + d] == sent[k]]
            out[k] = ids_there[k + d]
            return out

        # Where there is no next (previous) token the clipped index reads a
        # stand-in that np.where drops.
        lab = np.arange(len(PHRASE_LABELS))[:, None]
        here = self.rule_ids[lab, 0, rule_codes[:, r]]
        after = np.where(nxt, self.rule_ids[lab, 1, rule_codes[:, np.minimum(r + 1, toks.n - 1)]], 0)
        before = np.where(prv, self.rule_ids[lab, 2, rule_codes[:, np.maximum(r - 1, 0)]], 0)
        rule = np.stack([here, after, before], axis=1).reshape(-1, m)  # label by label: here, +1, -1

        return np.vstack([
            w_id, shape_id, np.full(m, self.bias),
            context(far_prev, -2, self.edge[0]), context(near_prev, -1, self.edge[1]),
            context(near_next, 1, self.edge[2]), context(far_next, 2, self.edge[3]),
            left, right, np.where(prv, 0, self.sent_start), *lex, rule,
        ])

    def static_scores(self, ids: np.ndarray):
        """Scores of every label and tag before the previous tag is known: the
        weight rows of each token's features added one feature at a time."""
        acc = np.zeros((ids.shape[1], self.m.shape[1]))
        for feature in ids:
            acc += self.m[feature]
        return acc

    def best_tags(self, label: str, static: np.ndarray) -> list[int]:
        """``best[3 * i + p]``: the tag (index into ``TAGS``) of token i when
        the previous tag is ``TAGS[p]``, for all tokens at once (one numpy call
        per label, not per sentence); the previous tag's weights are added
        last, and the first maximum wins. (One flat list: a list per token
        costs more to build than the decoding that reads it.)"""
        c = self.col[label]
        s = static[:, c:c + 3]
        return np.stack([np.argmax(s + self.prev[label][p], axis=1) for p in TAGS], axis=1).ravel().tolist()


def _greedy(best: list[int], k: int, is_space: list[bool]) -> list[str]:
    """Greedy left-to-right tags over one sentence, from
    :meth:`_ScoreTable.best_tags` of its tokens (the first is row ``k``)."""
    tags, prev = [], 2
    for i, space in enumerate(is_space, k):
        if space:
            tags.append("O")
            prev = 2
            continue
        prev = best[3 * i + prev]
        tags.append(TAGS[prev])
    return tags


def token_features_from(toks: _Toks, rule_tags: dict[str, list[str]], rows: Iterable[int]) -> list[list[str]]:
    """Feature names of the tokens ``rows``. Context stops at the sentence's
    edges, so a sentence's tags never depend on another sentence.

    Training reads these names; prediction reads the same features as ids
    (:meth:`_ScoreTable.feature_ids`), so a change here must be made there
    too."""
    words = [w.lower() for w in toks.text]
    sent = toks.sent
    n = toks.n
    out = []
    for i in rows:
        s = sent[i]
        w = words[i]

        def at(j: int, edge: str) -> str:
            return words[j] if 0 <= j < n and sent[j] == s else edge

        f = [f"w={w}", f"shape={_shape(toks.text[i])}", "bias"]
        for d in (-2, -1, 1, 2):
            f.append(f"w{d:+d}={at(i + d, '<s>')}")
        f.append(f"w-1|w={at(i - 1, '<s>')}|{w}")
        f.append(f"w|w+1={w}|{at(i + 1, '</s>')}")
        if toks.sent_start[i]:
            f.append("sent_start")
        if w in lx.PERSON_UNITS:
            f.append("lex_person")
        if w in lx.PHRASE_STOPS:
            f.append("lex_stop")
        if w in lx.ACTIVITY_VERBS:
            f.append("lex_verb")
        nxt = i + 1 < n and sent[i + 1] == s
        prv = i > 0 and sent[i - 1] == s
        for label, tags in rule_tags.items():
            f.append(f"rule_{label}={tags[i]}")
            if nxt:
                f.append(f"rule_{label}+1={tags[i + 1]}")
            if prv:
                f.append(f"rule_{label}-1={tags[i - 1]}")
        out.append(f)
    return out
