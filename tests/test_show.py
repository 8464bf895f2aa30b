"""The HTML inspector: escaping, grounding of every span, self-containment, and a
real click in headless Chromium."""

from __future__ import annotations

import argparse
from html.parser import HTMLParser
from pathlib import Path

import pytest

from vnreport_ie.show import add_parser, render_html

ROOT = Path(__file__).resolve().parent.parent
SEED_ID = "000_fca4d81f41333468"

# Characters outside the BMP are two UTF-16 units in JS but one Python index.
EMOJI_TEXT = "😀😀 Báo cáo 🇻🇳\nTrường Chính trị tỉnh đã mở 2 lớp Cao cấp Lý luận chính trị (111 học viên)."


class Page(HTMLParser):
    """What the tests look at: segments of #text, fact rows, and every external reference."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.text_parts: list[str] = []
        self.segments: list[tuple[dict[str, str], str]] = []
        self.rows: list[dict[str, str]] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.script_text = ""
        self.style_text = ""

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag == "tr" and "fact" in a.get("class", "").split():
            self.rows.append(a)
        self.stack.append((tag, a))

    def handle_endtag(self, tag):
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data):
        if any(t == "script" for t, _ in self.stack):
            self.script_text += data
        if any(t == "style" for t, _ in self.stack):
            self.style_text += data
        if any(a.get("id") == "text" for _, a in self.stack):
            self.text_parts.append(data)
            if self.stack and "seg" in self.stack[-1][1].get("class", "").split():
                self.segments.append((self.stack[-1][1], data))


def parse(page: str) -> Page:
    p = Page()
    p.feed(page)
    p.close()
    return p


def entity_texts(p: Page) -> dict[int, str]:
    """Entity id -> the concatenated text of the segments that name it."""
    out: dict[int, str] = {}
    for attrs, data in p.segments:
        for i in attrs.get("data-ents", "").split():
            out[int(i)] = out.get(int(i), "") + data
    return out


@pytest.fixture(scope="module")
def seed_page(seed_record, seed_text) -> str:
    return render_html(seed_record, seed_text)


def test_text_is_shown_whole_and_every_entity_is_grounded(seed_page, seed_record, seed_text):
    p = parse(seed_page)
    assert "".join(p.text_parts) == seed_text
    got = entity_texts(p)
    ents = seed_record["entities"]
    assert len(ents) > 100
    for e in ents:
        assert got.get(e["id"]) == seed_text[e["start"]:e["end"]], e
    labels = {e["label"] for e in ents}
    legend = {a["data-label"] for t, a in p.tags if t == "span" and "data-label" in a and "class" in a
              and not a["class"].startswith(("ent", "seg"))}
    assert legend == labels


def test_fact_rows_carry_their_spans_and_evidence(seed_page, seed_record):
    p = parse(seed_page)
    assert len(p.rows) == len(seed_record["facts"])
    for row, fact in zip(p.rows, seed_record["facts"]):
        assert row["data-type"] == fact["type"]
        flat = [x for a, b in fact["spans"].values() for x in (a, b)]
        assert [int(x) for x in row["data-spans"].split()] == flat
        assert [int(x) for x in row["data-ev"].split()] == [fact["evidence"]["start"], fact["evidence"]["end"]]
    # Every span and evidence boundary is a segment boundary, so the page can highlight it exactly.
    cuts = {int(a["data-s"]) for a, _ in p.segments} | {int(a["data-e"]) for a, _ in p.segments}
    for fact in seed_record["facts"]:
        for a, b in list(fact["spans"].values()) + [(fact["evidence"]["start"], fact["evidence"]["end"])]:
            if b > a:
                assert a in cuts and b in cuts, (fact["type"], a, b)


def test_page_is_self_contained(seed_page):
    p = parse(seed_page)
    assert p.script_text.strip() and p.style_text.strip()
    for tag, attrs in p.tags:
        assert tag not in ("link", "iframe", "img", "object", "embed"), tag
        for key in ("src", "href", "action", "srcset"):
            assert key not in attrs, (tag, attrs)
    for code in (p.script_text, p.style_text):
        assert "http" not in code and "url(" not in code and "@import" not in code
        assert "fetch(" not in code and "XMLHttpRequest" not in code
    # The seed's source URL is shown, as text only.
    assert "tuyengiao.vn" in seed_page and 'href="http' not in seed_page


def test_hostile_text_is_escaped():
    text = 'A <script>alert("x")</script> & \'q\' </title> "2 lớp" <b>x</b>'
    start = text.index("<script>")
    end = text.index("</script>") + len("</script>")
    record = {
        "id": 'doc"><img src=x>',
        "meta": {"title": "</title><script>bad()</script>", "location": "<i>L</i>", "source_url": "javascript:x"},
        "entities": [
            {"id": 0, "label": 'ORG"><u', "start": start, "end": end, "text": text[start:end], "value": None},
            {"id": 1, "label": "COUNT", "start": text.index('"2'), "end": text.index('"2') + 7,
             "text": '"2 lớp"', "value": 2},
        ],
        "facts": [{"type": "tally", "activity": "<b>bold</b>", "value": 2, "unit": "a & b",
                   "approx": {"value": "<hơn>"}, "evidence": {"start": 0, "end": len(text)},
                   "spans": {"value": [text.index('"2'), text.index('"2') + 7]}}],
        "relations": [],
    }
    page = render_html(record, text)
    for raw in ('<script>alert', "<b>x</b>", "<b>bold</b>", "<img", "</title><script>", "<i>L</i>", "<hơn>",
                '"><u', "javascript:x\""):
        assert raw not in page, raw
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "a &amp; b" in page
    assert page.count("<script>") == 1  # only the page's own
    p = parse(page)
    assert "".join(p.text_parts) == text
    assert entity_texts(p) == {0: text[start:end], 1: '"2 lớp"'}
    # A label is used as a CSS class only after dropping what is not [A-Za-z0-9_-].
    assert "l-ORG___u" in page


def test_offsets_are_code_points_and_text_is_nfc(pipe):
    rec = pipe(EMOJI_TEXT, "emoji").to_dict()
    p = parse(render_html(rec, EMOJI_TEXT))
    got = entity_texts(p)
    assert any(e["label"] == "COUNT" and e["value"] == 111 for e in rec["entities"])
    for e in rec["entities"]:
        assert got[e["id"]] == EMOJI_TEXT[e["start"]:e["end"]]
    # Decomposed input: offsets refer to the NFC form, which the page shows.
    import unicodedata

    nfd = unicodedata.normalize("NFD", EMOJI_TEXT)
    rec2 = pipe(nfd, "nfd").to_dict()
    p2 = parse(render_html(rec2, nfd))
    assert "".join(p2.text_parts) == EMOJI_TEXT
    assert entity_texts(p2) == got


def test_offsets_beyond_the_text_are_an_error(seed_record):
    with pytest.raises(ValueError, match="outside the text"):
        render_html(seed_record, "short text")


def test_show_command_writes_the_page(tmp_path, caplog):
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="command", required=True))
    out = tmp_path / "page.html"
    args = parser.parse_args(["show", str(ROOT / "seeds" / f"{SEED_ID}.txt"), "-o", str(out)])
    with caplog.at_level("INFO", logger="vnreport_ie"):  # the CLI shows this logger on stderr
        assert args.func(args) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Kon Tum" in page
    assert "wrote" in caplog.text
    with pytest.raises(FileNotFoundError, match="no such file"):
        args = parser.parse_args(["show", str(tmp_path / "missing.txt")])
        args.func(args)
    bad = tmp_path / "bad.txt"
    bad.write_bytes("Trường ".encode() + b"\xff")
    with pytest.raises(ValueError, match="not valid UTF-8 at byte offset 10"):
        args = parser.parse_args(["show", str(bad)])
        args.func(args)


# --- a real browser -------------------------------------------------------------------------

def _highlighted(driver, cls: str) -> list[tuple[int, int, str]]:
    from selenium.webdriver.common.by import By

    return [(int(e.get_attribute("data-s")), int(e.get_attribute("data-e")), e.get_attribute("textContent"))
            for e in driver.find_elements(By.CSS_SELECTOR, f"#text .{cls}")]


def _merge(segs: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for a, b, t in sorted(segs):
        if out and out[-1][1] == a:
            out[-1] = (out[-1][0], b, out[-1][2] + t)
        else:
            out.append((a, b, t))
    return out


def _expected(fact: dict, text: str) -> list[tuple[int, int, str]]:
    """Merged runs of the union of the fact's spans."""
    covered = sorted({i for a, b in fact["spans"].values() for i in range(a, b)})
    runs: list[list[int]] = []
    for i in covered:
        if runs and runs[-1][1] == i:
            runs[-1][1] = i + 1
        else:
            runs.append([i, i + 1])
    return [(a, b, text[a:b]) for a, b in runs]


def _click_fact(driver, index: int) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, f'tr.fact[data-fact="{index}"]').click()


def test_clicking_a_fact_highlights_its_spans(browser, seed_page, seed_record, seed_text, tmp_path):
    from selenium.webdriver.common.by import By

    page = tmp_path / "seed.html"
    page.write_text(seed_page, encoding="utf-8")
    browser.get(page.as_uri())
    assert _highlighted(browser, "hl") == []
    facts = seed_record["facts"]
    training = next(i for i, f in enumerate(facts)
                    if f["type"] == "training" and f["participants"] == 64)
    _click_fact(browser, training)
    hl = _merge(_highlighted(browser, "hl"))
    assert hl == _expected(facts[training], seed_text)
    assert {t for _, _, t in hl} >= {"64 học viên", "Trường Chính trị tỉnh"}
    ev = facts[training]["evidence"]
    assert _merge(_highlighted(browser, "ev")) == [(ev["start"], ev["end"], seed_text[ev["start"]:ev["end"]])]
    selected = browser.find_elements(By.CSS_SELECTOR, "tr.fact.selected")
    assert [r.get_attribute("data-fact") for r in selected] == [str(training)]
    # The first highlighted span was scrolled into the text panel's view.
    assert browser.execute_script(
        "var el=document.querySelector('#text .hl'), box=document.getElementById('text').getBoundingClientRect(),"
        "r=el.getBoundingClientRect(); return r.top >= box.top && r.bottom <= box.bottom;")
    # Another fact replaces the highlight; Escape clears it.
    document = next(i for i, f in enumerate(facts) if f["type"] == "document" and f["spans"])
    _click_fact(browser, document)
    assert _merge(_highlighted(browser, "hl")) == _expected(facts[document], seed_text)
    browser.find_element(By.TAG_NAME, "body").send_keys("\ue00c")  # Escape
    assert _highlighted(browser, "hl") == [] and _highlighted(browser, "ev") == []


def test_browser_offsets_survive_astral_characters(browser, pipe, tmp_path):
    rec = pipe(EMOJI_TEXT, "emoji").to_dict()
    fact = next(i for i, f in enumerate(rec["facts"]) if f["type"] == "training")
    page = tmp_path / "emoji.html"
    page.write_text(render_html(rec, EMOJI_TEXT), encoding="utf-8")
    browser.get(page.as_uri())
    _click_fact(browser, fact)
    hl = _merge(_highlighted(browser, "hl"))
    assert hl == _expected(rec["facts"][fact], EMOJI_TEXT)
    assert {t for _, _, t in hl} >= {"2 lớp", "111 học viên"}
