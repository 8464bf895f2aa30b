"""Where the packaged models are, installed or in a source checkout.

The wheel maps the repository's ``models/`` to ``vnreport_ie.models``. Run
from the repository root, though, ``import vnreport_ie`` finds the source
tree first (the working directory leads ``sys.path``), and the source tree
has no ``vnreport_ie/models``: there the models are ``../models`` beside the
package. Both are tried, in that order, so the package loads its models from
any working directory.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

MODEL_FILES = ("relations.json", "phrases.json", "lexicon.json")


def default_model_dir() -> Path:
    """The directory of the packaged models (installed, else the checkout's ``models/``)."""
    try:
        installed = Path(str(resources.files("vnreport_ie.models")))
        if (installed / MODEL_FILES[0]).exists():
            return installed
    except ModuleNotFoundError:
        pass
    checkout = Path(__file__).resolve().parent.parent / "models"
    if (checkout / MODEL_FILES[0]).exists():
        return checkout
    raise FileNotFoundError("the packaged models were not found (neither vnreport_ie.models nor "
                            f"{checkout}); reinstall the package or run `make models`")


def checkout_root() -> Path | None:
    """The source checkout the package runs from (``seeds/``, ``corpus/``,
    ``models/`` beside ``vnreport_ie/``), or None for an installed wheel.

    Command defaults such as ``evaluate --with-seed`` are resolved from here,
    not from the working directory, so commands work from any directory.
    """
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").is_file() and (root / "seeds").is_dir() else None


def default_seed_gold() -> Path | None:
    """The seed report's gold (``seeds/gold.jsonl`` of the checkout), if there is one."""
    root = checkout_root()
    gold = root / "seeds" / "gold.jsonl" if root else None
    return gold if gold is not None and gold.is_file() else None
