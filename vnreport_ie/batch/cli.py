"""``vnreport-ie batch`` (and ``python -m vnreport_ie.batch``)."""

from __future__ import annotations

import argparse
import logging
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

input columns: JSONL fields, Parquet and dataset columns. The text (--text-field)
is extracted; --id-field names the record; --date-field (2021-04-27 or 20210427)
is passed to the pipeline as the publication date (meta.published); every other
scalar field (url, date, category, ...) is carried through unchanged: as a
"source" object beside the record in records/, and as source_<name> columns in
facts/. A date that cannot be read is not used (the record has no published).

exit codes:
  0    every document has a row and every row is a record
  1    the run stopped before every document had a row (rerun to continue)
  2    the job cannot run (bad input path, OUTDIR of another job, bad option)
  3    finished, but some rows are error rows (counts by reason in summary.json)
  130  interrupted (Ctrl-C or kill); rerun the same command to continue
"""

EXIT_ERROR_ROWS = 3
log = logging.getLogger("vnreport_ie")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``batch`` on the CLI's subparsers."""
    b = subparsers.add_parser(
        "batch", help="extract a whole archive: resumable, parallel, one row per document",
        description="Extract every document of INPUT (a directory of .txt files, .jsonl or .jsonl.gz, "
                    ".parquet, or a directory saved with datasets.save_to_disk) into OUTDIR: "
                    "records/ (one row per document: its record or an error row), facts/ (one table per "
                    "fact type, Parquet and CSV) and summary.json. Rerunning continues an interrupted run.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="a directory of .txt files, .jsonl or .jsonl.gz, .parquet, or a datasets.save_to_disk "
                        "directory (several may be given; they are read in order)")
    b.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="output directory")
    b.add_argument("--workers", type=int, default=1, metavar="N",
                   help="worker processes, each loading the pipeline once (default: %(default)s)")
    b.add_argument("--format", dest="fmt", choices=FORMATS, default="jsonl",
                   help="records as JSON Lines or sharded Parquet (default: %(default)s)")
    b.add_argument("--text-field", default="text", help="text field or column (default: %(default)s)")
    b.add_argument("--id-field", default="id", help="id field or column (default: %(default)s)")
    b.add_argument("--date-field", default="date", metavar="FIELD",
                   help="publication date field or column, passed to the pipeline as meta.published "
                        "for dates written without a year; 2021-04-27 or 20210427 (default: %(default)s)")
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
    b.add_argument("--keep-all", action="store_true",
                   help="keep the facts whose confidence is under the threshold (0.5), as "
                        "vnreport_ie.load(keep_all=True); each fact has its confidence (left out by default)")
    b.add_argument("--overwrite", action="store_true",
                   help="start OUTDIR again instead of continuing it (removes its records/, facts/, summary.json)")
    b.set_defaults(func=cmd_batch)
    return b


def cmd_batch(args: argparse.Namespace) -> int:
    """Run ``batch``; the exit code says whether every row is a record (see EXAMPLES)."""
    summary = run_batch(args.inputs, args.output, workers=args.workers, text_field=args.text_field,
                        id_field=args.id_field, date_field=args.date_field, fmt=args.fmt,
                        max_chars=args.max_chars, doc_timeout=args.doc_timeout or None, progress=args.progress,
                        limit=args.limit, shard_size=args.shard_size, model_dir=args.model_dir,
                        pipeline=args.pipeline, overwrite=args.overwrite, keep_all=args.keep_all)
    errors = ", ".join(f"{k} {v}" for k, v in summary["errors_by_reason"].items()) or "none"
    log.info("%s rows (%s records; errors: %s) in %s; this run %s docs in %.1f s (%s docs/s, %s MB/s)",
             f"{summary['rows_written']:,}", f"{summary['records_written']:,}", errors, args.output,
             f"{summary['this_run']['documents_processed']:,}", summary["elapsed_s"], summary["docs_per_s"],
             summary["mb_per_s"])
    if summary.get("warning"):
        log.warning("warning: %s", summary["warning"])
    if not summary["complete"]:
        return 1
    return EXIT_ERROR_ROWS if summary["errors"] else 0


def main(argv: list[str] | None = None) -> int:
    """``python -m vnreport_ie.batch``: the ``batch`` command on its own."""
    parser = argparse.ArgumentParser(prog="vnreport-ie")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["batch", *(sys.argv[1:] if argv is None else argv)])
    logging.basicConfig(level=logging.INFO, format="vnreport-ie: %(message)s", stream=sys.stderr)
    try:
        return args.func(args)
    except (BatchError, FileNotFoundError) as exc:
        log.error("%s", exc)
        return 2
    except KeyboardInterrupt:
        log.error("interrupted; rerun the same command to continue")
        return 130
