"""The vocabulary of the genre, read from ``lexicon.toml`` (beside this file).

The TOML file is the one place a domain expert edits: this module only turns
its lists into the Python sets and tuples the stages read, under fixed names,
so that a word added there reaches the tagger, the scan, the relation
features and the assembler alike. Nothing here is taken from a particular
report. Entries are lower case; matching lower-cases the text.

``VNREPORT_IE_LEXICON=/path/to/lexicon.toml`` loads another file instead (read
once, at import): a way to try an edit without touching the installed package.

The tally verbs learned from the corpus are not here: they are a model
artefact (``models/lexicon.json``, see :func:`vnreport_ie.tag.load_activities`). The
models record :data:`FINGERPRINT`, the hash of the data they were trained
with, and the pipeline warns when it differs.
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
import warnings
from pathlib import Path
from typing import Any

DEFAULT_FILE = Path(__file__).with_name("lexicon.toml")


def read(path: str | Path) -> dict[str, dict[str, Any]]:
    """The lexicon's data: ``{group: {name: list or table}}``."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"cannot load lexicon {path}: {exc}") from None
    missing = sorted(f"{g}.{n}" for g, names in SCHEMA.items() for n in names if n not in data.get(g, {}))
    unknown = sorted(f"{g}.{n}" for g, names in data.items() for n in (names if isinstance(names, dict) else [""])
                     if n not in SCHEMA.get(g, ()))
    if missing or unknown:
        raise ValueError(f"lexicon {path}: missing {missing or 'nothing'}, unknown {unknown or 'nothing'}")
    return data


def fingerprint(data: dict[str, Any]) -> str:
    """A hash of the lexicon's words (not its comments or layout)."""
    canon = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()[:16]


def check(recorded: Any, what: str) -> None:
    """Warn when a model was trained with another lexicon than the one loaded:
    its features and learned words assume the vocabulary it saw."""
    if isinstance(recorded, str) and recorded != FINGERPRINT:
        warnings.warn(f"{what} was trained with lexicon {recorded}, this is {FINGERPRINT} ({PATH}): "
                      "retrain with `vnreport-ie train` (make models)", stacklevel=3)


# Every list of the file and its place: a list the code does not read is an
# error at load time (see tests/test_lexicon.py for the other direction).
SCHEMA = {
    "units": ("meeting_prefix", "meeting_second", "points", "papers", "person", "generic_person",
              "attendance", "non_count", "capital"),
    "numbers": ("count_words", "count_scales", "digits", "scales", "structure", "hedges", "vague",
                "function_words", "ordinal_nouns", "before_count_capital"),
    "courses": ("event_verbs", "nouns", "counted_nouns", "hold_verbs", "given_markers", "not_given", "received_words",
                "not_trainees", "group_openers", "held_alone", "training_words", "stops"),
    "meetings": ("hold_verbs", "hold_before", "actor_verbs", "topic_not_starts", "nouns", "counted_nouns", "modifiers",
                 "online", "in_person"),
    "organisations": ("heads", "bare_heads", "continuation", "places", "not_stops"),
    "phrases": ("stops", "group_stops", "not_after_cho", "anniversary_stops", "unit_stops"),
    "activities": ("verbs", "passive", "subject", "gap_fillers"),
    "documents": ("types", "qualifiers", "issue_verbs", "issue_adverbs", "dated_types"),
    "reviews": ("kinds", "work_words", "subject_stops"),
    "relations": ("between_words",),
    "status": ("completed", "ongoing", "planned", "opened"),
    "time": ("day_words", "holiday_leads", "event_refs", "duration_cues", "plan_words", "graduate_nouns"),
}

PATH = Path(os.environ.get("VNREPORT_IE_LEXICON") or DEFAULT_FILE)
DATA = read(PATH)
FINGERPRINT = fingerprint(DATA)


def _words(group: str, name: str) -> tuple[str, ...]:
    return tuple(DATA[group][name])


# --- units: what a count counts
COURSE_NOUNS = _words("courses", "nouns")
CLASS_UNITS = frozenset(COURSE_NOUNS + _words("courses", "counted_nouns"))
MEETING_NAMED = _words("meetings", "nouns")
MEETING_NOUNS = frozenset(MEETING_NAMED + _words("meetings", "counted_nouns"))
MEETING_PREFIX = frozenset(_words("units", "meeting_prefix"))
MEETING_SECOND = frozenset(_words("units", "meeting_second"))
POINT_UNITS = frozenset(_words("units", "points"))
PAPER_UNITS = frozenset(_words("units", "papers"))
PERSON_UNITS = frozenset(_words("units", "person"))
GENERIC_PERSON = frozenset(_words("units", "generic_person"))
ATTENDANCE = _words("units", "attendance")
NON_COUNT_UNITS = frozenset(_words("units", "non_count"))
CAPITAL_UNITS = frozenset(_words("units", "capital"))

# --- numbers
COUNT_WORDS = _words("numbers", "count_words")
COUNT_SCALES = _words("numbers", "count_scales")
DIGIT_WORDS: dict[str, int] = dict(DATA["numbers"]["digits"])
SCALE_WORDS: dict[str, int] = dict(DATA["numbers"]["scales"])
NUMBER_STRUCTURE = _words("numbers", "structure")
HEDGES = _words("numbers", "hedges")
VAGUE = _words("numbers", "vague")
FUNCTION_WORDS = frozenset(_words("numbers", "function_words"))
ORDINAL_NOUNS = frozenset(_words("numbers", "ordinal_nouns"))
BEFORE_COUNT_CAPITAL = frozenset(_words("numbers", "before_count_capital"))

# --- courses and meetings
HOLD_VERBS = _words("courses", "hold_verbs")
COURSE_EVENT_VERBS = _words("courses", "event_verbs")
TRAINING_WORDS = frozenset(_words("courses", "training_words"))
GIVEN_MARKERS = _words("courses", "given_markers")
NOT_TRAINEES = frozenset(_words("courses", "not_trainees"))
NOT_GIVEN = _words("courses", "not_given")
RECEIVED_WORDS = _words("courses", "received_words")
GROUP_OPENERS = _words("courses", "group_openers")
HELD_ALONE = _words("courses", "held_alone")
COURSE_STOPS = frozenset(_words("courses", "stops"))
MEETING_MODIFIERS = frozenset(_words("meetings", "modifiers"))
MEETING_HOLD_VERBS = _words("meetings", "hold_verbs")
MEETING_HOLD_BEFORE = _words("meetings", "hold_before")
TOPIC_NOT_STARTS = _words("meetings", "topic_not_starts")
MEETING_ACTOR_VERBS = _words("meetings", "actor_verbs")
ONLINE = _words("meetings", "online")
IN_PERSON = _words("meetings", "in_person")

# --- organisations and phrase edges
ORG_HEADS = _words("organisations", "heads")
BARE_HEADS = frozenset(_words("organisations", "bare_heads"))
ORG_CONTINUATION = frozenset(_words("organisations", "continuation"))
PLACE_NOUNS = frozenset(_words("organisations", "places"))
PHRASE_STOPS = frozenset(_words("phrases", "stops"))
ORG_STOPS = PHRASE_STOPS - frozenset(_words("organisations", "not_stops"))
GROUP_STOPS = frozenset(_words("phrases", "group_stops"))
NOT_A_GROUP = _words("phrases", "not_after_cho")
ANNIVERSARY_STOPS = frozenset(_words("phrases", "anniversary_stops"))
UNIT_STOPS = frozenset(_words("phrases", "unit_stops"))

# --- tallies, documents, reviews, relation features
ACTIVITY_VERBS = frozenset(_words("activities", "verbs"))
GAP_FILLERS = _words("activities", "gap_fillers")
PASSIVE_VERBS = _words("activities", "passive")
SUBJECT_VERBS = _words("activities", "subject")
DOC_TYPES = _words("documents", "types")
DOC_QUALIFIERS = _words("documents", "qualifiers")
DOC_ISSUE_VERBS = _words("documents", "issue_verbs")
DOC_ISSUE_ADVERBS = _words("documents", "issue_adverbs")
DOC_DATED_TYPES = _words("documents", "dated_types")
REVIEW_KINDS = _words("reviews", "kinds")
REVIEW_WORK_WORDS = _words("reviews", "work_words")
REVIEW_SUBJECT_STOPS = _words("reviews", "subject_stops")
BETWEEN_WORDS = _words("relations", "between_words")

# --- v2: a training's status, and the words around dates, durations and plans
STATUS_WORDS: tuple[tuple[str, str], ...] = tuple(
    [(w, "completed") for w in _words("status", "completed")] + [(w, "ongoing") for w in _words("status", "ongoing")]
    + [(w, "planned") for w in _words("status", "planned")] + [(w, "opened") for w in _words("status", "opened")])
DAY_WORDS = _words("time", "day_words")
HOLIDAY_LEADS = _words("time", "holiday_leads")
EVENT_REFS = _words("time", "event_refs")
DURATION_CUES = _words("time", "duration_cues")
PLAN_WORDS = _words("time", "plan_words")
GRADUATE_NOUNS = _words("time", "graduate_nouns")
