"""Stage 2: underthesea word segmentation into a spaCy ``Doc`` with exact offsets.

``doc.text`` is the working text of :mod:`normalise`, so every token offset is
an offset of the NFC input. Numbers, dates, document numbers and URLs are kept
whole (underthesea splits ``01-KL/TW`` and glues ``24.737 lượt``). The
sentences a pre-filter (:mod:`vnreport_ie.scan`) finds unable to hold a fact
are not segmented: each is one token, and later stages do not read it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Callable, Collection

from spacy.tokens import Doc
from spacy.vocab import Vocab

from . import types as _types  # noqa: F401  (registers the Doc extensions)
from .layout import MAX_SENTENCE, sentence_spans, sentences  # noqa: F401  (sentence_spans: public here too)
from .normalise import Normalised

# Atoms that must stay one token. Written without nested quantifiers so that
# matching is linear in the input length.
ATOM = re.compile(
    r"https?://[^\s\"“”<>]+"
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{4}(?!\d)"
    r"|\d+(?:[./-]\d+)*[-/][A-ZĐ][A-ZĐa-zđ]*(?:[-/.][A-ZĐ0-9][A-ZĐa-zđ0-9]*)*"
    r"|\d+(?:\.\d+){2,}(?![\d])"  # a dotted label (`1.2.3.4.5`) or a thousands number
    r"|\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d.])"
    r"|\d+(?:,\d+)?(?!\d)"
)

Segmenter = Callable[[str], list[str]]
# (text, sentences as (start, end, paragraph)) -> indices of the sentences to analyse.
Selector = Callable[[str, list[tuple[int, int, int]]], Collection[int]]


def _underthesea_segmenter() -> Segmenter:
    from underthesea import word_tokenize

    return word_tokenize


def _align(sentence: str, words: list[str]) -> list[tuple[int, int]] | None:
    """Character spans of segmenter words in ``sentence``; None if they drift."""
    spans, pos = [], 0
    for w in words:
        parts = w.split()
        if not parts:
            continue
        first = None
        for p in parts:
            while pos < len(sentence) and sentence[pos].isspace():
                pos += 1
            if sentence.startswith(p, pos):
                first = pos if first is None else first
                pos += len(p)
            else:
                return None
        spans.append((first, pos))
    return spans


def _split_plain(sentence: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\w+|[^\w\s]", sentence)]


class Tokenizer:
    """``Tokenizer()(normalised) -> Doc``; sentences are marked on the tokens.

    ``select`` (see :mod:`vnreport_ie.scan`) picks the sentences worth
    analysing; the others are listed in ``doc._.vnr_skipped``, each run of them
    is one token, and no later stage reads inside it. Without
    ``select`` every sentence is segmented.
    """

    name = "tokenize"

    def __init__(self, segmenter: Segmenter | None = None,
                 max_segment_chars: int = MAX_SENTENCE, select: Selector | None = None) -> None:
        self.vocab = Vocab()
        self._segmenter = segmenter
        # underthesea is CRF based and quadratic in nothing, but a giant
        # "sentence" (a table flattened into one line) is split plainly.
        self.max_segment_chars = max_segment_chars
        self.select = select
        self.max_vocab = 200_000
        # A skipped run of sentences is one long token: the string store grows
        # by text, not only by words, so it is also renewed every few MB.
        self.max_interned = 5_000_000
        self._interned = 0

    def __getstate__(self) -> dict:
        # Shipped to worker processes without its string store: that is a
        # cache of words seen, renewed anyway (see ``__call__``).
        state = dict(self.__dict__)
        state["vocab"], state["_interned"] = None, 0
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.vocab = Vocab()

    @property
    def segmenter(self) -> Segmenter:
        if self._segmenter is None:
            self._segmenter = _underthesea_segmenter()
        return self._segmenter

    def token_spans(self, text: str, sents: list[tuple[int, int, int]] | None = None
                    ) -> tuple[list[tuple[int, int, bool]], list[tuple[int, int]]]:
        """(start, end, sentence_start) for every token of ``text``, and the
        spans of the sentences left unanalysed."""
        out: list[tuple[int, int, bool]] = []
        skipped: list[tuple[int, int]] = []
        if sents is None:
            sents = sentences(text)
        chosen = None if self.select is None else set(self.select(text, sents))
        run = False  # the last token is a run of skipped sentences
        for k, (s_start, s_end, _para) in enumerate(sents):
            if chosen is not None and k not in chosen:
                skipped.append((s_start, s_end))
                if run:
                    out[-1] = (out[-1][0], s_end, True)  # one token for the whole run
                else:
                    out.append((s_start, s_end, True))
                run = True
                continue
            run = False
            sentence = text[s_start:s_end]
            spans = None
            if len(sentence) <= self.max_segment_chars:
                spans = _align(sentence, self.segmenter(sentence))
            if spans is None:
                spans = _split_plain(sentence)
            spans = _protect_atoms(sentence, spans)
            for i, (a, b) in enumerate(spans):
                out.append((s_start + a, s_start + b, i == 0))
        return out, skipped

    def __call__(self, norm: Normalised) -> Doc:
        # Every new word is interned in the vocabulary's string store; over an
        # archive of millions of texts that would grow without bound.
        text = norm.work
        self._interned += len(text)
        if len(self.vocab.strings) > self.max_vocab or self._interned > self.max_interned:
            self.vocab = Vocab()
            self._interned = len(text)
        sents = sentences(text)
        spans, skipped = self.token_spans(text, sents)
        words, spaces, starts = [], [], []
        pos = 0
        for a, b, is_start in spans:
            gap = text[pos:a]
            if gap:
                if gap.startswith(" ") and words and not spaces[-1]:
                    spaces[-1] = True
                    gap = gap[1:]
                if gap:
                    words.append(gap)
                    spaces.append(False)
                    starts.append(False)
            words.append(text[a:b])
            spaces.append(False)
            starts.append(is_start)
            pos = b
        if pos < len(text):
            tail = text[pos:]
            if tail.startswith(" ") and words and not spaces[-1]:
                spaces[-1] = True
                tail = tail[1:]
            if tail:
                words.append(tail)
                spaces.append(False)
                starts.append(False)
        if starts:
            starts[0] = True
        # Sentence starts given at construction: setting them token by token
        # re-checks the whole Doc each time (quadratic).
        doc = Doc(self.vocab, words=words, spaces=spaces, sent_starts=starts)
        doc._.vnr_work = text
        doc._.vnr_sentences = tuple(sents)
        doc._.vnr_skipped = tuple(skipped)
        doc._.vnr_source_text = norm.text
        doc._.vnr_meta = {"normalized": norm.normalized}
        return doc


def _protect_atoms(sentence: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    atoms = [m.span() for m in ATOM.finditer(sentence)]
    if not atoms:
        return spans
    if set(atoms) <= set(spans):
        return spans  # every atom is a token already (the gaps between tokens are spaces)
    starts = [a for a, _ in atoms]

    def inside(c: int) -> bool:
        k = bisect_right(starts, c) - 1
        return k >= 0 and atoms[k][0] < c < atoms[k][1]

    cuts = {p for a, b in spans for p in (a, b) if not inside(p)}
    cuts.update(p for a, b in atoms for p in (a, b))
    ordered = sorted(cuts)
    out = []
    for a, b in zip(ordered, ordered[1:]):
        seg = sentence[a:b]
        stripped = seg.strip()
        if not stripped:
            continue
        lead = len(seg) - len(seg.lstrip())
        # A whitespace-only gap inside a multi-syllable word never happens
        # (cuts come from token edges), but a stretch that mixes words and
        # spaces after re-cutting is split on its spaces.
        if " " in stripped and not any(x <= a + lead and b <= y for x, y in spans):
            for m in re.finditer(r"\S+", seg):
                out.append((a + m.start(), a + m.end()))
        else:
            out.append((a + lead, a + lead + len(stripped)))
    return out
