"""The README's Python example and the package docstring run as written."""

from __future__ import annotations

import contextlib
import doctest
import io
import re

import vnreport_ie

from .conftest import ROOT


def test_readme_python_example_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", readme, re.S).group(1)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "README.md", "exec"), {})
    printed = out.getvalue()
    assert "training Cao cấp Lý luận chính trị 2 111" in printed
    assert "from: 111 học viên" in printed
    assert "Trường Chính trị tỉnh" in printed


def test_package_docstring():
    result = doctest.testmod(vnreport_ie)
    assert result.attempted >= 2 and result.failed == 0
