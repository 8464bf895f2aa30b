"""Reading the inputs: what each INPUT is, and every document in it, checked
(encoding, size, emptiness) but not extracted."""

from __future__ import annotations

import gzip
import json
import math
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..inputs import SNIFF_BYTES, InputError, parse_published, sniff
from .common import DEFAULT_MAX_CHARS, BatchError

_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")


def check_text(text: str, max_chars: int) -> tuple[str, str] | None:
    """The reason a decoded text cannot be extracted, or None when it can."""
    if len(text) > max_chars:
        return "too_long", f"{len(text):,} characters is over the --max-chars limit of {max_chars:,}"
    if not text.strip():
        return "empty", "the text is empty or only whitespace"
    sample = text[:SNIFF_BYTES]
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
    """One input document: a text to extract, or the reason it cannot be.

    ``published`` is the ISO publication date read from the date field (None
    when absent or unreadable); ``source`` holds the row's other scalar fields,
    carried to the output unchanged (None for .txt files and rows without any).
    """
    id: str
    text: str | None
    problem: tuple[str, str] | None = None
    nbytes: int = 0
    published: str | None = None
    source: dict[str, Any] | None = None


@dataclass(frozen=True)
class Fields:
    """Which input fields are the text, the id and the publication date."""
    text: str = "text"
    id: str = "id"
    date: str = "date"


def _from_value(doc_id: str, value: Any, max_chars: int, fields: Fields,
                row: dict[str, Any] | None = None) -> InputDoc:
    extra: dict[str, Any] = {}
    if row is not None:
        extra = {"published": published_of(row.get(fields.date)), "source": passthrough(row, fields)}
    text_field = fields.text
    if value is None:
        return InputDoc(doc_id, None, ("empty", f"the {text_field!r} field is null"), **extra)
    if isinstance(value, bytes):
        text, problem = decode(value, max_chars)
        return InputDoc(doc_id, text, problem, len(value), **extra)
    if not isinstance(value, str):
        return InputDoc(doc_id, None, ("unreadable", f"the {text_field!r} field is {type(value).__name__}, "
                                                     "not a string"), **extra)
    problem = check_text(value, max_chars)
    if problem is None and (at := _surrogate_at(value)) is not None:
        problem = ("invalid_utf8", f"unpaired surrogate code point at character {at}")
    nbytes = len(value.encode("utf-8")) if not problem else 0
    return InputDoc(doc_id, None if problem else value, problem, nbytes, **extra)


def published_of(value: Any) -> str | None:
    """The ISO date of a date field, or None when it is missing or cannot be read
    (the document is still extracted, with no publication date)."""
    if value is None or value == "":
        return None
    try:
        return parse_published(value)
    except InputError:
        return None


def passthrough(row: dict[str, Any], fields: Fields) -> dict[str, Any] | None:
    """The row's scalar fields other than the text and the id, as JSON values,
    in the row's order; None when there are none. Nested values and bytes are
    left out (they would not fit one table column)."""
    out: dict[str, Any] = {}
    for k, v in row.items():
        if k in (fields.text, fields.id) or not isinstance(k, str):
            continue
        if hasattr(v, "isoformat"):  # Parquet and dataset dates and timestamps
            v = v.isoformat()
        if isinstance(v, float) and not math.isfinite(v):
            v = None  # NaN is not JSON
        if isinstance(v, str) and _surrogate_at(v) is not None:
            v = v.encode("utf-8", "surrogatepass").decode("utf-8", "replace")  # output files are UTF-8
        if v is None or isinstance(v, (str, int, float, bool)):
            out[k] = v
    return out or None


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


@dataclass(frozen=True)
class Source:
    """One input: its kind (``txt`` directory, ``jsonl``, ``parquet`` or a
    ``hf`` dataset directory), its path and, for ``txt``, its files."""

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
                   date_field: str = "date", max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[InputDoc]:
    """Every document of every source, in a fixed order, checked but not extracted."""
    fields = Fields(text_field, id_field, date_field)
    for s in sources:
        if s.kind == "txt":
            yield from _read_txt(s, max_chars)
        elif s.kind == "jsonl":
            yield from _read_jsonl(s.path, fields, max_chars)
        elif s.kind == "parquet":
            yield from _read_parquet(s.path, fields, max_chars)
        else:
            yield from _read_hf(s.path, fields, max_chars)


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


def _read_jsonl(path: Path, fields: Fields, max_chars: int) -> Iterator[InputDoc]:
    lineno = 0
    try:
        with _open_jsonl(path) as fh:
            for lineno, raw in enumerate(fh, 1):
                if not raw.strip():
                    continue
                yield _jsonl_doc(raw, f"{path.name}:{lineno}", fields, max_chars)
    except (OSError, EOFError, zlib.error) as exc:
        # A damaged or truncated file: the rest of it is one unreadable row.
        yield InputDoc(f"{path.name}:{lineno + 1}", None,
                       ("unreadable", f"cannot read {path.name} after line {lineno}: {type(exc).__name__}: {exc}"))


def _jsonl_doc(raw: bytes, fallback: str, fields: Fields, max_chars: int) -> InputDoc:
    text_field = fields.text
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
    doc_id = _id_of(obj.get(fields.id), fallback)
    if bad_utf8:
        return InputDoc(doc_id, None, bad_utf8)
    if text_field not in obj:
        return InputDoc(doc_id, None, ("unreadable", f"no {text_field!r} field (keys: {', '.join(sorted(obj)[:8])})"),
                        source=passthrough(obj, fields))
    return _from_value(doc_id, obj[text_field], max_chars, fields, obj)


def _scalar_columns(schema: Any, fields: Fields) -> list[str]:
    """The columns to read: the text, then the id and every other scalar
    column (passed through), in the table's order."""
    import pyarrow as pa

    def scalar(t: Any) -> bool:
        return not (pa.types.is_nested(t) or pa.types.is_binary(t) or pa.types.is_large_binary(t))

    return [fields.text] + [f.name for f in schema if f.name != fields.text and scalar(f.type)]


def _read_parquet(path: Path, fields: Fields, max_chars: int) -> Iterator[InputDoc]:
    import datasets
    import pyarrow.parquet as pq

    schema = pq.read_schema(path)
    if fields.text not in schema.names:
        raise BatchError(f"{path}: no column {fields.text!r} (columns: {', '.join(schema.names)}); use --text-field")
    columns = _scalar_columns(schema, fields)
    # Streaming: row groups are read as they are needed, never the whole file.
    stream = datasets.load_dataset("parquet", data_files=[str(path)], split="train", streaming=True,
                                   columns=columns)
    for i, row in enumerate(stream):
        doc_id = _id_of(row.get(fields.id), f"{path.name}:{i}")
        yield _from_value(doc_id, row[fields.text], max_chars, fields, row)


def _hf_splits(path: Path) -> list[tuple[str | None, Any]]:
    import datasets

    loaded = datasets.load_from_disk(str(path))
    if isinstance(loaded, datasets.DatasetDict):
        return [(name, loaded[name]) for name in sorted(loaded)]
    return [(None, loaded)]


def _read_hf(path: Path, fields: Fields, max_chars: int) -> Iterator[InputDoc]:
    for split, ds in _hf_splits(path):
        where = f"{path.name}/{split}" if split else path.name
        if fields.text not in ds.column_names:
            raise BatchError(f"{path}: no column {fields.text!r} (columns: {', '.join(ds.column_names)}); "
                             "use --text-field")
        columns = _scalar_columns(ds.data.schema, fields)
        # Memory-mapped Arrow, read a batch at a time.
        for b, batch in enumerate(ds.select_columns(columns).iter(batch_size=256)):
            for j in range(len(batch[fields.text])):
                row = {c: batch[c][j] for c in columns}
                doc_id = _id_of(row.get(fields.id), f"{where}:{b * 256 + j}")
                yield _from_value(doc_id, row[fields.text], max_chars, fields, row)
