"""vnreport_ie: structured, grounded facts from Vietnamese party and government reports.

>>> import vnreport_ie
>>> record = vnreport_ie.extract("Trường Chính trị tỉnh đã mở 2 lớp Trung cấp Lý luận chính trị (111 học viên).")
>>> [(f.type, f.get("course"), f.get("classes"), f.get("participants")) for f in record.facts]
[('training', 'Trung cấp Lý luận chính trị', 2, 111)]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["load", "extract", "Pipeline", "Record", "Fact", "Entity", "Relation", "to_frames", "__version__"]

if TYPE_CHECKING:
    from .frames import to_frames
    from .pipeline import Pipeline, extract, load
    from .types import Entity, Fact, Record, Relation


def __getattr__(name: str) -> Any:
    # Lazy, so that `python -m vnreport_ie.corpus` works without the heavy dependencies.
    if name in ("load", "extract", "Pipeline"):
        from . import pipeline

        return getattr(pipeline, name)
    if name in ("Record", "Fact", "Entity", "Relation"):
        from . import types

        return getattr(types, name)
    if name == "to_frames":
        # pandas is imported by to_frames() itself, only when called.
        from .frames import to_frames

        return to_frames
    raise AttributeError(f"module 'vnreport_ie' has no attribute {name!r}")
