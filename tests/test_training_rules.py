"""Trainings as news writes them (spec v2: a course told held is a fact without a count)."""

from __future__ import annotations

import pytest

import vnreport_ie


@pytest.fixture(scope="module")
def everything():
    return vnreport_ie.load(keep_all=True)


def trainings(nlp, text):
    return [f for f in nlp(text, published="2021-03-10").to_dict()["facts"] if f["type"] == "training"]


@pytest.mark.parametrize("text, course, group", [
    # given to a group after `cho`, no count
    ("Trước khi tiêm, bệnh viện đã tập huấn cho tất cả cán bộ, nhân viên y tế.",
     "tập huấn", "tất cả cán bộ, nhân viên y tế"),
    # planned, the group ends before the purpose
    ("Ngành y tế sẽ thực hiện tập huấn cho cơ sở tiêm chủng đảm bảo an toàn tiêm chủng.",
     "tập huấn", "cơ sở tiêm chủng"),
    # a class held for a group
    ("Hội Nông dân tỉnh tổ chức lớp tập huấn kỹ thuật trồng lúa cho hội viên.",
     "tập huấn kỹ thuật trồng lúa", "hội viên"),
    # received by the people the sentence opens with
    ("Toàn bộ cán bộ, chiến sĩ đã được tập huấn các biện pháp phòng dịch.",
     "tập huấn các biện pháp phòng dịch", "cán bộ, chiến sĩ"),
])
def test_a_training_told_given_is_a_fact(everything, text, course, group):
    (f,) = trainings(everything, text)
    assert (f["course"], f["participant_group"]) == (course, group)


def test_held_without_a_group_ends_before_the_people(everything):
    (f,) = trainings(everything, "Các sở tổ chức tập huấn, hướng dẫn cán bộ quản lý, giáo viên nghiên cứu quy chế thi.")
    assert f["course"] == "tập huấn, hướng dẫn"


@pytest.mark.parametrize("text", [
    "Bộ đã quyết định dừng tổ chức bồi dưỡng, cấp chứng chỉ nghiệp vụ sư phạm cho những người tốt nghiệp đại học.",
    "Các thủy thủ cần tập huấn mọi kịch bản cho tới khi phản ứng thành bản năng.",
    "Trường đã đào tạo hàng nghìn nhân lực cho thị trường lao động.",
    "Đội ngũ giáo viên bản ngữ được đào tạo bài bản về chương trình.",
    "Các cầu thủ đã được huấn luyện kỹ càng trước trận đấu.",
    "Năm 2020, dịch gây khó khăn cho công tác tổ chức bồi dưỡng và sắp xếp thời gian của học viên.",
    "Trong danh sách 50 ứng viên đại biểu Quốc hội khóa XV có 13 người được Trung ương giới thiệu.",
])
def test_no_training_where_none_was_held(everything, text):
    assert trainings(everything, text) == []


def test_a_title_course_told_again_is_one_fact(everything):
    text = ("Khai giảng lớp bồi dưỡng lý luận chính trị cho đảng viên mới năm 2024\n\n"
            "Sáng 4/3, Trung tâm Chính trị thành phố khai giảng lớp bồi dưỡng lý luận chính trị cho đảng viên mới. "
            "Tham gia lớp học có 135 đảng viên mới kết nạp.")
    assert [f["course"] for f in trainings(everything, text)] == ["bồi dưỡng lý luận chính trị"]
