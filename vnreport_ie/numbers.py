"""Normalisation of Vietnamese numbers, dates and periods (schema conventions).

Pure functions on strings; the tagger finds the spans, these give the values.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from . import lexicon as lx

# The words and their values are in the lexicon (``lexicon.toml``, ``[numbers]``).
DIGIT_WORDS = lx.DIGIT_WORDS
SCALE_WORDS = lx.SCALE_WORDS
NUMBER_WORDS = set(DIGIT_WORDS) | set(SCALE_WORDS) | set(lx.NUMBER_STRUCTURE)
HEDGES = lx.HEDGES
VAGUE = lx.VAGUE

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def words_to_int(words: str) -> int | None:
    """``hai mươi mốt`` -> 21, ``một trăm linh năm`` -> 105; None if not a number."""
    toks = words.lower().split()
    if not toks or any(t not in NUMBER_WORDS for t in toks):
        return None
    total, group, pending = 0, 0, None
    prev = None
    for t in toks:
        if t in DIGIT_WORDS:
            # `tư`, `lăm` and `mốt` are digits only after a ten (`mươi`/`mười`).
            if t in ("tư", "lăm", "nhăm", "mốt") and prev not in ("mươi", "mười"):
                return None
            if pending is not None:
                return None
            pending = DIGIT_WORDS[t]
        elif t == "mười":
            if pending is not None:
                return None
            group += 10
        elif t == "mươi":
            if pending in (None, 0, 1):
                return None
            group += pending * 10
            pending = None
        elif t == "trăm":
            group += (1 if pending is None else pending) * 100
            pending = None
        elif t in ("linh", "lẻ"):
            if prev != "trăm":
                return None
        else:  # scale word
            scale = SCALE_WORDS[t]
            total += (group + (pending or 0) or 1) * scale
            group, pending = 0, None
        prev = t
    return total + group + (pending or 0)


_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_DECIMAL = re.compile(r"^\d+(?:,\d+)?$")


def digits_to_number(s: str, scale: str | None = None) -> int | float | None:
    """``6.330`` -> 6330, ``1,5`` with scale ``nghìn`` -> 1500."""
    s = s.strip()
    if _THOUSANDS.match(s):
        value: float = int(s.replace(".", ""))
    elif _DECIMAL.match(s):
        value = float(s.replace(",", ".")) if "," in s else int(s)
    else:
        return None
    if scale:
        value = value * SCALE_WORDS[scale.lower()]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def valid_date(y: int, m: int, d: int) -> bool:
    if not (1 <= m <= 12 and 1000 <= y <= 2999):
        return False
    return 1 <= d <= calendar.monthrange(y, m)[1]


def iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    if m is None:
        return f"{y:04d}" if 1000 <= y <= 2999 else None
    if d is None:
        return f"{y:04d}-{m:02d}" if 1 <= m <= 12 and 1000 <= y <= 2999 else None
    return date(y, m, d).isoformat() if valid_date(y, m, d) else None


def month_end(y: int, m: int) -> str:
    return date(y, m, calendar.monthrange(y, m)[1]).isoformat()


def roman_or_int(s: str) -> int | None:
    s = s.strip().upper()
    if s in ROMAN:
        return ROMAN[s]
    return int(s) if s.isdigit() else None


def small_number(s: str) -> int | None:
    """A number written in digits or words (``6``, ``sáu``, ``chín``)."""
    s = s.strip()
    if s.isdigit():
        return int(s)
    return words_to_int(s)
