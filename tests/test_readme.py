"""Every fenced block of README.md runs as written, in order, on a copy of the
checkout set up as ``make demo`` leaves it (``.venv``, and ``../shared``
beside it). A block is skipped only when the line before it says
``<!-- readme-test: skip (REASON) -->`` with one of the REASONS below."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT, SHARED

FENCE = re.compile(r"^(?P<marker><!-- readme-test: skip \((?P<reason>[^)]*)\) -->\n)?```(?P<lang>\w*)\n(?P<body>.*?)^```$",
                   re.S | re.M)
# Reasons a block may be left out (each must start one of these).
REASONS = ("the set-up itself", "needs Java and Spark", "needs the network", "retrains the models",
           "benchmarks")


def blocks(readme: str) -> list[tuple[str, str, str | None]]:
    """(language, body, skip reason) of every fenced block, in order."""
    return [(m["lang"], m["body"], m["reason"]) for m in FENCE.finditer(readme)]


def test_every_block_is_sh_or_python_and_every_skip_gives_an_accepted_reason():
    found = blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(found) >= 12
    assert {lang for lang, _, _ in found} <= {"sh", "python"}, "mark each block sh or python"
    skipped = [reason for _, _, reason in found if reason]
    assert all(reason.startswith(REASONS) for reason in skipped), skipped
    assert len(skipped) <= 4
    # Every fence opened is closed: the regex saw every ``` line.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert sum(1 for line in readme.splitlines() if line.startswith("```")) == 2 * len(found)


def _checkout_copy(tmp: Path) -> Path:
    """The files of the checkout (tracked and new, not ignored), as a clone
    has them, with ``.venv`` (this interpreter's) and ``../shared`` beside."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\0")
    copy = tmp / "checkout"
    for name in filter(None, listed):
        src = ROOT / name
        if src.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, copy / name)
    (copy / ".venv").symlink_to(Path(sys.prefix))
    (tmp / "shared").symlink_to(SHARED.resolve())
    return copy


@pytest.mark.slow
def test_readme_blocks_run_as_written(tmp_path, monkeypatch):
    if not (SHARED / "data" / "dantri-news-2020.jsonl.gz").exists():
        pytest.skip(f"the shared archive is not at {SHARED} (the README's corpus and archive need it)")
    if not (Path(sys.prefix) / "bin" / "activate").exists() or not (ROOT / ".git").exists():
        pytest.skip("needs a virtual environment (as `make test` makes) and a git checkout")
    copy = _checkout_copy(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONHOME")}
    env["PYTHONPATH"] = str(copy)  # the copy's code, not the one the editable install points at
    env["VNREPORT_SHARED"] = str(tmp_path / "shared")
    # The shell the README asks for: `. .venv/bin/activate` once, then every block.
    env["VIRTUAL_ENV"] = str(copy / ".venv")
    env["PATH"] = f"{copy / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    monkeypatch.chdir(copy)
    monkeypatch.setenv("VNREPORT_SHARED", env["VNREPORT_SHARED"])
    namespace: dict = {"__name__": "__main__"}
    printed, shell_out, skipped, took = io.StringIO(), [], [], []
    for i, (lang, body, reason) in enumerate(blocks((copy / "README.md").read_text(encoding="utf-8"))):
        if reason:
            skipped.append((i, reason))
            continue
        start = time.perf_counter()
        if lang == "sh":
            done = subprocess.run(["bash", "-e", "-c", body], cwd=copy, env=env, capture_output=True, text=True,
                                  timeout=600, stdin=subprocess.DEVNULL)
            assert done.returncode == 0, f"README block {i} failed ({done.returncode}):\n{body}\n{done.stderr[-3000:]}"
            assert "Traceback" not in done.stderr, f"README block {i}:\n{done.stderr[-3000:]}"
            shell_out.append(done.stdout)
        else:
            with contextlib.redirect_stdout(printed):
                exec(compile(body, f"README.md block {i}", "exec"), namespace)
        took.append((i, lang, round(time.perf_counter() - start, 1)))
    print("left out:", skipped)
    print("seconds per block:", took)
    out, sh = printed.getvalue(), "\n".join(shell_out)
    # What the blocks print is what the README says they print.
    assert "training Cao cấp Lý luận chính trị 2 111" in out and "from: 111 học viên" in out
    assert "[('DATE', '18/5/2021')]" in out
    assert "tally 1250" in out and "('COUNT', '1.250 đảng viên')" in out
    assert "['training']" in out
    assert "dtype: Int64" in out and "trung_cap_llct" in out and "hoi_nghi" in out
    assert "training" in sh and "participants" in sh  # extract --table
    # Files the blocks write, in the copy.
    for name in ("facts.jsonl", "seed.jsonl", "news.jsonl", "news.jsonl.gz", "report.html",
                 "out/summary.json", "archive/summary.json"):
        assert (copy / name).exists(), name
    assert not (ROOT / "archive").exists() and not (ROOT / "news.jsonl.gz").exists()
    assert len(skipped) == 4
