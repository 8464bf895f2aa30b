"""vnreport-ie report: numbers of its tables, self-containment, links, and a real browser."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

import vnreport_ie
from vnreport_ie.batch import run_batch
from vnreport_ie.cli import main
from vnreport_ie.report import read_archive
from vnreport_ie.taxonomy import labels

from .conftest import ROOT

# Corpus reports with trainings, meetings and documents; a few keep the tests quick.
N_DOCS = 12


class Tables(HTMLParser):
    """Each section's table as rows of cell texts, the links of its last column, and every external reference."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self.links: list[str] = []
        self.external: list[str] = []
        self.section: str | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.section = a["id"]
            self.tables[self.section] = []
        elif tag == "tr" and self.section:
            self.tables[self.section].append([])
        elif tag == "td":
            self.cell = []
        elif tag == "a" and self.section:
            self.links.append(a["href"])
        for key in ("src", "href"):
            if a.get(key, "").startswith(("http:", "https:", "//")):
                self.external.append(a[key])
        if tag in ("script", "link", "img", "iframe"):
            self.external.append(tag)

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.tables[self.section][-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def parse(page: str) -> Tables:
    p = Tables()
    p.feed(page)
    p.tables = {k: [row for row in rows if row] for k, rows in p.tables.items()}  # header rows have no <td>
    return p


def number(cell: str) -> int:
    return int(cell.replace(",", ""))


@pytest.fixture(scope="module")
def batch_out(tmp_path_factory):
    rows = [json.loads(line) for line in (ROOT / "corpus" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    docs = [{"id": r["id"], "text": r["text"], "url": f"https://example.vn/{i}", "date": f"2023{i % 3 + 1:02d}15",
             "category": "party"} for i, r in enumerate(rows[:N_DOCS])]
    tmp = tmp_path_factory.mktemp("report")
    inp = tmp / "news.jsonl"
    inp.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    run_batch([inp], tmp / "out", workers=1, progress="none")
    return tmp, inp, docs


@pytest.fixture(scope="module")
def report(batch_out):
    tmp, inp, _ = batch_out
    page = tmp / "report.html"
    assert main(["report", str(tmp / "out"), "-o", str(page), "--input", str(inp)]) == 0
    return page


def test_tables_agree_with_pandas(batch_out, report):
    tmp, inp, docs = batch_out
    archive = read_archive(tmp / "out", [inp])
    assert len(archive.rows) == N_DOCS and archive.extra[docs[0]["id"]]["category"] == "party"
    f = vnreport_ie.to_frames(archive.rows, extra=archive.extra)
    tables = parse(report.read_text(encoding="utf-8")).tables

    training = f["training"]
    expected = training.groupby("course_type")["participants"].sum()
    names = labels("course_type")
    shown = {row[0]: number(row[1]) for row in tables["by-course-type"]}
    assert shown == {names[k]: int(v) for k, v in expected.items()}
    assert sum(shown.values()) == training["participants"].sum() > 0

    per_month = {row[0]: number(row[1]) for row in tables["per-month"]}
    assert sum(per_month.values()) == sum(len(df) for df in f.values())
    months = set().union(*(set(df["month"].dropna()) for df in f.values() if "month" in df))  # facts' own dates
    assert set(per_month) <= {"2023-01", "2023-02", "2023-03", "(không rõ)"} | months

    meetings = {row[0]: [number(c) for c in row[1:-1]] for row in tables["by-meeting-kind"]}
    m = f["meeting"]
    assert sum(v[0] for v in meetings.values()) == int(m["count"].fillna(1).sum())
    assert all(v[0] == sum(v[1:5]) for v in meetings.values())  # online + in person + hybrid + unknown

    cited = tables["cited-documents"]
    assert cited and number(cited[0][1]) == f["document"].groupby("number")["doc_id"].nunique().max()


def test_page_is_self_contained_and_links_resolve(report):
    page = report.read_text(encoding="utf-8")
    p = parse(page)
    assert p.external == []
    assert "<svg" in page and page.count("<section") == 5
    assert p.links and all(link.startswith("report_docs/doc-") for link in p.links)
    for link in set(p.links):
        inspector = (report.parent / link).read_text(encoding="utf-8")
        assert 'id="text"' in inspector and "<script>" in inspector


def test_report_without_input_links_nothing_and_says_so(batch_out, tmp_path, capsys):
    tmp, _, _ = batch_out
    page = tmp_path / "r.html"
    assert main(["report", str(tmp / "out"), "-o", str(page)]) == 0
    assert parse(page.read_text(encoding="utf-8")).links == []
    assert "wrote" in capsys.readouterr().err
    assert main(["report", str(tmp_path), "-o", str(page)]) == 2  # not a batch OUTDIR: one line, no traceback


def test_help_teaches(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    out = capsys.readouterr().out
    assert "vnreport-ie batch news.jsonl.gz" in out and "--input" in out and "inspector" in out


def test_browser_renders_without_console_errors(browser, report):
    from selenium.webdriver.common.by import By

    browser.get(report.as_uri())
    assert browser.find_elements(By.CSS_SELECTOR, "svg.bars rect")
    assert [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")] == []
    assert browser.save_screenshot(str(report.with_suffix(".png")))  # beside the page, not in the checkout
    link = browser.find_element(By.CSS_SELECTOR, "td.docs a")
    link.click()
    assert browser.find_elements(By.CSS_SELECTOR, "#text .seg")
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
