"""Reading words in the text: lexicon look-ups, word edges, phrase growth.

The tagger's rules work on character offsets of the NFC text; these helpers
find where a word or a lexicon entry ends, reading the segmenter's words
(``token_end``) where there are any so that a boundary never falls inside a
word. No rule lives here: only the ways rules read text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from ..numbers import words_to_int


def lex_at(text: str, pos: int, words: Iterable[str]) -> int | None:
    """End of the longest lexicon entry starting at ``pos`` (word-bounded).

    Any run of whitespace matches the space inside an entry, so blanked markup
    or a doubled space (`học   viên`) does not hide a word.
    """
    key = words if isinstance(words, (frozenset, tuple)) else tuple(words)
    m = lexicon_pattern(key).match(text, pos)
    return m.end() if m else None


@lru_cache(maxsize=256)
def lexicon_pattern(words: frozenset[str] | tuple[str, ...]) -> re.Pattern[str]:
    # Longest entries first, so the alternation returns the longest match.
    alts = sorted(set(words), key=lambda w: (-len(w), w))
    body = "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in alts if w.strip())
    return re.compile(rf"(?:{body})(?!\w)", re.IGNORECASE)


def lex_prefix(text: str, pos: int, words: Iterable[str]) -> int | None:
    """End of the first of ``words`` that ``text`` continues with at ``pos``
    (case-blind, not word-bounded: `lượt` in `lượt người`)."""
    for w in words:
        if text[pos:pos + len(w)].lower() == w:
            return pos + len(w)
    return None


def next_word(text: str, pos: int, token_end: dict[int, int]) -> tuple[int, int] | None:
    while pos < len(text) and text[pos] == " ":
        pos += 1
    if pos >= len(text) or not text[pos].isalpha():
        return None
    if pos in token_end and text[pos:token_end[pos]].replace(" ", "").isalpha():
        return pos, token_end[pos]
    m = _WORD.match(text, pos)  # (not on ``text[pos:]``: a copy of the rest of the text per call)
    return (pos, m.end()) if m else None


_WORD = re.compile(r"\w+")


def prev_word(text: str, pos: int, lo: int) -> str:
    """The last one or two words before ``pos`` (not before ``lo``), lower-cased:
    the match of ``(\\w+(?:\\s+\\w+)?)\\s*$`` on ``text[lo:pos]``, read backwards
    so that the cost does not grow with the sentence."""
    i = pos
    while i > lo and text[i - 1].isspace():
        i -= 1
    j = word_start(text, i, lo)
    if j == i:
        return ""
    k = j
    while k > lo and text[k - 1].isspace():
        k -= 1
    if k < j:
        m = word_start(text, k, lo)
        if m < k:
            return text[m:i].lower()
    return text[j:i].lower()


def word_start(text: str, i: int, lo: int) -> int:
    # `\w` is exactly `isalnum()` or the underscore.
    while i > lo and (text[i - 1].isalnum() or text[i - 1] == "_"):
        i -= 1
    return i


def grow(text: str, pos: int, limit: int, token_end: dict[int, int], *, stops: frozenset[str],
          allow_comma: bool = True, max_words: int = 30, keep: frozenset[str] | None = None,
          after_comma: frozenset[str] | None = None, count_starts: frozenset[int] = frozenset(),
          stop_at_digit: bool = False) -> int:
    """End of a phrase from ``pos``: words until a stop word or hard punctuation.

    A comma continues the phrase only when the next word is not a stop word
    and not a number (``cán bộ, công chức``); ``keep`` restricts the words
    allowed at all (used for meeting modifiers and organisation names).
    """
    end = pos
    i = pos
    words = 0
    while i < limit and words < max_words:
        while i < limit and text[i] == " ":
            i += 1
        if i >= limit:
            break
        ch = text[i]
        if ch in ",":
            j = i + 1
            while j < limit and text[j] == " ":
                j += 1
            if not allow_comma or j >= limit or not text[j].isalpha():
                break
            if lex_at(text, j, stops) or j in count_starts:
                break
            if after_comma is not None and not lex_at(text, j, after_comma):
                break
            if keep is not None and not lex_at(text, j, keep):
                break
            i = j
            continue
        if ch == "-" and i + 1 < limit and text[i + 1].isalpha():
            i += 1
            continue
        if not (ch.isalnum()):
            break
        if ch.isdigit():
            m = re.match(r"\d+", text[i:limit])
            # The next count ends the phrase; a number inside a name does not
            # (but what a tally counts never runs into another figure).
            if i in count_starts or stop_at_digit:
                break
            end = i + (m.end() if m else 1)
            i = end
            words += 1
            continue
        stop = lex_at(text, i, stops)
        if stop:
            break
        word = next_word(text, i, token_end)
        if word is None:
            break
        w_end = min(word[1], limit)
        if keep is not None and not text[i].isupper():
            k = lex_at(text, i, keep)
            if not k:
                break
            w_end = max(w_end, k) if k <= limit else w_end
        end = w_end
        i = w_end
        words += 1
    return end


def skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] == " ":
        pos += 1
    return pos


def prev_is_number(text: str, pos: int, lo: int) -> bool:
    """The word before ``pos`` (not before ``lo``) is a number, in digits or words."""
    # The last run of non-spaces in text[lo:pos] (``(\S+)\s*$``), read
    # backwards so that the cost does not grow with the sentence; ``\s`` is
    # exactly ``str.isspace``.
    i = min(pos, len(text))
    while i > lo and text[i - 1].isspace():
        i -= 1
    j = i
    while j > lo and not text[j - 1].isspace():
        j -= 1
    if j == i:
        return False
    w = text[j:i].lower()
    return bool(re.fullmatch(r"[\d.,]+", w)) or words_to_int(w) is not None or w in ("chục", "trăm")


def activity_pattern(verbs: Iterable[str]) -> re.Pattern[str]:
    """Any of ``verbs`` as a whole word, the longest first."""
    return re.compile(rf"(?<![^\W_])(?:{trie_pattern(sorted({v.lower() for v in verbs if v.strip()}))})(?![^\W_])",
                      re.IGNORECASE)


def trie_pattern(words: Iterable[str]) -> str:
    """One regex alternation for many words, as a trie: Python's ``re`` tries
    the branches of a flat alternation one by one at every position, a trie
    only the branches that share the next character. Longer entries win, as in
    a flat alternation sorted longest first."""
    root: dict[str, dict] = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + build(node[ch]) for ch in sorted(k for k in node if k)]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


def closed(text: str, end: int) -> bool:
    """Does no letter follow ``end`` (spaces aside)? Then no word of the
    segmenter runs on past it: it joins syllables, and a joined word that is
    not all letters is read syllable by syllable (``next_word``)."""
    while end < len(text) and text[end].isspace():
        end += 1
    return end >= len(text) or not text[end].isalpha()


def after_digit(s: str, i: int) -> bool:
    """Is ``s[:i]`` a digit and then only spaces (``\\d\\s*$``)?"""
    while i > 0 and s[i - 1].isspace():
        i -= 1
    return i > 0 and s[i - 1].isdecimal()


def is_subject(text: str, pos: int, lo: int) -> bool:
    """An organisation that opens its clause (sentence start or after an intro phrase)."""
    before = text[lo:pos].strip()
    if not before:
        return True
    return bool(re.search(r"(?:,|:|;|\bthì|^Trong [^,]{0,60})$", before)) and len(before) < 80 or before.endswith(";")
