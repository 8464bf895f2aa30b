"""A `spacy train --code` file for benchmarks/taggers.py.

The stock ``spacy.Corpus.v1`` reader re-tokenizes (or copies words only), so
the predicted side of an Example would lose ``Token.tag_``, where
taggers.py puts the rule tagger's B/I/O tags: the feature the CRF and the
logistic regressions also get. This reader keeps the words, spaces and tags.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.training import Example


@spacy.registry.readers("vnr_bench.TaggedDocBin.v1")
def tagged_docbin(path: Path) -> Callable[[Language], Iterator[Example]]:
    def read(nlp: Language) -> Iterator[Example]:
        for ref in DocBin().from_disk(path).get_docs(nlp.vocab):
            pred = Doc(nlp.vocab, words=[t.text for t in ref], spaces=[bool(t.whitespace_) for t in ref],
                       tags=[t.tag_ for t in ref])
            yield Example(pred, ref)

    return read
