"""The seed report: extraction against its gold, and the offset invariant."""

from __future__ import annotations

import json

from vnreport_ie import schema
from vnreport_ie.evaluate import score

from .conftest import ROOT, SEED_ID


# Slots the spec added in v2 (the gold carries them; the v1 bar is scored without them).
_V2_ONLY = {"date", "date_end", "duration", "graduates", "plan_percent", "session", "subject",
            ("review", "organizer"), ("tally", "organizer")}


def _v1_view(record):
    facts = []
    for f in record["facts"]:
        g = {k: v for k, v in f.items() if k not in _V2_ONLY and (f["type"], k) not in _V2_ONLY}
        if f["type"] == "training" and g.get("status") not in (None, "ongoing"):
            g["status"] = None  # v1 knew only `ongoing`
        facts.append(g)
    return {**record, "facts": facts}


def test_seed_fact_f1_meets_the_bar(seed_record, seed_gold):
    result = score([_v1_view(seed_gold)], [_v1_view(seed_record)])
    assert result["slots"]["lenient"]["f1"] >= 0.95
    assert result["slots"]["strict"]["f1"] >= 0.90


def test_seed_meta(seed_record):
    meta = seed_record["meta"]
    assert meta["location"] == "Kon Tum"
    assert meta["period"] == {"text": "6 tháng đầu năm 2022", "start": "2022-01-01", "end": "2022-06-30"}
    assert meta["author"] == "Lê Văn Châu"
    assert meta["source_name"] == "Tuyên Giáo"
    assert meta["source_url"].startswith("http://www.tuyengiao.vn/")
    assert meta["normalized"] is False


def _facts(rec, ftype):
    return [f for f in rec["facts"] if f["type"] == ftype]


def test_seed_training_rows(seed_record):
    rows = {f["course"]: f for f in _facts(seed_record, "training")}
    cc = rows["Cao cấp Lý luận chính trị"]
    assert (cc["classes"], cc["participants"], cc["organizer"]) == (2, 111, "Trường Chính trị tỉnh")
    assert rows["Trung cấp Lý luận chính trị"]["status"] == "ongoing"
    kn = rows["kết nạp Đảng"]
    assert (kn["classes"], kn["participants"], kn["participant_group"]) == (19, 1088, "quần chúng ưu tú")
    total = rows["đào tạo, bồi dưỡng"]
    assert total["participants"] == 3418
    assert rows["Công tác Mặt trận"]["participants"] == 98


def test_seed_meetings_and_documents(seed_record):
    meetings = {f["kind"]: f for f in _facts(seed_record, "meeting")}
    m = meetings["hội nghị trực tuyến toàn tỉnh"]
    assert (m["count"], m["mode"], m["connection_points"], m["organizer"]) == (2, "online", 224, "Ban Thường vụ Tỉnh ủy")
    m59 = meetings["hội nghị"]
    assert (m59["count"], m59["connection_points"], m59["participants"], m59["participants_are_attendances"]) == \
        (59, 112, 24737, True)
    docs = {(f["doc_type"], f["number"]): f for f in _facts(seed_record, "document")}
    assert docs[("Kết luận", "01-KL/TW")]["issued_date"] == "2021-05-18"
    assert docs[("Chỉ thị", "06-CT/TU")]["issued_date"] == "2007-08-30"
    assert docs[("Nghị quyết", "20-CT/TW")]["issuer"] == "Ban Chấp hành Trung ương"
    assert docs[("Nghị quyết", "20-CT/TW")]["term"] == "XI"
    anniversary = _facts(seed_record, "anniversary")
    assert [(a["years"], a["event"]) for a in anniversary] == [(132, "ngày sinh Chủ tịch Hồ Chí Minh")]


def test_seed_sum_check(seed_record):
    checks = seed_record["checks"]
    assert checks[0]["total"] == 3418 and sum(checks[0]["parts"]) == 3418 and checks[0]["agrees"] is True


def test_offsets_slice_the_words(seed_record, seed_text):
    for e in seed_record["entities"]:
        assert seed_text[e["start"]:e["end"]] == e["text"]
    for f in seed_record["facts"]:
        ev = f["evidence"]
        assert 0 <= ev["start"] < ev["end"] <= len(seed_text)
        for slot, (a, b) in f["spans"].items():
            words = seed_text[a:b]
            value = f[slot]
            kind = schema.FACT_TYPE[f["type"]].slot(slot).type
            # Words are the value for string slots (a session is named in full: `Hội nghị Trung ương 4`).
            if kind == "str" and slot != "session":
                assert words == value, (slot, words, value)
            elif isinstance(value, int) and not isinstance(value, bool) and slot != "connection_points":
                digits = "".join(ch for ch in words if ch.isdigit())
                assert digits == str(value) or not digits, (slot, words, value)


def test_relations_point_at_entities(seed_record):
    ids = {e["id"] for e in seed_record["entities"]}
    assert seed_record["relations"]
    for r in seed_record["relations"]:
        assert r["head"] in ids and r["tail"] in ids


def test_seed_is_never_trained_on():
    card = json.loads((ROOT / "models" / "relations.json").read_text(encoding="utf-8"))
    assert card["meta"]["trained_on"]["documents"] > 0
    corpus_ids = [json.loads(line)["id"] for line in (ROOT / "corpus" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    assert SEED_ID not in corpus_ids
