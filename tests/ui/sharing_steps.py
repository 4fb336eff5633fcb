"""Steps of the sharing screens, driven as a user would: menus, typing, clicking, file pickers.

QFileDialog's static functions are replaced by :class:`FilePicker` (a queue of answers, and a
record of what the app suggested); every modal dialog is answered with ``on_modal``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from journal_app.core.sharing import service as sharing
from journal_app.core.vault.journal import Journal
from journal_app.ui.sharing.cards_dialog import CardsDialog
from journal_app.ui.sharing.common import FingerprintDialog
from journal_app.ui.sharing.share_dialog import ShareDialog
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import WAIT_MS, click, on_modal, writes_done


@dataclass
class FilePicker:
    """Answers QFileDialog.getSaveFileName / getOpenFileName from queues."""

    saves: list[Path] = field(default_factory=list)
    opens: list[Path] = field(default_factory=list)
    #: (kind, suggested path, filter) of every call.
    asked: list[tuple[str, str, str]] = field(default_factory=list)

    def install(self, monkeypatch: pytest.MonkeyPatch) -> FilePicker:
        def save(_parent: Any, _caption: str = "", directory: str = "", filt: str = "",
                 *_a: Any, **_k: Any) -> tuple[str, str]:
            self.asked.append(("save", directory, filt))
            return (str(self.saves.pop(0)), filt) if self.saves else ("", "")

        def open_(_parent: Any, _caption: str = "", directory: str = "", filt: str = "",
                  *_a: Any, **_k: Any) -> tuple[str, str]:
            self.asked.append(("open", directory, filt))
            return (str(self.opens.pop(0)), filt) if self.opens else ("", "")

        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))
        monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(open_))
        return self


class Answerer:
    """Answers every modal dialog of the given kinds, as each one appears, until stopped
    (receiving asks its questions one after the other, each after a run in the worker)."""

    def __init__(self, handlers: dict[type[QWidget], Callable[[Any], None]]) -> None:
        self.handlers = handlers
        self.seen: list[QWidget] = []
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._poll)
        self.timer.start()

    def _poll(self) -> None:
        widget = QApplication.activeModalWidget()
        if widget is None or not widget.isVisible() or any(widget is w for w in self.seen):
            return
        for kind, handler in self.handlers.items():
            if isinstance(widget, kind):
                self.seen.append(widget)
                handler(widget)
                return

    def stop(self) -> None:
        self.timer.stop()


def journal_of(window: MainWindow) -> Journal:
    window.session.worker.wait()
    journal = window.session.journal
    assert journal is not None and journal.is_unlocked
    return journal


def make_card(qtbot: QtBot, window: MainWindow, name: str, role: str,
              picker: FilePicker, out: Path) -> str:
    """Sharing ▸ My card and contacts…: type the name, pick the role, make the card, save it.
    Returns the fingerprint the dialog shows (digits only, spaced as on a card)."""
    shown: list[str] = []

    def fill(dialog: CardsDialog) -> None:
        page = dialog.card_page
        assert dialog.tabs.currentWidget() is page
        assert not page.card_box.isVisible()  # no card yet: only the name and role
        qtbot.keyClicks(page.name, name)
        click(qtbot, page.role_buttons[role])
        click(qtbot, page.save_identity)
        qtbot.waitUntil(page.card_box.isVisible)  # the keys are made in the worker
        shown.append(" ".join(page.fingerprint.text().split()))
        picker.saves.append(out)
        click(qtbot, page.save_card)
        assert out.name in page.result.text()
        click(qtbot, dialog.close_button)

    seen = on_modal(CardsDialog, fill)
    window.sharing.act_cards.trigger()
    assert seen and shown
    return shown[0]


def add_contact(qtbot: QtBot, window: MainWindow, picker: FilePicker, card: Path,
                match: bool = True) -> tuple[list[str], list[str]]:
    """Contacts ▸ Add a contact from a card…, answering the fingerprint question.

    Returns (what the fingerprint dialog showed, the contacts listed afterwards)."""
    shown: list[str] = []
    listed: list[str] = []

    def answer(dialog: FingerprintDialog) -> None:
        shown.append(dialog.card.name)
        shown.append(" ".join(dialog.fingerprint.text().split()))
        click(qtbot, dialog.match_button if match else dialog.differ_button)

    def fill(dialog: CardsDialog) -> None:
        dialog.tabs.setCurrentIndex(1)
        page = dialog.contacts_page
        picker.opens.append(card)
        # Stopped once the click returns: a question that never comes must not be answered
        # in a later test.
        answerer = Answerer({FingerprintDialog: answer})
        click(qtbot, page.add_button)
        answerer.stop()
        writes_done(qtbot, window.session)  # the contact is stored in the worker
        listed.extend(
            " | ".join(page.list.topLevelItem(i).text(c) for c in range(4))
            for i in range(page.list.topLevelItemCount()))
        listed.append(page.result.text())
        click(qtbot, dialog.close_button)

    seen = on_modal(CardsDialog, fill)
    window.sharing.act_cards.trigger()
    assert seen
    return shown, listed


def decide_all(qtbot: QtBot, dialog: ShareDialog) -> int:
    """On the review step: decide every finding of every text (redact), pressing Next text
    until the last; returns how many findings there were. Checks Next is disabled while a
    finding is undecided."""
    found = 0
    while dialog.page() == 2:
        pane = dialog.current_pane()
        assert pane is not None
        undecided = sum(1 for h in pane.hits() if not h.decided)
        found += len(pane.hits())
        assert dialog.next_button.isEnabled() == (undecided == 0)
        if undecided:
            click(qtbot, pane.redact_all_button)
        assert dialog.next_button.isEnabled()
        click(qtbot, dialog.next_button)
    return found


def share_through_dialog(qtbot: QtBot, window: MainWindow, picker: FilePicker, out: Path,
                         note: str = "", question: str = "",
                         check: Callable[[ShareDialog], None] | None = None,
                         trigger: Callable[[], None] | None = None,
                         min_findings: int = 0) -> ShareDialog:
    """Share the current entry (Share this entry…), to the contact ticked by default,
    redacting every finding (at least ``min_findings`` of them)."""
    done: list[ShareDialog] = []

    def drive(dialog: ShareDialog) -> None:
        done.append(dialog)
        if note:
            qtbot.keyClicks(dialog.note, note)
        if question:
            qtbot.keyClicks(dialog.question, question)
        click(qtbot, dialog.next_button)
        assert dialog.page() == 1
        click(qtbot, dialog.next_button)
        assert dialog.page() == 2
        assert decide_all(qtbot, dialog) >= min_findings
        assert dialog.page() == 3
        assert sharing.CANNOT_RECALL in dialog.recall_text.text()
        if check is not None:
            check(dialog)
        picker.saves.append(out)
        click(qtbot, dialog.save_button)
        qtbot.waitUntil(lambda: dialog.log is not None, timeout=WAIT_MS)
        click(qtbot, dialog.close_button)

    seen = on_modal(ShareDialog, drive)
    (trigger or window.sharing.act_share_entry.trigger)()
    assert seen
    return done[0]


def receive(qtbot: QtBot, window: MainWindow, picker: FilePicker, package: Path,
            confirm: bool = True, passphrases: list[str] | None = None) -> list[str]:
    """Sharing ▸ Open a share package…, answering the passphrase and fingerprint questions.

    Returns what the questions and warnings said, in order, then the message bar's text (or
    "" when it shows nothing new)."""
    texts: list[str] = []
    answers = list(passphrases or [])

    def fingerprint(dialog: FingerprintDialog) -> None:
        texts.append(f"fingerprint of {dialog.card.name}: "
                     f"{' '.join(dialog.fingerprint.text().split())}")
        click(qtbot, dialog.match_button if confirm else dialog.differ_button)

    def passphrase(dialog: QInputDialog) -> None:
        texts.append(dialog.labelText())
        assert dialog.textEchoMode() == QLineEdit.EchoMode.Password
        if answers:
            dialog.setTextValue(answers.pop(0))
            dialog.accept()
        else:
            texts.append("cancelled")
            dialog.reject()

    def warning(box: QMessageBox) -> None:
        texts.append(f"warning: {box.text()}")
        box.button(QMessageBox.StandardButton.Ok).click()

    picker.opens.append(package)
    window.message_bar.hide()
    answerer = Answerer({FingerprintDialog: fingerprint, QInputDialog: passphrase,
                         QMessageBox: warning})
    try:
        window.sharing.act_receive.trigger()

        def settled() -> bool:
            idle = not window.session.worker.busy() and QApplication.activeModalWidget() is None
            ended = window.message_bar.isVisible() or any(
                t.startswith("warning") or t == "cancelled" for t in texts)
            return idle and ended

        qtbot.waitUntil(settled, timeout=WAIT_MS)
        qtbot.wait(20)
        window.session.worker.wait()
        qtbot.waitUntil(lambda: not window.session.worker.busy(), timeout=WAIT_MS)
    finally:
        answerer.stop()
    texts.append(window.message_bar.text.text() if window.message_bar.isVisible() else "")
    return texts
