"""Every normalisation convention of the schema, with expected values."""

from __future__ import annotations

import pytest

from vnreport_ie.numbers import digits_to_number, words_to_int


def count_of(pipe, text: str):
    """(value, approx) of the one COUNT entity in ``text``."""
    counts = [e for e in pipe.doc(text)._.vnr_entities if e.label == "COUNT"]
    assert len(counts) == 1, [e.text for e in counts]
    return counts[0].value, counts[0].attrs.approx


@pytest.mark.parametrize("words,value", [
    ("một", 1), ("hai", 2), ("ba", 3), ("bốn", 4), ("năm", 5), ("sáu", 6), ("bảy", 7), ("tám", 8),
    ("chín", 9), ("mười", 10), ("mười một", 11), ("mười lăm", 15), ("hai mươi", 20),
    ("hai mươi mốt", 21), ("hai mươi tư", 24), ("năm mươi tư", 54), ("chín mươi chín", 99),
    ("một trăm", 100), ("một trăm linh năm", 105), ("một trăm lẻ một", 101), ("hai trăm ba mươi", 230),
    ("ba nghìn bốn trăm", 3400), ("một nghìn", 1000), ("hai triệu", 2_000_000),
    ("mười hai nghìn năm trăm", 12_500), ("ba mươi lăm", 35),
])
def test_words_to_int(words, value):
    assert words_to_int(words) == value


@pytest.mark.parametrize("words", ["tư", "lăm", "mốt", "hai ba", "mươi", "linh năm", "một số", "tư tưởng"])
def test_words_that_are_not_numbers(words):
    assert words_to_int(words) is None


@pytest.mark.parametrize("digits,scale,value", [
    ("6.330", None, 6330), ("1.088", None, 1088), ("24.737", None, 24737), ("111", None, 111),
    ("1.000.000", None, 1_000_000), ("1,5", "nghìn", 1500), ("2", "nghìn", 2000), ("3,2", "triệu", 3_200_000),
    ("12", None, 12), ("0", None, 0),
])
def test_digits(digits, scale, value):
    assert digits_to_number(digits, scale) == value


@pytest.mark.parametrize("bad", ["1.2.3.4.5", "1.5.", "12.34", "abc", ""])
def test_digits_rejects_malformed(bad):
    assert digits_to_number(bad) is None


@pytest.mark.parametrize("text,value,approx", [
    ("Trường đã mở 2 lớp bồi dưỡng.", 2, None),
    ("Huyện mở hai lớp bồi dưỡng.", 2, None),
    ("Huyện mở một lớp bồi dưỡng.", 1, None),
    ("Tỉnh tổ chức mười lăm hội nghị.", 15, None),
    ("Đã kết nạp một trăm linh năm đảng viên mới.", 105, None),
    ("Đã kết nạp năm mươi tư đảng viên mới.", 54, None),
    ("Có 6.330 cán bộ tham dự hội nghị.", 6330, None),
    ("Tham dự có 1,5 nghìn cán bộ.", 1500, None),
    ("Tổ chức hơn 200 hội nghị.", 200, "hơn"),
    ("Tổ chức trên 30 hội nghị.", 30, "trên"),
    ("Thu hút gần 1.000 đoàn viên tham gia.", 1000, "gần"),
    ("Thu hút khoảng 500 hội viên tham gia.", 500, "khoảng"),
    ("Đã tổ chức hàng trăm hội nghị.", None, "hàng trăm"),
    ("Đã mở hàng chục lớp bồi dưỡng.", None, "hàng chục"),
    ("Thu hút hàng nghìn đoàn viên tham gia.", None, "hàng nghìn"),
])
def test_count_values(pipe, text, value, approx):
    assert count_of(pipe, text) == (value, approx)


@pytest.mark.parametrize("text", [
    "Tỷ lệ đạt 98%.",
    "Kinh phí hỗ trợ 2,5 tỷ đồng.",
    "Liên hệ số điện thoại 0260.3862.111.",
    "Thông báo nhanh kết quả Hội nghị Trung ương 5 khóa XIII.",
    "Một số kết quả nổi bật.",
])
def test_near_misses_are_not_counts(pipe, text):
    assert [e.text for e in pipe.doc(text)._.vnr_entities if e.label == "COUNT"] == []


def _values(pipe, text, label):
    return [e.value for e in pipe.doc(text)._.vnr_entities if e.label == label]


@pytest.fixture(scope="module")
def pipe(full_pipe):
    """The tagger's values are checked in sentences that hold no fact too."""
    return full_pipe


@pytest.mark.parametrize("text,iso", [
    ("Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị.", "2021-05-18"),
    ("Chỉ thị số 06-CT/TU, ngày 30-8-2007 của Ban Thường vụ.", "2007-08-30"),
    ("Ban hành ngày 3 tháng 1 năm 2014.", "2014-01-03"),
    ("Kế hoạch ban hành tháng 6/2022.", "2022-06"),
    ("Kế hoạch ban hành tháng 6 năm 2022.", "2022-06"),
    ("Trong năm 2021, tỉnh triển khai.", "2021"),
    ("Chỉ thị 33-CT/TW, ngày 03/01/2014.", "2014-01-03"),
    ("Quyết định ngày 29/2/2024 của UBND tỉnh.", "2024-02-29"),
    ("Ngày 01.11.2012 tỉnh tổ chức.", "2012-11-01"),
])
def test_dates(pipe, text, iso):
    assert iso in _values(pipe, text, "DATE")


@pytest.mark.parametrize("text", ["Ngày 31/2/2022 tỉnh tổ chức.", "Ngày 0/0/0 tỉnh.", "Ngày 99/99/9999 tỉnh.",
                                  "Ngày 29/2/2023 tỉnh.", "Tháng 13/2022 tỉnh."])
def test_invalid_dates_are_not_dates(pipe, text):
    assert _values(pipe, text, "DATE") == []


@pytest.mark.parametrize("text,start,end", [
    ("Trong 6 tháng đầu năm 2022, tỉnh đã", "2022-01-01", "2022-06-30"),
    ("Trong 9 tháng đầu năm 2023, tỉnh đã", "2023-01-01", "2023-09-30"),
    ("Trong 6 tháng cuối năm 2021, tỉnh đã", "2021-07-01", "2021-12-31"),
    ("Trong sáu tháng đầu năm 2020, tỉnh đã", "2020-01-01", "2020-06-30"),
    ("Trong quý I/2023, tỉnh đã", "2023-01-01", "2023-03-31"),
    ("Trong quý II/2022, tỉnh đã", "2022-04-01", "2022-06-30"),
    ("Trong quý III/2021, tỉnh đã", "2021-07-01", "2021-09-30"),
    ("Trong quý IV/2020, tỉnh đã", "2020-10-01", "2020-12-31"),
    ("Trong quý 1 năm 2023, tỉnh đã", "2023-01-01", "2023-03-31"),
    ("Trong quý 2 năm 2024, tỉnh đã", "2024-04-01", "2024-06-30"),
    ("Trong nhiệm kỳ 2020-2025, tỉnh đã", "2020-01-01", "2025-12-31"),
    ("Từ ngày 10 đến 12/8/2022, tỉnh tổ chức", "2022-08-10", "2022-08-12"),
    ("Từ ngày 28/7 đến ngày 2/8/2022, tỉnh tổ chức", "2022-07-28", "2022-08-02"),
])
def test_periods(pipe, text, start, end):
    assert {"start": start, "end": end} in _values(pipe, text, "PERIOD")


def test_period_without_year_takes_the_report_year(pipe):
    text = "Báo cáo năm 2023\n\nTrong 9 tháng đầu năm, toàn tỉnh đã kết nạp 120 đảng viên mới."
    assert {"start": "2023-01-01", "end": "2023-09-30"} in _values(pipe, text, "PERIOD")


def test_record_period_is_the_whole_year(pipe):
    rec = pipe("Kết quả công tác dân vận năm 2022\n\nTrong năm 2022, tỉnh đã kết nạp 20 đảng viên.")
    assert rec.meta["period"] == {"text": "năm 2022", "start": "2022-01-01", "end": "2022-12-31"}


@pytest.mark.parametrize("text,number,doc_type", [
    ("thực hiện Kết luận số 01-KL/TW, ngày 18/5/2021", "01-KL/TW", "Kết luận"),
    ("thực hiện Chỉ thị 20-CT/TW của Bộ Chính trị", "20-CT/TW", "Chỉ thị"),
    ("theo Nghị định 15/2020/NĐ-CP của Chính phủ", "15/2020/NĐ-CP", "Nghị định"),
    ("triển khai Quy định số 144-QĐ/TW của Bộ Chính trị", "144-QĐ/TW", "Quy định"),
    ("ban hành Kế hoạch số 12-KH/TU ngày 5/3/2021", "12-KH/TU", "Kế hoạch"),
])
def test_document_numbers_stay_whole(pipe, text, number, doc_type):
    docs = [e.value for e in pipe.doc(text)._.vnr_entities if e.label == "DOC"]
    assert docs == [{"doc_type": doc_type, "number": number}]


def test_term(pipe):
    assert _values(pipe, "Ban Chấp hành Trung ương (khóa XI) ban hành.", "TERM") == ["XI"]
