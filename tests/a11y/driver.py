"""The real app, taken through its main screens for the AT-SPI walk (tests/e2e/test_atspi.py).

Run by the project's Python under an X display with the AT-SPI bus; journal-app on a journal
created in FOLDER (cheap key derivation, invented demo entries):

    python tests/a11y/driver.py FOLDER

For each screen it prints one line, ``SCREEN {json}``: the screen's name, its window's title and
what pressing Tab from the window's first control reached (every enabled control that can take
the focus must be reached). Then it waits, answering the accessibility bus all the while, for a
line on its standard input before it goes on to the next screen; ``DONE`` at the end.
"""

from __future__ import annotations

import json
import os
import select
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QRadioButton,
    QWidget,
)

PASSPHRASE = "quiet harbour lantern"


def tab_stops(window: QWidget) -> list[QWidget]:
    """The controls of ``window`` that Tab should reach: shown, enabled, taking focus by Tab."""
    stops = []
    for widget in window.findChildren(QWidget):
        if (widget.window() is window and widget.isVisible() and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                and widget.focusProxy() is None
                and not isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox))):
            stops.append(widget)
    return stops


def label(widget: QWidget) -> str:
    text = getattr(widget, "text", None)
    shown = text() if callable(text) else ""
    return widget.accessibleName() or str(shown) or type(widget).__name__


def tab_walk(window: QWidget) -> dict[str, object]:
    """Press Tab from the window's first control until the focus has come back twice; list the
    stops it never reached."""
    stops = tab_stops(window)
    if not stops:
        return {"stops": 0, "unreached": []}
    window.activateWindow()
    stops[0].setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    first = window.focusWidget()
    reached: list[QWidget] = []
    rounds = 0
    for _ in range(6 * len(stops) + 20):
        current = window.focusWidget()
        if current is None:
            break
        reached.append(current)
        QTest.keyClick(current, Qt.Key.Key_Tab)
        QApplication.processEvents()
        if window.focusWidget() is first:
            rounds += 1
            if rounds == 2:
                break

    # What Tab should reach, counted again now: focusing the entry list opens an entry, which
    # shows the editor's controls (reached on the second round).
    stops = [s for s in tab_stops(window) if s not in stops] + stops

    def was_reached(stop: QWidget) -> bool:
        if isinstance(stop, QRadioButton) and stop.autoExclusive():
            # Tab stops once in a group of radio buttons (on the chosen one); the arrow keys
            # move within it.
            group = [w for w in stops if isinstance(w, QRadioButton)
                     and w.parentWidget() is stop.parentWidget()]
            return any(w in group for w in reached)
        return any(w is stop or stop.isAncestorOf(w) or w.focusProxy() is stop for w in reached)

    def unnamed(widget: QWidget) -> bool:
        face = QAccessible.queryAccessibleInterface(widget)
        return face is not None and not face.text(QAccessible.Text.Name).strip()

    distinct = []
    for widget in reached:
        if widget not in distinct:
            distinct.append(widget)
    return {"stops": len(stops), "tab_visits": len(distinct),
            "beyond": [label(w) for w in distinct if w not in stops],
            "unreached": [label(s) for s in stops if s.isVisible() and not was_reached(s)],
            "qt_unnamed": [f"{type(w).__name__} in {type(w.parentWidget()).__name__}"
                           for w in window.findChildren(QWidget)
                           if w.window() is window and w.isVisible()
                           and w.focusPolicy() != Qt.FocusPolicy.NoFocus
                           and not isinstance(w.parentWidget(), QAbstractSpinBox)
                           and unnamed(w)]}


def wait_for_go() -> None:
    """Keep Qt's event loop (and so its AT-SPI bridge) running until a line comes in."""
    while True:
        QTest.qWait(50)
        ready, _, _ = select.select([sys.stdin], [], [], 0)
        if ready:
            sys.stdin.readline()
            return


def announce(name: str, window: QWidget) -> None:
    window.raise_()
    window.activateWindow()
    QTest.qWait(400)
    title = window.windowTitle()
    walk = tab_walk(window)
    print("SCREEN " + json.dumps({"screen": name, "title": title, **walk}), flush=True)
    wait_for_go()


def main() -> int:
    folder = Path(sys.argv[1])
    app = QApplication(sys.argv[:1])
    from journal_app.core.demo.entries import demo_records
    from journal_app.core.practice import load_library
    from journal_app.core.vault.crypto import TEST_KDF
    from journal_app.ui.dialogs.backups import BackupsDialog
    from journal_app.ui.dialogs.myprompts import MyPromptsDialog
    from journal_app.ui.dialogs.reminders import RemindersDialog
    from journal_app.ui.dialogs.settings import SettingsDialog
    from journal_app.ui.dialogs.trash import TrashDialog
    from journal_app.ui.interchange.exporter import ExportDialog
    from journal_app.ui.interchange.importer import ImportDialog
    from journal_app.ui.practice.assessment import AssessmentDialog
    from journal_app.ui.practice.checkin import CheckInDialog
    from journal_app.ui.practice.quickcheckin import QuickCheckInDialog
    from journal_app.ui.practice.support import SupportDialog
    from journal_app.ui.session import JournalSession
    from journal_app.ui.sharing.cards_dialog import CardsDialog
    from journal_app.ui.sharing.share_dialog import ShareDialog
    from journal_app.ui.shell.mainwindow import MainWindow
    from journal_app.ui.theme import apply_theme
    from journal_app.ui.uisettings import UiSettings
    from journal_app.ui.writing.reflection import ReflectionWizard

    settings = UiSettings()
    apply_theme(app, os.environ.get("JOURNAL_THEME", "light"), settings.text_size)
    session = JournalSession(kdf=TEST_KDF)
    window = MainWindow(session, settings, folder)
    window.resize(1200, 800)
    window.show()
    window.start(folder)
    announce("welcome (first run)", window)

    welcome = window.welcome
    QTest.keyClicks(welcome.passphrase.first, PASSPHRASE)
    QTest.keyClicks(welcome.passphrase.second, PASSPHRASE)
    welcome.create_button.click()
    session.worker.wait()
    QTest.qWait(200)
    announce("recovery key", window)

    welcome.recovery.stored.setChecked(True)
    welcome.recovery.continue_button.click()
    assert session.journal is not None
    session.journal.import_records(demo_records(40), writing_only=False)
    window.journal_page.refresh()
    announce("main window", window)

    QTest.keySequence(window, "Ctrl+N")
    announce("editor (new entry)", window)

    template = next(iter(load_library().templates.values()))
    dialogs: list[tuple[str, Callable[[], QDialog]]] = [
        ("check-in", lambda: QuickCheckInDialog(session, window)),
        ("check-in (full)", lambda: CheckInDialog(session, window)),
        ("settings", lambda: SettingsDialog(session, settings, window, backups=window.backups)),
        # Beyond the main screens: the dialogs of the menus.
        ("reflection", lambda: ReflectionWizard(session, template, None, window)),
        ("self-assessment", lambda: AssessmentDialog(session, "competency", parent=window)),
        ("support", lambda: SupportDialog(settings.support_country, [], window)),
        ("my prompts", lambda: MyPromptsDialog(session, window)),
        ("trash", lambda: TrashDialog(session, window)),
        ("backups", lambda: BackupsDialog(window.backups, window)),
        ("reminders", lambda: RemindersDialog(settings, window)),
        ("export", lambda: ExportDialog(session, settings, window)),
        ("import", lambda: ImportDialog(session, window)),
        ("share", lambda: ShareDialog(session, window)),
        ("mentor cards", lambda: CardsDialog(session, window)),
    ]
    for name, make in dialogs:
        dialog = make()
        dialog.show()
        announce(name, dialog)
        dialog.close()
        dialog.deleteLater()
    window.show_trends()
    while window.dashboard.refreshing:  # the figures are worked out in the worker
        QTest.qWait(20)
    assert window.trends_dialog is not None
    announce("trends", window.trends_dialog)
    window.trends_dialog.close()

    window.lock_now()
    QTest.qWait(200)
    announce("lock screen", window)
    print("DONE", flush=True)
    window.close()
    session.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
