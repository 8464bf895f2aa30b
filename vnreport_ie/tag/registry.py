"""The rule registry: every tagging rule as data, in one table.

A rule declares the entity labels it adds, the lexicon words that trigger it
(lower case: every match of its pattern starts with one of them), the
pattern that finds where it may fire in a sentence, and the function that
reads the match. The tagger runs the rules of each stage in the order they
were registered; the scan (:mod:`vnreport_ie.scan`) compiles its whole-text
gates from the same triggers and runs the same patterns on the sentences
that hit, so the two cannot drift apart.

Like spaCy's ``SpanRuler``, the patterns are data compiled once from the
lexicon (:mod:`vnreport_ie.lexicon`); ``Rule.to_dict()`` shows a rule as
data, ``describe()`` the whole table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from .sentence import Count, Found, Mask, Sentence

STAGES = ("regular", "counts", "phrases")


@dataclass
class Context:
    """The workspace of one sentence while its rules run (not a value that
    leaves the tagger): what earlier rules found is what later ones read."""

    text: str
    sent: Sentence
    token_end: dict[int, int]
    out: Found
    year: int | None = None
    verbs_rx: re.Pattern[str] | None = None
    taken: Mask | None = None  # characters claimed by dates, periods and documents
    docs: list[tuple[int, int]] = field(default_factory=list)  # document references found
    counts: list[Count] = field(default_factory=list)
    count_starts: frozenset[int] = frozenset()
    # False for the scan: units are read before any word is segmented (see counts.tag_counts).
    exact_units: bool = True

    @property
    def stext(self) -> str:
        return self.text[self.sent.start:self.sent.end]


# apply(context, match): a match of the rule's pattern in the sentence text
# (offsets from the sentence start); for a rule without a pattern, called
# once per sentence with None, it reads what earlier rules found.
Apply = Callable[[Context, Any], None]


@dataclass(frozen=True)
class Rule:
    """One tagging rule: the labels it gives, the lexicon words that trigger it
    (the scan gates on them), its pattern and the function reading a match;
    ``doc`` says what it finds."""

    name: str
    stage: str
    labels: tuple[str, ...]
    triggers: tuple[str, ...]  # lower case; empty: a pattern of shapes (digits, marks) or of earlier finds
    pattern: re.Pattern[str] | None
    apply: Apply = field(compare=False, repr=False)
    doc: str = ""

    def run(self, ctx: Context) -> None:
        """Apply the rule to the sentence of ``ctx``: once per match of its pattern, or once."""
        if self.pattern is None:
            self.apply(ctx, None)
            return
        for m in self.pattern.finditer(ctx.stext):
            self.apply(ctx, m)

    def to_dict(self) -> dict[str, Any]:
        """Its readable description (no function): name, stage, labels, triggers, pattern, doc."""
        return {"name": self.name, "stage": self.stage, "labels": list(self.labels),
                "triggers": list(self.triggers), "pattern": self.pattern.pattern if self.pattern else None,
                "doc": self.doc}


RULES: dict[str, Rule] = {}


def rule(name: str, stage: str, labels: Iterable[str], pattern: re.Pattern[str] | None = None,
         triggers: Iterable[str] = ()) -> Callable[[Apply], Apply]:
    """Register the decorated function as the rule ``name``."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")

    def register(fn: Apply) -> Apply:
        if name in RULES:
            raise ValueError(f"rule {name!r} registered twice")
        RULES[name] = Rule(name, stage, tuple(labels), tuple(sorted({t.lower() for t in triggers})), pattern, fn,
                           (fn.__doc__ or "").strip().split("\n")[0])
        return fn

    return register


def stage(name: str) -> list[Rule]:
    """The rules of a stage, in the order they run."""
    return [r for r in RULES.values() if r.stage == name]


def run_stage(name: str, ctx: Context) -> None:
    for r in stage(name):
        r.run(ctx)


def describe() -> list[dict[str, Any]]:
    """Every registered rule, as :meth:`Rule.to_dict`."""
    return [r.to_dict() for r in RULES.values()]
