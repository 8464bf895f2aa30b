"""The records shards: append-only, flushed per row, and their own resume checkpoint."""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Iterator

from .common import DEFAULT_SHARD_SIZE, BatchError, dumps, error_row, fsync_dir, inside

# ``record`` is the record as the schema defines it; ``source`` (JSON) the input
# row's passthrough fields, which a JSON Lines row carries as its "source" key.
_RECORD_COLUMNS = ("id", "error_reason", "error_detail", "title", "location", "period_start", "period_end",
                   "published", "n_facts", "record", "source")


class RecordStore:
    """Append-only shards of output rows, which double as the resume checkpoint.

    Rows go to ``records/part-NNNNN.jsonl``, one line each, flushed per row. With
    ``fmt="parquet"`` a full (or, at the end, the last) segment is rewritten as
    ``part-NNNNN.parquet`` (temp file, fsync, rename) and its JSON Lines removed.
    """

    def __init__(self, outdir: Path, fmt: str, shard_size: int = DEFAULT_SHARD_SIZE,
                 fsync_every: float = 1.0) -> None:
        self.root = outdir
        self.dir = inside(outdir, outdir / "records")
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
            fsync_dir(self.dir)

    def write(self, line: str) -> None:
        """Append one output row (a JSON line), starting a new shard when this one is full."""
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
        fsync_dir(self.dir)
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
        """The finished shard files, relative to OUTDIR."""
        return sorted(p.relative_to(self.root).as_posix() for p in self.dir.glob("part-*.*")
                      if not p.name.endswith(".tmp"))


def _record_columns(row: dict[str, Any]) -> dict[str, Any]:
    source = dumps(row["source"]) if row.get("source") else None
    err = row.get("error")
    if err:
        return {"id": row["id"], "error_reason": err.get("reason"), "error_detail": err.get("detail"),
                "title": None, "location": None, "period_start": None, "period_end": None, "published": None,
                "n_facts": None, "record": None, "source": source}
    meta = row.get("meta") or {}
    period = meta.get("period") or {}
    record = {k: v for k, v in row.items() if k != "source"}
    return {"id": row["id"], "error_reason": None, "error_detail": None, "title": meta.get("title"),
            "location": meta.get("location"), "period_start": period.get("start"),
            "period_end": period.get("end"), "published": meta.get("published"),
            "n_facts": len(row.get("facts") or ()), "record": dumps(record), "source": source}


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
    columns = [c for c in ("id", "error_reason", "error_detail", "record", "source") if c in pf.schema_arrow.names]
    for batch in pf.iter_batches(batch_size=1024, columns=columns):
        for r in batch.to_pylist():
            source = json.loads(r["source"]) if r.get("source") else None
            if r["record"] is not None:
                row = json.loads(r["record"])
                if source:
                    row["source"] = source
                yield row
            else:
                yield error_row(r["id"], r["error_reason"], r["error_detail"], source)
