"""Batch extraction over news archives: ``vnreport-ie batch INPUT... -o OUTDIR``.

Guarantees, and how they are kept:

- *Nothing lost*: every input document gives exactly one output row, its
  record or ``{"id": ..., "error": {"reason": ..., "detail": ...}}``.
- *Per-document time limit*: documents run in worker processes (the pipeline is
  loaded once per worker); a worker that overruns is killed and replaced, so
  even a hang inside native code cannot stall the batch.
- *Resumable*: the output shards are append-only JSON Lines written by one
  process and flushed per row (fsync'ed every second), so they are their own
  checkpoint. A rerun of the same command drops a torn last line, skips the
  documents that already have a row and appends the rest.
- *Deterministic*: rows depend only on the input, never on the worker count
  or timing (except ``timeout`` rows, which depend on the machine).
- No file name is ever made from a document id, and the few names made from
  data (fact types) pass :func:`safe_name`, so nothing is written outside OUTDIR.

Layout of OUTDIR::

    records/part-00000.jsonl   records and error rows (or part-*.parquet with --format parquet)
    facts/<type>.parquet|.csv  one flat row per fact: doc_id, slots, evidence start/end
    summary.json               counts, errors by reason, facts by type, speed
    _state/                    job identity and lock (resuming checks it)
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import importlib
import json
import os
import re
import resource
import signal
import sys
import time
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .inputs import SNIFF_BYTES, sniff

# Kept light: worker processes import this module before the pipeline, and
# pyarrow / datasets are imported only where they are used.

REASONS = ("invalid_utf8", "empty", "too_long", "timeout", "unreadable", "binary", "duplicate_id",
           "extraction_failed", "worker_crashed")
DEFAULT_MAX_CHARS = 1_000_000
DEFAULT_DOC_TIMEOUT = 120.0
DEFAULT_SHARD_SIZE = 10_000
STARTUP_TIMEOUT = 300.0  # seconds for a worker to import and load the pipeline
DEFAULT_PIPELINE = "vnreport_ie.pipeline:load"
FORMATS = ("jsonl", "parquet")
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
_SNIFF = SNIFF_BYTES


class BatchError(ValueError):
    """The job as a whole cannot run (bad input path, OUTDIR of another job, ...)."""


# --------------------------------------------------------------------------- input checks

def error_row(doc_id: str, reason: str, detail: str) -> dict[str, Any]:
    return {"id": doc_id, "error": {"reason": reason, "detail": detail}}


def check_text(text: str, max_chars: int) -> tuple[str, str] | None:
    """The reason a decoded text cannot be extracted, or None when it can."""
    if len(text) > max_chars:
        return "too_long", f"{len(text):,} characters is over the --max-chars limit of {max_chars:,}"
    if not text.strip():
        return "empty", "the text is empty or only whitespace"
    sample = text[:_SNIFF]
    if "\x00" in sample:
        return "binary", "the text contains NUL characters; it looks like binary data"
    controls = sum(1 for c in sample if c not in "\t\n\r\f\v" and unicodedata.category(c) == "Cc")
    if controls > 0.1 * len(sample):
        return "binary", f"{controls} of the first {len(sample)} characters are control characters"
    return None


def decode(data: bytes, max_chars: int) -> tuple[str | None, tuple[str, str] | None]:
    """``(text, None)`` or ``(None, (reason, detail))`` for raw file bytes."""
    if len(data) > 4 * max_chars:  # a UTF-8 character is at most 4 bytes
        return None, ("too_long", f"{len(data):,} bytes is over the --max-chars limit of {max_chars:,} characters")
    kind = sniff(data)
    if kind is not None:
        what, offset = kind
        if what == "utf16_bom":
            return None, ("invalid_utf8", "looks like UTF-16 (byte order mark); convert it to UTF-8")
        if what == "utf16":
            return None, ("invalid_utf8", f"looks like UTF-16 (NUL byte at byte offset {offset}); convert it to UTF-8")
        return None, ("binary", "NUL bytes in the first 8 KiB; not a text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, ("invalid_utf8", f"not valid UTF-8 at byte offset {exc.start} (byte 0x{data[exc.start]:02x})")
    problem = check_text(text, max_chars)
    return (None, problem) if problem else (text, None)


@dataclass(frozen=True)
class InputDoc:
    """One input document: a text to extract, or the reason it cannot be."""
    id: str
    text: str | None
    problem: tuple[str, str] | None = None
    nbytes: int = 0


def _from_value(doc_id: str, value: Any, max_chars: int, text_field: str) -> InputDoc:
    if value is None:
        return InputDoc(doc_id, None, ("empty", f"the {text_field!r} field is null"))
    if isinstance(value, bytes):
        text, problem = decode(value, max_chars)
        return InputDoc(doc_id, text, problem, len(value))
    if not isinstance(value, str):
        return InputDoc(doc_id, None, ("unreadable", f"the {text_field!r} field is {type(value).__name__}, not a string"))
    problem = check_text(value, max_chars)
    if problem is None and (at := _surrogate_at(value)) is not None:
        problem = ("invalid_utf8", f"unpaired surrogate code point at character {at}")
    nbytes = len(value.encode("utf-8")) if not problem else 0
    return InputDoc(doc_id, None if problem else value, problem, nbytes)


def _id_of(value: Any, fallback: str) -> str:
    if value is None or isinstance(value, (dict, list)) or value == "":
        return fallback
    doc_id = value if isinstance(value, str) else str(value)
    return doc_id if _surrogate_at(doc_id) is None else fallback


def _surrogate_at(text: str) -> int | None:
    """Where ``text`` has an unpaired surrogate (a JSON ``"\\ud800"``), which UTF-8 cannot hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None


# --------------------------------------------------------------------------- input sources

@dataclass(frozen=True)
class Source:
    kind: str  # "txt", "jsonl", "parquet", "hf"
    path: Path
    files: tuple[Path, ...] = ()  # for "txt": the .txt files under path


def resolve_inputs(inputs: Iterable[str | Path]) -> list[Source]:
    """What each INPUT is, decided once and up front (errors name the input)."""
    sources: list[Source] = []
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            if (path / "state.json").is_file() or (path / "dataset_dict.json").is_file():
                sources.append(Source("hf", path))
                continue
            txt = tuple(sorted(f for f in path.rglob("*.txt") if not f.is_dir()))
            if txt:
                sources.append(Source("txt", path, txt))
                continue
            tables = sorted(f for f in path.rglob("*") if f.is_file() and _table_kind(f))
            if not tables:
                raise BatchError(f"{path}: directory has no .txt, .jsonl(.gz) or .parquet files "
                                 "and is not a saved `datasets` dataset")
            sources.extend(Source(_table_kind(f), f) for f in tables)  # type: ignore[arg-type]
        elif path.is_file():
            kind = _table_kind(path) or ("txt" if path.suffix == ".txt" else None)
            if kind is None:
                raise BatchError(f"{path}: unknown input type; expected a .txt file, a directory of .txt files, "
                                 ".jsonl, .jsonl.gz, .parquet, or a directory saved with datasets.save_to_disk")
            sources.append(Source(kind, path, (path,) if kind == "txt" else ()))
        else:
            raise BatchError(f"{path}: no such file or directory")
    if not sources:
        raise BatchError("no inputs given")
    return sources


def _table_kind(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(_JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(".parquet"):
        return "parquet"
    return None


def count_documents(sources: list[Source], text_field: str) -> int:
    """How many documents the sources hold (for the progress bar's ETA)."""
    n = 0
    for s in sources:
        if s.kind == "txt":
            n += len(s.files)
        elif s.kind == "jsonl":
            try:
                with _open_jsonl(s.path) as fh:
                    n += sum(1 for line in fh if line.strip())
            except (OSError, EOFError, zlib.error):
                n += 1  # counted as far as it reads; the reader reports the damage as a row
        elif s.kind == "parquet":
            import pyarrow.parquet as pq

            n += pq.ParquetFile(s.path).metadata.num_rows
        else:
            n += sum(len(ds) for _, ds in _hf_splits(s.path))
    return n


def iter_documents(sources: list[Source], *, text_field: str = "text", id_field: str = "id",
                   max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[InputDoc]:
    """Every document of every source, in a fixed order, checked but not extracted."""
    for s in sources:
        if s.kind == "txt":
            yield from _read_txt(s, max_chars)
        elif s.kind == "jsonl":
            yield from _read_jsonl(s.path, text_field, id_field, max_chars)
        elif s.kind == "parquet":
            yield from _read_parquet(s.path, text_field, id_field, max_chars)
        else:
            yield from _read_hf(s.path, text_field, id_field, max_chars)


def _read_txt(source: Source, max_chars: int) -> Iterator[InputDoc]:
    for f in source.files:
        # Relative path without .txt: unique within a directory, and stable.
        doc_id = f.with_suffix("").relative_to(source.path).as_posix() if f != source.path else f.stem
        try:
            size = f.stat().st_size
            if size > 4 * max_chars:
                yield InputDoc(doc_id, None, ("too_long", f"{size:,} bytes is over the --max-chars limit "
                                                          f"of {max_chars:,} characters"))
                continue
            data = f.read_bytes()
        except OSError as exc:
            yield InputDoc(doc_id, None, ("unreadable", f"{type(exc).__name__}: {exc.strerror or exc}"))
            continue
        text, problem = decode(data, max_chars)
        yield InputDoc(doc_id, text, problem, len(data))


def _open_jsonl(path: Path):
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")


def _read_jsonl(path: Path, text_field: str, id_field: str, max_chars: int) -> Iterator[InputDoc]:
    lineno = 0
    try:
        with _open_jsonl(path) as fh:
            for lineno, raw in enumerate(fh, 1):
                if not raw.strip():
                    continue
                yield _jsonl_doc(raw, f"{path.name}:{lineno}", text_field, id_field, max_chars)
    except (OSError, EOFError, zlib.error) as exc:
        # A damaged or truncated file: the rest of it is one unreadable row.
        yield InputDoc(f"{path.name}:{lineno + 1}", None,
                       ("unreadable", f"cannot read {path.name} after line {lineno}: {type(exc).__name__}: {exc}"))


def _jsonl_doc(raw: bytes, fallback: str, text_field: str, id_field: str, max_chars: int) -> InputDoc:
    bad_utf8 = None
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_utf8 = ("invalid_utf8", f"line is not valid UTF-8 at byte offset {exc.start} (byte 0x{raw[exc.start]:02x})")
        line = raw.decode("utf-8", "surrogateescape")  # still try to read the id
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return InputDoc(fallback, None, bad_utf8 or ("unreadable", f"not a JSON object: {exc.msg} at column {exc.colno}"))
    if not isinstance(obj, dict):
        return InputDoc(fallback, None, bad_utf8 or ("unreadable", f"a JSON {type(obj).__name__}, not an object"))
    doc_id = _id_of(obj.get(id_field), fallback)
    if bad_utf8:
        return InputDoc(doc_id, None, bad_utf8)
    if text_field not in obj:
        return InputDoc(doc_id, None, ("unreadable", f"no {text_field!r} field (keys: {', '.join(sorted(obj)[:8])})"))
    return _from_value(doc_id, obj[text_field], max_chars, text_field)


def _read_parquet(path: Path, text_field: str, id_field: str, max_chars: int) -> Iterator[InputDoc]:
    import datasets
    import pyarrow.parquet as pq

    names = pq.read_schema(path).names
    if text_field not in names:
        raise BatchError(f"{path}: no column {text_field!r} (columns: {', '.join(names)}); use --text-field")
    columns = [text_field] + ([id_field] if id_field in names and id_field != text_field else [])
    # Streaming: row groups are read as they are needed, never the whole file.
    stream = datasets.load_dataset("parquet", data_files=[str(path)], split="train", streaming=True,
                                   columns=columns)
    for i, row in enumerate(stream):
        doc_id = _id_of(row.get(id_field) if id_field in columns else None, f"{path.name}:{i}")
        yield _from_value(doc_id, row[text_field], max_chars, text_field)


def _hf_splits(path: Path) -> list[tuple[str | None, Any]]:
    import datasets

    loaded = datasets.load_from_disk(str(path))
    if isinstance(loaded, datasets.DatasetDict):
        return [(name, loaded[name]) for name in sorted(loaded)]
    return [(None, loaded)]


def _read_hf(path: Path, text_field: str, id_field: str, max_chars: int) -> Iterator[InputDoc]:
    for split, ds in _hf_splits(path):
        where = f"{path.name}/{split}" if split else path.name
        if text_field not in ds.column_names:
            raise BatchError(f"{path}: no column {text_field!r} (columns: {', '.join(ds.column_names)}); use --text-field")
        has_id = id_field in ds.column_names and id_field != text_field
        # Memory-mapped Arrow, read a batch at a time.
        for b, batch in enumerate(ds.select_columns([text_field] + ([id_field] if has_id else [])).iter(batch_size=256)):
            ids = batch[id_field] if has_id else [None] * len(batch[text_field])
            for j, (doc_id, value) in enumerate(zip(ids, batch[text_field])):
                yield _from_value(_id_of(doc_id, f"{where}:{b * 256 + j}"), value, max_chars, text_field)


# --------------------------------------------------------------------------- output files

def safe_name(name: str, max_len: int = 80) -> str:
    """A file name made from untrusted text: no separators, no leading dots,
    bounded length; a hash keeps different inputs apart."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).lstrip(".") or "_"
    if cleaned != name or len(cleaned) > max_len:
        digest = hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        cleaned = f"{cleaned[:max_len]}-{digest}"
    return cleaned


def _inside(root: Path, path: Path) -> Path:
    if not path.resolve().is_relative_to(root.resolve()):
        raise BatchError(f"refusing to write {path}: outside {root}")
    return path


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


_RECORD_COLUMNS = ("id", "error_reason", "error_detail", "title", "location", "period_start", "period_end",
                   "n_facts", "record")


class RecordStore:
    """Append-only shards of output rows, which double as the resume checkpoint.

    Rows go to ``records/part-NNNNN.jsonl``, one line each, flushed per row. With
    ``fmt="parquet"`` a full (or, at the end, the last) segment is rewritten as
    ``part-NNNNN.parquet`` (temp file, fsync, rename) and its JSON Lines removed.
    """

    def __init__(self, outdir: Path, fmt: str, shard_size: int = DEFAULT_SHARD_SIZE,
                 fsync_every: float = 1.0) -> None:
        self.root = outdir
        self.dir = _inside(outdir, outdir / "records")
        self.fmt = fmt
        self.shard_size = max(1, shard_size)
        self.fsync_every = fsync_every
        self._fh: Any = None
        self._segment = -1
        self._rows_in_segment = 0
        self._last_sync = 0.0

    # ---- resume
    def recover(self) -> tuple[set[str], Counter[str]]:
        """Repair what a crash left and return ``(ids with a row, duplicate_id rows per id)``."""
        self.dir.mkdir(parents=True, exist_ok=True)
        for tmp in self.dir.glob("*.tmp"):
            tmp.unlink()
        for seg in self._segments("jsonl"):
            if self._path(seg, "parquet").exists():  # converted, but not yet removed
                self._path(seg, "jsonl").unlink()
        done: set[str] = set()
        dups: Counter[str] = Counter()
        for row in self.rows(repair=True):
            if (row.get("error") or {}).get("reason") == "duplicate_id":
                dups[row["id"]] += 1
            else:
                done.add(row["id"])
        return done, dups

    def _segments(self, ext: str) -> list[int]:
        return sorted(int(p.stem.split("-")[1]) for p in self.dir.glob(f"part-*.{ext}"))

    def _path(self, seg: int, ext: str) -> Path:
        return self.dir / f"part-{seg:05d}.{ext}"

    def rows(self, repair: bool = False) -> Iterator[dict[str, Any]]:
        """Every row written so far, shard by shard."""
        segs = sorted({(s, "parquet") for s in self._segments("parquet")} | {(s, "jsonl") for s in self._segments("jsonl")})
        for seg, ext in segs:
            if ext == "parquet":
                yield from _parquet_rows(self._path(seg, ext))
            else:
                yield from self._jsonl_rows(self._path(seg, ext), repair)

    @staticmethod
    def _jsonl_rows(path: Path, repair: bool) -> Iterator[dict[str, Any]]:
        """The rows of one segment, streamed. Only the tail can be damaged (one
        appending writer), so a bad or unterminated tail is cut off when ``repair``."""
        good_end = pos = 0
        bad_at = None
        with open(path, "rb") as fh:
            for raw in fh:
                end = pos + len(raw)
                row = None
                if raw.endswith(b"\n"):
                    try:
                        row = json.loads(raw)
                    except ValueError:
                        pass
                if isinstance(row, dict) and "id" in row:
                    if bad_at is not None:
                        raise BatchError(f"{path}: damaged line at byte {bad_at} followed by good rows; "
                                         "move the file away and rerun to redo its documents")
                    good_end = end
                    yield row
                elif bad_at is None:
                    bad_at = pos
                pos = end
        if good_end < pos:
            if not repair:
                raise BatchError(f"{path}: ends with an incomplete line; rerun the batch to repair it")
            with open(path, "r+b") as fh:
                fh.truncate(good_end)
                os.fsync(fh.fileno())

    # ---- writing
    def open(self) -> None:
        """Continue the last JSON Lines segment if it has room, else start a new one."""
        jsonl = self._segments("jsonl")
        last = max(jsonl + self._segments("parquet"), default=-1)
        if jsonl and jsonl[-1] == last:
            n = sum(1 for _ in self._jsonl_rows(self._path(last, "jsonl"), repair=True))
            if n < self.shard_size:
                self._start(last, n)
                return
        self._start(last + 1, 0)

    def _start(self, seg: int, rows: int) -> None:
        self._segment, self._rows_in_segment = seg, rows
        path = self._path(seg, "jsonl")
        is_new = not path.exists()
        self._fh = open(path, "a", encoding="utf-8")
        if is_new:
            _fsync_dir(self.dir)

    def write(self, line: str) -> None:
        if self._rows_in_segment >= self.shard_size:
            self._finish_segment()
            self._start(self._segment + 1, 0)
        self._fh.write(line + "\n")
        self._fh.flush()  # a kill -9 keeps flushed rows; fsync below covers power loss
        self._rows_in_segment += 1
        now = time.monotonic()
        if now - self._last_sync >= self.fsync_every:
            os.fsync(self._fh.fileno())
            self._last_sync = now

    def _finish_segment(self) -> None:
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        self._fh = None
        if self.fmt == "parquet":
            self._convert(self._segment)

    def _convert(self, seg: int) -> None:
        src, dst = self._path(seg, "jsonl"), self._path(seg, "parquet")
        tmp = dst.with_suffix(".parquet.tmp")
        _write_record_parquet(self._jsonl_rows(src, repair=False), tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dst)
        _fsync_dir(self.dir)
        src.unlink()

    def close(self, finished: bool) -> None:
        """Flush and fsync; when the job is finished, also convert the last segment."""
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            self._fh = None
        if finished and self.fmt == "parquet":
            for seg in self._segments("jsonl"):
                self._convert(seg)

    def files(self) -> list[str]:
        return sorted(p.relative_to(self.root).as_posix() for p in self.dir.glob("part-*.*")
                      if not p.name.endswith(".tmp"))


def _record_columns(row: dict[str, Any]) -> dict[str, Any]:
    err = row.get("error")
    if err:
        return {"id": row["id"], "error_reason": err.get("reason"), "error_detail": err.get("detail"),
                "title": None, "location": None, "period_start": None, "period_end": None,
                "n_facts": None, "record": None}
    meta = row.get("meta") or {}
    period = meta.get("period") or {}
    return {"id": row["id"], "error_reason": None, "error_detail": None, "title": meta.get("title"),
            "location": meta.get("location"), "period_start": period.get("start"),
            "period_end": period.get("end"), "n_facts": len(row.get("facts") or ()), "record": _dumps(row)}


def _write_record_parquet(rows: Iterable[dict[str, Any]], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c, pa.int32() if c == "n_facts" else pa.string()) for c in _RECORD_COLUMNS])
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        buf: list[dict[str, Any]] = []
        for row in rows:
            buf.append(_record_columns(row))
            if len(buf) >= 1000:
                writer.write_table(pa.Table.from_pylist(buf, schema=schema))
                buf.clear()
        writer.write_table(pa.Table.from_pylist(buf, schema=schema))


def _parquet_rows(path: Path) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    for batch in pf.iter_batches(batch_size=1024, columns=["id", "error_reason", "error_detail", "record"]):
        for r in batch.to_pylist():
            if r["record"] is not None:
                yield json.loads(r["record"])
            else:
                yield error_row(r["id"], r["error_reason"], r["error_detail"])


# --------------------------------------------------------------------------- fact tables

def _slot_order() -> dict[str, dict[str, str]]:
    try:
        from .corpus import FACT_SLOTS
    except ImportError:  # the schema's slot list moved: fall back to what the data shows
        return {}
    return {t: dict(slots) for t, slots in FACT_SLOTS.items()}


_FACT_META = ("type", "evidence", "spans", "approx")


def write_fact_tables(rows: Callable[[], Iterator[dict[str, Any]]], outdir: Path) -> dict[str, dict[str, str]]:
    """One table per fact type, as Parquet and CSV. Two passes over ``rows()``:
    the first fixes the columns and their types, the second writes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    declared = _slot_order()
    seen: dict[str, set[str]] = {t: set() for t in declared}
    kinds: dict[tuple[str, str], set[str]] = {}
    for row in rows():
        for f in row.get("facts") or ():
            t = f.get("type") or "unknown"
            for k, v in f.items():
                if k in _FACT_META:
                    continue
                seen.setdefault(t, set()).add(k)
                if v is not None:
                    kinds.setdefault((t, k), set()).add(_kind(v))
    columns: dict[str, list[str]] = {}
    types: dict[str, dict[str, Any]] = {}
    for t in sorted(seen):
        order = list(declared.get(t, {}))
        slots = order + sorted(seen[t] - set(order))
        columns[t] = ["doc_id", "fact_index", *slots, "approx", "evidence_start", "evidence_end"]
        types[t] = {"doc_id": pa.string(), "fact_index": pa.int32(), "approx": pa.string(),
                    "evidence_start": pa.int64(), "evidence_end": pa.int64()}
        for s in slots:
            found = kinds.get((t, s), set())
            want = {"int": "int", "bool": "bool"}.get(declared.get(t, {}).get(s, ""), "str")
            kind = found.pop() if len(found) == 1 else ("str" if found else want)
            types[t][s] = {"int": pa.int64(), "bool": pa.bool_()}.get(kind, pa.string())

    fdir = _inside(outdir, outdir / "facts")
    fdir.mkdir(parents=True, exist_ok=True)
    out: dict[str, dict[str, str]] = {}
    writers: dict[str, tuple[Any, Any, Any, list[dict[str, Any]], Path, Path]] = {}
    try:
        for t, cols in columns.items():
            base = safe_name(t)
            pq_path, csv_path = _inside(outdir, fdir / f"{base}.parquet"), _inside(outdir, fdir / f"{base}.csv")
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
                cell = {"doc_id": row["id"], "fact_index": i, "approx": _dumps(f["approx"]) if f.get("approx") else None,
                        "evidence_start": ev.get("start"), "evidence_end": ev.get("end")}
                for s in columns[t][2:-3]:
                    v = f.get(s)
                    cell[s] = v if v is None or _kind(v) == _arrow_kind(types[t][s]) else _as_str(v)
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


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    return "str"


def _arrow_kind(t: Any) -> str:
    import pyarrow as pa

    return "bool" if t == pa.bool_() else "int" if t == pa.int64() else "str"


def _as_str(v: Any) -> str:
    return v if isinstance(v, str) else _dumps(v)


def _csv_cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


# --------------------------------------------------------------------------- workers

def _load_factory(spec: str) -> Callable[..., Any]:
    module, _, attr = spec.partition(":")
    if not attr:
        raise BatchError(f"pipeline factory {spec!r} must look like 'package.module:function'")
    return getattr(importlib.import_module(module), attr)


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return round(usage.ru_utime + usage.ru_stime, 2)


def _worker_main(conn: Any, factory: str, model_dir: str | None) -> None:
    """A worker process: load the pipeline once, then extract documents sent to it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        pipe = _load_factory(factory)(model_dir)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails the job
        conn.send(("fatal", f"cannot load the pipeline ({factory}): {type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if msg is None:
            conn.send(("bye", _peak_rss_mb(), _cpu_s()))
            return
        seq, doc_id, text = msg
        reason = None
        try:
            rec = pipe(text, doc_id)
            line = _dumps(rec.to_dict() if hasattr(rec, "to_dict") else rec)
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
            reason = "extraction_failed"
            line = _dumps(error_row(doc_id, reason, f"{type(exc).__name__}: {exc}"[:500]))
        try:
            conn.send(("done", seq, line, reason))
        except (BrokenPipeError, OSError):
            return


@dataclass
class _Task:
    seq: int
    id: str
    text: str
    nbytes: int


@dataclass
class _Worker:
    proc: Any
    conn: Any
    ready: bool = False
    task: _Task | None = None
    started: float = 0.0
    spawned: float = field(default_factory=time.monotonic)


@dataclass
class _Done:
    task: _Task
    line: str
    reason: str | None


class WorkerPool:
    """N worker processes, one document each at a time, with a hard time limit."""

    def __init__(self, n: int, factory: str, model_dir: str | None, doc_timeout: float | None) -> None:
        import multiprocessing

        # spawn: no inherited threads, locks or open output files in the workers.
        self._ctx = multiprocessing.get_context("spawn")
        self.factory, self.model_dir, self.doc_timeout = factory, model_dir, doc_timeout
        self.workers: list[_Worker] = []
        self.restarts = 0
        self.peak_rss_mb: list[float] = []
        self.cpu_s: list[float] = []  # CPU time of each worker, unaffected by a busy machine
        self._failed_starts = 0
        self._closed = False
        self.n = max(1, n)

    def start(self) -> None:
        """Spawn the workers; called on the first document, so a finished job reruns at once."""
        while len(self.workers) < self.n:
            self.workers.append(self._spawn())

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_worker_main, args=(child, self.factory, self.model_dir),
                                 name="vnreport-ie-batch-worker", daemon=True)
        # Every worker gets the same string hashing, so any set-order dependence
        # in the pipeline cannot make output depend on which worker ran a document.
        seed = os.environ.get("PYTHONHASHSEED", "")
        os.environ["PYTHONHASHSEED"] = seed if seed.isdigit() else "0"
        try:
            proc.start()
        finally:
            if seed:
                os.environ["PYTHONHASHSEED"] = seed
            else:
                del os.environ["PYTHONHASHSEED"]
        child.close()
        return _Worker(proc, parent)

    def idle(self) -> list[_Worker]:
        return [w for w in self.workers if w.ready and w.task is None]

    def busy(self) -> int:
        return sum(1 for w in self.workers if w.task is not None)

    def submit(self, w: _Worker, task: _Task) -> None:
        w.task, w.started = task, time.monotonic()
        try:
            w.conn.send((task.seq, task.id, task.text))
        except (BrokenPipeError, OSError):
            pass  # its death is noticed (and reported for this task) by poll()

    def poll(self, timeout: float) -> list[_Done]:
        from multiprocessing.connection import wait

        now = time.monotonic()
        if self.doc_timeout:
            deadlines = [w.started + self.doc_timeout - now for w in self.workers if w.task]
            if deadlines:
                timeout = max(0.0, min(timeout, min(deadlines)))
        waitables = {w.conn: w for w in self.workers} | {w.proc.sentinel: w for w in self.workers}
        done: list[_Done] = []
        ready = {id(waitables[obj]): waitables[obj] for obj in wait(list(waitables), timeout)}
        for w in ready.values():
            self._receive(w, done)
        now = time.monotonic()
        for w in self.workers:
            if not w.ready and now - w.spawned > STARTUP_TIMEOUT:
                raise BatchError(f"a worker process did not load the pipeline within {STARTUP_TIMEOUT:g} s")
        if self.doc_timeout:
            for w in list(self.workers):
                if w.task and now - w.started > self.doc_timeout:
                    task = w.task
                    self._replace(w)
                    done.append(_Done(task, _dumps(error_row(task.id, "timeout",
                                      f"extraction took over the {self.doc_timeout:g} s per-document limit "
                                      "(--doc-timeout); its worker was stopped")), "timeout"))
        return done

    def _receive(self, w: _Worker, done: list[_Done]) -> None:
        try:
            while w.conn.poll():
                msg = w.conn.recv()
                if msg[0] == "ready":
                    w.ready = True
                    self._failed_starts = 0
                elif msg[0] == "done":
                    _, seq, line, reason = msg
                    if w.task and w.task.seq == seq:
                        done.append(_Done(w.task, line, reason))
                        w.task = None
                elif msg[0] == "fatal":
                    raise BatchError(msg[1])
        except (EOFError, OSError):
            pass
        if not w.proc.is_alive():
            w.proc.join(1)
            if w.task:
                task = w.task
                done.append(_Done(task, _dumps(error_row(task.id, "worker_crashed",
                                  f"the worker process died (exit code {w.proc.exitcode}) while extracting "
                                  "this document")), "worker_crashed"))
                w.task = None
            if not w.ready:
                self._failed_starts += 1
                if self._failed_starts >= 3:
                    raise BatchError(f"worker processes die while loading the pipeline (exit code {w.proc.exitcode})")
            self._replace(w)

    def _replace(self, w: _Worker) -> None:
        self._stop(w)
        self.workers[self.workers.index(w)] = self._spawn()
        self.restarts += 1

    @staticmethod
    def _stop(w: _Worker) -> None:
        if w.proc.is_alive():
            w.proc.kill()
        w.proc.join(5)
        w.conn.close()

    def close(self, graceful: bool = True) -> None:
        """Stop the workers (idempotent); a graceful close collects their peak memory."""
        if self._closed:
            return
        self._closed = True
        if graceful:
            for w in self.workers:
                try:
                    w.conn.send(None)
                except (BrokenPipeError, OSError):
                    pass
            deadline = time.monotonic() + 10
            for w in self.workers:
                try:
                    if w.ready and w.conn.poll(max(0.0, deadline - time.monotonic())):
                        msg = w.conn.recv()
                        if msg[0] == "bye":
                            self.peak_rss_mb.append(msg[1])
                            self.cpu_s.append(msg[2])
                except (EOFError, OSError):
                    pass
        for w in self.workers:
            self._stop(w)


# --------------------------------------------------------------------------- progress

class _Progress:
    """A tqdm bar on a terminal, otherwise a plain line every ``every`` seconds."""

    def __init__(self, mode: str | bool, total: int | None, every: float = 15.0) -> None:
        if mode is True or mode == "auto":
            mode = "bar" if sys.stderr.isatty() else "log"
        self.mode = mode or "none"
        self.total, self.every = total, every
        self.n = self.errors = self.bytes = self.skipped = 0
        self.t0 = self._last = time.monotonic()
        self.bar = None
        if self.mode == "bar":
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="doc", dynamic_ncols=True, file=sys.stderr, smoothing=0.1,
                            desc="vnreport-ie batch")

    def skip(self) -> None:
        """A document done by an earlier run: out of the ETA, not in the rate."""
        self.skipped += 1
        if self.bar is not None and self.total is not None:
            self.bar.total = self.total - self.skipped

    def update(self, nbytes: int, error: bool) -> None:
        self.n += 1
        self.bytes += nbytes
        self.errors += error
        if self.bar is not None:
            self.bar.update(1)
            if self.n % 10 == 0:
                self.bar.set_postfix_str(f"{self.mb_per_s():.2f} MB/s, {self.errors} errors", refresh=False)
        else:
            self.tick()

    def elapsed(self) -> float:
        return time.monotonic() - self.t0

    def mb_per_s(self) -> float:
        return self.bytes / 1e6 / max(self.elapsed(), 1e-9)

    def tick(self, force: bool = False) -> None:
        if self.mode != "log":
            return
        now = time.monotonic()
        if not force and now - self._last < self.every:
            return
        self._last = now
        rate = self.n / max(self.elapsed(), 1e-9)
        todo = None if self.total is None else self.total - self.skipped - self.n
        eta = f"ETA {_hms(todo / rate)}" if todo is not None and rate > 0 else "ETA ?"
        of = f"/{self.total - self.skipped:,}" if self.total is not None else ""
        print(f"vnreport-ie batch: {self.n:,}{of} docs | {rate:.1f} docs/s | {self.mb_per_s():.2f} MB/s | "
              f"{self.errors} errors | {eta}" + (f" | {self.skipped:,} done earlier" if self.skipped else ""),
              file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        else:
            self.tick(force=True)


def _hms(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}h{s // 60 % 60:02d}m{s % 60:02d}s" if s >= 3600 else f"{s // 60}m{s % 60:02d}s"


# --------------------------------------------------------------------------- the job

@dataclass
class _Job:
    outdir: Path
    identity: dict[str, Any]
    lock_fd: int = -1
    state: Path = field(init=False)

    def __post_init__(self) -> None:
        self.state = _inside(self.outdir, self.outdir / "_state")

    def acquire(self, overwrite: bool) -> None:
        import fcntl

        self.state.mkdir(parents=True, exist_ok=True)
        self.lock_fd = os.open(self.state / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self.lock_fd)
            raise BatchError(f"{self.outdir}: another batch is writing there") from None
        try:
            self._check_identity(overwrite)
        except BaseException:
            self.release()
            raise

    def _check_identity(self, overwrite: bool) -> None:
        import shutil

        job_file = self.state / "job.json"
        if overwrite:
            for name in ("records", "facts"):
                shutil.rmtree(self.outdir / name, ignore_errors=True)
            (self.outdir / "summary.json").unlink(missing_ok=True)
            job_file.unlink(missing_ok=True)
        if job_file.exists():
            old = json.loads(job_file.read_text(encoding="utf-8"))
            if old != self.identity:
                changed = sorted(k for k in set(old) | set(self.identity) if old.get(k) != self.identity.get(k))
                raise BatchError(f"{self.outdir} holds a batch made with other {', '.join(changed)}; "
                                 "use another -o, or --overwrite to start it again")
        else:
            tmp = job_file.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.identity, ensure_ascii=False, indent=2), encoding="utf-8")
            os.replace(tmp, job_file)
            _fsync_dir(self.state)

    def release(self) -> None:
        if self.lock_fd >= 0:
            os.close(self.lock_fd)  # closing drops the flock
            self.lock_fd = -1


def run_batch(inputs: Iterable[str | Path], outdir: str | Path, *, workers: int = 1, text_field: str = "text",
              id_field: str = "id", fmt: str = "jsonl", max_chars: int = DEFAULT_MAX_CHARS,
              doc_timeout: float | None = DEFAULT_DOC_TIMEOUT, progress: str | bool = "auto",
              limit: int | None = None, shard_size: int = DEFAULT_SHARD_SIZE, model_dir: str | Path | None = None,
              pipeline: str = DEFAULT_PIPELINE, overwrite: bool = False) -> dict[str, Any]:
    """Extract every document of ``inputs`` into ``outdir``; return the summary
    (also written to ``outdir/summary.json``). Rerunning continues an interrupted run.

    ``pipeline`` names a factory ``f(model_dir) -> callable(text, id) -> Record``
    that each worker process calls once.
    """
    if fmt not in FORMATS:
        raise BatchError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if max_chars < 1:
        raise BatchError("--max-chars must be positive")
    if doc_timeout is not None and doc_timeout <= 0:
        doc_timeout = None
    inputs = [str(i) for i in inputs]
    sources = resolve_inputs(inputs)
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    job = _Job(out, {"inputs": [str(Path(i).resolve()) for i in inputs], "text_field": text_field,
                     "id_field": id_field, "format": fmt})
    job.acquire(overwrite)
    t_start = time.monotonic()
    interrupted = finished = False
    stats: _Stats | None = None
    pool: WorkerPool | None = None
    store = RecordStore(out, fmt, shard_size)
    old_term = _on_sigterm()
    try:
        try:
            done_ids, done_dups = store.recover()
            store.open()
            total = count_documents(sources, text_field) if progress not in (False, "none") else None
            if total is not None and limit is not None:
                total = min(total, limit)
            bar = _Progress(progress, total)
            pool = WorkerPool(workers, pipeline, str(model_dir) if model_dir else None, doc_timeout)
            stats = _dispatch(sources, text_field, id_field, max_chars, limit, store, pool, bar,
                              done_ids, done_dups)
            bar.close()
            pool.close(graceful=True)
            finished = True
        except KeyboardInterrupt:
            interrupted = True
        finally:
            if pool is not None:
                pool.close(graceful=False)
            store.close(finished=finished)
        summary = _summarise(out, store, inputs, fmt, stats, pool, workers, time.monotonic() - t_start,
                             dict(text_field=text_field, id_field=id_field, max_chars=max_chars,
                                  doc_timeout=doc_timeout, shard_size=shard_size, limit=limit),
                             finished=finished)
    finally:
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)
        job.release()
    if interrupted:
        raise KeyboardInterrupt
    return summary


def _on_sigterm() -> Any:
    """``kill`` stops a batch like Ctrl-C: rows so far are flushed, the rerun continues."""
    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt
    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        return None


@dataclass
class _Stats:
    read: int = 0
    skipped: int = 0
    processed: int = 0
    bytes: int = 0


def _dispatch(sources: list[Source], text_field: str, id_field: str, max_chars: int, limit: int | None,
              store: RecordStore, pool: WorkerPool, bar: _Progress, done_ids: set[str],
              done_dups: Counter[str]) -> _Stats:
    stats = _Stats()
    seen: dict[str, int] = {}
    first_at: dict[str, int] = {}
    docs = iter_documents(sources, text_field=text_field, id_field=id_field, max_chars=max_chars)
    exhausted = False

    def emit(line: str, nbytes: int, error: bool) -> None:
        store.write(line)
        stats.processed += 1
        stats.bytes += nbytes
        bar.update(nbytes, error)

    def next_task() -> _Task | None:
        """The next document a worker must extract; rows decided here are written on the way."""
        nonlocal exhausted
        while not exhausted:
            if limit is not None and stats.read >= limit:
                exhausted = True
                break
            doc = next(docs, None)
            if doc is None:
                exhausted = True
                break
            seq = stats.read
            stats.read += 1
            k = seen[doc.id] = seen.get(doc.id, 0) + 1
            if k == 1:
                first_at[doc.id] = seq
                if doc.id in done_ids:
                    stats.skipped += 1
                    bar.skip()
                    continue
            else:
                # Duplicates are rows of their own, written in input order, so the
                # count of duplicate rows already out tells which ones are done.
                if done_dups.get(doc.id, 0) >= k - 1:
                    stats.skipped += 1
                    bar.skip()
                    continue
                emit(_dumps(error_row(doc.id, "duplicate_id", f"input document #{seq} has the same id as "
                                      f"input document #{first_at[doc.id]}; reported, not merged")), 0, True)
                continue
            if doc.problem:
                emit(_dumps(error_row(doc.id, *doc.problem)), 0, True)
                continue
            assert doc.text is not None
            return _Task(seq, doc.id, doc.text, doc.nbytes)
        return None

    pending: _Task | None = None
    while True:
        if pending is None:
            pending = next_task()
        if pending is not None:
            pool.start()
        for w in pool.idle():
            if pending is None:
                pending = next_task()
            if pending is None:
                break
            pool.submit(w, pending)
            pending = None
        if pending is None and exhausted and pool.busy() == 0:
            break
        for d in pool.poll(timeout=0.5):
            emit(d.line, d.task.nbytes, d.reason is not None)
        bar.tick()
    return stats


def _summarise(out: Path, store: RecordStore, inputs: list[str], fmt: str, stats: _Stats | None,
               pool: WorkerPool | None, workers: int, elapsed: float, options: dict[str, Any],
               finished: bool) -> dict[str, Any]:
    rows = records = 0
    reasons: Counter[str] = Counter()
    facts: Counter[str] = Counter()
    for row in store.rows():
        rows += 1
        if row.get("error"):
            reasons[row["error"].get("reason", "unknown")] += 1
        else:
            records += 1
            facts.update(f.get("type", "unknown") for f in row.get("facts") or ())
    complete = finished and stats is not None and stats.read == rows
    tables = write_fact_tables(store.rows, out) if complete else {}
    processed = stats.processed if stats else 0
    nbytes = stats.bytes if stats else 0
    summary = {
        "complete": complete,
        "inputs": inputs,
        "format": fmt,
        "documents_read": stats.read if stats else None,
        "rows_written": rows,
        "records_written": records,
        "errors": sum(reasons.values()),
        "errors_by_reason": dict(sorted(reasons.items())),
        "facts_by_type": dict(sorted(facts.items())),
        "facts_total": sum(facts.values()),
        "elapsed_s": round(elapsed, 2),
        "docs_per_s": round(processed / elapsed, 2) if elapsed > 0 else None,
        "mb_per_s": round(nbytes / 1e6 / elapsed, 4) if elapsed > 0 else None,
        "this_run": {"documents_processed": processed, "documents_done_earlier": stats.skipped if stats else None,
                     "text_mb": round(nbytes / 1e6, 3), "workers": workers,
                     "worker_restarts": pool.restarts if pool else 0,
                     "worker_peak_rss_mb": sorted(pool.peak_rss_mb) if pool else [],
                     "worker_cpu_s": sorted(pool.cpu_s) if pool else [],
                     "parent_peak_rss_mb": _peak_rss_mb()},
        "options": options,
        "files": {"records": store.files(), "facts": tables},
    }
    if finished and stats is not None and stats.read != rows:
        summary["warning"] = (f"{stats.read} documents read but {rows} rows in {out / 'records'}: "
                              "the output holds rows of other inputs; rerun with --overwrite")
    path = _inside(out, out / "summary.json")
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return summary


# --------------------------------------------------------------------------- command line

EXAMPLES = """examples:
  vnreport-ie batch news.jsonl.gz -o out/ --workers 2
  vnreport-ie batch reports/ -o out/ --format parquet
  vnreport-ie batch data.parquet --text-field content --id-field url -o out/
  vnreport-ie batch saved_dataset/ -o out/ --doc-timeout 60 --max-chars 200000

Rerun the same command after a crash or kill to continue where it stopped.
"""


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``batch`` on the CLI's subparsers."""
    b = subparsers.add_parser(
        "batch", help="extract a whole archive: resumable, parallel, one row per document",
        description="Extract every document of INPUT (a directory of .txt files, .jsonl or .jsonl.gz, "
                    ".parquet, or a directory saved with datasets.save_to_disk) into OUTDIR: "
                    "records/ (one row per document: its record or an error row), facts/ (one table per "
                    "fact type, Parquet and CSV) and summary.json. Rerunning continues an interrupted run.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("inputs", nargs="+", metavar="INPUT")
    b.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="output directory")
    b.add_argument("--workers", type=int, default=1, metavar="N",
                   help="worker processes, each loading the pipeline once (default: %(default)s)")
    b.add_argument("--format", dest="fmt", choices=FORMATS, default="jsonl",
                   help="records as JSON Lines or sharded Parquet (default: %(default)s)")
    b.add_argument("--text-field", default="text", help="text field or column (default: %(default)s)")
    b.add_argument("--id-field", default="id", help="id field or column (default: %(default)s)")
    b.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS, metavar="N",
                   help="longer texts give a too_long error row (default: %(default)s)")
    b.add_argument("--doc-timeout", type=float, default=DEFAULT_DOC_TIMEOUT, metavar="SECONDS",
                   help="per-document time limit; 0 for none (default: %(default)s)")
    b.add_argument("--shard-size", type=int, default=DEFAULT_SHARD_SIZE, metavar="N",
                   help="rows per records shard (default: %(default)s)")
    b.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N input documents")
    b.add_argument("--progress", choices=("auto", "bar", "log", "none"), default="auto",
                   help="a bar on a terminal, log lines otherwise (default: %(default)s)")
    b.add_argument("--model-dir", default=None, help="models to use (default: the packaged ones)")
    b.add_argument("--pipeline", default=DEFAULT_PIPELINE, metavar="MODULE:FUNCTION",
                   help="factory f(model_dir) -> callable(text, id) -> Record that each worker calls once "
                        "(default: %(default)s)")
    b.add_argument("--overwrite", action="store_true",
                   help="start OUTDIR again instead of continuing it (removes its records/, facts/, summary.json)")
    b.set_defaults(func=cmd_batch)
    return b


def cmd_batch(args: argparse.Namespace) -> int:
    summary = run_batch(args.inputs, args.output, workers=args.workers, text_field=args.text_field,
                        id_field=args.id_field, fmt=args.fmt, max_chars=args.max_chars,
                        doc_timeout=args.doc_timeout or None, progress=args.progress, limit=args.limit,
                        shard_size=args.shard_size, model_dir=args.model_dir, pipeline=args.pipeline,
                        overwrite=args.overwrite)
    errors = ", ".join(f"{k} {v}" for k, v in summary["errors_by_reason"].items()) or "none"
    print(f"{summary['rows_written']:,} rows ({summary['records_written']:,} records; errors: {errors}) "
          f"in {args.output}; this run {summary['this_run']['documents_processed']:,} docs in "
          f"{summary['elapsed_s']:.1f} s ({summary['docs_per_s']} docs/s, {summary['mb_per_s']} MB/s)",
          file=sys.stderr)
    if summary.get("warning"):
        print(f"vnreport-ie: warning: {summary['warning']}", file=sys.stderr)
    return 0 if summary["complete"] else 1


def main(argv: list[str] | None = None) -> int:
    """``python -m vnreport_ie.batch``: the ``batch`` command on its own."""
    parser = argparse.ArgumentParser(prog="vnreport-ie")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["batch", *(sys.argv[1:] if argv is None else argv)])
    try:
        return args.func(args)
    except (BatchError, FileNotFoundError) as exc:
        print(f"vnreport-ie: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("vnreport-ie: interrupted; rerun the same command to continue", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
