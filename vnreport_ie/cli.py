"""Command line: ``vnreport-ie {extract,evaluate,corpus,train,schema,show,batch,report}``.

Every command explains itself with ``--help``; errors are one line on stderr
and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Iterator

from .batch import add_parser as add_batch_parser
from .inputs import InputError, decode_text, read_text
from .schema import FACT_TYPE
from .report import register as add_report_parser
from .show import add_parser as add_show_parser

EXAMPLES = """examples:
  vnreport-ie extract seeds/000_fca4d81f41333468.txt --table
  vnreport-ie extract reports/ -o facts.jsonl
  cat report.txt | vnreport-ie extract - --pretty
  vnreport-ie evaluate --corpus corpus/ --split test
  vnreport-ie evaluate --gold seeds/gold.jsonl --pred out.jsonl --errors
  vnreport-ie corpus build && vnreport-ie corpus check
  vnreport-ie train --corpus corpus/ --out models/
  vnreport-ie show seeds/000_fca4d81f41333468.txt -o page.html
  vnreport-ie batch news.jsonl.gz -o out/ --workers 2
  vnreport-ie report out/ -o report.html --input news.jsonl.gz
  vnreport-ie schema > facts.schema.json
"""

def iter_inputs(paths: list[str]) -> Iterator[tuple[str, Path | None]]:
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
    from .pipeline import load

    pipe = load(args.model_dir)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    failures = 0
    try:
        for doc_id, path in iter_inputs(args.paths):
            try:
                text = decode_text(sys.stdin.buffer.read(), "stdin") if path is None else read_text(path)
            except (InputError, OSError) as exc:
                print(f"vnreport-ie: {exc}", file=sys.stderr)
                failures += 1
                continue
            record = pipe(text, doc_id)
            if args.table:
                out.write(facts_table(record.to_dict(), text) + "\n")
            else:
                out.write(json.dumps(record.to_dict(), ensure_ascii=False, indent=2 if args.pretty else None) + "\n")
    finally:
        if args.output:
            out.close()
    return 1 if failures else 0


def facts_table(rec: dict[str, Any], text: str) -> str:
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


def _read_records(path: Path) -> list[dict]:
    from .corpus import load_jsonl

    if path.is_dir():
        return [r for f in sorted(path.glob("*.jsonl")) for r in load_jsonl(f)]
    return load_jsonl(path)


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import format_errors, format_table, score

    if args.corpus:
        from .corpus import CorpusError, load_corpus
        from .pipeline import load

        try:
            gold = load_corpus(Path(args.corpus), [args.split])
        except CorpusError as exc:
            print(f"vnreport-ie: {exc}", file=sys.stderr)
            return 2
        if args.split in ("test", "all") and args.with_seed:
            gold += _read_records(Path(args.with_seed))
        pipe = load(args.model_dir)
        pred = [pipe(d["text"], d["id"]).to_dict() for d in gold]
    elif args.gold and args.pred:
        gold, pred = _read_records(Path(args.gold)), _read_records(Path(args.pred))
    elif args.pred and args.checks:
        print(format_checks(_read_records(Path(args.pred))))
        return 0
    else:
        print("vnreport-ie: evaluate needs --corpus DIR or both --gold and --pred", file=sys.stderr)
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
    from .corpus import CorpusError, build, build_real, check_document, load_jsonl, write_jsonl

    root = Path(args.root)
    if args.action == "build":
        try:
            docs = build([root / "corpus" / "src"])
            seeds = build([root / "seeds" / "src"])
        except CorpusError as exc:
            print(f"vnreport-ie: {exc}", file=sys.stderr)
            return 1
        write_jsonl(docs, root / "corpus" / "corpus.jsonl")
        write_jsonl(seeds, root / "seeds" / "gold.jsonl")
        try:
            real = build_real(root / "corpus")  # grounded to check it; its texts stay in ../shared
        except CorpusError as exc:
            print(f"vnreport-ie: {exc}", file=sys.stderr)
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
        print(f"vnreport-ie: {exc}", file=sys.stderr)
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
    from .train import train

    train(Path(args.corpus), Path(args.out), seed=args.seed)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema.json_form import dumps

    if args.output in (None, "-"):
        sys.stdout.write(dumps())
    else:
        Path(args.output).write_text(dumps(), encoding="utf-8")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="vnreport-ie",
        description="Turn Vietnamese party and government reports into structured facts "
                    "(trainings, meetings, documents, reviews, anniversaries, tallies), "
                    "every value grounded by character offsets.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract", help="extract facts from text files",
                       description="Extract one JSON record per input (JSON Lines). "
                                   "PATH is a .txt file, a directory of .txt files, or - for stdin; "
                                   "the record id is the file name without its extension.",
                       epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    e.add_argument("paths", nargs="+", metavar="PATH")
    e.add_argument("-o", "--output", metavar="OUT.jsonl", help="write records here instead of stdout")
    e.add_argument("--pretty", action="store_true", help="indent the JSON (one record spans several lines)")
    e.add_argument("--table", action="store_true", help="print the facts as readable tables instead of JSON")
    e.add_argument("--model-dir", default=None, help="models to use (default: the packaged ones)")
    e.set_defaults(func=cmd_extract)
    v = sub.add_parser("evaluate", help="score extraction against annotated gold",
                       description="Score predicted records against gold: fact slots (strict and lenient), "
                                   "whole facts, meta fields, entities and relations.")
    v.add_argument("--corpus", help="corpus directory: run the pipeline on a split and score it")
    v.add_argument("--split", default="test",
                   choices=("train", "dev", "test", "all", "real-train", "real-dev", "real-test"),
                   help="train/dev/test: team-written split and its real counterpart together, reported "
                        "apart and together; real-*: real articles only (default: %(default)s)")
    v.add_argument("--with-seed", default="seeds/gold.jsonl",
                   help="gold file of seed reports added to the test split (default: %(default)s)")
    v.add_argument("--gold", help="gold records (JSONL file or directory of .jsonl)")
    v.add_argument("--pred", help="predicted records (JSONL file or directory of .jsonl)")
    v.add_argument("--json", action="store_true", help="print the scores as JSON")
    v.add_argument("--errors", action="store_true", help="list every missing, spurious or wrong slot")
    v.add_argument("--checks", action="store_true",
                   help="report totals whose listed parts do not add up (works with --pred alone)")
    v.add_argument("--model-dir", default=None)
    v.set_defaults(func=cmd_evaluate)
    c = sub.add_parser("corpus", help="build or check the annotated corpus",
                       description="build: ground corpus/src/*.json and seeds/src/*.json into "
                                   "corpus/corpus.jsonl and seeds/gold.jsonl. check: validate offsets, "
                                   "labels, relation ends and that every number is annotated.")
    c.add_argument("action", choices=("build", "check"))
    c.add_argument("--root", default=".", help="project root (default: current directory)")
    c.set_defaults(func=cmd_corpus)
    t = sub.add_parser("train", help="train the relation classifier from the corpus (deterministic)")
    t.add_argument("--corpus", default="corpus/")
    t.add_argument("--out", default="models/")
    t.add_argument("--seed", type=int, default=0)
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
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print(f"vnreport-ie: {exc}", file=sys.stderr)
        return 2
    except (FileNotFoundError, ValueError) as exc:
        print(f"vnreport-ie: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
