"""Documents, reviews and anniversaries as news and reports tell them
(team-written sentences, with the values the spec asks for)."""

from __future__ import annotations

import pytest


def facts_of(pipe, text: str, ftype: str, published: str | None = "2021-05-02") -> list[dict]:
    rec = pipe(text, "t", published).to_dict()
    return [{k: v for k, v in f.items() if v is not None and k not in ("type", "evidence", "spans", "confidence")}
            for f in rec["facts"] if f["type"] == ftype]


@pytest.mark.parametrize("text,number", [
    ("UBND tỉnh có Văn bản số 2150/UBND-VX3 về việc phòng, chống dịch.", "2150/UBND-VX3"),
    ("Luật Trồng trọt số 31/2018/QH14 được Quốc hội thông qua.", "31/2018/QH14"),
    ("Bộ Nội vụ đã ký văn bản số 4120/BNV- CCVC về việc tuyển dụng viên chức.", "4120/BNV- CCVC"),
    ("Chính phủ ban hành Nghị quyết số 30c/NQ-CP về cải cách hành chính.", "30c/NQ-CP"),
])
def test_document_numbers_keep_digits_and_spaced_parts(pipe, text, number):
    assert [f["number"] for f in facts_of(pipe, text, "document")] == [number]


def test_a_disciplinary_decision_is_not_a_law(pipe):
    text = "Ban Thường vụ Huyện ủy ban hành quyết định kỷ luật số 125-QĐ/HU ngày 5/3/2021 đối với đảng viên vi phạm."
    assert facts_of(pipe, text, "document") == [
        {"doc_type": "Quyết định", "number": "125-QĐ/HU", "issued_date": "2021-03-05", "issuer": "Ban Thường vụ Huyện ủy"}]


def test_issuer_and_day_before_the_reference(pipe):
    text = ("Ngày 20/4, Chủ tịch UBND tỉnh Nam Định Trần Văn A đã ban hành Công điện số 05/CĐ-UBND "
            "về việc tăng cường phòng, chống dịch bệnh trên địa bàn.")
    assert facts_of(pipe, text, "document") == [{
        "doc_type": "Công điện", "number": "05/CĐ-UBND", "issued_date": "2021-04-20",
        "issuer": "Chủ tịch UBND tỉnh Nam Định Trần Văn A",
        "title": "về việc tăng cường phòng, chống dịch bệnh trên địa bàn"}]


def test_a_clause_that_only_mentions_the_document_gives_no_issuer(pipe):
    text = "Ngày 5/3, Huyện ủy tổ chức hội nghị quán triệt và triển khai Kế hoạch số 12-KH/HU về công tác dân vận."
    (doc,) = facts_of(pipe, text, "document")
    assert "issuer" not in doc and "issued_date" not in doc


def test_title_after_a_day_without_year_and_a_long_issuer(pipe):
    text = ("Thực hiện văn bản số 980/SGDĐT-QLT ngày 12/4 của Sở Giáo dục và Đào tạo tỉnh Bắc Ninh "
            "về việc hướng dẫn tuyển sinh lớp 10.")
    assert facts_of(pipe, text, "document") == [{
        "doc_type": "Văn bản", "number": "980/SGDĐT-QLT", "issued_date": "2021-04-12",
        "issuer": "Sở Giáo dục và Đào tạo tỉnh Bắc Ninh", "title": "về việc hướng dẫn tuyển sinh lớp 10"}]


def test_a_bare_number_with_its_date_is_a_reference(pipe):
    text = "Tỉnh thực hiện công văn số 735 ngày 28/4 của UBND tỉnh Hưng Yên."
    assert facts_of(pipe, text, "document") == [{
        "doc_type": "Công văn", "number": "735", "issued_date": "2021-04-28", "issuer": "UBND tỉnh Hưng Yên"}]


def test_a_document_without_number_is_a_fact_by_its_day(pipe):
    text = "Cụ thể, ngày 8/3, Ban Chỉ đạo tỉnh đã có văn bản gửi Huyện ủy về việc xử lý đơn thư của công dân."
    assert facts_of(pipe, text, "document") == [{
        "doc_type": "Văn bản", "issued_date": "2021-03-08", "issuer": "Ban Chỉ đạo tỉnh",
        "title": "về việc xử lý đơn thư của công dân"}]


@pytest.mark.parametrize("text", [
    "Sở Giáo dục có kế hoạch tổ chức kỳ thi vào ngày 5/6.",  # a plan to do something, not a document
    "Huyện ủy đã có văn bản chỉ đạo các xã.",  # no day: no way to tell which document
])
def test_documents_without_number_need_a_day_and_an_issuing_clause(pipe, text):
    assert facts_of(pipe, text, "document") == []


@pytest.mark.parametrize("text,doc_type,year,title", [
    ("Theo Điều 8 Luật Phòng chống bệnh truyền nhiễm 2007, hành vi này bị cấm.", "Luật", "2007",
     "Phòng chống bệnh truyền nhiễm"),
    ("Theo Bộ luật Hình sự 2015, hành vi này bị xử lý.", "Bộ luật", "2015", "Hình sự"),
])
def test_laws_and_codes_named_with_their_year(pipe, text, doc_type, year, title):
    assert facts_of(pipe, text, "document") == [{"doc_type": doc_type, "issued_date": year, "title": title}]


def test_review_of_work_with_its_subject_and_months(pipe):
    text = "Sáng 6/7, Ban Tuyên giáo Huyện ủy tổ chức hội nghị sơ kết công tác tuyên giáo 6 tháng đầu năm 2021."
    assert facts_of(pipe, text, "review") == [{
        "kind": "sơ kết", "duration": "P6M", "subject": "công tác tuyên giáo",
        "organizer": "Ban Tuyên giáo Huyện ủy", "date": "2021-07-06"}]


def test_review_of_work_stops_at_the_year(pipe_all):
    text = "Hội Cựu chiến binh tỉnh tổng kết công tác Hội và phong trào cựu chiến binh năm 2020."
    (review,) = facts_of(pipe_all, text, "review")
    assert review["subject"] == "công tác Hội và phong trào cựu chiến binh" and "duration" not in review


def test_midterm_review_of_a_congress_resolution(pipe):
    text = "Huyện ủy tổ chức sơ kết giữa nhiệm kỳ thực hiện Nghị quyết Đại hội đại biểu Đảng bộ huyện lần thứ XX."
    (review,) = facts_of(pipe, text, "review")
    assert review["kind"] == "sơ kết" and review["document"].startswith("Nghị quyết Đại hội")


def test_a_closing_that_is_no_review_of_work(pipe):
    assert facts_of(pipe, "Cuối buổi, các em học sinh tổng kết năm học.", "review") == []


@pytest.mark.parametrize("text,years,event,date", [
    ("Thái Bình: 75 năm Ngày giải phóng tỉnh (5/5/1946 - 5/5/2021).", 75, "Ngày giải phóng tỉnh", "2021-05-05"),
    ("Tỉnh tổ chức kỷ niệm 90 năm Ngày thành lập Đảng Cộng sản Việt Nam (3/2/1930 - 3/2/2020).", 90,
     "Ngày thành lập Đảng Cộng sản Việt Nam", "2020-02-03"),
])
def test_anniversaries_of_a_named_day(pipe, text, years, event, date):
    assert facts_of(pipe, text, "anniversary") == [{"years": years, "event": event, "date": date}]


def test_a_span_of_years_before_a_day_is_no_anniversary(pipe):
    assert facts_of(pipe, "Trong 5 năm Ngày hội văn hóa được tổ chức đều đặn.", "anniversary") == []


def test_numbers_sharing_a_suffix_are_documents_of_their_own(pipe):
    text = ("Chi bộ quán triệt Quy định số 88, 89-QĐ/TW ngày 3/5/2022 của Bộ Chính trị "
            "về công tác kiểm tra của Đảng.")
    docs = facts_of(pipe, text, "document")
    assert [d["number"] for d in docs] == ["88-QĐ/TW", "89-QĐ/TW"]
    assert {(d["issued_date"], d["issuer"], d["title"]) for d in docs} == {
        ("2022-05-03", "Bộ Chính trị", "về công tác kiểm tra của Đảng")}


@pytest.fixture(scope="module")
def pipe_all():
    import vnreport_ie

    return vnreport_ie.load(keep_all=True)  # (the slots, whatever the confidence model says of the fact)


def test_review_meeting_named_by_its_organiser_after_it(pipe_all):
    text = "Hội nghị sơ kết quý I của Ban Dân vận Tỉnh ủy diễn ra ngày 12/4."
    (review,) = facts_of(pipe_all, text, "review")
    assert review["kind"] == "sơ kết" and review["organizer"] == "Ban Dân vận Tỉnh ủy"
