"""The output contract of ``../shared/spec/facts.md`` (v2) as data.

Everything that needs to know the fact types, their slots, what each slot
holds, or which entity and relation a slot becomes in the corpus reads it from
here: the assembler's slot order, the corpus builder, the batch fact tables,
the CLI table, the JSON Schema and the validator.

Standard library only: ``python3 -m vnreport_ie.corpus`` must run without the
project's dependencies installed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

SCHEMA_VERSION = 2

# What a slot holds. ``date``: ISO at the precision the text gives, or
# ``--MM-DD`` when no year can be known; ``duration``: ISO 8601 (``P6M``).
SLOT_TYPES = ("str", "int", "number", "bool", "date", "enum", "duration")

# Keys of a fact besides its slots.
FACT_KEYS = ("type", "evidence", "spans", "approx", "confidence")

# A date that exists at year, month or day precision, or a month-day with no year.
# February 29 of a non-leap year passes the pattern; the validator checks the calendar.
_MD = r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|02-(?:0[1-9]|1\d|2\d))"
DATE_PATTERN = rf"^(?:\d{{4}}(?:-(?:0[1-9]|1[0-2])|-{_MD})?|--{_MD})$"
FULL_DATE_PATTERN = rf"^\d{{4}}-{_MD}$"
DURATION_PATTERN = r"^P(?=\d)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?$"
ENTITY_LABEL_PATTERN = r"^[A-Z][A-Z_]*$"
ISO_DATE = re.compile(DATE_PATTERN)
ISO_DURATION = re.compile(DURATION_PATTERN)

# Beyond this an integer is not a count of anything in a report, and JSON
# readers that use doubles (JavaScript) would silently change it (RFC 7493 2.2).
MAX_INT = 2**53


@dataclass(frozen=True)
class Slot:
    """One slot of a fact type.

    ``entity`` / ``relation``: the entity label the slot's words become in the
    corpus, and the relation from the fact's head entity to it (None: the slot
    gives no entity, or the entity is not related to the head).
    ``source_kind``: how a corpus source writes the slot when that differs from
    ``type`` (``session`` is a string but written ``[surface, value]``).
    """

    name: str
    type: str
    since: int = 1
    values: tuple[str, ...] = ()
    entity: str | None = None
    relation: str | None = None
    source_kind: str | None = None

    def __post_init__(self) -> None:
        if self.type not in SLOT_TYPES:
            raise ValueError(f"slot {self.name}: unknown type {self.type!r}")
        if (self.type == "enum") != bool(self.values):
            raise ValueError(f"slot {self.name}: enum values go with the enum type only")

    @property
    def kind(self) -> str:
        """The corpus-source kind: ``str`` means the source writes the words
        only; every other kind is written ``[surface, value]``."""
        return self.source_kind or self.type

    def to_dict(self) -> dict[str, Any]:
        """As JSON (``vnreport-ie schema`` and the docs read it)."""
        return {"name": self.name, "type": self.type, "since": self.since, "values": list(self.values),
                "entity": self.entity, "relation": self.relation, "kind": self.kind}


@dataclass(frozen=True)
class FactType:
    """A fact type: its slots in output order, and the slot whose entity heads
    the fact's relations in the corpus (None: the fact has no relations)."""

    name: str
    description: str
    slots: tuple[Slot, ...]
    head: str | None = None

    def slot(self, name: str) -> Slot:
        """The slot called ``name`` (KeyError if the type has none)."""
        for s in self.slots:
            if s.name == name:
                return s
        raise KeyError(f"{self.name} has no slot {name!r}")

    def names(self, version: int = SCHEMA_VERSION) -> tuple[str, ...]:
        """Slot names in output order, as of schema ``version``."""
        return tuple(s.name for s in self.slots if s.since <= version)

    def to_dict(self) -> dict[str, Any]:
        """As JSON, with its slots."""
        return {"name": self.name, "description": self.description, "head": self.head,
                "slots": [s.to_dict() for s in self.slots]}


def _dates() -> tuple[Slot, ...]:
    # Every fact type ends with when it happened (v2); a range adds its last day.
    return (Slot("date", "date", since=2, entity="DATE"), Slot("date_end", "date", since=2, entity="DATE"))


FACT_TYPES: tuple[FactType, ...] = (
    FactType("training", "a course, class or training programme", (
        Slot("course", "str", entity="COURSE"),
        Slot("classes", "int", entity="COUNT", relation="CLASSES"),
        Slot("participants", "int", entity="COUNT", relation="PARTICIPANTS"),
        Slot("participant_group", "str", entity="GROUP", relation="GROUP"),
        Slot("organizer", "str", entity="ORG", relation="ORGANIZER"),
        Slot("status", "enum", values=("planned", "opened", "ongoing", "completed")),
        *_dates(),
        Slot("duration", "duration", since=2, entity="DURATION"),
        Slot("graduates", "int", since=2, entity="COUNT"),
        Slot("plan_percent", "number", since=2),
    ), head="course"),
    FactType("meeting", "a conference, workshop, seminar or study session", (
        Slot("kind", "str", entity="EVENT"),
        Slot("count", "int", entity="COUNT", relation="EVENT_COUNT"),
        Slot("mode", "enum", values=("online", "in_person", "hybrid")),
        Slot("connection_points", "int", entity="COUNT", relation="POINTS"),
        Slot("participants", "int", entity="COUNT", relation="PARTICIPANTS"),
        Slot("participants_are_attendances", "bool"),
        Slot("participant_group", "str", entity="GROUP", relation="GROUP"),
        Slot("organizer", "str", entity="ORG", relation="ORGANIZER"),
        Slot("topic", "str", entity="TOPIC", relation="TOPIC"),
        Slot("papers", "int", entity="COUNT", relation="PAPERS"),
        *_dates(),
    ), head="kind"),
    FactType("document", "a referenced resolution, directive, conclusion, regulation, decision, plan or law", (
        Slot("doc_type", "str"),
        Slot("number", "str", entity="DOC", source_kind="docnum"),  # `["217", "217-QĐ/TW"]` for shared suffixes
        Slot("issued_date", "date", entity="DATE", relation="ISSUED_ON"),
        Slot("issuer", "str", entity="ORG", relation="ISSUED_BY"),
        Slot("term", "str", entity="TERM", relation="TERM"),
        Slot("title", "str", entity="TOPIC", relation="TITLE"),
        Slot("session", "str", since=2, source_kind="session"),
        *_dates(),
    ), head="number"),
    FactType("review", "a review (sơ kết, tổng kết) of how a document or a field of work was carried out", (
        Slot("kind", "enum", values=("sơ kết", "tổng kết")),
        Slot("years", "int", entity="DURATION"),
        Slot("document", "str"),
        Slot("duration", "duration", since=2, entity="DURATION"),
        Slot("subject", "str", since=2),
        Slot("organizer", "str", since=2, entity="ORG"),
        *_dates(),
    )),
    FactType("anniversary", "a commemoration", (
        Slot("years", "int", entity="DURATION"),
        Slot("event", "str", entity="EVENT"),
        *_dates(),
    )),
    FactType("tally", "any other counted activity of party, state or mass-organisation work", (
        Slot("activity", "str", entity="ACTIVITY"),
        Slot("value", "int", entity="COUNT"),
        Slot("unit", "str", entity="UNIT"),
        Slot("organizer", "str", since=2, entity="ORG"),
        Slot("plan_percent", "number", since=2),
        *_dates(),
    )),
)
FACT_TYPE: dict[str, FactType] = {t.name: t for t in FACT_TYPES}


@dataclass(frozen=True)
class MetaField:
    """A key of the record's ``meta``. v1 keys are always present (null when
    unknown); v2 keys are optional. ``type`` is a slot type or ``period`` /
    ``province`` (objects) or ``score`` (a number in 0..1)."""

    name: str
    type: str
    since: int = 1
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        """As JSON."""
        return {"name": self.name, "type": self.type, "since": self.since, "description": self.description}


META_FIELDS: tuple[MetaField, ...] = (
    MetaField("title", "str", description="the first line, when it reads as a title"),
    MetaField("location", "str", description="the province, city or unit the report is about, as written"),
    MetaField("period", "period", description="the reporting period the whole report covers"),
    MetaField("author", "str"),
    MetaField("source_name", "str"),
    MetaField("source_url", "str"),
    MetaField("normalized", "bool", description="true when the input was not NFC and offsets refer to its NFC form"),
    MetaField("province", "province", since=2, description="the province-level unit, official name and code"),
    MetaField("province_now", "province", since=2, description="the unit that province belongs to today"),
    MetaField("published", "date", since=2, description="publication date passed with the input"),
    MetaField("relevance", "score", since=2, description="how much the document is about party and state work"),
)


def slot_order(version: int = SCHEMA_VERSION) -> dict[str, tuple[str, ...]]:
    """``{fact type: slot names in output order}`` as of schema ``version``."""
    return {t.name: t.names(version) for t in FACT_TYPES}


def slot_types(version: int = SCHEMA_VERSION) -> dict[str, dict[str, str]]:
    """``{fact type: {slot: slot type}}`` as of schema ``version``."""
    return {t.name: {s.name: s.type for s in t.slots if s.since <= version} for t in FACT_TYPES}


def source_kinds() -> dict[str, dict[str, str]]:
    """``{fact type: {slot: corpus-source kind}}`` for every slot (``corpus.FACT_SLOTS``)."""
    return {t.name: {s.name: s.kind for s in t.slots} for t in FACT_TYPES}


def enums() -> dict[tuple[str, str], set[str]]:
    """``{(fact type, slot): allowed values}`` of the enum slots (``corpus.ENUMS``)."""
    return {(t.name, s.name): set(s.values) for t in FACT_TYPES for s in t.slots if s.type == "enum"}


def head_slots() -> dict[str, str]:
    """``{fact type: the slot whose entity heads its relations}`` (``corpus.HEAD_SLOT``)."""
    return {t.name: t.head for t in FACT_TYPES if t.head}


def slot_entities() -> dict[tuple[str, str], tuple[str, str | None]]:
    """``{(fact type, slot): (entity label, relation label or None)}`` for the
    slots that give an entity of their own (``corpus.SLOT_ENTITY``)."""
    return {(t.name, s.name): (s.entity, s.relation) for t in FACT_TYPES for s in t.slots if s.entity}


# The relation a (head, tail) entity pair can have. A COUNT tail is named by
# its unit class (``class``, ``person``...), any other tail by its label.
RELATION_LABELS: dict[tuple[str, str], str] = {
    ("COURSE", "class"): "CLASSES", ("COURSE", "person"): "PARTICIPANTS", ("COURSE", "attendance"): "PARTICIPANTS",
    ("EVENT", "meeting"): "EVENT_COUNT", ("EVENT", "points"): "POINTS", ("EVENT", "person"): "PARTICIPANTS",
    ("EVENT", "attendance"): "PARTICIPANTS", ("EVENT", "papers"): "PAPERS",
    ("DOC", "DATE"): "ISSUED_ON", ("DOC", "ORG"): "ISSUED_BY", ("DOC", "TERM"): "TERM", ("DOC", "TOPIC"): "TITLE",
}
# Tails every non-document head relates to the same way.
SHARED_RELATIONS: dict[str, str] = {"GROUP": "GROUP", "ORG": "ORGANIZER", "TOPIC": "TOPIC"}


def relation_label(head: str, tail: str, unit_class: str | None = None) -> str | None:
    """The only relation label an entity pair can have (``relate.relation_label``
    on labels): ``head`` and ``tail`` are entity labels, ``unit_class`` the
    COUNT tail's unit class."""
    if tail == "COUNT":
        return RELATION_LABELS.get((head, unit_class or ""))
    if head == "DOC":
        return RELATION_LABELS.get((head, tail))
    return SHARED_RELATIONS.get(tail)


def source_value_ok(kind: str, value: Any, values: tuple[str, ...] | set[str] = ()) -> bool:
    """Whether a corpus source's ``value`` fits a slot of ``kind`` (see :attr:`Slot.kind`);
    ``values``: the allowed values of an enum slot. Null always fits."""
    if value is None:
        return True
    if kind in ("str", "session"):
        return isinstance(value, str) and bool(value.strip())
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "date":
        return isinstance(value, str) and bool(ISO_DATE.match(value))
    if kind == "duration":
        return isinstance(value, str) and bool(ISO_DURATION.match(value))
    if kind == "enum":
        return value in values
    raise ValueError(f"unknown slot kind {kind!r}")
