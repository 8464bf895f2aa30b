"""Accuracy report: entities, relations and fact slots on dev and test, a
learning curve on test, and a rules-only ablation.

    .venv/bin/python benchmarks/accuracy.py            # prints tables, writes benchmarks/accuracy.json

The packaged models are used for dev/test. The learning curve retrains on
25 %, 50 % and 100 % of the training split (same seed, the packaged tagger
combination) into temporary directories. The rules-only ablation uses the rule
tagger alone and a relation "model" that links each tail to the nearest head.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vnreport_ie.corpus import load_jsonl  # noqa: E402
from vnreport_ie.evaluate import score  # noqa: E402
from vnreport_ie.pipeline import Pipeline  # noqa: E402
from vnreport_ie.relate import RelationModel  # noqa: E402
from vnreport_ie.tag import Tagger  # noqa: E402
from vnreport_ie.train import learn_activities, train  # noqa: E402


def gold_for(split: str) -> list[dict]:
    docs = [d for d in load_jsonl(ROOT / "corpus" / "corpus.jsonl") if d["split"] == split]
    if split == "test":
        docs += load_jsonl(ROOT / "seeds" / "gold.jsonl")
    return docs


def run(pipe: Pipeline, gold: list[dict]) -> dict:
    return score(gold, [pipe(d["text"], d["id"]).to_dict() for d in gold])


def nearest_head_model() -> RelationModel:
    # Same features as the trained model, hand-set weights: link a tail to the
    # nearest head, prefer same sentence and the head before the count.
    return RelationModel({"nearest_head=True": 3.0, "sent_dist=0": 1.0, "heads_between=0": 1.0,
                          "tails_between=0": 0.5}, -3.0, 0.5, {"name": "nearest-head rule"})


def main() -> int:
    t0 = time.time()
    out: dict = {"splits": {}, "learning_curve": [], "ablation": {}}
    pipe = Pipeline()
    chosen = pipe.components[1].model.meta.get("tagger", "adjust")
    for split in ("dev", "test"):
        out["splits"][split] = run(pipe, gold_for(split))
    train_docs = [d for d in load_jsonl(ROOT / "corpus" / "corpus.jsonl") if d["split"] == "train"]
    rules = Pipeline(relation_model=nearest_head_model(), tagger=Tagger(learn_activities(train_docs)))
    out["ablation"]["rules_only_test"] = run(rules, gold_for("test"))
    for fraction in (0.25, 0.5, 1.0):
        with tempfile.TemporaryDirectory() as tmp:
            train(ROOT / "corpus", Path(tmp), seed=0, fraction=fraction, modes=(chosen,), log=lambda *_: None)
            s = run(Pipeline(Path(tmp)), gold_for("test"))
        out["learning_curve"].append({"fraction": fraction, "train_docs": round(fraction * len(train_docs)),
                                      "slot_f1_lenient": s["slots"]["lenient"]["f1"],
                                      "slot_f1_strict": s["slots"]["strict"]["f1"],
                                      "relation_f1_overlap": s["relations"]["overlap"]["micro"]["f1"],
                                      "entity_f1_strict": s["entities"]["strict"]["micro"]["f1"]})
    out["seconds"] = round(time.time() - t0, 1)
    (ROOT / "benchmarks" / "accuracy.json").write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    print_tables(out)
    return 0


def print_tables(out: dict) -> None:
    print("fact slots (lenient / strict F1), facts, relations, entities")
    print(f"{'system':24}{'slots len':>10}{'slots str':>10}{'facts':>8}{'rel ovl':>8}{'rel str':>8}{'ent str':>8}")
    rows = [(f"full, {k}", v) for k, v in out["splits"].items()] + [("rules-only, test", out["ablation"]["rules_only_test"])]
    for name, s in rows:
        print(f"{name:24}{s['slots']['lenient']['f1']:10.3f}{s['slots']['strict']['f1']:10.3f}{s['facts']['f1']:8.3f}"
              f"{s['relations']['overlap']['micro']['f1']:8.3f}{s['relations']['strict']['micro']['f1']:8.3f}"
              f"{s['entities']['strict']['micro']['f1']:8.3f}")
    for split, s in out["splits"].items():
        print(f"\nper type, {split} (lenient F1)")
        for t, d in s["per_type"].items():
            print(f"  {t:14}{d['lenient']['f1']:.3f}")
        print(f"per relation label, {split} (overlap F1)")
        for lab, d in s["relations"]["overlap"]["per_label"].items():
            print(f"  {lab:14}{d['f1']:.3f}  (gold {d['tp'] + d['fn']})")
        print(f"per entity label, {split} (strict / overlap F1)")
        for lab, d in s["entities"]["strict"]["per_label"].items():
            o = s["entities"]["overlap"]["per_label"][lab]
            print(f"  {lab:14}{d['f1']:.3f} / {o['f1']:.3f}")
    print("\nlearning curve on test (fraction of train -> slot F1 lenient, strict)")
    for r in out["learning_curve"]:
        print(f"  {r['fraction']:>5.0%} ({r['train_docs']} docs): {r['slot_f1_lenient']:.3f}, {r['slot_f1_strict']:.3f}"
              f"  relations {r['relation_f1_overlap']:.3f}  entities {r['entity_f1_strict']:.3f}")


if __name__ == "__main__":
    sys.exit(main())
