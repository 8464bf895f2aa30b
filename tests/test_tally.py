"""Tally heads on report sentences: the verb before or after its count, the
parts of a total, and counts the number reader must not take for money or labels."""

import pytest

import vnreport_ie


@pytest.fixture(scope="module")
def pipes():
    # Every fact kept (the confidence model is not what these test); with and without the scan.
    return vnreport_ie.load(keep_all=True), vnreport_ie.load(keep_all=True, prefilter=False)


def tallies(pipes, text):
    found = [[(f["activity"], f["value"], f["unit"]) for f in p(text).to_dict()["facts"] if f["type"] == "tally"]
             for p in pipes]
    assert found[0] == found[1]  # the scan keeps every sentence a tally is read from
    return found[0]


def test_dong_chi_is_a_headcount_not_a_sum_of_money(pipes):
    got = tallies(pipes, "Các cấp ủy đã thi hành kỷ luật 8 đảng viên, gồm: khiển trách 5 đồng chí, "
                         "cảnh cáo 2 đồng chí và khai trừ 1 đồng chí.")
    assert ("khiển trách", 5, "đồng chí") in got
    assert ("cảnh cáo", 2, "đồng chí") in got
    assert ("khai trừ", 1, "đồng chí") in got


def test_a_passive_tells_its_verb_after_the_count(pipes):
    assert tallies(pipes, "Nhân dịp này, 18 đoàn viên đã được kết nạp vào Đảng.") == [("kết nạp", 18, "đoàn viên")]
    got = tallies(pipes, "Năm nay có 1.355 học sinh giỏi được Bộ trưởng Bộ GD&ĐT tặng bằng khen.")
    assert got == [("tặng", 1355, "học sinh giỏi")]


def test_a_passive_of_a_verb_outside_the_list_is_no_tally(pipes):
    assert tallies(pipes, "Năm 2020, 30 trận đấu được tổ chức tại sân Mỹ Đình.") == []


def test_the_parts_of_a_total_share_its_verb(pipes):
    got = tallies(pipes, "Từ đầu năm, Đảng ủy Khối kết nạp 67 đảng viên mới, gồm: 46 đảng viên ở khối "
                         "cơ quan và 21 đảng viên ở khối doanh nghiệp.")
    assert [v for _a, v, _u in got] == [67, 46, 21]
    assert {a for a, _v, _u in got} == {"kết nạp"}


def test_a_capitalised_verb_or_award_is_no_label(pipes):
    assert tallies(pipes, "Trao 150 suất học bổng cho học sinh nghèo.") == [("Trao", 150, "suất học bổng")]
    got = tallies(pipes, "Trong năm, các cấp ủy đã xét tặng 2.340 Huy hiệu Đảng.")
    assert [(a, v) for a, v, _u in got] == [("xét tặng", 2340)]


def test_a_gift_named_with_its_years_before_cho(pipes):
    got = tallies(pipes, "Huyện ủy trao Huy hiệu 30 năm tuổi Đảng cho 17 đảng viên.")
    assert [(v, u) for _a, v, u in got] == [(17, "đảng viên")]
    assert got[0][0].startswith("trao Huy hiệu")
