"""The pipeline: text -> normalise -> (scan) -> tokenize -> tag -> relate -> assemble -> record.

Load it once (:func:`load`) and reuse it; models are read from the package.
The scan (:mod:`vnreport_ie.scan`) lets the tokenizer skip the sentences that
cannot hold a fact; ``load(prefilter=False)`` analyses every sentence and
gives the same records, more slowly.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

from . import lexicon as lx
from .assemble import Assembler
from .normalise import normalise
from .record import Recorder
from .relate import MODEL_FILE, Relater, RelationModel
from .scan import FactScan
from .tag import LEXICON_FILE, Tagger, load_activities
from .tag_model import PHRASE_FILE, PhraseModel
from .tokenize import Segmenter, Tokenizer
from .types import Record


def default_model_dir() -> Path:
    return Path(str(resources.files("vnreport_ie.models")))


class Pipeline:
    """A loaded extractor. ``pipe(texts)`` streams records; ``__call__`` does one."""

    def __init__(self, model_dir: Path | None = None, segmenter: Segmenter | None = None,
                 relation_model: RelationModel | None = None,
                 tagger: Tagger | None = None, prefilter: bool = True) -> None:
        self.model_dir = Path(model_dir) if model_dir else default_model_dir()
        if relation_model is None:
            path = self.model_dir / MODEL_FILE
            if not path.exists():
                raise FileNotFoundError(f"relation model not found: {path} (run `make models`)")
            relation_model = RelationModel.load(path)
        if tagger is None:
            tagger = Tagger(load_activities(self.model_dir / LEXICON_FILE),
                            PhraseModel.load(self.model_dir / PHRASE_FILE))
        # The scan knows the rules' heads; a phrase model in "full" mode may add
        # heads anywhere, so it needs every sentence.
        full = tagger.phrase_model is not None and tagger.phrase_model.mode == "full"
        self.prefilter = prefilter and not full
        lx.check((relation_model.meta or {}).get("lexicon"), "the relation model")
        if tagger.phrase_model is not None:
            lx.check(tagger.phrase_model.meta.get("lexicon"), "the phrase model")
        self.tokenizer = Tokenizer(segmenter=segmenter, select=FactScan(tagger.activities) if self.prefilter else None)
        self.components = [tagger, Relater(relation_model), Assembler()]
        self.recorder = Recorder()

    def doc(self, text: str):
        doc = self.tokenizer(normalise(text))
        for component in self.components:
            doc = component(doc)
        return doc

    def __call__(self, text: str, id: str | None = None) -> Record:
        return self.recorder(self.doc(text), id)

    def pipe(self, texts: Iterable[str] | Iterable[tuple[str, str | None]], *, batch_size: int = 32,
             n_process: int = 1, as_tuples: bool = False) -> Iterator[Record]:
        """Records in input order. With ``as_tuples``, items are ``(text, id)``."""
        items = ((t[0], t[1]) if as_tuples else (t, None) for t in texts)
        if n_process <= 1:
            for text, doc_id in items:
                yield self(text, doc_id)
            return
        with ProcessPoolExecutor(max_workers=n_process, initializer=_init_worker,
                                 initargs=(str(self.model_dir), self.prefilter)) as pool:
            yield from pool.map(_work, items, chunksize=max(1, batch_size))


_WORKER: Pipeline | None = None


def _init_worker(model_dir: str, prefilter: bool = True) -> None:
    global _WORKER
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _WORKER = Pipeline(Path(model_dir), prefilter=prefilter)


def _work(item: tuple[str, str | None]) -> Record:
    assert _WORKER is not None
    return _WORKER(item[0], item[1])


_DEFAULT: Pipeline | None = None


def load(model_dir: str | Path | None = None, *, prefilter: bool = True) -> Pipeline:
    """A pipeline with the packaged models (or those in ``model_dir``).

    ``prefilter=False`` segments and tags every sentence instead of those the
    scan picks; records are the same (the scan's contract), it is slower.
    """
    return Pipeline(Path(model_dir) if model_dir else None, prefilter=prefilter)


def extract(text: str, id: str | None = None) -> Record:
    """Extract one text with a pipeline loaded on first use."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load()
    return _DEFAULT(text, id)
