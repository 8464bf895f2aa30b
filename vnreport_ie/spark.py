"""Extraction on Spark (optional extra ``vnreport_ie[spark]``).

>>> from vnreport_ie.spark import with_records, with_facts      # doctest: +SKIP
>>> out = with_records(spark.read.parquet("news.parquet"))       # doctest: +SKIP
>>> facts = with_facts(spark.read.json("news.jsonl.gz"))         # doctest: +SKIP

Both run the pipeline through ``mapInPandas``; each Python worker process loads
it once (a module-level cache, kept because Spark reuses Python workers) and
then streams its partitions' Arrow batches through it. Rows are the same as
``vnreport-ie batch`` writes: a record, or ``{"id", "error": {"reason", "detail"}}``
for texts that are empty, binary, too long, or fail. Spark starts its Python
workers with ``PYTHONHASHSEED=0`` (unless the driver sets another), as the batch
workers do, so both give the same rows.
"""

from __future__ import annotations

import signal
import threading
from typing import TYPE_CHECKING, Any, Iterator

from .batch import DEFAULT_MAX_CHARS, DEFAULT_PIPELINE, check_text, decode, dumps, error_row, load_factory
from .schema import FACT_KEYS

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame

_PIPES: dict[tuple[str, str | None], Any] = {}


def _require_pyspark() -> Any:
    try:
        import pyspark.sql.types as T
    except ImportError:
        raise ImportError("vnreport_ie.spark needs pyspark: pip install 'vnreport_ie[spark]'") from None
    return T


def _pipeline(factory: str, model_dir: str | None) -> Any:
    """The pipeline of this Python worker process, loaded on first use."""
    key = (factory, model_dir)
    if key not in _PIPES:
        _PIPES[key] = load_factory(factory)(model_dir)
    return _PIPES[key]


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Timeout


def extract_row(pipe: Any, text: Any, doc_id: Any, max_chars: int, doc_timeout: float | None) -> dict[str, Any]:
    """One batch row for one text. The time limit uses SIGALRM, so it stops a
    document stuck in Python code but not one stuck inside native code."""
    doc_id = None if doc_id is None else str(doc_id)
    if text is None:
        return error_row(doc_id, "empty", "the text is null")  # type: ignore[arg-type]
    if isinstance(text, (bytes, bytearray)):
        text, problem = decode(bytes(text), max_chars)
    elif isinstance(text, str):
        problem = check_text(text, max_chars)
    else:
        problem = ("unreadable", f"the text is {type(text).__name__}, not a string")
    if problem:
        return error_row(doc_id, *problem)  # type: ignore[arg-type]
    timed = bool(doc_timeout) and threading.current_thread() is threading.main_thread()
    old = signal.signal(signal.SIGALRM, _alarm) if timed else None
    try:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, doc_timeout)  # type: ignore[arg-type]
        rec = pipe(text, doc_id)
        return rec.to_dict() if hasattr(rec, "to_dict") else rec
    except _Timeout:
        return error_row(doc_id, "timeout", f"extraction took over the {doc_timeout:g} s per-document limit")  # type: ignore[arg-type]
    except Exception as exc:  # noqa: BLE001 - one bad document must not fail the job
        return error_row(doc_id, "extraction_failed", f"{type(exc).__name__}: {exc}"[:500])  # type: ignore[arg-type]
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)


class _Mapper:
    """The ``mapInPandas`` function: a picklable object, so executors import
    this module (and its pipeline cache) instead of receiving a copy."""

    def __init__(self, text_col: str, id_col: str | None, out: str, max_chars: int, doc_timeout: float | None,
                 factory: str, model_dir: str | None, record_col: str = "record", error_col: str = "error") -> None:
        self.text_col, self.id_col, self.out = text_col, id_col, out
        self.max_chars, self.doc_timeout = max_chars, doc_timeout
        self.factory, self.model_dir = factory, model_dir
        self.record_col, self.error_col = record_col, error_col

    def _rows(self, pdf: "pd.DataFrame") -> Iterator[dict[str, Any]]:
        pipe = _pipeline(self.factory, self.model_dir)
        ids = pdf[self.id_col] if self.id_col else [None] * len(pdf)
        for text, doc_id in zip(pdf[self.text_col], ids):
            yield extract_row(pipe, text, doc_id, self.max_chars, self.doc_timeout)

    def __call__(self, batches: Iterator["pd.DataFrame"]) -> Iterator["pd.DataFrame"]:
        import pandas as pd

        for pdf in batches:
            rows = list(self._rows(pdf))
            if self.out == "records":
                pdf = pdf.copy()
                pdf[self.record_col] = [dumps(r) for r in rows]
                pdf[self.error_col] = [(r.get("error") or {}).get("reason") for r in rows]
                yield pdf
            else:
                yield pd.DataFrame(_fact_rows(rows), columns=list(FACT_COLUMNS))


FACT_COLUMNS = ("doc_id", "fact_index", "type", "evidence_start", "evidence_end", "slots", "approx")


def _fact_rows(rows: list[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
    for r in rows:
        for i, f in enumerate(r.get("facts") or ()):
            slots = {k: v for k, v in f.items() if k not in FACT_KEYS}
            ev = f.get("evidence") or {}
            yield (r["id"], i, f.get("type"), ev.get("start"), ev.get("end"), dumps(slots),
                   dumps(f["approx"]) if f.get("approx") else None)


def with_records(df: "DataFrame", text_col: str = "text", id_col: str | None = "id", *,
                 record_col: str = "record", error_col: str = "error", max_chars: int = DEFAULT_MAX_CHARS,
                 doc_timeout: float | None = 120.0, pipeline: str = DEFAULT_PIPELINE,
                 model_dir: str | None = None) -> "DataFrame":
    """``df`` plus ``record_col`` (the record JSON, or an error row) and
    ``error_col`` (the error reason, null for a record)."""
    T = _require_pyspark()
    _check_columns(df, text_col, id_col)
    schema = T.StructType(df.schema.fields + [T.StructField(record_col, T.StringType(), False),
                                              T.StructField(error_col, T.StringType(), True)])
    mapper = _Mapper(text_col, id_col, "records", max_chars, doc_timeout, pipeline, model_dir, record_col, error_col)
    return df.mapInPandas(mapper, schema)


def with_facts(df: "DataFrame", text_col: str = "text", id_col: str | None = "id", *,
               max_chars: int = DEFAULT_MAX_CHARS, doc_timeout: float | None = 120.0,
               pipeline: str = DEFAULT_PIPELINE, model_dir: str | None = None) -> "DataFrame":
    """One row per fact: ``doc_id, fact_index, type, evidence_start, evidence_end,
    slots`` (JSON object of the slots) and ``approx`` (JSON or null)."""
    T = _require_pyspark()
    _check_columns(df, text_col, id_col)
    schema = T.StructType([T.StructField("doc_id", T.StringType()), T.StructField("fact_index", T.IntegerType()),
                           T.StructField("type", T.StringType()), T.StructField("evidence_start", T.LongType()),
                           T.StructField("evidence_end", T.LongType()), T.StructField("slots", T.StringType()),
                           T.StructField("approx", T.StringType())])
    mapper = _Mapper(text_col, id_col, "facts", max_chars, doc_timeout, pipeline, model_dir)
    return df.mapInPandas(mapper, schema)


def _check_columns(df: "DataFrame", text_col: str, id_col: str | None) -> None:
    for col in (text_col, id_col):
        if col is not None and col not in df.columns:
            raise ValueError(f"no column {col!r} in the DataFrame (columns: {', '.join(df.columns)})")


def main(argv: list[str] | None = None) -> int:
    """A job for ``spark-submit``: ``IN OUT [--facts]``. IN is Parquet (by its
    extension) or JSON Lines (.jsonl, .jsonl.gz); OUT is written as Parquet.

    spark-submit takes a driver file, not a module, so call it from a two-line
    driver: ``from vnreport_ie.spark import main; raise SystemExit(main())``.
    """
    import argparse

    from pyspark.sql import SparkSession

    p = argparse.ArgumentParser(prog="vnreport_ie.spark")
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--facts", action="store_true", help="write one row per fact instead of one per document")
    p.add_argument("--text-col", default="text")
    p.add_argument("--id-col", default="id")
    args = p.parse_args(argv)
    spark = SparkSession.builder.appName("vnreport_ie").getOrCreate()
    reader = spark.read
    df = reader.parquet(args.input) if args.input.endswith(".parquet") else reader.json(args.input)
    fn = with_facts if args.facts else with_records
    fn(df, args.text_col, args.id_col).write.mode("overwrite").parquet(args.output)
    spark.stop()
    return 0
