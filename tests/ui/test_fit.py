"""The layout defects seen under a real X display (issue 17, section 3), each reproduced here:
the text size that did not reach titles and held the window wide, the filters that held it at
1,042 px, the entry list squeezed to 170 px, clipped and overlapping text in Settings, Backups and
the check-in, the recovery key cut after a dash, the strength word taller than its bar, Trends'
right column under the scroll bar, and the Share dialog that changed size at the review."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from journal_app.core.demo.entries import demo_records
from journal_app.core.sharing import service as sharing
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.theme import apply_theme
from journal_app.ui.widgets import screen_area
from journal_app.ui.writing.entrylist import EntryDelegate

from .conftest import PASSPHRASE, WAIT_MS, click, make_vault, trends_shown, unlock, writes_done
from .layout_check import clipped, need, overlaps
from .sharing_steps import decide_all

SMALL = QSize(800, 600)


def settle() -> None:
    QApplication.processEvents()
    QTest.qWait(20)


def seen_problems(window: QWidget) -> list[str]:
    settle()
    return [str(p) for p in overlaps(window) + clipped(window)]


@pytest.fixture
def window(qtbot: QtBot, folder: Path, make_window: Callable[..., MainWindow],
           qapp: QApplication) -> MainWindow:
    """Unlocked on 40 demo entries (tags, emotions, times), the second one open, in the look
    the app starts with (the default text size)."""
    apply_theme(qapp, "light", 11)
    make_vault(folder)
    journal = Journal.open(folder)
    journal.unlock(PASSPHRASE)
    try:
        journal.import_records(demo_records(40), writing_only=False)
    finally:
        journal.close()
    window = make_window(folder)
    unlock(qtbot, window)
    page = window.journal_page
    page.list.setCurrentIndex(page.model.index(1))
    qtbot.waitUntil(page.editor.isVisible, timeout=WAIT_MS)
    return window


def font_sizes(root: QWidget) -> dict[int, tuple[str, float]]:
    return {id(w): (f"{type(w).__name__} {w.accessibleName() or w.objectName()}",
                    QFont(w.font()).pointSizeF())
            for w in [root, *root.findChildren(QWidget)] if w.isVisible()}


def test_the_text_size_reaches_every_text_titles_and_headings_too(
        qtbot: QtBot, window: MainWindow) -> None:
    before = font_sizes(window)
    for _ in range(3):
        QTest.keySequence(window, "Ctrl+=")
    settle()
    after = font_sizes(window)
    unchanged = sorted({name for key, (name, size) in before.items()
                        if key in after and after[key][1] != size + 3})
    assert unchanged == []
    assert window.journal_page.editor.title.font().pointSizeF() == before[
        id(window.journal_page.editor.title)][1] + 3


def test_the_largest_text_keeps_the_window_on_the_screen_and_smaller_text_shrinks_it_back(
        qtbot: QtBot, window: MainWindow) -> None:
    area = screen_area(window)
    window.resize(700, 560)
    window.settings.text_size = 25  # chosen in Settings; Ctrl+= goes on from there
    settle()
    chosen = window.size()
    for _ in range(4):  # to the largest size, and one more press
        QTest.keySequence(window, "Ctrl+=")
        settle()
        frame = window.frameGeometry()
        assert frame.width() <= area.width() and frame.height() <= area.height(), frame
    assert window.settings.text_size == 28
    for _ in range(3):
        QTest.keySequence(window, "Ctrl+-")
        settle()
    assert window.settings.text_size == 25
    assert window.size() == chosen


def test_the_window_shrinks_back_after_the_text_size_grew_it(
        qtbot: QtBot, window: MainWindow) -> None:
    window.resize(window.minimumSizeHint())
    settle()
    chosen = window.size()
    for _ in range(4):
        QTest.keySequence(window, "Ctrl+=")
        settle()
    assert window.size() != chosen  # it had to grow with the text
    for _ in range(4):
        QTest.keySequence(window, "Ctrl+-")
        settle()
    assert window.size() == chosen


def test_with_the_filters_open_the_window_fits_800_pixels(
        qtbot: QtBot, window: MainWindow) -> None:
    click(qtbot, window.journal_page.filter_toggle)
    window.resize(SMALL)
    settle()
    assert window.size() == SMALL
    assert seen_problems(window) == []  # "Any encounter" in full, among others
    encounter = window.journal_page.filters.encounter
    wanted = need(encounter)
    assert wanted is not None and encounter.width() >= wanted.width()


def test_at_815_pixels_the_entry_list_shows_every_time(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(815, 600)
    settle()
    view = window.journal_page.list
    assert view.width() >= 0.3 * window.width()
    room = view.viewport().width()
    for row in range(window.journal_page.model.rowCount()):
        rect = view.visualRect(view.model().index(row, 0))
        if rect.top() > view.viewport().height():
            break
        assert rect.right() < room, (row, rect, room)  # the time is drawn at the right end
    assert room >= EntryDelegate.min_width(view.font())


@pytest.mark.parametrize("size", [11, 14, 18])
def test_settings_shows_every_hint_whole(qtbot: QtBot, window: MainWindow, size: int) -> None:
    from journal_app.ui.dialogs.settings import SettingsDialog

    apply_theme(QApplication.instance(), "light", size)  # type: ignore[arg-type]
    dialog = SettingsDialog(window.session, window.settings, window, backups=window.backups)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert seen_problems(dialog) == []


def test_after_back_up_now_the_backups_dialog_keeps_its_fields(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from journal_app.ui.dialogs.backups import BackupsDialog

    drive = tmp_path / "usb"
    drive.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(drive))
    dialog = BackupsDialog(window.backups, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert seen_problems(dialog) == []
    click(qtbot, dialog.choose)
    click(qtbot, dialog.back_up_button)
    qtbot.waitUntil(lambda: dialog.result_label.text().startswith("Backed up"), timeout=20_000)
    assert seen_problems(dialog) == []
    assert dialog.frequency.height() >= dialog.frequency.minimumSizeHint().height()


@pytest.mark.parametrize("size", [11, 16])
def test_the_check_in_hint_stays_in_its_box(qtbot: QtBot, window: MainWindow, size: int) -> None:
    from journal_app.ui.practice.checkin import CheckInDialog

    apply_theme(QApplication.instance(), "light", size)  # type: ignore[arg-type]
    dialog = CheckInDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.resize(560, dialog.height())  # narrow
    settle()
    hint = dialog.emotions_hint
    qtbot.waitUntil(hint.isVisible)  # (the dialog may have moved its contents into a scroll)
    settle()
    box = hint.parentWidget()
    assert box.rect().contains(hint.geometry()), (hint.geometry(), box.rect())
    wanted = need(hint)
    assert wanted is not None and wanted.width() <= hint.width() \
        and wanted.height() <= hint.height()
    assert seen_problems(dialog) == []


def test_the_recovery_key_breaks_only_between_groups(
        qtbot: QtBot, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    window = make_window(folder)
    welcome = window.welcome
    qtbot.keyClicks(welcome.passphrase.first, PASSPHRASE)
    qtbot.keyClicks(welcome.passphrase.second, PASSPHRASE)
    click(qtbot, welcome.create_button)
    qtbot.waitUntil(lambda: welcome.stack.currentWidget() is welcome.recovery, timeout=WAIT_MS)
    label = welcome.recovery.key_label
    for width in (800, 560, 420):
        window.resize(width, 600)
        settle()
        lines = label.text().split("\n")
        assert all(not line.endswith("-") and not line.startswith("-") for line in lines), lines
        assert {len(group) for line in lines for group in line.split("-")} == {4}
        assert label.width() >= label.sizeHint().width() or len(lines) > 1
        assert seen_problems(window) == []


@pytest.mark.parametrize("size", [11, 28])
def test_the_strength_word_fits_its_bar(qtbot: QtBot, folder: Path, size: int,
                                        make_window: Callable[..., MainWindow]) -> None:
    apply_theme(QApplication.instance(), "light", size)  # type: ignore[arg-type]
    window = make_window(folder)
    meter = window.welcome.passphrase.meter
    qtbot.keyClicks(window.welcome.passphrase.first, PASSPHRASE)
    settle()
    assert meter.text()
    wanted = need(meter)
    assert wanted is not None and meter.height() >= wanted.height(), (meter.height(), wanted)


def test_trends_keeps_its_right_column_clear_of_the_scroll_bar(
        qtbot: QtBot, window: MainWindow) -> None:
    window.show_trends()
    trends_shown(qtbot, window.dashboard)
    dialog = window.trends_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    for width in (800, 1000, 1200):
        dialog.resize(width, 600)
        settle()
        [scroll] = [s for s in dialog.findChildren(QScrollArea) if s.isVisible()]
        page = scroll.widget()
        assert page.width() <= scroll.viewport().width(), (width, page.width())
        assert seen_problems(dialog) == []


@pytest.fixture
def mentor_card(tmp_path: Path) -> Iterator[bytes]:
    journal, _key = Journal.create(tmp_path / "ada", "correct horse", kdf=TEST_KDF)
    try:
        yield sharing.my_card(journal, "Ada Mentor", "mentor").to_bytes()
    finally:
        journal.close()


def test_the_share_dialog_keeps_its_size_from_page_to_page(
        qtbot: QtBot, window: MainWindow, mentor_card: bytes) -> None:
    from journal_app.ui.sharing.share_dialog import ShareDialog

    journal = window.session.journal
    assert journal is not None
    sharing.ensure_identity(journal, "Sam Student")
    sharing.import_card(journal, mentor_card, lambda _card: True)
    entry = window.journal_page.current_entry()
    assert entry is not None
    dialog = ShareDialog(window.session, window, preselect=[entry.id])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    sizes = [dialog.size()]
    for step in (1, 2):
        if step == 2:  # the mentor whose card came in above (the demo journal has another)
            [ada] = [dialog.contacts.item(r) for r in range(dialog.contacts.count())
                     if dialog.contacts.item(r).text().startswith("Ada Mentor")]
            ada.setCheckState(Qt.CheckState.Checked)
        click(qtbot, dialog.next_button)
        writes_done(qtbot, window.session)
        qtbot.waitUntil(lambda step=step: dialog.page() == step, timeout=WAIT_MS)
        settle()
        sizes.append(dialog.size())
    decide_all(qtbot, dialog)
    settle()
    sizes.append(dialog.size())
    assert len({(s.width(), s.height()) for s in sizes}) == 1, sizes
    area = screen_area(dialog)
    assert dialog.frameGeometry().width() <= area.width()


def test_a_dialog_taller_than_the_screen_scrolls_and_stays_usable(
        qtbot: QtBot, qapp: QApplication) -> None:
    from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout

    from journal_app.ui.widgets import DialogFitter

    dialog = QDialog()
    column = QVBoxLayout(dialog)
    fields = [QLineEdit() for _ in range(60)]
    for field in fields:
        field.setMinimumHeight(30)
        column.addWidget(field)
    fitter = DialogFitter()
    qapp.installEventFilter(fitter)
    try:
        qtbot.addWidget(dialog)
        dialog.show()
        # At once, not after a pass of the event loop: typing right away reaches the field.
        assert all(field.isVisible() for field in fields)
        qtbot.keyClicks(fields[-1], "typed at once")
        assert fields[-1].text() == "typed at once"
        qtbot.waitExposed(dialog)
        area = screen_area(dialog)
        assert dialog.frameGeometry().height() <= area.height()
        [scroll] = dialog.findChildren(QScrollArea)
        assert scroll.widget().isAncestorOf(fields[0])
        fields[-1].setFocus()
        qtbot.keyClicks(fields[-1], "!")
        assert fields[-1].text() == "typed at once!"
    finally:
        qapp.removeEventFilter(fitter)
