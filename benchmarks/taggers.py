"""Phrase taggers compared on real-dev (issue #13, item 4).

For the labels of the learned phrase model (``PHRASE_LABELS``), entity spans
on ``real-dev`` from:

- ``packaged``: today's tagger as shipped (``vnreport_ie.load(keep_all=True)``:
  rules + per-label B/I/O logistic regressions, ``models/phrases.json``);
- ``rules+logreg``: the same rules and logistic regressions (``train.fit_phrases``,
  same mode as packaged) refitted on train + real-train, so that every learned
  row sees the same training data;
- ``crf``: one linear-chain CRF (sklearn-crfsuite, L-BFGS, c1=c2=0.1, 100
  iterations) over the joint B-/I-LABEL tags, with the phrase model's own
  features (``tag_model.token_features_from``: word, shape, +-2 words,
  bigrams, lexicon flags, the rule tagger's B/I/O tags here and +-1);
- ``spacy-ner``: a ``spacy train`` ``ner`` pipeline (``init config --optimize
  efficiency``, CPU, ``--epochs``), blank ``vi``, the same underthesea tokens,
  with the rule tags as ``Token.tag_`` added to the hash-embedding attributes.

All learned rows train on ``train`` + ``real-train``, fully segmented (as
``vnreport-ie train`` does); spaCy picks its best checkpoint on the team
``dev`` split. ``test``/``real-test`` are never read.

Every row is scored on the same Docs, twice: ``scan``, those the packaged
pipeline builds (the scan leaves unsegmented the sentences it finds unable to
hold a fact, and no tagger sees inside them), and ``all``, every sentence
segmented. Matching is ``evaluate``'s (strict: same span and label;
overlap), where, as everywhere in this project, a document's predicted labels
count only if its gold has that label (real articles mark the entities facts
are built from). Speed: CPU seconds of the tagging step (rules, features and
model) per MB of real-dev text, against the segmentation step and
``underthesea.word_tokenize`` over the whole texts.

    .venv/bin/python benchmarks/taggers.py --epochs 4   # about 7 minutes on 2 shared cores
    .venv/bin/python benchmarks/taggers.py --no-spacy   # skip spaCy

Needs the ``compare`` extra (``pip install -c requirements.lock -e '.[compare]'``).
Writes ``benchmarks/taggers.json`` and prints the tables.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).with_suffix(".json")
FRACTIONS = (0.25, 0.5, 1.0)

import vnreport_ie  # noqa: E402
from vnreport_ie.corpus import load_corpus  # noqa: E402
from vnreport_ie.evaluate import PRF, _score_entities  # noqa: E402
from vnreport_ie.normalise import normalise  # noqa: E402
from vnreport_ie.tag import Tagger  # noqa: E402
from vnreport_ie.tag_model import PHRASE_LABELS, PhraseModel, _Toks, _trim, token_features_from  # noqa: E402
from vnreport_ie.tokenize import Tokenizer  # noqa: E402
from vnreport_ie.train import fit_phrases  # noqa: E402
from vnreport_ie.types import work_text  # noqa: E402


@dataclass
class Sent:
    tokens: list[int]  # token indices in the Doc (spaces left out)
    words: list[str]
    idx: list[int]
    end: list[int]
    spaces: list[bool]
    feats: list[list[str]]
    rule: list[str]  # the rule tags of each token as one string (spaCy's TAG)
    gold: list[str]  # joint B-LABEL / I-LABEL / O


@dataclass
class Item:
    doc_id: str
    text: str
    gold: list[dict]  # phrase-label gold entities
    doc: Any
    sents: list[Sent]


def rule_spans_of(rules: Tagger, doc) -> dict[str, list[tuple[int, int]]]:
    found, _ = rules.rule_entities(doc)
    spans: dict[str, list[tuple[int, int]]] = {}
    for e in found:
        spans.setdefault(e.label, []).append((e.start, e.end))
    return spans


def joint_gold(toks: _Toks, gold: list[dict]) -> list[str]:
    """One tag per token; of overlapping gold spans (23 of 2,898 in train +
    real-train + real-dev) the earlier, then longer, wins."""
    tags = ["O"] * toks.n
    for e in sorted(gold, key=lambda e: (e["start"], -(e["end"] - e["start"]))):
        codes = toks.span_codes([(e["start"], e["end"])])
        inside = [i for i, c in enumerate(codes) if c != 2]
        if not inside or any(tags[i] != "O" for i in inside):
            continue
        for k, i in enumerate(inside):
            tags[i] = ("B-" if k == 0 else "I-") + e["label"]
    return tags


def sentences_of(doc, rules: Tagger, gold: list[dict]) -> list[Sent]:
    toks = _Toks(doc)
    spans = rule_spans_of(rules, doc)
    rule_tags = {lab: toks.span_tags(spans.get(lab, ())) for lab in PHRASE_LABELS}
    gtags = joint_gold(toks, gold) if gold is not None else ["O"] * toks.n
    out = []
    for i0, i1 in toks.bounds:
        rows = [i for i in range(i0, i1) if not toks.is_space[i]]
        if not rows:
            continue
        feats = token_features_from(toks, rule_tags, rows)
        rule = ["|".join(f"{rule_tags[lab][i]}-{lab}" for lab in PHRASE_LABELS if rule_tags[lab][i] != "O") or "O"
                for i in rows]
        out.append(Sent(rows, [toks.text[i] for i in rows], [toks.idx[i] for i in rows], [toks.end[i] for i in rows],
                        [k + 1 < len(rows) and toks.idx[rows[k + 1]] > toks.end[i] for k, i in enumerate(rows)],
                        feats, rule, _valid_bio([gtags[i] for i in rows])))
    return out


def _valid_bio(tags: list[str]) -> list[str]:
    """A span cut by a sentence boundary starts again with B- in the next one."""
    out = list(tags)
    for k, t in enumerate(out):
        if t.startswith("I-") and (k == 0 or out[k - 1][2:] != t[2:]):
            out[k] = "B-" + t[2:]
    return out


def spans_of(sent: Sent, tags: list[str], text: str) -> list[dict]:
    """Entities of joint B-/I- tags (an I- after another label starts a span), trimmed as the phrase model's are."""
    out, cur = [], None
    for k, t in enumerate(list(tags) + ["O"]):
        lab = t[2:] if t != "O" else None
        if cur and (t == "O" or t.startswith("B-") or lab != cur[0]):
            a, b = _trim(text, cur[1], cur[2])
            if b > a:
                out.append({"label": cur[0], "start": a, "end": b})
            cur = None
        if lab and cur is None:
            cur = [lab, sent.idx[k], sent.end[k]]
        elif lab:
            cur[2] = sent.end[k]
    return out


def score(items: list[Item], preds: list[list[dict]]) -> dict[str, Any]:
    strict: dict[str, PRF] = {lab: PRF() for lab in PHRASE_LABELS}
    overlap: dict[str, PRF] = {lab: PRF() for lab in PHRASE_LABELS}
    for it, pred in zip(items, preds):
        _score_entities({"entities": it.gold}, {"entities": [p for p in pred if p["label"] in PHRASE_LABELS]},
                        strict, overlap)
    out = {}
    for name, table in (("strict", strict), ("overlap", overlap)):
        micro = PRF()
        for v in table.values():
            micro.add(v.tp, v.fp, v.fn)
        out[name] = {"micro": micro.as_dict(), "per_label": {k: v.as_dict() for k, v in table.items()}}
    return out


def timed(fn: Callable[[Item], list[dict]], items: list[Item]) -> tuple[list[list[dict]], float]:
    c = time.process_time()
    preds = [fn(it) for it in items]
    return preds, time.process_time() - c


# --- CRF -------------------------------------------------------------------------------------------

def fit_crf(sents: list[Sent]):
    import sklearn_crfsuite

    crf = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=0.1, c2=0.1, max_iterations=100,
                               all_possible_transitions=True)
    crf.fit([s.feats for s in sents], [s.gold for s in sents])
    return crf


def crf_predictor(crf, rules: Tagger) -> Callable[[Item], list[dict]]:
    tagger = crf.tagger_  # pycrfsuite.Tagger: one sentence at a time, no sklearn overhead

    def predict(it: Item) -> list[dict]:
        # Everything the CRF needs at run time: rule tags, features, tags.
        sents = sentences_of(it.doc, rules, None)
        text = work_text(it.doc)
        out = []
        for s in sents:
            out.extend(spans_of(s, tagger.tag(s.feats), text))
        return out

    return predict


# --- spaCy -----------------------------------------------------------------------------------------

def to_docbin(vocab, sents: list[Sent], path: Path) -> None:
    from spacy.tokens import Doc, DocBin

    db = DocBin(attrs=["ORTH", "TAG", "ENT_IOB", "ENT_TYPE"])
    for s in sents:
        db.add(Doc(vocab, words=[w.replace(" ", "_") for w in s.words], spaces=s.spaces, tags=s.rule, ents=s.gold))
    db.to_disk(path)


def spacy_config(tmp: Path, epochs: int) -> Path:
    """``spacy init config --pipeline ner --optimize efficiency`` (generated for
    ``xx``: ``vi``'s default tokenizer needs pyvi even to write a config), then
    set to ``vi`` without pyvi, our reader, the rule tags as an embedding
    attribute, and ``epochs`` epochs."""
    from thinc.api import Config

    base = tmp / "base.cfg"
    subprocess.run([sys.executable, "-m", "spacy", "init", "config", "--lang", "xx", "--pipeline", "ner",
                    "--optimize", "efficiency", "--force", str(base)], check=True, capture_output=True)
    cfg = Config().from_disk(base, interpolate=False)
    cfg["nlp"]["lang"] = "vi"
    cfg["nlp"]["tokenizer"] = {"@tokenizers": "spacy.vi.VietnameseTokenizer", "use_pyvi": False}
    for name in ("train", "dev"):
        cfg["corpora"][name] = {"@readers": "vnr_bench.TaggedDocBin.v1", "path": "${paths.%s}" % name}
    embed = cfg["components"]["tok2vec"]["model"]["embed"]
    embed["attrs"] = [*embed["attrs"], "TAG"]
    embed["rows"] = [*embed["rows"], 1000]
    cfg["training"].update({"max_epochs": epochs, "max_steps": 0, "eval_frequency": 1000, "patience": 0})
    path = tmp / "ner.cfg"
    cfg.to_disk(path)
    return path


def fit_spacy(train: list[Sent], dev: list[Sent], tmp: Path, epochs: int, log) -> Any:
    import spacy

    vocab = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}}).vocab
    to_docbin(vocab, train, tmp / "train.spacy")
    to_docbin(vocab, dev, tmp / "dev.spacy")
    cfg = spacy_config(tmp, epochs)
    cmd = [sys.executable, "-m", "spacy", "train", str(cfg), "--output", str(tmp / "out"),
           "--code", str(Path(__file__).with_name("_spacy_reader.py")),
           "--paths.train", str(tmp / "train.spacy"), "--paths.dev", str(tmp / "dev.spacy")]
    log("  " + " ".join(cmd[1:]).replace(str(tmp), "$TMP"))
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    c = time.time()
    run = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if run.returncode:
        raise SystemExit(run.stdout[-3000:] + run.stderr[-3000:])
    log("\n".join("    " + line for line in run.stdout.splitlines() if line.strip()[:1].isdigit() or "E    #" in line))
    log(f"  spacy train: {time.time() - c:.0f} s")
    return spacy.load(tmp / "out" / "model-best")


def spacy_predictor(nlp, rules: Tagger) -> Callable[[Item], list[dict]]:
    from spacy.tokens import Doc

    def predict(it: Item) -> list[dict]:
        sents = sentences_of(it.doc, rules, None)
        text = work_text(it.doc)
        docs = [Doc(nlp.vocab, words=[w.replace(" ", "_") for w in s.words], spaces=s.spaces, tags=s.rule)
                for s in sents]
        out = []
        for s, d in zip(sents, nlp.pipe(docs)):
            tags = ["O"] * len(d)
            for e in d.ents:
                for k in range(e.start, e.end):
                    tags[k] = ("B-" if k == e.start else "I-") + e.label_
            out.extend(spans_of(s, tags, text))
        return out

    return predict


# --- main ------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    ap.add_argument("--epochs", type=int, default=5, help="spaCy training epochs")
    ap.add_argument("--no-spacy", action="store_true")
    ap.add_argument("--no-curve", action="store_true")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args(argv)
    log = lambda *a: print(*a, flush=True)  # noqa: E731
    t_start = time.time()
    load_before = os.getloadavg()[0]

    docs = [d for d in load_corpus(Path(args.corpus)) if d["split"] in ("train", "real-train", "dev", "real-dev")]
    by_split = {s: [d for d in docs if d["split"] == s] for s in ("train", "real-train", "dev", "real-dev")}
    pipe = vnreport_ie.load(keep_all=True)
    packaged: Tagger = pipe.get("tag")
    rules = Tagger(packaged.extra_activities)  # the packaged rules without the phrase model
    full = Tokenizer()  # every sentence segmented, as `vnreport-ie train` does
    seg_cache: dict[str, Any] = {}

    def segment_all(text: str):
        doc = seg_cache.get(text)
        if doc is None:
            doc = seg_cache[text] = full(normalise(text))
        return doc

    def gold_of(d: dict) -> list[dict]:
        return [e for e in d["entities"] if e["label"] in PHRASE_LABELS]

    c = time.time()
    train_sents: dict[str, list[Sent]] = {}
    for d in by_split["train"] + by_split["real-train"] + by_split["dev"]:
        train_sents[d["id"]] = sentences_of(segment_all(d["text"]), rules, gold_of(d))
    log(f"segmented and featurised {len(train_sents)} train/real-train/dev documents in {time.time() - c:.0f} s")

    # real-dev as the packaged pipeline sees it (scan on: "scan"), and with
    # every sentence segmented ("all"), timing the segmentation of each.
    dev_docs = by_split["real-dev"]
    mb = sum(len(d["text"].encode("utf-8")) for d in dev_docs) / 1e6
    c = time.process_time()
    scan_docs = [pipe.tokenizer(normalise(d["text"])) for d in dev_docs]
    seg_s = time.process_time() - c
    c = time.process_time()
    all_docs = [segment_all(d["text"]) for d in dev_docs]
    seg_all_s = time.process_time() - c
    from underthesea import word_tokenize

    c = time.process_time()
    for d in dev_docs:
        word_tokenize(d["text"])
    wt_s = time.process_time() - c
    evalsets = {setting: [Item(d["id"], d["text"], gold_of(d), doc, []) for d, doc in zip(dev_docs, ds)]
                for setting, ds in (("scan", scan_docs), ("all", all_docs))}
    in_skipped = sum(1 for d, doc in zip(dev_docs, scan_docs) for e in gold_of(d)
                     if any(a <= e["start"] < b for a, b in doc._.vnr_skipped or ()))
    n_gold = sum(len(gold_of(d)) for d in dev_docs)
    log(f"real-dev: {len(dev_docs)} articles, {mb:.3f} MB, {n_gold} phrase entities ({in_skipped} in sentences "
        f"the scan skips); segmentation {seg_s / mb:.2f} CPU s/MB with the scan, {seg_all_s / mb:.2f} without; "
        f"underthesea.word_tokenize {wt_s / mb:.2f} CPU s/MB")

    rows: dict[str, dict[str, Any]] = {}

    def ents_of(tagger: Tagger) -> Callable[[Item], list[dict]]:
        def predict(it: Item) -> list[dict]:
            doc = tagger(it.doc)
            return [{"label": e.label, "start": e.start, "end": e.end} for e in doc._.vnr_entities]
        return predict

    def add(name: str, fn: Callable[[Item], list[dict]], note: str, train_s: float | None = None) -> None:
        rows[name] = {"note": note, "train_s": train_s}
        for setting, items in evalsets.items():
            fn(items[0])  # warm caches (the phrase model's score table is built on first use)
            preds, cpu = timed(fn, items)
            rows[name][setting] = {**score(items, preds), "tag_cpu_s_per_mb": round(cpu / mb, 3)}
            m = rows[name][setting]
            log(f"{name:14} {setting:4} strict F1 {m['strict']['micro']['f1']:.3f}  "
                f"overlap F1 {m['overlap']['micro']['f1']:.3f}  tagging {cpu / mb:.2f} CPU s/MB")

    mode = packaged.phrase_model.mode if packaged.phrase_model else "rules"
    add("packaged", ents_of(packaged), f"models/phrases.json as shipped (mode {mode}, "
        f"trained on {packaged.phrase_model.meta.get('documents') if packaged.phrase_model else 0} team documents)")
    add("rules only", ents_of(rules), "the rule tagger alone (no phrase model)")

    def train_set(fraction: float) -> list[dict]:
        real = sorted(by_split["real-train"], key=lambda d: d["id"])
        random.Random(0).shuffle(real)
        return by_split["train"] + real[:max(1, round(fraction * len(real)))]

    def fit_logreg(train_docs: list[dict]) -> tuple[Tagger, float]:
        c = time.process_time()
        weights = fit_phrases(train_docs, segment_all_tokenizer, rules, seed=0)
        return Tagger(packaged.extra_activities, PhraseModel(weights, mode)), time.process_time() - c

    class _SegmentAll:
        def __call__(self, n):  # fit_phrases calls tokenizer(normalise(text))
            return segment_all(n.text)

    segment_all_tokenizer = _SegmentAll()
    train_docs = train_set(1.0)
    lr, lr_s = fit_logreg(train_docs)
    add("rules+logreg", ents_of(lr), f"fit_phrases on train + real-train ({len(train_docs)} documents), mode {mode}",
        round(lr_s, 1))

    sents = [s for d in train_docs for s in train_sents[d["id"]]]
    log(f"training sequences: {len(sents)} sentences, {sum(len(s.words) for s in sents)} tokens")
    c = time.process_time()
    crf = fit_crf(sents)
    crf_s = time.process_time() - c
    log(f"  crf fitted in {crf_s:.0f} CPU s")
    add("crf", crf_predictor(crf, rules), "sklearn-crfsuite, joint BIO, phrase-model features", round(crf_s, 1))

    nlp = None
    if not args.no_spacy:
        dev_sents = [s for d in by_split["dev"] for s in train_sents[d["id"]]]
        with tempfile.TemporaryDirectory() as tmp:
            c = time.time()
            nlp = fit_spacy(sents, dev_sents, Path(tmp), args.epochs, log)
            sp_s = time.time() - c
        add("spacy-ner", spacy_predictor(nlp, rules),
            f"spacy train, ner, efficiency config, {args.epochs} epochs, best on team dev", round(sp_s, 1))

    curve: dict[str, list[dict]] = {}
    if not args.no_curve:
        learned = [k for k in ("rules+logreg", "crf", "spacy-ner") if k in rows]
        best = max(learned, key=lambda k: rows[k]["scan"]["strict"]["micro"]["f1"])
        # The cheap learners get a curve always; spaCy only when it is the best.
        for name in dict.fromkeys(["rules+logreg", "crf", best]):
            curve[name] = []
            for frac in FRACTIONS:
                tr = train_set(frac)
                if frac == 1.0:
                    r = {k: rows[name][k] for k in evalsets}
                else:
                    if name == "rules+logreg":
                        fn = ents_of(fit_logreg(tr)[0])
                    elif name == "crf":
                        fn = crf_predictor(fit_crf([s for d in tr for s in train_sents[d["id"]]]), rules)
                    else:
                        dev_sents = [s for d in by_split["dev"] for s in train_sents[d["id"]]]
                        with tempfile.TemporaryDirectory() as tmp:
                            fn = spacy_predictor(fit_spacy([s for d in tr for s in train_sents[d["id"]]], dev_sents,
                                                           Path(tmp), args.epochs, log), rules)
                    r = {k: score(items, [fn(it) for it in items]) for k, items in evalsets.items()}
                point = {"real_train_fraction": frac, "real_train_docs": len(tr) - len(by_split["train"]),
                         **{k: {"strict_f1": v["strict"]["micro"]["f1"], "overlap_f1": v["overlap"]["micro"]["f1"]}
                            for k, v in r.items()}}
                curve[name].append(point)
                log(f"curve {name:13} {frac:>4.0%} of real-train: " + "  ".join(
                    f"{k}: strict F1 {point[k]['strict_f1']:.3f} overlap F1 {point[k]['overlap_f1']:.3f}"
                    for k in evalsets))

    from importlib.metadata import version

    result = {
        "real_dev": {"articles": len(dev_docs), "megabytes": round(mb, 4), "gold_entities": n_gold,
                     "gold_entities_in_skipped_sentences": in_skipped},
        "labels": list(PHRASE_LABELS),
        "train": {"team_train_docs": len(by_split["train"]), "real_train_docs": len(by_split["real-train"])},
        "speed": {"pipeline_segmentation_cpu_s_per_mb": round(seg_s / mb, 3),
                  "segmentation_all_sentences_cpu_s_per_mb": round(seg_all_s / mb, 3),
                  "underthesea_word_tokenize_cpu_s_per_mb": round(wt_s / mb, 3)},
        "rows": rows, "learning_curve": curve,
        "versions": {**{p: version(p) for p in ("sklearn-crfsuite", "python-crfsuite", "spacy", "underthesea")},
                     "python": platform.python_version()},
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "seconds": round(time.time() - t_start), "command": "benchmarks/taggers.py " + " ".join(argv or sys.argv[1:]),
    }
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print()
    print(table(result))
    return 0


def table(r: dict[str, Any]) -> str:
    sp = r["speed"]
    seg = {"scan": sp["pipeline_segmentation_cpu_s_per_mb"], "all": sp["segmentation_all_sentences_cpu_s_per_mb"]}
    rd = r["real_dev"]
    lines = [f"real-dev: {rd['articles']} articles, {rd['megabytes']} MB, {rd['gold_entities']} phrase entities, "
             f"{rd['gold_entities_in_skipped_sentences']} of them in sentences the scan skips. "
             f"Segmentation {seg['scan']:.2f} CPU s/MB with the scan, {seg['all']:.2f} without; "
             f"underthesea.word_tokenize {sp['underthesea_word_tokenize_cpu_s_per_mb']:.2f}.", "",
             "| tagger | Docs | strict P | strict R | strict F1 | overlap P | overlap R | overlap F1 | "
             "tagging CPU s/MB | tagging / segmentation |", "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for setting in ("scan", "all"):
        for name, row in r["rows"].items():
            x = row[setting]
            s, o = x["strict"]["micro"], x["overlap"]["micro"]
            t = x["tag_cpu_s_per_mb"]
            lines.append(f"| {name} | {setting} | {s['precision']:.3f} | {s['recall']:.3f} | **{s['f1']:.3f}** | "
                         f"{o['precision']:.3f} | {o['recall']:.3f} | {o['f1']:.3f} | {t:.2f} | {t / seg[setting]:.2f} |")
    labels = r["labels"]
    lines += ["", "Strict F1 per label (every sentence segmented; gold count on the last line):", "",
              "| tagger | " + " | ".join(labels) + " |", "|---|" + "---:|" * len(labels)]
    for name, row in r["rows"].items():
        pl = row["all"]["strict"]["per_label"]
        lines.append(f"| {name} | " + " | ".join(f"{pl[k]['f1']:.2f}" for k in labels) + " |")
    pl = next(iter(r["rows"].values()))["all"]["strict"]["per_label"]
    lines.append("| (gold) | " + " | ".join(str(pl[k]["tp"] + pl[k]["fn"]) for k in labels) + " |")
    if r["learning_curve"]:
        pts0 = next(iter(r["learning_curve"].values()))
        lines += ["", "Learning curve on real-train (team train always included); strict F1 on real-dev, "
                  "scan / every sentence:", "",
                  "| tagger | " + " | ".join(f"{p['real_train_fraction']:.0%} ({p['real_train_docs']} articles)"
                                            for p in pts0) + " |", "|---|" + "---:|" * len(pts0)]
        for name, pts in r["learning_curve"].items():
            lines.append(f"| {name} | " + " | ".join(f"{p['scan']['strict_f1']:.3f} / {p['all']['strict_f1']:.3f}"
                                                     for p in pts) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
