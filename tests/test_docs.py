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


# The public API: the names these packages export, and the user-facing modules' own names.
PUBLIC_PACKAGES = ("vnreport_ie", "vnreport_ie.pipeline", "vnreport_ie.batch", "vnreport_ie.report",
                   "vnreport_ie.schema", "vnreport_ie.tag", "vnreport_ie.assemble")
PUBLIC_MODULES = ("vnreport_ie.types", "vnreport_ie.components", "vnreport_ie.frames", "vnreport_ie.spark",
                  "vnreport_ie.record")


def _public_names():
    import importlib
    import inspect

    for name in PUBLIC_PACKAGES:
        module = importlib.import_module(name)
        for attr in module.__all__:
            if not attr.startswith("__"):
                yield f"{name}.{attr}", getattr(module, attr)
    for name in PUBLIC_MODULES:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if (not attr.startswith("_") and getattr(value, "__module__", None) == name
                    and (inspect.isfunction(value) or inspect.isclass(value))):
                yield f"{name}.{attr}", value


def _missing_docstrings() -> list[str]:
    import inspect

    missing = []
    for qualname, obj in _public_names():
        if not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        doc = obj.__doc__ or ""
        # (A dataclass without a docstring gets its signature as one: that teaches nothing.)
        if not doc.strip() or (inspect.isclass(obj) and doc.startswith(obj.__name__ + "(")):
            missing.append(qualname)
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                func = member.__func__ if isinstance(member, (classmethod, staticmethod)) else member
                if not attr.startswith("_") and (inspect.isfunction(func) or isinstance(func, property)) \
                        and not (func.__doc__ or "").strip():
                    missing.append(f"{qualname}.{attr}")
    return missing


def test_every_public_name_has_a_docstring():
    assert len(list(_public_names())) > 80
    assert _missing_docstrings() == []


def test_help_on_the_value_types_teaches():
    import pydoc

    import vnreport_ie.types

    page = pydoc.render_doc(vnreport_ie.Record, renderer=pydoc.plaintext)
    for words in ("schema_version", "meta", "facts", "entities", "relations", "checks", "to_dict", "NFC"):
        assert words in page, words
    fact = pydoc.render_doc(vnreport_ie.Fact, renderer=pydoc.plaintext)
    assert "evidence" in fact and "confidence" in fact and "fact.get(" in fact
    result = doctest.testmod(vnreport_ie.types)
    assert result.attempted >= 5 and result.failed == 0
