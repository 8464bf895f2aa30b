"""A plain (non-editable) ``pip install .`` imports and loads its models from
any working directory, the repository root included (where the source tree,
which has no ``vnreport_ie/models``, comes first on ``sys.path``)."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from .conftest import ROOT

CHECK = """
import json, spacy
# First, before importing vnreport_ie: spaCy finds the component by its entry point.
nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
nlp.add_pipe("vnreport_ie")
text = "Trường Chính trị tỉnh đã mở 2 lớp Trung cấp Lý luận chính trị (111 học viên)."
assert [f["type"] for f in nlp(text)._.vnreport["facts"]] == ["training"]
import vnreport_ie
record = vnreport_ie.load()(text)
print(json.dumps([vnreport_ie.__file__, [f.type for f in record.facts]]))
"""


@pytest.mark.slow
def test_a_plain_install_loads_its_models_from_any_directory(tmp_path):
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # The dependencies come from the test's own environment, as a plain path:
    # its .pth files (an editable install of this package) are not read.
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile",
                    "--target", site, str(ROOT)], check=True, capture_output=True, cwd=tmp_path)
    for cwd in (ROOT, tmp_path):
        done = subprocess.run([str(python), "-c", CHECK], capture_output=True, text=True, cwd=cwd)
        assert done.returncode == 0, done.stderr
        where, facts = json.loads(done.stdout.strip().splitlines()[-1])
        assert facts == ["training"]
        # (From the root the source tree is imported; elsewhere the installed package.)
        assert where.startswith(str(ROOT) if cwd == ROOT else site), where
