"""What the screenshot scripts of single screens share (screenshots_sharing, _programme, _sync,
_cohort): the offscreen application with its settings in a throwaway folder, the theme from
``--theme``, and saving a widget's picture into docs/screenshots/ under the script's prefix."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from journal_app.ui.uisettings import UiSettings


@dataclass
class Shots:
    """The application, a throwaway folder, the settings, and where pictures go."""

    app: QApplication
    tmp: Path
    theme: str
    settings: UiSettings
    prefix: str
    wait_ms: int

    @property
    def suffix(self) -> str:
        return "" if self.theme == "light" else "-dark"

    def shot(self, name: str, widget: QWidget) -> None:
        """Let ``widget`` settle, then save it as docs/screenshots/PREFIX-NAME[-dark].png."""
        from PySide6.QtTest import QTest

        QTest.qWait(self.wait_ms)
        widget.grab().save(str(OUT / f"{self.prefix}-{name}{self.suffix}.png"))


def start(prefix: str, wait_ms: int = 150) -> Shots:
    """Parse ``--theme``, make the offscreen application (its settings in a throwaway folder)
    and apply the theme at the default text size."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--theme", default="light", choices=["light", "dark"])
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="journal-shots-"))
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    from journal_app.ui.theme import apply_theme
    from journal_app.ui.uisettings import UiSettings

    settings = UiSettings()
    settings.theme = args.theme
    apply_theme(app, args.theme, settings.text_size)
    OUT.mkdir(parents=True, exist_ok=True)
    return Shots(app, tmp, args.theme, settings, prefix, wait_ms)
