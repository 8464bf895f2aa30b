"""``vnreport-ie report``: the sub-command, registered by :func:`register`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

EXAMPLES = """examples:
  vnreport-ie batch news.jsonl.gz -o out/ --workers 2
  vnreport-ie report out/ -o report.html --input news.jsonl.gz
  vnreport-ie report out/ -o report.html          # no inspector pages: links go to the articles' urls, if any

What the page shows, and how each number is counted, is written under each chart.
With --input the report also knows each article's url, date and category, and
writes an inspector page (as `vnreport-ie show` does) for every article a table
links to, in REPORT_docs/ beside the report. The input must be the batch's own
(same --id-field); only .jsonl, .jsonl.gz and .parquet inputs are read.

exit codes:
  0  the report was written
  2  OUTDIR holds no batch output, an input cannot be read, or the command line is wrong
"""


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``report`` to the CLI's sub-command parsers."""
    r = subparsers.add_parser(
        "report", help="charts of what an archive says, as one HTML page (from a `batch` OUTDIR)",
        description="Read OUTDIR (what `vnreport-ie batch` wrote) and write one self-contained HTML page "
                    "(inline CSS and SVG, opens from disk with no network): facts per month, trainees by "
                    "course type and by province, meetings by kind and mode, the most cited documents; "
                    "each chart beside its table, each table row linking the articles behind it.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("outdir", metavar="OUTDIR", help="a `vnreport-ie batch` output directory")
    r.add_argument("-o", "--output", default="report.html", metavar="REPORT.html",
                   help="the page to write (default: %(default)s)")
    r.add_argument("--input", dest="inputs", action="append", default=[], metavar="INPUT",
                   help="the batch's input file, for urls, dates, categories and inspector pages (repeatable)")
    r.add_argument("--id-field", default="id", help="id field of INPUT, as given to batch (default: %(default)s)")
    r.add_argument("--text-field", default="text", help="text field of INPUT (default: %(default)s)")
    r.add_argument("--title", default="vnreport-ie archive report", help="the page's title")
    r.add_argument("--top", type=int, default=20, metavar="N",
                   help="rows of the province and cited-document charts (default: %(default)s)")
    r.set_defaults(func=cmd_report)
    return r


def cmd_report(args: argparse.Namespace) -> int:
    """Run ``report`` from parsed arguments; print one line of what was written."""
    from .archive import read_archive
    from .render import write_report

    archive = read_archive(args.outdir, args.inputs, id_field=args.id_field, text_field=args.text_field)
    done = write_report(archive, args.output, title=args.title, top=args.top)
    pages = f", {done['inspector_pages']} inspector pages in {done['inspector_dir']}" if done["inspector_pages"] else ""
    print(f"wrote {done['report']} ({len(archive.rows):,} articles{pages})", file=sys.stderr)
    return 0
