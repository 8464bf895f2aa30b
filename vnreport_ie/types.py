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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Entity:
    """A span of the text with its label and read value: ``COUNT`` "2 lớp"
    (value 2), ``DATE`` "18/5/2021" (value "2021-05-18"), ``ORG``, ``COURSE``...

    ``start``/``end`` are offsets into the NFC text (``text[start:end] ==
    entity.text``); ``id`` is its place in the record's ``entities`` (dense,
    in text order), which ``Relation.head``/``tail`` refer to.
    """

    id: int
    label: str
    start: int
    end: int
    text: str
    value: Any = None
    attrs: EntityAttrs = field(default=EntityAttrs(), compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The schema's JSON form: ``{"id", "label", "start", "end", "text", "value"}``."""
        return {"id": self.id, "label": self.label, "start": self.start, "end": self.end,
                "text": self.text, "value": self.value}


@dataclass(frozen=True, slots=True)
class Relation:
    """A labelled link between two entities of a record (``CLASSES``: a course
    and its count of classes); ``head`` and ``tail`` are entity ids. ``score``
    is the relation model's probability (not part of the JSON form)."""

    label: str
    head: int
    tail: int
    score: float = field(default=1.0, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The schema's JSON form: ``{"label", "head", "tail"}``."""
        return {"label": self.label, "head": self.head, "tail": self.tail}


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact: its ``type`` (``training``, ``meeting``, ``document``,
    ``review``, ``anniversary``, ``tally``) and its slots.

    - ``slots``: ``(name, value)`` pairs in the schema's order
      (:mod:`vnreport_ie.schema`); read one with ``fact.get("participants")``.
    - ``evidence``: ``(start, end)`` of the words that state the fact.
    - ``spans``: ``(slot, (start, end))``: where each filled slot was read.
    - ``approx``: ``(slot, hedge)`` for hedged or vague numbers (``"hơn"``,
      ``"hàng trăm"``).
    - ``confidence``: 0..1, how sure the extractor is (None without the model).

    >>> import vnreport_ie
    >>> text = "Trường Chính trị tỉnh đã mở 2 lớp Trung cấp Lý luận chính trị (111 học viên)."
    >>> fact = vnreport_ie.extract(text).facts[0]
    >>> fact.type, fact.get("classes"), text[slice(*dict(fact.spans)["participants"])]
    ('training', 2, '111 học viên')
    """

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
        """The value of ``slot`` (None when empty or not a slot of this type)."""
        return dict(self.slots).get(slot)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Fact":
        """The fact of its JSON form (the inverse of :meth:`to_dict`)."""
        own = ("type", "approx", "evidence", "spans", "confidence")
        return cls(d["type"], tuple((k, v) for k, v in d.items() if k not in own),
                   (d["evidence"]["start"], d["evidence"]["end"]),
                   tuple((k, (a, b)) for k, (a, b) in (d.get("spans") or {}).items()),
                   tuple((d.get("approx") or {}).items()), confidence=d.get("confidence"))

    def to_dict(self) -> dict[str, Any]:
        """The schema's JSON form: type, slots, ``approx``, ``evidence``, ``spans``, ``confidence``."""
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
    """Everything extracted from one text (frozen; ``to_dict()`` is its JSON,
    the contract of ``../shared/spec/facts.md`` v2, ``"schema_version": 2``).

    - ``id``: the document id given to the pipeline (or None).
    - ``meta``: ``title``, ``location``, ``period`` (the reporting period),
      ``author``, ``source_name``, ``source_url``, ``normalized`` (the input
      was not NFC; offsets refer to its NFC form), and when known
      ``published``, ``province`` / ``province_now`` (``{"name", "code"}``)
      and ``relevance`` (0..1: how much the text is about party and
      government work).
    - ``facts``: the :class:`Fact` objects, in text order.
    - ``entities``: the :class:`Entity` spans the facts (and the period) were
      read from; ``relations``: the :class:`Relation` links among them.
    - ``checks``: totals next to their listed parts, and whether they agree.

    >>> import vnreport_ie
    >>> record = vnreport_ie.extract("Huyện ủy đã kết nạp 25 đảng viên mới.", id="r1")
    >>> record.id, [(f.type, f.get("value")) for f in record.facts]
    ('r1', [('tally', 25)])
    >>> sorted(record.to_dict())
    ['entities', 'facts', 'id', 'meta', 'relations', 'schema_version']
    """

    id: str | None
    meta: dict[str, Any]
    facts: tuple[Fact, ...]
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...]
    checks: tuple[dict[str, Any], ...] = ()

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Record":
        """The record of its JSON form (``Record.from_dict(r.to_dict()) == r``;
        what is not part of the JSON form, such as ``Fact.sources``, is empty)."""
        return cls(d.get("id"), dict(d.get("meta") or {}), tuple(Fact.from_dict(f) for f in d.get("facts") or ()),
                   tuple(Entity(e["id"], e["label"], e["start"], e["end"], e["text"], e.get("value"))
                         for e in d.get("entities") or ()),
                   tuple(Relation(r["label"], r["head"], r["tail"]) for r in d.get("relations") or ()),
                   tuple(dict(c) for c in d.get("checks") or ()))

    def to_dict(self) -> dict[str, Any]:
        """The record as the schema's JSON object (``json.dumps`` it as is)."""
        d = {"id": self.id, "schema_version": SCHEMA_VERSION, "meta": dict(self.meta),
             "facts": [f.to_dict() for f in self.facts],
             "entities": [e.to_dict() for e in self.entities],
             "relations": [r.to_dict() for r in self.relations]}
        if self.checks:
            d["checks"] = [dict(c) for c in self.checks]
        return d
