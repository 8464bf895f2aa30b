"""Command line: ``vnreport-ie {extract,evaluate,corpus,train,schema,show,batch,report}``.

Every command explains itself with ``--help``; errors are one line on stderr
and a non-zero exit code (see :data:`EXIT_CODES`), never a traceback.
Messages about the run (progress, warnings) go through :mod:`logging` to
stderr, so stdout holds only the command's output.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterator

from .batch import add_parser as add_batch_parser
from .inputs import InputError, decode_text, parse_published, read_text
from .recordfile import RecordSet, read_records
from .resources import checkout_root, default_seed_gold
from .schema import FACT_TYPE
from .report import register as add_report_parser
from .show import add_parser as add_show_parser

log = logging.getLogger("vnreport_ie")

EXAMPLES = """examples:
  vnreport-ie extract seeds/000_fca4d81f41333468.txt --table
  vnreport-ie extract seeds/ -o facts.jsonl
  cat seeds/000_fca4d81f41333468.txt | vnreport-ie extract - --pretty
  vnreport-ie extract seeds/000_fca4d81f41333468.txt --published 2022-07-05 -o seed.jsonl
  vnreport-ie evaluate --corpus corpus/ --split test
  vnreport-ie evaluate --gold seeds/gold.jsonl --pred seed.jsonl --errors
  vnreport-ie corpus build && vnreport-ie corpus check
  vnreport-ie train --corpus corpus/ --out models/
  vnreport-ie show seeds/000_fca4d81f41333468.txt -o page.html
  vnreport-ie batch news.jsonl.gz -o out/ --workers 2
  vnreport-ie report out/ -o report.html --input news.jsonl.gz
  vnreport-ie schema > facts.schema.json
"""

EXIT_CODES = """exit codes:
  0    done (extract: every input read; evaluate: scored; batch: every row a record)
  1    extract: some input could not be read (named on stderr, the others are written);
       evaluate: no predicted id matches a gold id; batch: the run stopped before every
       document had a row (rerun the same command to continue)
  2    bad arguments or unreadable input (evaluate: every bad line as file:line: problem)
  3    batch: finished, but some rows are error rows (counts in OUTDIR/summary.json)
  130  interrupted (Ctrl-C or kill); batch: rerun the same command to continue
  141  stdout was closed early (as in `... | head`); nothing else went wrong
"""

EPILOG = EXAMPLES + "\n" + EXIT_CODES
EXIT_BROKEN_PIPE = 141  # what a shell reports for a process ended by SIGPIPE

def iter_inputs(paths: list[str]) -> Iterator[tuple[str, Path | None]]:
    """``(record id, path)`` for every input; the path is None for stdin (``-``)."""
    for p in paths:
        if p == "-":
            yield "stdin", None
            continue
        path = Path(p)
        if path.is_dir():
            files = sorted(f for f in path.rglob("*.txt") if f.is_file())
            if not files:
                raise InputError(f"{path}: directory has no .txt files")
            for f in files:
                yield f.stem, f
        elif path.is_file():
            yield path.stem, path
        else:
            raise InputError(f"{path}: no such file or directory")


def cmd_extract(args: argparse.Namespace) -> int:
    """``extract``: one record per input, as JSON Lines or tables."""
    from .pipeline import load

    if args.table and args.output and Path(args.output).suffix.lower() in (".jsonl", ".json", ".ndjson"):
        raise InputError(f"--table writes readable text, not JSON; leave out --table to write {args.output}, "
                         "or write the tables to a .txt file")
    pipe = load(args.model_dir, keep_all=args.keep_all)
    out, tmp = sys.stdout, None
    if args.output:
        # Written beside the target and renamed over it at the end: a failed
        # run leaves the old file (or none), never an empty or half file.
        target = Path(args.output)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; the output gets the usual mode
        out = os.fdopen(fd, "w", encoding="utf-8")
    failures = written = 0
    try:
        for doc_id, path in iter_inputs(args.paths):
            try:
                text = decode_text(sys.stdin.buffer.read(), "stdin") if path is None else read_text(path)
            except (InputError, OSError) as exc:
                log.error("%s", exc)
                failures += 1
                continue
            record = pipe(text, doc_id, args.published)
            if args.table:
                out.write(facts_table(record.to_dict(), text) + "\n")
            else:
                out.write(json.dumps(record.to_dict(), ensure_ascii=False, indent=2 if args.pretty else None) + "\n")
            written += 1
        if tmp is not None:
            out.close()
            if written:
                os.replace(tmp, args.output)
                tmp = None
            else:
                log.error("no input could be read; %s not written", args.output)
    finally:
        if tmp is not None:
            out.close()
            os.unlink(tmp)
    return 1 if failures else 0


def facts_table(rec: dict[str, Any], text: str) -> str:
    """A record's meta and facts as plain-text tables, one per fact type."""
    m = rec["meta"]
    period = m.get("period") or {}
    lines = [f"# {rec['id']}: {m.get('title')}",
             f"location: {m.get('location')} | period: {period.get('text')} ({period.get('start')} .. {period.get('end')})"
             f" | author: {m.get('author')} | source: {m.get('source_name')}", ""]
    by_type: dict[str, list[dict]] = {}
    for f in rec["facts"]:
        by_type.setdefault(f["type"], []).append(f)
    for t, facts in by_type.items():
        used = [k for k in FACT_TYPE[t].names() if any(f.get(k) is not None for f in facts)]
        lines.append(f"## {t} ({len(facts)})")
        rows = [[_cell(f.get(k), f.get("approx", {}).get(k)) for k in used] for f in facts]
        widths = [min(48, max(len(k), *(len(r[i]) for r in rows))) for i, k in enumerate(used)]
        lines.append("  ".join(k.ljust(w) for k, w in zip(used, widths)))
        lines.append("  ".join("-" * w for w in widths))
        for r in rows:
            lines.append("  ".join(c[:w].ljust(w) for c, w in zip(r, widths)))
        lines.append("")
    for c in rec.get("checks", []):
        lines.append(f"check {c['kind']}: total {c['total']} vs parts sum {sum(c['parts'])} "
                     f"({len(c['parts'])} parts): {'agrees' if c['agrees'] else 'DISAGREES'}")
    return "\n".join(lines)


def _cell(v: Any, approx: str | None) -> str:
    s = "" if v is None else str(v)
    if approx:
        s = f"{approx} {s}".strip()
    return s


def _read_records(path: str | Path, what: str, strict: bool) -> RecordSet:
    """The records at ``path``; every bad line is logged as ``file:line: problem``
    and then the command stops (exit 2): a score over part of a file misleads."""
    found = read_records(Path(path), strict=strict)
    if found.problems:
        for problem in found.problems[:30]:
            log.error("%s", problem)
        more = f" (the first 30 are listed)" if len(found.problems) > 30 else ""
        raise InputError(f"{path}: {len(found.problems)} problem(s) in the {what} records{more}; "
                         "nothing was scored")
    return found


def _ids(ids: list[str], reasons: dict[str, str], n: int = 10) -> str:
    shown = [f"{i} ({reasons[i]})" if i in reasons else i for i in ids[:n]]
    return ", ".join(shown) + (f", ... ({len(ids) - n} more)" if len(ids) > n else "")


def match_ids(gold: list[dict], pred: list[dict], error_rows: list[tuple[str, str]]) -> bool:
    """Log the gold ids with no prediction and the predicted ids not in the
    gold; False when no id matches (then there is nothing to score)."""
    pred_ids = {p["id"] for p in pred}
    gold_ids = [g["id"] for g in gold]
    reasons = {i: f"batch error row: {r}" for i, r in error_rows}  # documents that gave no record
    missing = [i for i in gold_ids if i not in pred_ids]
    extra = sorted((pred_ids | set(reasons)) - set(gold_ids))
    if not gold_ids or len(missing) == len(gold_ids):
        log.error("none of the %d predicted ids matches one of the %d gold ids; gold ids: %s; predicted ids: %s",
                  len(pred_ids), len(gold_ids), _ids(gold_ids, {}, 5), _ids(sorted(pred_ids), {}, 5))
        return False
    if missing:
        log.warning("%d of %d gold documents have no predicted record and are scored as all missed: %s",
                    len(missing), len(gold_ids), _ids(missing, reasons))
    if extra:
        log.warning("%d predicted rows have an id that is not in the gold and are not scored: %s",
                    len(extra), _ids(extra, reasons))
    return True


def cmd_evaluate(args: argparse.Namespace) -> int:
    """``evaluate``: score records against gold (exit 1 when no id matches)."""
    from .evaluate import format_errors, format_table, score

    error_rows: list[tuple[str, str]] = []
    if args.corpus:
        from .corpus import CorpusError, load_corpus
        from .pipeline import load

        try:
            gold = load_corpus(Path(args.corpus), [args.split])
        except CorpusError as exc:
            log.error("%s", exc)
            return 2
        seed = args.with_seed or default_seed_gold()
        if args.split in ("test", "all") and seed:
            gold += _read_records(seed, "seed gold", strict=False).records
        elif args.split in ("test", "all"):
            log.warning("no seed gold found (seeds/gold.jsonl of a source checkout); scoring without it")
        pipe = load(args.model_dir)
        # The publication date is passed as a caller would (spec v2, "Dates of
        # facts"): the annotators took a missing year from it too.
        pred = [pipe(d["text"], d["id"], (d.get("meta") or {}).get("published")).to_dict() for d in gold]
    elif args.gold and args.pred:
        gold = _read_records(args.gold, "gold", strict=False).records
        found = _read_records(args.pred, "predicted", strict=True)
        pred, error_rows = found.records, found.error_rows
        if not match_ids(gold, pred, error_rows):
            return 1
    elif args.pred and args.checks:
        print(format_checks(_read_records(args.pred, "predicted", strict=True).records))
        return 0
    else:
        log.error("evaluate needs --corpus DIR, or both --gold and --pred (or --pred with --checks)")
        return 2
    errors: list[dict] = []
    result = score(gold, pred, errors=errors)
    # Real articles and team-written documents apart, then together.
    real_ids = {d["id"] for d in gold if d.get("source") == "real"}
    parts = []
    if real_ids and len(real_ids) < len(gold):
        for name, keep in (("team-written", lambda i: i not in real_ids), ("real", lambda i: i in real_ids)):
            parts.append((name, score([g for g in gold if keep(g["id"])], [p for p in pred if keep(p["id"])])))
    if args.json:
        out = dict(result)
        for name, r in parts:
            out[name] = r
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        title = args.split if args.corpus else args.gold
        for name, r in parts:
            print(format_table(r, f"evaluation ({title}, {name})"))
            print()
        print(format_table(result, f"evaluation ({title}{', all sources' if parts else ''})"))
    if args.errors:
        print()
        print(format_errors(errors))
    if args.checks:
        print()
        print(format_checks(pred))
    return 0


def format_checks(records: list[dict]) -> str:
    """Consistency checks over a batch: how many agree, and every disagreement."""
    checks = [(r.get("id"), c) for r in records for c in r.get("checks", [])]
    bad = [(i, c) for i, c in checks if not c["agrees"]]
    lines = [f"consistency checks: {len(checks)} in {len(records)} records, {len(bad)} disagree"]
    for doc_id, c in bad:
        lines.append(f"  [{doc_id}] {c['kind']} of {c.get('fact_type')}.{c.get('slot')}: stated total {c['total']}, "
                     f"parts {c['parts']} add up to {sum(c['parts'])}")
    return "\n".join(lines)


def cmd_corpus(args: argparse.Namespace) -> int:
    """``corpus build`` / ``corpus check``."""
    from .corpus import CorpusError, build, build_real, check_document, load_jsonl, write_jsonl

    root = Path(args.root)
    if not (root / "corpus").is_dir():
        raise InputError(f"{root}: no corpus/ here; give the project root with --root")
    if args.action == "build":
        try:
            docs = build([root / "corpus" / "src"])
            seeds = build([root / "seeds" / "src"])
        except CorpusError as exc:
            log.error("%s", exc)
            return 1
        write_jsonl(docs, root / "corpus" / "corpus.jsonl")
        write_jsonl(seeds, root / "seeds" / "gold.jsonl")
        try:
            real = build_real(root / "corpus")  # grounded to check it; its texts stay in ../shared
        except CorpusError as exc:
            log.error("%s", exc)
            return 1
        splits: dict[str, int] = {}
        for d in docs + seeds + real:
            splits[d["split"]] = splits.get(d["split"], 0) + 1
        print(f"built {len(docs)} corpus documents and {len(seeds)} seed(s); "
              f"grounded {len(real)} real articles; splits {splits}")
        return 0
    bad = 0
    total = 0
    try:
        real = build_real(root / "corpus")
    except CorpusError as exc:
        log.error("%s", exc)
        return 1
    for name, docs in (("corpus.jsonl", load_jsonl(root / "corpus" / "corpus.jsonl")),
                       ("gold.jsonl", load_jsonl(root / "seeds" / "gold.jsonl")), ("real", real)):
        for d in docs:
            total += 1
            for p in check_document(d):
                print(f"{name}:{d['id']}: {p}")
                bad += 1
    print(f"checked {total} documents: {'ok' if not bad else f'{bad} problems'}")
    return 1 if bad else 0


def cmd_train(args: argparse.Namespace) -> int:
    """``train``: retrain every model from the corpus."""
    from .train import train

    train(Path(args.corpus), Path(args.out), seed=args.seed, log=log.info)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """``schema``: print or write the JSON Schema of the records."""
    from .schema.json_form import dumps

    if args.output in (None, "-"):
        sys.stdout.write(dumps())
    else:
        Path(args.output).write_text(dumps(), encoding="utf-8")
    return 0


def _published(value: str) -> str:
    try:
        return parse_published(value)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _here(*parts: str) -> str:
    """A default path inside the source checkout, else relative to the working directory."""
    root = checkout_root()
    return str(root.joinpath(*parts)) if root else str(Path(*parts))


def build_parser() -> argparse.ArgumentParser:
    """The ``vnreport-ie`` argument parser with every command."""
    p = argparse.ArgumentParser(
        prog="vnreport-ie",
        description="Turn Vietnamese party and government reports into structured facts "
                    "(trainings, meetings, documents, reviews, anniversaries, tallies), "
                    "every value grounded by character offsets.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-q", "--quiet", action="store_true",
                   help="log only warnings and errors on stderr (not progress or summaries)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    e = sub.add_parser("extract", help="extract facts from text files",
                       description="Extract one JSON record per input (JSON Lines). "
                                   "PATH is a .txt file, a directory of .txt files, or - for stdin; "
                                   "the record id is the file name without its extension.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    e.add_argument("paths", nargs="+", metavar="PATH", help="a .txt file, a directory of .txt files, or - (stdin)")
    e.add_argument("-o", "--output", metavar="OUT.jsonl",
                   help="write here instead of stdout; the file appears only when the run ends "
                        "(a failed run leaves no empty or partial file)")
    e.add_argument("--pretty", action="store_true", help="indent the JSON (one record spans several lines)")
    e.add_argument("--table", action="store_true",
                   help="print the facts as readable tables instead of JSON (not with -o FILE.jsonl)")
    e.add_argument("--published", type=_published, metavar="DATE", default=None,
                   help="publication date of the input(s), 2021-04-27 or 20210427. It is recorded as "
                        "meta.published and gives the year to dates written without one ('Sáng 27/4'), "
                        "when the text itself has no year for them (same paragraph, reporting period, "
                        "title or lead come first). Without it such dates stay yearless (--04-27): the "
                        "year is never taken from today's clock. With several inputs it applies to all")
    e.add_argument("--keep-all", action="store_true",
                   help="keep the facts whose confidence is under the threshold (0.5), as "
                        "vnreport_ie.load(keep_all=True) (left out by default)")
    e.add_argument("--model-dir", default=None, help="models to use (default: the packaged ones)")
    e.set_defaults(func=cmd_extract)
    v = sub.add_parser("evaluate", help="score extraction against annotated gold",
                       description="Score predicted records against gold: fact slots (strict and lenient), "
                                   "whole facts, meta fields, entities and relations. Records are matched by "
                                   "id; ids found on one side only are named on stderr. Record files are "
                                   "JSON Lines (.jsonl, .jsonl.gz), Parquet written by `batch --format "
                                   "parquet`, a directory of those, or a batch OUTDIR; every bad line is "
                                   "reported as file:line: problem.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    v.add_argument("--corpus", metavar="DIR", help="corpus directory: run the pipeline on a split and score it")
    v.add_argument("--split", default="test",
                   choices=("train", "dev", "test", "all", "real-train", "real-dev", "real-test"),
                   help="train/dev/test: team-written split and its real counterpart together, reported "
                        "apart and together; real-*: real articles only (default: %(default)s)")
    v.add_argument("--with-seed", metavar="GOLD.jsonl", default=None,
                   help="gold file of seed reports added to the test split (default: seeds/gold.jsonl "
                        "of the source checkout, found from any working directory)")
    v.add_argument("--gold", metavar="PATH", help="gold records (JSON Lines file or directory of them)")
    v.add_argument("--pred", metavar="PATH",
                   help="predicted records: JSON Lines, batch Parquet, a directory, or a batch OUTDIR")
    v.add_argument("--json", action="store_true", help="print the scores as JSON")
    v.add_argument("--errors", action="store_true", help="list every missing, spurious or wrong slot")
    v.add_argument("--checks", action="store_true",
                   help="report totals whose listed parts do not add up (works with --pred alone)")
    v.add_argument("--model-dir", default=None, help="models to use with --corpus (default: the packaged ones)")
    v.set_defaults(func=cmd_evaluate)
    c = sub.add_parser("corpus", help="build or check the annotated corpus",
                       description="build: ground corpus/src/*.json and seeds/src/*.json into "
                                   "corpus/corpus.jsonl and seeds/gold.jsonl. check: validate offsets, "
                                   "labels, relation ends and that every number is annotated.",
                       epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("action", choices=("build", "check"),
                   help="build: write corpus.jsonl and gold.jsonl from the sources; check: validate them")
    c.add_argument("--root", default=_here(), metavar="DIR",
                   help="project root holding corpus/ and seeds/ (default: the source checkout, %(default)s)")
    c.set_defaults(func=cmd_corpus)
    t = sub.add_parser("train", help="train the models from the corpus (deterministic)",
                       description="Train the tagger, relation, relevance and confidence models on the "
                                   "corpus train split, choose on dev, and write them (about 1-2 minutes).",
                       epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    t.add_argument("--corpus", default=_here("corpus"), metavar="DIR",
                   help="the annotated corpus (default: %(default)s)")
    t.add_argument("--out", default=_here("models"), metavar="DIR",
                   help="where to write the model files (default: %(default)s, the packaged models)")
    t.add_argument("--seed", type=int, default=0, metavar="N",
                   help="random seed; the same seed and corpus give the same models (default: %(default)s)")
    t.set_defaults(func=cmd_train)
    m = sub.add_parser("schema", help="print the JSON Schema of the output records",
                       description="Print the JSON Schema (draft 2020-12) that every record of extract and "
                                   "batch validates against: fact types, slots and their types, meta fields "
                                   "(schema v2; v1 records validate too). It is generated from "
                                   "vnreport_ie.schema; the package ships the same text as "
                                   "vnreport_ie/schema/facts.schema.json (`make schema` rewrites that file).")
    m.add_argument("-o", "--output", metavar="FILE.json", default=None, help="write it here (default: stdout)")
    m.set_defaults(func=cmd_schema)
    add_show_parser(sub)
    add_batch_parser(sub)
    add_report_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    """``vnreport-ie``: run one command and return its exit code (:data:`EXIT_CODES`)."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO,
                        format="vnreport-ie: %(message)s", stream=sys.stderr)
    try:
        code = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        return code
    except BrokenPipeError:
        # The reader stopped early (`... | head`): not worth a traceback. Point
        # stdout at /dev/null so the flush at exit does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except (InputError, FileNotFoundError, ValueError) as exc:
        log.error("%s", exc)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
