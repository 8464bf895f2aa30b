"""The report's charts as plain data: each is a table whose first number column
is drawn as bars, with the documents behind every row.

Everything is computed from :func:`vnreport_ie.to_frames`, so a chart is the
pandas answer to one question; ``Chart.rows`` holds it for the template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..frames import to_frames
from ..schema import FACT_TYPE
from ..taxonomy import labels

if TYPE_CHECKING:
    import pandas as pd

    from .archive import Archive

UNKNOWN = "(không rõ)"
DOCS_PER_ROW = 5  # documents linked from each table row, the largest contributions first
MODES = FACT_TYPE["meeting"].slot("mode").values


@dataclass
class Row:
    """One bar and its table row: ``cells`` follow the chart's ``columns``
    (the first is ``label``, the second ``value``), ``docs`` are doc ids."""

    label: str
    value: int
    cells: list[Any]
    docs: list[str] = field(default_factory=list)


@dataclass
class Chart:
    """A titled bar chart with its table; ``note`` says how it was counted."""

    id: str
    title: str
    note: str
    columns: list[str]
    rows: list[Row]

    @property
    def max_value(self) -> int:
        """The longest bar's value (at least 1, so an empty chart draws)."""
        return max([r.value for r in self.rows] + [1])

    def values(self) -> dict[str, int]:
        """``{row label: bar value}``: what a test compares with pandas."""
        return {r.label: r.value for r in self.rows}


def build_charts(archive: Archive, top: int = 20) -> list[Chart]:
    """The report's charts over ``archive``, each at most ``top`` rows (by value)."""
    frames = to_frames(archive.rows, extra=archive.extra, texts=archive.texts)
    return [facts_per_month(frames), trainees_by_course_type(frames["training"]),
            trainees_by_province(frames["training"], top), meetings_by_kind(frames["meeting"]),
            cited_documents(frames["document"], top)]


def _docs(df: pd.DataFrame, weight: pd.Series | None = None) -> list[str]:
    """The doc ids of ``df``, the ones with the largest total ``weight`` (or most facts) first."""
    import pandas as pd

    w = (weight if weight is not None else pd.Series(1, index=df.index)).fillna(0).astype("int64")
    totals = w.groupby(df["doc_id"]).sum().sort_values(ascending=False, kind="stable")
    return [str(d) for d in totals.index[:DOCS_PER_ROW]]


def facts_per_month(frames: dict[str, pd.DataFrame]) -> Chart:
    """Facts of every type per month (the fact's date, else the document's)."""
    import pandas as pd

    parts = [df[["doc_id", "month"]].assign(type=name) for name, df in frames.items() if len(df)]
    rows: list[Row] = []
    types = list(frames)
    if parts:
        all_facts = pd.concat(parts, ignore_index=True)
        all_facts["month"] = all_facts["month"].fillna(UNKNOWN)
        # Months in calendar order; facts with no month last.
        for month, g in sorted(all_facts.groupby("month"), key=lambda kv: (kv[0] == UNKNOWN, kv[0])):
            counts = g["type"].value_counts()
            rows.append(Row(month, len(g), [month, len(g), *(int(counts.get(t, 0)) for t in types)], _docs(g)))
    return Chart("per-month", "Facts per month",
                 "Month of the fact's own date when the text gives one, else of the article's publication date.",
                 ["month", "facts", *types], rows)


def trainees_by_course_type(training: pd.DataFrame) -> Chart:
    """Trainees (``participants``) per ``course_type``, with classes and facts."""
    names = labels("course_type")
    rows = []
    for ctype, g in training.groupby("course_type"):
        trainees = int(g["participants"].sum())
        rows.append(Row(names.get(str(ctype), str(ctype)), trainees,
                        [names.get(str(ctype), str(ctype)), trainees, int(g["classes"].sum()), len(g),
                         g["doc_id"].nunique()], _docs(g, g["participants"])))
    rows.sort(key=lambda r: (-r.value, r.label))
    return Chart("by-course-type", "Trainees by course type",
                 "Sum of participants of training facts, by the course_type of taxonomy.toml.",
                 ["course type", "trainees", "classes", "facts", "articles"], rows)


def province_of(df: pd.DataFrame) -> pd.Series:
    """The province of each row: ``province``, else the location as written."""
    return df["province"].fillna(df["location"]).fillna(UNKNOWN)


def trainees_by_province(training: pd.DataFrame, top: int) -> Chart:
    """Trainees per province (top ``top``), with the facts that count them."""
    rows = []
    for place, g in training.groupby(province_of(training)):
        trainees = int(g["participants"].sum())
        rows.append(Row(str(place), trainees, [str(place), trainees, len(g), g["doc_id"].nunique()],
                        _docs(g, g["participants"])))
    rows.sort(key=lambda r: (-r.value, r.label))
    return Chart("by-province", "Trainees by province",
                 "Province of the record (meta.province), else the place the article names (meta.location).",
                 ["province", "trainees", "facts", "articles"], rows[:top])


def meetings_by_kind(meeting: pd.DataFrame) -> Chart:
    """Meetings per ``meeting_kind``, split by ``mode``."""
    names = labels("meeting_kind")
    rows = []
    # A fact may count several meetings ("412 hội nghị"): its `count`, else one.
    n = meeting["count"].fillna(1) if len(meeting) else meeting["count"]
    for kind, g in meeting.groupby("meeting_kind"):
        k = n.loc[g.index]
        by_mode = [int(k[g["mode"] == m].sum()) for m in MODES]
        total = int(k.sum())
        rows.append(Row(names.get(str(kind), str(kind)), total,
                        [names.get(str(kind), str(kind)), total, *by_mode, total - sum(by_mode),
                         int(g["participants"].sum())], _docs(g, k)))
    rows.sort(key=lambda r: (-r.value, r.label))
    return Chart("by-meeting-kind", "Meetings by kind and mode",
                 "Number of meetings (a fact's count, else 1) by the meeting_kind of taxonomy.toml and mode.",
                 ["kind", "meetings", *MODES, "mode unknown", "participants"], rows)


def _short(text: str, n: int = 90) -> str:
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


def cited_documents(document: pd.DataFrame, top: int) -> Chart:
    """The documents (resolutions, directives...) cited by the most articles."""
    rows = []
    numbered = document[document["number"].notna()]
    key = numbered["number"].str.upper().str.replace(r"\s+", "", regex=True)
    for number, g in numbered.groupby(key):
        articles = g["doc_id"].nunique()
        title = g["title"].dropna().mode()
        doc_type = g["doc_type"].dropna().mode()
        rows.append(Row(str(number), articles, [str(number), articles, len(g),
                                                str(doc_type.iloc[0]) if len(doc_type) else "",
                                                _short(str(title.iloc[0])) if len(title) else ""], _docs(g)))
    rows.sort(key=lambda r: (-r.value, r.label))
    return Chart("cited-documents", "Most cited documents",
                 "Articles citing each numbered document (numbers compared without case or spaces).",
                 ["number", "articles", "mentions", "type", "title"], rows[:top])
