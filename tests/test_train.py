"""The packaged models are reproducible from corpus/ with one command."""

from __future__ import annotations

import json

from vnreport_ie.train import train

from .conftest import ROOT


def test_training_reproduces_the_packaged_model(tmp_path):
    meta = train(ROOT / "corpus", tmp_path, seed=0, log=lambda *_: None)
    fresh = json.loads((tmp_path / "relations.json").read_text(encoding="utf-8"))
    packaged = json.loads((ROOT / "models" / "relations.json").read_text(encoding="utf-8"))
    assert fresh["weights"] == packaged["weights"] and fresh["bias"] == packaged["bias"]
    assert (tmp_path / "lexicon.json").read_text(encoding="utf-8") == \
        (ROOT / "models" / "lexicon.json").read_text(encoding="utf-8")
    assert meta["dev"]["f1"] >= 0.85
