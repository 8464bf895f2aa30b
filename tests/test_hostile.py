"""Hostile input: every case gives a schema-valid, offset-grounded record, or
(through the CLI) a one-line error. The table of cases, with the behaviour each
test pins down, is ``docs/hostile-inputs.md``.

Records are checked with :func:`vnreport_ie.schema.validate` (the JSON Schema
of ``../shared/spec/facts.md`` plus grounding in the input text).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from vnreport_ie.schema import validate

from .conftest import ROOT

# --------------------------------------------------------------------------- validator

def schema_errors(record: Any, source: str, doc_id: str | None = None, *, safe_ints: bool = True) -> list[str]:
    """:func:`vnreport_ie.schema.validate` against the input, plus the id the caller gave."""
    errs = validate(record, source, safe_ints=safe_ints)
    rec_id = (record.to_dict() if hasattr(record, "to_dict") else record).get("id")
    return errs + ([f"id: {rec_id!r} != {doc_id!r}"] if rec_id != doc_id else [])


def extract(pipe, text: str, doc_id: str | None = "hostile", *, safe_ints: bool = True) -> dict[str, Any]:
    """The record's JSON form, after asserting it is schema-valid for ``text``."""
    record = pipe(text, doc_id)
    errs = schema_errors(record, text, doc_id, safe_ints=safe_ints)
    assert not errs, "\n".join(errs[:20])
    return record.to_dict()


def facts_without_offsets(rec: dict[str, Any]) -> list[dict[str, Any]]:
    return [{k: v for k, v in f.items() if k not in ("evidence", "spans")} for f in rec["facts"]]


def norm_ws(value: Any) -> Any:
    return " ".join(value.split()) if isinstance(value, str) else value


def same_facts_modulo_whitespace(a: dict[str, Any], b: dict[str, Any]) -> bool:
    def key(rec):
        return [{k: norm_ws(v) for k, v in f.items()} for f in facts_without_offsets(rec)]
    return key(a) == key(b)


def _broken(good: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``good`` with the value at dotted ``path`` replaced (``+N`` adds N)."""
    bad = json.loads(json.dumps(good))
    *parents, last = [int(k) if k.isdigit() else k for k in path.split(".")]
    node = bad
    for k in parents:
        node = node[k]
    node[last] = node[last] + int(value[1:]) if isinstance(value, str) and value[:1] == "+" else value
    return bad


@pytest.mark.parametrize("path, value, needle", [
    ("entities.0.start", "+1", "entities[0]"),
    ("facts.0.classes", "2", "facts[0].classes"),
    ("facts.0.spans.course", [0, 5], "spans.course"),
    ("meta.normalized", True, "meta.normalized"),
    ("facts.0.status", "finished", "facts[0].status"),
    ("facts.0.duration", "6 tháng", "facts[0].duration"),
    ("facts.0.date", "2023-02-29", "facts[0].date"),
    ("facts.0.confidence", 1.5, "facts[0].confidence"),
    ("facts.0.size", 3, "facts[0]"),
    ("meta.relevance", -0.1, "meta.relevance"),
    ("meta.province", {"name": "Kon Tum"}, "meta.province"),
    ("schema_version", 1, "schema_version"),
])
def test_validator_rejects_broken_records(pipe, path, value, needle):
    """The validator must catch what it claims to catch, or every test below proves nothing."""
    text = SENTENCE
    good = pipe(text, "v").to_dict()
    assert schema_errors(good, text, "v") == []
    errs = "\n".join(schema_errors(_broken(good, path, value), text, "v"))
    assert needle in errs, errs


def test_validator_checks_references_dates_and_safe_ints(pipe):
    text = SENTENCE
    good = pipe(text, "v").to_dict()
    bad = json.loads(json.dumps(good))
    bad["relations"].append({"label": "CLASSES", "head": 0, "tail": 99})
    assert any("relations[" in e for e in schema_errors(bad, text, "v"))
    bad = json.loads(json.dumps(good))
    bad["facts"].append({"type": "document", "doc_type": "Nghị quyết", "number": "1", "issued_date": "2022-02-31",
                         "issuer": None, "term": None, "title": None, "evidence": {"start": 0, "end": 3}, "spans": {}})
    assert any("issued_date" in e for e in schema_errors(bad, text, "v"))
    bad["facts"][-1]["issued_date"] = "--02-29"  # no year: the day may exist
    assert schema_errors(bad, text, "v") == []
    count = next(e for e in bad["entities"] if e["label"] == "COUNT")
    count["value"] = 10**30
    assert any("2**53" in e for e in schema_errors(bad, text, "v"))
    assert schema_errors(bad, text, "v", safe_ints=False) == []
    bad["facts"][0]["spans"]["course"][1] += 1  # one character too many
    assert any("spans.course" in e for e in schema_errors(bad, text, "v", safe_ints=False))


def test_v2_fields_are_optional_and_typed(pipe):
    good = pipe(SENTENCE, "v").to_dict()
    v2 = json.loads(json.dumps(good))
    v2["meta"].update(province={"name": "Tỉnh Kon Tum", "code": "62"}, province_now=None,
                      published="2022-07-01", relevance=0.9)
    v2["facts"][0].update(status="completed", date="--08-13", date_end="2022-08", duration="P6M",
                          graduates=98, plan_percent=35.34, confidence=0.5)
    assert schema_errors(v2, SENTENCE, "v") == []
    v1 = {k: v for k, v in good.items() if k != "schema_version"}
    assert schema_errors(v1, SENTENCE, "v") == []


# --------------------------------------------------------------------------- texts

@pytest.fixture(scope="module")
def pipe():
    """Every fact kept: these tests are about what survives hostile input, not the confidence filter."""
    import vnreport_ie

    return vnreport_ie.load(keep_all=True)


SENTENCE = "Trường Chính trị tỉnh đã mở 2 lớp Trung cấp Lý luận chính trị (111 học viên)."
TRAINING = {"type": "training", "course": "Trung cấp Lý luận chính trị", "classes": 2, "participants": 111,
            "participant_group": None, "organizer": "Trường Chính trị tỉnh", "status": None}
# Invented report sentences (nothing from the news archive): facts and prose.
REPORT_LINES = (
    "Trong 6 tháng đầu năm 2022, Ban Thường vụ Tỉnh ủy đã tổ chức 2 hội nghị trực tuyến toàn tỉnh "
    "với 224 điểm cầu, thu hút 6.330 lượt cán bộ, đảng viên tham dự.",
    "Trường Chính trị tỉnh đã mở 3 lớp Trung cấp Lý luận chính trị (145 học viên); "
    "hiện có 564 học viên đang học.",
    "Các huyện ủy đã kết nạp 120 đảng viên mới, khen thưởng 25 tập thể và thi hành kỷ luật 6 đảng viên.",
    "Tổ chức sơ kết 5 năm thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị khóa XII.",
    "Công tác tuyên truyền được quan tâm thực hiện thường xuyên, góp phần nâng cao nhận thức "
    "của cán bộ, đảng viên và nhân dân về chủ trương, đường lối của Đảng.",
    "Cấp ủy các cấp tiếp tục lãnh đạo, chỉ đạo việc học tập và làm theo tư tưởng, đạo đức, "
    "phong cách Hồ Chí Minh gắn với nhiệm vụ chính trị của địa phương, đơn vị.",
)


def report_text(n_bytes: int, paragraph_sep: str = "\n\n") -> str:
    """A report-like text of about ``n_bytes`` UTF-8 bytes: one third fact sentences, the rest prose."""
    lines = REPORT_LINES[:4] + REPORT_LINES[4:] * 4
    block = paragraph_sep.join(lines) + paragraph_sep
    reps = max(1, n_bytes // len(block.encode("utf-8")))
    return "Báo cáo kết quả công tác tuyên giáo\n\n" + block * reps


# --------------------------------------------------------------------------- cases

@pytest.mark.parametrize("text", ["", " ", "\n\n\t  \n", "\u3000\u00a0\u2028", "\r\n\r\n"],
                         ids=["empty", "space", "blank-lines", "unicode-spaces", "crlf-only"])
def test_empty_and_whitespace_only(pipe, text):
    rec = extract(pipe, text)
    assert rec["facts"] == [] and rec["entities"] == [] and rec["relations"] == []
    assert rec["meta"]["title"] is None and rec["meta"]["period"] is None


def test_only_punctuation(pipe):
    text = "!!!???...,,;;:—–-()[]{}«»“”‘’…/\\|@#$%^&*_+=~`" * 200
    rec = extract(pipe, text)
    assert rec["facts"] == [] and rec["entities"] == []


def test_decomposed_text_offsets_refer_to_nfc(pipe):
    plain = extract(pipe, SENTENCE)
    nfd_text = unicodedata.normalize("NFD", SENTENCE)
    assert nfd_text != SENTENCE and len(nfd_text) > len(SENTENCE)
    nfd = extract(pipe, nfd_text)  # the validator slices the NFC text
    assert nfd["meta"]["normalized"] is True and plain["meta"]["normalized"] is False
    assert nfd["facts"] == plain["facts"] and nfd["entities"] == plain["entities"]


def test_stacked_combining_marks(pipe):
    # 50 combining acute accents after one letter, and a run of marks with no base at all.
    text = "\u0301\u0303 " + SENTENCE.replace("lớp", "lớp" + "\u0301" * 50) + " x" + "\u0323" * 1000
    rec = extract(pipe, text)
    assert rec["meta"]["normalized"] is True
    assert any(e["value"] == 111 for e in rec["entities"] if e["label"] == "COUNT")


def test_zero_width_characters_and_bom(pipe):
    text = "\ufeff" + SENTENCE.replace("Trường ", "Trường\u200c").replace("2 lớp", "2\u200blớp") + "\u2060"
    rec = extract(pipe, text)
    # Zero-width characters are kept (offsets count them) and act as spaces.
    assert [(f["classes"], f["participants"], f["course"]) for f in rec["facts"]] == [(2, 111, TRAINING["course"])]
    assert text[rec["facts"][0]["spans"]["classes"][0]:].startswith("2\u200blớp")


@pytest.mark.parametrize("space", ["\u00a0", "\t", "\u202f"], ids=["nbsp", "tab", "narrow-nbsp"])
def test_nbsp_and_tabs_act_as_spaces(pipe, space):
    rec = extract(pipe, SENTENCE.replace(" ", space))
    assert same_facts_modulo_whitespace(rec, extract(pipe, SENTENCE))


def test_crlf_and_lone_cr(pipe):
    lf = "Báo cáo công tác tuyên giáo\n\n" + SENTENCE + "\n" + SENTENCE.replace("2 lớp", "3 lớp")
    plain = extract(pipe, lf)
    for newline in ("\r\n", "\r"):
        rec = extract(pipe, lf.replace("\n", newline))
        assert rec["meta"]["title"] == "Báo cáo công tác tuyên giáo"  # no stray \r
        assert facts_without_offsets(rec) == facts_without_offsets(plain)
        assert [f["classes"] for f in rec["facts"]] == [2, 3]


@pytest.mark.xfail(strict=True, raises=AssertionError, reason="markup inside a name is blanked in the working copy, "
                   "but the name's span still covers it, so the entity text shows the tag")
def test_html_remnants_are_tolerated(pipe):
    text = "<p>" + SENTENCE.replace("Trung cấp", "<b>Trung cấp</b>") + "</p><br/>&amp;&nbsp;&#160;<script>x=1</script>"
    rec = extract(pipe, text)
    for e in rec["entities"]:
        assert not re.search(r"</?[a-z]+[^>]*>|&\w+;", e["text"]), e  # markup never becomes an entity


def test_html_remnants_do_not_hide_facts(pipe):
    text = "<p>" + SENTENCE.replace("2 lớp", "2&nbsp;lớp").replace("111 học", "111 <b>học</b>") + "</p>"
    rec = extract(pipe, text)
    assert [(f["type"], f["classes"], f["participants"]) for f in rec["facts"]] == [("training", 2, 111)]



@pytest.mark.parametrize("text", [
    "1" * 100_000,
    pytest.param("Đã kết nạp " + "9" * 100_000 + " đảng viên mới."),
    pytest.param("Đã mở " + "7" * 5_000 + " lớp học (" + "1" * 50_000 + " học viên)."),
], ids=["bare", "before-unit", "two-runs"])
def test_100000_digits_in_a_row(pipe, text):
    rec = extract(pipe, text)  # the validator caps integers at 2**53
    for e in rec["entities"]:
        a, b = e["start"], e["end"]
        # No entity is cut out of the middle of the digit run.
        assert not (a > 0 and text[a - 1].isdigit() and text[a].isdigit()), (e["label"], a)
        assert not (b < len(text) and text[b - 1].isdigit() and text[b].isdigit()), (e["label"], b)


def test_numbers_with_dot_groups(pipe, full_pipe):
    text = "Có 12.345 học viên, 1.000.000 người và 2.000.000.000 đồng."
    extract(pipe, text)
    assert [e.value for e in full_pipe.doc(text)._.vnr_entities if e.label == "COUNT"][:2] == [12345, 1_000_000]


def test_number_with_seven_dot_groups(pipe):
    extract(pipe, "Tổng cộng 1.000.000.000.000.000.000 người tham gia.")


def test_dotted_label_is_not_a_count(pipe):
    text = "Mục 1.2.3.4.5 lớp học và 1.2.3 học viên."
    rec = extract(pipe, text)
    assert [e for e in rec["entities"] if e["label"] == "COUNT"] == []


@pytest.mark.parametrize("date", ["31/2/2022", "0/0/0", "99/99/9999", "29/2/2023", "31-4-2021",
                                  "ngày 31 tháng 2 năm 2022", "tháng 13/2022", "ngày 00/00/0000"])
def test_impossible_dates(pipe, date):
    text = f"Thực hiện Nghị quyết số 12-NQ/TW, ngày {date} của Bộ Chính trị, tỉnh đã mở 2 lớp (80 học viên)."
    rec = extract(pipe, text)  # the validator rejects any date that does not exist
    docs = [f for f in rec["facts"] if f["type"] == "document"]
    assert [d["number"] for d in docs] == ["12-NQ/TW"] and docs[0]["issued_date"] is None


def test_valid_leap_day_is_kept(pipe):
    rec = extract(pipe, "Thực hiện Nghị quyết số 12-NQ/TW, ngày 29/2/2024 của Bộ Chính trị.")
    assert [f["issued_date"] for f in rec["facts"] if f["type"] == "document"] == ["2024-02-29"]


@pytest.mark.parametrize("number", ["12/" + "/".join(["QĐ"] * 500), "/" * 500, "12" + "-/" * 250 + "TW",
                                    "/".join(["1"] * 500) + "/QĐ-UBND"],
                         ids=["500-groups", "500-bare-slashes", "alternating", "500-numbers"])
def test_document_numbers_with_500_slashes(pipe, number):
    text = f"Quyết định số {number} ngày 3/4/2021 của UBND tỉnh về việc mở 2 lớp bồi dưỡng."
    rec = extract(pipe, text)
    for f in rec["facts"]:
        if f["type"] == "document" and f["number"] is not None:
            assert f["number"] in text and len(f["number"]) <= len(number)


def test_mixed_scripts(pipe):
    text = ("中华人民共和国 Привет, мир! 😀👍🏽👨‍👩‍👧 Ελληνικά العربية עברית " + SENTENCE
            + " 中文 ２ 班 ١٢٣ học viên 𝟙𝟚 lớp ²³ đảng viên ① hội nghị ½ lớp")
    rec = extract(pipe, text)  # `²` and `①` pass str.isdigit() but not int(): no crash
    assert any(f["type"] == "training" and f["classes"] == 2 and f["participants"] == 111 for f in rec["facts"])


def test_nul_and_control_characters(pipe):
    text = "\x00\x01\x07" + SENTENCE.replace(" lớp", "\x0b lớp") + "\x1b[31m\x7f"
    rec = extract(pipe, text)
    assert [f["participants"] for f in rec["facts"]] == [111]


def test_lone_surrogate(pipe):
    # json.loads('"\\ud800"') gives such a str: JSONL input can carry one.
    text = json.loads('"' + SENTENCE + ' \\ud800 \\udfff"')
    extract(pipe, text)


# --------------------------------------------------------------------------- size

def _scaling_ratio(pipe, small: int, factor: int) -> float:
    """CPU seconds on ``factor`` x the text over CPU seconds on the text (best of a few runs)."""
    def cpu(text: str, runs: int) -> float:
        best = float("inf")
        for _ in range(runs):
            t0 = time.process_time()
            pipe(text)
            best = min(best, time.process_time() - t0)
        return best
    a = cpu(report_text(small), 3)
    ratio = cpu(report_text(small * factor), 1) / a
    if ratio > 2 * factor:  # a noisy neighbour can inflate one run: confirm before reporting
        ratio = cpu(report_text(small * factor), 1) / a
    return ratio


@pytest.fixture(scope="module")
def linear(pipe) -> float:
    """4x the input must cost less than 8x the CPU (linear ~4x, quadratic ~16x)."""
    return _scaling_ratio(pipe, 16_000, 4)


def test_cost_is_linear_in_size(linear):
    assert linear < 8.0, f"4x the text cost {linear:.1f}x the CPU time"


def _require_linear(linear: float) -> None:
    if linear >= 8.0:
        pytest.fail(f"superlinear pipeline (4x text -> {linear:.1f}x CPU): this size would not complete")


def test_2mb_line_without_newline(pipe, linear):
    _require_linear(linear)
    text = report_text(2_000_000, paragraph_sep=" ").split("\n\n", 1)[1]
    assert "\n" not in text and len(text.encode("utf-8")) >= 1_950_000
    rec = extract(pipe, text)
    assert sum(f["type"] == "training" for f in rec["facts"]) > 100


HEAVY = os.environ.get("VNREPORT_IE_HEAVY") == "1"


@pytest.mark.skipif(not HEAVY, reason="20 MB through the full pipeline takes minutes (see docs/hostile-inputs.md); "
                                      "run with VNREPORT_IE_HEAVY=1")
def test_20mb_document(pipe, linear):
    _require_linear(linear)
    text = report_text(20_000_000)
    assert len(text.encode("utf-8")) >= 19_900_000
    rec = extract(pipe, text)
    assert sum(f["type"] == "training" for f in rec["facts"]) > 1000


# --------------------------------------------------------------------------- CLI

def cli(*paths) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vnreport_ie.cli", "extract", *map(str, paths)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def _assert_one_line_errors(p: subprocess.CompletedProcess, expected: dict[str, str]) -> None:
    assert p.returncode != 0
    assert "Traceback" not in p.stderr
    lines = p.stderr.strip().splitlines()
    assert len(lines) == len(expected), p.stderr
    for line, (name, needle) in zip(lines, expected.items()):
        assert name in line and needle in line, (line, name, needle)


# name -> (valid UTF-8 prefix, bytes that break it); the error is at len(prefix)
BAD_UTF8 = {
    "lone-continuation.txt": ("Tỉnh ủy ".encode(), b"\x80abc"),
    "overlong.txt": (b"abc", b"\xc0\xaf"),
    "surrogate.txt": ("Đã mở ".encode(), b"\xed\xa0\x80"),
    "truncated-at-end.txt": ("Đã mở 2 lớp ".encode(), "ư".encode()[:1]),
    "windows-1258.txt": ("Tỉnh ủy H".encode(), "à Nam".encode("cp1258")),
}


def test_invalid_utf8_files_through_the_cli(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(SENTENCE, encoding="utf-8")
    paths = []
    for name, (prefix, bad) in BAD_UTF8.items():
        (tmp_path / name).write_bytes(prefix + bad)
        paths.append(tmp_path / name)
    p = cli(*paths, good)
    _assert_one_line_errors(p, {name: f"byte offset {len(prefix)}" for name, (prefix, _) in BAD_UTF8.items()})
    # The readable file after them is still extracted.
    records = [json.loads(x) for x in p.stdout.splitlines()]
    assert [r["id"] for r in records] == ["good"] and records[0]["facts"][0]["classes"] == 2


@pytest.mark.parametrize("encoding", [
    "utf-16",
    "utf-16-le",
])
def test_utf16_file_through_the_cli(tmp_path, encoding):
    f = tmp_path / f"{encoding}.txt"
    f.write_bytes(SENTENCE.encode(encoding))
    p = cli(f)
    _assert_one_line_errors(p, {f.name: "UTF-16"})
    assert p.stdout == ""


def test_utf16_error_names_a_byte_offset(tmp_path):
    f = tmp_path / "bom.txt"
    f.write_bytes(SENTENCE.encode("utf-16"))
    _assert_one_line_errors(cli(f), {f.name: "byte offset 0"})


def test_binary_files_through_the_cli(tmp_path):
    png = tmp_path / "image.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40)
    noise = tmp_path / "noise.txt"  # no NUL byte: caught as invalid UTF-8 instead
    noise.write_bytes(bytes((i * 97 + 13) % 256 for i in range(20_000)).replace(b"\x00", b"\x01"))
    elf = tmp_path / "prog.txt"
    elf.write_bytes(Path(sys.executable).resolve().read_bytes()[:200_000])
    p = cli(png, noise, elf)
    _assert_one_line_errors(p, {"image.txt": "binary", "noise.txt": "byte offset", "prog.txt": "binary"})
    assert p.stdout == ""


# --------------------------------------------------------------------------- safe loading

class _Payload:
    """Unpickling this runs code: the proof that a loader unpickles."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def _truncate(p: Path) -> None:
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])


def _edit(fn):
    def apply(p: Path) -> None:
        data = json.loads(p.read_text(encoding="utf-8"))
        fn(data)
        p.write_text(json.dumps(data), encoding="utf-8")
    return apply


CORRUPTIONS = {
    "truncated": _truncate,
    "empty": lambda p: p.write_bytes(b""),
    "not-utf8": lambda p: p.write_bytes(b"\xff\xfe\x00{"),
    "json-list": lambda p: p.write_text("[1, 2, 3]"),
    "wrong-format-tag": _edit(lambda d: d.__setitem__("format", "someone.else/9")),
    "bad-payload": _edit(lambda d: d.update({"weights": {"x": "1"}} if "weights" in d else {"activities": [1, None]})),
    "nested-100k": lambda p: p.write_text("[" * 100_000 + "]" * 100_000),
    "a-directory": lambda p: (p.unlink(), p.mkdir()),
}
MODEL_FILES = ("relations.json", "lexicon.json", "phrases.json")
_NO_NAME = "the message does not name the file: {cls}.load should wrap from_json's ValueError with the path"
KNOWN_BAD: dict[tuple[str, str], str] = {}


def _model_copy(tmp_path: Path) -> Path:
    models = tmp_path / "models"
    shutil.copytree(ROOT / "models", models)
    return models


@pytest.mark.parametrize("name,corruption", [
    pytest.param(f, c, id=f"{f}-{c}", marks=[pytest.mark.xfail(strict=True, reason=KNOWN_BAD[f, c])]
                 if (f, c) in KNOWN_BAD else [])
    for f in MODEL_FILES for c in CORRUPTIONS])
def test_corrupt_model_file_is_a_clear_value_error(tmp_path, name, corruption):
    import vnreport_ie

    models = _model_copy(tmp_path)
    if not (models / name).exists():
        pytest.skip(f"this checkout has no models/{name}")
    CORRUPTIONS[corruption](models / name)
    with pytest.raises(ValueError) as info:
        vnreport_ie.load(models)
    assert name in str(info.value) and "\n" not in str(info.value), str(info.value)


def test_non_finite_relation_bias_is_refused(tmp_path):
    import vnreport_ie

    models = _model_copy(tmp_path)
    text = (models / "relations.json").read_text(encoding="utf-8")
    (models / "relations.json").write_text(re.sub(r'"bias":\s*[-0-9.e]+', '"bias": NaN', text, count=1),
                                           encoding="utf-8")
    assert '"bias": NaN' in (models / "relations.json").read_text(encoding="utf-8")
    try:
        pipe = vnreport_ie.load(models)
    except ValueError as exc:
        assert "relations.json" in str(exc)
        return
    pytest.fail(f"a NaN bias loaded; relations on the sample: {pipe(SENTENCE).relations}")


@pytest.mark.parametrize("name", MODEL_FILES)
def test_a_pickle_in_place_of_a_model_is_never_unpickled(tmp_path, name):
    import pickle

    import vnreport_ie

    models = _model_copy(tmp_path)
    marker = tmp_path / "payload-ran"
    (models / name).write_bytes(pickle.dumps(_Payload(marker), protocol=0))  # protocol 0 is ASCII: valid UTF-8
    with pytest.raises(ValueError):
        vnreport_ie.load(models)
    assert not marker.exists()


def test_loading_opens_only_json_and_never_unpickles(tmp_path):
    """Audit hooks see every unpickled global and every opened file (in a child: hooks cannot be removed)."""
    models = _model_copy(tmp_path)
    code = f"""
import json, sys
import vnreport_ie, vnreport_ie.pipeline
seen = []
def hook(event, args):
    if event == "pickle.find_class" or (event == "open" and str(args[0]).startswith({str(models)!r})):
        seen.append([event, str(args[0])])
sys.addaudithook(hook)
pipe = vnreport_ie.load({str(models)!r})
rec = pipe({SENTENCE!r}, "x")
print(json.dumps({{"seen": seen, "facts": len(rec.facts)}}))
"""
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout.strip().splitlines()[-1])
    assert out["facts"] == 1
    assert [e for e, _ in out["seen"] if e != "open"] == [], out["seen"]
    opened = {Path(path).name for _, path in out["seen"]}
    assert {"relations.json", "lexicon.json"} <= opened and all(n.endswith(".json") for n in opened), opened
    assert {f.suffix for f in (ROOT / "models").iterdir() if f.is_file()} <= {".json", ".md", ".py"}
