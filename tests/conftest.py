from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_ID = "000_fca4d81f41333468"
SHARED = ROOT.parent / "shared"
NEWS = SHARED / "data" / "dantri-news-2020.jsonl.gz"


@pytest.fixture(scope="session")
def pipe():
    import vnreport_ie

    return vnreport_ie.load()


@pytest.fixture(scope="session")
def full_pipe():
    """Every sentence analysed (no scan): for tests of the tagger's own output,
    which the default pipeline computes only where a fact may be."""
    import vnreport_ie

    return vnreport_ie.load(prefilter=False)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (ROOT / "seeds" / f"{SEED_ID}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    return json.loads((ROOT / "seeds" / "gold.jsonl").read_text(encoding="utf-8").splitlines()[0])


@pytest.fixture(scope="session")
def seed_record(pipe, seed_text):
    return pipe(seed_text, SEED_ID).to_dict()


def news_or_skip():
    if not NEWS.exists():
        pytest.skip(f"the shared news archive is not at {NEWS} (CI has ../shared beside the clone)")
    return NEWS


CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1400,900")


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's, with its driver) that keeps the page console; skips without it."""
    webdriver = pytest.importorskip(
        "selenium.webdriver", reason="selenium is not installed (pip install selenium) - browser test skipped")
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip(f"{CHROMIUM} or {CHROMEDRIVER} missing (apt-get install -y chromium chromium-driver)")
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="vnreport-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS + (f"--user-data-dir={profile}",):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # so the console can be read
    # Explicit paths: Selenium Manager is never asked to download a driver.
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
