"""Progress of a run on stderr: a bar on a terminal, otherwise INFO lines on the
``vnreport_ie`` logger (the command line shows them on stderr)."""

from __future__ import annotations

import logging
import sys
import time

log = logging.getLogger("vnreport_ie")


class Progress:
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
        log.info("batch: %s docs | %.1f docs/s | %.2f MB/s | %d errors | %s%s", f"{self.n:,}{of}", rate,
                 self.mb_per_s(), self.errors, eta, f" | {self.skipped:,} done earlier" if self.skipped else "")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        else:
            self.tick(force=True)


def _hms(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}h{s // 60 % 60:02d}m{s % 60:02d}s" if s >= 3600 else f"{s // 60}m{s % 60:02d}s"
