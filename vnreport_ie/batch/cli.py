"""``vnreport-ie batch`` (and ``python -m vnreport_ie.batch``)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .common import DEFAULT_DOC_TIMEOUT, DEFAULT_MAX_CHARS, DEFAULT_PIPELINE, DEFAULT_SHARD_SIZE, FORMATS, BatchError
from .run import run_batch

EXAMPLES = """examples:
  vnreport-ie batch news.jsonl.gz -o out/ --workers 2
  vnreport-ie batch reports/ -o out/ --format parquet
  vnreport-ie batch data.parquet --text-field content --id-field url -o out/
  vnreport-ie batch saved_dataset/ -o out/ --doc-timeout 60 --max-chars 200000

Rerun the same command after a crash or kill to continue where it stopped.
"""


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``batch`` on the CLI's subparsers."""
    b = subparsers.add_parser(
        "batch", help="extract a whole archive: resumable, parallel, one row per document",
        description="Extract every document of INPUT (a directory of .txt files, .jsonl or .jsonl.gz, "
                    ".parquet, or a directory saved with datasets.save_to_disk) into OUTDIR: "
                    "records/ (one row per document: its record or an error row), facts/ (one table per "
                    "fact type, Parquet and CSV) and summary.json. Rerunning continues an interrupted run.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("inputs", nargs="+", metavar="INPUT")
    b.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="output directory")
    b.add_argument("--workers", type=int, default=1, metavar="N",
                   help="worker processes, each loading the pipeline once (default: %(default)s)")
    b.add_argument("--format", dest="fmt", choices=FORMATS, default="jsonl",
                   help="records as JSON Lines or sharded Parquet (default: %(default)s)")
    b.add_argument("--text-field", default="text", help="text field or column (default: %(default)s)")
    b.add_argument("--id-field", default="id", help="id field or column (default: %(default)s)")
    b.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS, metavar="N",
                   help="longer texts give a too_long error row (default: %(default)s)")
    b.add_argument("--doc-timeout", type=float, default=DEFAULT_DOC_TIMEOUT, metavar="SECONDS",
                   help="per-document time limit; 0 for none (default: %(default)s)")
    b.add_argument("--shard-size", type=int, default=DEFAULT_SHARD_SIZE, metavar="N",
                   help="rows per records shard (default: %(default)s)")
    b.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N input documents")
    b.add_argument("--progress", choices=("auto", "bar", "log", "none"), default="auto",
                   help="a bar on a terminal, log lines otherwise (default: %(default)s)")
    b.add_argument("--model-dir", default=None, help="models to use (default: the packaged ones)")
    b.add_argument("--pipeline", default=DEFAULT_PIPELINE, metavar="MODULE:FUNCTION",
                   help="factory f(model_dir) -> callable(text, id) -> Record that each worker calls once "
                        "(default: %(default)s)")
    b.add_argument("--overwrite", action="store_true",
                   help="start OUTDIR again instead of continuing it (removes its records/, facts/, summary.json)")
    b.set_defaults(func=cmd_batch)
    return b


def cmd_batch(args: argparse.Namespace) -> int:
    summary = run_batch(args.inputs, args.output, workers=args.workers, text_field=args.text_field,
                        id_field=args.id_field, fmt=args.fmt, max_chars=args.max_chars,
                        doc_timeout=args.doc_timeout or None, progress=args.progress, limit=args.limit,
                        shard_size=args.shard_size, model_dir=args.model_dir, pipeline=args.pipeline,
                        overwrite=args.overwrite)
    errors = ", ".join(f"{k} {v}" for k, v in summary["errors_by_reason"].items()) or "none"
    print(f"{summary['rows_written']:,} rows ({summary['records_written']:,} records; errors: {errors}) "
          f"in {args.output}; this run {summary['this_run']['documents_processed']:,} docs in "
          f"{summary['elapsed_s']:.1f} s ({summary['docs_per_s']} docs/s, {summary['mb_per_s']} MB/s)",
          file=sys.stderr)
    if summary.get("warning"):
        print(f"vnreport-ie: warning: {summary['warning']}", file=sys.stderr)
    return 0 if summary["complete"] else 1


def main(argv: list[str] | None = None) -> int:
    """``python -m vnreport_ie.batch``: the ``batch`` command on its own."""
    parser = argparse.ArgumentParser(prog="vnreport-ie")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["batch", *(sys.argv[1:] if argv is None else argv)])
    try:
        return args.func(args)
    except (BatchError, FileNotFoundError) as exc:
        print(f"vnreport-ie: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("vnreport-ie: interrupted; rerun the same command to continue", file=sys.stderr)
        return 130
