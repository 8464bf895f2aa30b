"""How much a document is about the work party and government reports describe
(``meta.relevance``, spec v2 "Scope").

A logistic regression over the document's lower-cased syllables and syllable
pairs, stored as JSON (vocabulary and weights; nothing executed on load). It
is trained on the annotated documents (real articles with facts in scope and
team-written reports: 1; real articles with none: 0) and on what the news
archive's categories tell: sport, entertainment, world and travel articles
are taken as 0 (weak labels, never from the real-dev or real-test articles
nor from the held-out ones).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import repeat
from operator import mul
from pathlib import Path
from typing import Any, Iterable

from . import jsonmodel

RELEVANCE_FILE = "relevance.json"
FORMAT = "vnreport_ie.relevance/1"
# Archive categories whose articles are not about this work (weak negatives).
OFF_TOPIC = ("sport", "entertainment", "world", "travel")
_SYLLABLE = re.compile(r"[^\W\d_]+", re.UNICODE)
SCORED_CHARS = 6000  # the head of the text that is read


def _counts(text: str, limit: int) -> Counter[str]:
    """How often each syllable and syllable pair occurs in the head of the text.

    Counted in one C-level pass over syllables interleaved with the pairs
    (s0, s0 s1, s1, s1 s2, ...): keys keep that first-seen order, which the
    float sums of ``RelevanceModel.score`` depend on.
    """
    syl = _SYLLABLE.findall(text[:limit].lower())
    seq = [""] * max(0, 2 * len(syl) - 1)
    seq[0::2] = syl
    seq[1::2] = [a + " " + b for a, b in zip(syl, syl[1:])]
    return Counter(seq)


def _scaled(counts: Iterable[int]) -> list[float]:
    """``1 + log(count)`` of each count."""
    return [_LOG1[v] if v < len(_LOG1) else 1.0 + math.log(v) for v in counts]


# 1 + log(n), exactly as math.log gives it, for the counts that occur most.
_LOG1 = [0.0] + [1.0 + math.log(v) for v in range(1, 256)]


def features(text: str, limit: int = SCORED_CHARS) -> dict[str, float]:
    """Syllables and syllable pairs of the head of the text, log-scaled counts."""
    counts = _counts(text, limit)
    return dict(zip(counts, _scaled(counts.values())))


class RelevanceModel:
    """``score(text) -> 0..1``."""

    def __init__(self, weights: dict[str, float], bias: float, meta: dict[str, Any] | None = None) -> None:
        self.weights = weights
        self.bias = bias
        self.meta = meta or {}

    def score(self, text: str) -> float:
        # ``features(text)`` without building its dict; the same sums in the same order.
        counts = _counts(text, SCORED_CHARS)
        vals = _scaled(counts.values())
        norm = math.sqrt(sum(map(mul, vals, vals))) or 1.0
        z = self.bias + sum(map(mul, map(self.weights.get, counts, repeat(0.0)), vals)) / norm
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "bias": self.bias, "weights": self.weights, "meta": self.meta}

    @classmethod
    def from_json(cls, data: Any) -> "RelevanceModel":
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a vnreport_ie relevance model (format tag missing)")
        return cls({str(k): float(v) for k, v in data["weights"].items()}, float(data["bias"]), data.get("meta"))

    @classmethod
    def load(cls, path: Path) -> "RelevanceModel | None":
        return jsonmodel.read(path, cls.from_json, "relevance model")

    def save(self, path: Path) -> None:
        jsonmodel.write(path, self.to_json())


def fit(texts: Iterable[str], labels: Iterable[int], seed: int = 0, C: float = 4.0,
        keep: int = 20000) -> RelevanceModel:
    """Fit on ``texts`` with 0/1 ``labels``; keeps the ``keep`` largest weights."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = []
    for t in texts:
        f = features(t)
        norm = math.sqrt(sum(v * v for v in f.values())) or 1.0
        rows.append({k: v / norm for k, v in f.items()})
    y = np.array(list(labels))
    vec = DictVectorizer()
    X = vec.fit_transform(rows)
    clf = LogisticRegression(C=C, max_iter=2000, class_weight="balanced", random_state=seed)
    clf.fit(X, y)
    coef = clf.coef_[0]
    names = vec.get_feature_names_out()
    order = np.argsort(-np.abs(coef))[:keep]
    weights = {str(names[i]): round(float(coef[i]), 5) for i in sorted(order) if coef[i] != 0}
    return RelevanceModel(weights, round(float(clf.intercept_[0]), 5),
                          {"documents": int(len(y)), "positives": int(y.sum()), "C": C, "seed": seed})
