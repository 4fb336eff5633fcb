"""Every main screen fits a 4K screen at 200 % (1920x1080 at a pixel ratio of 2), at every text
size; a file of its own so that the two screens' runs go to different test workers."""

from __future__ import annotations

from pathlib import Path

from .test_screens_fit import run_fit_checks


def test_every_main_screen_fits_4k_at_every_text_size(tmp_path: Path) -> None:
    run_fit_checks(tmp_path, "4k", 1920, 1080, 2.0)
