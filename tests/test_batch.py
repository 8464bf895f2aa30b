"""Batch extraction: one row per input, error rows, determinism, timeouts, resume."""

from __future__ import annotations

import csv
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vnreport_ie.batch import BatchError, check_text, decode, run_batch, safe_name
from vnreport_ie.schema import validate

from .conftest import ROOT, news_or_skip

HANG = "TREO_MÃI"  # a text containing this never finishes under hang_load


# ---- pipeline factories the worker processes import (module:function)

def hang_load(model_dir=None):
    import vnreport_ie

    pipe = vnreport_ie.load(model_dir)
    delay = float(os.environ.get("VNREPORT_TEST_DELAY", "0"))

    def run(text, doc_id):
        if HANG in text:
            time.sleep(3600)
        if "GÂY_LỖI" in text:
            raise RuntimeError("injected failure")
        time.sleep(delay)
        return pipe(text, doc_id)
    return run


FACTORY = f"{__name__}:hang_load"


# ---- synthetic Vietnamese reports

SENTENCES = [
    "Huyện ủy {place} đã kết nạp {n} đảng viên mới.",
    "Trường Chính trị tỉnh đã mở {c} lớp Trung cấp Lý luận chính trị cho {p} học viên.",
    "Ban Thường vụ Tỉnh ủy tổ chức hội nghị trực tuyến quán triệt Nghị quyết với {pt} điểm cầu, "
    "thu hút {pp} cán bộ, đảng viên tham dự.",
    "Ngày {d}/5/2021, Ban Bí thư ban hành Chỉ thị số {k}-CT/TW về tăng cường công tác tuyên truyền.",
    "Tổ chức sơ kết {y} năm thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị.",
    "Kỷ niệm {a} năm ngày sinh Chủ tịch Hồ Chí Minh.",
    "Ủy ban kiểm tra các cấp đã kiểm tra {n} tổ chức đảng và thi hành kỷ luật {c} đảng viên.",
]
PLACES = ["Đắk Hà", "Sa Thầy", "Ngọc Hồi", "Kon Rẫy", "Tu Mơ Rông"]


def synthetic_docs(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        k = rng.randint(2, 5)
        text = " ".join(rng.choice(SENTENCES).format(
            place=rng.choice(PLACES), n=rng.randint(3, 300), c=rng.randint(1, 9), p=rng.randint(20, 400),
            pt=rng.randint(10, 250), pp=rng.randint(100, 9000), d=rng.randint(1, 28), k=rng.randint(1, 40),
            y=rng.randint(2, 20), a=rng.randint(50, 135)) for _ in range(k))
        docs.append({"id": f"bc-{i:03d}", "text": f"Báo cáo số {i}\n{text}"})
    return docs


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def read_rows(outdir: Path) -> list[dict]:
    rows = []
    for f in sorted((outdir / "records").glob("part-*.jsonl")):
        rows += [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines()]
    for f in sorted((outdir / "records").glob("part-*.parquet")):
        import pyarrow.parquet as pq

        for r in pq.read_table(f).to_pylist():
            rows.append(json.loads(r["record"]) if r["record"] else
                        {"id": r["id"], "error": {"reason": r["error_reason"], "detail": r["error_detail"]}})
    return rows


def canonical(rows: list[dict]) -> list[str]:
    return sorted(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows)


def fact_table_rows(outdir: Path) -> dict[str, list[str]]:
    out = {}
    for f in sorted((outdir / "facts").glob("*.csv")):
        with open(f, encoding="utf-8", newline="") as fh:
            out[f.name] = sorted(",".join(r) for r in csv.reader(fh))
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    docs = synthetic_docs(36)
    path = write_jsonl(tmp_path_factory.mktemp("in") / "docs.jsonl", docs)
    return docs, path


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory):
    """An uninterrupted single-worker run that other tests compare against."""
    _, path = corpus
    out = tmp_path_factory.mktemp("ref")
    summary = run_batch([path], out, workers=1, progress="none")
    return out, summary


def test_records_validate_against_the_schema(corpus, reference):
    docs, _ = corpus
    texts = {d["id"]: d["text"] for d in docs if isinstance(d.get("id"), str) and isinstance(d.get("text"), str)}
    records = [r for r in read_rows(reference[0]) if "error" not in r]
    assert records
    for r in records:
        assert validate(r, texts.get(r["id"])) == [], r["id"]


# ---- unit checks

def test_decode_and_check_text_reasons():
    assert decode("Tỉnh ủy".encode(), 100) == ("Tỉnh ủy", None)
    assert decode(b"abc \xc3\x28", 100)[1][0] == "invalid_utf8"
    assert decode(b"\xff\xfea\x00b\x00", 100)[1] == ("invalid_utf8", "looks like UTF-16 (byte order mark); convert it to UTF-8")
    assert decode(b"PK\x03\x04\x00\x00", 100)[1][0] == "binary"
    assert decode(b"x" * 401, 100)[1][0] == "too_long"
    assert check_text(" \n\t", 100)[0] == "empty"
    assert check_text("a" * 101, 100)[0] == "too_long"
    assert check_text("\x01\x02\x03\x04ab", 100)[0] == "binary"
    assert check_text("Dòng 1\nDòng 2\t.", 100) is None


def test_safe_name_never_leaves_the_directory():
    for hostile in ("../../etc/passwd", "/etc/passwd", "..", ".", "a/../../b", "x\\..\\y", "a\x00b", ""):
        name = safe_name(hostile)
        assert "/" not in name and "\\" not in name and not name.startswith(".") and name
        assert (Path("/out") / name).resolve().parent == Path("/out")
    assert safe_name("training") == "training"
    assert safe_name("../a") != safe_name("__a")  # the hash keeps cleaned names apart


# ---- end to end

def test_every_input_gives_one_row_with_the_right_error(tmp_path, pipe):
    docs = synthetic_docs(6, seed=3)
    txt = tmp_path / "txt"
    (txt / "sub").mkdir(parents=True)
    for d in docs[:3]:
        (txt / f"{d['id']}.txt").write_text(d["text"], encoding="utf-8")
    (txt / "sub" / "nested.txt").write_text(docs[3]["text"], encoding="utf-8")
    (txt / "latin1.txt").write_bytes("Hội nghị tỉnh".encode("cp1258", "replace") + b" \xe0\xe1\xff")
    (txt / "empty.txt").write_bytes(b"  \n ")
    (txt / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with open(txt / "huge.txt", "w", encoding="utf-8") as fh:  # 20 MB
        block = "Đảng bộ tỉnh đã kết nạp 12 đảng viên mới. " * 1000
        for _ in range(20_000_000 // len(block.encode()) + 1):
            fh.write(block)
    (txt / "gone.txt").symlink_to(tmp_path / "missing-target")
    lines = [json.dumps(docs[4], ensure_ascii=False), json.dumps({"id": docs[4]["id"], "text": "bản trùng"}),
             json.dumps({"id": "../../etc/passwd", "text": docs[5]["text"]}, ensure_ascii=False),
             "{not json", json.dumps({"id": "no-text", "body": "x"}), json.dumps({"id": "null-text", "text": None}),
             json.dumps({"id": "crash", "text": "Tỉnh ủy GÂY_LỖI."}, ensure_ascii=False),
             json.dumps({"id": "too-long-chars", "text": "a" * 150_001})]
    jsonl = tmp_path / "more.jsonl"
    jsonl.write_bytes(("\n".join(lines) + "\n\n").encode() + b'{"id": "bad-bytes", "text": "ch\xe1o"}\n')
    out = tmp_path / "out"

    summary = run_batch([txt, jsonl], out, workers=2, progress="none", max_chars=150_000, pipeline=FACTORY)

    rows = read_rows(out)
    expect = {"bc-000": None, "bc-001": None, "bc-002": None, "sub/nested": None, "latin1": "invalid_utf8",
              "empty": "empty", "image": "binary", "huge": "too_long", "gone": "unreadable",
              "bc-004": None, "../../etc/passwd": None, "more.jsonl:4": "unreadable", "no-text": "unreadable",
              "null-text": "empty", "crash": "extraction_failed", "too-long-chars": "too_long",
              "bad-bytes": "invalid_utf8"}
    got = {}
    for r in rows:
        if (r.get("error") or {}).get("reason") == "duplicate_id":
            assert r["id"] == "bc-004" and "#" in r["error"]["detail"]
            continue
        assert r["id"] not in got, f"two rows for {r['id']}"
        got[r["id"]] = (r.get("error") or {}).get("reason")
    assert got == expect
    assert len(rows) == len(expect) + 1 == summary["rows_written"] == summary["documents_read"]
    assert summary["complete"] and summary["errors_by_reason"] == {
        "binary": 1, "duplicate_id": 1, "empty": 2, "extraction_failed": 1, "invalid_utf8": 2,
        "too_long": 2, "unreadable": 3}
    # Good documents carry exactly what the pipeline gives in-process.
    texts = {d["id"]: d["text"] for d in docs}
    texts["sub/nested"], texts["../../etc/passwd"] = docs[3]["text"], docs[5]["text"]
    for r in rows:
        if "error" not in r:
            assert r == pipe(texts[r["id"]], r["id"]).to_dict()
    assert summary["facts_total"] == sum(len(r.get("facts", [])) for r in rows) > 0
    # Nothing written outside OUTDIR, and only the expected files inside.
    assert not (tmp_path / "etc").exists()
    names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert names == {"summary.json", "_state/job.json", "_state/lock", "records/part-00000.jsonl"} | {
        f"facts/{t}.{ext}" for t in summary["files"]["facts"] for ext in ("csv", "parquet")}


def test_fact_tables_flatten_every_fact(reference):
    import pyarrow.parquet as pq

    out, summary = reference
    rows = read_rows(out)
    assert len(rows) == 36 and summary["errors"] == 0
    by_type: dict[str, int] = {}
    for r in rows:
        for f in r["facts"]:
            by_type[f["type"]] = by_type.get(f["type"], 0) + 1
    assert by_type == summary["facts_by_type"] and len(by_type) >= 3
    first = next((r, i, f) for r in rows for i, f in enumerate(r["facts"]) if f["type"] == "training")
    for t, n in by_type.items():
        table = pq.read_table(out / "facts" / f"{t}.parquet")
        assert table.num_rows == n
        assert table.column_names[:2] == ["doc_id", "fact_index"]
        assert table.column_names[-3:] == ["evidence_start", "evidence_end", "published"]
        with open(out / "facts" / f"{t}.csv", encoding="utf-8", newline="") as fh:
            assert len(list(csv.reader(fh))) == n + 1
    r, i, f = first
    training = pq.read_table(out / "facts" / "training.parquet").to_pylist()
    row = next(x for x in training if x["doc_id"] == r["id"] and x["fact_index"] == i)
    assert (row["course"], row["classes"], row["participants"]) == (f["course"], f["classes"], f["participants"])
    assert (row["evidence_start"], row["evidence_end"]) == (f["evidence"]["start"], f["evidence"]["end"])


def test_one_and_two_workers_give_the_same_output(corpus, reference, tmp_path):
    _, path = corpus
    ref_out, ref_summary = reference
    summary = run_batch([path], tmp_path / "two", workers=2, progress="none")
    assert canonical(read_rows(tmp_path / "two")) == canonical(read_rows(ref_out))
    assert fact_table_rows(tmp_path / "two") == fact_table_rows(ref_out)
    for key in ("rows_written", "records_written", "errors_by_reason", "facts_by_type"):
        assert summary[key] == ref_summary[key]
    # Sharded Parquet holds the same rows.
    run_batch([path], tmp_path / "pq", workers=2, progress="none", fmt="parquet", shard_size=10)
    parts = sorted(p.name for p in (tmp_path / "pq" / "records").iterdir())
    assert parts == [f"part-0000{i}.parquet" for i in range(4)]
    assert canonical(read_rows(tmp_path / "pq")) == canonical(read_rows(ref_out))


def test_hung_document_times_out_and_the_rest_go_on(tmp_path):
    docs = synthetic_docs(4, seed=5)
    docs.insert(1, {"id": "hung", "text": f"Hội nghị {HANG} tỉnh."})
    path = write_jsonl(tmp_path / "d.jsonl", docs)
    t0 = time.monotonic()
    summary = run_batch([path], tmp_path / "out", workers=1, progress="none", doc_timeout=2, pipeline=FACTORY)
    assert time.monotonic() - t0 < 60
    rows = {r["id"]: r for r in read_rows(tmp_path / "out")}
    assert rows["hung"]["error"]["reason"] == "timeout"
    assert all("facts" in rows[d["id"]] for d in docs if d["id"] != "hung")
    assert summary["errors_by_reason"] == {"timeout": 1} and summary["this_run"]["worker_restarts"] == 1


def test_kill_9_then_rerun_continues_without_gaps_or_duplicates(corpus, reference, tmp_path):
    _, path = corpus
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "vnreport_ie.batch", str(path), "-o", str(out), "--workers", "2",
           "--progress", "none", "--pipeline", FACTORY]
    env = dict(os.environ, VNREPORT_TEST_DELAY="0.25")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    shard = out / "records" / "part-00000.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if shard.exists() and shard.read_bytes().count(b"\n") >= 8:
            break
        time.sleep(0.05)
    assert proc.poll() is None, f"the batch ended before it could be killed: {proc.stderr.read().decode()}"
    os.killpg(proc.pid, signal.SIGKILL)  # the parent and its workers, as a crash would
    proc.wait()
    done_before = shard.read_bytes().count(b"\n")
    assert 8 <= done_before < 36
    with open(shard, "ab") as fh:  # what a write cut short leaves behind
        fh.write(b'{"id":"bc-0')

    rerun = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["this_run"]["documents_done_earlier"] == done_before
    assert summary["this_run"]["documents_processed"] == 36 - done_before
    rows = read_rows(out)
    assert len(rows) == len({r["id"] for r in rows}) == 36
    assert canonical(rows) == canonical(read_rows(reference[0]))
    assert fact_table_rows(out) == fact_table_rows(reference[0])


def test_datasets_and_parquet_inputs(tmp_path, pipe):
    import datasets
    import pyarrow as pa
    import pyarrow.parquet as pq

    docs = synthetic_docs(4, seed=11)
    datasets.Dataset.from_list([{"doc": d["id"], "content": d["text"]} for d in docs[:2]]).save_to_disk(tmp_path / "hf")
    pq.write_table(pa.table({"doc": [d["id"] for d in docs[2:]], "content": [d["text"] for d in docs[2:]]}),
                   tmp_path / "t.parquet")
    summary = run_batch([tmp_path / "hf", tmp_path / "t.parquet"], tmp_path / "out", progress="none",
                        text_field="content", id_field="doc")
    rows = read_rows(tmp_path / "out")
    assert summary["complete"] and summary["errors"] == 0
    assert canonical(rows) == canonical([pipe(d["text"], d["id"]).to_dict() for d in docs])


def test_outdir_of_another_job_is_refused(corpus, reference, tmp_path):
    other = write_jsonl(tmp_path / "other.jsonl", synthetic_docs(2))
    with pytest.raises(BatchError, match="other inputs"):
        run_batch([other], reference[0], progress="none")
    with pytest.raises(BatchError, match="no such file"):
        run_batch([tmp_path / "absent.jsonl"], tmp_path / "o", progress="none")
    # A finished job reruns as a no-op.
    again = run_batch([corpus[1]], reference[0], progress="none")
    assert again["this_run"]["documents_processed"] == 0 and again["rows_written"] == 36


def test_news_archive_sample(tmp_path, pipe):
    import gzip

    news = news_or_skip()
    summary = run_batch([news], tmp_path / "out", workers=2, limit=12, progress="none")
    assert summary["documents_read"] == summary["rows_written"] == 12 and summary["errors"] == 0
    with gzip.open(news, "rt", encoding="utf-8") as fh:
        first = [json.loads(next(fh)) for _ in range(12)]
    # The archive's date is the publication date; its other fields ride along as "source".
    want = [dict(pipe(d["text"], d["id"], published=d["date"]).to_dict(),
                 source={k: v for k, v in d.items() if k not in ("id", "text")}) for d in first]
    assert canonical(read_rows(tmp_path / "out")) == canonical(want)


# ---- publication dates and passthrough fields (issue #12)

DATED = [
    {"id": "d1", "url": "https://x.vn/1", "date": "20210427", "category": "politics", "views": 12,
     "tags": ["a"], "text": "Sáng 27/4, Đảng ủy Bộ tổ chức Hội nghị quán triệt Nghị quyết."},
    {"id": "d2", "url": "https://x.vn/2", "date": "2021-04-27", "category": "politics", "views": None,
     "text": "Sáng 27/4, Đảng ủy Bộ tổ chức Hội nghị quán triệt Nghị quyết."},
    {"id": "d3", "url": "https://x.vn/3", "date": "hôm qua", "category": "politics",
     "text": "Sáng 27/4, Đảng ủy Bộ tổ chức Hội nghị quán triệt Nghị quyết."},
    {"id": "d4", "url": "https://x.vn/4", "date": "20210427", "text": "   "},
]


def test_date_field_is_the_published_date_and_other_fields_pass_through(tmp_path, pipe):
    import pyarrow.parquet as pq

    path = write_jsonl(tmp_path / "dated.jsonl", DATED)
    summary = run_batch([path], tmp_path / "out", progress="none")
    rows = {r["id"]: r for r in read_rows(tmp_path / "out")}
    text = DATED[0]["text"]
    for i in ("d1", "d2"):
        src = {k: v for k, v in DATED[int(i[1]) - 1].items() if k not in ("id", "text", "tags")}
        assert rows[i] == dict(pipe(text, i, published="2021-04-27").to_dict(), source=src)
        assert rows[i]["meta"]["published"] == "2021-04-27"
        assert [f["date"] for f in rows[i]["facts"] if f["type"] == "meeting"] == ["2021-04-27"]
        assert validate({k: v for k, v in rows[i].items() if k != "source"}, text) == []
    # An unreadable date is not used; the row still carries it.
    assert "published" not in rows["d3"]["meta"] and rows["d3"]["source"]["date"] == "hôm qua"
    assert rows["d4"]["error"]["reason"] == "empty" and rows["d4"]["source"] == {"url": "https://x.vn/4",
                                                                                   "date": "20210427"}
    assert summary["errors"] == 1
    meetings = pq.read_table(tmp_path / "out" / "facts" / "meeting.parquet").to_pylist()
    by_doc = {m["doc_id"]: m for m in meetings}
    assert by_doc["d1"]["source_url"] == "https://x.vn/1" and by_doc["d1"]["published"] == "2021-04-27"
    assert by_doc["d1"]["source_views"] == "12" and by_doc["d3"]["published"] is None
    # Parquet records keep the same rows (the record column is the bare record).
    run_batch([path], tmp_path / "pq", progress="none", fmt="parquet")
    assert canonical(read_rows_with_source(tmp_path / "pq")) == canonical(list(rows.values()))
    table = pq.read_table(next((tmp_path / "pq" / "records").glob("*.parquet"))).to_pylist()
    assert {r["id"]: r["published"] for r in table}["d1"] == "2021-04-27"
    assert all("source" not in json.loads(r["record"]) for r in table if r["record"])


def read_rows_with_source(outdir: Path) -> list[dict]:
    from vnreport_ie.batch import RecordStore

    return list(RecordStore(outdir, "parquet").rows())


def test_date_field_in_parquet_and_datasets_inputs(tmp_path, pipe):
    import datasets
    import pyarrow as pa
    import pyarrow.parquet as pq

    cols = {k: [d[k] for d in DATED[:2]] for k in ("id", "url", "date", "text")}
    pq.write_table(pa.table(cols), tmp_path / "t.parquet")
    datasets.Dataset.from_dict({**cols, "id": ["h1", "h2"], "day": cols["date"]}).save_to_disk(tmp_path / "hf")
    run_batch([tmp_path / "t.parquet"], tmp_path / "o1", progress="none")
    run_batch([tmp_path / "hf"], tmp_path / "o2", progress="none", date_field="day")
    for out in ("o1", "o2"):
        rows = read_rows(tmp_path / out)
        assert len(rows) == 2 and all(r["meta"]["published"] == "2021-04-27" for r in rows)
        assert all(r["source"]["url"].startswith("https://x.vn/") for r in rows)
    # Another --date-field is another job: resuming it is refused.
    with pytest.raises(BatchError, match="date_field"):
        run_batch([tmp_path / "hf"], tmp_path / "o2", progress="none")


def test_batch_exit_code_says_when_rows_are_errors(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", DATED[3:])
    cmd = [sys.executable, "-m", "vnreport_ie.cli", "batch", str(path), "-o", str(tmp_path / "o"),
           "--progress", "none"]
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert p.returncode == 3 and "empty 1" in p.stderr and "Traceback" not in p.stderr


def test_keep_all_keeps_the_facts_under_the_threshold(tmp_path, pipe):
    import vnreport_ie
    from vnreport_ie.corpus import load_jsonl

    everything = vnreport_ie.load(keep_all=True)
    # Team-written documents where the threshold leaves a fact out.
    docs = []
    for d in load_jsonl(ROOT / "corpus" / "corpus.jsonl"):
        if d["split"] == "train" and len(everything(d["text"]).facts) > len(pipe(d["text"]).facts):
            docs.append({"id": d["id"], "text": d["text"]})
            if len(docs) == 3:
                break
    assert docs
    path = write_jsonl(tmp_path / "d.jsonl", docs)
    cmd = [sys.executable, "-m", "vnreport_ie.cli", "-q", "batch", str(path), "-o", str(tmp_path / "all"),
           "--progress", "none", "--keep-all"]
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert canonical(read_rows(tmp_path / "all")) == canonical([everything(d["text"], d["id"]).to_dict() for d in docs])
    assert any(f["confidence"] < 0.5 for r in read_rows(tmp_path / "all") for f in r["facts"])
    summary = json.loads((tmp_path / "all" / "summary.json").read_text(encoding="utf-8"))
    assert summary["options"]["keep_all"] is True
    # The default run of the same input keeps fewer facts, and may not continue the --keep-all job.
    default = run_batch([path], tmp_path / "default", progress="none")
    assert default["facts_total"] < summary["facts_total"]
    with pytest.raises(BatchError, match="other keep_all"):
        run_batch([path], tmp_path / "all", progress="none")


def test_every_cli_option_has_help():
    from vnreport_ie.cli import build_parser

    def walk(parser):
        yield parser
        for action in parser._actions:
            for sub in getattr(action, "choices", None) or ():
                if isinstance(action.choices, dict):
                    yield from walk(action.choices[sub])

    parsers = list(walk(build_parser()))
    assert len(parsers) >= 8
    missing = [(p.prog, a.dest) for p in parsers for a in p._actions
               if a.dest != "help" and not a.help and not isinstance(a.choices, dict)]
    assert not missing
    batch_help = next(p for p in parsers if p.prog.endswith(" batch")).format_help()
    assert "--keep-all" in batch_help and "confidence" in batch_help
