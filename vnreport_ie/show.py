"""A visual inspector: one self-contained HTML page per report.

The text is shown with every entity coloured by label, the facts in a table
beside it; clicking a fact outlines the spans its slots were read from and
shades its evidence clause. The page has inline CSS and JS only, so it opens
from disk with no network.

Offsets are Python ``str`` indices (code points) but JS strings are UTF-16, so
all slicing happens here: the text is cut at every entity, span and evidence
boundary into segments that carry their offsets (``data-s``/``data-e``), and
the script only compares numbers.
"""

from __future__ import annotations

import argparse
import html
import logging
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any, Iterable

from .inputs import read_text
from .schema import FACT_KEYS, FACT_TYPE

# Light backgrounds so the text stays readable; labels of the schema first.
LABEL_COLOURS = {
    "COURSE": "#ffb3ba", "EVENT": "#ffd8a8", "DOC": "#d8c2ff", "COUNT": "#fff09a",
    "GROUP": "#b8f2c6", "ORG": "#b9dcff", "TOPIC": "#f3d1f4", "DATE": "#9fe3d6",
    "PERIOD": "#c9eede", "DURATION": "#dcefb8", "TERM": "#ffd0b0", "PER": "#ffa8a0",
    "LOC": "#a3d0ea", "ACTIVITY": "#f2e2b8", "UNIT": "#e4e4e4", "REVIEW": "#d0d8e8",
}
_FALLBACK = ("#e8d5b7", "#c7e9f1", "#f1c7dd", "#d7f1c7", "#e1d7f7", "#f7e6c4")

CSS = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.55 system-ui,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:#222;background:#fafafa}
header{padding:10px 16px;border-bottom:1px solid #ddd;background:#fff}
h1{font-size:18px;margin:0 0 4px}
.meta{font-size:13px;color:#555}
.meta b{color:#333;font-weight:600}
.legend{margin-top:6px;display:flex;flex-wrap:wrap;gap:6px}
.legend span{font-size:12px;padding:1px 7px;border-radius:3px;border:1px solid rgba(0,0,0,.15)}
.hint{font-size:12px;color:#777;margin-top:4px}
main{display:grid;grid-template-columns:minmax(0,1.15fr) minmax(0,1fr);height:calc(100vh - var(--head,120px))}
#text{white-space:pre-wrap;overflow:auto;padding:14px 18px;background:#fff;border-right:1px solid #ddd}
#facts{overflow:auto;padding:0 10px 8px}
table{border-collapse:collapse;width:100%;font-size:13px}
th{position:sticky;top:0;background:#eee;text-align:left;padding:4px 6px;border-bottom:1px solid #ccc}
td{vertical-align:top;padding:4px 6px;border-bottom:1px solid #e2e2e2}
tr.fact{cursor:pointer}
tr.fact:hover{background:#f1f5ff}
tr.fact.selected{background:#ffe9a8}
tr.fact:focus{outline:2px solid #4a7be0;outline-offset:-2px}
td.type{font-weight:600;white-space:nowrap}
ul.slots{list-style:none;margin:0;padding:0}
ul.slots li{margin:0}
.k{color:#666}
.k.grounded{color:#1a55c8}
.approx{color:#a05a00}
.checks{font-size:13px;margin:8px 2px}
.bad{color:#b00020;font-weight:600}
.ev{background-color:#ffe4e4;box-shadow:inset 0 -2px 0 #e07070}
.ent{border-radius:2px}
.ent.es{box-shadow:inset 1px 0 0 rgba(0,0,0,.35)}
.ent.nested{border-bottom:2px solid var(--outer)}
.hl{outline:2px solid #d00000;outline-offset:0;font-weight:600}
"""

SCRIPT = """
(function () {
  var head = document.querySelector("header");
  function fit() { document.body.style.setProperty("--head", head.offsetHeight + "px"); }
  fit(); window.addEventListener("resize", fit);
  var segs = Array.prototype.slice.call(document.querySelectorAll("#text .seg"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.fact"));
  function ranges(attr) {
    var n = (attr || "").trim().split(/\\s+/).filter(Boolean).map(Number), out = [];
    for (var i = 0; i + 1 < n.length; i += 2) out.push([n[i], n[i + 1]]);
    return out;
  }
  function inside(s, e, rs) {
    for (var i = 0; i < rs.length; i++) if (rs[i][0] <= s && e <= rs[i][1]) return true;
    return false;
  }
  function select(row) {
    var spans = row ? ranges(row.getAttribute("data-spans")) : [];
    var ev = row ? ranges(row.getAttribute("data-ev")) : [];
    var first = null, firstEv = null;
    rows.forEach(function (r) { r.classList.toggle("selected", r === row); });
    segs.forEach(function (el) {
      var s = +el.getAttribute("data-s"), e = +el.getAttribute("data-e");
      var h = inside(s, e, spans), v = inside(s, e, ev);
      el.classList.toggle("hl", h);
      el.classList.toggle("ev", v);
      if (h && !first) first = el;
      if (v && !firstEv) firstEv = el;
    });
    var target = first || firstEv;
    if (target) target.scrollIntoView({block: "center"});
  }
  rows.forEach(function (r) {
    r.addEventListener("click", function () { select(r); });
    r.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); select(r); }
    });
  });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") select(null); });
})();
"""


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _css_label(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", label)


def label_colours(labels: Iterable[str]) -> dict[str, str]:
    """A colour per label: the fixed ones, then a cycle for labels not known here."""
    out: dict[str, str] = {}
    extra = 0
    for lab in sorted(set(labels)):
        if lab in LABEL_COLOURS:
            out[lab] = LABEL_COLOURS[lab]
        else:
            out[lab] = _FALLBACK[extra % len(_FALLBACK)]
            extra += 1
    return out


def _ranges(fact: dict[str, Any]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    spans = [(int(a), int(b)) for a, b in (fact.get("spans") or {}).values()]
    ev = fact.get("evidence") or {}
    evidence = [(int(ev["start"]), int(ev["end"]))] if "start" in ev and "end" in ev else []
    return spans, evidence


def _check_offsets(what: str, start: int, end: int, n: int) -> None:
    if not (0 <= start <= end <= n):
        raise ValueError(f"{what} has offsets {start}..{end} outside the text ({n} characters): "
                         "is the record from this text (offsets refer to its NFC form)?")


def _value(v: Any) -> str:
    if isinstance(v, dict) and "start" in v:  # a period
        return f"{v.get('text') or ''} ({v.get('start')} .. {v.get('end')})".strip()
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def render_text(text: str, entities: list[dict[str, Any]], facts: list[dict[str, Any]],
                colours: dict[str, str]) -> str:
    """The text as HTML, cut into segments at every entity, span and evidence boundary.

    A segment covered by entities is a ``span.ent.seg`` with ``data-ents`` (the
    entity ids) and the innermost entity's label as its colour; a segment that
    only lies in a fact's span or evidence is a plain ``span.seg``.
    """
    n = len(text)
    bounds = {0, n}
    for e in entities:
        _check_offsets(f"entity {e.get('id')} ({e.get('label')})", e["start"], e["end"], n)
        bounds.update((e["start"], e["end"]))
    covered: list[tuple[int, int]] = []
    for i, f in enumerate(facts):
        spans, ev = _ranges(f)
        for a, b in spans + ev:
            _check_offsets(f"fact {i} ({f.get('type')})", a, b, n)
            bounds.update((a, b))
            covered.append((a, b))
    cuts = sorted(bounds)
    # Entities starting at each cut, so one sweep keeps the set of covering entities.
    starting: dict[int, list[dict[str, Any]]] = {}
    for e in entities:
        if e["end"] > e["start"]:
            starting.setdefault(e["start"], []).append(e)
    active: list[dict[str, Any]] = []
    out: list[str] = []
    in_fact = _CoverTest(covered)
    for a, b in zip(cuts, cuts[1:]):
        active = [e for e in active if e["end"] > a] + starting.get(a, [])
        piece = _esc(text[a:b])
        if active:
            inner = min(active, key=lambda e: (e["end"] - e["start"], -e["start"]))
            outer = max(active, key=lambda e: (e["end"] - e["start"], -e["start"]))
            classes = ["ent", "seg", f"l-{_css_label(inner['label'])}"]
            if any(e["start"] == a for e in active):
                classes.append("es")
            style = ""
            if len(active) > 1:
                classes.append("nested")
                style = f' style="--outer:{colours.get(outer["label"], "#888")}"'
            ids = " ".join(str(e["id"]) for e in sorted(active, key=lambda e: e["id"]))
            tip = "\n".join(_tooltip(e) for e in sorted(active, key=lambda e: (e["start"], -e["end"])))
            out.append(f'<span class="{" ".join(classes)}" data-s="{a}" data-e="{b}" data-ents="{ids}" '
                       f'data-label="{_esc(inner["label"])}" title="{_esc(tip)}"{style}>{piece}</span>')
        elif in_fact(a, b):
            out.append(f'<span class="seg" data-s="{a}" data-e="{b}">{piece}</span>')
        else:
            out.append(piece)
    return "".join(out)


class _CoverTest:
    """Is [a, b) inside any of the ranges? (Ranges are few: a fact has a handful.)"""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        self.ranges = sorted(set(ranges))

    def __call__(self, a: int, b: int) -> bool:
        return any(s <= a and b <= e for s, e in self.ranges if s <= a)


def _tooltip(e: dict[str, Any]) -> str:
    tip = f"{e['label']} #{e.get('id')}"
    if e.get("value") is not None:
        tip += f" = {_value(e['value'])}"
    return tip


def _slot_names(fact: dict[str, Any]) -> list[str]:
    """The fact's slots in schema order; keys of a type the schema does not know, as they come."""
    ftype = FACT_TYPE.get(fact.get("type"))
    if ftype is None:
        return [k for k in fact if k not in FACT_KEYS]
    return list(ftype.names())


def _fact_rows(facts: list[dict[str, Any]]) -> str:
    rows = []
    for i, f in enumerate(facts):
        spans, ev = _ranges(f)
        grounded = f.get("spans") or {}
        approx = f.get("approx") or {}
        items = []
        for k in _slot_names(f):
            v = f.get(k)
            if v is None and k not in approx:
                continue
            shown = _esc(_value(v)) if v is not None else ""
            if k in approx:
                shown = f'<span class="approx">{_esc(approx[k])}</span> {shown}'.rstrip()
            cls = "k grounded" if k in grounded else "k"
            items.append(f'<li data-slot="{_esc(k)}"><span class="{cls}">{_esc(k)}:</span> {shown}</li>')
        flat = lambda rs: " ".join(f"{a} {b}" for a, b in rs)  # noqa: E731
        rows.append(f'<tr class="fact" tabindex="0" data-fact="{i}" data-type="{_esc(f.get("type"))}" '
                    f'data-spans="{flat(spans)}" data-ev="{flat(ev)}">'
                    f'<td>{i}</td><td class="type">{_esc(f.get("type"))}</td>'
                    f'<td><ul class="slots">{"".join(items)}</ul></td></tr>')
    return "".join(rows)


def _meta_line(meta: dict[str, Any]) -> str:
    parts = []
    for key in ("location", "period", "author", "source_name", "source_url"):
        v = meta.get(key)
        if v is not None:
            # The source URL is shown as text, never as a link: reports are untrusted input.
            parts.append(f"<b>{_esc(key)}</b>: {_esc(_value(v))}")
    if meta.get("normalized"):
        parts.append("<b>normalized</b>: input was not NFC; offsets refer to its NFC form")
    return " · ".join(parts)


def _checks(checks: list[dict[str, Any]]) -> str:
    lines = []
    for c in checks:
        parts = c.get("parts") or []
        ok = bool(c.get("agrees"))
        verdict = "agrees" if ok else '<span class="bad">DISAGREES</span>'
        lines.append(f"<div>check {_esc(c.get('kind'))} ({_esc(c.get('fact_type'))}.{_esc(c.get('slot'))}): "
                     f"total {_esc(c.get('total'))} vs parts {_esc(' + '.join(map(str, parts)))} "
                     f"= {_esc(sum(p for p in parts if isinstance(p, (int, float))))}: {verdict}</div>")
    return f'<div class="checks">{"".join(lines)}</div>' if lines else ""


def render_html(record: dict[str, Any], text: str) -> str:
    """One self-contained HTML page for ``record`` (its ``to_dict()`` form) over ``text``.

    ``text`` is the input the record was extracted from; it is NFC-normalised
    here, as the pipeline does, because offsets refer to the NFC form.
    """
    text = unicodedata.normalize("NFC", text)
    entities = list(record.get("entities") or [])
    facts = list(record.get("facts") or [])
    meta = record.get("meta") or {}
    colours = label_colours(e["label"] for e in entities)
    counts: dict[str, int] = {}
    for e in entities:
        counts[e["label"]] = counts.get(e["label"], 0) + 1
    legend = "".join(f'<span class="l-{_css_label(lab)}" data-label="{_esc(lab)}">{_esc(lab)} {counts[lab]}</span>'
                     for lab in sorted(counts))
    label_css = "".join(f".l-{_css_label(lab)}{{background-color:{c}}}\n" for lab, c in colours.items())
    doc_id = record.get("id")
    title = meta.get("title") or (str(doc_id) if doc_id is not None else "report")
    return (
        "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{_esc(f'vnreport-ie: {title}')}</title>"
        f"<style>{CSS}{label_css}</style></head><body>"
        f"<header><h1>{_esc(title)}</h1>"
        f"<div class=\"meta\"><b>id</b>: {_esc(doc_id)} · {_meta_line(meta)}</div>"
        f"<div class=\"legend\">{legend}</div>"
        f"<div class=\"hint\">{len(facts)} facts, {len(entities)} entities. Click a fact (or focus it and press "
        "Enter) to outline the spans its slots came from and shade its evidence; Esc clears. "
        "Hover a highlighted word for its label and value.</div></header>"
        f"<main><div id=\"text\">{render_text(text, entities, facts, colours)}</div>"
        "<div id=\"facts\"><table><thead><tr><th>#</th><th>type</th><th>slots</th></tr></thead>"
        f"<tbody>{_fact_rows(facts)}</tbody></table>{_checks(list(record.get('checks') or []))}</div></main>"
        f"<script>{SCRIPT}</script></body></html>\n"
    )


def cmd_show(args: argparse.Namespace) -> int:
    from .pipeline import load

    path = Path(args.path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    text = read_text(path)
    record = load(args.model_dir)(text, path.stem)
    page = render_html(record.to_dict(), text)
    if args.output in (None, "-"):
        sys.stdout.write(page)
    else:
        Path(args.output).write_text(page, encoding="utf-8")
        logging.getLogger("vnreport_ie").info("wrote %s (%d facts, %d entities)", args.output, len(record.facts),
                                              len(record.entities))
    return 0


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``show`` on the CLI's sub-command parsers."""
    s = subparsers.add_parser(
        "show", help="write an HTML page to inspect one report's entities and facts",
        description="Run the pipeline on FILE and write one self-contained HTML page (no network): "
                    "the text with entities coloured by label and the facts beside it; clicking a "
                    "fact highlights the spans it came from.")
    s.add_argument("path", metavar="FILE", help="a UTF-8 text report")
    s.add_argument("-o", "--output", metavar="PAGE.html", default=None,
                   help="write the page here (default: stdout)")
    s.add_argument("--model-dir", default=None, help="models to use (default: the packaged ones)")
    s.set_defaults(func=cmd_show)
    return s
