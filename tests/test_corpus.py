"""The annotated corpus: valid, reproducible from its sources, split by document."""

from __future__ import annotations

import json

from vnreport_ie.corpus import build, check_document, load_dataset_dict, load_jsonl, split_of

from .conftest import ROOT, SEED_ID


def test_corpus_and_seed_pass_the_checker():
    for path in (ROOT / "corpus" / "corpus.jsonl", ROOT / "seeds" / "gold.jsonl"):
        for d in load_jsonl(path):
            assert check_document(d) == [], d["id"]


def test_built_corpus_is_reproducible_from_sources():
    built = build([ROOT / "corpus" / "src"])
    stored = load_jsonl(ROOT / "corpus" / "corpus.jsonl")
    assert json.dumps(built, ensure_ascii=False, sort_keys=True) == json.dumps(stored, ensure_ascii=False, sort_keys=True)


def test_size_and_splits():
    docs = load_jsonl(ROOT / "corpus" / "corpus.jsonl")
    assert len(docs) >= 150
    splits = {s: [d for d in docs if d["split"] == s] for s in ("train", "dev", "test")}
    assert len(splits["test"]) + 1 >= 35  # plus the seed
    assert split_of(SEED_ID) == "test"
    assert all(d["split"] == split_of(d["id"]) for d in docs)
    provinces = {d["meta"].get("location") for d in docs}
    assert len(provinces) >= 30


def test_checker_catches_an_unannotated_number():
    d = load_jsonl(ROOT / "seeds" / "gold.jsonl")[0]
    d = dict(d, text=d["text"] + "\nCó 77 cán bộ.", not_facts=[])
    assert any("'77'" in p for p in check_document(d))


def test_loads_as_a_datasetdict():
    dd = load_dataset_dict(ROOT / "corpus")
    assert set(dd) == {"train", "dev", "test"}
    row = dd["train"][0]
    fact = json.loads(row["facts"][0])
    assert "type" in fact and row["text"][row["entities"][0]["start"]:row["entities"][0]["end"]] == row["entities"][0]["text"]
