"""The schema module: the shipped JSON Schema is the generated one, it is a
valid draft 2020-12 schema, and the module needs only the standard library."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

from jsonschema import Draft202012Validator

from vnreport_ie import schema
from vnreport_ie.schema.json_form import dumps, shipped

from .conftest import ROOT


def test_shipped_json_schema_is_the_generated_one():
    assert shipped() == dumps(), "run `make schema` to regenerate vnreport_ie/schema/facts.schema.json"


def test_json_schema_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(schema.json_schema())


def test_seed_record_validates(seed_record, seed_text):
    assert schema.validate(seed_record, seed_text) == []
    schema.check(seed_record, seed_text)


def test_check_raises_with_every_error():
    try:
        schema.check({"id": None, "meta": {}, "facts": [], "entities": [], "relations": []})
    except schema.SchemaError as exc:
        assert any("title" in e for e in exc.errors)
    else:
        raise AssertionError("an empty meta passed")


def test_imports_only_the_standard_library():
    # corpus.py reads its constants from the schema and must run on a bare python3.
    code = ("import sys; sys.modules['jsonschema'] = None\n"
            "import vnreport_ie.schema, vnreport_ie.corpus\n"
            "heavy = [m for m in ('spacy', 'numpy', 'jsonschema', 'pyarrow', 'sklearn') if sys.modules.get(m)]\n"
            "assert not heavy, heavy")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_relation_labels_agree_with_the_relation_stage():
    from vnreport_ie.relate import relation_label
    from vnreport_ie.types import Entity, EntityAttrs

    labels = ("COURSE", "EVENT", "DOC", "COUNT", "DATE", "ORG", "GROUP", "TOPIC", "TERM", "PER")
    classes = (None, "class", "person", "attendance", "meeting", "points", "papers", "other")
    for head, tail, cls in itertools.product(labels, labels, classes):
        h = Entity(0, head, 0, 1, "x")
        t = Entity(1, tail, 2, 3, "y", attrs=EntityAttrs(unit_class=cls))
        assert schema.relation_label(head, tail, cls) == relation_label(h, t), (head, tail, cls)


def test_v1_slots_keep_their_order_and_v2_slots_come_after():
    for t in schema.FACT_TYPES:
        v1, v2 = t.names(1), t.names(2)
        assert v2[:len(v1)] == v1  # records keep the v1 key order
        assert {s.name for s in t.slots if s.since == 2} >= {"date", "date_end"}


def test_schema_command_prints_the_json_schema():
    out = subprocess.run([sys.executable, "-m", "vnreport_ie", "schema"], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    assert json.loads(out) == schema.json_schema()


# Keys of a gold document that belong to the corpus, not to the output.
_CORPUS_ONLY = {"split", "text", "not_facts"}


def _shapes(rec: dict, into: dict[str, set[str]]) -> dict[str, set[str]]:
    """``{field path: JSON types seen}``; facts are keyed by type (``facts.training.course``)."""
    def kind(v):
        return ("null" if v is None else "bool" if isinstance(v, bool) else "int" if isinstance(v, int)
                else "number" if isinstance(v, float) else "str" if isinstance(v, str)
                else "list" if isinstance(v, list) else "object")

    def walk(prefix: str, obj: dict) -> None:
        for k, v in obj.items():
            into.setdefault(f"{prefix}{k}", set()).add(kind(v))
            if isinstance(v, dict) and k not in ("spans", "approx", "value"):
                walk(f"{prefix}{k}.", v)

    walk("", {k: v for k, v in rec.items() if k not in {"facts", "entities", "relations"} | _CORPUS_ONLY})
    for f in rec["facts"]:
        walk(f"facts.{f['type']}.", f)
    for key in ("entities", "relations"):
        for item in rec[key]:
            walk(f"{key}.", item)
    return into


def test_v1_fields_are_kept_by_the_current_output(seed_text):
    """Against the seed's v1 gold (frozen in tests/data as it was before v2): no
    field renamed, retyped or dropped; only v2 keys added."""
    import vnreport_ie

    v1_gold = json.loads((ROOT / "tests" / "data" / "seed_gold_v1.jsonl").read_text(encoding="utf-8"))
    # Every fact kept, whatever its confidence: the question is the fields, not the filter.
    seed_record = vnreport_ie.load(keep_all=True)(seed_text, v1_gold["id"]).to_dict()
    gold = _shapes(v1_gold, {})
    out = _shapes(seed_record, {})
    v2 = {f"facts.{t.name}.{s.name}" for t in schema.FACT_TYPES for s in t.slots if s.since > 1}
    dropped = sorted(p for p in gold if p not in out and not (p in v2 and gold[p] == {"null"}))
    assert not dropped, dropped
    retyped = {p: (gold[p], out[p]) for p in gold if p in out and (out[p] - {"null"}) - gold[p]
               and not (gold[p] <= {"null"})}
    assert not retyped, retyped
    # `checks` is output only (the extractor's own sums); gold never had it.
    # Only keys v2 adds: slots with since=2, confidence, and the v2 meta fields.
    v2_meta = {f"meta.{m.name}" for m in schema.META_FIELDS if m.since > 1}
    facts_v2 = v2 | {f"facts.{t.name}.confidence" for t in schema.FACT_TYPES}
    added = sorted(p for p in out if p not in gold and p != "checks"
                   and p not in facts_v2 and ".".join(p.split(".")[:2]) not in v2_meta)
    assert added == ["schema_version"], added
    assert seed_record["schema_version"] == 2


def test_corpus_source_kinds():
    kinds = schema.source_kinds()
    assert kinds["document"]["session"] == "session" and kinds["training"]["duration"] == "duration"
    assert kinds["training"]["plan_percent"] == "number" and kinds["tally"]["date"] == "date"
    ok = schema.source_value_ok
    assert ok("date", "--08-13") and ok("date", "2020-06") and not ok("date", "13/8")
    assert ok("duration", "P6M") and ok("duration", "P2W") and not ok("duration", "P") and not ok("duration", "6M")
    assert ok("number", 35.34) and ok("number", 64) and not ok("number", True)
    assert ok("enum", "planned", schema.enums()[("training", "status")])


def test_module_docstring_examples():
    import doctest

    result = doctest.testmod(schema)
    assert result.attempted >= 3 and result.failed == 0
