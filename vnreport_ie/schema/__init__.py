"""One source of truth for the output: ``../shared/spec/facts.md`` (v2) as code.

>>> from vnreport_ie import schema
>>> schema.FACT_TYPE["training"].names(version=1)
('course', 'classes', 'participants', 'participant_group', 'organizer', 'status')
>>> schema.FACT_TYPE["training"].slot("duration").type
'duration'
>>> schema.validate({"id": None})[0]
"record: {'id': None}: 'meta' is a required property"

- :mod:`.spec`: fact types, slots and their types, enums, order, meta fields,
  and the entity and relation each slot becomes in the corpus.
- :mod:`.json_form`: the JSON Schema built from them (shipped as
  ``facts.schema.json``).
- :mod:`.checks`: ``validate(record, text)`` and ``check(record, text)``.

Importing this package needs only the standard library; ``validate`` loads
``jsonschema`` on first use.
"""

from __future__ import annotations

from .checks import SchemaError, check, validate
from .json_form import SCHEMA_FILE, json_schema
from .spec import (DATE_PATTERN, DURATION_PATTERN, FACT_KEYS, FACT_TYPE, FACT_TYPES, ISO_DATE, ISO_DURATION,
                   MAX_INT, META_FIELDS, RELATION_LABELS, SCHEMA_VERSION, SLOT_TYPES, FactType, MetaField, Slot,
                   enums, head_slots, relation_label, slot_entities, slot_order, slot_types, source_kinds,
                   source_value_ok)

__all__ = [
    "SCHEMA_VERSION", "SLOT_TYPES", "FACT_KEYS", "FACT_TYPES", "FACT_TYPE", "META_FIELDS", "RELATION_LABELS",
    "DATE_PATTERN", "DURATION_PATTERN", "ISO_DATE", "ISO_DURATION", "MAX_INT", "SCHEMA_FILE",
    "Slot", "FactType", "MetaField", "SchemaError",
    "slot_order", "slot_types", "source_kinds", "source_value_ok", "enums", "head_slots", "slot_entities", "relation_label",
    "json_schema", "validate", "check",
]
