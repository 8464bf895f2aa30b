"""The packaged models are reproducible from corpus/ with one command."""

from __future__ import annotations

import json

from vnreport_ie.train import train

from .conftest import ROOT


def test_training_reproduces_the_packaged_model(tmp_path):
    packaged_meta = json.loads((ROOT / "models" / "relations.json").read_text(encoding="utf-8"))["meta"]
    # Only the kept tagger combination is retrained, to keep the suite quick;
    # `make models` compares all of them.
    meta = train(ROOT / "corpus", tmp_path, seed=0, modes=(packaged_meta["tagger"],), log=lambda *_: None)
    assert (tmp_path / "phrases.json").read_text(encoding="utf-8") == \
        (ROOT / "models" / "phrases.json").read_text(encoding="utf-8")
    fresh = json.loads((tmp_path / "relations.json").read_text(encoding="utf-8"))
    packaged = json.loads((ROOT / "models" / "relations.json").read_text(encoding="utf-8"))
    assert fresh["weights"] == packaged["weights"] and fresh["bias"] == packaged["bias"]
    assert (tmp_path / "lexicon.json").read_text(encoding="utf-8") == \
        (ROOT / "models" / "lexicon.json").read_text(encoding="utf-8")
    assert meta["dev"]["f1"] >= 0.85
