"""The tagger component: every rule over every analysed sentence, then the
learned phrase model's corrections, as ``Entity`` values on the ``Doc``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable

from spacy.attrs import IDX, IS_SPACE, LENGTH
from spacy.tokens import Doc

from . import phrases  # noqa: F401  (registers the phrase rules: they run after the counts)
from .. import lexicon as lx
from ..layout import lead_bounds, sentences
from ..tag_model import PHRASE_FILE, PhraseModel, merge
from ..types import Candidate, Entity, EntityAttrs, work_text
from .patterns import PERIODISH, YEARISH
from .registry import run_stage
from .regular import regular_context, report_year, tag_dates, tag_periods
from .sentence import Found, Sentence
from .words import activity_pattern, is_subject

LEXICON_FILE = "lexicon.json"


def load_activities(path: str | Path) -> list[str]:
    """Tally verbs learned from the corpus (a JSON list; never code)."""
    p = Path(path)
    if not p.exists():
        return []
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ValueError(f"cannot load lexicon {p}: {exc or type(exc).__name__}") from None
    acts = data.get("activities") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("format") != "vnreport_ie.lexicon/1" or not isinstance(acts, list) \
            or not all(isinstance(a, str) for a in acts):
        raise ValueError(f"{p} is not a vnreport_ie lexicon (format tag or activities list missing)")
    lx.check(data.get("lexicon"), f"the tally verbs of {p}")
    return acts


class Tagger:
    """``Tagger(extra_activities, phrase_model)(doc) -> doc`` with ``doc._.vnr_entities`` set.

    ``extra_activities`` are tally verbs learned from the corpus
    (``models/lexicon.json``), added to the general ones of :mod:`lexicon`;
    ``phrase_model`` (``models/phrases.json``) corrects the phrase spans.
    """

    name = "tag"

    def __init__(self, extra_activities: Iterable[str] = (), phrase_model: PhraseModel | None = None) -> None:
        self.extra_activities = tuple(extra_activities)
        self.activities = frozenset(lx.ACTIVITY_VERBS) | frozenset(a.lower() for a in extra_activities)
        self.verbs_rx = activity_pattern(self.activities)
        self.phrase_model = phrase_model

    @property
    def scans(self) -> bool:
        """May the scan pick sentences for this tagger? A phrase model in "full"
        mode may add entities anywhere, so it needs every sentence."""
        return self.phrase_model is None or self.phrase_model.mode != "full"

    @classmethod
    def load(cls, model_dir: str | Path) -> "Tagger":
        """The tagger of a model directory (learned tally verbs and phrase model)."""
        phrase_model = PhraseModel.load(Path(model_dir) / PHRASE_FILE)
        if phrase_model is not None:
            lx.check(phrase_model.meta.get("lexicon"), "the phrase model")
        return cls(load_activities(Path(model_dir) / LEXICON_FILE), phrase_model)

    # spaCy's serialisation protocol (``nlp.to_disk`` / ``spacy.load``).
    def to_disk(self, path: str | Path, *, exclude: Any = ()) -> None:
        """Write its model files (learned verbs, phrase model) into ``path``."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / LEXICON_FILE).write_text(json.dumps(
            {"format": "vnreport_ie.lexicon/1", "activities": list(self.extra_activities), "lexicon": lx.FINGERPRINT},
            ensure_ascii=False, indent=0), encoding="utf-8")
        if self.phrase_model is not None:
            self.phrase_model.save(path / PHRASE_FILE)

    def from_disk(self, path: str | Path, *, exclude: Any = ()) -> "Tagger":
        """Read the model files of ``path`` (as :meth:`load`), in place."""
        self.__dict__.update(Tagger.load(path).__dict__)
        return self

    def rule_entities(self, doc: Doc) -> tuple[list[Candidate], list[Sentence]]:
        """What the rules alone find in ``doc``, and its analysed sentences."""
        text = work_text(doc)
        year = report_year(text)
        idx, length, space = doc.to_array([IDX, LENGTH, IS_SPACE]).T
        keep = space == 0
        token_end = dict(zip(idx[keep].tolist(), (idx + length)[keep].tolist()))
        found: list[Candidate] = []
        sents = sentences_of(doc)
        skipped = {a for a, _b in doc._.vnr_skipped or ()}
        title_end, lead = lead_bounds(text) if skipped else (0, 0)
        for sent in sents:
            if sent.start not in skipped:
                found.extend(tag_sentence(text, sent, token_end, year, self.verbs_rx))
            elif sent.start < lead:
                # The record's period is read in the lead, analysed or not (a
                # period, or a year in the title): patterns of the text, not of its words.
                in_title = sent.start < max(title_end, 1)
                if (YEARISH if in_title else PERIODISH).search(text, sent.start, sent.end):
                    dates = Found(text, sent)
                    (tag_dates if in_title else tag_periods)(text, sent, year, dates)
                    found.extend(dates)
        return found, sents

    def __call__(self, doc: Doc) -> Doc:
        text = work_text(doc)
        found, sents = self.rule_entities(doc)
        model = self.phrase_model
        if model is not None and model.mode != "rules" and found:
            rule_spans: dict[str, list[tuple[int, int]]] = {}
            for e in found:
                rule_spans.setdefault(e.label, []).append((e.start, e.end))
            found = merge(found, model.predict(doc, rule_spans), model.mode, text)
            found = [with_place(e, sents, text) for e in found]
        found = resolve(found)
        source = doc._.vnr_source_text  # (read once: every ``doc._`` access builds a proxy)
        ents = tuple(Entity(i, e.label, e.start, e.end, source[e.start:e.end], e.value,
                            EntityAttrs(**e.attrs)) for i, e in enumerate(found))
        doc._.vnr_entities = ents
        return doc


def with_place(e: Candidate, sents: list[Sentence], text: str) -> Candidate:
    """Sentence and paragraph of an entity the learned model added."""
    label, a, b, value, attrs = e
    if "sent" in attrs:
        return e
    s = next((s for s in sents if s.start <= a < s.end), sents[-1] if sents else Sentence(0, len(text), 0, 0))
    attrs = {**attrs, "sent": s.index, "para": s.paragraph}
    if label == "ORG":
        attrs["subject"] = is_subject(text, a, s.start)
    return Candidate(label, a, b, value, attrs)


def sentences_of(doc: Doc) -> list[Sentence]:
    cut = doc._.vnr_sentences if doc._.vnr_sentences is not None else sentences(work_text(doc))
    return [Sentence(a, b, p, i) for i, (a, b, p) in enumerate(cut)]


def tag_sentence(text: str, s: Sentence, token_end: dict[int, int], year: int | None,
                 verbs_rx: re.Pattern[str]) -> Found:
    """Every registered rule over one sentence, stage by stage (see :mod:`.registry`)."""
    out = Found(text, s)
    ctx = regular_context(text, s, token_end, year, out)
    ctx.verbs_rx = verbs_rx
    run_stage("counts", ctx)
    ctx.count_starts = frozenset(c.start for c in ctx.counts)
    run_stage("phrases", ctx)
    return out


def resolve(found: list[Candidate]) -> list[Candidate]:
    """Drop exact duplicates and, per label, spans inside a longer one.

    One sweep in start order: a span is inside an earlier one exactly when it
    ends before the furthest end seen so far (linear after sorting).
    """
    uniq: dict[tuple[str, int, int], Candidate] = {}
    for e in found:
        uniq.setdefault((e.label, e.start, e.end), e)
    items = sorted(uniq.values(), key=lambda e: (e.start, -(e.end - e.start)))
    kept = []
    reach: dict[str, int] = {}
    # An organisation inside a course, group or title is part of that name, and
    # one inside a document reference part of its number (`số 12/UBND-VX`).
    container_reach = -1
    for e in items:
        label, b = e.label, e.end
        if label == "ORG" and b <= container_reach:
            continue
        if b <= reach.get(label, -1):
            continue
        reach[label] = b
        if label in ("COURSE", "TOPIC", "GROUP", "DOC"):
            container_reach = max(container_reach, b)
        kept.append(e)
    kept.sort(key=lambda e: (e.start, e.end, e.label))
    return kept
