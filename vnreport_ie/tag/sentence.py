"""What the rules of one sentence share: the sentence, the characters dates
and documents claim, the counts found, and the entities found so far."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from ..types import Candidate


@dataclass(frozen=True)
class Sentence:
    """A sentence of the text: its offsets, its paragraph and its index."""

    start: int
    end: int
    paragraph: int
    index: int


class Count(NamedTuple):
    """A number with its unit noun (`2 lớp`, `khoảng 300 đại biểu`)."""

    start: int  # (at the hedge, if any)
    end: int  # (after the unit's first word or lexicon entry)
    value: int | None
    unit_start: int
    unit: str  # lower case
    unit_class: str  # class, meeting, points, papers, person, attendance or other
    approx: str | None  # the hedge or vague amount
    via_cho: bool  # a person count because `cho` stands before it


class Mask:
    """Characters of a sentence already claimed by a date, period or document;
    one byte per character, so checking a span costs its length, not the
    number of spans claimed before it."""

    def __init__(self, lo: int, hi: int) -> None:
        self.lo = lo
        self.mask = bytearray(hi - lo)

    def append(self, span: tuple[int, int]) -> None:
        """Claim the characters of ``span``."""
        a, b = max(span[0] - self.lo, 0), max(span[1] - self.lo, 0)
        self.mask[a:b] = b"\x01" * len(self.mask[a:b])

    def free(self, x: int, y: int) -> bool:
        """No character of ``x..y`` is claimed."""
        return 1 not in self.mask[max(x - self.lo, 0):max(y - self.lo, 0)]


class Found(list):
    """One sentence's entities (``Candidate`` values), in the order the rules add them."""

    def __init__(self, text: str, s: Sentence) -> None:
        super().__init__()
        self.text = text
        self.base = {"sent": s.index, "para": s.paragraph}

    def add(self, label: str, start: int, end: int, value: Any = None, **attrs: Any) -> None:
        """Add an entity, its end moved back over trailing punctuation (none if nothing is left)."""
        while end > start and self.text[end - 1] in " ,;:.":
            end -= 1
        if end > start:
            self.append(Candidate(label, start, end, value, {**self.base, **attrs}))
