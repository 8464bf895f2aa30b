"""Dates of facts (spec v2): values, spans and where the year comes from."""

import pytest

from vnreport_ie.assemble.dating import Context, fact_date, mentions


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
