"""The command line: outputs, ids, and clear errors for bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from vnreport_ie.schema import validate

from .conftest import ROOT, SEED_ID

CLI = [sys.executable, "-m", "vnreport_ie.cli"]


def run(args, **kw):
    return subprocess.run(CLI + args, capture_output=True, text=True, cwd=ROOT, **kw)


def test_extract_seed_jsonl():
    p = run(["extract", f"seeds/{SEED_ID}.txt"])
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert len(lines) == 1
    rec = json.loads(lines[0])
    assert rec["id"] == SEED_ID and len(rec["facts"]) > 30
    text = (ROOT / "seeds" / f"{SEED_ID}.txt").read_text(encoding="utf-8")
    assert validate(rec, text) == []


def test_extract_stdin_and_directory(tmp_path):
    (tmp_path / "a.txt").write_text("Huyện ủy đã kết nạp 12 đảng viên mới.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("", encoding="utf-8")
    p = run(["extract", str(tmp_path)])
    recs = [json.loads(x) for x in p.stdout.splitlines()]
    assert [r["id"] for r in recs] == ["a", "b"]
    assert recs[0]["facts"][0]["value"] == 12 and recs[1]["facts"] == []
    p = run(["extract", "-"], input="Tỉnh đã mở 3 lớp bồi dưỡng cho 90 học viên.")
    rec = json.loads(p.stdout)
    assert rec["id"] == "stdin" and rec["facts"][0]["classes"] == 3


def test_invalid_utf8_names_file_and_offset(tmp_path):
    bad = tmp_path / "bad.txt"
    prefix = "Tỉnh ủy ".encode("utf-8")
    assert len(prefix) == 12  # three two- or three-byte letters
    bad.write_bytes(prefix + b"\xff\xfe abc")
    p = run(["extract", str(bad)])
    assert p.returncode != 0
    assert "bad.txt" in p.stderr and "byte offset 12" in p.stderr
    assert "Traceback" not in p.stderr


def test_binary_and_utf16_files_are_refused(tmp_path):
    binf = tmp_path / "x.txt"
    binf.write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    p = run(["extract", str(binf)])
    assert p.returncode != 0 and "binary" in p.stderr and "Traceback" not in p.stderr
    u16 = tmp_path / "u.txt"
    u16.write_bytes("Tỉnh ủy đã mở 2 lớp".encode("utf-16"))
    p = run(["extract", str(u16)])
    assert p.returncode != 0 and "UTF-16" in p.stderr


def test_missing_path_is_a_clear_error():
    p = run(["extract", "no/such/file.txt"])
    assert p.returncode == 2 and "no such file" in p.stderr and "Traceback" not in p.stderr


@pytest.mark.parametrize("sub", ["extract", "evaluate", "corpus", "train"])
def test_help_teaches(sub):
    p = run([sub, "--help"])
    assert p.returncode == 0 and "usage:" in p.stdout


def test_empty_text_gives_an_empty_record():
    import vnreport_ie

    rec = vnreport_ie.extract("", id="empty").to_dict()
    assert rec["id"] == "empty" and rec["facts"] == [] and rec["entities"] == []


def test_non_nfc_input_is_flagged_and_offsets_refer_to_nfc():
    import unicodedata

    import vnreport_ie

    text = unicodedata.normalize("NFD", "Huyện ủy đã kết nạp 12 đảng viên mới.")
    rec = vnreport_ie.extract(text).to_dict()
    nfc = unicodedata.normalize("NFC", text)
    assert rec["meta"]["normalized"] is True
    for e in rec["entities"]:
        assert nfc[e["start"]:e["end"]] == e["text"]
    assert rec["facts"][0]["value"] == 12


# ---- the command line never misleads (issue #15)

def test_every_option_of_every_command_has_help():
    import argparse

    from vnreport_ie.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    missing = [f"{name} {a.dest}" for name, p in sub.choices.items() for a in p._actions
               if not isinstance(a, argparse._HelpAction) and not a.help]
    assert missing == []
    for name in sub.choices:
        assert "exit codes" in run([name, "--help"]).stdout or name in ("schema", "show"), name


def test_extract_published_gives_the_year(tmp_path):
    f = tmp_path / "tin.txt"
    f.write_text("Sáng 27/4, Đảng ủy Bộ tổ chức Hội nghị quán triệt Nghị quyết.", encoding="utf-8")
    rec = json.loads(run(["extract", str(f), "--published", "20210427"]).stdout)
    assert rec["meta"]["published"] == "2021-04-27"
    assert [x.get("date") for x in rec["facts"] if x["type"] == "meeting"] == ["2021-04-27"]
    p = run(["extract", str(f), "--published", "27/4/2021"])
    assert p.returncode == 2 and "2021-04-27 or 20210427" in p.stderr and "Traceback" not in p.stderr


def test_extract_output_is_atomic_and_table_needs_a_text_file(tmp_path):
    out = tmp_path / "facts.jsonl"
    p = run(["extract", "no/such/file.txt", "-o", str(out)])
    assert p.returncode == 2 and not out.exists() and list(tmp_path.iterdir()) == []
    out.write_text("old\n", encoding="utf-8")
    run(["extract", "no/such/file.txt", "-o", str(out)])
    assert out.read_text(encoding="utf-8") == "old\n"  # a failed run leaves the old file as it was
    p = run(["extract", f"seeds/{SEED_ID}.txt", "-o", str(out), "--table"])
    assert p.returncode == 2 and "--table" in p.stderr and out.read_text(encoding="utf-8") == "old\n"
    p = run(["extract", f"seeds/{SEED_ID}.txt", "-o", str(out)])
    assert p.returncode == 0 and json.loads(out.read_text(encoding="utf-8"))["id"] == SEED_ID
    assert sorted(x.name for x in tmp_path.iterdir()) == ["facts.jsonl"]


def test_closed_pipe_is_not_a_traceback():
    # Enough output to fill the pipe, then the reader goes away, as `| head -1` does.
    proc = subprocess.Popen(CLI + ["extract", "--pretty"] + [f"seeds/{SEED_ID}.txt"] * 8, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().strip() == b"{"
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert "Traceback" not in err and "BrokenPipe" not in err


def _gold_line() -> str:
    return (ROOT / "seeds" / "gold.jsonl").read_text(encoding="utf-8").splitlines()[0]


def test_evaluate_names_unmatched_ids_and_fails_when_none_match(tmp_path):
    rec = json.loads(run(["extract", f"seeds/{SEED_ID}.txt"]).stdout)
    other = dict(rec, id="not-the-seed")
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps(other, ensure_ascii=False) + "\n", encoding="utf-8")
    p = run(["evaluate", "--gold", "seeds/gold.jsonl", "--pred", str(pred)])
    assert p.returncode == 1 and "not-the-seed" in p.stderr and SEED_ID in p.stderr and p.stdout == ""
    pred.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in (rec, other)), encoding="utf-8")
    p = run(["evaluate", "--gold", "seeds/gold.jsonl", "--pred", str(pred)])
    assert p.returncode == 0 and "not-the-seed" in p.stderr and "slots (lenient)" in p.stdout


@pytest.mark.parametrize("line,problem", [
    ('{"id": "x", "facts": "none"}', "'facts' must be a list"),
    ('{"id": 7, "facts": []}', "'id' must be a string"),
    ("this is not json", "not JSON"),
    ("[1, 2]", "not a record object"),
])
def test_evaluate_reports_bad_prediction_lines(tmp_path, line, problem):
    pred = tmp_path / "pred.jsonl"
    pred.write_text(_gold_line() + "\n" + line + "\n", encoding="utf-8")
    p = run(["evaluate", "--gold", "seeds/gold.jsonl", "--pred", str(pred)])
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert f"{pred}:2" in p.stderr and problem in p.stderr


def test_evaluate_reads_batch_parquet_records_from_another_directory(tmp_path):
    from vnreport_ie.batch import run_batch

    text = (ROOT / "seeds" / f"{SEED_ID}.txt").read_text(encoding="utf-8")
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": SEED_ID, "text": text}, ensure_ascii=False) + "\n"
                   + json.dumps({"id": "empty", "text": " "}) + "\n", encoding="utf-8")
    run_batch([src], tmp_path / "out", fmt="parquet", progress="none")
    assert list((tmp_path / "out" / "records").glob("*.parquet"))
    p = subprocess.run(CLI + ["evaluate", "--gold", str(ROOT / "seeds" / "gold.jsonl"), "--pred",
                              str(tmp_path / "out"), "--json"], capture_output=True, text=True, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["slots"]["lenient"]["f1"] > 0.9
    assert "empty" in p.stderr  # the batch error row is named: an id not in the gold


def test_default_paths_come_from_the_checkout():
    from vnreport_ie.resources import checkout_root, default_seed_gold

    assert checkout_root() == ROOT and default_seed_gold() == ROOT / "seeds" / "gold.jsonl"


def test_evaluate_corpus_from_another_directory(tmp_path):
    p = subprocess.run(CLI + ["evaluate", "--corpus", str(ROOT / "corpus"), "--split", "test", "--json"],
                       capture_output=True, text=True, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert "no seed gold" not in p.stderr and json.loads(p.stdout)["documents"] > 1
