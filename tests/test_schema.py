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
    from vnreport_ie.types import Entity

    labels = ("COURSE", "EVENT", "DOC", "COUNT", "DATE", "ORG", "GROUP", "TOPIC", "TERM", "PER")
    classes = (None, "class", "person", "attendance", "meeting", "points", "papers", "other")
    for head, tail, cls in itertools.product(labels, labels, classes):
        h = Entity(0, head, 0, 1, "x")
        t = Entity(1, tail, 2, 3, "y", attrs=(("unit_class", cls),) if cls else ())
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
