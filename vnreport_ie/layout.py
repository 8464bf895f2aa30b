"""Where the sentences, paragraphs and lead of a text are.

Read by the tokenizer (sentences are segmented one by one), the scan, the
tagger (sentence and paragraph of every entity) and the record (the
reporting period is read from the lead), so that all cut the text alike.
"""

from __future__ import annotations

import re

# A sentence ends after `.`, `!`, `?` or `…` and the spaces before a capital,
# digit, quote or dash, or at a line break. (The mark is matched, not looked
# behind at: a pattern that starts with one character set is scanned far faster.)
_SENT_END = re.compile(r"[.!?…\n](?:(?<=\n)\n*|(?<=[.!?…])\s+(?=[\"“(]?[A-ZĐÀ-Ỹ0-9-]))")

MAX_SENTENCE = 3000


def sentence_spans(text: str, max_len: int = MAX_SENTENCE) -> list[tuple[int, int]]:
    """Sentence (or line) spans, without surrounding whitespace.

    A "sentence" longer than ``max_len`` (a table flattened into one line, a
    run of digits) is cut at a space, so the work per sentence stays bounded
    and the whole stays linear in the length of the text.
    """
    out: list[tuple[int, int]] = []
    start = 0
    append = out.append
    for m in _SENT_END.finditer(text):
        end, nxt = m.span()
        if text[end] != "\n":
            end += 1  # (the mark ends the sentence)
        if 0 < end - start <= max_len and not text[start].isspace() and not text[end - 1].isspace():
            append((start, end))  # the usual case: the boundary took the spaces
        else:
            _bounded(text, start, end, max_len, out)
        start = nxt
    _bounded(text, start, len(text), max_len, out)
    return out


def sentences(text: str, max_len: int = MAX_SENTENCE) -> list[tuple[int, int, int]]:
    """(start, end, paragraph) of every sentence of ``text``.

    A line break starts a paragraph, except before a list item (a bullet
    line, or a line after a colon): a list stays in the paragraph that
    introduced it.
    """
    out = []
    paragraph, last_end = 0, 0
    for a, b in sentence_spans(text, max_len):
        if "\n" in text[last_end:a] and not (text[a] in "-+•*–" or last_end and text[last_end - 1] == ":"):
            paragraph += 1
        last_end = b
        out.append((a, b, paragraph))
    return out


def _bounded(text: str, a: int, b: int, max_len: int, out: list[tuple[int, int]]) -> None:
    while b - a > max_len:
        cut = text.rfind(" ", a + max_len // 2, a + max_len)
        if cut <= a:
            cut = a + max_len
        _trimmed(text, a, cut, out)
        a = cut
    _trimmed(text, a, b, out)


def _trimmed(text: str, a: int, b: int, out: list[tuple[int, int]]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if a < b:
        out.append((a, b))


def lead_bounds(text: str) -> tuple[int, int]:
    """(end of the title, end of the lead) as :func:`extract_meta` reads them,
    from the first three non-empty lines only: the title is the first line
    when it is short and not alone; the lead ends with the third line."""
    ends, pos = [], 0
    while len(ends) < 3 and pos <= len(text):
        nl = text.find("\n", pos)
        nl = len(text) if nl < 0 else nl
        if text[pos:nl].strip():
            ends.append((pos, nl))
        pos = nl + 1
    if not ends:
        return 0, 0
    first = ends[0]
    title = len(text[first[0]:first[1]].strip()) <= 300 and len(ends) > 1
    return (first[1] if title else 0), ends[-1][1]
