"""The stages as spaCy components: the same pipeline from ``spacy.blank`` and
``add_pipe``, saved and loaded with spaCy, and shipped whole to worker processes."""

from __future__ import annotations

import json

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
