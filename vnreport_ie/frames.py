"""Records as pandas DataFrames: one tidy table per fact type.

>>> import vnreport_ie
>>> text = "Trường Chính trị tỉnh đã mở 2 lớp Trung cấp Lý luận chính trị (111 học viên)."
>>> t = vnreport_ie.to_frames([vnreport_ie.extract(text, "d1")], texts={"d1": text})["training"]
>>> t.loc[0, ["doc_id", "course_type", "classes", "participants"]].astype(str).tolist()
['d1', 'trung_cap_llct', '2', '111']
>>> str(t["participants"].dtype), text[t.loc[0, "participants_start"]:t.loc[0, "participants_end"]]
('Int64', '111 học viên')

Columns of every table, in this order (the slot list comes from
:mod:`vnreport_ie.schema`, never from here):

- ``doc_id``, ``fact_index`` (the fact's position in its record);
- one column per schema slot, in the schema's order: ``int`` slots as
  ``Int64``, ``number`` as ``Float64``, ``bool`` as ``boolean``, everything
  else (text, ISO dates at the text's precision, durations, enums) as
  ``string``; a training adds ``course_type`` after ``course``, a meeting
  ``meeting_kind`` after ``kind`` (see ``taxonomy.toml``);
- ``month``: ``YYYY-MM`` of the fact's ``date`` when it names a month, else of
  the document's ``published`` date, else of the input's ``date``;
- ``evidence`` (the words, when the text is known), ``evidence_start``,
  ``evidence_end``;
- ``<slot>_approx`` for each numeric slot (``"hơn"``, ``"hàng trăm"``...);
- ``<slot>_start``, ``<slot>_end`` for each slot: where its words are
  (``date_span_start``, ``date_span_end`` for ``date``, whose ``date_end``
  is a slot of its own);
- ``confidence`` of the fact; the record's meta: ``doc_title``, ``location``,
  ``province``, ``province_code``, ``period_start``, ``period_end``,
  ``published``, ``relevance``;
- passthrough columns of the input (``url``, ``category``...); a field whose
  name is one of ours is renamed ``input_<name>`` (the archive's ``date``
  becomes ``input_date``: ``date`` is when the fact happened).

Every table exists, empty when no record has a fact of its type. Offsets are
code points into the text the record was extracted from, so
``text[row.participants_start:row.participants_end]`` are the words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .schema import FACT_KEYS, FACT_TYPE, FACT_TYPES, FactType
from .taxonomy import course_type, meeting_kind

if TYPE_CHECKING:
    import pandas as pd

    from .types import Record

# Keys of a record (``Record.to_dict()`` form or a batch row); any other key of
# an input row is the user's own column and passes through.
RECORD_KEYS = ("id", "schema_version", "meta", "facts", "entities", "relations", "checks", "error", "text")
# ``doc_title``: a document fact has a ``title`` slot of its own.
META_COLUMNS = ("doc_title", "location", "province", "province_code", "period_start", "period_end", "published",
                "relevance")
# pandas' nullable dtypes, so a missing count is <NA>, not a float NaN.
# Names a passthrough field cannot take (it becomes ``input_<name>``).
RESERVED = frozenset(("doc_id", "fact_index", "text"))
DTYPES = {"int": "Int64", "number": "Float64", "bool": "boolean"}
# Derived columns, placed right after the slot they are read from.
DERIVED = {("training", "course"): ("course_type", course_type), ("meeting", "kind"): ("meeting_kind", meeting_kind)}


_MONTH = re.compile(r"^(\d{4})-?(0[1-9]|1[0-2])(?:$|[-T ]|\d{2}(?:$|\D))")


def columns(fact_type: FactType) -> list[str]:
    """The columns of ``fact_type``'s table before passthrough ones, in order
    (see the module docstring)."""
    cols = ["doc_id", "fact_index"]
    for s in fact_type.slots:
        cols.append(s.name)
        if (fact_type.name, s.name) in DERIVED:
            cols.append(DERIVED[(fact_type.name, s.name)][0])
    cols += ["month", "evidence", "evidence_start", "evidence_end"]
    cols += [f"{s.name}_approx" for s in fact_type.slots if s.type in ("int", "number")]
    for start, end in span_columns(fact_type).values():
        cols += [start, end]
    return cols + ["confidence", *META_COLUMNS]


def span_columns(fact_type: FactType) -> dict[str, tuple[str, str]]:
    """``{slot: (start column, end column)}``: ``<slot>_start``, ``<slot>_end``,
    or ``<slot>_span_start``, ``<slot>_span_end`` when that would take the name
    of a slot (the span of ``date`` must not be the ``date_end`` slot)."""
    names = set(fact_type.names())
    out = {}
    for s in fact_type.slots:
        pair = (f"{s.name}_start", f"{s.name}_end")
        out[s.name] = (f"{s.name}_span_start", f"{s.name}_span_end") if names & set(pair) else pair
    return out


def dtypes(fact_type: FactType) -> dict[str, str]:
    """``{column: pandas dtype}`` for the typed columns of ``fact_type``'s table;
    every other column is ``string``, except offsets (``Int64``) and scores
    (``Float64``)."""
    out = {s.name: DTYPES.get(s.type, "string") for s in fact_type.slots}
    for start, end in span_columns(fact_type).values():
        out[start] = out[end] = "Int64"
    out.update({"fact_index": "Int64", "evidence_start": "Int64", "evidence_end": "Int64",
                "confidence": "Float64", "relevance": "Float64"})
    return out


def to_frames(records: Iterable[Record | Mapping[str, Any]], extra: Mapping[str, Mapping[str, Any]] | None = None,
              texts: Mapping[str, str] | None = None) -> dict[str, pd.DataFrame]:
    """``{fact type: DataFrame}``, one row per fact (see the module docstring).

    ``records``: :class:`~vnreport_ie.Record` objects, their ``to_dict()``
    form, or batch output rows (error rows are skipped). A dict may carry the
    document's ``text`` and columns of its own (``url``, ``date``...): they pass
    through. ``extra``: ``{doc id: {column: value}}``, more passthrough columns.
    ``texts``: ``{doc id: text}``, for the ``evidence`` words when the records
    do not carry their text.
    """
    rows: dict[str, list[dict[str, Any]]] = {t.name: [] for t in FACT_TYPES}
    passthrough: dict[str, None] = {}  # ordered set: first seen, first placed
    for rec in records:
        row = rec if isinstance(rec, Mapping) else rec.to_dict()
        if row.get("error") is not None:
            continue
        doc_id = row.get("id")
        given = {k: v for k, v in row.items() if k not in RECORD_KEYS}
        given.update((extra or {}).get(doc_id, {}) if doc_id is not None else {})
        own = {passthrough_name(k): v for k, v in given.items()}
        passthrough.update(dict.fromkeys(own))
        text = row.get("text") if isinstance(row.get("text"), str) else (texts or {}).get(doc_id)
        meta = _meta_cells(row.get("meta") or {})
        for i, fact in enumerate(row.get("facts") or ()):
            cells = _fact_cells(fact, text)
            cells.update(meta)
            cells.update(own)
            cells.update(doc_id=doc_id, fact_index=i)
            cells["month"] = month_of(fact.get("date")) or month_of(meta["published"]) or month_of(given.get("date"))
            rows.setdefault(fact.get("type"), []).append(cells)
    return {t.name: _frame(t, rows[t.name], list(passthrough)) for t in FACT_TYPES}


def passthrough_name(key: str) -> str:
    """The column of an input's own field: its name, or ``input_<name>`` when
    that is taken by a column of ours (the archive's ``date`` is not a fact's)."""
    taken = RESERVED | {c for t in FACT_TYPES for c in columns(t)}
    return f"input_{key}" if key in taken else key


def _meta_cells(meta: Mapping[str, Any]) -> dict[str, Any]:
    province = meta.get("province") or {}
    period = meta.get("period") or {}
    return {"doc_title": meta.get("title"), "location": meta.get("location"), "province": province.get("name"),
            "province_code": province.get("code"), "period_start": period.get("start"),
            "period_end": period.get("end"), "published": meta.get("published"), "relevance": meta.get("relevance")}


def _fact_cells(fact: Mapping[str, Any], text: str | None) -> dict[str, Any]:
    cells = {k: v for k, v in fact.items() if k not in FACT_KEYS}
    for (ftype, slot), (column, classify) in DERIVED.items():
        if fact.get("type") == ftype:
            cells[column] = classify(fact.get(slot))
    ev = fact.get("evidence") or {}
    start, end = ev.get("start"), ev.get("end")
    cells.update(evidence_start=start, evidence_end=end, confidence=fact.get("confidence"))
    if text is not None and isinstance(start, int) and isinstance(end, int):
        cells["evidence"] = text[start:end]
    for slot, word in (fact.get("approx") or {}).items():
        cells[f"{slot}_approx"] = word
    names = span_columns(FACT_TYPE[fact["type"]]) if fact.get("type") in FACT_TYPE else {}
    for slot, (a, b) in (fact.get("spans") or {}).items():
        start, end = names.get(slot, (f"{slot}_start", f"{slot}_end"))
        cells[start], cells[end] = a, b
    return cells


def month_of(date: Any) -> str | None:
    """``YYYY-MM`` of a date with at least month precision: ISO (``2020-10-01``,
    a timestamp, a ``date``) or compact (``20201001``, as news archives write it)."""
    if date is None:
        return None
    s = date.isoformat() if hasattr(date, "isoformat") else str(date).strip()
    m = _MONTH.match(s)
    return f"{m.group(1)}-{m.group(2)}" if m else None


def _frame(fact_type: FactType, rows: list[dict[str, Any]], passthrough: list[str]) -> pd.DataFrame:
    import pandas as pd

    known = columns(fact_type)
    cols = known + [c for c in passthrough if c not in known]
    # Keys the schema does not know (a newer record) are kept, after the known ones.
    cols += sorted({k for r in rows for k in r} - set(cols))
    types = dtypes(fact_type)
    data = {}
    for c in cols:
        values = [r.get(c) for r in rows]
        if c in types:
            data[c] = pd.array(values, dtype=types[c])
        elif c in known or all(v is None or isinstance(v, str) for v in values):
            data[c] = pd.array(values, dtype="string")
        else:  # the user's own values, as they are
            data[c] = pd.array(values, dtype=object)
    return pd.DataFrame(data, columns=cols)
