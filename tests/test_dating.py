"""Dates of facts (spec v2): values, spans and where the year comes from."""

import pytest

from vnreport_ie.assemble.dating import Context, document_context, fact_date, mentions


def _date(text, head, ctx=Context(), anniversary=False):
    span = (0, len(text))
    return fact_date(text, span, span, head, ctx, anniversary)


@pytest.mark.parametrize("text,expected", [
    ("Sáng 27/4, Đảng ủy tổ chức hội nghị", [("Sáng 27/4", 27, 4, None)]),
    ("ngày 3 tháng 1 năm 2014 và ngày 18-5-2021",
     [("ngày 3 tháng 1 năm 2014", 3, 1, 2014), ("ngày 18-5-2021", 18, 5, 2021)]),
    ("chiều nay (13/8), tại Hà Nội", [("chiều nay (13/8", 13, 8, None)]),
    ("thu hút 6.330 cán bộ, 1.088 người, 2.5 triệu, tỷ số 1-2", []),
    ("ngày 31/2 và 5/13", []),
])
def test_mentions(text, expected):
    got = [(text[m.start:m.end], m.day, m.month, m.year) for m in mentions(text)]
    assert got == expected


def test_year_from_publication_and_none_without_it():
    text = "Sáng 27/4, Đảng ủy Bộ tổ chức Hội nghị quán triệt Nghị quyết."
    value, spans = _date(text, 15, Context(published="2021-04-28"))
    assert value == {"date": "2021-04-27"} and text[slice(*spans["date"])] == "Sáng 27/4"
    assert _date(text, 15) == ({"date": "--04-27"}, {"date": (0, 9)})


def test_year_precedence_paragraph_then_period_then_lead():
    text = "Ngày 5/3/2022, tỉnh ban hành kế hoạch. Sáng 27/4, Huyện ủy tổ chức hội nghị."
    head = text.index("Huyện")
    sent = (text.index("Sáng"), len(text))
    value, _ = fact_date(text, sent, (0, len(text)), head, Context(period_year=2019, published="2023-01-01"))
    assert value == {"date": "2022-04-27"}
    value, _ = fact_date(text, sent, sent, head, Context(period_year=2019, lead_year=2018))
    assert value == {"date": "2019-04-27"}


def test_document_date_is_not_the_fact_date():
    text = "Hội nghị quán triệt Chỉ thị 05-CT/TW, ngày 15/5/2016 của Bộ Chính trị."
    assert _date(text, 0) is None


def test_range_and_december_before_january_publication():
    text = "Từ ngày 5 đến 9/6/2023, Trường Chính trị tổ chức lớp bồi dưỡng."
    value, _ = _date(text, 30)
    assert value == {"date": "2023-06-05", "date_end": "2023-06-09"}
    text = "Ngày 30/12, Huyện ủy tổ chức hội nghị"
    assert _date(text, 12, Context(published="2021-01-02"))[0] == {"date": "2020-12-30"}


def test_anniversary_takes_the_day_it_falls_on():
    text = "Lễ kỷ niệm 95 năm Ngày thành lập Đảng (3/2/1930 - 3/2/2025)"
    assert _date(text, 4, anniversary=True)[0] == {"date": "2025-02-03"}


def test_commemorated_span_and_holiday_are_not_the_fact_date():
    text = ("Ngày 2/2/2023, Thị ủy tổ chức Lễ kỷ niệm 93 năm Ngày thành lập Đảng "
            "(3/2/1930 - 3/2/2023) và trao Huy hiệu Đảng cho 46 đảng viên.")
    value, spans = _date(text, text.index("trao"))
    assert value == {"date": "2023-02-02"} and text[slice(*spans["date"])] == "Ngày 2/2/2023"
    text = "Nhân dịp 19/5, Đảng ủy Khối trao Huy hiệu Đảng cho 17 đảng viên."
    assert _date(text, text.index("trao")) is None
    text = "Lễ kỷ niệm 15 năm thành lập Đảng bộ (30-8-2007 - 30-8-2022), trao Huy hiệu Đảng cho 47 đảng viên."
    assert _date(text, text.index("trao")) is None


@pytest.mark.parametrize("text,ctx,expected,surface", [
    ("Năm 2022, các cấp Hội kết nạp 96 hội viên mới.", Context(), {"date": "2022"}, "Năm 2022"),
    ("Theo báo cáo, năm 2025, toàn Đảng bộ kết nạp 3.126 đảng viên.", Context(), {"date": "2025"}, "năm 2025"),
    ("Từ tháng 7 đến tháng 11/2025, Ủy ban Kiểm tra đã kiểm tra 14 tổ chức đảng.", Context(),
     {"date": "2025-07", "date_end": "2025-11"}, "Từ tháng 7 đến tháng 11/2025"),
    ("Cũng trong tháng 10, Ủy ban MTTQ phường trao 350 phần quà.", Context(period_year=2025),
     {"date": "2025-10"}, "Cũng trong tháng 10"),
    # The reporting period dates no fact (spec v2, "Dates of facts").
    ("Năm 2023, Đảng bộ thành phố kết nạp 8.636 đảng viên.", Context(period=("2023-01-01", "2023-12-31")), None, None),
])
def test_month_or_year_that_opens_the_sentence(text, ctx, expected, surface):
    got = _date(text, text.index(",") + 20, ctx)
    if expected is None:
        assert got is None
    else:
        assert got[0] == expected and text[slice(*got[1]["date"])] == surface


def test_lead_year_skips_a_term_and_a_commemorated_span():
    text = "Đề án phát triển du lịch giai đoạn 2015 - 2020 (3/2/1930 - 3/2/2021) năm 2021\n\nNgày 2/4, UBND tỉnh họp."
    assert document_context(text, text.index("\n"), text.index("\n"), None, None).lead_year == 2021


def test_a_cited_documents_date_in_the_lead_gives_no_year_to_a_meeting():
    # Spec "Dates of facts": a cited document's date is not a source of the year.
    import vnreport_ie
    text = "Sáng 27/4, Tỉnh ủy tổ chức Hội nghị quán triệt Nghị quyết số 12-NQ/TW ngày 16/1/2012."
    rec = vnreport_ie.load(keep_all=True)(text, id="x", published="2021-04-28")
    meeting = next(f for f in rec.facts if f.type == "meeting")
    assert meeting.get("date") == "2021-04-27"
    doc = next(f for f in rec.facts if f.type == "document")
    assert doc.get("issued_date") == "2012-01-16"
