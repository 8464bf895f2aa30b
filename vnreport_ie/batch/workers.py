"""The worker pool: N processes, each loading the pipeline once and extracting
one document at a time under a hard time limit.

Kept light: worker processes import this package before the pipeline, and
pyarrow / datasets are imported only where they are used.
"""

from __future__ import annotations

import importlib
import os
import resource
import signal
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from .common import BatchError, dumps, error_row

STARTUP_TIMEOUT = 300.0  # seconds for a worker to import and load the pipeline


def load_factory(spec: str) -> Callable[..., Any]:
    """The function ``package.module:function`` names."""
    module, _, attr = spec.partition(":")
    if not attr:
        raise BatchError(f"pipeline factory {spec!r} must look like 'package.module:function'")
    return getattr(importlib.import_module(module), attr)


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return round(usage.ru_utime + usage.ru_stime, 2)


def _worker_main(conn: Any, factory: str, model_dir: str | None, keep_all: bool = False) -> None:
    """A worker process: load the pipeline once, then extract documents sent to it.
    ``keep_all`` is passed to the factory (as ``keep_all=True``) only when set,
    so factories that take ``model_dir`` alone keep working."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        pipe = load_factory(factory)(model_dir, keep_all=True) if keep_all else load_factory(factory)(model_dir)
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
            conn.send(("bye", peak_rss_mb(), _cpu_s()))
            return
        seq, doc_id, text, published, source = msg
        reason = None
        try:
            # ``published`` only when the input has one, so factories whose
            # callable takes (text, id) keep working on inputs without dates.
            rec = pipe(text, doc_id, published=published) if published else pipe(text, doc_id)
            row = rec.to_dict() if hasattr(rec, "to_dict") else dict(rec)
            if source:
                row["source"] = source
            line = dumps(row)
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
            reason = "extraction_failed"
            line = dumps(error_row(doc_id, reason, f"{type(exc).__name__}: {exc}"[:500], source))
        try:
            conn.send(("done", seq, line, reason))
        except (BrokenPipeError, OSError):
            return


@dataclass(frozen=True)
class Task:
    """A document for a worker; ``seq`` is its place in the input, ``published``
    and ``source`` come from the input row (see ``readers.InputDoc``)."""

    seq: int
    id: str
    text: str
    nbytes: int
    published: str | None = None
    source: dict[str, Any] | None = None


@dataclass
class _Worker:
    proc: Any
    conn: Any
    ready: bool = False
    task: Task | None = None
    started: float = 0.0
    spawned: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class Done:
    """A task's output row; ``reason`` is set when the row is an error row."""

    task: Task
    line: str
    reason: str | None


class WorkerPool:
    """N worker processes, one document each at a time, with a hard time limit."""

    def __init__(self, n: int, factory: str, model_dir: str | None, doc_timeout: float | None,
                 keep_all: bool = False) -> None:
        import multiprocessing

        # spawn: no inherited threads, locks or open output files in the workers.
        self._ctx = multiprocessing.get_context("spawn")
        self.factory, self.model_dir, self.doc_timeout = factory, model_dir, doc_timeout
        self.keep_all = keep_all
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
        proc = self._ctx.Process(target=_worker_main, args=(child, self.factory, self.model_dir, self.keep_all),
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
        """Workers that are loaded and have no document."""
        return [w for w in self.workers if w.ready and w.task is None]

    def busy(self) -> int:
        """How many workers have a document."""
        return sum(1 for w in self.workers if w.task is not None)

    def submit(self, w: _Worker, task: Task) -> None:
        """Send ``task`` to the idle worker ``w``; its time limit starts now."""
        w.task, w.started = task, time.monotonic()
        try:
            w.conn.send((task.seq, task.id, task.text, task.published, task.source))
        except (BrokenPipeError, OSError):
            pass  # its death is noticed (and reported for this task) by poll()

    def poll(self, timeout: float) -> list[Done]:
        """The rows finished within ``timeout`` seconds; overrunning or dead
        workers are replaced and their documents given error rows."""
        from multiprocessing.connection import wait

        now = time.monotonic()
        if self.doc_timeout:
            deadlines = [w.started + self.doc_timeout - now for w in self.workers if w.task]
            if deadlines:
                timeout = max(0.0, min(timeout, min(deadlines)))
        waitables = {w.conn: w for w in self.workers} | {w.proc.sentinel: w for w in self.workers}
        done: list[Done] = []
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
                    done.append(Done(task, dumps(error_row(task.id, "timeout",
                                      f"extraction took over the {self.doc_timeout:g} s per-document limit "
                                      "(--doc-timeout); its worker was stopped", task.source)), "timeout"))
        return done

    def _receive(self, w: _Worker, done: list[Done]) -> None:
        try:
            while w.conn.poll():
                msg = w.conn.recv()
                if msg[0] == "ready":
                    w.ready = True
                    self._failed_starts = 0
                elif msg[0] == "done":
                    _, seq, line, reason = msg
                    if w.task and w.task.seq == seq:
                        done.append(Done(w.task, line, reason))
                        w.task = None
                elif msg[0] == "fatal":
                    raise BatchError(msg[1])
        except (EOFError, OSError):
            pass
        if not w.proc.is_alive():
            w.proc.join(1)
            if w.task:
                task = w.task
                done.append(Done(task, dumps(error_row(task.id, "worker_crashed",
                                  f"the worker process died (exit code {w.proc.exitcode}) while extracting "
                                  "this document", task.source)), "worker_crashed"))
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
