"""Scope (spec v2): document relevance, fact confidence and the default filter."""

from __future__ import annotations

import json

import pytest

import vnreport_ie
from vnreport_ie.confidence import ConfidenceModel, THRESHOLD
from vnreport_ie.relevance import RelevanceModel

from .conftest import ROOT

REPORT = ("Sáng 27/4, Ban Thường vụ Tỉnh ủy tổ chức Hội nghị quán triệt Nghị quyết Đại hội XIII của Đảng. "
          "Trường Chính trị tỉnh khai giảng 2 lớp Trung cấp Lý luận chính trị (111 học viên).")
SPORT = ("Đội tuyển thắng 3-1 trong trận đấu tối qua, tiền đạo ghi 2 bàn ở phút 15 và phút 78, "
         "đưa đội bóng lên đầu bảng xếp hạng với 12 điểm sau 5 vòng đấu.")


@pytest.fixture(scope="module")
def everything():
    return vnreport_ie.load(keep_all=True)


def test_relevance_tells_party_work_from_sport(pipe):
    report, sport = pipe(REPORT).to_dict()["meta"]["relevance"], pipe(SPORT).to_dict()["meta"]["relevance"]
    assert 0.0 <= sport < 0.5 < report <= 1.0


def test_every_fact_has_a_confidence_and_the_default_keeps_those_at_the_threshold(pipe, everything):
    kept = pipe(REPORT).to_dict()["facts"]
    every = everything(REPORT).to_dict()["facts"]
    assert kept and all(0.0 <= f["confidence"] <= 1.0 for f in every)
    assert [f for f in every if f["confidence"] >= THRESHOLD] == kept
    training = next(f for f in kept if f["type"] == "training")
    assert (training["classes"], training["participants"], training["status"]) == (2, 111, "opened")


def test_confidence_is_calibrated_on_real_dev():
    model = ConfidenceModel.load(ROOT / "models" / "confidence.json")
    table = model.meta["reliability_real_dev"]
    assert sum(row["facts"] for row in table) >= 100
    # High-confidence facts are right far more often than low-confidence ones.
    assert table[-1]["right"] > 0.7 > 0.2 > table[0]["right"]


def test_a_damaged_model_file_is_named(tmp_path):
    bad = tmp_path / "relevance.json"
    bad.write_text(json.dumps({"format": "something else"}), encoding="utf-8")
    with pytest.raises(ValueError, match="relevance.json"):
        RelevanceModel.load(bad)
    assert RelevanceModel.load(tmp_path / "missing.json") is None
