"""The scan's contract: records are the same whether the sentences it skips
are analysed or not (``load()`` vs ``load(prefilter=False)``), byte for byte."""

from __future__ import annotations

import gzip
import json
import random
from itertools import islice

import pytest

from vnreport_ie.corpus import split_of
from vnreport_ie.tokenize import sentences

from .conftest import ROOT, SEED_ID, news_or_skip


def _json(record) -> str:
    return json.dumps(record.to_dict(), ensure_ascii=False, sort_keys=True)


def _test_split() -> list[tuple[str, str]]:
    docs = [json.loads(line) for line in (ROOT / "corpus" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    return [(d["id"], d["text"]) for d in docs if split_of(d["id"]) == "test"]


def test_same_records_on_the_test_split_and_the_seed(pipe, full_pipe, seed_text):
    items = _test_split() + [(SEED_ID, seed_text)]
    assert len(items) >= 45  # the team test split grows with the corpus
    differ = [i for i, text in items if _json(pipe(text, i)) != _json(full_pipe(text, i))]
    assert differ == []


def test_same_records_on_news(pipe, full_pipe):
    with gzip.open(news_or_skip(), "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in islice(f, 120)]
    differ = [r["id"] for r in rows if _json(pipe(r["text"], str(r["id"]))) != _json(full_pipe(r["text"], str(r["id"])))]
    assert differ == []


def test_same_records_on_shuffled_reports(pipe, full_pipe):
    # Sentences of different reports and orders put facts next to strangers,
    # at paragraph edges and in the lead.
    rng = random.Random(7)
    pool = []
    for _id, text in _test_split()[:20]:
        pool += [text[a:b] for a, b, _p in sentences(text)]
    for _ in range(12):
        parts = rng.sample(pool, 14)
        text = "".join(p + rng.choice([" ", "\n", ". ", "\n- ", ":\n"]) for p in parts)
        assert _json(pipe(text, "mix")) == _json(full_pipe(text, "mix")), text


def test_a_sentence_without_a_fact_is_skipped(pipe):
    # (A sentence before a course in its paragraph may name the organiser: this one is a paragraph apart.)
    text = ("Trời hôm nay đẹp và mọi người vui vẻ.\n"
            "Trường Chính trị tỉnh đã mở 2 lớp Cao cấp lý luận chính trị với 111 học viên.")
    doc = pipe.doc(text)
    assert doc._.vnr_skipped == ((0, 37),)
    assert text[0:37] == "Trời hôm nay đẹp và mọi người vui vẻ."
    record = pipe(text)
    (fact,) = [f for f in record.facts if f.type == "training"]
    assert (fact.get("classes"), fact.get("participants")) == (2, 111)
    assert fact.get("organizer") == "Trường Chính trị tỉnh"


def test_every_sentence_is_analysed_without_the_scan(full_pipe):
    doc = full_pipe.doc("Trời hôm nay đẹp. Mọi người vui vẻ.")
    assert doc._.vnr_skipped == ()
    assert [t.text for t in doc][:3] == ["Trời", "hôm nay", "đẹp"]


def test_a_full_phrase_model_turns_the_scan_off():
    import vnreport_ie
    from vnreport_ie.tag import Tagger, load_activities
    from vnreport_ie.tag_model import PhraseModel

    base = vnreport_ie.load()
    model = base.get("tag").phrase_model
    full = vnreport_ie.Pipeline(tagger=Tagger(load_activities(base.model_dir / "lexicon.json"),
                                              PhraseModel(model.weights, "full")))
    assert not full.prefilter and full.tokenizer.select is None
    assert base.prefilter and base.tokenizer.select is not None


@pytest.mark.parametrize("text", ["", "   \n\n  ", "12", "Hội nghị", "x" * 7000])
def test_edge_texts(pipe, full_pipe, text):
    assert _json(pipe(text, "e")) == _json(full_pipe(text, "e"))


def test_the_scan_is_compiled_from_the_rule_registry(pipe):
    from vnreport_ie.tag import RULES

    gates = pipe.tokenizer.select.gates
    assert set(gates.meeting) == set(RULES["meeting_named"].triggers)
    assert set(gates.course_word) == set(RULES["course_named"].triggers) | set(RULES["course_held"].triggers)
    for rule in RULES.values():
        assert rule.triggers == tuple(sorted(set(rule.triggers))) and all(t == t.lower() for t in rule.triggers)
        if rule.pattern is not None and rule.triggers and rule.name != "count":
            # Every match starts with a trigger: what lets the scan look for the triggers alone.
            text = " ".join(f"Xin {t} ABC số 12-NQ/TW 5 năm" for t in rule.triggers)
            for m in rule.pattern.finditer(text):
                assert any(m.group().lower().startswith(t) for t in rule.triggers), (rule.name, m.group())
