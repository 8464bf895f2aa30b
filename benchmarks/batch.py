"""Batch throughput on the shared news archive.

Measures, in one run: ``vnreport-ie batch`` with each worker count (docs/s,
MB/s of UTF-8 text, elapsed including worker start-up, peak RSS per worker),
whether the outputs are identical, and ``underthesea.word_tokenize`` alone
over the same texts as the reference the pipeline's cost is a ratio of.

    .venv/bin/python benchmarks/batch.py                 # the whole archive
    .venv/bin/python benchmarks/batch.py --limit 300     # a quicker subset

Prints a Markdown table and writes benchmarks/batch.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
NEWS = ROOT.parent / "shared" / "data" / "dantri-news-2020.jsonl.gz"

from vnreport_ie.batch import run_batch  # noqa: E402


def load_texts(limit: int | None) -> list[str]:
    texts = []
    with gzip.open(NEWS, "rt", encoding="utf-8") as fh:
        for line in fh:
            if limit is not None and len(texts) >= limit:
                break
            texts.append(json.loads(line)["text"])
    return texts


def tokenize_reference(texts: list[str]) -> dict:
    from underthesea import word_tokenize

    word_tokenize(texts[0])  # load its model outside the timing
    t0, c0 = time.perf_counter(), time.process_time()
    for t in texts:
        word_tokenize(t)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    return {"docs": len(texts), "elapsed_s": round(elapsed, 2), "docs_per_s": round(len(texts) / elapsed, 2),
            "mb_per_s": round(mb / elapsed, 4), "cpu_ms_per_doc": round(1000 * cpu / len(texts), 1)}


def canonical_rows(outdir: Path) -> list[str]:
    rows = []
    for f in sorted((outdir / "records").glob("part-*.jsonl")):
        rows += f.read_text(encoding="utf-8").splitlines()
    return sorted(json.dumps(json.loads(r), ensure_ascii=False, sort_keys=True) for r in rows)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--limit", type=int, default=None, help="only the first N articles (default: all)")
    p.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    p.add_argument("--out", default=str(HERE / "batch.json"))
    p.add_argument("--keep", default=None, help="keep each run's OUTDIR under this directory")
    args = p.parse_args()
    if not NEWS.exists():
        print(f"the shared news archive is not at {NEWS}", file=sys.stderr)
        return 2

    texts = load_texts(args.limit)
    load_before = os.getloadavg()
    reference = tokenize_reference(texts)
    runs = []
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="vnreport-bench-"))
    first_rows = None
    for w in args.workers:
        out = base / f"workers-{w}"
        s = run_batch([NEWS], out, workers=w, limit=args.limit, progress="none", overwrite=True)
        rows = canonical_rows(out)
        first_rows = rows if first_rows is None else first_rows
        runs.append({"workers": w, "docs": s["rows_written"], "errors": s["errors"], "facts": s["facts_total"],
                     "elapsed_s": s["elapsed_s"], "docs_per_s": s["docs_per_s"], "mb_per_s": s["mb_per_s"],
                     "worker_peak_rss_mb": s["this_run"]["worker_peak_rss_mb"],
                     "parent_peak_rss_mb": s["this_run"]["parent_peak_rss_mb"],
                     "worker_cpu_ms_per_doc": round(1000 * sum(s["this_run"]["worker_cpu_s"]) / max(1, s["rows_written"]), 1),
                     # CPU the workers got per second of wall time: below the worker
                     # count when other processes share the machine.
                     "cores_used": round(sum(s["this_run"]["worker_cpu_s"]) / s["elapsed_s"], 2),
                     "identical_to_first": rows == first_rows})
    one = runs[0]["docs_per_s"]
    result = {
        "archive": NEWS.name, "docs": len(texts), "text_mb": round(sum(len(t.encode()) for t in texts) / 1e6, 3),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "loadavg_before": [round(x, 2) for x in load_before],
                    "loadavg_after": [round(x, 2) for x in os.getloadavg()]},
        "date": time.strftime("%Y-%m-%d"),
        "word_tokenize": reference,
        "batch": runs,
        "pipeline_cost_vs_word_tokenize": round(reference["docs_per_s"] / one, 2) if one else None,
        "pipeline_cpu_vs_word_tokenize": round(runs[0]["worker_cpu_ms_per_doc"] / reference["cpu_ms_per_doc"], 2),
        "speedup": {str(r["workers"]): round(r["docs_per_s"] / one, 2) for r in runs} if one else None,
    }
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    print(f"{len(texts)} articles, {result['text_mb']} MB of text; {os.cpu_count()} CPUs, "
          f"load average {result['machine']['loadavg_before'][0]} before, {result['machine']['loadavg_after'][0]} after\n")
    print("| run | docs/s | MB/s | elapsed s | CPU ms/doc | cores used | peak RSS per worker (MB) | speedup "
          "| same rows as 1 worker |")
    print("|---|---:|---:|---:|---:|---:|---|---:|---|")
    print(f"| underthesea.word_tokenize alone, in-process | {reference['docs_per_s']} | {reference['mb_per_s']} | "
          f"{reference['elapsed_s']} | {reference['cpu_ms_per_doc']} | - | - | - | - |")
    for r in runs:
        print(f"| batch --workers {r['workers']} | {r['docs_per_s']} | {r['mb_per_s']} | {r['elapsed_s']} | "
              f"{r['worker_cpu_ms_per_doc']} | {r['cores_used']} | {', '.join(map(str, r['worker_peak_rss_mb']))} | "
              f"{result['speedup'][str(r['workers'])]}x | {'yes' if r['identical_to_first'] else 'NO'} |")
    print(f"\nper document the pipeline costs {result['pipeline_cost_vs_word_tokenize']}x word_tokenize in wall time "
          f"(1 worker, start-up included) and {result['pipeline_cpu_vs_word_tokenize']}x in CPU time; wrote {args.out}")
    return 0 if all(r["identical_to_first"] and r["docs"] == len(texts) for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
