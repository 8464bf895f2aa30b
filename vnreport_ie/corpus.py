"""The annotated corpus: build it from hand-written sources, check it, load it.

Sources (``corpus/src/*.json``) name each slot's value and the exact words that
gave it; :func:`build_document` grounds those words to character offsets and
derives the entities and relations the models train on. The format is
documented in ``corpus/README.md``.

This module imports only the standard library at top level so that annotators
can check a source file with a bare ``python3 -m vnreport_ie.corpus FILE``.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any, Iterable, Iterator

from .schema.spec import enums, head_slots, slot_entities, source_kinds

# The schema's slots as sources write them: ``str`` is the words only, every
# other kind ``[surface, value]``; see vnreport_ie/schema and corpus/README.md.
FACT_SLOTS: dict[str, dict[str, str]] = source_kinds()
ENUMS: dict[tuple[str, str], set[str]] = enums()
# The entity that stands for a fact (relation head) and the label and relation
# each other slot becomes. Slots absent here give no entity of their own.
HEAD_SLOT: dict[str, str] = head_slots()
SLOT_ENTITY: dict[tuple[str, str], tuple[str, str | None]] = slot_entities()

ISO_DATE = re.compile(r"^(?:\d{4}(-\d{2}(-\d{2})?)?|--\d{2}-\d{2})$")
ISO_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$")
SPLITS = ("train", "dev", "test")
REAL_SPLITS = ("real-train", "real-dev", "real-test")


class CorpusError(ValueError):
    """A source document that cannot be grounded or is inconsistent."""


def split_of(doc_id: str) -> str:
    """Assign a split from the id alone, so it never depends on file order.

    The seed (ids starting ``000_``) is always test. Others: 60 % train,
    15 % dev, 25 % test by a hash of the id.
    """
    if doc_id.startswith("000_"):
        return "test"
    h = int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "train" if h < 60 else "dev" if h < 75 else "test"


def real_split_of(doc_id: str) -> str:
    """The split of a real article: 50 % real-train, 20 % real-dev, 30 %
    real-test by a hash of the id (real-test is never trained or tuned on)."""
    h = int(hashlib.sha1(("real:" + doc_id).encode("utf-8")).hexdigest()[:8], 16) % 100
    return "real-train" if h < 50 else "real-dev" if h < 70 else "real-test"


def _find(text: str, needle: str, lo: int, hi: int, prefer: str = "in") -> int:
    """Offset of ``needle``: inside [lo, hi), else the nearest before, else after."""
    pos = text.find(needle, lo, hi) if hi - lo >= len(needle) else -1
    if pos >= 0:
        return pos
    before = text.rfind(needle, 0, hi)
    if before >= 0:
        return before
    return text.find(needle, lo)


def _surfaces(raw: Any) -> list[str]:
    return [raw] if isinstance(raw, str) else list(raw)


def build_document(src: dict[str, Any]) -> dict[str, Any]:
    """Ground one source document: offsets for evidence, slots, entities."""
    for key in ("id", "text", "facts"):
        if key not in src:
            raise CorpusError(f"missing {key!r}")
    doc_id = src["id"]
    real = "article" in src
    text = unicodedata.normalize("NFC", src["text"])
    entities: list[dict[str, Any]] = []
    index: dict[tuple[int, int, str], int] = {}

    def entity(label: str, start: int, end: int, value: Any = None) -> int:
        key = (start, end, label)
        if key not in index:
            index[key] = len(entities)
            entities.append({"id": len(entities), "label": label, "start": start, "end": end,
                             "text": text[start:end], "value": value})
        return index[key]

    facts: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    seen_rel: set[tuple[str, int, int]] = set()
    cursor = 0
    for n, raw in enumerate(src["facts"]):
        where = f"{doc_id} fact {n} ({raw.get('type')})"
        ftype = raw.get("type")
        if ftype not in FACT_SLOTS:
            raise CorpusError(f"{where}: unknown type")
        unknown = set(raw) - set(FACT_SLOTS[ftype]) - {"type", "evidence", "approx"}
        if unknown:
            raise CorpusError(f"{where}: unknown slots {sorted(unknown)}")
        ev = unicodedata.normalize("NFC", raw.get("evidence", ""))
        if not ev:
            raise CorpusError(f"{where}: no evidence")
        ev_start = text.find(ev, cursor)
        if ev_start < 0:
            ev_start = text.find(ev)
        if ev_start < 0:
            raise CorpusError(f"{where}: evidence not in text: {ev!r}")
        cursor = ev_start
        ev_end = ev_start + len(ev)
        fact: dict[str, Any] = {"type": ftype}
        spans: dict[str, list[int]] = {}
        slot_entity: dict[str, int] = {}
        for slot, kind in FACT_SLOTS[ftype].items():
            fact[slot] = None
            if slot not in raw or raw[slot] is None:
                continue
            val = raw[slot]
            if kind == "str" or kind == "docnum" and isinstance(val, str):
                if not isinstance(val, str):
                    raise CorpusError(f"{where}: {slot} must be a string")
                surfaces, value = [unicodedata.normalize("NFC", val)], unicodedata.normalize("NFC", val)
            else:
                if not (isinstance(val, list) and len(val) == 2):
                    raise CorpusError(f"{where}: {slot} must be [surface, value]")
                surfaces = [unicodedata.normalize("NFC", s) for s in _surfaces(val[0])]
                value = val[1]
                _check_value(where, ftype, slot, kind, value)
            located = []
            for s in surfaces:
                pos = _find(text, s, ev_start, ev_end)
                if pos < 0:
                    raise CorpusError(f"{where}: {slot} surface not in text: {s!r}")
                located.append((pos, pos + len(s)))
            fact[slot] = value
            spans[slot] = [min(a for a, _ in located), max(b for _, b in located)]
            label_rel = SLOT_ENTITY.get((ftype, slot))
            if label_rel:
                label = label_rel[0]
                for a, b in located:
                    ent_value = value if len(located) == 1 else None
                    # The entity is the whole reference: `Kết luận số 01-KL/TW`, `khóa XI`.
                    if label == "DOC" and "doc_type" in spans and 0 < a - spans["doc_type"][1] <= 5:
                        a = spans["doc_type"][0]
                        ent_value = {"doc_type": fact.get("doc_type"), "number": value}
                    if label == "TERM" and text[max(0, a - 5):a].lower() in ("khóa ", "khoá "):
                        a -= 5
                    if label == "COUNT" and len(located) > 1:
                        ent_value = _leading_int(text[a:b])
                    slot_entity.setdefault(slot, entity(label, a, b, ent_value))
                    if len(located) > 1:
                        slot_entity[f"{slot}#{a}"] = entity(label, a, b, ent_value)
        if raw.get("approx"):
            bad = set(raw["approx"]) - set(FACT_SLOTS[ftype])
            if bad:
                raise CorpusError(f"{where}: approx names unknown slots {sorted(bad)}")
            fact["approx"] = dict(raw["approx"])
        fact["evidence"] = {"start": ev_start, "end": ev_end}
        fact["spans"] = spans
        facts.append(fact)
        head_slot = HEAD_SLOT.get(ftype)
        if head_slot and head_slot in slot_entity:
            head = slot_entity[head_slot]
            for key, tail in slot_entity.items():
                slot = key.split("#")[0]
                rel = SLOT_ENTITY[(ftype, slot)][1]
                if rel and (rel, head, tail) not in seen_rel:
                    seen_rel.add((rel, head, tail))
                    relations.append({"label": rel, "head": head, "tail": tail})
    meta = dict(src.get("meta") or {})
    meta["normalized"] = unicodedata.is_normalized("NFC", src["text"]) is False
    if src.get("published"):
        meta["published"] = src["published"]
    if isinstance(meta.get("province"), str):
        meta.update(_official_province(meta, text))
    period = meta.get("period")
    if period:
        pos = text.find(period["text"])
        if pos < 0:
            raise CorpusError(f"{doc_id}: meta.period text not in text")
        entity("PERIOD", pos, pos + len(period["text"]),
               {"start": period["start"], "end": period["end"]})
    entities.sort(key=lambda e: (e["start"], e["end"], e["label"]))
    remap = {e["id"]: i for i, e in enumerate(entities)}
    for i, e in enumerate(entities):
        e["id"] = i
    for r in relations:
        r["head"], r["tail"] = remap[r["head"]], remap[r["tail"]]
    out = {"id": doc_id, "split": real_split_of(doc_id) if real else split_of(doc_id), "text": text,
           "meta": meta, "entities": entities, "relations": relations, "facts": facts,
           "not_facts": list(src.get("not_facts", []))}
    if real:
        out["source"] = "real"
        out["selected_by"] = src.get("selected_by")
    return out


def _official_province(meta: dict[str, Any], text: str) -> dict[str, Any]:
    """An annotator writes the province as a name; the gold carries the
    gazetteer's official name and code for the report's date, as the
    extractor does (:mod:`vnreport_ie.province`)."""
    from .province import now, report_date, resolve

    on = report_date(meta.get("published"), meta.get("period"), meta.get("title") or text[:300])
    then, today = resolve(meta["province"], on), now(meta["province"])
    if then is None:
        raise CorpusError(f"meta.province {meta['province']!r} is not in the gazetteer")
    return {"province": then.to_dict(), "province_now": today.to_dict() if today else None}


def _leading_int(s: str) -> int | None:
    m = re.match(r"\d+(?:\.\d{3})*", s)
    return int(m.group().replace(".", "")) if m else None


def _check_value(where: str, ftype: str, slot: str, kind: str, value: Any) -> None:
    if value is None:
        return
    ok = {
        "int": isinstance(value, int) and not isinstance(value, bool),
        "bool": isinstance(value, bool),
        "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        "date": isinstance(value, str) and bool(ISO_DATE.match(value)),
        "duration": isinstance(value, str) and bool(ISO_DURATION.match(value)),
        "session": isinstance(value, str) and bool(value.strip()),
        "docnum": isinstance(value, str) and bool(value.strip()),
        "enum": value in ENUMS.get((ftype, slot), ()),
    }[kind]
    if not ok:
        raise CorpusError(f"{where}: {slot} has a bad value {value!r} for a {kind} slot")


# Number shapes that are covered without annotation: dates, periods, document
# numbers, terms, URLs. Anything else with a digit must be a slot or listed in
# not_facts, so that no number is silently left unannotated.
_COVERED = re.compile(
    r"https?://\S+"
    r"|\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}"
    r"|\d{1,2}\s*/\s*\d{4}"
    r"|(?:năm|Năm|tháng|Tháng|quý|Quý|ngày|Ngày)\s+\d{1,4}(?:\s*/\s*\d{4})?"
    r"|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"
    r"|\d{1,2}\s+tháng\s+(?:đầu|cuối)\s+năm"
    r"|\b\d+[\w/.-]*[-/][A-ZĐ][\w/.-]*"
    r"|\b\d{4}\b"
)
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def check_document(doc: dict[str, Any]) -> list[str]:
    """Problems of a built document (empty list when it is clean)."""
    problems: list[str] = []
    text = doc["text"]
    for e in doc["entities"]:
        if text[e["start"]:e["end"]] != e["text"]:
            problems.append(f"entity {e['id']} does not slice its text")
    ids = {e["id"] for e in doc["entities"]}
    for r in doc["relations"]:
        if r["head"] not in ids or r["tail"] not in ids:
            problems.append(f"relation {r} has an unknown endpoint")
    for n, f in enumerate(doc["facts"]):
        ev = f["evidence"]
        if not (0 <= ev["start"] < ev["end"] <= len(text)):
            problems.append(f"fact {n}: evidence out of range")
        for slot, (a, b) in f["spans"].items():
            kind = FACT_SLOTS[f["type"]][slot]
            if (kind == "str" or kind == "docnum" and text[a:b] == f[slot]) and _strip(text[a:b]) != _strip(f[slot]):
                problems.append(f"fact {n}: {slot} span {text[a:b]!r} != value {f[slot]!r}")
    if doc.get("source") == "real":
        return problems  # news is full of numbers: real articles list no not_facts
    covered = [(a, b) for f in doc["facts"] for a, b in f["spans"].values()]
    covered += [(e["start"], e["end"]) for e in doc["entities"]]
    covered += [(m.start(), m.end()) for m in _COVERED.finditer(text)]
    for s in doc.get("not_facts", []):
        start = text.find(s)
        if start < 0:
            problems.append(f"not_facts entry not in text: {s!r}")
        while start >= 0:
            covered.append((start, start + len(s)))
            start = text.find(s, start + 1)
    for m in _DIGITS.finditer(text):
        if not any(a <= m.start() and m.end() <= b for a, b in covered):
            ctx = text[max(0, m.start() - 30):m.end() + 30].replace("\n", " ")
            problems.append(f"number {m.group()!r} neither annotated nor in not_facts: ...{ctx}...")
    return problems


def _strip(s: str) -> str:
    return s.strip(" \t\n.,;:!?\"'“”‘’()[]…-–")


def read_sources(paths: Iterable[Path]) -> Iterator[tuple[Path, dict[str, Any]]]:
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            src = json.load(fh)
        # The seed keeps its text in the original .txt file, so it is never duplicated.
        if "text_file" in src and "text" not in src:
            src["text"] = (path.parent / src.pop("text_file")).read_text(encoding="utf-8")
        if "article" in src and "text" not in src:
            row = archive_article(src["article"], Path(path))
            src["text"], src["published"] = row["text"], _iso_day(row["date"])
            src.setdefault("meta", {}).setdefault("title", row["text"].split("\n", 1)[0])
        yield path, src


# Real articles are read from the shared archive by id, never copied into the project.
ARCHIVE = Path("data") / "dantri-news-2020.jsonl.gz"
HELDOUT = Path("data") / "heldout-ids.txt"


def shared_dir(start: Path | None = None) -> Path:
    """``../shared`` beside the repository (or ``$VNREPORT_SHARED``)."""
    import os

    env = os.environ.get("VNREPORT_SHARED")
    if env:
        return Path(env)
    here = (start or Path(__file__)).resolve()
    for p in [here, *here.parents]:
        if (p / "shared" / ARCHIVE).exists():
            return p / "shared"
    raise CorpusError("the shared archive was not found: put ../shared beside the repository "
                      "or set VNREPORT_SHARED")


_ARCHIVES: dict[Path, tuple[dict[str, dict[str, Any]], frozenset[str]]] = {}


def archive_article(article_id: str, near: Path | None = None) -> dict[str, Any]:
    """One article of the shared archive (``id``, ``date``, ``category``, ``text``).
    Held-out ids are refused: they are kept for independent evaluation."""
    import gzip

    shared = shared_dir(near)
    if shared not in _ARCHIVES:
        held = frozenset(s.strip() for s in (shared / HELDOUT).read_text(encoding="utf-8").splitlines()
                         if s.strip() and not s.startswith("#"))
        rows: dict[str, dict[str, Any]] = {}
        with gzip.open(shared / ARCHIVE, "rt", encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                if row["id"] not in held:
                    rows[row["id"]] = row
        _ARCHIVES[shared] = (rows, held)
    rows, held = _ARCHIVES[shared]
    if article_id in held:
        raise CorpusError(f"{article_id} is held out for independent evaluation: never annotate it")
    if article_id not in rows:
        raise CorpusError(f"{article_id}: no such article in {shared / ARCHIVE}")
    return rows[article_id]


def _iso_day(yyyymmdd: str) -> str:
    s = str(yyyymmdd)
    return f"{s[:4]}-{s[4:6]}-{s[6:8]}" if len(s) == 8 and s.isdigit() else s


def source_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.json") if p.is_file())


def build(src_roots: list[Path]) -> list[dict[str, Any]]:
    docs = []
    for root in src_roots:
        for path, src in read_sources(source_files(root)):
            try:
                docs.append(build_document(src))
            except CorpusError as exc:
                raise CorpusError(f"{path}: {exc}") from None
    return docs


def build_real(corpus_dir: Path) -> list[dict[str, Any]]:
    """The real articles of ``corpus_dir/real/src``, grounded in the texts of
    the shared archive (read now; never stored in the project)."""
    root = Path(corpus_dir) / "real" / "src"
    return build([root]) if root.exists() else []


def load_corpus(corpus_dir: str | Path, splits: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Team-written documents (``corpus.jsonl``) and real articles together.

    ``splits``: the names to keep; ``"test"`` means the team test split and
    real-test together, likewise ``"dev"`` and ``"train"``; ``"all"`` keeps
    everything. Real articles need ``../shared`` (see :func:`shared_dir`).
    """
    corpus_dir = Path(corpus_dir)
    docs = load_jsonl(corpus_dir / "corpus.jsonl") + build_real(corpus_dir)
    if splits is None:
        return docs
    want = set(splits)
    if "all" in want:
        return docs
    want |= {f"real-{s}" for s in want if s in SPLITS}
    return [d for d in docs if d["split"] in want]


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def write_jsonl(docs: Iterable[dict[str, Any]], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")


def main(argv: list[str]) -> int:
    """``python -m vnreport_ie.corpus FILE...``: ground and check source files."""
    bad = 0
    for path, src in read_sources(Path(a) for a in argv):
        try:
            doc = build_document(src)
        except CorpusError as exc:
            print(f"{path}: {exc}")
            bad += 1
            continue
        problems = check_document(doc)
        for p in problems:
            print(f"{path}: {p}")
        bad += bool(problems)
        if not problems:
            print(f"{path}: ok ({len(doc['facts'])} facts, {len(doc['entities'])} entities, "
                  f"{len(doc['relations'])} relations)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


def load_dataset_dict(corpus_dir: str | Path = "corpus"):
    """The corpus as a Hugging Face ``datasets.DatasetDict`` (train/dev/test).

    Entity values and facts vary in type (integers, ISO strings, periods), so
    they are kept as JSON strings: ``json.loads(row["facts"][0])``.
    """
    from datasets import Dataset, DatasetDict

    docs = load_jsonl(Path(corpus_dir) / "corpus.jsonl")
    rows: dict[str, list[dict[str, Any]]] = {s: [] for s in SPLITS}
    for d in docs:
        rows[d["split"]].append({
            "id": d["id"], "text": d["text"], "meta": json.dumps(d["meta"], ensure_ascii=False),
            "entities": [{"id": e["id"], "label": e["label"], "start": e["start"], "end": e["end"],
                          "text": e["text"], "value": json.dumps(e["value"], ensure_ascii=False)}
                         for e in d["entities"]],
            "relations": d["relations"],
            "facts": [json.dumps(f, ensure_ascii=False) for f in d["facts"]],
        })
    return DatasetDict({s: Dataset.from_list(r) for s, r in rows.items()})
