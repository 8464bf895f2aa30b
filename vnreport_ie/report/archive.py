"""What the report reads: the rows ``vnreport-ie batch`` wrote, and (optionally)
the batch's input again, for the columns and texts the records do not keep."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..batch import BatchError, RecordStore


@dataclass
class Archive:
    """A batch OUTDIR in memory: its rows (records and error rows), its
    ``summary.json``, and from the input, per doc id, the fields besides the
    text (``extra``: ``url``, ``date``, ``category``...) and the text itself."""

    rows: list[dict[str, Any]]
    summary: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, dict[str, Any]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def records(self) -> list[dict[str, Any]]:
        """The rows that are records (not error rows)."""
        return [r for r in self.rows if r.get("error") is None]


def read_archive(outdir: str | Path, inputs: Iterable[str | Path] = (), *, id_field: str = "id",
                 text_field: str = "text") -> Archive:
    """Read a batch OUTDIR, and the batch's ``inputs`` (JSON Lines, optionally
    gzipped, or Parquet) for their other fields and texts."""
    root = Path(outdir)
    if not (root / "records").is_dir():
        raise BatchError(f"{root}: not a `vnreport-ie batch` output directory (no records/)")
    # The store's reader understands both formats and refuses a damaged shard.
    rows = list(RecordStore(root, "jsonl").rows())
    summary_path = root / "summary.json"
    summary = json.loads(summary_path.read_text(encoding="utf-8")) if summary_path.is_file() else {}
    archive = Archive(rows, summary)
    wanted = {r["id"] for r in rows}
    for path in inputs:
        for obj in _input_rows(Path(path)):
            doc_id = obj.get(id_field)
            doc_id = doc_id if doc_id is None or isinstance(doc_id, str) else str(doc_id)
            if doc_id not in wanted:
                continue
            text = obj.get(text_field)
            if isinstance(text, str):
                archive.texts[doc_id] = text
            own = {k: v for k, v in obj.items() if k not in (id_field, text_field)}
            if own:
                archive.extra[doc_id] = own
    return archive


def _input_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The objects of one input file. Documents the batch could not read are
    skipped here too: their rows are error rows with nothing to show."""
    name = path.name.lower()
    if name.endswith(".parquet"):
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches():
            yield from batch.to_pylist()
        return
    if not (name.endswith(".jsonl") or name.endswith(".jsonl.gz") or name.endswith(".json.gz")):
        raise BatchError(f"{path}: --input takes .jsonl, .jsonl.gz or .parquet files")
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if isinstance(obj, dict):
                yield obj
