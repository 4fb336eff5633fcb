"""The widgets that give up width by themselves (issue 17, section 3), driven at a wide and at
a narrow width: a form's labels go above their fields, a check box's words wrap, a button box
turns vertical, a splitter's panes go one above the other, a scale of buttons wraps into even
rows, and a long choice is shortened without two choices looking alike."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from journal_app.ui.widgets import (
    FitButtonBox,
    FitCombo,
    FitForm,
    FitSplitter,
    FlowLayout,
    WrapCheckBox,
    breakable,
)


def shown(qtbot: QtBot, widget: QWidget, width: int) -> None:
    qtbot.addWidget(widget)
    widget.show()
    widget.resize(width, widget.heightForWidth(width) if widget.hasHeightForWidth()
                  else widget.sizeHint().height())
    QApplication.processEvents()
    layout = widget.layout()
    if layout is not None:
        layout.activate()


def test_a_form_puts_every_label_above_its_field_where_a_row_does_not_fit(
        qtbot: QtBot) -> None:
    host = QWidget()
    form = FitForm(host)
    short, wide = QLineEdit(), QLineEdit()
    wide.setMinimumWidth(300)
    form.addRow("Name", short)
    form.addRow("Where you are in training", wide)
    labels = [form.labelForField(short), form.labelForField(wide)]
    beside = host.sizeHint().width()
    assert host.minimumSizeHint().width() < beside  # it never holds its window that wide

    shown(qtbot, host, beside + 20)
    for label, field in zip(labels, (short, wide), strict=True):
        assert label is not None and label.geometry().center().y() == \
            field.geometry().center().y()  # beside, on one row

    shown(qtbot, host, host.minimumSizeHint().width() + 10)
    for label, field in zip(labels, (short, wide), strict=True):
        assert label is not None
        assert field.y() >= label.geometry().bottom()  # above it, the short row too
        assert field.x() == label.x()


def test_a_check_box_wraps_its_words_and_every_line_ticks_it(qtbot: QtBot) -> None:
    box = WrapCheckBox("Include entries about a death, a code or grief in On this day")
    one_line = box.sizeHint()
    assert box.minimumSizeHint().width() < one_line.width() // 2
    shown(qtbot, box, one_line.width() // 3)
    assert box.height() >= 2 * box.fontMetrics().height()  # on more lines
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton,
                     pos=QPoint(box.width() - 4, box.height() - 4))  # the last line's end
    assert box.isChecked()


def test_a_button_box_turns_vertical_where_its_buttons_do_not_fit(qtbot: QtBot) -> None:
    host = QWidget()
    layout = QVBoxLayout(host)
    box = FitButtonBox()
    for text in ("Restore from a backup…", "Save check-in", "Cancel"):
        box.addButton(QPushButton(text), QDialogButtonBox.ButtonRole.ActionRole)
    layout.addWidget(box)
    beside = box.sizeHint().width()
    shown(qtbot, host, beside + 40)
    assert box.orientation() == Qt.Orientation.Horizontal
    shown(qtbot, host, box.minimumSizeHint().width() + 30)
    qtbot.waitUntil(lambda: box.orientation() == Qt.Orientation.Vertical)
    assert box.width() < beside
    shown(qtbot, host, beside + 40)  # wide again: side by side again
    qtbot.waitUntil(lambda: box.orientation() == Qt.Orientation.Horizontal)


def test_a_splitter_puts_its_panes_one_above_the_other_where_narrow(qtbot: QtBot) -> None:
    host = QWidget()  # a splitter alone in its window holds the window to both panes' width
    layout = QVBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    split = FitSplitter()
    for text in ("The text under review, with its highlights", "Kind · Found · Decision"):
        pane = QLabel(text)
        pane.setMinimumWidth(pane.sizeHint().width())
        split.addWidget(pane)
    layout.addWidget(split)
    shown(qtbot, host, 2000)
    assert split.orientation() == Qt.Orientation.Horizontal
    shown(qtbot, host, host.minimumSizeHint().width())
    assert split.orientation() == Qt.Orientation.Vertical
    assert host.width() < split.widget(0).minimumWidth() + split.widget(1).minimumWidth()


def test_a_scale_wraps_into_even_rows(qtbot: QtBot) -> None:
    host = QWidget()
    row = FlowLayout(host, spacing=4, even=True)
    buttons = [QPushButton(str(value)) for value in range(11)]
    for button in buttons:
        button.setMinimumWidth(40)
        row.addWidget(button)
    shown(qtbot, host, 11 * 44 + 20)
    assert len({b.y() for b in buttons}) == 1  # one row where it fits
    shown(qtbot, host, 300)
    lines = [sum(1 for b in buttons if b.y() == y) for y in sorted({b.y() for b in buttons})]
    assert lines == [6, 5]  # as full as each other, not 7 and 4
    assert len({b.width() for b in buttons}) == 1


def test_a_long_choice_is_shortened_but_never_looks_like_another(qtbot: QtBot) -> None:
    combo = FitCombo(elide=True)
    texts = ["A patient's death", "A patient's suicide or violent death", "Moral distress"]
    combo.addItems(texts)
    combo.setCurrentIndex(1)
    full = combo.sizeHint().width()
    least = combo.minimumSizeHint().width()
    assert least < full
    shown(qtbot, combo, least)
    assert combo.elided()
    room = combo.width() - (full - combo.fontMetrics().horizontalAdvance(texts[1]))
    shortened = {combo.fontMetrics().elidedText(t, Qt.TextElideMode.ElideRight, room)
                 for t in texts}
    assert len(shortened) == len(texts)
    QApplication.sendEvent(combo, QHelpEvent(QHelpEvent.Type.ToolTip, QPoint(5, 5),
                                             combo.mapToGlobal(QPoint(5, 5))))
    assert QToolTip.text() == texts[1]  # the choice in full
    combo.setCurrentIndex(2)  # a short choice: shown in full, the box as narrow as it
    assert not combo.elided() or combo.minimumSizeHint().width() < least


def test_a_path_may_wrap_after_its_separators() -> None:
    name = "/media/sam/USB/journal-backup-2026-12-07T01-59.jrnbak"
    marked = breakable(name)
    assert marked.replace("\u200b", "") == name
    assert marked.count("\u200b") == sum(name.count(c) for c in "-_./")
