"""The fact tables: one flat table per fact type, as Parquet and CSV, with a
column per schema slot (see vnreport_ie/schema) in the schema's order, then
the document's ``published`` date and its input passthrough fields as
``source_<field>`` text columns (sorted by name, so the columns do not depend
on which document came first)."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any, Callable, Iterator

from ..schema import slot_types
from .common import dumps, inside, safe_name

# Keys of a fact that are the table itself, or have columns of their own.
_OWN_COLUMNS = ("type", "evidence", "spans", "approx")


def _arrow_types() -> dict[str, Callable[[], Any]]:
    import pyarrow as pa

    return {"int": pa.int64, "number": pa.float64, "bool": pa.bool_, "str": pa.string}


# The value kinds a column of each kind holds as they are (an int fits a number column).
_FITS = {"int": {"int"}, "number": {"int", "number"}, "bool": {"bool"}, "str": {"str"}}


def write_fact_tables(rows: Callable[[], Iterator[dict[str, Any]]], outdir: Path) -> dict[str, dict[str, str]]:
    """One table per fact type, as Parquet and CSV. Two passes over ``rows()``:
    the first fixes the columns and their types, the second writes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = _arrow_types()
    declared = slot_types()
    seen: dict[str, set[str]] = {t: set() for t in declared}
    kinds: dict[tuple[str, str], set[str]] = {}
    source_keys: set[str] = set()
    for row in rows():
        if row.get("facts"):
            source_keys.update(row.get("source") or ())
        for f in row.get("facts") or ():
            t = f.get("type") or "unknown"
            for k, v in f.items():
                if k in _OWN_COLUMNS:
                    continue
                seen.setdefault(t, set()).add(k)
                if v is not None:
                    kinds.setdefault((t, k), set()).add(_kind(v))
    passthrough = {f"source_{k}": k for k in sorted(source_keys)}
    columns: dict[str, list[str]] = {}
    types: dict[str, dict[str, Any]] = {}
    for t in sorted(seen):
        order = list(declared.get(t, {}))
        slots = order + sorted(seen[t] - set(order))
        columns[t] = ["doc_id", "fact_index", *slots, "approx", "evidence_start", "evidence_end", "published",
                      *passthrough]
        types[t] = {"doc_id": pa.string(), "fact_index": pa.int32(), "approx": pa.string(),
                    "evidence_start": pa.int64(), "evidence_end": pa.int64(), "published": pa.string(),
                    **{c: pa.string() for c in passthrough}}
        for s in slots:
            found = kinds.get((t, s), set())
            want = _column_kind(declared.get(t, {}).get(s, "str"))
            # The schema's type unless the values say otherwise; values of mixed kinds are kept as text.
            kind = want if found <= _FITS[want] else found.pop() if len(found) == 1 else "str"
            types[t][s] = arrow[kind]()

    fdir = inside(outdir, outdir / "facts")
    fdir.mkdir(parents=True, exist_ok=True)
    out: dict[str, dict[str, str]] = {}
    writers: dict[str, tuple[Any, Any, Any, list[dict[str, Any]], Path, Path]] = {}
    try:
        for t, cols in columns.items():
            base = safe_name(t)
            pq_path, csv_path = inside(outdir, fdir / f"{base}.parquet"), inside(outdir, fdir / f"{base}.csv")
            schema = pa.schema([(c, types[t][c]) for c in cols])
            pw = pq.ParquetWriter(pq_path.with_suffix(".parquet.tmp"), schema, compression="zstd")
            cf = open(csv_path.with_suffix(".csv.tmp"), "w", encoding="utf-8", newline="")
            cw = csv.writer(cf)
            cw.writerow(cols)
            writers[t] = (pw, cf, cw, [], pq_path, csv_path)
            out[t] = {"parquet": pq_path.relative_to(outdir).as_posix(), "csv": csv_path.relative_to(outdir).as_posix()}
        for row in rows():
            for i, f in enumerate(row.get("facts") or ()):
                t = f.get("type") or "unknown"
                pw, cf, cw, buf, *_ = writers[t]
                ev = f.get("evidence") or {}
                source = row.get("source") or {}
                cell = {"doc_id": row["id"], "fact_index": i, "approx": dumps(f["approx"]) if f.get("approx") else None,
                        "evidence_start": ev.get("start"), "evidence_end": ev.get("end"),
                        "published": (row.get("meta") or {}).get("published")}
                for c, k in passthrough.items():
                    cell[c] = None if source.get(k) is None else _as_str(source[k])
                for s in columns[t][2:-(4 + len(passthrough))]:
                    v = f.get(s)
                    cell[s] = v if v is None or _kind(v) in _FITS[_arrow_kind(types[t][s])] else _as_str(v)
                buf.append(cell)
                cw.writerow([_csv_cell(cell[c]) for c in columns[t]])
                if len(buf) >= 5000:
                    pw.write_table(pa.Table.from_pylist(buf, schema=pw.schema))
                    buf.clear()
        for t, (pw, cf, _cw, buf, pq_path, csv_path) in writers.items():
            if buf:
                pw.write_table(pa.Table.from_pylist(buf, schema=pw.schema))
            pw.close()
            cf.close()
            os.replace(pq_path.with_suffix(".parquet.tmp"), pq_path)
            os.replace(csv_path.with_suffix(".csv.tmp"), csv_path)
        writers.clear()
    finally:
        for pw, cf, *_ in writers.values():
            pw.close()
            cf.close()
    return out


def _column_kind(slot_type: str) -> str:
    """The column kind of a schema slot type: dates, durations and enums are text."""
    return slot_type if slot_type in ("int", "number", "bool") else "str"


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "number"
    return "str"


def _arrow_kind(t: Any) -> str:
    import pyarrow as pa

    return {pa.bool_(): "bool", pa.int64(): "int", pa.float64(): "number"}.get(t, "str")


def _as_str(v: Any) -> str:
    return v if isinstance(v, str) else dumps(v)


def _csv_cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)
