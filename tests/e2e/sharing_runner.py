"""Runs ``journal-app`` for the sharing e2e tests, like ``python -m journal_app``.

The de-identification detectors (``journal_app.core.deid``) are written on another branch. Until
they are merged, this runner puts the small stand-in of ``tests/helpers/fake_deid.py`` in their
place; once the real module exists it is the one that runs.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

try:
    importlib.import_module("journal_app.core.deid")
except ModuleNotFoundError:
    import journal_app.core
    from tests.helpers import fake_deid

    sys.modules["journal_app.core.deid"] = fake_deid
    journal_app.core.deid = fake_deid  # type: ignore[attr-defined]

from journal_app.__main__ import main

sys.exit(main(sys.argv[1:]))
