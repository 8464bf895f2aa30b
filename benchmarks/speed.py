"""End-to-end throughput of the pipeline against ``underthesea.word_tokenize``.

Both run in one process over the same archive texts, interleaved chunk by
chunk so that a noisy neighbour slows both alike. Throughput is UTF-8 megabytes
per CPU second of this (single-threaded) process, i.e. MB/s per core; the peak
resident set size is that of this one worker.

    .venv/bin/python benchmarks/speed.py                # the whole archive
    .venv/bin/python benchmarks/speed.py --limit 300    # the first 300 articles
    .venv/bin/python benchmarks/speed.py --limit 300 --profile   # cProfile of the pipeline only
    .venv/bin/python benchmarks/speed.py --stages                # CPU time of each stage (no JSON)

Writes ``benchmarks/speed.json`` (or ``--out``) and prints a table.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import sys
import time
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "data" / "dantri-news-2020.jsonl.gz"
# Issue #14: news >= 10x word_tokenize, reports >= 3x, a 1 MB dense line in
# < 20 CPU s, peak RSS of one worker < 400 MB.
TARGET_RATIO = 10.0
TARGET_REPORTS_RATIO = 3.0
TARGET_DENSE_1MB_S = 20.0
TARGET_RSS_MB = 400.0


def load_texts(path: Path, limit: int | None) -> list[str]:
    if not path.exists():
        raise SystemExit(f"the news archive is not at {path} (it lives in ../shared/data beside the repo)")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in islice(f, limit)]


def machine() -> dict[str, Any]:
    cpu = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu or platform.processor() or None, "cores": os.cpu_count(),
            "python": platform.python_version(), "platform": platform.platform()}


def peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Clock:
    cpu: float = 0.0
    wall: float = 0.0

    def run(self, fn: Callable[[str], Any], texts: list[str]) -> None:
        c, w = time.process_time(), time.perf_counter()
        for t in texts:
            fn(t)
        self.cpu += time.process_time() - c
        self.wall += time.perf_counter() - w


class CountingSegmenter:
    """underthesea's word_tokenize, counting the characters it is given."""

    def __init__(self, segment: Callable[[str], list[str]]) -> None:
        self.segment = segment
        self.chars = 0

    def __call__(self, sentence: str) -> list[str]:
        self.chars += len(sentence)
        return self.segment(sentence)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--chunk", type=int, default=50, help="articles per interleaved chunk")
    ap.add_argument("--archive", type=Path, default=ARCHIVE)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "speed.json")
    ap.add_argument("--profile", action="store_true",
                    help="profile the pipeline with cProfile and print the top functions (writes no JSON)")
    ap.add_argument("--top", type=int, default=25, help="functions listed per ordering with --profile")
    ap.add_argument("--reports", type=int, default=80, help="fact-dense reports: the first N documents of corpus/corpus.jsonl")
    ap.add_argument("--scaling", default="10,100,1000",
                    help="KB sizes of the dense single-line texts of the scaling table ('' to skip)")
    ap.add_argument("--stages", action="store_true",
                    help="CPU seconds of each stage of the pipeline, and of underthesea inside it (writes no JSON)")
    args = ap.parse_args(argv)

    texts = load_texts(args.archive, args.limit)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    chars = sum(len(t) for t in texts)

    from underthesea import word_tokenize

    import vnreport_ie

    # Pipeline(segmenter=...) is load() with a counting wrapper around the same segmenter.
    counter = CountingSegmenter(word_tokenize)
    pipe = vnreport_ie.Pipeline(segmenter=counter)
    # Model loading and first-call set-up are not throughput.
    pipe(texts[0])
    word_tokenize(texts[0])
    counter.chars = 0
    rss_loaded = peak_rss_mb()
    if args.profile:
        return profile(pipe, texts, megabytes, args.top)
    if args.stages:
        stages(pipe, texts, megabytes)
        return 0

    ours, theirs = Clock(), Clock()
    for i in range(0, len(texts), args.chunk):
        chunk = texts[i:i + args.chunk]
        ours.run(pipe, chunk)
        theirs.run(word_tokenize, chunk)
    rss_peak = peak_rss_mb()
    # (Read now: the reports and dense lines below go through the same counter.)
    segmented_share = counter.chars / chars

    ours_mbs = megabytes / ours.cpu
    theirs_mbs = megabytes / theirs.cpu
    ratio = ours_mbs / theirs_mbs
    reports = corpus_run(pipe, word_tokenize, args.reports)
    scaling = scaling_table(pipe, [int(x) for x in args.scaling.split(",") if x.strip()])
    dense_stages = stage_shares(pipe, [dense_line(100)])
    rss_peak = peak_rss_mb()
    result = {
        "articles": len(texts),
        "megabytes": round(megabytes, 3),
        "limit": args.limit,
        "pipeline": {"cpu_s": round(ours.cpu, 2), "wall_s": round(ours.wall, 2), "mb_per_s_per_core": round(ours_mbs, 4),
                     "segmented_char_share": round(segmented_share, 4)},
        "underthesea_word_tokenize": {"cpu_s": round(theirs.cpu, 2), "wall_s": round(theirs.wall, 2),
                                      "mb_per_s_per_core": round(theirs_mbs, 4)},
        "ratio": round(ratio, 3),
        "target_ratio": TARGET_RATIO,
        "peak_rss_mb": round(rss_peak, 1),
        "rss_after_load_mb": round(rss_loaded, 1),
        "target_rss_mb": TARGET_RSS_MB,
        "target_reports_ratio": TARGET_REPORTS_RATIO,
        "target_dense_1mb_s": TARGET_DENSE_1MB_S,
        "meets_targets": ratio >= TARGET_RATIO and rss_peak <= TARGET_RSS_MB
        and reports["ratio"] >= TARGET_REPORTS_RATIO
        and all(row["seconds"] < TARGET_DENSE_1MB_S for row in scaling if row["kb"] == 1000),
        "reports": reports,
        "scaling": scaling,
        "dense_100kb_stage_shares": dense_stages,
        "machine": machine(),
        "versions": {"vnreport_ie": vnreport_ie.__version__, "underthesea": _version("underthesea"),
                     "spacy": _version("spacy")},
        "command": "benchmarks/speed.py" + (f" --limit {args.limit}" if args.limit else "")
                   + (f" --reports {args.reports}" if args.reports != 80 else "")
                   + (f" --scaling {args.scaling}" if args.scaling != "10,100,1000" else ""),
        "date": time.strftime("%Y-%m-%d"),
    }
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    rows = [("vnreport_ie load()", ours, ours_mbs), ("underthesea.word_tokenize", theirs, theirs_mbs)]
    print(f"{len(texts)} articles, {megabytes:.2f} MB; {result['machine']['cpu']}, "
          f"{result['machine']['cores']} cores, Python {result['machine']['python']}")
    print(f"{'':28}{'cpu s':>9}{'wall s':>9}{'MB/s/core':>11}")
    for name, clock, mbs in rows:
        print(f"{name:28}{clock.cpu:9.1f}{clock.wall:9.1f}{mbs:11.3f}")
    print(f"{'ratio (ours / underthesea)':28}{ratio:29.2f}x   target >= {TARGET_RATIO:g}x")
    print(f"{'peak RSS':28}{rss_peak:27.0f} MB   target <= {TARGET_RSS_MB:g} MB")
    print(f"{'share of text word-segmented':28}{segmented_share:29.1%}")
    r = reports
    print(f"reports: {r['documents']} docs, {r['megabytes']:.2f} MB, ratio {r['ratio']:.2f}x"
          f"   target >= {TARGET_REPORTS_RATIO:g}x")
    print(f"{'dense line':>12}{'s':>9}{'s/KB':>10}{'x 10KB':>8}   target 1000KB < {TARGET_DENSE_1MB_S:g} s")
    for row in scaling:
        print(f"{row['kb']:>10}KB{row['seconds']:9.2f}{row['s_per_kb']:10.4f}{row['ratio_to_first']:8.2f}")
    print("stage shares (dense 100 KB):", ", ".join(f"{k} {v:.0%}" for k, v in dense_stages.items()))
    print(f"wrote {args.out}")
    return 0


DENSE_CLAUSE = "Mở 3 lớp bồi dưỡng cho 120 học viên; "  # issue #14


def dense_line(kb: int) -> str:
    """One line of fact-dense clauses, ``kb`` thousand UTF-8 bytes long."""
    n = max(1, round(kb * 1000 / len(DENSE_CLAUSE.encode("utf-8"))))
    return DENSE_CLAUSE * n


def scaling_table(pipe: Callable[[str], Any], sizes: list[int]) -> list[dict[str, Any]]:
    rows = []
    for kb in sizes:
        text = dense_line(kb)
        c = time.process_time()
        pipe(text)
        sec = time.process_time() - c
        rows.append({"kb": kb, "bytes": len(text.encode("utf-8")), "seconds": round(sec, 3),
                     "s_per_kb": round(sec / kb, 5)})
    for row in rows:
        row["ratio_to_first"] = round(row["s_per_kb"] / rows[0]["s_per_kb"], 3)
    return rows


def corpus_run(pipe: Callable[[str], Any], segment: Callable[[str], Any], limit: int) -> dict[str, Any]:
    """The fact-dense reports (first ``limit`` corpus documents), ours against word_tokenize."""
    lines = (ROOT / "corpus" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()[:limit]
    texts = [json.loads(line)["text"] for line in lines]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    ours, theirs = Clock(), Clock()
    ours.run(pipe, texts)
    theirs.run(segment, texts)
    return {"documents": len(texts), "megabytes": round(mb, 4), "pipeline_cpu_s": round(ours.cpu, 2),
            "underthesea_cpu_s": round(theirs.cpu, 2), "ratio": round(theirs.cpu / ours.cpu, 3)}


def stage_shares(pipe: Any, texts: list[str]) -> dict[str, float]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        clocks = stages(pipe, texts, 0.0, quiet=True)
    total = sum(c.cpu for c in clocks.values()) or 1.0
    return {k: round(c.cpu / total, 3) for k, c in clocks.items()}


def profile(pipe: Callable[[str], Any], texts: list[str], megabytes: float, top: int) -> int:
    import cProfile
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    for t in texts:
        pipe(t)
    prof.disable()
    stats = pstats.Stats(prof)
    print(f"{len(texts)} articles, {megabytes:.2f} MB, {stats.total_tt:.1f} s under cProfile")
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return 0


class _Timed:
    """A callable that adds its CPU time to ``clock``."""

    def __init__(self, fn: Callable[..., Any], clock: Clock) -> None:
        self.fn, self.clock = fn, clock

    def __call__(self, *args: Any) -> Any:
        c = time.process_time()
        try:
            return self.fn(*args)
        finally:
            self.clock.cpu += time.process_time() - c


def stages(pipe: Any, texts: list[str], megabytes: float, quiet: bool = False) -> Any:
    """Time every stage of ``pipe`` on ``texts``: what the profile summary in
    benchmarks/profile.md quotes."""
    from vnreport_ie.normalise import normalise

    clocks = {name: Clock() for name in ("normalise", "scan", "underthesea", "tokenize (rest)", "tag",
                                         "relate", "assemble", "record")}
    tok = pipe.tokenizer
    select, segmenter = tok.select, tok._segmenter
    tok.select = _Timed(tok.select, clocks["scan"]) if tok.select else None
    tok._segmenter = _Timed(tok.segmenter, clocks["underthesea"])
    tokenize = Clock()
    for t in texts:
        c = time.process_time()
        norm = normalise(t)
        clocks["normalise"].cpu += time.process_time() - c
        c = time.process_time()
        doc = tok(norm)
        tokenize.cpu += time.process_time() - c
        for name, component in zip(("tag", "relate", "assemble"), pipe.components):
            c = time.process_time()
            doc = component(doc)
            clocks[name].cpu += time.process_time() - c
        c = time.process_time()
        pipe.recorder(doc)
        clocks["record"].cpu += time.process_time() - c
    clocks["tokenize (rest)"].cpu = tokenize.cpu - clocks["scan"].cpu - clocks["underthesea"].cpu
    tok.select, tok._segmenter = select, segmenter
    if quiet:
        return clocks
    total = sum(c.cpu for c in clocks.values())
    print(f"{len(texts)} articles, {megabytes:.2f} MB: {total:.2f} CPU s, {megabytes / total:.3f} MB/s/core")
    print(f"{'stage':18}{'cpu s':>8}{'share':>8}")
    for name, clock in clocks.items():
        print(f"{name:18}{clock.cpu:8.2f}{clock.cpu / total:8.1%}")
    return clocks


def _version(dist: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return None


if __name__ == "__main__":
    sys.exit(main())
