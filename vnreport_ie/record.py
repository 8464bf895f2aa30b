"""Stage 6: the record: document metadata, facts, entities, relations, checks."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from spacy.tokens import Doc

from .layout import lead_bounds
from .confidence import CONFIDENCE_FILE, THRESHOLD, ConfidenceModel
from .province import province_meta, report_date
from .relevance import RELEVANCE_FILE, RelevanceModel
from .types import Entity, Fact, Record, Relation, work_text

_URL = re.compile(r"https?://\S+")
_SOURCE = re.compile(r"^\s*(?:Nguồn|Theo)\s*[:\-]?\s*(?P<name>[^:\n]*?)\s*(?::\s*|\s+|\(|$)(?P<url>https?://\S+)?\)?\s*$")
_NAME_LINE = re.compile(r"^(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s+){1,4}[A-ZĐÀ-Ỹ][\wÀ-ỹ]*$")
_LOCATION = re.compile(r"(?:tỉnh|thành phố|TP\.?|huyện|thị xã|quận)\s+((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*){0,3})")
_TITLE_PREFIX = re.compile(r"^([A-ZĐÀ-Ỹ][^:\n]{1,40}?)\s*:\s")


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, line))
        pos += len(line) + 1
    return out


def extract_meta(text: str, ents: tuple[Entity, ...], normalized: bool) -> tuple[dict[str, Any], Entity | None]:
    """The record's ``meta``, and the entity its reporting period was read from."""
    lines = _lines(text)
    title = None
    if lines and len(lines[0][1].strip()) <= 300 and len(lines) > 1:
        title = lines[0][1].strip()
    location = None
    if title:
        m = _TITLE_PREFIX.match(title)
        if m and len(m.group(1).split()) <= 6:
            location = m.group(1).strip()
    if location is None:
        m = _LOCATION.search(text[:3000])
        if m:
            location = m.group(1)
    title_end, lead_end = lead_bounds(text)
    period, source = None, None
    periods = [e for e in ents if e.label == "PERIOD"]
    for e in periods:
        if e.start < lead_end:
            period = {"text": e.text, "start": e.value["start"], "end": e.value["end"]}
            source = e
            break
    if period is None:
        for e in ents:
            if e.label == "DATE" and e.start < max(title_end, 1) and len(str(e.value)) == 4:
                y = e.value
                period = {"text": e.text, "start": f"{y}-01-01", "end": f"{y}-12-31"}
                source = e
                break
    source_name, source_url, author = None, None, None
    tail = lines[-6:]
    for _pos, line in reversed(tail):
        m = _SOURCE.match(line)
        if m and source_name is None:
            source_name = (m.group("name") or "").strip() or None
            source_url = m.group("url")
            continue
        stripped = line.strip().strip("()")
        if author is None and _NAME_LINE.match(stripped) and len(stripped) <= 40 and (_pos, line) != lines[0]:
            author = stripped
            break
    if source_url is None:
        for _pos, line in tail:
            u = _URL.search(line)
            if u:
                source_url = u.group().rstrip(").,")
    return {"title": title, "location": location, "period": period, "author": author,
            "source_name": source_name, "source_url": source_url, "normalized": normalized}, source


def sum_checks(facts: tuple[Fact, ...], text: str) -> tuple[dict[str, Any], ...]:
    """A stated total next to its listed parts: do the parts add up?"""
    checks = []
    trainings = [f for f in facts if f.type == "training"]
    for i, f in enumerate(trainings):
        total = f.get("participants")
        if total is None or f.get("classes") is not None:
            continue
        colon = text.find(":", f.evidence[1], f.evidence[1] + 40)
        if colon < 0:
            continue
        parts = []
        for g in trainings[i + 1:]:
            if g.evidence[0] < colon:
                continue
            if re.search(r"[.!?]\s+[A-ZĐÀ-Ỹ]|\n(?!\s*[-+•*–])", text[colon:g.evidence[0]]):
                break  # the list ended with its sentence
            if g.get("participants") is not None:
                parts.append(g.get("participants"))
        if len(parts) >= 2:
            checks.append({"kind": "sum", "fact_type": "training", "slot": "participants",
                           "total": total, "parts": parts, "agrees": sum(parts) == total})
    return tuple(checks)


class Recorder:
    """``Recorder(relevance, confidence, keep_all)(doc, id) -> Record``: the last stage, outside the Doc.

    With a relevance model, ``meta.relevance`` says how much the document is
    about party and government work; with a confidence model too, each fact
    gets ``confidence`` and, unless ``keep_all``, facts below
    :data:`~vnreport_ie.confidence.THRESHOLD` are left out (spec v2, "Scope").
    """

    name = "record"

    def __init__(self, relevance: RelevanceModel | None = None, confidence: ConfidenceModel | None = None,
                 keep_all: bool = False) -> None:
        self.relevance = relevance
        self.confidence = confidence
        self.keep_all = keep_all

    @classmethod
    def load(cls, model_dir: Any = None, keep_all: bool = False, scope: bool = True) -> "Recorder":
        """The recorder with the packaged scope models (or those in ``model_dir``);
        ``scope=False`` leaves relevance and confidence out."""
        from pathlib import Path

        from .resources import default_model_dir

        d = Path(model_dir) if model_dir else default_model_dir()
        if not scope:
            return cls(keep_all=keep_all)
        return cls(RelevanceModel.load(d / RELEVANCE_FILE), ConfidenceModel.load(d / CONFIDENCE_FILE), keep_all)

    def __call__(self, doc: Doc, doc_id: str | None = None) -> Record:
        text = doc._.vnr_source_text
        ents = doc._.vnr_entities or ()
        given = doc._.vnr_meta or {}
        meta, period = extract_meta(work_text(doc), ents, bool(given.get("normalized")))
        meta.update(_v2_meta(meta, text, given.get("published")))
        facts = doc._.vnr_facts or ()
        if self.relevance is not None:
            meta["relevance"] = round(self.relevance.score(text), 4)
            if self.confidence is not None:
                facts = self._score(facts, text, meta["relevance"])
        # The record lists what its facts and meta were read from (the spec's
        # "output that the facts were built from"), so a record depends only
        # on the sentences that hold facts: see scan.py.
        keep = {i for f in facts for i in f.sources} | ({period.id} if period is not None else set())
        public = tuple(e for e in ents if e.id in keep and e.label != "REVIEW")
        # Entity ids in the record are dense and in text order.
        remap = {e.id: i for i, e in enumerate(public)}
        # (Built directly: ``dataclasses.replace`` costs several times more per value.)
        ents_out = tuple(Entity(remap[e.id], e.label, e.start, e.end, e.text, e.value, e.attrs) for e in public)
        rels = tuple(Relation(r.label, remap[r.head], remap[r.tail], r.score) for r in (doc._.vnr_relations or ())
                     if r.head in remap and r.tail in remap)
        return Record(doc_id, meta, facts, ents_out, rels, sum_checks(facts, text))

    def _score(self, facts: tuple[Fact, ...], text: str, relevance: float) -> tuple[Fact, ...]:
        assert self.confidence is not None
        scored = tuple(replace(f, confidence=round(self.confidence.score(f.to_dict(), text, relevance), 4))
                       for f in facts)
        return scored if self.keep_all else tuple(f for f in scored if (f.confidence or 0.0) >= THRESHOLD)


def _v2_meta(meta: dict[str, Any], text: str, published: str | None) -> dict[str, Any]:
    """``meta.published`` as given, and the province in official form for the
    report's date (:mod:`vnreport_ie.province`)."""
    on = report_date(published, meta.get("period"), meta.get("title"))
    out = province_meta(meta.get("location"), text, on)
    if published:
        out["published"] = published
    return out
