"""The shared news archive as a batch input, without its held-out ids.

    .venv/bin/python benchmarks/archive_input.py news.jsonl.gz [--limit N]

Writes the articles of ``../shared/data/dantri-news-2020.jsonl.gz`` (or of
``$VNREPORT_SHARED``), in archive order, less those listed in
``heldout-ids.txt`` (kept for independent evaluation), as gzipped JSON Lines
with the archive's own fields (``id``, ``date``, ``url``, ``category``,
``text``). ``--limit N`` keeps the first N of them: a slice for a quick run.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vnreport_ie.corpus import ARCHIVE, HELDOUT, shared_dir  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", help="the .jsonl.gz file to write")
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N articles kept")
    args = parser.parse_args(argv)
    import json

    shared = shared_dir(ROOT)
    held = {s.strip() for s in (shared / HELDOUT).read_text(encoding="utf-8").splitlines() if s.strip()}
    n = 0
    with gzip.open(shared / ARCHIVE, "rt", encoding="utf-8") as src, \
            gzip.open(args.output, "wt", encoding="utf-8") as out:
        for line in src:
            if args.limit is not None and n >= args.limit:
                break
            if json.loads(line)["id"] in held:
                continue
            out.write(line if line.endswith("\n") else line + "\n")
            n += 1
    print(f"{n:,} articles written to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
