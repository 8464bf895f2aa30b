"""The run: documents from the readers to the workers, rows to the store, then
the fact tables and the summary."""

from __future__ import annotations

import json
import os
import signal
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .common import (DEFAULT_DOC_TIMEOUT, DEFAULT_MAX_CHARS, DEFAULT_PIPELINE, DEFAULT_SHARD_SIZE, FORMATS, BatchError,
                     dumps, error_row, inside)
from .lock import Job
from .progress import Progress
from .readers import Source, count_documents, iter_documents, resolve_inputs
from .store import RecordStore
from .tables import write_fact_tables
from .workers import Task, WorkerPool, peak_rss_mb


def run_batch(inputs: Iterable[str | Path], outdir: str | Path, *, workers: int = 1, text_field: str = "text",
              id_field: str = "id", date_field: str = "date", fmt: str = "jsonl", max_chars: int = DEFAULT_MAX_CHARS,
              doc_timeout: float | None = DEFAULT_DOC_TIMEOUT, progress: str | bool = "auto",
              limit: int | None = None, shard_size: int = DEFAULT_SHARD_SIZE, model_dir: str | Path | None = None,
              pipeline: str = DEFAULT_PIPELINE, overwrite: bool = False, keep_all: bool = False) -> dict[str, Any]:
    """Extract every document of ``inputs`` into ``outdir``; return the summary
    (also written to ``outdir/summary.json``). Rerunning continues an interrupted run.

    ``pipeline`` names a factory ``f(model_dir) -> callable(text, id) -> Record``
    that each worker process calls once; the callable gets ``published=`` (an
    ISO date read from ``date_field``) as well when the input row has one.
    The input's other scalar fields are carried to each row as ``source``.
    ``keep_all`` keeps the facts under the confidence threshold (the factory
    is then called as ``f(model_dir, keep_all=True)``, as :func:`vnreport_ie.load`).
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
    job = Job(out, {"inputs": [str(Path(i).resolve()) for i in inputs], "text_field": text_field,
                     "id_field": id_field, "date_field": date_field, "format": fmt,
                     # (only when set, so jobs started before the option existed still continue)
                     **({"keep_all": True} if keep_all else {})})
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
            bar = Progress(progress, total)
            pool = WorkerPool(workers, pipeline, str(model_dir) if model_dir else None, doc_timeout, keep_all)
            stats = _dispatch(sources, dict(text_field=text_field, id_field=id_field, date_field=date_field),
                              max_chars, limit, store, pool, bar, done_ids, done_dups)
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
                             dict(text_field=text_field, id_field=id_field, date_field=date_field,
                                  max_chars=max_chars,
                                  doc_timeout=doc_timeout, shard_size=shard_size, limit=limit,
                                  keep_all=keep_all),
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


def _dispatch(sources: list[Source], fields: dict[str, str], max_chars: int, limit: int | None,
              store: RecordStore, pool: WorkerPool, bar: Progress, done_ids: set[str],
              done_dups: Counter[str]) -> _Stats:
    stats = _Stats()
    seen: dict[str, int] = {}
    first_at: dict[str, int] = {}
    docs = iter_documents(sources, **fields, max_chars=max_chars)
    exhausted = False

    def emit(line: str, nbytes: int, error: bool) -> None:
        store.write(line)
        stats.processed += 1
        stats.bytes += nbytes
        bar.update(nbytes, error)

    def next_task() -> Task | None:
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
                emit(dumps(error_row(doc.id, "duplicate_id", f"input document #{seq} has the same id as "
                                      f"input document #{first_at[doc.id]}; reported, not merged",
                                      doc.source)), 0, True)
                continue
            if doc.problem:
                emit(dumps(error_row(doc.id, *doc.problem, doc.source)), 0, True)
                continue
            assert doc.text is not None
            return Task(seq, doc.id, doc.text, doc.nbytes, doc.published, doc.source)
        return None

    pending: Task | None = None
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
                     "parent_peak_rss_mb": peak_rss_mb()},
        "options": options,
        "files": {"records": store.files(), "facts": tables},
    }
    if finished and stats is not None and stats.read != rows:
        summary["warning"] = (f"{stats.read} documents read but {rows} rows in {out / 'records'}: "
                              "the output holds rows of other inputs; rerun with --overwrite")
    path = inside(out, out / "summary.json")
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return summary
