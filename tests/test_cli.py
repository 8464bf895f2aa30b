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
