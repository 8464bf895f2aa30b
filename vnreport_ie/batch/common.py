"""What the parts of a batch share: error reasons, defaults, the error row,
compact JSON, and writing only inside OUTDIR."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

REASONS = ("invalid_utf8", "empty", "too_long", "timeout", "unreadable", "binary", "duplicate_id",
           "extraction_failed", "worker_crashed")
DEFAULT_MAX_CHARS = 1_000_000
DEFAULT_DOC_TIMEOUT = 120.0
DEFAULT_SHARD_SIZE = 10_000
DEFAULT_PIPELINE = "vnreport_ie.pipeline:load"
FORMATS = ("jsonl", "parquet")


class BatchError(ValueError):
    """The job as a whole cannot run (bad input path, OUTDIR of another job, ...)."""


def error_row(doc_id: str, reason: str, detail: str, source: dict[str, Any] | None = None) -> dict[str, Any]:
    """The output row of a document that gives no record; ``reason`` is one of
    :data:`REASONS`; ``source`` is the input row's passthrough fields, if any."""
    row: dict[str, Any] = {"id": doc_id, "error": {"reason": reason, "detail": detail}}
    if source:
        row["source"] = source
    return row


def dumps(obj: Any) -> str:
    """One output row as compact JSON (UTF-8 kept as is)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def safe_name(name: str, max_len: int = 80) -> str:
    """A file name made from untrusted text: no separators, no leading dots,
    bounded length; a hash keeps different inputs apart."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).lstrip(".") or "_"
    if cleaned != name or len(cleaned) > max_len:
        digest = hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        cleaned = f"{cleaned[:max_len]}-{digest}"
    return cleaned


def inside(root: Path, path: Path) -> Path:
    """``path``, after checking that it does not lead out of ``root``."""
    if not path.resolve().is_relative_to(root.resolve()):
        raise BatchError(f"refusing to write {path}: outside {root}")
    return path


def fsync_dir(path: Path) -> None:
    """Make a file creation or rename in ``path`` survive a power loss."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
