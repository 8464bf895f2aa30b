"""The scorer on hand-made cases whose P/R/F1 are computed by hand."""

from __future__ import annotations

import pytest

from vnreport_ie.evaluate import align, score, string_match


def rec(doc_id, facts, meta=None):
    return {"id": doc_id, "facts": facts, "meta": meta or {}, "entities": [], "relations": []}


def T(**slots):
    return {"type": "training", "evidence": {"start": 0, "end": 1}, "spans": {}, **slots}


def test_perfect():
    g = rec("d", [T(course="Cao cấp Lý luận chính trị", classes=2, participants=111)])
    r = score([g], [g])
    assert r["slots"]["lenient"]["f1"] == 1.0 and r["facts"]["f1"] == 1.0


def test_one_wrong_one_missing_one_spurious():
    # gold: course, classes, participants (3 slots); pred: course right, classes wrong (3 vs 2),
    # participants missing, organizer spurious.
    g = rec("d", [T(course="kết nạp Đảng", classes=2, participants=111)])
    p = rec("d", [T(course="kết nạp Đảng", classes=3, organizer="Trường Chính trị tỉnh")])
    s = score([g], [p])["slots"]["lenient"]
    # tp=1 (course); fp=2 (classes wrong, organizer spurious); fn=2 (classes wrong, participants missing)
    assert (s["tp"], s["fp"], s["fn"]) == (1, 2, 2)
    assert s["precision"] == pytest.approx(1 / 3, abs=1e-4)
    assert s["recall"] == pytest.approx(1 / 3, abs=1e-4)
    assert s["f1"] == pytest.approx(1 / 3, abs=1e-4)


def test_alignment_prefers_more_agreeing_slots():
    g = [T(course="A B", classes=2, participants=10), T(course="C D", classes=2, participants=20)]
    p = [T(course="C D", classes=2, participants=20), T(course="A B", classes=2, participants=10)]
    assert sorted(align(g, p)) == [(0, 1), (1, 0)]
    assert score([rec("d", g)], [rec("d", p)])["slots"]["strict"]["f1"] == 1.0


def test_alignment_tie_is_one_to_one():
    # Two identical gold facts and one prediction: one aligned, one gold fact missed.
    g = [T(course="X", classes=1), T(course="X", classes=1)]
    p = [T(course="X", classes=1)]
    s = score([rec("d", g)], [rec("d", p)])
    assert (s["slots"]["strict"]["tp"], s["slots"]["strict"]["fn"]) == (2, 2)
    assert s["facts"]["precision"] == 1.0 and s["facts"]["recall"] == 0.5


def test_strict_vs_lenient_strings():
    g = rec("d", [T(course="bồi dưỡng nghiệp vụ công tác Tuyên giáo khóa 12-năm 2022", participants=87)])
    p = rec("d", [T(course="Bồi dưỡng nghiệp vụ công tác Tuyên giáo", participants=87)])
    r = score([g], [p])
    assert r["slots"]["strict"]["tp"] == 1 and r["slots"]["strict"]["fp"] == 1
    assert r["slots"]["lenient"]["f1"] == 1.0


@pytest.mark.parametrize("gold,pred,strict,lenient", [
    ("Cao cấp Lý luận chính trị", "cao cấp lý luận chính trị", True, True),
    ("cán bộ, công chức", "cán bộ công chức", True, True),
    ("cán bộ, công chức của tỉnh", "cán bộ, công chức", False, True),  # containment
    ("hội nghị trực tuyến toàn tỉnh", "hội nghị", False, True),  # contained: lenient
    ("quần chúng ưu tú", "đảng viên mới", False, False),
    ("a b c d", "a b x y", False, True),  # overlap F1 = 0.5
    ("a b c d e", "a x y z w", False, False),  # overlap F1 = 0.2
])
def test_string_match(gold, pred, strict, lenient):
    assert string_match(gold, pred, lenient=False) is strict
    assert string_match(gold, pred, lenient=True) is lenient


def test_dates_and_ints_are_exact():
    g = rec("d", [{"type": "document", "number": "01-KL/TW", "issued_date": "2021-05-18", "evidence": {}, "spans": {}}])
    p = rec("d", [{"type": "document", "number": "01-KL/TW", "issued_date": "2021-05", "evidence": {}, "spans": {}}])
    s = score([g], [p])["slots"]["lenient"]
    assert (s["tp"], s["fp"], s["fn"]) == (1, 1, 1)


def test_meta_and_missing_document():
    g = rec("d", [T(course="X", classes=1)], {"location": "Kon Tum", "author": "Lê Văn Châu"})
    r = score([g], [])
    assert r["slots"]["lenient"]["recall"] == 0.0
    assert r["meta"]["location"]["fn"] == 1


def test_province_is_scored_by_official_code():
    kt = {"name": "Tỉnh Kon Tum", "code": "62"}
    gold = [rec("a", [], {"province": kt}), rec("b", [], {"province": kt}), rec("c", [], {})]
    pred = [rec("a", [], {"province": {"name": "Kon Tum", "code": "62"}}),
            rec("b", [], {"province": {"name": "Tỉnh Gia Lai", "code": "64"}}),
            rec("c", [], {"province": kt})]
    p = score(gold, pred)["meta"]["province"]
    assert (p["tp"], p["fp"], p["fn"]) == (1, 2, 1)
    assert "published" not in score(gold, pred)["meta"]


def test_false_facts_on_documents_without_gold_facts():
    gold = [rec("a", []), rec("b", []), rec("c", [T(course="X", classes=1)])]
    pred = [rec("a", [T(course="Y", classes=2), T(course="Z", classes=3)]), rec("b", []),
            rec("c", [T(course="X", classes=1)])]
    assert score(gold, pred)["without_facts"] == {"documents": 2, "predicted_facts": 2, "per_document": 1.0}


def E(i, label, start, end):
    return {"id": i, "label": label, "start": start, "end": end, "text": "", "value": None}


def test_semeval_schemes_by_hand():
    # gold: ORG [0,10), COUNT [20,25), GROUP [30,40)
    # pred: ORG [0,10) exact+type; COUNT [20,23) overlap same type; ORG [30,40) exact span, wrong type;
    #       COUNT [50,55) spurious.  GROUP has no other pred, so nothing is missed.
    g = {"id": "d", "facts": [], "meta": {}, "relations": [],
         "entities": [E(0, "ORG", 0, 10), E(1, "COUNT", 20, 25), E(2, "GROUP", 30, 40)]}
    p = {"id": "d", "facts": [], "meta": {}, "relations": [],
         "entities": [E(0, "ORG", 0, 10), E(1, "COUNT", 20, 23), E(2, "ORG", 30, 40), E(3, "COUNT", 50, 55)]}
    r = score([g], [p])["entities_semeval"]
    # strict: COR 1 (ORG), INC 2 (COUNT partial, GROUP wrong type), SPU 1 -> P = 1/4, R = 1/3
    assert (r["strict"]["micro"]["COR"], r["strict"]["micro"]["INC"], r["strict"]["micro"]["SPU"]) == (1, 2, 1)
    assert r["strict"]["micro"]["precision"] == 0.25 and r["strict"]["micro"]["recall"] == pytest.approx(1 / 3, abs=1e-4)
    # exact: boundaries only -> COR 2 (ORG, GROUP span), INC 1 (COUNT) -> P = 2/4, R = 2/3
    assert r["exact"]["micro"]["precision"] == 0.5 and r["exact"]["micro"]["recall"] == pytest.approx(2 / 3, abs=1e-4)
    # partial: COR 2, PAR 1 -> (2 + 0.5) / 4 and / 3
    assert r["partial"]["micro"]["precision"] == 0.625 and r["partial"]["micro"]["recall"] == pytest.approx(2.5 / 3, abs=1e-4)
    # type: overlap with right type -> COR 2 (ORG, COUNT), INC 1 (GROUP) -> 2/4, 2/3
    assert r["type"]["micro"]["COR"] == 2 and r["type"]["micro"]["INC"] == 1


def test_score_lists_ids_found_on_one_side_only():
    g = [rec("a", [T(course="X", classes=1)]), rec("b", [])]
    r = score(g, [rec("a", [T(course="X", classes=1)]), rec("z", [])])
    assert r["ids"] == {"matched": 1, "gold_without_prediction": ["b"], "prediction_without_gold": ["z"]}


def test_record_files_name_every_bad_line(tmp_path):
    import gzip
    import json

    from vnreport_ie.recordfile import read_records

    good = rec("a", [T(course="X", classes=1)])
    f = tmp_path / "p.jsonl"
    f.write_bytes(json.dumps(good).encode() + b"\n\n{oops\n" + json.dumps(good).encode() + b"\n\xff\n")
    found = read_records(f, strict=False)
    assert [r["id"] for r in found.records] == ["a"]
    assert [p.split(": ")[0] for p in found.problems] == [f"{f}:3", f"{f}:4", f"{f}:5"]
    assert "again" in found.problems[1] and "not UTF-8" in found.problems[2]
    gz = tmp_path / "cut.jsonl.gz"
    gz.write_bytes(gzip.compress(json.dumps(good).encode() + b"\n" * 2000)[:-30])
    assert "cannot be read" in read_records(gz, strict=False).problems[-1]
    bad = tmp_path / "x.parquet"
    bad.write_bytes(b"PAR1 not really")
    assert "cannot be read as Parquet" in read_records(bad, strict=False).problems[0]
