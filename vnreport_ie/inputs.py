"""Telling a UTF-8 text file from everything else, shared by the CLI and batch.

Only the sniffing lives here; each caller words its own message (the CLI names
the file, batch writes an error row).
"""

from __future__ import annotations

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
