"""Value types of the pipeline. Their ``to_dict()`` form is the JSON schema of
``../shared/spec/facts.md``; nothing else defines the output."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from spacy.tokens import Doc

from .schema import SCHEMA_VERSION

# Pipeline state travels on the spaCy Doc, so every stage is a plain
# ``__call__(doc) -> doc`` and the data flows one way. The names carry a
# ``vnr_`` prefix: ``doc._`` is shared by every spaCy plugin in the process.
# ``vnr_sentences``: (start, end, paragraph) of each sentence, as the tokenizer
# cut them; ``vnr_skipped``: the sentence spans it left unanalysed (see scan.py).
EXTENSION_PREFIX = "vnr_"
EXTENSIONS = tuple(EXTENSION_PREFIX + n for n in (
    "entities", "relations", "facts", "meta", "source_text", "work", "sentences", "skipped"))
for _name in EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def work_text(doc: Doc) -> str:
    """The text the stages read: kept by the tokenizer, since ``Doc.text``
    rebuilds it token by token on every call."""
    work = doc._.vnr_work
    return work if work is not None else doc.text


class Candidate(NamedTuple):
    """An entity as the tagger's rules and the phrase model propose it, before
    overlaps are resolved and ids given; ``attrs`` become ``Entity.attrs``."""

    label: str
    start: int
    end: int
    value: Any
    attrs: dict[str, Any]


@dataclass(frozen=True)
class EntityAttrs:
    """What later stages read about an entity besides its span and value (the
    relation features, the assembler's choices); not part of the JSON form.
    A field the tagger does not set keeps its default."""

    sent: int = 0  # sentence index in the text
    para: int = 0  # paragraph index
    # COUNT: the unit noun (lower case), its class, the hedge or vague amount,
    # and whether `cho` made it a headcount.
    unit: str | None = None
    unit_class: str | None = None
    approx: str | None = None
    via_cho: bool = False
    # COURSE / EVENT: named with a count of its own; a course with a colon
    # after it, a listed item, a total (`đào tạo ... cho N`).
    counted: bool | None = None
    has_colon: bool = False
    item: bool = False
    total: bool = False
    held: bool = False  # EVENT without a count, with a verb telling it was held (a single meeting)
    event: bool = False  # COURSE told opened or closed (`khai giảng lớp ...`)
    uncounted: bool = False  # GROUP without a count (`cho các đối tượng ...`)
    subject: bool = False  # ORG opening its clause
    quoted: bool | None = None  # TOPIC in quotes
    role: str | None = None  # DURATION / EVENT: "anniversary" or "review"
    kind: str | None = None  # DATE: which pattern (dmy, dmy_words, my, y)
    review_end: int | None = None  # REVIEW: where the reviewed document may start
    type_span: tuple[int, int] | None = None  # DOC: the type's characters
    number_span: tuple[int, int] | None = None  # DOC: the number's characters
    issued_span: tuple[int, int] | None = None  # DOC: a law's year (`Luật Giáo dục năm 2019`)
    title_span: tuple[int, int] | None = None  # DOC: a law's name
    session_span: tuple[int, int] | None = None  # DOC: the plenum or congress that passed it
    term_span: tuple[int, int] | None = None  # DOC: the term in its session (`khóa XII`)
    learned: bool = False  # added by the phrase model, not a rule
    of_count: int | None = None  # ACTIVITY told after its count (a passive): where that count starts


@dataclass(frozen=True)
class Entity:
    id: int
    label: str
    start: int
    end: int
    text: str
    value: Any = None
    attrs: EntityAttrs = field(default=EntityAttrs(), compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "start": self.start, "end": self.end,
                "text": self.text, "value": self.value}


@dataclass(frozen=True)
class Relation:
    label: str
    head: int
    tail: int
    score: float = field(default=1.0, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "head": self.head, "tail": self.tail}


@dataclass(frozen=True)
class Fact:
    type: str
    slots: tuple[tuple[str, Any], ...]
    evidence: tuple[int, int]
    spans: tuple[tuple[str, tuple[int, int]], ...] = ()
    approx: tuple[tuple[str, str], ...] = ()
    # Ids of the entities the fact was read from; the record keeps those. Not part of the JSON form.
    sources: tuple[int, ...] = field(default=(), compare=False, repr=False)
    # How sure the extractor is (spec v2, 0..1); None when no confidence model is loaded.
    confidence: float | None = None

    def get(self, slot: str) -> Any:
        return dict(self.slots).get(slot)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"type": self.type, **dict(self.slots)}
        if self.approx:
            d["approx"] = dict(self.approx)
        d["evidence"] = {"start": self.evidence[0], "end": self.evidence[1]}
        d["spans"] = {k: [a, b] for k, (a, b) in self.spans}
        if self.confidence is not None:
            d["confidence"] = self.confidence
        return d


@dataclass(frozen=True)
class Record:
    id: str | None
    meta: dict[str, Any]
    facts: tuple[Fact, ...]
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...]
    checks: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = {"id": self.id, "schema_version": SCHEMA_VERSION, "meta": dict(self.meta),
             "facts": [f.to_dict() for f in self.facts],
             "entities": [e.to_dict() for e in self.entities],
             "relations": [r.to_dict() for r in self.relations]}
        if self.checks:
            d["checks"] = [dict(c) for c in self.checks]
        return d
