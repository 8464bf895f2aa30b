"""Soak test: the whole news archive through one pipeline in one process.

Samples the resident set size every ``--every`` documents and checks that it
stays flat (within ±10 % of its value at the end of warm-up). Every record is
also checked against the schema (``vnreport_ie.schema.validate``),
every exception is kept, and the slowest documents are listed.

    .venv/bin/python benchmarks/soak.py                 # the whole archive
    .venv/bin/python benchmarks/soak.py --limit 300     # the first 300 articles

Writes ``benchmarks/soak.json`` (or ``--out``): the RSS curve, the verdict,
failures and the slowest documents (ids and sizes only, never archive text).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import sys
import time
import traceback
from itertools import islice
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "data" / "dantri-news-2020.jsonl.gz"
TOLERANCE = 0.10


def rss_mb() -> float:
    """Resident set size of this process in MB (psutil when installed, else /proc)."""
    try:
        import psutil
    except ImportError:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        raise RuntimeError("no psutil and no VmRSS in /proc/self/status: cannot measure memory")
    return psutil.Process().memory_info().rss / 2**20


def articles(path: Path, limit: int | None) -> Iterator[dict[str, Any]]:
    if not path.exists():
        raise SystemExit(f"the news archive is not at {path} (it lives in ../shared/data beside the repo)")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in islice(f, limit):
            yield json.loads(line)


def verdict(curve: list[dict[str, float]], warmup_docs: int) -> dict[str, Any]:
    after = [p for p in curve if p["docs"] >= warmup_docs]
    if len(after) < 2:
        return {"flat": None, "reason": "too few samples after warm-up"}
    base = after[0]["rss_mb"]
    worst = max(after, key=lambda p: abs(p["rss_mb"] - base))
    drift = (worst["rss_mb"] - base) / base
    return {"flat": abs(drift) <= TOLERANCE, "tolerance": TOLERANCE, "base_rss_mb": round(base, 1),
            "worst_rss_mb": round(worst["rss_mb"], 1), "worst_at_docs": worst["docs"],
            "worst_drift": round(drift, 4), "final_rss_mb": round(after[-1]["rss_mb"], 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--archive", type=Path, default=ARCHIVE)
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--every", type=int, default=100, help="sample RSS every N documents (default %(default)s)")
    ap.add_argument("--warmup", type=int, default=300, help="documents before the baseline (default %(default)s)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "soak.json")
    args = ap.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    import vnreport_ie
    from vnreport_ie.schema import validate

    t_start = time.perf_counter()
    start_rss = rss_mb()
    pipe = vnreport_ie.load()
    curve = [{"docs": 0, "rss_mb": round(rss_mb(), 1), "elapsed_s": 0.0}]
    timings: list[tuple[float, str, int]] = []
    crashes: list[dict[str, Any]] = []
    invalid: list[dict[str, Any]] = []
    unsafe_ints: list[str] = []
    n = total_bytes = 0
    for art in articles(args.archive, args.limit):
        text, doc_id = art["text"], str(art["id"])
        size = len(text.encode("utf-8"))
        t0 = time.perf_counter()
        try:
            record = pipe(text, doc_id)
        except Exception as exc:  # noqa: BLE001 - a soak run records every failure and goes on
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            crashes.append({"id": doc_id, "bytes": size, "error": f"{type(exc).__name__}: {exc}"[:300],
                            "where": f"{Path(frame.filename).name}:{frame.lineno} {frame.name}"})
            record = None
        seconds = time.perf_counter() - t0
        if record is not None:
            errs = validate(record, text, safe_ints=False)
            if errs:
                invalid.append({"id": doc_id, "errors": errs[:5], "n_errors": len(errs)})
            elif validate(record, text):
                unsafe_ints.append(doc_id)
        timings.append((seconds, doc_id, size))
        n += 1
        total_bytes += size
        if n % args.every == 0:
            curve.append({"docs": n, "rss_mb": round(rss_mb(), 1), "elapsed_s": round(time.perf_counter() - t_start, 1)})
    if curve[-1]["docs"] != n:
        curve.append({"docs": n, "rss_mb": round(rss_mb(), 1), "elapsed_s": round(time.perf_counter() - t_start, 1)})

    timings.sort(reverse=True)
    elapsed = time.perf_counter() - t_start
    result = {
        "command": "benchmarks/soak.py" + (" " + " ".join(argv if argv is not None else sys.argv[1:])).rstrip(),
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "documents": n, "megabytes": round(total_bytes / 1e6, 3), "seconds": round(elapsed, 1),
        "rss_before_load_mb": round(start_rss, 1), "every": args.every, "warmup_docs": args.warmup,
        "memory": verdict(curve, args.warmup), "curve": curve,
        "crashes": crashes, "invalid_records": invalid, "records_with_ints_above_2**53": unsafe_ints,
        "slowest": [{"id": i, "seconds": round(s, 3), "bytes": b} for s, i, b in timings[:10]],
    }
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    print(f"{n} documents, {total_bytes / 1e6:.1f} MB in {elapsed:.0f} s; RSS sampled every {args.every} documents")
    print(f"{'docs':>6} {'RSS MB':>8} {'elapsed s':>10}")
    step = max(1, len(curve) // 14)
    for p in curve[::step] + ([curve[-1]] if (len(curve) - 1) % step else []):
        print(f"{p['docs']:>6} {p['rss_mb']:>8.1f} {p['elapsed_s']:>10.1f}")
    m = result["memory"]
    if m.get("flat") is not None:
        print(f"memory after {args.warmup} warm-up documents: {m['base_rss_mb']} MB -> worst {m['worst_rss_mb']} MB "
              f"({m['worst_drift']:+.1%}) : {'FLAT' if m['flat'] else 'NOT FLAT'} within ±{TOLERANCE:.0%}")
    print(f"crashes: {len(crashes)}, schema-invalid records: {len(invalid)}, "
          f"records with integers above 2**53: {len(unsafe_ints)}")
    print("slowest:", ", ".join(f"{d['id']} {d['seconds']:.2f}s/{d['bytes'] / 1000:.1f}KB" for d in result["slowest"][:5]))
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 1 if crashes or invalid else 0


if __name__ == "__main__":
    sys.exit(main())
