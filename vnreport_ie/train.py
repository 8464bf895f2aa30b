"""Training the relation classifier from ``corpus/`` (deterministic).

Candidates come from our own tagger on each training document, so the model
learns on what it will see; a candidate is positive when both its ends
overlap the ends of a gold relation with the same label. Two model families
are compared on dev (logistic regression and a linear SVM via calibrated
scores would need pickles; we compare L2 and L1 logistic regression and a
decision-tree-free baseline of ``always related``), the best is written as JSON.
"""

from __future__ import annotations

import json
import platform
import re
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from .corpus import load_jsonl
from .normalise import normalise
from .relate import MODEL_FILE, RelationModel, candidates, features, relation_label
from .tag import LEXICON_FILE, Tagger, load_activities
from .tokenize import Tokenizer


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def examples(docs: list[dict[str, Any]], tokenizer: Tokenizer | None = None,
             tagger: Tagger | None = None) -> tuple[list[dict], list[int], list[tuple]]:
    tokenizer = tokenizer or Tokenizer()
    tagger = tagger or Tagger()
    X, y, keys = [], [], []
    for d in docs:
        doc = tagger(tokenizer(normalise(d["text"])))
        ents = doc._.entities
        gold_ents = {e["id"]: e for e in d["entities"]}
        gold = [(r["label"], (gold_ents[r["head"]]["start"], gold_ents[r["head"]]["end"]),
                 (gold_ents[r["tail"]]["start"], gold_ents[r["tail"]]["end"])) for r in d["relations"]]
        for head, tail in candidates(ents):
            label = relation_label(head, tail)
            pos = any(lab == label and _overlap(h, (head.start, head.end)) and _overlap(t, (tail.start, tail.end))
                      for lab, h, t in gold)
            X.append(features(doc.text, head, tail, ents))
            y.append(int(pos))
            keys.append((d["id"], head.start, tail.start))
    return X, y, keys


def _fit(X, y, penalty: str, C: float, seed: int):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer(sparse=True)
    Xm = vec.fit_transform(X).tocsr()
    # liblinear takes only 32-bit sparse indices.
    Xm.indices = Xm.indices.astype(np.int32)
    Xm.indptr = Xm.indptr.astype(np.int32)
    # l1_ratio 0 is the L2 penalty, 1 the L1 (sparse) one.
    clf = LogisticRegression(C=C, l1_ratio=0.0 if penalty == "l2" else 1.0, solver="liblinear",
                             max_iter=5000, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        clf.fit(Xm, y)
    names = vec.get_feature_names_out()
    weights = {str(n): float(w) for n, w in zip(names, clf.coef_[0]) if abs(w) > 1e-9}
    return RelationModel(weights, float(clf.intercept_[0]))


def _prf(model: RelationModel, X, y) -> dict[str, float]:
    pred = [model.score(x) >= model.threshold for x in X]
    tp = sum(1 for p, t in zip(pred, y) if p and t)
    fp = sum(1 for p, t in zip(pred, y) if p and not t)
    fn = sum(1 for p, t in zip(pred, y) if not p and t)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def train(corpus_dir: Path, out_dir: Path, seed: int = 0, fraction: float = 1.0,
          log=print) -> dict[str, Any]:
    t0 = time.time()
    docs = load_jsonl(Path(corpus_dir) / "corpus.jsonl")
    train_docs = [d for d in docs if d["split"] == "train"]
    dev_docs = [d for d in docs if d["split"] == "dev"]
    if fraction < 1.0:
        rng = np.random.default_rng(seed)
        idx = sorted(rng.choice(len(train_docs), max(1, int(round(fraction * len(train_docs)))), replace=False))
        train_docs = [train_docs[i] for i in idx]
    tokenizer = Tokenizer()
    tagger = Tagger(learn_activities(train_docs))
    Xtr, ytr, _ = examples(train_docs, tokenizer, tagger)
    Xdev, ydev, _ = examples(dev_docs, tokenizer, tagger)
    log(f"candidates: train {len(Xtr)} ({sum(ytr)} positive), dev {len(Xdev)} ({sum(ydev)} positive)")
    comparison = []
    best = None
    for penalty in ("l2", "l1"):
        for C in (0.3, 1.0, 3.0):
            model = _fit(Xtr, ytr, penalty, C, seed)
            dev = _prf(model, Xdev, ydev)
            comparison.append({"family": f"logreg-{penalty}", "C": C, "dev": dev})
            log(f"  logreg {penalty} C={C}: dev F1 {dev['f1']:.4f}")
            if best is None or dev["f1"] > best[0]:
                best = (dev["f1"], model, penalty, C)
    always = {"precision": round(sum(ydev) / max(1, len(ydev)), 4), "recall": 1.0}
    always["f1"] = round(2 * always["precision"] / (always["precision"] + 1), 4)
    comparison.append({"family": "always-related (baseline)", "dev": always})
    assert best is not None
    _, model, penalty, C = best
    import sklearn
    import spacy
    import underthesea

    meta = {"trained_on": {"documents": len(train_docs), "candidates": len(Xtr), "positives": sum(ytr)},
            "dev": _prf(model, Xdev, ydev), "chosen": {"family": f"logreg-{penalty}", "C": C},
            "comparison": comparison, "seed": seed,
            "versions": {"scikit-learn": sklearn.__version__, "spacy": spacy.__version__,
                         "underthesea": underthesea.__version__, "python": platform.python_version()},
            "seconds": round(time.time() - t0, 1)}
    model = RelationModel(model.weights, model.bias, 0.5, meta)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save(out_dir / MODEL_FILE)
    activities = learn_activities(train_docs)
    (out_dir / LEXICON_FILE).write_text(json.dumps(
        {"format": "vnreport_ie.lexicon/1", "activities": activities}, ensure_ascii=False, indent=0),
        encoding="utf-8")
    log(f"learned {len(activities)} tally verbs from the training split")
    (out_dir / "MODEL_CARD.md").write_text(_card(meta), encoding="utf-8")
    log(f"wrote {out_dir / MODEL_FILE} in {meta['seconds']} s")
    return meta


def learn_activities(docs: list[dict[str, Any]]) -> list[str]:
    """Tally verbs as annotated in training documents (`phổ biến, quán triệt` -> both)."""
    seen: set[str] = set()
    for d in docs:
        for f in d["facts"]:
            if f["type"] == "tally" and f.get("activity"):
                for piece in re.split(r",|\svà\s", f["activity"].lower()):
                    piece = " ".join(piece.split())
                    if piece and len(piece.split()) <= 4 and not re.search(r"\d", piece):
                        seen.add(piece)
    return sorted(seen)


def _card(meta: dict[str, Any]) -> str:
    rows = "\n".join(f"| {c['family']} | {c.get('C', '')} | {c['dev']['precision']:.3f} | {c['dev']['recall']:.3f} | "
                     f"{c['dev']['f1']:.3f} |" for c in meta["comparison"])
    return f"""# Relation classifier (model card)

- **What**: decides whether a candidate (course/meeting/document, count/group/organisation/date/term/title)
  pair is related; the relation label follows from the entity types and the count's unit class.
- **Model**: {meta['chosen']['family']}, C={meta['chosen']['C']}, over named, readable features
  (`vnreport_ie/relate.py`). Stored as JSON weights: no pickle, nothing executed on load.
- **Data**: `corpus/corpus.jsonl`, split `train` ({meta['trained_on']['documents']} documents,
  {meta['trained_on']['candidates']} candidate pairs, {meta['trained_on']['positives']} positive).
  The seed report and the `test` split are never trained or tuned on.
- **Dev (candidate pairs)**: P {meta['dev']['precision']:.3f}, R {meta['dev']['recall']:.3f}, F1 {meta['dev']['f1']:.3f}.
- **Reproduce**: `make models` (deterministic, seed {meta['seed']}; took {meta['seconds']} s).
- **Versions**: {json.dumps(meta['versions'])}

## Families compared on dev

| family | C | P | R | F1 |
|---|---|---|---|---|
{rows}
"""
