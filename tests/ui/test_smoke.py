"""``journal-app --smoke-test`` (what make test-bundle runs in the unpacked bundle): the real
start checked once settled, exit 0; a failure (a module left out of a bundle, the spelling word
lists missing) is named and exits 1. Each start runs in a process of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import make_vault

ROOT = Path(__file__).resolve().parents[2]

#: Start the app the way the entry point does, with one module made impossible to import (as
#: in a bundle that left it out) when LEAVE_OUT names it.
CHILD = """
import importlib.abc, os, sys
left_out = os.environ.get("LEAVE_OUT")

class LeftOut(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == left_out:
            raise ModuleNotFoundError(f"No module named {name!r}")
        return None

sys.meta_path.insert(0, LeftOut())
from journal_app.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def smoke(folder: Path, leave_out: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               LEAVE_OUT=leave_out)
    env.pop("JOURNAL_APP_DATA_DIR", None)
    return subprocess.run([sys.executable, "-c", CHILD, "--data-dir", str(folder),
                           "--smoke-test"], capture_output=True, text=True, env=env,
                          timeout=300, check=False, stdin=subprocess.DEVNULL)


def test_the_lock_screen_passes(folder: Path) -> None:
    make_vault(folder)
    result = smoke(folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoke test passed: the lock screen is shown" in result.stdout


def test_a_new_folder_shows_the_welcome_page(folder: Path) -> None:
    result = smoke(folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoke test passed: the welcome page is shown" in result.stdout


def test_a_screen_module_left_out_fails(folder: Path) -> None:
    make_vault(folder)
    result = smoke(folder, leave_out="journal_app.ui.practice.picker")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "smoke test failed" in result.stdout
    assert "journal_app.ui.practice.picker" in result.stdout


def test_missing_spelling_word_lists_fail(folder: Path) -> None:
    """What the first bundle lacked (pyspellchecker's data files)."""
    make_vault(folder)
    result = smoke(folder, leave_out="spellchecker")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "smoke test failed" in result.stdout
