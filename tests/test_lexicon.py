"""One lexicon: every list in ``lexicon.toml`` is read by the code, a word
added there reaches every stage, and models note the lexicon they saw."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import warnings

import pytest

from vnreport_ie import lexicon as lx

from .conftest import ROOT

PKG = ROOT / "vnreport_ie"


def _python_names() -> list[str]:
    src = (PKG / "lexicon.py").read_text(encoding="utf-8")
    return re.findall(r"^([A-Z][A-Z_]+)(?::[^=]*)? = ", src, re.M)


def test_every_list_is_read_by_the_code():
    # Each list of the file has a name in lexicon.py (checked at load)...
    src = (PKG / "lexicon.py").read_text(encoding="utf-8")
    for group, names in lx.SCHEMA.items():
        for name in names:
            assert f'"{group}", "{name}"' in src or f'DATA["{group}"]["{name}"]' in src, f"{group}.{name}"
    # ...and each of those names is read by another module.
    others = "\n".join(p.read_text(encoding="utf-8") for p in PKG.rglob("*.py") if p.name != "lexicon.py")
    meta = {"DEFAULT_FILE", "SCHEMA", "PATH", "DATA", "FINGERPRINT"}
    unused = [n for n in _python_names() if n not in meta and not re.search(rf"\b{n}\b", others)
              and not re.search(rf"\b{n}\b", src.split(f"{n} =", 1)[1].split("\n", 1)[1])]
    assert unused == []


def test_no_duplicates_and_lower_case():
    for group, names in lx.DATA.items():
        for name, words in names.items():
            words = list(words)
            assert len(words) == len(set(words)), f"{group}.{name} has duplicates"
            if (group, name) != ("documents", "types"):  # (written as they open a reference)
                assert all(w == w.lower() and w == w.strip() for w in words), f"{group}.{name}"


def test_unknown_or_missing_lists_are_errors(tmp_path):
    bad = tmp_path / "lexicon.toml"
    bad.write_text((PKG / "lexicon.toml").read_text(encoding="utf-8") + '\n[extra]\nwords = ["x"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown"):
        lx.read(bad)


def test_the_packaged_models_match_the_lexicon():
    for name in ("lexicon.json", "phrases.json", "relations.json"):
        data = json.loads((ROOT / "models" / name).read_text(encoding="utf-8"))
        assert data.get("lexicon", data.get("meta", {}).get("lexicon")) == lx.FINGERPRINT, name


def test_a_model_of_another_lexicon_warns(monkeypatch):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lx.check("0000000000000000", "a test model")
        lx.check(lx.FINGERPRINT, "a matching model")
        lx.check(None, "a model that recorded none")
    assert len(caught) == 1 and "retrain" in str(caught[0].message)


SCRIPT = r"""
import json, sys, warnings
warnings.simplefilter("ignore")  # (the models were trained with the packaged lexicon)
import vnreport_ie
text = sys.argv[1]
out = []
for prefilter in (True, False):
    rec = vnreport_ie.load(prefilter=prefilter, keep_all=True)(text)  # (a new word is no model's favourite)
    out.append([f.to_dict() for f in rec.facts])
print(json.dumps(out, ensure_ascii=False))
"""


def _facts_with(tmp_path, edit, text):
    lexicon = (PKG / "lexicon.toml").read_text(encoding="utf-8")
    if edit:
        old, new = edit
        assert lexicon.count(old) == 1
        lexicon = lexicon.replace(old, new)
    path = tmp_path / "lexicon.toml"
    path.write_text(lexicon, encoding="utf-8")
    env = {**os.environ, "VNREPORT_IE_LEXICON": str(path)}
    done = subprocess.run([sys.executable, "-c", SCRIPT, text], env=env, capture_output=True, text=True,
                          check=True, cwd=tmp_path)
    scanned, full = json.loads(done.stdout)
    assert scanned == full  # the scan is built from the same words
    return scanned


def test_a_meeting_noun_added_in_the_lexicon_is_found_with_and_without_the_scan(tmp_path):
    text = ("Tin khác trong ngày.\n"
            "Ban Tuyên giáo Tỉnh ủy tổ chức Hội luận chuyên đề với 120 đại biểu tham dự.")
    assert not [f for f in _facts_with(tmp_path, None, text) if f["type"] == "meeting"]
    edit = ('nouns = [\n    "hội nghị",', 'nouns = [\n    "hội luận", "hội nghị",')
    (meeting,) = [f for f in _facts_with(tmp_path, edit, text) if f["type"] == "meeting"]
    assert meeting["kind"].startswith("Hội luận") and meeting["participants"] == 120


def test_a_course_word_added_in_the_lexicon_is_found_with_and_without_the_scan(tmp_path):
    text = ("Tin khác trong ngày.\n"
            "Trường Chính trị tỉnh đã mở 3 khoá học Trung cấp Lý luận chính trị cho 150 học viên.")
    before = [f for f in _facts_with(tmp_path, None, text) if f["type"] == "training"]
    edit = ('nouns = [\n    "lớp", "khóa", "khoá"', 'nouns = [\n    "lớp", "khóa", "khoá", "khoá học"')
    (course,) = [f for f in _facts_with(tmp_path, edit, text) if f["type"] == "training"]
    assert course["classes"] == 3 and course["course"] == "Trung cấp Lý luận chính trị"
    assert [f.get("course") for f in before] != [course["course"]]
