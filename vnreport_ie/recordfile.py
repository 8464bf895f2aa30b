"""Reading record files for ``vnreport-ie evaluate``: JSON Lines, Parquet (what
``batch --format parquet`` writes), directories of them, or a whole batch
OUTDIR. Every problem is named as ``file:line: what is wrong``, so a broken
prediction file gives a list to fix instead of a traceback or a silently
wrong score.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

# Keys a batch row may carry beside the record itself (see vnreport_ie.batch).
BATCH_KEYS = ("source",)


@dataclass
class RecordSet:
    """What a record file holds: the records, the batch error rows (id and
    reason, which are no prediction), and every problem found."""

    records: list[dict[str, Any]] = field(default_factory=list)
    error_rows: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def record_files(path: Path) -> list[Path]:
    """The record files at ``path``: the file itself, or the ``.jsonl``,
    ``.jsonl.gz`` and ``.parquet`` files of a directory (of a batch OUTDIR,
    its ``records/``)."""
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or directory")
    if path.is_file():
        return [path]
    if (path / "records").is_dir():  # a batch OUTDIR
        path = path / "records"
    files = sorted(f for f in path.iterdir() if f.is_file() and f.name.endswith((".jsonl", ".jsonl.gz", ".parquet")))
    if not files:
        raise FileNotFoundError(f"{path}: directory has no .jsonl, .jsonl.gz or .parquet files")
    return files


def read_records(path: Path, *, strict: bool) -> RecordSet:
    """Every record at ``path``. ``strict`` checks each record against the
    output schema (predictions); otherwise only the shape the scorer needs is
    checked (gold, which carries its text, split and source as well)."""
    out = RecordSet()
    seen: dict[str, str] = {}
    for f in record_files(path):
        for where, obj in _rows(f):
            if isinstance(obj, str):  # a line that is not a JSON object: its problem
                out.problems.append(f"{where}: {obj}")
                continue
            if isinstance(obj.get("error"), dict) and isinstance(obj.get("id"), str):
                out.error_rows.append((obj["id"], str(obj["error"].get("reason"))))
                continue
            problems = shape_problems(obj)
            if not problems and strict:
                from .schema import validate

                problems = validate({k: v for k, v in obj.items() if k not in BATCH_KEYS})
            if problems:
                doc = f" (id {obj['id']!r})" if isinstance(obj.get("id"), str) else ""
                out.problems += [f"{where}{doc}: {p}" for p in problems[:5]]
                continue
            if obj["id"] in seen:
                out.problems.append(f"{where}: id {obj['id']!r} again (first at {seen[obj['id']]})")
                continue
            seen[obj["id"]] = where
            out.records.append(obj)
    return out


def _rows(path: Path) -> Iterator[tuple[str, dict[str, Any] | str]]:
    """``(file:line, object)`` for each row, or ``(file:line, problem)``."""
    if path.name.endswith(".parquet"):
        try:
            yield from _parquet_rows(path)
        except (OSError, ValueError) as exc:  # pyarrow's errors for a damaged file are of these kinds
            yield f"{path}", f"cannot be read as Parquet: {type(exc).__name__}: {exc}"
        return
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        yield from _jsonl_rows(path, opener)
    except (OSError, EOFError) as exc:  # a truncated or damaged .gz, an unreadable file
        yield f"{path}", f"cannot be read: {type(exc).__name__}: {exc}"


def _jsonl_rows(path: Path, opener: Any) -> Iterator[tuple[str, dict[str, Any] | str]]:
    with opener(path, "rb") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            where = f"{path}:{n}"
            try:
                obj = json.loads(raw)
            except UnicodeDecodeError as exc:
                yield where, f"not UTF-8 ({exc.reason} at byte {exc.start})"
                continue
            except json.JSONDecodeError as exc:
                yield where, f"not JSON ({exc.msg} at column {exc.colno}): {_clip(raw)}"
                continue
            yield where, obj if isinstance(obj, dict) else f"a JSON {type(obj).__name__}, not a record object"


def _parquet_rows(path: Path) -> Iterator[tuple[str, dict[str, Any] | str]]:
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    names = pf.schema_arrow.names
    if "record" not in names:
        yield f"{path}", f"no 'record' column (columns: {', '.join(names)}); expected the records of " \
                         "`vnreport-ie batch --format parquet`"
        return
    cols = [c for c in ("id", "error_reason", "error_detail", "record") if c in names]
    n = 0
    for batch in pf.iter_batches(batch_size=1024, columns=cols):
        for r in batch.to_pylist():
            n += 1
            where = f"{path}:row {n}"
            if r.get("record") is None:
                yield where, {"id": r.get("id"), "error": {"reason": r.get("error_reason"),
                                                          "detail": r.get("error_detail")}}
                continue
            try:
                obj = json.loads(r["record"])
            except json.JSONDecodeError as exc:
                yield where, f"the record column is not JSON ({exc.msg})"
                continue
            yield where, obj if isinstance(obj, dict) else f"the record column is a JSON {type(obj).__name__}"


def _clip(raw: bytes, n: int = 60) -> str:
    s = raw.decode("utf-8", "replace").strip()
    return repr(s if len(s) <= n else s[:n] + "...")


def shape_problems(rec: dict[str, Any]) -> list[str]:
    """What in ``rec`` the scorer cannot read: the id, the facts and their
    types and evidence, the meta, entity offsets and relation ends."""
    probs: list[str] = []
    if not isinstance(rec.get("id"), str):
        probs.append(f"'id' must be a string, not {_kind(rec.get('id'))}")
    for key in ("facts", "entities", "relations"):
        if key in rec and not isinstance(rec[key], list):
            probs.append(f"'{key}' must be a list, not {_kind(rec[key])}")
    if "facts" not in rec:
        probs.append("no 'facts' list")
    if "meta" in rec and not isinstance(rec["meta"], dict):
        probs.append(f"'meta' must be an object, not {_kind(rec['meta'])}")
    if probs:
        return probs
    for i, f in enumerate(rec["facts"]):
        if not isinstance(f, dict) or not isinstance(f.get("type"), str):
            probs.append(f"facts[{i}] must be an object with a string 'type'")
        elif "evidence" in f and not isinstance(f["evidence"], dict):
            probs.append(f"facts[{i}].evidence must be an object")
    ids = set()
    for i, e in enumerate(rec.get("entities", [])):
        if not isinstance(e, dict) or not all(isinstance(e.get(k), int) for k in ("id", "start", "end")) \
                or not isinstance(e.get("label"), str):
            probs.append(f"entities[{i}] must have an int id, start and end and a string label")
        else:
            ids.add(e["id"])
    for i, r in enumerate(rec.get("relations", [])):
        if not isinstance(r, dict) or r.get("head") not in ids or r.get("tail") not in ids:
            probs.append(f"relations[{i}] must join two entity ids")
    return probs


def _kind(v: Any) -> str:
    return "null" if v is None else type(v).__name__
