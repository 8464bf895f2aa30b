"""Extraction on Spark (optional extra ``vnreport_ie[spark]``).

>>> from vnreport_ie.spark import with_records, with_facts      # doctest: +SKIP
>>> out = with_records(spark.read.parquet("news.parquet"))       # doctest: +SKIP
>>> facts = with_facts(spark.read.json("news.jsonl.gz"))         # doctest: +SKIP

``with_records`` adds the record JSON to each row (through ``mapInPandas``);
``with_facts`` gives one row per fact with the slots as a typed Spark struct
derived from the schema (through ``mapInArrow``). A ``date`` column (2021-04-27
or 20210427) is the publication date (``meta.published``), as in ``vnreport-ie
batch``. Each Python worker process loads the pipeline once (a module-level cache, kept because Spark reuses Python workers) and
then streams its partitions' Arrow batches through it. Rows are the same as
``vnreport-ie batch`` writes: a record, or ``{"id", "error": {"reason", "detail"}}``
for texts that are empty, binary, too long, or fail. Spark starts its Python
workers with ``PYTHONHASHSEED=0`` (unless the driver sets another), as the batch
workers do, so both give the same rows.
"""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from .batch import DEFAULT_MAX_CHARS, DEFAULT_PIPELINE, check_text, decode, dumps, error_row, load_factory
from .inputs import InputError, parse_published
from .schema import FACT_KEYS, slot_types

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


def extract_row(pipe: Any, text: Any, doc_id: Any, max_chars: int, doc_timeout: float | None,
                published: Any = None) -> dict[str, Any]:
    """One batch row for one text. The time limit uses SIGALRM, so it stops a
    document stuck in Python code but not one stuck inside native code.
    ``published`` (a date, or ``2021-04-27`` / ``20210427``) is passed on as the
    publication date; one that cannot be read is not used, as in batch."""
    doc_id = None if doc_id is None else str(doc_id)
    try:
        published = parse_published(published) if published not in (None, "") else None
    except InputError:
        published = None
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
        rec = pipe(text, doc_id, published=published) if published else pipe(text, doc_id)
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
    """The ``mapInPandas`` / ``mapInArrow`` function: a picklable object, so
    executors import this module (and its pipeline cache) instead of receiving a copy."""

    def __init__(self, text_col: str, id_col: str | None, date_col: str | None, max_chars: int,
                 doc_timeout: float | None, factory: str, model_dir: str | None, record_col: str = "record",
                 error_col: str = "error") -> None:
        self.text_col, self.id_col, self.date_col = text_col, id_col, date_col
        self.max_chars, self.doc_timeout = max_chars, doc_timeout
        self.factory, self.model_dir = factory, model_dir
        self.record_col, self.error_col = record_col, error_col

    def rows(self, texts: list[Any], ids: list[Any] | None, dates: list[Any] | None) -> list[dict[str, Any]]:
        """The batch rows of one chunk of texts."""
        pipe = _pipeline(self.factory, self.model_dir)
        n = len(texts)
        return [extract_row(pipe, t, i, self.max_chars, self.doc_timeout, d)
                for t, i, d in zip(texts, ids or [None] * n, dates or [None] * n)]

    def records(self, batches: Iterator["pd.DataFrame"]) -> Iterator["pd.DataFrame"]:
        """``mapInPandas``: each row plus its record JSON and error reason."""
        for pdf in batches:
            rows = self.rows(list(pdf[self.text_col]), list(pdf[self.id_col]) if self.id_col else None,
                             list(pdf[self.date_col]) if self.date_col else None)
            pdf = pdf.copy()
            pdf[self.record_col] = [dumps(r) for r in rows]
            pdf[self.error_col] = [(r.get("error") or {}).get("reason") for r in rows]
            yield pdf

    def facts(self, batches: Iterator[Any]) -> Iterator[Any]:
        """``mapInArrow``: one row per fact, the slots a typed struct."""
        import pyarrow as pa

        schema = _arrow_fact_schema()
        for batch in batches:
            def col(name: str | None) -> list[Any] | None:
                return batch.column(name).to_pylist() if name else None

            rows = self.rows(col(self.text_col) or [], col(self.id_col), col(self.date_col))
            yield pa.RecordBatch.from_pylist(list(fact_rows(rows)), schema=schema)


# The fact rows of with_facts: one struct holds every slot of every fact type
# (a slot a type does not have is null), typed from vnreport_ie.schema.
_KIND = {"int": "long", "number": "double", "bool": "boolean"}  # every other slot type is a string


def slot_fields() -> dict[str, str]:
    """Every slot of every fact type, in the schema's order, with its Spark
    type name (``long``, ``double``, ``boolean`` or ``string``)."""
    out: dict[str, str] = {}
    for ftype in slot_types().values():  # in the schema's order of types
        for name, kind in ftype.items():
            out.setdefault(name, _KIND.get(kind, "string"))
    return out


def fact_schema() -> Any:
    """The Spark schema of :func:`with_facts`' rows."""
    T = _require_pyspark()
    spark_type = {"long": T.LongType(), "double": T.DoubleType(), "boolean": T.BooleanType(), "string": T.StringType()}
    slots = T.StructType([T.StructField(k, spark_type[v]) for k, v in slot_fields().items()])
    text_map = T.MapType(T.StringType(), T.StringType())
    return T.StructType([
        T.StructField("doc_id", T.StringType()), T.StructField("fact_index", T.IntegerType()),
        T.StructField("type", T.StringType()), T.StructField("evidence_start", T.LongType()),
        T.StructField("evidence_end", T.LongType()), T.StructField("confidence", T.DoubleType()),
        T.StructField("published", T.StringType()), T.StructField("slots", slots),
        T.StructField("spans", T.MapType(T.StringType(), T.ArrayType(T.LongType()))),
        T.StructField("approx", text_map), T.StructField("extra", text_map)])


FACT_COLUMNS = ("doc_id", "fact_index", "type", "evidence_start", "evidence_end", "confidence", "published",
                "slots", "spans", "approx", "extra")


def _arrow_fact_schema() -> Any:
    from pyspark.sql.pandas.types import to_arrow_schema

    return to_arrow_schema(fact_schema())


def _fits(value: Any, kind: str) -> bool:
    if kind == "long":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "double":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    return isinstance(value, str)


def fact_rows(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The fact rows of batch rows (error rows give none). A slot the schema
    does not know, or a value of another type than the schema's, goes to
    ``extra`` as JSON, so nothing is lost and every column keeps its type."""
    fields = slot_fields()
    for r in rows:
        published = (r.get("meta") or {}).get("published")
        for i, f in enumerate(r.get("facts") or ()):
            slots: dict[str, Any] = dict.fromkeys(fields)
            extra = []
            for k, v in f.items():
                if k in FACT_KEYS or v is None:
                    continue
                if k in fields and _fits(v, fields[k]):
                    slots[k] = float(v) if fields[k] == "double" else v
                else:
                    extra.append((k, dumps(v)))
            ev = f.get("evidence") or {}
            yield {"doc_id": r["id"], "fact_index": i, "type": f.get("type"), "evidence_start": ev.get("start"),
                   "evidence_end": ev.get("end"), "confidence": f.get("confidence"), "published": published,
                   "slots": slots, "spans": [(k, list(v)) for k, v in (f.get("spans") or {}).items()],
                   "approx": list((f.get("approx") or {}).items()) or None, "extra": extra or None}


def with_records(df: "DataFrame", text_col: str = "text", id_col: str | None = "id", *,
                 date_col: str | None = "date", record_col: str = "record", error_col: str = "error",
                 max_chars: int = DEFAULT_MAX_CHARS, doc_timeout: float | None = 120.0,
                 pipeline: str = DEFAULT_PIPELINE, model_dir: str | None = None) -> "DataFrame":
    """``df`` plus ``record_col`` (the record JSON, or an error row) and
    ``error_col`` (the error reason, null for a record). ``date_col``, when
    the DataFrame has it, is the publication date (``meta.published``)."""
    T = _require_pyspark()
    _check_columns(df, text_col, id_col)
    schema = T.StructType(df.schema.fields + [T.StructField(record_col, T.StringType(), False),
                                              T.StructField(error_col, T.StringType(), True)])
    mapper = _Mapper(text_col, id_col, _present(df, date_col), max_chars, doc_timeout, pipeline, model_dir,
                     record_col, error_col)
    return df.mapInPandas(mapper.records, schema)


def with_facts(df: "DataFrame", text_col: str = "text", id_col: str | None = "id", *,
               date_col: str | None = "date", max_chars: int = DEFAULT_MAX_CHARS,
               doc_timeout: float | None = 120.0, pipeline: str = DEFAULT_PIPELINE,
               model_dir: str | None = None) -> "DataFrame":
    """One row per fact (:data:`FACT_COLUMNS`, schema :func:`fact_schema`):
    ``doc_id, fact_index, type, evidence_start, evidence_end, confidence,
    published``, ``slots`` (a struct of every schema slot, typed: ``long``,
    ``double``, ``boolean`` or ``string``; null where the fact has none),
    ``spans`` (slot -> [start, end]), ``approx`` and ``extra`` (maps of text).
    Query a slot as ``slots.participants``."""
    _require_pyspark()
    _check_columns(df, text_col, id_col)
    mapper = _Mapper(text_col, id_col, _present(df, date_col), max_chars, doc_timeout, pipeline, model_dir)
    cols = [c for c in (text_col, id_col, _present(df, date_col)) if c]
    return df.select(*dict.fromkeys(cols)).mapInArrow(mapper.facts, fact_schema())


def _present(df: "DataFrame", col: str | None) -> str | None:
    return col if col is not None and col in df.columns else None


def _check_columns(df: "DataFrame", text_col: str, id_col: str | None) -> None:
    for col in (text_col, id_col):
        if col is not None and col not in df.columns:
            raise ValueError(f"no column {col!r} in the DataFrame (columns: {', '.join(df.columns)})")


def session(app_name: str = "vnreport_ie", log_level: str = "WARN") -> Any:
    """A SparkSession (the active one, or a new one) logging at ``log_level``
    and above: Spark's INFO lines would bury the job's own output."""
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName(app_name).config("spark.log.level", log_level).getOrCreate()
    spark.sparkContext.setLogLevel(log_level)
    return spark


def write_job(spark: Any, input_path: str, output_path: str, *, facts: bool = False, overwrite: bool = False,
              text_col: str = "text", id_col: str = "id", date_col: str | None = "date") -> None:
    """Read ``input_path`` (Parquet by its extension, else JSON Lines), extract,
    and write Parquet to ``output_path``: records, or one row per fact with
    ``facts``. An existing output is refused (``FileExistsError``) unless
    ``overwrite``: a mistyped path must not replace an earlier run."""
    from pyspark.errors import AnalysisException

    if not overwrite and "://" not in output_path and Path(output_path).exists():
        raise FileExistsError(f"{output_path} exists; choose another output or pass overwrite=True (--overwrite)")
    reader = spark.read
    df = reader.parquet(input_path) if input_path.endswith(".parquet") else reader.json(input_path)
    out = (with_facts if facts else with_records)(df, text_col, id_col, date_col=date_col)
    try:
        out.write.mode("overwrite" if overwrite else "errorifexists").parquet(output_path)
    except AnalysisException as exc:  # the output appeared meanwhile, or is on another file system
        if "already exists" not in str(exc).lower() and "PATH_ALREADY_EXISTS" not in str(exc):
            raise
        raise FileExistsError(f"{output_path} exists; choose another output or pass overwrite=True "
                              "(--overwrite)") from None


def main(argv: list[str] | None = None) -> int:
    """A job for ``spark-submit``: ``IN OUT [--facts] [--overwrite]``. IN is
    Parquet (by its extension) or JSON Lines (.jsonl, .jsonl.gz); OUT is
    written as Parquet and must not exist unless ``--overwrite``.

    spark-submit takes a driver file, not a module, so call it from a two-line
    driver: ``from vnreport_ie.spark import main; raise SystemExit(main())``.
    """
    import argparse

    p = argparse.ArgumentParser(prog="vnreport_ie.spark", description=main.__doc__.split("\n\n")[0])
    p.add_argument("input", help="Parquet file or directory (.parquet), or JSON Lines (.jsonl, .jsonl.gz)")
    p.add_argument("output", help="output directory, written as Parquet")
    p.add_argument("--facts", action="store_true",
                   help="write one row per fact (typed slot struct) instead of one per document")
    p.add_argument("--overwrite", action="store_true", help="replace OUTPUT if it exists (refused otherwise)")
    p.add_argument("--text-col", default="text", help="text column (default: %(default)s)")
    p.add_argument("--id-col", default="id", help="id column (default: %(default)s)")
    p.add_argument("--date-col", default="date",
                   help="publication date column, 2021-04-27 or 20210427, if present (default: %(default)s)")
    p.add_argument("--log-level", default="WARN", choices=("ERROR", "WARN", "INFO", "DEBUG"),
                   help="Spark's log level (default: %(default)s)")
    args = p.parse_args(argv)
    spark = session(log_level=args.log_level)
    try:
        write_job(spark, args.input, args.output, facts=args.facts, overwrite=args.overwrite,
                  text_col=args.text_col, id_col=args.id_col, date_col=args.date_col)
    except FileExistsError as exc:
        print(f"vnreport_ie.spark: {exc}", file=sys.stderr)
        return 2
    finally:
        spark.stop()
    return 0
