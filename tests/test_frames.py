"""vnreport_ie.to_frames: typed tidy tables, taxonomy columns, passthrough, spans."""

from __future__ import annotations

import contextlib
import io
import json
import re
import time

import pandas as pd
import pytest

import vnreport_ie
from vnreport_ie.frames import month_of, span_columns
from vnreport_ie.schema import FACT_TYPE, FACT_TYPES
from vnreport_ie.taxonomy import categories, course_type, fold, labels, meeting_kind

from .conftest import ROOT

TEXT = ("Trường Chính trị tỉnh đã mở 2 lớp Trung cấp Lý luận chính trị (111 học viên). "
        "Huyện ủy tổ chức bồi dưỡng nhận thức về Đảng cho hơn 300 quần chúng ưu tú. "
        "Ban Thường vụ Tỉnh ủy tổ chức hội nghị trực tuyến quán triệt Nghị quyết với 120 điểm cầu.")


@pytest.fixture(scope="module")
def record(pipe):
    return pipe(TEXT, "bc-1").to_dict()


@pytest.fixture(scope="module")
def frames(record):
    row = {**record, "text": TEXT, "url": "https://example.vn/a", "date": "2021-05-18", "category": "thoi-su"}
    return vnreport_ie.to_frames([row, {"id": "bad", "error": {"reason": "empty", "detail": ""}}],
                                 extra={"bc-1": {"source": "test"}})


def test_columns_follow_the_schema_and_types_are_nullable(frames):
    assert set(frames) == {t.name for t in FACT_TYPES}
    t = frames["training"]
    slots = [c for c in t.columns if c in FACT_TYPE["training"].names()]
    assert slots == list(FACT_TYPE["training"].names())
    assert t.columns[:4].tolist() == ["doc_id", "fact_index", "course", "course_type"]
    assert str(t["participants"].dtype) == "Int64" and str(t["classes"].dtype) == "Int64"
    assert str(t["plan_percent"].dtype) == "Float64"
    assert str(frames["meeting"]["participants_are_attendances"].dtype) == "boolean"
    assert str(t["course"].dtype) == "string"
    assert span_columns(FACT_TYPE["training"])["date"] == ("date_span_start", "date_span_end")
    assert span_columns(FACT_TYPE["training"])["date_end"] == ("date_end_start", "date_end_end")
    for df in frames.values():  # no slot is hidden by a meta or span column of the same name
        assert len(set(df.columns)) == len(df.columns)
    assert "title" in frames["document"] and "doc_title" in frames["document"]
    # An empty table still has every column, typed.
    assert frames["anniversary"].empty and str(frames["anniversary"]["years"].dtype) == "Int64"


def test_values_nulls_and_approx(frames):
    t = frames["training"].set_index("course_type")
    assert t.loc["trung_cap_llct", "classes"] == 2 and t.loc["trung_cap_llct", "participants"] == 111
    assert t.loc["ket_nap_dang", "participants"] == 300
    assert t.loc["ket_nap_dang", "participants_approx"] == "hơn"
    assert pd.isna(t.loc["ket_nap_dang", "classes"])  # <NA>, not a float NaN
    assert t["participants"].sum() == 411
    m = frames["meeting"].iloc[0]
    assert (m["meeting_kind"], m["mode"], m["connection_points"]) == ("hoi_nghi", "online", 120)


def test_passthrough_meta_and_error_rows(frames):
    t = frames["training"]
    assert set(t["doc_id"]) == {"bc-1"}  # the error row gave no facts
    assert t["url"].tolist() == ["https://example.vn/a"] * len(t)
    assert t["category"].iloc[0] == "thoi-su" and t["source"].iloc[0] == "test"
    # The input's date is the publication date, not the fact's `date` slot.
    assert t["input_date"].iloc[0] == "2021-05-18" and pd.isna(t["date"].iloc[0])
    assert t["month"].iloc[0] == "2021-05"
    assert {"province", "province_code", "period_start", "published", "relevance", "confidence"} <= set(t.columns)


def test_spans_slice_the_evidence(frames):
    for name, df in frames.items():
        for _, row in df.iterrows():
            assert row["evidence"] == TEXT[row["evidence_start"]:row["evidence_end"]]
            for slot, (start, end) in span_columns(FACT_TYPE[name]).items():
                if not pd.isna(row[start]):
                    assert TEXT[row[start]:row[end]].strip(), (name, slot)
    t = frames["training"].iloc[0]
    assert TEXT[t["participants_start"]:t["participants_end"]] == "111 học viên"
    assert t["participants_start"] >= t["evidence_start"] and t["participants_end"] <= t["evidence_end"]


@pytest.mark.parametrize("date, month", [
    ("2020-10-01", "2020-10"), ("20201001", "2020-10"), ("2020-10", "2020-10"), ("2020-10-01T08:00:00", "2020-10"),
    ("2020", None), ("--05-01", None), ("2020-13-01", None), (None, None),
])
def test_month_of_a_date(date, month):
    assert month_of(date) == month


def test_record_objects_and_texts_mapping(pipe):
    rec = pipe(TEXT, "x")
    t = vnreport_ie.to_frames([rec], texts={"x": TEXT})["training"]
    assert t["evidence"].iloc[0] == "2 lớp Trung cấp Lý luận chính trị (111 học viên"
    assert pd.isna(vnreport_ie.to_frames([rec])["training"]["evidence"].iloc[0])  # no text, no words


@pytest.mark.parametrize("course, expected", [
    ("Cao cấp lý luận chính trị hệ không tập trung", "cao_cap_llct"),
    ("Trung cấp Lý luận chính trị - hành chính", "trung_cap_llct"),
    ("sơ cấp lý luận chính trị", "so_cap_llct"),
    ("SO CAP LY LUAN CHINH TRI", "so_cap_llct"),  # typed without diacritics
    ("bồi dưỡng kết nạp Đảng", "ket_nap_dang"),
    ("bồi dưỡng nhận thức về Đảng", "ket_nap_dang"),
    ("bồi dưỡng đảng viên mới", "dang_vien_moi"),
    ("bồi dưỡng nghiệp vụ công tác kiểm tra, giám sát", "chuc_danh_nghiep_vu"),
    ("bồi dưỡng cập nhật kiến thức", "cap_nhat_kien_thuc"),
    ("bồi dưỡng kiến thức quốc phòng và an ninh đối tượng 4", "quoc_phong_an_ninh"),
    ("lớp tiếng Anh giao tiếp", "tin_hoc_ngoai_ngu"),
    ("bồi dưỡng lý luận chính trị", "boi_duong_llct"),
    ("đào tạo, bồi dưỡng", "other"),
    ("Ban Ninh", "other"),  # "an ninh" matches whole words only
    ("cao cáp lý luận", "other"),  # diacritics count when they are written
    (None, "other"),
])
def test_course_types(course, expected):
    assert course_type(course) == expected


@pytest.mark.parametrize("kind, expected", [
    ("hội nghị trực tuyến", "hoi_nghi"), ("Hội thảo khoa học", "hoi_thao"), ("tọa đàm", "toa_dam"),
    ("toạ đàm", "toa_dam"), ("buổi sinh hoạt chuyên đề", "sinh_hoat_chuyen_de"), ("họp báo", "hop_bao"),
    ("hội nghị giao ban", "giao_ban"), ("hội nghị tiếp xúc cử tri", "tiep_xuc_cu_tri"),
    ("hội nghị đối thoại", "doi_thoai"), ("kỳ họp thường lệ", "ky_hop"), ("lễ mít tinh", "other"),
])
def test_meeting_kinds(kind, expected):
    assert meeting_kind(kind) == expected


def test_taxonomy_data_is_well_formed():
    for kind in ("course_type", "meeting_kind"):
        cats = categories(kind)
        assert cats[-1].id == "other" and len({c.id for c in cats}) == len(cats)
        assert all(k == fold(k) for c in cats for k in c.keywords)
        assert labels(kind)["other"]
    assert fold("Hòa Bình") == fold("hoà bình")


@pytest.fixture(scope="module")
def corpus_records(pipe):
    rows = [json.loads(line) for line in (ROOT / "corpus" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    rows = rows[:60]  # enough for every chart; keeps the test fast
    return [pipe(r["text"], r["id"]) for r in rows]


def test_readme_recipe_trainees_per_course_type_per_province(corpus_records):
    start = time.perf_counter()
    f = vnreport_ie.to_frames(corpus_records)["training"]
    by = f.groupby(["course_type", f["province"].fillna(f["location"]).fillna("?")])["participants"].sum()
    assert time.perf_counter() - start < 5
    assert by.dtype == "Int64" and by.sum() == f["participants"].sum() > 0
    assert {"trung_cap_llct", "cao_cap_llct", "ket_nap_dang"} <= set(f["course_type"])


def test_readme_recipe_block_runs(pipe):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "corpus/corpus.jsonl" in b)
    out = io.StringIO()
    namespace = {"pipe": pipe, "vnreport_ie": vnreport_ie}  # as the README's first block leaves them
    with contextlib.redirect_stdout(out):
        exec(compile(block, "README.md", "exec"), namespace)
    printed = out.getvalue()
    assert "trung_cap_llct" in printed and "Hà Nội" in printed and "dtype: Int64" in printed
    assert "hoi_nghi" in printed
