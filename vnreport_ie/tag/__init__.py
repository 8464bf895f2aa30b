"""Stage 3: entities and numbers, with values, on the ``Doc``.

Rules where the language is regular: numbers with their unit nouns, dates,
periods, document references, terms. Phrase entities (courses, meetings,
groups, organisations, topics, tally activities and units) are grown from
their trigger words to the next phrase boundary, reading the underthesea words
so that a boundary never falls inside a word.

The package, along its seams:

- :mod:`.registry`: the table of rules (label, trigger words, pattern,
  reader) that the tagger and the scan are both built from;
- :mod:`.patterns`: the compiled patterns; :mod:`.words`: how rules read words;
- :mod:`.regular`: dates, periods, documents, terms, reviews, anniversaries;
- :mod:`.counts`: numbers with their unit nouns; the tally verb before one;
- :mod:`.phrases`: courses, meetings, groups, organisations, tallies;
- :mod:`.tagger`: the component that runs them and applies the phrase model.

Every entity is a character span of the NFC text with a value; the relation
stage reads the ``attrs`` (unit class, hedge, role in the clause).
"""

from __future__ import annotations

from .counts import COUNT_TRIGGERS, activity_after, activity_before, tag_counts
from .patterns import ANNIVERSARY, COURSE_WORD, DOC, HOLD_WORD, LIST_ITEM, MEETING_WORD, NUMBER
from .registry import RULES, Rule, describe
from .regular import report_year, tag_dates, tag_periods, tag_regular
from .sentence import Count, Found, Mask, Sentence
from .tagger import LEXICON_FILE, Tagger, load_activities
from .words import activity_pattern, lex_at, lex_prefix, prev_is_number, trie_pattern

__all__ = ["ANNIVERSARY", "COUNT_TRIGGERS", "COURSE_WORD", "DOC", "HOLD_WORD", "LEXICON_FILE", "LIST_ITEM",
           "MEETING_WORD", "NUMBER", "RULES", "Count", "Found", "Mask", "Rule", "Sentence", "Tagger",
           "activity_after", "activity_before", "activity_pattern", "describe", "lex_at", "lex_prefix", "load_activities",
           "prev_is_number", "report_year", "tag_counts", "tag_dates", "tag_periods", "tag_regular", "trie_pattern"]
