"""Stage 1: NFC and whitespace unification that never moves an offset.

Offsets in the output refer to the NFC text (the schema's contract). The
working copy replaces odd whitespace one character for one character, so an
offset in the working copy is the same offset in the NFC text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Characters that act as spaces or break words invisibly. Each maps to one
# character, so lengths and offsets are kept.
_SPACE_LIKE = dict.fromkeys(map(ord, "\t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                                     "\u2007\u2008\u2009\u200a\u202f\u205f\u3000\u000b\u000c"
                                     "\u200b\u200c\u200d\u2060\ufeff"), " ")
_SPACE_LIKE.update({0x2028: "\n", 0x2029: "\n", 0x85: "\n"})
_SPACE_LIKE_RX = re.compile("[" + "".join(map(chr, _SPACE_LIKE)) + "]")


@dataclass(frozen=True)
class Normalised:
    text: str  # NFC: what offsets refer to
    work: str  # same length, whitespace unified: what the pipeline reads
    normalized: bool  # the input was not NFC


def normalise(text: str) -> Normalised:
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    nfc = text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)
    # (translate walks every character: only when there is something to replace)
    work = nfc.translate(_SPACE_LIKE) if _SPACE_LIKE_RX.search(nfc) else nfc
    # CRLF -> " \n" and a lone CR -> "\n": one character each, line structure kept.
    work = work.replace("\r\n", " \n").replace("\r", "\n")
    # Lone surrogates (from lenient JSON) break the segmenter; markup left over
    # from web pages splits a number from its unit. Both are blanked in the
    # working copy only, character for character.
    work = _SURROGATE.sub("\ufffd", work)
    if "<" in work or "&" in work:
        work = _MARKUP.sub(lambda m: " " * len(m.group()), work)
    return Normalised(text=nfc, work=work, normalized=nfc != text)


_SURROGATE = re.compile("[\ud800-\udfff]")
_MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,15}(?:\s[^<>\n]{0,300})?/?>|&(?:[A-Za-z]{2,8}|#\d{1,6}|#x[0-9A-Fa-f]{1,6});")
