"""The package docstring runs, and the README's command lines parse (tests/test_readme.py runs
every README block)."""

from __future__ import annotations

import doctest
import re

import vnreport_ie

from .conftest import ROOT


def test_package_docstring():
    result = doctest.testmod(vnreport_ie)
    assert result.attempted >= 2 and result.failed == 0


def test_readme_command_lines_parse_and_activate_the_venv():
    """Every `vnreport-ie` line of the README's sh blocks is a valid command
    line, and the README says to activate .venv before them."""
    import shlex

    from vnreport_ie.cli import build_parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ". .venv/bin/activate" in readme
    lines = [line for block in re.findall(r"```sh\n(.*?)```", readme, re.S) for line in block.splitlines()]
    commands = [part.strip() for line in lines for part in re.split(r"&&|\|", line.split("#")[0])
                if part.strip().startswith("vnreport-ie ")]
    assert len(commands) >= 10
    parser = build_parser()
    for command in commands:
        parser.parse_args(shlex.split(command)[1:])  # exits (SystemExit) on a bad option
