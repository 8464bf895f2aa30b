"""The stages as spaCy components: the same pipeline from ``spacy.blank`` and
``add_pipe``, saved and loaded with spaCy, and shipped whole to worker processes."""

from __future__ import annotations

import json

import pytest
import spacy

import vnreport_ie
from vnreport_ie import components  # noqa: F401  (registers the factories without the entry points)
from vnreport_ie.record import Recorder
from vnreport_ie.relate import RelationModel
from vnreport_ie.tag import Tagger

TEXTS = [
    "Trường Chính trị tỉnh đã mở 2 lớp Trung cấp Lý luận chính trị (111 học viên).",
    "Trời hôm nay đẹp.\nBan Tuyên giáo Tỉnh ủy tổ chức Hội nghị trực tuyến với 300 đại biểu tham dự.",
    "Năm 2021, Đảng bộ tỉnh kết nạp 1.250 đảng viên mới; ban hành Nghị quyết số 12-NQ/TU ngày 5/3/2021 về phát triển du lịch.",
]


def _json(record) -> str:
    return json.dumps(record.to_dict(), ensure_ascii=False, sort_keys=True)


def _blank():
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "vnreport_ie.tokenizer"}}})
    for name in components.FACTORIES.values():
        nlp.add_pipe(name)
    return nlp


def test_spacy_blank_with_the_factories_is_the_same_pipeline(pipe):
    nlp = _blank()
    assert nlp.pipe_names == ["vnr_tag", "vnr_relate", "vnr_assemble"]
    record = Recorder.load()
    for i, text in enumerate(TEXTS):
        assert _json(record(nlp(text), str(i))) == _json(pipe(text, str(i)))
    assert pipe.pipe_names == list(components.FACTORIES)
    assert isinstance(pipe.get("tag"), Tagger)


def test_doc_extensions_are_namespaced(pipe):
    from spacy.tokens import Doc

    doc = pipe.doc(TEXTS[0])
    assert doc._.vnr_entities and doc._.vnr_facts and doc._.vnr_source_text == TEXTS[0]
    assert not any(Doc.has_extension(n) for n in ("entities", "relations", "facts", "meta", "work"))


def test_spacy_to_disk_and_load(tmp_path, pipe):
    _blank().to_disk(tmp_path / "nlp")
    assert (tmp_path / "nlp" / "vnr_relate" / "relations.json").exists()
    nlp = spacy.load(tmp_path / "nlp")
    for i, text in enumerate(TEXTS):
        assert _json(Recorder.load()(nlp(text), str(i))) == _json(pipe(text, str(i)))


def test_a_component_saved_and_loaded_reads_the_same(tmp_path, pipe):
    pipe.get("tag").to_disk(tmp_path / "tag")
    tagger = Tagger([]).from_disk(tmp_path / "tag")
    assert tagger.activities == pipe.get("tag").activities
    custom = vnreport_ie.Pipeline(tagger=tagger)
    assert [_json(custom(t)) for t in TEXTS] == [_json(pipe(t)) for t in TEXTS]


def plain_words(sentence: str) -> list[str]:
    """A segmenter that splits on spaces (module level: workers unpickle it)."""
    return sentence.split()


def test_workers_get_the_configured_pipeline(pipe):
    model = pipe.get("relate").model
    # A relation model that relates nothing: no course or meeting makes a fact.
    silent = RelationModel(model.weights, model.bias, threshold=2.0, meta=model.meta)
    custom = vnreport_ie.Pipeline(relation_model=silent, segmenter=plain_words)
    one = [_json(r) for r in custom.pipe(TEXTS * 2, n_process=1)]
    two = [_json(r) for r in custom.pipe(TEXTS * 2, n_process=2, batch_size=1)]
    assert two == one
    # (A single meeting told held needs no relation: only facts built from relations are gone.)
    related = ("classes", "participants", "count", "connection_points", "papers")
    assert not [f for r in two for f in json.loads(r)["facts"]
                if f["type"] in ("training", "meeting") and any(f.get(k) is not None for k in related)]
    assert any(f["type"] == "training" for f in pipe(TEXTS[0]).to_dict()["facts"])


# --- the one-component form: nlp.add_pipe("vnreport_ie") after any tokenizer ---

def _corpus_texts(n: int = 4) -> list[tuple[str, str]]:
    from vnreport_ie.corpus import load_jsonl

    from .conftest import ROOT

    docs = [d for d in load_jsonl(ROOT / "corpus" / "corpus.jsonl") if d["split"] == "dev"]
    return [(d["id"], d["text"]) for d in docs[:n]]


def _one_component(tokenizer: dict | None = None):
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": tokenizer}} if tokenizer else {})
    nlp.add_pipe(components.FACTORY)
    return nlp


def test_the_factory_is_registered_as_vnreport_ie():
    # Found through spaCy's registry once the module is imported (an install
    # also declares it as a spacy_factories entry point: tests/test_install.py).
    assert spacy.registry.factories.get("vnreport_ie") is components.make_report_extractor
    assert components.SPANS_KEY == "vnreport_ie"


def _check_doc(doc, expected) -> None:
    from vnreport_ie.types import Record

    assert json.dumps(doc._.vnreport, ensure_ascii=False, sort_keys=True) == _json(expected)
    assert Record.from_dict(doc._.vnreport) == expected
    spans = doc.spans[components.SPANS_KEY]
    assert [s.label_ for s in spans] == [e.label for e in expected.entities]
    for span, entity in zip(spans, expected.entities):
        # Each span covers its entity's characters, widened to the doc's tokens.
        assert span.start_char <= entity.start and entity.end <= span.end_char, (span, entity)
        assert entity.text in span.text
    ents = list(doc.ents)
    assert ents and all(a.end <= b.start for a, b in zip(ents, ents[1:]))
    assert {(e.start, e.end) for e in ents} <= {(s.start, s.end) for s in spans}


def test_one_component_after_spacy_s_syllable_tokenizer_gives_the_records_of_load(pipe, seed_text):
    from .conftest import SEED_ID

    nlp = _one_component({"use_pyvi": False})
    assert nlp.pipe_names == ["vnreport_ie"]
    for doc_id, text in [(SEED_ID, seed_text), *_corpus_texts()]:
        doc = nlp.make_doc(text)
        doc.user_data["id"] = doc_id
        doc = nlp.get_pipe("vnreport_ie")(doc)
        _check_doc(doc, pipe(text, doc_id))
    # nlp(text) directly: the record has no id, as pipe(text) gives.
    doc = nlp(TEXTS[0])
    _check_doc(doc, pipe(TEXTS[0]))
    assert [(s.label_, s.text) for s in doc.spans["vnreport_ie"]][:2] == [("ORG", "Trường Chính trị tỉnh"),
                                                                         ("COUNT", "2 lớp")]
    assert doc.spans["vnreport_ie"][3].text == "(111 học viên)."  # whole tokens: "(111", "học", "viên)."


def test_one_component_after_pyvi(pipe, seed_text):
    pytest.importorskip("pyvi", reason="pyvi is not installed (pip install pyvi; part of the test extra)")
    nlp = _one_component()  # spaCy's default Vietnamese tokenizer: pyvi's word segmentation
    assert nlp.tokenizer.use_pyvi
    for text in [seed_text, *(t for _, t in _corpus_texts(2))]:
        _check_doc(nlp(text), pipe(text))


def test_displacy_renders_the_entities(pipe):
    from spacy import displacy

    doc = _one_component({"use_pyvi": False})(TEXTS[2])
    html = displacy.render(doc, style="ent")
    assert "DOC" in html and "Nghị quyết số 12-NQ/TU" in html
    assert "COUNT" in html and "1.250 đảng viên" in html
    span_html = displacy.render(doc, style="span", options={"spans_key": "vnreport_ie"})
    assert "DOC" in span_html


def test_one_component_maps_offsets_of_a_text_not_in_nfc(pipe):
    import unicodedata

    nfd = unicodedata.normalize("NFD", TEXTS[0])
    assert nfd != TEXTS[0]
    doc = _one_component({"use_pyvi": False})(nfd)
    assert doc._.vnreport["meta"]["normalized"] is True
    spans = doc.spans["vnreport_ie"]
    assert [unicodedata.normalize("NFC", s.text) for s in spans][:2] == ["Trường Chính trị tỉnh", "2 lớp"]


def test_one_component_options(pipe):
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.add_pipe("vnreport_ie", config={"keep_all": True, "spans_key": "facts"})
    doc = nlp(TEXTS[1])
    assert "facts" in doc.spans and "vnreport_ie" not in doc.spans
    assert doc._.vnreport == vnreport_ie.load(keep_all=True)(TEXTS[1]).to_dict()


def test_pipe_shows_progress_on_stderr_when_asked(pipe, capsys):
    quiet = [_json(r) for r in pipe.pipe(TEXTS)]
    assert capsys.readouterr().err == ""
    shown = [_json(r) for r in pipe.pipe(TEXTS, progress=True)]
    err = capsys.readouterr().err
    assert shown == quiet
    assert "vnreport_ie" in err and f"{len(TEXTS)}/{len(TEXTS)}" in err


def test_docs_of_the_one_component_serialise_and_go_through_worker_processes(pipe):
    from spacy.tokens import DocBin

    nlp = _one_component({"use_pyvi": False})
    # (Through msgpack, spaCy's serialisation, JSON arrays come back as tuples: compare as JSON.)
    one = [json.dumps(doc._.vnreport, ensure_ascii=False) for doc in nlp.pipe(TEXTS)]
    two = [json.dumps(doc._.vnreport, ensure_ascii=False) for doc in nlp.pipe(TEXTS, n_process=2, batch_size=1)]
    assert two == one == [json.dumps(pipe(t).to_dict(), ensure_ascii=False) for t in TEXTS]
    docs = DocBin(store_user_data=True, docs=nlp.pipe(TEXTS))
    back = list(DocBin().from_bytes(docs.to_bytes()).get_docs(nlp.vocab))
    assert [json.dumps(d._.vnreport, ensure_ascii=False) for d in back] == one
    assert [[(s.label_, s.start, s.end) for s in d.spans["vnreport_ie"]] for d in back] == \
        [[(s.label_, s.start, s.end) for s in d.spans["vnreport_ie"]] for d in nlp.pipe(TEXTS)]
