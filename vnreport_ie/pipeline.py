"""The pipeline: text -> normalise -> (scan) -> tokenize -> tag -> relate -> assemble -> record.

Load it once (:func:`load`) and reuse it; models are read from the package.
The scan (:mod:`vnreport_ie.scan`) lets the tokenizer skip the sentences that
cannot hold a fact; ``load(prefilter=False)`` analyses every sentence and
gives the same records, more slowly.

The stages are the spaCy components of :mod:`vnreport_ie.components`
(``pipe.get("tag")``); ``spacy.blank("vi")`` with those factories builds the
same pipeline.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Iterable, Iterator

from spacy.tokens import Doc

from .assemble import Assembler
from .components import make_tokenizer
from .inputs import parse_published
from .normalise import normalise
from .record import Recorder
from .relate import Relater, RelationModel, load_relation_model
from .resources import default_model_dir
from .tag import Tagger
from .tokenize import Segmenter
from .types import Record

__all__ = ["Pipeline", "default_model_dir", "extract", "load"]


class Pipeline:
    """A loaded extractor. ``pipe(texts)`` streams records; ``__call__`` does one.

    ``segmenter``, ``relation_model`` and ``tagger`` replace the packaged
    ones; ``pipe(n_process>1)`` ships this pipeline, as configured, to its workers.
    ``keep_all`` keeps the facts whose confidence is below
    :data:`vnreport_ie.confidence.THRESHOLD` (left out by default).
    """

    def __init__(self, model_dir: Path | None = None, segmenter: Segmenter | None = None,
                 relation_model: RelationModel | None = None,
                 tagger: Tagger | None = None, prefilter: bool = True, keep_all: bool = False,
                 scope: bool = True) -> None:
        self.model_dir = Path(model_dir) if model_dir else default_model_dir()
        if relation_model is None:
            relation_model = load_relation_model(self.model_dir)
        if tagger is None:
            tagger = Tagger.load(self.model_dir)
        self.tokenizer = make_tokenizer(tagger, segmenter, prefilter)
        self.prefilter = self.tokenizer.select is not None
        self.pipes: dict[str, Any] = {"tag": tagger, "relate": Relater(relation_model), "assemble": Assembler()}
        # Scope (spec v2): how much a document is about this work, how sure each
        # fact is. ``scope=False`` leaves both out (training fits them).
        self.recorder = Recorder.load(self.model_dir, keep_all, scope)

    @property
    def pipe_names(self) -> list[str]:
        """The stage names, in order (``["tag", "relate", "assemble"]``), as ``Language.pipe_names``."""
        return list(self.pipes)

    @property
    def components(self) -> list[Any]:
        """The stage objects, in order (spaCy components: ``__call__(doc) -> doc``)."""
        return list(self.pipes.values())

    def get(self, name: str) -> Any:
        """A stage by name (``tag``, ``relate``, ``assemble``), as ``Language.get_pipe``."""
        return self.pipes[name]

    def doc(self, text: str, published: str | None = None) -> Doc:
        """The analysed ``Doc``; ``published`` (ISO date) is where a date
        without its year may take the year from, last (spec v2)."""
        if not isinstance(text, str):
            raise TypeError(f"a text must be a str, not {type(text).__name__}")
        doc = self.tokenizer(normalise(text))
        if published:
            doc._.vnr_meta = {**(doc._.vnr_meta or {}), "published": parse_published(published)}
        for component in self.pipes.values():
            doc = component(doc)
        return doc

    def __call__(self, text: str, id: str | None = None, published: str | None = None) -> Record:
        """The record of one text. ``published``: the publication date
        (``2021-04-27``), recorded as ``meta.published``."""
        return self.recorder(self.doc(text, published), id)

    def pipe(self, texts: Iterable[str] | Iterable[tuple[str, Any]], *, batch_size: int = 32,
             n_process: int = 1, as_tuples: bool = False, progress: bool = False) -> Iterator[Record]:
        """Records in input order. With ``as_tuples``, items are ``(text, context)``
        as in spaCy, the context being the id or a dict with ``id`` and ``published``.
        ``n_process`` worker processes share the work (``batch_size`` texts at a
        time each); ``progress=True`` shows a bar on stderr (tqdm; its total is
        known when ``texts`` has a length)."""
        if isinstance(texts, str):
            raise TypeError("pipe() takes an iterable of texts; for one text call the pipeline itself")
        records = self._records(texts, batch_size, n_process, as_tuples)
        if progress:
            from tqdm import tqdm

            total = len(texts) if hasattr(texts, "__len__") else None
            records = tqdm(records, total=total, unit="doc", desc="vnreport_ie", file=sys.stderr)
        yield from records

    def _records(self, texts: Iterable[Any], batch_size: int, n_process: int, as_tuples: bool) -> Iterator[Record]:
        items = (_item(t) if as_tuples else (t, None, None) for t in texts)
        if n_process <= 1:
            for text, doc_id, published in items:
                yield self(text, doc_id, published)
            return
        # The workers get this pipeline itself (inherited, or pickled where
        # processes are spawned), so a custom tagger or segmenter goes with it.
        with ProcessPoolExecutor(max_workers=n_process, initializer=_init_worker, initargs=(self,)) as pool:
            yield from pool.map(_work, items, chunksize=max(1, batch_size))


_WORKER: Pipeline | None = None


def _init_worker(pipeline: Pipeline) -> None:
    global _WORKER
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _WORKER = pipeline


def _work(item: tuple[str, str | None, str | None]) -> Record:
    assert _WORKER is not None
    return _WORKER(*item)


def _item(t: tuple[str, Any]) -> tuple[str, str | None, str | None]:
    text, ctx = t
    if isinstance(ctx, dict):
        return text, ctx.get("id"), ctx.get("published")
    return text, ctx, None


_DEFAULT: Pipeline | None = None


def load(model_dir: str | Path | None = None, *, prefilter: bool = True, keep_all: bool = False) -> Pipeline:
    """A pipeline with the packaged models (or those in ``model_dir``).

    ``prefilter=False`` segments and tags every sentence instead of those the
    scan picks; records are the same (the scan's contract), it is slower.
    """
    return Pipeline(Path(model_dir) if model_dir else None, prefilter=prefilter, keep_all=keep_all)


def extract(text: str, id: str | None = None, published: str | None = None) -> Record:
    """Extract one text with a pipeline loaded on first use."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load()
    return _DEFAULT(text, id, published)
