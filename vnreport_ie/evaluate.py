"""Scoring against annotated gold, as the schema's scoring section defines.

Facts: per document and type, predicted facts are aligned one-to-one to gold
facts (maximum matching on agreeing slots); every non-null slot then counts
once. Integers, booleans and ISO dates must be equal; strings are compared
after lower-casing, NFC and stripping punctuation, strictly (equal) or
leniently (one's words contain the other's, or word-overlap F1 >= 0.5).

Entities and relations are scored too: entities strict (same span and label)
and by overlap; relations with both ends matched (strict: exact spans;
overlap: overlapping spans) and the same label.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from typing import Any, Iterable

import numpy as np
from scipy.optimize import linear_sum_assignment

from . import schema
from .schema import FACT_KEYS

# Scored meta fields: those read off the text. ``normalized`` describes the input,
# ``published`` is passed in by the caller and ``relevance`` is a score, not a reading.
META_FIELDS = tuple(m.name for m in schema.META_FIELDS
                    if m.name not in ("normalized", "published", "relevance"))
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)


def norm_str(s: str) -> str:
    s = unicodedata.normalize("NFC", s).lower()
    return " ".join(_PUNCT.sub(" ", s).split())


def string_match(gold: str, pred: str, lenient: bool) -> bool:
    g, p = norm_str(gold), norm_str(pred)
    if g == p:
        return True
    if not lenient or not g or not p:
        return False
    gw, pw = g.split(), p.split()
    if _contains(gw, pw) or _contains(pw, gw):
        return True
    overlap = sum((Counter(gw) & Counter(pw)).values())
    if not overlap:
        return False
    prec, rec = overlap / len(pw), overlap / len(gw)
    return 2 * prec * rec / (prec + rec) >= 0.5


def _contains(big: list[str], small: list[str]) -> bool:
    n = len(small)
    return any(big[i:i + n] == small for i in range(len(big) - n + 1))


def value_match(gold: Any, pred: Any, lenient: bool) -> bool:
    if isinstance(gold, str) and isinstance(pred, str):
        if re.fullmatch(r"\d{4}(-\d{2}){0,2}", gold):
            return gold == pred
        return string_match(gold, pred, lenient)
    if isinstance(gold, dict) and isinstance(pred, dict):
        if "code" in gold:  # a province: the official code identifies the unit
            return gold.get("code") == pred.get("code")
        return gold.get("start") == pred.get("start") and gold.get("end") == pred.get("end")
    if isinstance(gold, bool) or isinstance(pred, bool):
        return gold is pred
    return gold == pred


def _slots(fact: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fact.items() if k not in FACT_KEYS and v is not None}


class PRF:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0

    def add(self, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def as_dict(self) -> dict[str, float | int]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


def align(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """Maximum matching of predicted to gold facts on leniently agreeing slots."""
    if not gold or not pred:
        return []
    m = np.zeros((len(gold), len(pred)))
    for i, g in enumerate(gold):
        gs = _slots(g)
        for j, p in enumerate(pred):
            ps = _slots(p)
            m[i, j] = sum(1 for k, v in gs.items() if k in ps and value_match(v, ps[k], True))
    rows, cols = linear_sum_assignment(-m)
    return [(i, j) for i, j in zip(rows, cols) if m[i, j] > 0]


def score(gold_records: Iterable[dict], pred_records: Iterable[dict], *,
          errors: list[dict] | None = None) -> dict[str, Any]:
    """Scores of predicted records against gold records, matched by ``id``.

    A gold record with no prediction counts as all missed; a prediction with
    no gold is not scored. Both are listed under ``ids`` in the result, so a
    caller can tell a poor score from mismatched ids.
    """
    gold_by_id = {g["id"]: g for g in gold_records}
    pred_by_id = {p["id"]: p for p in pred_records}
    slot = {"strict": PRF(), "lenient": PRF()}
    per_type: dict[str, dict[str, PRF]] = defaultdict(lambda: {"strict": PRF(), "lenient": PRF()})
    per_slot: dict[str, dict[str, PRF]] = defaultdict(lambda: {"strict": PRF(), "lenient": PRF()})
    fact_level = PRF()
    meta = {f: PRF() for f in META_FIELDS}
    ent_strict, ent_overlap = defaultdict(PRF), defaultdict(PRF)
    semeval: dict[str, dict[str, Counter]] = {m: defaultdict(Counter) for m in SEMEVAL_SCHEMES}
    rel_strict, rel_overlap = defaultdict(PRF), defaultdict(PRF)
    # Documents whose gold holds no fact measure false facts per document (#13's
    # false-positive sample: at most 1 fact per 10 such documents).
    empty_docs = empty_facts = 0
    for doc_id, gold in gold_by_id.items():
        pred = pred_by_id.get(doc_id, {"facts": [], "meta": {}, "entities": [], "relations": []})
        if not gold["facts"]:
            empty_docs += 1
            empty_facts += len(pred.get("facts", []))
        text = gold.get("text", "")
        types = {f["type"] for f in gold["facts"]} | {f["type"] for f in pred.get("facts", [])}
        for t in sorted(types):
            gf = [f for f in gold["facts"] if f["type"] == t]
            pf = [f for f in pred.get("facts", []) if f["type"] == t]
            pairs = align(gf, pf)
            gi = {i for i, _ in pairs}
            pj = {j for _, j in pairs}
            for mode in ("strict", "lenient"):
                lenient = mode == "lenient"
                for i, j in pairs:
                    gs, ps = _slots(gf[i]), _slots(pf[j])
                    for k in set(gs) | set(ps):
                        if k in gs and k in ps:
                            ok = value_match(gs[k], ps[k], lenient)
                            c = (1, 0, 0) if ok else (0, 1, 1)
                            if not ok and lenient and errors is not None:
                                errors.append(_err(doc_id, t, k, "wrong", gs[k], ps[k], text, gf[i]))
                        elif k in gs:
                            c = (0, 0, 1)
                            if lenient and errors is not None:
                                errors.append(_err(doc_id, t, k, "missing", gs[k], None, text, gf[i]))
                        else:
                            c = (0, 1, 0)
                            if lenient and errors is not None:
                                errors.append(_err(doc_id, t, k, "spurious", None, ps[k], text, pf[j]))
                        for acc in (slot[mode], per_type[t][mode], per_slot[f"{t}.{k}"][mode]):
                            acc.add(*c)
                for i, g in enumerate(gf):
                    if i not in gi:
                        for k, v in _slots(g).items():
                            for acc in (slot[mode], per_type[t][mode], per_slot[f"{t}.{k}"][mode]):
                                acc.add(fn=1)
                            if lenient and errors is not None:
                                errors.append(_err(doc_id, t, k, "missing", v, None, text, g))
                for j, p in enumerate(pf):
                    if j not in pj:
                        for k, v in _slots(p).items():
                            for acc in (slot[mode], per_type[t][mode], per_slot[f"{t}.{k}"][mode]):
                                acc.add(fp=1)
                            if lenient and errors is not None:
                                errors.append(_err(doc_id, t, k, "spurious", None, v, text, p))
            right = sum(1 for i, j in pairs
                        if all(k in _slots(pf[j]) and value_match(v, _slots(pf[j])[k], True)
                               for k, v in _slots(gf[i]).items()))
            fact_level.add(tp=right, fp=len(pf) - right, fn=len(gf) - right)
        gm, pm = gold.get("meta", {}), pred.get("meta", {})
        for f in META_FIELDS:
            g, p = gm.get(f), pm.get(f)
            if g is not None and p is not None:
                meta[f].add(*((1, 0, 0) if value_match(g, p, True) else (0, 1, 1)))
            elif g is not None:
                meta[f].add(fn=1)
            elif p is not None:
                meta[f].add(fp=1)
        _score_entities(gold, pred, ent_strict, ent_overlap)
        _semeval_counts(gold.get("entities", []), pred.get("entities", []), semeval)
        _score_relations(gold, pred, rel_strict, rel_overlap)
    return {
        "documents": len(gold_by_id),
        "ids": {"matched": len(gold_by_id.keys() & pred_by_id.keys()),
                "gold_without_prediction": sorted(gold_by_id.keys() - pred_by_id.keys()),
                "prediction_without_gold": sorted(pred_by_id.keys() - gold_by_id.keys())},
        "slots": {m: slot[m].as_dict() for m in slot},
        "facts": fact_level.as_dict(),
        "without_facts": {"documents": empty_docs, "predicted_facts": empty_facts,
                          "per_document": round(empty_facts / empty_docs, 3) if empty_docs else None},
        "per_type": {t: {m: v[m].as_dict() for m in v} for t, v in sorted(per_type.items())},
        "per_slot": {s: {m: v[m].as_dict() for m in v} for s, v in sorted(per_slot.items())},
        "meta": {f: v.as_dict() for f, v in meta.items()},
        "entities": _micro_and_per_label(ent_strict, ent_overlap),
        "entities_semeval": {m: _semeval_scores(c) for m, c in semeval.items()},
        "relations": _micro_and_per_label(rel_strict, rel_overlap),
    }


SEMEVAL_SCHEMES = ("strict", "exact", "partial", "type")


def _semeval_counts(gents: list[dict], pents: list[dict], out: dict[str, dict[str, Counter]]) -> None:
    """SemEval-2013 task 9.1 categories (COR, INC, PAR, MIS, SPU) for the four schemes.

    Only predicted labels that occur in the gold annotation are scored, since
    gold marks only the entities facts are built from.
    """
    labels = {e["label"] for e in gents}
    pents = [e for e in pents if e["label"] in labels]
    matched_gold: set[int] = set()
    for p in pents:
        exact = [i for i, g in enumerate(gents) if (g["start"], g["end"]) == (p["start"], p["end"])]
        overl = [i for i, g in enumerate(gents) if _ov(g, p)]
        if exact:
            same = [i for i in exact if gents[i]["label"] == p["label"]]
            i = same[0] if same else exact[0]
            g = gents[i]
            matched_gold.add(i)
            ok = g["label"] == p["label"]
            out["strict"][g["label"]]["COR" if ok else "INC"] += 1
            out["exact"][g["label"]]["COR"] += 1
            out["partial"][g["label"]]["COR"] += 1
            out["type"][g["label"]]["COR" if ok else "INC"] += 1
        elif overl:
            same = [i for i in overl if gents[i]["label"] == p["label"]]
            i = same[0] if same else overl[0]
            g = gents[i]
            matched_gold.add(i)
            out["strict"][g["label"]]["INC"] += 1
            out["exact"][g["label"]]["INC"] += 1
            out["partial"][g["label"]]["PAR"] += 1
            out["type"][g["label"]]["COR" if g["label"] == p["label"] else "INC"] += 1
        else:
            for m in SEMEVAL_SCHEMES:
                out[m][p["label"]]["SPU"] += 1
    for i, g in enumerate(gents):
        if i not in matched_gold:
            for m in SEMEVAL_SCHEMES:
                out[m][g["label"]]["MIS"] += 1


def _semeval_scores(per_label: dict[str, Counter]) -> dict[str, Any]:
    def prf(c: Counter) -> dict[str, Any]:
        act = c["COR"] + c["INC"] + c["PAR"] + c["SPU"]
        pos = c["COR"] + c["INC"] + c["PAR"] + c["MIS"]
        hit = c["COR"] + 0.5 * c["PAR"]  # PAR occurs only in the partial scheme
        p = hit / act if act else 0.0
        r = hit / pos if pos else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                **{k: c[k] for k in ("COR", "INC", "PAR", "MIS", "SPU")}}

    total: Counter = Counter()
    for c in per_label.values():
        total.update(c)
    labels = {lab: prf(c) for lab, c in sorted(per_label.items())}
    macro = sum(v["f1"] for v in labels.values()) / len(labels) if labels else 0.0
    return {"micro": prf(total), "macro_f1": round(macro, 4), "per_label": labels}


def _micro_and_per_label(strict: dict[str, PRF], overlap: dict[str, PRF]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, table in (("strict", strict), ("overlap", overlap)):
        micro = PRF()
        for v in table.values():
            micro.add(v.tp, v.fp, v.fn)
        out[name] = {"micro": micro.as_dict(), "per_label": {k: v.as_dict() for k, v in sorted(table.items())}}
    return out


def _ov(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _score_entities(gold: dict, pred: dict, strict: dict, overlap: dict) -> None:
    gents = gold.get("entities", [])
    labels = {e["label"] for e in gents}
    pents = [e for e in pred.get("entities", []) if e["label"] in labels]
    gspans = {(e["label"], e["start"], e["end"]) for e in gents}
    pspans = {(e["label"], e["start"], e["end"]) for e in pents}
    for lab in labels:
        g = {s for s in gspans if s[0] == lab}
        p = {s for s in pspans if s[0] == lab}
        strict[lab].add(len(g & p), len(p - g), len(g - p))
        gl = [e for e in gents if e["label"] == lab]
        pl = [e for e in pents if e["label"] == lab]
        matched_p = sum(1 for e in pl if any(_ov(e, x) for x in gl))
        matched_g = sum(1 for e in gl if any(_ov(e, x) for x in pl))
        overlap[lab].add(matched_g, len(pl) - matched_p, len(gl) - matched_g)


def _score_relations(gold: dict, pred: dict, strict: dict, overlap: dict) -> None:
    ge = {e["id"]: e for e in gold.get("entities", [])}
    pe = {e["id"]: e for e in pred.get("entities", [])}
    grels = [(r["label"], ge[r["head"]], ge[r["tail"]]) for r in gold.get("relations", [])]
    prels = [(r["label"], pe[r["head"]], pe[r["tail"]]) for r in pred.get("relations", [])]
    for lab in {r[0] for r in grels} | {r[0] for r in prels}:
        g = [r for r in grels if r[0] == lab]
        p = [r for r in prels if r[0] == lab]
        key = lambda r: (r[1]["start"], r[1]["end"], r[2]["start"], r[2]["end"])  # noqa: E731
        gs, ps = {key(r) for r in g}, {key(r) for r in p}
        strict[lab].add(len(gs & ps), len(ps - gs), len(gs - ps))
        mp = sum(1 for r in p if any(_ov(r[1], x[1]) and _ov(r[2], x[2]) for x in g))
        mg = sum(1 for r in g if any(_ov(r[1], x[1]) and _ov(r[2], x[2]) for x in p))
        overlap[lab].add(mg, len(p) - mp, len(g) - mg)


def _err(doc_id, ftype, slot, kind, gold, pred, text, fact) -> dict[str, Any]:
    ev = fact.get("evidence") or {}
    a, b = ev.get("start", 0), ev.get("end", 0)
    context = text[max(0, a - 40):min(len(text), b + 40)].replace("\n", " ") if text else ""
    return {"doc": doc_id, "type": ftype, "slot": slot, "error": kind, "gold": gold, "pred": pred,
            "context": context}


def format_table(result: dict[str, Any], title: str = "") -> str:
    lines = []
    if title:
        lines.append(title)
    s = result["slots"]
    lines.append(f"documents: {result['documents']}")
    w = result.get("without_facts") or {}
    if w.get("documents"):
        lines.append(f"documents without gold facts: {w['documents']}, predicted facts there: "
                     f"{w['predicted_facts']} ({w['per_document']:.2f} per document)")
    lines.append(f"{'':28}{'P':>8}{'R':>8}{'F1':>8}")
    for name, d in (("slots (lenient)", s["lenient"]), ("slots (strict)", s["strict"]),
                    ("facts (all slots right)", result["facts"]),
                    ("entities (overlap)", result["entities"]["overlap"]["micro"]),
                    ("entities (strict)", result["entities"]["strict"]["micro"]),
                    ("relations (overlap)", result["relations"]["overlap"]["micro"]),
                    ("relations (strict)", result["relations"]["strict"]["micro"])):
        lines.append(f"{name:28}{d['precision']:8.3f}{d['recall']:8.3f}{d['f1']:8.3f}")
    lines.append("")
    lines.append(f"{'entities, SemEval-2013':28}{'P':>8}{'R':>8}{'F1':>8}{'macro F1':>10}")
    for m, d in result["entities_semeval"].items():
        x = d["micro"]
        lines.append(f"{m:28}{x['precision']:8.3f}{x['recall']:8.3f}{x['f1']:8.3f}{d['macro_f1']:10.3f}")
    lines.append("")
    lines.append(f"{'per type (lenient)':28}{'P':>8}{'R':>8}{'F1':>8}{'gold':>6}")
    for t, d in result["per_type"].items():
        x = d["lenient"]
        lines.append(f"{t:28}{x['precision']:8.3f}{x['recall']:8.3f}{x['f1']:8.3f}{x['tp'] + x['fn']:6d}")
    lines.append("")
    lines.append(f"{'per slot (lenient)':36}{'P':>8}{'R':>8}{'F1':>8}{'gold':>6}")
    for t, d in result["per_slot"].items():
        x = d["lenient"]
        lines.append(f"{t:36}{x['precision']:8.3f}{x['recall']:8.3f}{x['f1']:8.3f}{x['tp'] + x['fn']:6d}")
    lines.append("")
    lines.append(f"{'meta':28}{'P':>8}{'R':>8}{'F1':>8}")
    for f, x in result["meta"].items():
        lines.append(f"{f:28}{x['precision']:8.3f}{x['recall']:8.3f}{x['f1']:8.3f}")
    return "\n".join(lines)


def format_errors(errors: list[dict]) -> str:
    out = []
    for e in errors:
        out.append(f"[{e['doc']}] {e['type']}.{e['slot']}: {e['error']}  gold={e['gold']!r}  pred={e['pred']!r}\n"
                   f"    ...{e['context']}...")
    return "\n".join(out)
