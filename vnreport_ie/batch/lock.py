"""One batch per OUTDIR: a lock, and the identity of the job that made it, so a
rerun continues only the same job."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .common import BatchError, fsync_dir, inside


@dataclass
class Job:
    """The job writing ``outdir``: ``acquire`` locks it and checks its identity."""

    outdir: Path
    identity: dict[str, Any]
    lock_fd: int = -1
    state: Path = field(init=False)

    def __post_init__(self) -> None:
        self.state = inside(self.outdir, self.outdir / "_state")

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
            fsync_dir(self.state)

    def release(self) -> None:
        if self.lock_fd >= 0:
            os.close(self.lock_fd)  # closing drops the flock
            self.lock_fd = -1
