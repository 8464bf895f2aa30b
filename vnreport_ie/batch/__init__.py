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
- *Input metadata kept*: a row's date field (``--date-field``) is the
  publication date the pipeline gets (``meta.published``); its other scalar
  fields ride along unchanged as ``source`` (records) and ``source_<field>``
  columns (fact tables).
- No file name is ever made from a document id, and the few names made from
  data (fact types) pass :func:`safe_name`, so nothing is written outside OUTDIR.

Modules, in the order a document meets them: ``readers`` (inputs to checked
documents), ``workers`` (the process pool), ``store`` (records shards),
``tables`` (fact tables), ``progress``, ``lock`` (one job per OUTDIR), ``run``
(the run and its summary), ``cli``; ``common`` holds what they share.

Layout of OUTDIR::

    records/part-00000.jsonl   records and error rows, each with "source" when the input has
                               other fields (or part-*.parquet with --format parquet)
    facts/<type>.parquet|.csv  one flat row per fact: doc_id, slots, evidence start/end,
                               published, source_<field>
    summary.json               counts, errors by reason, facts by type, speed
    _state/                    job identity and lock (resuming checks it)
"""

from __future__ import annotations

from .cli import EXAMPLES, add_parser, cmd_batch, main
from .common import (DEFAULT_DOC_TIMEOUT, DEFAULT_MAX_CHARS, DEFAULT_PIPELINE, DEFAULT_SHARD_SIZE, FORMATS, REASONS,
                     BatchError, dumps, error_row, safe_name)
from .readers import InputDoc, Source, check_text, count_documents, decode, iter_documents, resolve_inputs
from .run import run_batch
from .store import RecordStore
from .tables import write_fact_tables
from .workers import STARTUP_TIMEOUT, WorkerPool, load_factory

__all__ = [
    "REASONS", "DEFAULT_MAX_CHARS", "DEFAULT_DOC_TIMEOUT", "DEFAULT_SHARD_SIZE", "DEFAULT_PIPELINE", "FORMATS",
    "STARTUP_TIMEOUT", "EXAMPLES", "BatchError", "InputDoc", "Source", "RecordStore", "WorkerPool",
    "error_row", "dumps", "safe_name", "check_text", "decode", "resolve_inputs", "count_documents",
    "iter_documents", "write_fact_tables", "load_factory", "run_batch", "add_parser", "cmd_batch", "main",
]
