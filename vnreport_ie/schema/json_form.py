"""The JSON Schema (draft 2020-12) of a record, built from :mod:`.spec`.

The package ships the result as ``facts.schema.json`` for readers in other
languages; ``vnreport-ie schema`` prints it and ``make schema`` rewrites the
shipped file, which a test keeps equal to :func:`json_schema`.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from .spec import (DATE_PATTERN, DURATION_PATTERN, ENTITY_LABEL_PATTERN, FACT_TYPES, FULL_DATE_PATTERN, MAX_INT,
                   META_FIELDS, SCHEMA_VERSION, FactType, Slot)

SCHEMA_FILE = "facts.schema.json"
SCHEMA_ID = "https://vnreport-ie.example/schema/facts.v2.schema.json"

_NON_EMPTY = {"type": "string", "pattern": r"\S"}
_OFFSET = {"type": "integer", "minimum": 0}
_SCORE = {"type": "number", "minimum": 0, "maximum": 1}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    # A flat ``type: [T, "null"]`` rather than ``anyOf``, so that an error names
    # the keyword that failed (``maximum``, ``pattern``) instead of "not any of".
    if isinstance(schema.get("type"), str):
        return {**schema, "type": [schema["type"], "null"]}
    if "enum" in schema:
        return {"enum": [*schema["enum"], None]}
    return {"anyOf": [schema, {"type": "null"}]}


def _value(kind: str, values: tuple[str, ...] = ()) -> dict[str, Any]:
    """The JSON Schema of a non-null value of a slot type."""
    if kind == "enum":
        return {"enum": list(values)}
    return {
        "str": _NON_EMPTY,
        "int": {"type": "integer", "minimum": 0, "maximum": MAX_INT},
        "number": {"type": "number", "minimum": 0},
        "bool": {"type": "boolean"},
        "date": {"type": "string", "pattern": DATE_PATTERN},
        "duration": {"type": "string", "pattern": DURATION_PATTERN},
        "period": {"$ref": "#/$defs/period"},
        "province": {"$ref": "#/$defs/province"},
        "score": _SCORE,
    }[kind]


def _slot(slot: Slot) -> dict[str, Any]:
    schema = _nullable(_value(slot.type, slot.values))
    if slot.since > 1:
        schema["description"] = f"since schema v{slot.since}"
    return schema


def _fact(ftype: FactType) -> dict[str, Any]:
    names = list(ftype.names())
    return {
        "type": "object",
        "description": ftype.description,
        "properties": {
            "type": {"const": ftype.name},
            **{s.name: _slot(s) for s in ftype.slots},
            "approx": {"type": "object", "propertyNames": {"enum": names}, "additionalProperties": {"type": "string"},
                       "description": "the vague or hedged words of a slot (hàng trăm, hơn)"},
            "evidence": {"$ref": "#/$defs/evidence"},
            "spans": {"type": "object", "propertyNames": {"enum": names},
                      "additionalProperties": {"$ref": "#/$defs/span"}},
            "confidence": {**_SCORE, "description": "since schema v2: how sure the extractor is of the fact"},
        },
        # v1 slots are always written (null when the text does not say); v2 ones may be left out.
        "required": ["type", *ftype.names(1), "evidence", "spans"],
        "additionalProperties": False,
    }


def _meta() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {m.name: (_value(m.type) if m.type == "bool" else _nullable(_value(m.type)))
                       | ({"description": m.description} if m.description else {}) for m in META_FIELDS},
        "required": [m.name for m in META_FIELDS if m.since == 1],
        "additionalProperties": False,
    }


def _entity() -> dict[str, Any]:
    # A COUNT's value is its number, a DATE's its ISO date; other labels carry what their reader found.
    typed = {"COUNT": _value("int"), "DATE": _value("date")}
    return {
        "type": "object",
        "properties": {"id": _OFFSET, "label": {"type": "string", "pattern": ENTITY_LABEL_PATTERN},
                       "start": _OFFSET, "end": _OFFSET, "text": {"type": "string"}, "value": True},
        "required": ["id", "label", "start", "end", "text", "value"],
        "additionalProperties": False,
        "allOf": [{"if": {"properties": {"label": {"const": label}}},
                   "then": {"properties": {"value": _nullable(schema)}}} for label, schema in typed.items()],
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema of one output record (``Record.to_dict()``)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"vnreport_ie record (schema v{SCHEMA_VERSION})",
        "description": "One record per document: metadata, facts, and the entities and relations they were read "
                       "from. Offsets are str indices into the NFC form of the input. Generated from "
                       "vnreport_ie.schema; do not edit by hand.",
        "type": "object",
        "properties": {
            "id": {"type": ["string", "null"]},
            "schema_version": {"const": SCHEMA_VERSION},
            "meta": {"$ref": "#/$defs/meta"},
            "facts": {"type": "array", "items": {"$ref": "#/$defs/fact"}},
            "entities": {"type": "array", "items": {"$ref": "#/$defs/entity"}},
            "relations": {"type": "array", "items": {"$ref": "#/$defs/relation"}},
            "checks": {"type": "array", "items": {"$ref": "#/$defs/check"},
                       "description": "consistency checks, present when there is something to check"},
        },
        # schema_version is optional so that a v1 record is still a valid record.
        "required": ["id", "meta", "facts", "entities", "relations"],
        "additionalProperties": False,
        "$defs": {
            "meta": _meta(),
            "period": {"type": "object",
                       "properties": {"text": {"type": "string"},
                                      "start": {"type": "string", "pattern": FULL_DATE_PATTERN},
                                      "end": {"type": "string", "pattern": FULL_DATE_PATTERN}},
                       "required": ["text", "start", "end"], "additionalProperties": False},
            "province": {"type": "object", "properties": {"name": _NON_EMPTY, "code": _NON_EMPTY},
                         "required": ["name", "code"], "additionalProperties": False},
            "evidence": {"type": "object", "properties": {"start": _OFFSET, "end": _OFFSET},
                         "required": ["start", "end"], "additionalProperties": False},
            "span": {"type": "array", "prefixItems": [_OFFSET, _OFFSET], "minItems": 2, "maxItems": 2},
            "fact": {
                "type": "object",
                "properties": {"type": {"enum": [t.name for t in FACT_TYPES]}},
                "required": ["type"],
                "allOf": [{"if": {"properties": {"type": {"const": t.name}}},
                           "then": {"$ref": f"#/$defs/{t.name}"}} for t in FACT_TYPES],
            },
            **{t.name: _fact(t) for t in FACT_TYPES},
            "entity": _entity(),
            "check": {"type": "object", "description": "kind 'sum': a stated total against its listed parts",
                      "properties": {"kind": _NON_EMPTY, "fact_type": {"enum": [t.name for t in FACT_TYPES]},
                                     "slot": _NON_EMPTY, "total": {"type": "number"},
                                     "parts": {"type": "array", "items": {"type": "number"}},
                                     "agrees": {"type": "boolean"}},
                      "required": ["kind"]},
            "relation": {"type": "object",
                         "properties": {"label": {"type": "string", "pattern": ENTITY_LABEL_PATTERN},
                                        "head": _OFFSET, "tail": _OFFSET},
                         "required": ["label", "head", "tail"], "additionalProperties": False},
        },
    }


def dumps(schema: dict[str, Any] | None = None) -> str:
    """The schema as the shipped file writes it."""
    return json.dumps(json_schema() if schema is None else schema, ensure_ascii=False, indent=2) + "\n"


def shipped() -> str:
    """The text of the packaged ``facts.schema.json``."""
    return resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
