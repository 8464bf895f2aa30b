"""Normalised kinds of trainings and meetings, from the data in ``taxonomy.toml``.

>>> from vnreport_ie.taxonomy import course_type, meeting_kind
>>> course_type("Trung cấp Lý luận chính trị - hành chính")
'trung_cap_llct'
>>> meeting_kind("hội nghị đối thoại trực tuyến"), meeting_kind("buổi toạ đàm")
('doi_thoai', 'toa_dam')
>>> course_type(None)
'other'

The rules (order, whole words, diacritics) are documented in the TOML file
itself, so whoever edits the categories reads them there. Standard library only.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TAXONOMY_FILE = Path(__file__).with_name("taxonomy.toml")
OTHER = "other"
KINDS = ("course_type", "meeting_kind")

# A tone mark written on the first vowel of "oa", "oe", "uy" ("tọa", old style)
# or on the second ("toạ", new style): both are common in reports.
_TONE_FIRST = re.compile("([oOuU])([\u0300\u0301\u0303\u0309\u0323])([aAeEyY])")
_MARKS = re.compile("[\u0300-\u036f]")


def fold(text: str) -> str:
    """``text`` lower-cased, NFC, with one tone-mark placement for oa/oe/uy."""
    nfd = unicodedata.normalize("NFD", text.lower())
    return unicodedata.normalize("NFC", _TONE_FIRST.sub(r"\1\3\2", nfd))


def strip_marks(text: str) -> str:
    """``text`` without Vietnamese diacritics (``đ`` becomes ``d``)."""
    return _MARKS.sub("", unicodedata.normalize("NFD", text)).replace("đ", "d").replace("Đ", "D")


@dataclass(frozen=True)
class Category:
    """One category: its column value, its label for people, its keywords (folded)."""

    id: str
    label: str
    keywords: tuple[str, ...]

    def pattern(self, plain: bool) -> re.Pattern[str] | None:
        """Whole-word alternation of the keywords (``plain``: without diacritics)."""
        words = [strip_marks(k) if plain else k for k in self.keywords]
        if not words:
            return None
        alt = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        return re.compile(rf"(?<!\w)(?:{alt})(?!\w)")


@cache
def categories(kind: str) -> tuple[Category, ...]:
    """The categories of ``kind`` (``course_type`` or ``meeting_kind``) in match order."""
    if kind not in KINDS:
        raise ValueError(f"unknown taxonomy {kind!r}; expected one of {KINDS}")
    with open(TAXONOMY_FILE, "rb") as fh:
        data = tomllib.load(fh)
    out = tuple(Category(c["id"], c["label"], tuple(fold(k) for k in c.get("keywords", ()))) for c in data[kind])
    if not out or out[-1].id != OTHER:
        raise ValueError(f"{TAXONOMY_FILE.name}: [[{kind}]] must end with the {OTHER!r} category")
    return out


@cache
def _patterns(kind: str, plain: bool) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((c.id, p) for c in categories(kind) if (p := c.pattern(plain)) is not None)


def labels(kind: str) -> dict[str, str]:
    """``{category id: label}`` of ``kind``, in match order."""
    return {c.id: c.label for c in categories(kind)}


@cache
def classify(kind: str, text: str | None) -> str:
    """The category id of ``kind`` that ``text`` belongs to (``other`` when none fits)."""
    if not text or not text.strip():
        return OTHER
    folded = fold(text)
    # Text with no diacritics at all was typed without them: compare it plainly.
    plain = strip_marks(folded) == folded
    for cid, pattern in _patterns(kind, plain):
        if pattern.search(folded):
            return cid
    return OTHER


def course_type(course: str | None) -> str:
    """The ``course_type`` of a training's ``course`` text."""
    return classify("course_type", course)


def meeting_kind(kind: str | None) -> str:
    """The ``meeting_kind`` of a meeting's ``kind`` text."""
    return classify("meeting_kind", kind)
