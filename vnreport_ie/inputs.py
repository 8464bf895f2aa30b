"""Telling a UTF-8 text file from everything else, shared by the CLI, ``show``
and batch.

The sniffing is shared; each caller words its own message (the commands name
the file, batch writes an error row).
"""

from __future__ import annotations

from pathlib import Path

SNIFF_BYTES = 8192


def sniff(data: bytes) -> tuple[str, int] | None:
    """``("utf16_bom" | "utf16" | "binary", byte offset)`` for bytes that cannot be
    a UTF-8 report, judged on the first 8 KiB; None when they may be one."""
    head = data[:SNIFF_BYTES]
    nul = head.find(b"\x00")
    if nul < 0:
        return None
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf16_bom", 0
    if _looks_utf16(head):
        return "utf16", nul
    return "binary", nul


def _looks_utf16(head: bytes) -> bool:
    """Text in UTF-16 has a NUL in every other byte for ASCII letters and digits."""
    even, odd = head[0::2], head[1::2]
    return max(even.count(0) / max(1, len(even)), odd.count(0) / max(1, len(odd))) > 0.3 \
        and min(even.count(0), odd.count(0)) < 0.05 * max(1, len(head) // 2)


MAX_BYTES = 50_000_000


class InputError(ValueError):
    """A file that cannot be read as a UTF-8 text report."""


def read_text(path: Path) -> str:
    """The UTF-8 text report at ``path``, or an :class:`InputError` that says why not."""
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: {len(data):,} bytes is over the {MAX_BYTES:,}-byte limit")
    return decode_text(data, str(path))


def decode_text(data: bytes, name: str) -> str:
    """``data`` as text, or an :class:`InputError` naming ``name`` and what is wrong."""
    kind = sniff(data)
    if kind is not None:
        what, offset = kind
        if what == "utf16_bom":
            raise InputError(f"{name}: looks like UTF-16 (byte order mark at byte offset 0); convert it to UTF-8 first")
        if what == "utf16":
            raise InputError(f"{name}: looks like UTF-16 (NUL byte at byte offset {offset}); convert it to UTF-8 first")
        raise InputError(f"{name}: looks like a binary file (NUL byte at byte offset {offset}), not a text report")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not valid UTF-8 at byte offset {exc.start} "
                         f"(byte 0x{data[exc.start]:02x}); convert it to UTF-8 first") from None
    return text


def parse_published(value: object) -> str:
    """A publication date as an ISO date: ``2021-04-27``, ``20210427`` (the
    form news archives often use), a ``datetime``/``date``, or an ISO
    timestamp (its date part). Raises :class:`InputError` saying what is
    accepted, so a bad ``--published`` or ``date`` field is named, not guessed."""
    from datetime import date

    s = value.isoformat() if hasattr(value, "isoformat") else str(value).strip()
    if len(s) == 8 and s.isdigit():
        s = f"{s[:4]}-{s[4:6]}-{s[6:]}"
    try:
        return date.fromisoformat(s[:10]).isoformat()
    except ValueError:
        raise InputError(f"{value!r} is not a date; write it as 2021-04-27 or 20210427") from None
