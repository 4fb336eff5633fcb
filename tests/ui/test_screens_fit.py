"""Every main screen fits an 800x600 screen at every text size (and, in test_screens_fit_4k.py, a
4K screen at 200 %): the default and the largest, and for the dialogs and the journal page every
size between.

Qt's offscreen platform takes its screen's size from a configuration file, once per process:
the checks (tests/ui/fit_screens.py) run in a process of their own on a screen of 800x600."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .fit_screens import screen_config

HERE = Path(__file__).parent


def run_fit_checks(folder: Path, name: str, width: int, height: int, ratio: float) -> None:
    """tests/ui/fit_screens.py in a process of its own, on a screen of this size."""
    config = screen_config(folder, width, height, ratio)
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", FIT_SCREEN=name)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-q",
         "-rs", str(HERE / "fit_screens.py")],
        cwd=HERE.parents[1], env=env, capture_output=True, text=True, timeout=900, check=False)
    report = run.stdout[-6000:] + run.stderr[-2000:]
    assert run.returncode == 0, report
    assert "skipped" not in run.stdout.splitlines()[-1], report  # it ran on the small screen


def test_every_main_screen_fits_800x600_at_every_text_size(tmp_path: Path) -> None:
    run_fit_checks(tmp_path, "800x600", 800, 600, 1.0)
