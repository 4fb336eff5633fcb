"""journal_app/core must never import Qt (it is shared by the CLI and tested without a screen)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import journal_app.core

CORE = Path(journal_app.core.__file__).parent


def test_no_qt_import_in_core_source() -> None:
    offenders = []
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            qt = {"PySide6", "PyQt5", "PyQt6", "shiboken6", "pyqtgraph"}
            if any(n.split(".")[0] in qt for n in names):
                offenders.append(str(path.relative_to(CORE)))
    assert offenders == []


def test_importing_every_core_module_loads_no_qt() -> None:
    code = (
        "import pkgutil, importlib, sys, journal_app.core as c\n"
        "for m in pkgutil.walk_packages(c.__path__, 'journal_app.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "import journal_app.cli as cli\n"
        "for m in pkgutil.walk_packages(cli.__path__, 'journal_app.cli.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
