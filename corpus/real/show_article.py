"""Print archive articles by id, for annotators: ``python3 corpus/real/show_article.py ID [ID ...]``.

Refuses held-out ids (they are never read). Texts stay in ``../shared``.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared"


def main(ids: list[str]) -> int:
    held = {s.strip() for s in (SHARED / "data/heldout-ids.txt").read_text(encoding="utf-8").splitlines()
            if s.strip() and not s.startswith("#")}
    bad = [i for i in ids if i in held]
    if bad:
        print(f"refused: held-out ids {bad}", file=sys.stderr)
        return 2
    want = set(ids)
    with gzip.open(SHARED / "data/dantri-news-2020.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["id"] in want:
                print(f"=== {row['id']}  date={row['date']}  category={row['category']}\n{row['url']}\n")
                print(row["text"])
                print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
