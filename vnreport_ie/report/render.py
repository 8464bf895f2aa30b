"""The report page, and the inspector pages it links to.

One self-contained HTML file (inline CSS and SVG, no script, nothing fetched),
rendered from ``templates/report.html.j2``. Each document a table row names is
linked to, in this order of preference:

1. an inspector page (the one ``vnreport-ie show`` writes) in the folder
   ``<report name>_docs/`` beside the report, when the text is known (the
   batch's input was passed with ``--input``); the pages are named by their
   rank (``doc-00001.html``), never by document id;
2. the article's ``url`` from the input, when there is one;
3. no link: the id is shown as text.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jinja2

from .. import __version__
from ..show import render_html
from .archive import Archive
from .charts import Chart, build_charts

TEMPLATES = Path(__file__).with_name("templates")
# Bar colours, one per chart, readable on white and in greyscale screenshots.
COLOURS = ("#4a7be0", "#2f9e73", "#d9822b", "#8e5cc4", "#c2415d")


def environment() -> jinja2.Environment:
    """The Jinja2 environment of the templates shipped with the package; HTML is autoescaped."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render_report(archive: Archive, links: dict[str, str] | None = None, *, title: str = "vnreport-ie archive report",
                  charts: list[Chart] | None = None, top: int = 20) -> str:
    """The report page over ``archive``. ``links``: ``{doc id: href}`` (see the module docstring)."""
    charts = charts if charts is not None else build_charts(archive, top)
    summary = archive.summary or {}
    facts_by_type: dict[str, int] = {}
    for r in archive.records:
        for f in r.get("facts") or ():
            facts_by_type[f.get("type", "?")] = facts_by_type.get(f.get("type", "?"), 0) + 1
    totals = {"articles": len(archive.rows), "records": len(archive.records),
              "errors": len(archive.rows) - len(archive.records), "facts": sum(facts_by_type.values())}
    return environment().get_template("report.html.j2").render(
        title=title, charts=charts, colours=COLOURS, links=links or {}, totals=totals,
        facts_by_type=facts_by_type, errors_by_reason=summary.get("errors_by_reason") or {},
        version=__version__, generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))


def linked_docs(charts: list[Chart]) -> list[str]:
    """The doc ids the charts' tables link to, in order of first appearance."""
    seen: dict[str, None] = {}
    for chart in charts:
        for row in chart.rows:
            seen.update(dict.fromkeys(row.docs))
    return list(seen)


def write_report(archive: Archive, output: str | Path, *, title: str = "vnreport-ie archive report",
                 top: int = 20) -> dict[str, Any]:
    """Write the report to ``output`` and the inspector pages of the documents
    it links to beside it; return what was written."""
    out = Path(output)
    charts = build_charts(archive, top)
    links: dict[str, str] = {}
    pages = 0
    folder = out.with_name(f"{out.stem}_docs")
    by_id = {r["id"]: r for r in archive.records}
    for doc_id in linked_docs(charts):
        text, record = archive.texts.get(doc_id), by_id.get(doc_id)
        if text is not None and record is not None:
            pages += 1
            folder.mkdir(parents=True, exist_ok=True)
            name = f"doc-{pages:05d}.html"
            (folder / name).write_text(render_html(record, text), encoding="utf-8")
            links[doc_id] = f"{folder.name}/{name}"
        elif isinstance(url := archive.extra.get(doc_id, {}).get("url"), str) and url.startswith(("http://", "https://")):
            links[doc_id] = url
    out.write_text(render_report(archive, links, title=title, charts=charts), encoding="utf-8")
    return {"report": str(out), "inspector_pages": pages, "inspector_dir": str(folder) if pages else None,
            "charts": {c.id: len(c.rows) for c in charts}}
