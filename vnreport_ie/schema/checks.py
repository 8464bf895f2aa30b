"""Validating a record: its shape against the JSON Schema, then what a JSON
Schema cannot say (entity ids that relations point to, dates that exist in the
calendar) and, given the input text, that every offset is grounded in it.

``jsonschema`` is imported on first use so that :mod:`.spec` stays importable
with the standard library alone.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from typing import Any

from .json_form import json_schema
from .spec import FACT_TYPE, MAX_INT

# Closed-class slots whose value is the canonical form (`Quyết định` for `quyết định`).
CANONICAL_CASE = frozenset({"doc_type"})


class SchemaError(ValueError):
    """A record that breaks the output schema; ``errors`` lists every problem."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} schema error(s): " + "; ".join(errors[:5]))
        self.errors = errors


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    schema = json_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _short(value: Any) -> str:
    """repr cut to 80 characters: a 100,000-digit value must not flood the report."""
    r = repr(value)
    return r if len(r) <= 80 else f"{r[:38]}...{r[-38:]} ({len(r)} chars)"


def _where(path: Any) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else f".{p}" if out else str(p)
    return out or "record"


def _date_exists(value: Any) -> bool:
    """The pattern admits February 29 of any year; the calendar decides."""
    if not isinstance(value, str) or not value.endswith("02-29"):
        return True
    year = value[:4]
    return not year.isdigit() or (int(year) % 4 == 0 and (int(year) % 100 != 0 or int(year) % 400 == 0))


def validate(record: Any, text: str | None = None, *, safe_ints: bool = True) -> list[str]:
    """Every way ``record`` (a Record or its dict) breaks the schema; empty when it is valid.

    The record goes through ``json.dumps``/``json.loads`` first, so what is
    checked is exactly what a JSON reader of the output sees. Given the input
    ``text``, offsets, entity texts and string slots are also checked against
    its NFC form. Without ``safe_ints`` integers above 2**53 are allowed.
    """
    as_dict = record.to_dict() if hasattr(record, "to_dict") else record
    try:
        rec = json.loads(json.dumps(as_dict, ensure_ascii=False, allow_nan=False))
    except (TypeError, ValueError) as exc:
        return [f"record is not JSON-serialisable: {exc}"]
    errs = []
    for e in sorted(_validator().iter_errors(rec), key=lambda e: list(map(str, e.absolute_path))):
        if e.validator == "maximum" and e.validator_value == MAX_INT:
            if safe_ints:
                errs.append(f"{_where(e.absolute_path)}: {_short(e.instance)} is not an integer in [0, 2**53]")
            continue
        errs.append(f"{_where(e.absolute_path)}: {_short(e.instance)}: {e.message[-120:]}")
    if errs:
        return errs  # the checks below rely on the shape
    errs += _references(rec)
    if text is not None:
        errs += _grounding(rec, text)
    return errs


def check(record: Any, text: str | None = None, *, safe_ints: bool = True) -> None:
    """Raise :class:`SchemaError` unless ``record`` is valid (see :func:`validate`)."""
    errs = validate(record, text, safe_ints=safe_ints)
    if errs:
        raise SchemaError(errs)


def _references(rec: dict[str, Any]) -> list[str]:
    errs = []
    ids: set[int] = set()
    for i, e in enumerate(rec["entities"]):
        if e["id"] in ids:
            errs.append(f"entities[{i}]: id {e['id']} is not unique")
        ids.add(e["id"])
        if e["end"] < e["start"]:
            errs.append(f"entities[{i}]: ends before it starts")
        if e["label"] == "DATE" and not _date_exists(e["value"]):
            errs.append(f"entities[{i}].value: {e['value']!r} is not a date that exists")
    for i, r in enumerate(rec["relations"]):
        if r["head"] not in ids or r["tail"] not in ids or r["head"] == r["tail"]:
            errs.append(f"relations[{i}]: head {r['head']} / tail {r['tail']} are not two entity ids")
    period = rec["meta"]["period"]
    if period is not None and period["start"] > period["end"]:
        errs.append(f"meta.period: {period!r} ends before it starts")
    for i, f in enumerate(rec["facts"]):
        for slot in FACT_TYPE[f["type"]].slots:
            if slot.type == "date" and not _date_exists(f.get(slot.name)):
                errs.append(f"facts[{i}].{slot.name}: {f[slot.name]!r} is not a date that exists")
        ev = f["evidence"]
        if ev["start"] >= ev["end"]:
            errs.append(f"facts[{i}].evidence: {ev!r} is empty")
        for slot, (a, b) in f["spans"].items():
            if a >= b:
                errs.append(f"facts[{i}].spans.{slot}: {[a, b]} is empty")
            elif f.get(slot) is None and slot not in f.get("approx", {}):
                errs.append(f"facts[{i}].spans.{slot}: a span for a null slot without approx")
    return errs


def _words(value: str, slot: str) -> str:
    words = re.sub(r"\s+", " ", value)  # a line break inside a name is a space; an extra edge space is not
    return words.casefold() if slot in CANONICAL_CASE else words


def _grounding(rec: dict[str, Any], source: str) -> list[str]:
    """Offsets index the NFC form of ``source``, and say so in ``meta.normalized``."""
    text = unicodedata.normalize("NFC", source)
    n = len(text)
    errs = []
    if rec["meta"]["normalized"] is not (text != source):
        errs.append(f"meta.normalized: {rec['meta']['normalized']!r} but the input "
                    f"{'is not' if text != source else 'is'} NFC")
    period = rec["meta"]["period"]
    if period is not None and period["text"] not in text:
        errs.append(f"meta.period: its text {_short(period['text'])} is not in the document")
    for i, e in enumerate(rec["entities"]):
        if e["end"] > n:
            errs.append(f"entities[{i}]: span [{e['start']}, {e['end']}] outside 0..{n}")
        elif text[e["start"]:e["end"]] != e["text"]:
            errs.append(f"entities[{i}]: text[{e['start']}:{e['end']}] = {_short(text[e['start']:e['end']])} "
                        f"!= {_short(e['text'])}")
    for i, f in enumerate(rec["facts"]):
        where = f"facts[{i}]"
        if f["evidence"]["end"] > n:
            errs.append(f"{where}.evidence: {f['evidence']!r} is not a span inside 0..{n}")
        approx = f.get("approx", {})
        if not all(v in text for v in approx.values()):
            errs.append(f"{where}.approx: {approx!r} is not {{slot: words of the text}}")
        types = {s.name: s.type for s in FACT_TYPE[f["type"]].slots}
        for slot, (a, b) in f["spans"].items():
            if b > n:
                errs.append(f"{where}.spans.{slot}: {[a, b]} outside 0..{n}")
            elif types[slot] == "str" and f.get(slot) is not None and _words(text[a:b], slot) != _words(f[slot], slot):
                # Free-text slots are the surface words of the text.
                errs.append(f"{where}.spans.{slot}: text[{a}:{b}] = {_short(text[a:b])} != {_short(f[slot])}")
    return errs
