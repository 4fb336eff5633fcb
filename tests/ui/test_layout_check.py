"""The layout checker (tests/ui/layout_check.py) on small windows built to be broken, and on a
good one: it must find each fault, and nothing where there is none."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from .layout_check import check, clipped, overlaps, sideways, too_big


def shown(qtbot: QtBot, window: QWidget) -> QWidget:
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def good_dialog() -> QDialog:
    dialog = QDialog()
    form = QFormLayout(dialog)
    form.addRow("Name", QLineEdit())
    combo = QComboBox()
    combo.addItems(["Any encounter", "A death"])
    form.addRow("Encounter", combo)
    hint = QLabel("A long hint that wraps over several lines when the dialog is narrow, "
                  "as hints under fields do.")
    hint.setWordWrap(True)
    form.addRow(hint)
    stack = QStackedWidget()  # the hidden page sits where the shown one is: not an overlap
    stack.addWidget(QLabel("First page"))
    stack.addWidget(QLabel("Second page, hidden"))
    form.addRow(stack)
    scroll = QScrollArea()  # a viewport and its scroll bars: not overlaps
    scroll.setWidget(QLabel("\n".join(f"line {i}" for i in range(40))))
    form.addRow(scroll)
    buttons = QHBoxLayout()
    buttons.addWidget(QPushButton("Cancel"))
    buttons.addWidget(QPushButton("Open an existing journal…"))
    form.addRow(buttons)
    dialog.setSizeGripEnabled(True)  # its grip lies over the corner on purpose
    return dialog


def test_a_good_window_has_no_problem(qtbot: QtBot) -> None:
    dialog = shown(qtbot, good_dialog())
    assert check(dialog) == []


def test_overlapping_siblings_are_found(qtbot: QtBot) -> None:
    window = QWidget()
    window.resize(300, 200)
    first = QLabel("First", window)
    first.setGeometry(10, 10, 120, 30)
    second = QPushButton("Second", window)
    second.setGeometry(100, 20, 120, 30)
    apart = QLabel("Apart", window)
    apart.setGeometry(10, 120, 120, 30)
    shown(qtbot, window)
    found = overlaps(window)
    assert len(found) == 1
    assert "'First'" in found[0].where and "'Second'" in found[0].detail
    assert "30x20" in found[0].detail  # the common part: x 100..130, y 20..40
    second.hide()
    assert overlaps(window) == []


def test_overlap_outside_the_parent_is_not_seen(qtbot: QtBot) -> None:
    """Two children of a small box that overlap only beyond its edge: nobody sees that."""
    window = QWidget()
    window.resize(300, 200)
    box = QWidget(window)
    box.setGeometry(0, 0, 100, 100)
    QLabel("A", box).setGeometry(0, 0, 100, 30)
    QLabel("B", box).setGeometry(0, 120, 100, 30)
    late = QLabel("C", box)
    late.setGeometry(50, 110, 60, 30)  # overlaps B, but below the box's bottom
    shown(qtbot, window)
    assert overlaps(window) == []


def test_a_label_too_narrow_for_its_text_is_found(qtbot: QtBot) -> None:
    window = QWidget()
    row = QHBoxLayout(window)
    label = QLabel("Any encounter of the day")
    label.setMaximumWidth(60)
    row.addWidget(label)
    shown(qtbot, window)
    [problem] = clipped(window)
    assert problem.kind == "clipped" and "Any encounter" in problem.where


def test_a_label_too_short_for_its_text_is_found(qtbot: QtBot) -> None:
    """Cut at top and bottom: the height is less than one line."""
    window = QWidget()
    column = QVBoxLayout(window)
    label = QLabel("Where you are")
    label.setFixedHeight(label.fontMetrics().height() // 2)
    column.addWidget(label)
    shown(qtbot, window)
    assert len(clipped(window)) == 1


def test_a_wrapped_label_shorter_than_its_lines_is_found(qtbot: QtBot) -> None:
    window = QWidget()
    column = QVBoxLayout(window)
    label = QLabel("A hint long enough to wrap over many lines in a narrow column. " * 4)
    label.setWordWrap(True)
    label.setFixedSize(120, label.fontMetrics().height() * 2)
    column.addWidget(label)
    shown(qtbot, window)
    [problem] = clipped(window)
    assert "needs 120x" in problem.detail


def test_buttons_and_combo_boxes_too_narrow_are_found(qtbot: QtBot) -> None:
    window = QWidget()
    row = QHBoxLayout(window)
    button = QPushButton("Open an existing journal…")
    button.setFixedWidth(60)
    combo = QComboBox()
    combo.addItem("Any encounter")
    combo.setFixedWidth(70)
    fine = QPushButton("OK")
    row.addWidget(button)
    row.addWidget(combo)
    row.addWidget(fine)
    shown(qtbot, window)
    found = {p.where.split(" ")[0] for p in clipped(window)}
    assert found == {"QPushButton", "QComboBox"}


def test_a_page_cut_off_by_a_scroll_area_that_cannot_scroll_sideways_is_found(
        qtbot: QtBot) -> None:
    window = QWidget()
    column = QVBoxLayout(window)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    page = QLabel("A row of charts wider than the scroll area")
    page.setMinimumWidth(500)
    scroll.setWidget(page)
    scroll.setFixedWidth(300)
    column.addWidget(scroll)
    shown(qtbot, window)
    assert clipped(window) == []  # it scrolls sideways: the page can be reached
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    qtbot.waitUntil(lambda: not scroll.horizontalScrollBar().isVisible())
    [problem] = clipped(window)
    assert problem.where.startswith("QScrollArea")


def test_a_page_that_scrolls_sideways_is_found(qtbot: QtBot) -> None:
    window = QWidget()
    column = QVBoxLayout(window)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    page = QLabel("A page wider than its scroll area")
    scroll.setWidget(page)
    scroll.setFixedWidth(300)
    column.addWidget(scroll)
    shown(qtbot, window)
    assert sideways(window) == []
    page.setMinimumWidth(500)
    qtbot.waitUntil(scroll.horizontalScrollBar().isVisible)
    [problem] = sideways(window)
    assert "500 px wide" in problem.detail


def test_a_progress_bar_lower_than_its_text_is_found(qtbot: QtBot) -> None:
    window = QWidget()
    column = QVBoxLayout(window)
    bar = QProgressBar()
    bar.setRange(0, 4)
    bar.setValue(2)
    bar.setFormat("Fair")
    column.addWidget(bar)
    shown(qtbot, window)
    assert clipped(window) == []
    bar.setFixedHeight(bar.fontMetrics().height() // 2)
    [problem] = clipped(window)
    assert problem.where.startswith("QProgressBar")


def test_a_window_larger_than_the_screen_is_found(qtbot: QtBot) -> None:
    window = shown(qtbot, QWidget())
    window.resize(700, 500)
    assert too_big(window, QRect(0, 0, 800, 600)) == []
    window.resize(900, 500)
    [problem] = too_big(window, QRect(0, 0, 800, 600))
    assert "on a screen of 800x600" in problem.detail
