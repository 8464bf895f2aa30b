"""Slots of spec v2 read around facts across sentences: the day of the event a
sentence refers back to, a tally's actor, a course's length told after it."""

import pytest

import vnreport_ie


@pytest.fixture(scope="module")
def nlp():
    return vnreport_ie.load(keep_all=True)


def _facts(nlp, text, kind, published=None):
    rec = nlp(text, id="t", published=published).to_dict()
    return [f for f in rec["facts"] if f["type"] == kind]


def test_dip_nay_takes_the_day_of_the_event(nlp):
    text = ("Bắc Kạn: Tổng kết công tác Hội năm 2021\n\n"
            "Sáng 22/12/2021, Hội Liên hiệp Phụ nữ tỉnh tổ chức hội nghị tổng kết công tác Hội năm 2021.\n\n"
            "Năm 2021, các cấp Hội đã kết nạp 5.126 hội viên mới.\n\n"
            "Dịp này, Trung ương Hội tặng Bằng khen cho 12 tập thể.")
    by_value = {f["value"]: f for f in _facts(nlp, text, "tally")}
    award = by_value[12]
    assert award["date"] == "2021-12-22"
    assert text[slice(*award["spans"]["date"])] == "Sáng 22/12/2021"
    # A year that is the reporting period (here the title's) dates no fact.
    assert by_value[5126].get("date") is None


def test_tally_organizer_is_the_actor_of_its_clause(nlp):
    text = ("Năm 2022, các cấp Hội trong huyện kết nạp 96 hội viên mới; giới thiệu 14 hội viên ưu tú cho Đảng; "
            "toàn huyện xây dựng 18 mô hình.")
    by_value = {f["value"]: f for f in _facts(nlp, text, "tally")}
    assert by_value[96]["organizer"] == "các cấp Hội trong huyện"
    assert text[slice(*by_value[96]["spans"]["organizer"])] == "các cấp Hội trong huyện"
    assert by_value[14]["organizer"] == "các cấp Hội trong huyện"  # an item of the list
    assert by_value.get(18, {}).get("organizer") is None  # a scope is no actor


def test_course_duration_told_in_a_later_sentence(nlp):
    text = ("Sáng 4/3, Trung tâm Chính trị thành phố khai giảng lớp bồi dưỡng lý luận chính trị "
            "cho 135 đảng viên mới.\n\nTrong thời gian 7 ngày, các học viên được nghiên cứu 6 chuyên đề.")
    course = _facts(nlp, text, "training", published="2024-03-05")[0]
    assert course["date"] == "2024-03-04" and course["duration"] == "P7D"
    assert text[slice(*course["spans"]["duration"])] == "7 ngày"


def test_plan_attainment_over_the_plan_and_after_a_running_total(nlp):
    from vnreport_ie.assemble.clause import plan_percent
    text = "Các tổ chức cơ sở đảng kết nạp 163 đảng viên mới, vượt 8,7% chỉ tiêu."
    value, span = plan_percent(text, 0, len(text))
    assert value == 108.7 and text[slice(*span)] == "8,7% chỉ tiêu"
    text = ("Năm 2020, các cấp Hội kết nạp 6.845 hội viên mới, nâng tổng số hội viên toàn tỉnh "
            "lên 218.430 người, đạt 112% chỉ tiêu.")
    tally = next(f for f in _facts(nlp, text, "tally") if f["value"] == 6845)
    assert tally["plan_percent"] == 112
