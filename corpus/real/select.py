"""The selection rule of the real annotated corpus (issue 13), reproducible.

Reads ``../shared/data/dantri-news-2020.jsonl.gz`` and writes two lists of
article ids beside this file:

- ``candidates.txt``: every article (held-out ids excluded) in which one of
  the patterns below matches: the vocabulary of party and government work
  (meetings held, courses, party bodies, cited documents, reviews,
  anniversaries, counted awards and support). Every one is annotated, facts
  or none.
- ``negatives.txt``: a random sample (seed 13) of 60 of the other articles,
  annotated to measure false positives.
- ``candidates2.txt``: a second, looser rule (``PATTERNS_2``) over the
  articles neither list holds: legal document numbers, awards, training and
  meeting nouns without a verb. Added when the first rule gave fewer than 200
  articles with facts; every one is annotated too.

``python corpus/real/select.py [--shared ../shared]``; the output depends
only on the archive and this file.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARCHIVE = "data/dantri-news-2020.jsonl.gz"
HELDOUT = "data/heldout-ids.txt"

PATTERNS = {
    # A meeting that is held, opened or chaired (not a meeting merely named).
    "meeting": r"(?:tổ chức|khai mạc|chủ trì|diễn ra|tham dự|dự)\s+(?:\S+\s+){0,3}?"
               r"(?:hội nghị|hội thảo|tọa đàm|toạ đàm|diễn đàn|lễ kỷ niệm)",
    "course": r"khai giảng|bế giảng|lớp bồi dưỡng|lớp tập huấn|tập huấn cho|lý luận chính trị",
    "party": r"kết nạp|đảng viên|tỉnh ủy|huyện ủy|thành ủy|đảng ủy|chi bộ|ban thường vụ"
             r"|mặt trận tổ quốc|đoàn thanh niên|hội liên hiệp phụ nữ|hội nông dân|hội cựu chiến binh",
    "document": r"(?:nghị quyết|chỉ thị|kết luận|quy định|quyết định|nghị định|thông tư|kế hoạch)"
                r"\s+(?:số\s+)?\d+[-/]",
    "review": r"(?:sơ kết|tổng kết)\s",
    "anniversary": r"kỷ niệm\s+\d+\s+năm",
    "tally": r"(?:khen thưởng|trao tặng|tặng|trao|hỗ trợ|thăm hỏi|kiểm tra|kỷ luật)\s+(?:\S+\s+){0,3}"
             r"\d+\s+(?:suất|phần quà|tập thể|cá nhân|hộ|đảng viên|tổ chức)",
}
PATTERNS_2 = {
    "document_number": r"\d+/\d{4}/[A-ZĐ]|\d+/[A-ZĐ]{2,}",
    "award": r"bằng khen|khen thưởng|trao tặng|trao quà|tặng quà",
    "training": r"tập huấn|đào tạo nghề|bồi dưỡng",
    "meeting_noun": r"hội nghị|hội thảo|tọa đàm|toạ đàm|diễn đàn",
}
RULE_2 = re.compile("|".join(f"(?P<{k}>{p})" for k, p in PATTERNS_2.items()), re.IGNORECASE)
RULE = re.compile("|".join(f"(?P<{k}>{p})" for k, p in PATTERNS.items()), re.IGNORECASE)
N_NEGATIVES = 60
SEED = 13


def heldout_ids(shared: Path) -> set[str]:
    lines = (shared / HELDOUT).read_text(encoding="utf-8").splitlines()
    return {s.strip() for s in lines if s.strip() and not s.startswith("#")}


def select(shared: Path) -> tuple[list[str], list[str], list[str]]:
    held = heldout_ids(shared)
    picked, others, texts = [], [], {}
    with gzip.open(shared / ARCHIVE, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["id"] in held:
                continue  # never read: only its id is compared
            (picked if RULE.search(row["text"]) else others).append(row["id"])
            texts[row["id"]] = row["text"]
    negatives = sorted(random.Random(SEED).sample(sorted(others), N_NEGATIVES))
    second = sorted(i for i in others if i not in set(negatives) and RULE_2.search(texts[i]))
    return sorted(picked), negatives, second


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=HERE.parents[2] / "shared")
    args = ap.parse_args()
    picked, negatives, second = select(args.shared)
    (HERE / "candidates.txt").write_text("\n".join(picked) + "\n", encoding="utf-8")
    (HERE / "negatives.txt").write_text("\n".join(negatives) + "\n", encoding="utf-8")
    (HERE / "candidates2.txt").write_text("\n".join(second) + "\n", encoding="utf-8")
    print(f"{len(picked)} candidates, {len(negatives)} negatives, {len(second)} by the second rule")


if __name__ == "__main__":
    main()
