"""How sure the extractor is of each fact (``facts[].confidence``, spec v2).

A logistic regression over what a fact looks like (its type, which slots it
filled, its tally verb and unit, the syllables of its evidence) and how much
its document is about party and government work (``meta.relevance``).
Trained on the facts the pipeline predicts for the training documents,
labelled by whether they match a gold fact; then calibrated on real-dev
(Platt scaling), so that of the facts given 0.8 about 80 % are right.
Stored as JSON; nothing executed on load.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, Iterable, Mapping

from . import jsonmodel

CONFIDENCE_FILE = "confidence.json"
FORMAT = "vnreport_ie.confidence/1"
# The default: facts below this are left out (``keep_all`` keeps them).
THRESHOLD = 0.5
_SYLLABLE = re.compile(r"[^\W\d_]+")


def _bucket(x: float) -> str:
    return str(min(9, int(x * 10)))


def features(fact: Mapping[str, Any], text: str, relevance: float) -> dict[str, float]:
    """Features of one fact in its JSON form (``Fact.to_dict()``)."""
    t = fact["type"]
    f: dict[str, float] = {f"type={t}": 1.0, f"rel={_bucket(relevance)}": 1.0,
                           f"{t}:rel": relevance, "rel": relevance}
    filled = [k for k, v in fact.items() if k not in ("type", "evidence", "spans", "approx", "confidence")
              and v is not None]
    f[f"{t}:nslots={min(len(filled), 6)}"] = 1.0
    for k in filled:
        f[f"{t}:has={k}"] = 1.0
    for k in ("activity", "unit", "kind", "course", "doc_type"):
        v = fact.get(k)
        if isinstance(v, str) and v:
            words = v.lower().split()
            f[f"{t}:{k}0={words[0]}"] = 1.0
            f[f"{t}:{k}={' '.join(words[:2])}"] = 1.0
    ev = fact.get("evidence") or {}
    sylls = _SYLLABLE.findall(text[ev.get("start", 0):ev.get("end", 0)].lower())[:60]
    for s in set(sylls):
        f[f"ev={s}"] = 1.0 / math.sqrt(max(len(sylls), 1))
    return f


class ConfidenceModel:
    """``score(fact, text, relevance) -> 0..1``."""

    def __init__(self, weights: dict[str, float], bias: float, platt: tuple[float, float] = (1.0, 0.0),
                 meta: dict[str, Any] | None = None) -> None:
        self.weights = weights
        self.bias = bias
        self.platt = platt
        self.meta = meta or {}

    def raw(self, fact: Mapping[str, Any], text: str, relevance: float) -> float:
        w = self.weights
        return self.bias + sum(w.get(k, 0.0) * v for k, v in features(fact, text, relevance).items())

    def score(self, fact: Mapping[str, Any], text: str, relevance: float) -> float:
        a, b = self.platt
        z = a * self.raw(fact, text, relevance) + b
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "bias": self.bias, "platt": list(self.platt), "weights": self.weights,
                "meta": self.meta}

    @classmethod
    def from_json(cls, data: Any) -> "ConfidenceModel":
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a vnreport_ie confidence model (format tag missing)")
        a, b = data.get("platt", (1.0, 0.0))
        return cls({str(k): float(v) for k, v in data["weights"].items()}, float(data["bias"]),
                   (float(a), float(b)), data.get("meta"))

    @classmethod
    def load(cls, path: Path) -> "ConfidenceModel | None":
        return jsonmodel.read(path, cls.from_json, "confidence model")

    def save(self, path: Path) -> None:
        jsonmodel.write(path, self.to_json())


def fit(rows: Iterable[tuple[dict[str, float], int]], seed: int = 0, C: float = 1.0) -> ConfidenceModel:
    """Fit on ``(features, right)`` rows."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    X_rows, y = [], []
    for feats, label in rows:
        X_rows.append(feats)
        y.append(label)
    vec = DictVectorizer()
    X = vec.fit_transform(X_rows)
    clf = LogisticRegression(C=C, max_iter=3000, random_state=seed)
    clf.fit(X, np.array(y))
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(c), 5) for n, c in zip(names, clf.coef_[0]) if abs(c) > 1e-6}
    return ConfidenceModel(weights, round(float(clf.intercept_[0]), 5),
                           meta={"facts": len(y), "right": int(sum(y)), "C": C, "seed": seed})


def calibrate(model: ConfidenceModel, rows: list[tuple[float, int]]) -> ConfidenceModel:
    """Platt scaling of the raw scores ``rows`` = ``[(raw, right)]`` (held-out facts)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    if len({r for _z, r in rows}) < 2:
        return model
    z = np.array([[s] for s, _r in rows])
    y = np.array([r for _s, r in rows])
    lr = LogisticRegression(C=100.0, max_iter=1000).fit(z, y)
    return ConfidenceModel(model.weights, model.bias, (round(float(lr.coef_[0][0]), 5),
                                                       round(float(lr.intercept_[0]), 5)),
                           {**model.meta, "calibrated_on": len(rows)})


def reliability(scores: list[float], right: list[int], bins: int = 5) -> list[dict[str, float]]:
    """Observed accuracy per band of confidence: the calibration table."""
    out = []
    for i in range(bins):
        lo, hi = i / bins, (i + 1) / bins
        idx = [k for k, s in enumerate(scores) if lo <= s < hi or (i == bins - 1 and s == 1.0)]
        if idx:
            out.append({"from": lo, "to": hi, "facts": len(idx),
                        "mean_confidence": round(sum(scores[k] for k in idx) / len(idx), 3),
                        "right": round(sum(right[k] for k in idx) / len(idx), 3)})
    return out
