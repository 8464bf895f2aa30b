"""Single meetings of real news (spec v2): the lead that tells one meeting,
its repeats, its organiser and topic."""

import pytest

import vnreport_ie


@pytest.fixture(scope="module")
def nlp():
    return vnreport_ie.load(keep_all=True)


def _meetings(nlp, text, published="2021-04-28"):
    return [f for f in nlp(text, id="t", published=published).to_dict()["facts"] if f["type"] == "meeting"]


def test_a_working_session_told_by_its_actor_and_repeated_is_one_meeting(nlp):
    text = ("Sáng 28/4, tại trụ sở Chính phủ, Thủ tướng Phạm Văn An có buổi làm việc với Bộ Giao thông vận tải.\n"
            "Tại buổi làm việc, Thủ tướng yêu cầu Bộ đẩy nhanh các dự án.\n"
            "Thủ tướng Phạm Văn An chủ trì buổi làm việc (Ảnh: T.H).")
    (m,) = _meetings(nlp, text)
    assert m["kind"] == "buổi làm việc"
    assert m["organizer"] == "Thủ tướng Phạm Văn An"
    assert m["date"] == "2021-04-28"


def test_two_meetings_of_one_noun_with_other_topics_stay_two(nlp):
    text = ("Ngày 9/4, Sở Giáo dục và Đào tạo tổ chức Hội nghị sơ kết công tác quý I.\n"
            "Ngày 20/4, Sở Giáo dục và Đào tạo tổ chức Hội nghị triển khai nhiệm vụ quý II.")
    topics = [m["topic"] for m in _meetings(nlp, text)]
    assert topics == ["sơ kết công tác quý I", "triển khai nhiệm vụ quý II"]


def test_what_follows_the_kind_is_no_topic_when_it_is_another_clause(nlp):
    text = "Sáng 27/4, Ban Tuyên giáo Tỉnh ủy tổ chức Hội thảo có sự tham dự của 80 đại biểu."
    (m,) = _meetings(nlp, text)
    assert m["topic"] is None and m["organizer"] == "Ban Tuyên giáo Tỉnh ủy"


def test_the_verb_inside_a_meeting_noun_does_not_tell_it_held(nlp):
    assert _meetings(nlp, "Cuộc họp kéo dài suốt buổi chiều.") == []
    (m,) = _meetings(nlp, "Chiều 26/4, Ban Chỉ đạo tỉnh tổ chức cuộc họp khẩn.")
    assert m["organizer"] == "Ban Chỉ đạo tỉnh"


def test_an_ordinal_after_the_kind_is_no_topic(nlp):
    text = "Chiều 27/4, Ủy ban nhân dân tỉnh tổ chức buổi làm việc đầu tiên với các sở, ngành.\n"
    (m,) = _meetings(nlp, text)
    assert m["kind"] == "buổi làm việc"
    assert m.get("topic") != "đầu tiên"
