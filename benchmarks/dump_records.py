"""Dump the records of the corpus texts, the seed and the shared news archive
as sorted-key JSON lines: the identity check of a refactor or of the scan.

    .venv/bin/python benchmarks/dump_records.py before.jsonl          # with the scan
    .venv/bin/python benchmarks/dump_records.py full.jsonl --full     # every sentence analysed
    cmp before.jsonl full.jsonl

(The archive's held-out articles are run through the pipeline like the
others, never read here.)
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import vnreport_ie  # noqa: E402


def heldout() -> set[str]:
    path = ROOT.parent / "shared" / "data" / "heldout-ids.txt"
    if not path.exists():
        return set()
    return {x.strip() for x in path.read_text(encoding="utf-8").splitlines() if x.strip() and not x.startswith("#")}


def items(archive: Path, limit: int | None = None) -> list[tuple[str, str]]:
    out = []
    for line in (ROOT / "corpus" / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        out.append((d["text"], "corpus:" + d["id"]))
    out.append(((ROOT / "seeds" / "000_fca4d81f41333468.txt").read_text(encoding="utf-8"), "seed"))
    if archive.exists():
        with gzip.open(archive, "rt", encoding="utf-8") as f:
            skip, news = heldout(), []
            for d in map(json.loads, f):
                if limit is not None and len(news) >= limit:
                    break
                if str(d["id"]) not in skip:
                    news.append((d["text"], "news:" + str(d["id"])))
            out += news
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--full", action="store_true", help="analyse every sentence (load(prefilter=False))")
    ap.add_argument("--archive", default=str(ROOT.parent / "shared" / "data" / "dantri-news-2020.jsonl.gz"))
    ap.add_argument("--limit", type=int, default=None, help="only the first N archive articles (held-out ids skipped)")
    args = ap.parse_args()
    pipe = vnreport_ie.load(prefilter=not args.full)
    todo = items(Path(args.archive), args.limit)
    with open(args.out, "w", encoding="utf-8") as w:
        for record in pipe.pipe(todo, as_tuples=True, n_process=2, batch_size=8):
            w.write(json.dumps(record.to_dict(), sort_keys=True, ensure_ascii=False) + "\n")
    print(f"{len(todo)} records -> {args.out}")


if __name__ == "__main__":
    main()
