"""``python -m vnreport_ie.batch``: the ``batch`` command on its own."""

import sys

from .cli import main

sys.exit(main())
