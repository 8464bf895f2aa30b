"""Reading and writing the small JSON models (relevance, confidence): one way
to load them, with the file named in every error, and nothing executed on load."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, TypeVar

T = TypeVar("T")


def read(path: Path, from_json: Callable[[Any], T], what: str) -> T | None:
    """``from_json`` of the file's data; None when there is no file."""
    p = Path(path)
    if not p.exists():
        return None
    try:
        return from_json(json.loads(p.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot load {what} {p}: {exc}") from None


def write(path: Path, data: dict[str, Any]) -> None:
    Path(path).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
