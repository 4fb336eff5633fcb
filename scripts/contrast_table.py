"""Print the contrast of every colour pair the light and dark themes draw (a Markdown table).

Run: .venv/bin/python scripts/contrast_table.py. tests/ui/test_contrast.py checks the same pairs.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from journal_app.core.contrast import contrast_ratio
    from journal_app.ui.theme import DARK, LIGHT, colour_pairs

    QApplication(sys.argv[:1])
    light, dark = colour_pairs(LIGHT), colour_pairs(DARK)
    print("| pair | needs | light | dark |")
    print("|---|---|---|---|")
    failed = 0
    for a, b in zip(light, dark, strict=True):
        ratios = [contrast_ratio(p.fore, p.back) for p in (a, b)]
        marks = ["" if r >= a.least else " ✗" for r in ratios]
        failed += sum(bool(m) for m in marks)
        light_cell, dark_cell = (f"{r:.2f}{m}" for r, m in zip(ratios, marks, strict=True))
        print(f"| {a.what} | {a.least:g}:1 | {light_cell} | {dark_cell} |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
