"""An unexpected error in a worker thread is shown by the GUI thread, never by the thread that
raised it (a message box built in a pool thread ran its event loop there: the app hung)."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from journal_app.ui.shell import app as start


def test_an_error_in_a_worker_thread_is_shown_by_the_gui_thread(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(
        lambda _parent, _title, text: shown.append((threading.current_thread().name, text))))
    error = RuntimeError("secret words")

    def raise_in_thread() -> None:
        start._excepthook(RuntimeError, error, None)

    worker = threading.Thread(target=raise_in_thread, name="pool-thread")
    worker.start()
    worker.join(10)
    assert not worker.is_alive()  # it returned at once
    assert shown == []  # not built in that thread
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert shown[0][0] == threading.main_thread().name
    assert "secret words" not in shown[0][1]  # a plain sentence, not the error's text


def test_an_error_in_the_gui_thread_is_shown_at_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(
        lambda _parent, _title, text: shown.append(text)))
    start._excepthook(ValueError, ValueError("x"), None)
    assert len(shown) == 1
