"""The stages as spaCy components: registered factories and a registered
tokenizer, so that

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "vnreport_ie.tokenizer"}}})
    for name in ("vnr_tag", "vnr_relate", "vnr_assemble"):
        nlp.add_pipe(name)
    record = Recorder.load()(nlp(text))

builds the pipeline that :func:`vnreport_ie.load` builds, with the same
records. Each component saves and loads its model files (``to_disk`` /
``from_disk``), so ``nlp.to_disk(path)`` and ``spacy.load(path)`` work too.
The factories are found through the package's ``spacy_factories`` entry
points, or by importing this module.

The tokenizer normalises the text, cuts sentences, lets the scan pick those
worth analysing and segments them; the scan needs the tagger's tally verbs,
so the tokenizer reads the same model directory as the tagger.

For a spaCy pipeline of your own, whatever its tokenizer, one component does
everything: ``nlp.add_pipe("vnreport_ie")`` (:class:`ReportExtractor`). It
extracts ``doc.text`` and puts the record's entities on the doc's own tokens::

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.add_pipe("vnreport_ie")
    doc = nlp(text)
    doc._.vnreport            # the record's JSON, as vnreport_ie.load()(text).to_dict()
    doc.spans["vnreport_ie"]  # every entity of the record, labelled
    doc.ents                  # those that do not overlap, for displaCy
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Optional

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans, registry

from .assemble import Assembler
from .normalise import normalise
from .relate import Relater, load_relation_model
from .resources import default_model_dir
from .scan import FactScan
from .tag import Tagger
from .tokenize import Segmenter, Tokenizer
from .types import Record

# The pipeline's stage names and the factories that make them, in order.
FACTORIES = {"tag": "vnr_tag", "relate": "vnr_relate", "assemble": "vnr_assemble"}
# The one-component form, and where it puts the record and its entities.
FACTORY = "vnreport_ie"
SPANS_KEY = "vnreport_ie"
RECORD_ATTR = "vnreport"
if not Doc.has_extension(RECORD_ATTR):
    Doc.set_extension(RECORD_ATTR, default=None)


def _model_dir(model_dir: Optional[str]) -> Path:
    return Path(model_dir) if model_dir else default_model_dir()


def make_tokenizer(tagger: Tagger, segmenter: Segmenter | None = None, prefilter: bool = True) -> Tokenizer:
    """The tokenizer, with the scan built from ``tagger``'s verbs unless the
    tagger must read every sentence (or ``prefilter`` is off)."""
    scan = FactScan(tagger.activities) if prefilter and tagger.scans else None
    return Tokenizer(segmenter=segmenter, select=scan)


class TextTokenizer:
    """spaCy's side of the tokenizer: ``str -> Doc`` (normalise, then tokenize)."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        return self.tokenizer(normalise(text))

    # (Nothing of its own to save: its scan is rebuilt from the model directory.)
    def to_disk(self, path: Any, *, exclude: Any = ()) -> None:
        """Nothing to write (``nlp.to_disk`` calls it)."""

    def from_disk(self, path: Any, *, exclude: Any = ()) -> "TextTokenizer":
        """Nothing to read (``spacy.load`` calls it)."""
        return self


@registry.tokenizers("vnreport_ie.tokenizer")
def create_tokenizer(model_dir: Optional[str] = None, prefilter: bool = True) -> Callable[[Language], TextTokenizer]:
    """The ``vnreport_ie.tokenizer`` of a spaCy config (for the ``vnr_*`` components)."""
    def create(nlp: Language) -> TextTokenizer:
        return TextTokenizer(make_tokenizer(Tagger.load(_model_dir(model_dir)), prefilter=prefilter))

    return create


@Language.factory("vnr_tag", default_config={"model_dir": None})
def make_tagger(nlp: Language, name: str, model_dir: Optional[str]) -> Tagger:
    """``nlp.add_pipe("vnr_tag")``: the tagger (entities on ``doc._.vnr_entities``)."""
    return Tagger.load(_model_dir(model_dir))


@Language.factory("vnr_relate", default_config={"model_dir": None})
def make_relater(nlp: Language, name: str, model_dir: Optional[str]) -> Relater:
    """``nlp.add_pipe("vnr_relate")``: relations between the entities (``doc._.vnr_relations``)."""
    return Relater(load_relation_model(_model_dir(model_dir)))


@Language.factory("vnr_assemble")
def make_assembler(nlp: Language, name: str) -> Assembler:
    """``nlp.add_pipe("vnr_assemble")``: facts from entities and relations (``doc._.vnr_facts``)."""
    return Assembler()


class ReportExtractor:
    """The whole extractor as one spaCy component, after any tokenizer.

    It extracts ``doc.text`` with a :class:`vnreport_ie.Pipeline` and sets:

    - ``doc._.vnreport``: the record in the schema's JSON form (a dict, so the
      doc still serialises: ``doc.to_bytes()``, ``DocBin``, ``nlp.pipe(n_process=2)``);
      ``Record.from_dict(doc._.vnreport)`` gives the frozen
      :class:`~vnreport_ie.types.Record`;
    - ``doc.spans[spans_key]`` (default ``"vnreport_ie"``): every entity of
      the record, labelled, overlapping ones included;
    - ``doc.ents``: the longest of those that do not overlap, plus the
      entities already there that overlap none of them (so displaCy shows them).

    The record's offsets are on the text; a span covers the doc's tokens that
    the characters touch (``alignment_mode="expand"``), so a tokenizer that
    cuts words differently (pyvi, syllables, whitespace) gets the same spans
    up to token boundaries. The record's id and publication date come from
    ``doc.user_data["id"]`` and ``doc.user_data["published"]`` when set
    (``nlp.pipe(texts, as_tuples=True)`` does not set them; set them on a
    ``nlp.make_doc(text)`` before calling the component).
    """

    def __init__(self, pipeline: Any, spans_key: str = SPANS_KEY) -> None:
        self.pipeline = pipeline
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        record: Record = self.pipeline(doc.text, doc.user_data.get("id"), doc.user_data.get("published"))
        doc._.set(RECORD_ATTR, record.to_dict())
        where = _nfc_to_text(doc.text)
        spans = []
        for e in record.entities:
            start, end = (e.start, e.end) if where is None else (where[e.start], where[e.end])
            span = doc.char_span(start, end, label=e.label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[self.spans_key] = spans
        ours = filter_spans(spans)
        others = [s for s in doc.ents if not any(s.start < o.end and o.start < s.end for o in ours)]
        doc.ents = sorted(ours + others, key=lambda s: s.start)
        return doc

    def pipe(self, docs: Any, batch_size: int = 32) -> Any:
        """Each doc in turn (spaCy calls this from ``nlp.pipe``)."""
        for doc in docs:
            yield self(doc)


def _nfc_to_text(text: str) -> list[int] | None:
    """Where each offset of the NFC form falls in ``text`` (None when ``text``
    is NFC already). Record offsets refer to the NFC text (normalise.py); a
    spaCy doc keeps the text as given. A character with its combining marks
    composes on its own, so the text is normalised cluster by cluster."""
    import unicodedata

    if unicodedata.is_normalized("NFC", text):
        return None
    where: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        where.extend([i] * len(unicodedata.normalize("NFC", text[i:j])))
        i = j
    where.append(len(text))
    return where


@Language.factory(FACTORY, default_config={"model_dir": None, "keep_all": False, "prefilter": True,
                                           "spans_key": SPANS_KEY})
def make_report_extractor(nlp: Language, name: str, model_dir: Optional[str], keep_all: bool, prefilter: bool,
                          spans_key: str) -> ReportExtractor:
    """``nlp.add_pipe("vnreport_ie", config={...})``: see :class:`ReportExtractor`.
    ``keep_all`` and ``prefilter`` are those of :func:`vnreport_ie.load`."""
    from .pipeline import Pipeline

    return ReportExtractor(Pipeline(_model_dir(model_dir), keep_all=keep_all, prefilter=prefilter), spans_key)
