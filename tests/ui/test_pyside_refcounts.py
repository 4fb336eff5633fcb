"""Guard against a PySide6 that drops references to None on void calls.

PySide6 6.12.0 under Python 3.11 returned None from every void method without a reference, so
None's count fell by one per call until the interpreter aborted. pyproject.toml excludes it;
this test fails if an installed PySide6 has the fault again (on Python 3.12+ None is immortal
and the count does not move either way).
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot


def test_void_calls_keep_none_alive(qtbot: QtBot) -> None:
    label = QLabel()
    widget = QWidget()
    qtbot.addWidget(label)
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("x")
        widget.update()
        QApplication.processEvents()
    lost = before - sys.getrefcount(None)
    assert lost < 50, f"None lost {lost} references over 1,500 void calls"
