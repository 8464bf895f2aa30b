"""Training the scope models of spec v2: document relevance and fact confidence.

Called by :func:`vnreport_ie.train.train` once the tagger and relation
models are fitted. Relevance learns from the annotated training documents
and, as weak negatives, from archive articles of categories that are not
about this work (never from real-dev, real-test or held-out articles).
Confidence learns which predicted facts of the training documents match a
gold fact, and is calibrated on real-dev.
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path
from typing import Any, Callable

from . import confidence as conf
from . import relevance as rel
from .corpus import ARCHIVE, HELDOUT, CorpusError, shared_dir
from .evaluate import align

WEAK_NEGATIVES = 400


def weak_negatives(exclude: set[str], seed: int) -> list[str]:
    """Texts of off-topic archive categories, a seeded sample; none of ``exclude``
    (every annotated article) and none held out."""
    try:
        shared = shared_dir()
    except CorpusError:
        return []
    held = {s.strip() for s in (shared / HELDOUT).read_text(encoding="utf-8").splitlines()
            if s.strip() and not s.startswith("#")}
    texts = []
    with gzip.open(shared / ARCHIVE, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["category"] in rel.OFF_TOPIC and row["id"] not in held and row["id"] not in exclude:
                texts.append(row["text"])
    random.Random(seed).shuffle(texts)
    return texts[:WEAK_NEGATIVES]


def _relevant(d: dict[str, Any]) -> int:
    # Team-written documents are all about this work; a real article is when it holds a fact.
    return 1 if d.get("source") != "real" or d["facts"] else 0


def _labelled_facts(pipe: Any, docs: list[dict[str, Any]], relevance: rel.RelevanceModel):
    """``(features, raw-score input, right)`` of every fact the pipeline predicts."""
    rows = []
    for d in docs:
        pred = pipe(d["text"], d["id"], d["meta"].get("published")).to_dict()
        r = relevance.score(d["text"])
        for t in {f["type"] for f in pred["facts"]}:
            gf = [f for f in d["facts"] if f["type"] == t]
            pf = [f for f in pred["facts"] if f["type"] == t]
            right = {j for _i, j in align(gf, pf)}
            rows.extend((conf.features(f, d["text"], r), (f, d["text"], r), int(j in right)) for j, f in enumerate(pf))
    return rows


def fit_scope(train_docs: list[dict[str, Any]], dev_docs: list[dict[str, Any]], all_ids: set[str],
              make_pipe: Callable[[], Any], out_dir: Path, seed: int, log: Callable[..., None]) -> dict[str, Any]:
    """Fit and save ``relevance.json`` and ``confidence.json``; their figures for the model card."""
    weak = weak_negatives(all_ids, seed)
    relevance = rel.fit([d["text"] for d in train_docs] + weak, [_relevant(d) for d in train_docs] + [0] * len(weak),
                        seed=seed)
    relevance.save(out_dir / rel.RELEVANCE_FILE)
    real_dev = [d for d in dev_docs if d.get("source") == "real"]
    dev_right = [_relevant(d) for d in real_dev]
    dev_ok = sum((relevance.score(d["text"]) >= 0.5) == bool(y) for d, y in zip(real_dev, dev_right))
    log(f"relevance: {len(train_docs)} documents + {len(weak)} weak negatives; "
        f"real-dev accuracy at 0.5: {dev_ok}/{len(real_dev)}")
    pipe = make_pipe()
    train_rows = _labelled_facts(pipe, train_docs, relevance)
    model = conf.fit([(f, y) for f, _x, y in train_rows], seed=seed)
    dev_rows = _labelled_facts(pipe, real_dev or dev_docs, relevance)
    model = conf.calibrate(model, [(model.raw(*x), y) for _f, x, y in dev_rows])
    scores = [model.score(*x) for _f, x, y in dev_rows]
    table = conf.reliability(scores, [y for _f, _x, y in dev_rows])
    model.meta["reliability_real_dev"] = table
    model.save(out_dir / conf.CONFIDENCE_FILE)
    log(f"confidence: {len(train_rows)} training facts, calibrated on {len(dev_rows)} real-dev facts")
    for row in table:
        log(f"  confidence {row['from']:.1f}-{row['to']:.1f}: {row['facts']} facts, "
            f"mean {row['mean_confidence']:.2f}, right {row['right']:.2f}")
    return {"relevance_real_dev_accuracy": round(dev_ok / max(len(real_dev), 1), 3),
            "confidence_reliability_real_dev": table, "weak_negatives": len(weak)}
