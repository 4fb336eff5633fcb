"""Every control one can Tab to shows a focus ring, in both themes, and a ticked check box shows
a mark. Checked on the pixels: each focusable control of the main window is grabbed unfocused and
focused, and the focus colour must appear at its edge only when it has the focus.

Seen: the entry list and the "New entry" button showed no ring; a ticked box was a filled square
without a mark.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.ui import theme
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import a_week_of_writing, trends_shown

#: How far (per channel) an antialiased pixel may be from the ring's colour.
NEAR = 24
#: The band along the edges where the ring must show (its 2 px and a pixel of rounding).
BAND = 4


def near(pixel: int, colour: QColor) -> bool:
    p = QColor(pixel)
    return (abs(p.red() - colour.red()) <= NEAR and abs(p.green() - colour.green()) <= NEAR
            and abs(p.blue() - colour.blue()) <= NEAR)


def edge_pixels(image: QImage, colour: QColor) -> int:
    """How many pixels of ``colour`` lie within BAND pixels of the image's edges."""
    w, h = image.width(), image.height()
    return sum(1 for x in range(w) for y in range(h)
               if (x < BAND or y < BAND or x >= w - BAND or y >= h - BAND)
               and near(image.pixel(x, y), colour))


def ring_colour(widget: QWidget, c: theme.Colors) -> QColor:
    """The colour of ``widget``'s ring: the text colour around what is filled with the accent
    (a primary button, a ticked box, a chosen radio button), else the focus colour."""
    if isinstance(widget, QPushButton) and widget.property("primary"):
        return QColor(c.text)
    if isinstance(widget, (QCheckBox, QRadioButton)) and widget.isChecked():
        return QColor(c.text)
    return QColor(c.focus)


def focusable(window: QWidget) -> list[QWidget]:
    return [w for w in window.findChildren(QWidget)
            if w.isVisible() and w.isEnabled() and w.width() > 0
            and w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.focusProxy() is None
            and w.window() is window]


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_every_focusable_control_of_the_main_window_shows_a_focus_ring(
        qtbot: Any, qapp: QApplication, open_window: MainWindow, mode: str) -> None:
    c = theme.apply_theme(qapp, mode)
    window = open_window
    window.journal_page.list.setCurrentIndex(window.journal_page.model.index(0))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    controls = focusable(window)
    names = {w.accessibleName() or w.objectName() or type(w).__name__ for w in controls}
    assert {"Entries", "New entry"} <= names or len(controls) > 10, names
    assert len(controls) > 15  # the list, buttons, fields, boxes of the main window
    missing = []
    for widget in controls:
        colour = ring_colour(widget, c)
        window.menuBar().setFocus()  # nothing of ours has the focus
        qapp.processEvents()
        before = edge_pixels(widget.grab().toImage(), colour)
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(widget.hasFocus)
        after = edge_pixels(widget.grab().toImage(), colour)
        if after - before < 8:
            missing.append((widget.accessibleName() or type(widget).__name__, before, after))
    assert missing == []


def box_image(box: QCheckBox, elsewhere: QWidget) -> QImage:
    """The box as drawn without the focus (the focus on ``elsewhere``)."""
    elsewhere.setFocus()
    QApplication.processEvents()
    assert not box.hasFocus()
    return box.grab().toImage()


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_a_ticked_check_box_shows_a_check_mark(qtbot: Any, qapp: QApplication,
                                               mode: str) -> None:
    c = theme.apply_theme(qapp, mode)
    page = QWidget()
    layout = QVBoxLayout(page)
    box = QCheckBox("Offer a monthly wellbeing check")
    elsewhere = QLineEdit()
    layout.addWidget(box)
    layout.addWidget(elsewhere)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    unticked = box_image(box, elsewhere)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert box.isChecked()
    ticked = box_image(box, elsewhere)
    mark, fill = QColor(c.check), QColor(c.accent)
    assert not any(near(unticked.pixel(x, y), fill) for x in range(unticked.width())
                   for y in range(unticked.height()))
    # The ticked indicator, at the left: the box of pixels filled with the accent...
    filled = [(x, y) for x in range(ticked.width()) for y in range(ticked.height())
              if near(ticked.pixel(x, y), fill)]
    assert len(filled) > 60
    left, right = min(x for x, _ in filled), max(x for x, _ in filled)
    top, bottom = min(y for _, y in filled), max(y for _, y in filled)
    assert right - left < 24  # the indicator, not the text
    # ... holds a mark: inside its rounded border, pixels of the mark's colour.
    inside = [ticked.pixel(x, y) for x in range(left + 2, right - 1)
              for y in range(top + 2, bottom - 1)]
    marked = sum(1 for pixel in inside if near(pixel, mark))
    assert marked >= 12, (marked, len(inside))
    assert sum(1 for pixel in inside if near(pixel, fill)) > marked  # a mark, not a blank box


def dialog_rings(qtbot: Any, qapp: QApplication, dialog: QWidget, c: theme.Colors) -> list[Any]:
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    controls = focusable(dialog)
    assert len(controls) > 1
    missing = []
    for widget in controls:
        colour = ring_colour(widget, c)
        others = [w for w in controls if w is not widget]
        others[0].setFocus()
        qapp.processEvents()
        before = edge_pixels(widget.grab().toImage(), colour)
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(widget.hasFocus)
        after = edge_pixels(widget.grab().toImage(), colour)
        if after - before < 8:
            missing.append((widget.accessibleName() or type(widget).__name__, before, after))
    return missing


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_the_check_ins_settings_and_trends_show_focus_rings(
        qtbot: Any, qapp: QApplication, open_window: MainWindow, mode: str) -> None:
    from journal_app.ui.dialogs.settings import SettingsDialog
    from journal_app.ui.practice.checkin import CheckInDialog
    from journal_app.ui.practice.quickcheckin import QuickCheckInDialog

    c = theme.apply_theme(qapp, mode)
    window = open_window
    session = window.session
    missing = {}
    for name, dialog in (
            ("check-in", QuickCheckInDialog(session, window)),
            ("check-in (full)", CheckInDialog(session, window)),
            ("settings", SettingsDialog(session, window.settings, window,
                                        backups=window.backups))):
        missing[name] = dialog_rings(qtbot, qapp, dialog, c)
        dialog.close()
    journal = session.journal
    assert journal is not None
    a_week_of_writing(journal)  # Trends past the new journal's note: its charts are shown
    window.show_trends()
    trends_shown(qtbot, window.dashboard)
    assert window.trends_dialog is not None
    missing["trends"] = dialog_rings(qtbot, qapp, window.trends_dialog, c)
    window.trends_dialog.close()
    assert {name: found for name, found in missing.items() if found} == {}


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_the_menus_dialogs_show_focus_rings(qtbot: Any, qapp: QApplication,
                                            open_window: MainWindow, mode: str) -> None:
    from journal_app.core.practice import load_library
    from journal_app.ui.dialogs.backups import BackupsDialog
    from journal_app.ui.dialogs.myprompts import MyPromptsDialog
    from journal_app.ui.dialogs.reminders import RemindersDialog
    from journal_app.ui.dialogs.trash import TrashDialog
    from journal_app.ui.interchange.exporter import ExportDialog
    from journal_app.ui.interchange.importer import ImportDialog
    from journal_app.ui.practice.assessment import AssessmentDialog
    from journal_app.ui.practice.support import SupportDialog
    from journal_app.ui.sharing.cards_dialog import CardsDialog
    from journal_app.ui.sharing.share_dialog import ShareDialog
    from journal_app.ui.writing.reflection import ReflectionWizard

    c = theme.apply_theme(qapp, mode)
    window = open_window
    session, settings = window.session, window.settings
    template = next(iter(load_library().templates.values()))
    missing = {}
    for name, dialog in (
            ("reflection", ReflectionWizard(session, template, None, window)),
            ("self-assessment", AssessmentDialog(session, "competency", parent=window)),
            ("support", SupportDialog("US", [], window)),
            ("my prompts", MyPromptsDialog(session, window)),
            ("trash", TrashDialog(session, window)),
            ("backups", BackupsDialog(window.backups, window)),
            ("reminders", RemindersDialog(settings, window)),
            ("export", ExportDialog(session, settings, window)),
            ("import", ImportDialog(session, window)),
            ("share", ShareDialog(session, window)),
            ("mentor cards", CardsDialog(session, window))):
        missing[name] = dialog_rings(qtbot, qapp, dialog, c)
        dialog.close()
    assert {name: found for name, found in missing.items() if found} == {}
