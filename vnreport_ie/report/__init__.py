"""An archive report: ``vnreport-ie report OUTDIR -o report.html``.

One self-contained page with charts of what a batch-extracted archive says:
facts per month, trainees by course type and by province, meetings by kind
and mode, the most cited documents; every chart beside its table, every table
row linking the articles behind it.

Modules: ``archive`` (read the batch output and, optionally, its input),
``charts`` (the numbers, from :func:`vnreport_ie.to_frames`), ``render``
(the Jinja2 template ``templates/report.html.j2`` and the inspector pages),
``cli`` (the sub-command).
"""

from __future__ import annotations

from .archive import Archive, read_archive
from .charts import Chart, Row, build_charts
from .cli import cmd_report, register
from .render import render_report, write_report

__all__ = ["Archive", "Chart", "Row", "read_archive", "build_charts", "render_report", "write_report",
           "register", "cmd_report"]
