"""Spark: records and fact rows added to a DataFrame of texts, in local[2] mode."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'vnreport_ie[spark]')")
pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")


def _java_or_skip() -> None:
    java = shutil.which("java", path=os.path.join(os.environ.get("JAVA_HOME", ""), "bin") + os.pathsep
                        + os.environ.get("PATH", ""))
    if java is None:
        pytest.skip("Spark needs Java (17+), and no `java` is on PATH or in JAVA_HOME")
    try:
        subprocess.run([java, "-version"], capture_output=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"`java -version` failed ({exc}); Spark needs a working Java 17+")


def counting_load(model_dir=None):
    """The default pipeline, noting the process that loaded it."""
    import vnreport_ie

    with open(os.environ["VNREPORT_SPARK_LOADS"], "a", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()}\n")
    return vnreport_ie.load(model_dir)


TEXTS = [
    ("a", "Huyện ủy Đắk Hà đã kết nạp 25 đảng viên mới."),
    ("b", "Trường Chính trị tỉnh đã mở 2 lớp Trung cấp Lý luận chính trị cho 111 học viên."),
    ("c", "   "),
    ("d", "Ngày 18/5/2021, Bộ Chính trị ban hành Kết luận số 01-KL/TW về tiếp tục thực hiện Chỉ thị số 05-CT/TW."),
    ("e", "Ban Thường vụ Tỉnh ủy tổ chức hội nghị trực tuyến với 224 điểm cầu, 6.330 cán bộ tham dự."),
    ("f", "Kỷ niệm 132 năm ngày sinh Chủ tịch Hồ Chí Minh."),
]


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    _java_or_skip()
    from pyspark.sql import SparkSession

    loads = tmp_path_factory.mktemp("spark") / "loads.txt"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VNREPORT_SPARK_LOADS", str(loads))
        mp.setenv("PYSPARK_PYTHON", sys.executable)  # executors run this virtualenv's Python
        mp.setenv("PYSPARK_DRIVER_PYTHON", sys.executable)
        session = (SparkSession.builder.master("local[2]").appName("vnreport_ie-test")
                   .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                   .config("spark.python.worker.reuse", "true").getOrCreate())
        session.sparkContext.setLogLevel("ERROR")
        yield session, loads
        session.stop()


def test_records_match_the_pipeline_and_load_once_per_worker(spark, pipe):
    from vnreport_ie.spark import with_records

    session, loads = spark
    df = session.createDataFrame(TEXTS, ["id", "text"]).repartition(6)
    out = with_records(df, pipeline=f"{__name__}:counting_load").collect()
    got = {r["id"]: (json.loads(r["record"]), r["error"]) for r in out}
    assert sorted(got) == [i for i, _ in TEXTS]
    assert got["c"] == ({"id": "c", "error": {"reason": "empty", "detail": "the text is empty or only whitespace"}},
                        "empty")
    for doc_id, text in TEXTS:
        if doc_id != "c":
            assert got[doc_id] == (pipe(text, doc_id).to_dict(), None)
    pids = loads.read_text().split()
    # Six partitions on two cores: each reused Python worker loaded the pipeline once.
    assert len(pids) == len(set(pids)) and 1 <= len(pids) <= 2 < 6


def test_fact_rows(spark, pipe):
    from vnreport_ie.spark import FACT_COLUMNS, with_facts

    session, _ = spark
    df = session.createDataFrame(TEXTS, ["id", "text"]).repartition(3)
    rows = with_facts(df).collect()
    assert tuple(rows[0].asDict()) == FACT_COLUMNS
    want = sorted((doc_id, i, f["type"], f["evidence"]["start"], f["evidence"]["end"])
                  for doc_id, text in TEXTS for i, f in enumerate(pipe(text, doc_id).to_dict()["facts"]))
    assert sorted((r.doc_id, r.fact_index, r.type, r.evidence_start, r.evidence_end) for r in rows) == want
    assert len(want) >= 4
    training = next(r for r in rows if r.type == "training")
    assert training.slots["participants"] == 111 and training.slots["classes"] == 2
    assert training.slots["course"] == "Trung cấp Lý luận chính trị" and training.slots["mode"] is None
    assert training.spans["participants"] and training.extra is None


def test_fact_slots_are_typed_from_the_schema(spark):
    import pyspark.sql.types as T

    from vnreport_ie.schema import slot_types
    from vnreport_ie.spark import fact_schema, with_facts

    session, _ = spark
    schema = with_facts(session.createDataFrame(TEXTS, ["id", "text"])).schema
    assert schema == fact_schema()
    slots = {f.name: f.dataType for f in schema["slots"].dataType.fields}
    assert set(slots) == {k for t in slot_types().values() for k in t}
    assert slots["participants"] == T.LongType() and slots["plan_percent"] == T.DoubleType()
    assert slots["participants_are_attendances"] == T.BooleanType() and slots["date"] == T.StringType()


def test_date_column_is_the_publication_date(spark, pipe):
    from vnreport_ie.spark import with_facts, with_records

    session, _ = spark
    text = "Sáng 27/4, Đảng ủy Bộ tổ chức Hội nghị quán triệt Nghị quyết."
    df = session.createDataFrame([("a", text, "20210427"), ("b", text, None)], ["id", "text", "date"])
    got = {r["id"]: json.loads(r["record"]) for r in with_records(df).collect()}
    assert got["a"] == pipe(text, "a", published="2021-04-27").to_dict() and "published" not in got["b"]["meta"]
    facts = {(r.doc_id, r.published, r.slots["date"]) for r in with_facts(df).collect() if r.type == "meeting"}
    assert facts == {("a", "2021-04-27", "2021-04-27"), ("b", None, "--04-27")}


def test_job_refuses_to_overwrite_unless_asked(spark, tmp_path):
    from vnreport_ie.spark import write_job

    session, _ = spark
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in TEXTS[:2]),
                   encoding="utf-8")
    out = tmp_path / "out"
    write_job(session, str(src), str(out), facts=True)
    with pytest.raises(FileExistsError, match="--overwrite"):
        write_job(session, str(src), str(out))
    write_job(session, str(src), str(out), overwrite=True)
    assert len(session.read.parquet(str(out)).collect()) == 2


def test_missing_column_is_a_clear_error(spark):
    from vnreport_ie.spark import with_records

    session, _ = spark
    df = session.createDataFrame(TEXTS, ["id", "body"])
    with pytest.raises(ValueError, match="no column 'text'"):
        with_records(df)
