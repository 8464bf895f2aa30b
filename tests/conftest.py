from __future__ import annotations

import json
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
