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
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Optional

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from .assemble import Assembler
from .normalise import normalise
from .relate import Relater, load_relation_model
from .resources import default_model_dir
from .scan import FactScan
from .tag import Tagger
from .tokenize import Segmenter, Tokenizer

# The pipeline's stage names and the factories that make them, in order.
FACTORIES = {"tag": "vnr_tag", "relate": "vnr_relate", "assemble": "vnr_assemble"}


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
        pass

    def from_disk(self, path: Any, *, exclude: Any = ()) -> "TextTokenizer":
        return self


@registry.tokenizers("vnreport_ie.tokenizer")
def create_tokenizer(model_dir: Optional[str] = None, prefilter: bool = True) -> Callable[[Language], TextTokenizer]:
    def create(nlp: Language) -> TextTokenizer:
        return TextTokenizer(make_tokenizer(Tagger.load(_model_dir(model_dir)), prefilter=prefilter))

    return create


@Language.factory("vnr_tag", default_config={"model_dir": None})
def make_tagger(nlp: Language, name: str, model_dir: Optional[str]) -> Tagger:
    return Tagger.load(_model_dir(model_dir))


@Language.factory("vnr_relate", default_config={"model_dir": None})
def make_relater(nlp: Language, name: str, model_dir: Optional[str]) -> Relater:
    return Relater(load_relation_model(_model_dir(model_dir)))


@Language.factory("vnr_assemble")
def make_assembler(nlp: Language, name: str) -> Assembler:
    return Assembler()
