"""The province a report is about, in official form, from a maintained gazetteer.

Names and codes come from `vietnamadminunits` (the General Statistics Office's
lists of administrative units before and after the 2025 merger of provinces),
never from a list written here. A report dated before the merger took effect
(:data:`MERGER`), or with no date at all, gets the unit of the 63-province
list; a later one the unit of the 34-province list. ``province_now`` is always the
unit of today's list, so reports of merged provinces can be grouped.

A district or commune named as the location gives its province: the gazetteer
knows which province each lower unit belonged to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

# Resolution 202/2025/QH15: the merged provinces exist from 1 July 2025.
MERGER = "2025-07-01"

# A place as reports name it in a lead or a title: the unit word and up to
# four capitalised syllables (`tỉnh Kon Tum`, `huyện Đăk Hà`, `TP.HCM`).
_PLACE = re.compile(r"(?:(?<![^\W\d_])(?:[Tt]ỉnh|[Tt]hành phố|TP\.?|[Hh]uyện|[Tt]hị xã|[Qq]uận|[Xx]ã|[Pp]hường)\s*)"
                    r"((?:TP\.?)?[A-ZĐÀ-Ỹ][\wÀ-ỹ.]*(?:\s*-?\s*[A-ZĐÀ-Ỹ][\wÀ-ỹ]*){0,3})")


@dataclass(frozen=True)
class Province:
    """A province-level unit: official name (``Tỉnh Kon Tum``) and GSO code (``62``)."""

    name: str
    code: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "code": self.code}


@lru_cache(maxsize=4096)
def _parse(place: str, legacy: bool) -> Province | None:
    from vietnamadminunits import ParseMode, parse_address

    try:
        unit = parse_address(place, mode=ParseMode.LEGACY if legacy else ParseMode.FROM_2025, level=1)
    except Exception:  # the gazetteer raises on strings it cannot read at all
        return None
    if not getattr(unit, "province", None) or not getattr(unit, "province_code", None):
        return None
    return Province(unit.province, str(unit.province_code))


def resolve(place: str | None, on: str | None = None) -> Province | None:
    """The province of ``place`` (a province, district or commune name, as
    written) as the official list named it on the ISO date ``on``."""
    if not place or not place.strip():
        return None
    # Undated: the name as written is read in the list that has it (every
    # post-merger province kept the name of one of the units it joined).
    legacy = on is None or on[:10] < MERGER
    return _parse(place.strip(), legacy)


def now(place: str | None) -> Province | None:
    """The unit ``place`` belongs to in today's (post-merger) list."""
    return resolve(place, "9999-12-31")


def candidates(location: str | None, text: str, limit: int = 3000) -> Iterable[str]:
    """Places to try, best first: the record's location, then places named in
    the title and lead (`tỉnh Kon Tum`, `huyện Đăk Hà`)."""
    if location:
        yield location
    for m in _PLACE.finditer(text, 0, min(len(text), limit)):
        yield m.group(0)


_TITLE_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")


def report_date(published: str | None, period: dict | None, title: str | None) -> str | None:
    """The date a report speaks from, for choosing the list of provinces: the
    publication date; else the end of a reporting period within one year (a
    term, `nhiệm kỳ 2020-2025`, ends after the report was written); else the
    middle of a year named in the title."""
    if published:
        return published[:10]
    if period and period.get("start") and period.get("end") and period["start"][:4] == period["end"][:4]:
        return period["end"]
    m = _TITLE_YEAR.search(title or "")
    return f"{m.group()}-06-30" if m else None


def province_meta(location: str | None, text: str, on: str | None) -> dict[str, Any]:
    """``meta.province`` and ``meta.province_now`` (each ``{"name", "code"}`` or None)."""
    for place in candidates(location, text):
        then = resolve(place, on)
        if then is not None:
            today = now(place)
            return {"province": then.to_dict(), "province_now": today.to_dict() if today else None}
    return {"province": None, "province_now": None}
