"""Render every screen of the app offscreen into docs/screenshots/ (for the README).

Drives the real window as a user would (typing, clicking) on a throwaway demo journal, then
grabs each screen. Run: .venv/bin/python scripts/screenshots.py [--theme dark]

``--fit`` renders the main screens on a screen of 800x600 instead, at the default text size
(``*-800x600.png``) and at the largest (``*-largest.png``), each in a process of its own (Qt's
offscreen platform takes its screen's size once, from a configuration file).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from journal_app.ui.shell.mainwindow import MainWindow

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"


def trends_shown(window: MainWindow) -> None:
    """Wait for the trends' figures, worked out in the worker thread."""
    from PySide6.QtTest import QTest

    while window.dashboard.refreshing:
        QTest.qWait(20)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--theme", default="light", choices=["light", "dark"])
    parser.add_argument("--fit", action="store_true",
                        help="the main screens on an 800x600 screen, at the default and at the "
                             "largest text size")
    parser.add_argument("--text-size", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fit:
        return fit_screens(args.theme)
    if args.text_size:
        return small_screen(args.theme, args.text_size)
    tmp = Path(tempfile.mkdtemp(prefix="journal-shots-"))
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)

    from journal_app.core.demo.entries import demo_records
    from journal_app.core.vault.crypto import TEST_KDF
    from journal_app.ui.dialogs.settings import SettingsDialog
    from journal_app.ui.session import JournalSession
    from journal_app.ui.shell.mainwindow import MainWindow
    from journal_app.ui.theme import apply_theme
    from journal_app.ui.uisettings import UiSettings

    settings = UiSettings()
    settings.theme = args.theme
    settings.support_country = "US"  # the support panel shows real lines, not the placeholder
    apply_theme(app, args.theme, settings.text_size)
    session = JournalSession(kdf=TEST_KDF)
    folder = tmp / "journal"
    window = MainWindow(session, settings, folder)
    window.resize(1200, 780)
    window.show()
    window.start(folder)
    suffix = "" if args.theme == "light" else "-dark"
    OUT.mkdir(parents=True, exist_ok=True)

    def shot(name: str, widget: QWidget | None = None) -> None:
        QTest.qWait(150)
        target = widget or window
        target.grab().save(str(OUT / f"{name}{suffix}.png"))

    QTest.keyClicks(window.welcome.passphrase.first, "quiet harbour lantern")
    QTest.keyClicks(window.welcome.passphrase.second, "quiet harbour lantern")
    window.welcome.stage_buttons["clerkship"].click()  # the demo student is on clerkships
    shot("first-run")
    window.welcome.create_button.click()
    session.worker.wait()
    shot("recovery-key")
    window.welcome.recovery.stored.setChecked(True)
    window.welcome.recovery.continue_button.click()
    assert session.journal is not None
    # Trends for a new journal: one note of what appears after a week.
    window.show_trends()
    trends_shown(window)
    assert window.trends_dialog is not None
    window.trends_dialog.resize(1000, 420)
    shot("trends-new", window.trends_dialog)
    window.trends_dialog.hide()
    session.journal.import_records(demo_records(300), writing_only=False)
    window.journal_page.refresh()
    shot("home")
    # On this day (turned on in Settings): an entry of this date last year, a plain one.
    from datetime import date, datetime

    from journal_app.core.records.model import Entry

    today = date.today()
    last_year = datetime(today.year - 1, today.month, min(today.day, 28), 9).astimezone()
    memory = session.journal.add_record(Entry(
        created=last_year, updated=last_year, title="First week on the ward",
        body="Everything was new. The nurses showed me where the blankets are."))
    window.journal_page.set_on_this_day(True, False)
    shot("on-this-day")
    window.journal_page.set_on_this_day(False, False)
    session.journal.delete_entry(memory.id)
    window.journal_page.refresh()
    # A hard week: a code three days ago (its follow-up is due) and stress 9-10 three times.
    from datetime import timedelta

    from journal_app.core.records.model import CheckIn, now

    for days, stress in ((3, 9), (2, 10), (1, 9)):
        session.journal.add_record(CheckIn(created=now() - timedelta(days=days), stress=stress,
                                           burnout=4, encounter="code" if days == 3 else None))
    window.journal_page.refresh()
    window.update_support()
    shot("followup-support")
    window.support_panel.hide()
    window.journal_page.list.setCurrentIndex(window.journal_page.model.index(2))
    shot("main")
    window.journal_page.editor.set_preview_mode("side")
    shot("editor-preview")
    window.journal_page.editor.set_preview_mode("off")
    QTest.keyClicks(window.journal_page.search, "family")
    window.journal_page.filter_toggle.click()
    shot("search")
    window.show_trends()
    trends_shown(window)
    trends = window.trends_dialog
    assert trends is not None
    trends.resize(1200, 1750)
    shot("dashboard", trends)
    # A year of moods, beside the calendar: the keyboard on a day.
    year = window.dashboard.mood_year.grid
    year.setFocus()
    QTest.keyClick(year, Qt.Key.Key_Left)
    calendar_row = window.dashboard.cards["calendar"].parentWidget()
    assert calendar_row is not None
    both = window.dashboard.cards["calendar"].geometry().united(
        window.dashboard.cards["year"].geometry())
    calendar_row.grab(both).save(str(OUT / f"trends-year{suffix}.png"))
    trends.hide()
    # Reflect… (Ctrl+R): today's encounter first, each template with when it helps.
    from journal_app.core.practice import TodaysFit, unfinished_reflections
    from journal_app.ui.practice.picker import ReflectionPicker

    library = window._library()
    picker = ReflectionPicker(library, unfinished_reflections(session.entries(),
                                                              library.templates),
                              TodaysFit("patient-death"), window)
    picker.show()
    shot("reflect-picker", picker)
    picker.reject()
    from journal_app.ui.practice.assessment import AssessmentDialog

    assessment = AssessmentDialog(session, "competency", offered=True, parent=window)
    for row, value in zip(assessment.rows, (3, 4, 2, 4), strict=False):
        row.buttons[value - 1].click()
    assessment.show()
    shot("self-assessment", assessment)
    assessment.close()
    dialog = SettingsDialog(session, settings, window)
    dialog.show()
    shot("settings", dialog)
    dialog.close()
    # Settings ▸ Your emotion words: two slips of the old Enter trap and a word of one's own.
    from journal_app.core.records.model import Emotion, Entry
    from journal_app.ui.dialogs.emotion_words import EmotionWordsDialog

    session.journal.add_record(Entry(title="After the code", emotions=(Emotion("exhaus", 4),)))
    session.journal.add_record(CheckIn(mood=-2, emotions=(Emotion("guil", 3),
                                                          Emotion("hollowed out", 4))))
    session.journal.add_own_emotions(["hollowed out"])
    words = EmotionWordsDialog(session, window)
    words.show()
    shot("emotion-words", words)
    words.close()
    # The short check-in, as Ctrl+K, a reminder or the tray opens it: a mood chosen, a line.
    from journal_app.ui.practice.quickcheckin import QuickCheckInDialog

    quick = QuickCheckInDialog(session, window)
    quick.show()
    QTest.keyClick(quick.mood_buttons[0], Qt.Key.Key_2)  # "Low", by its key
    QTest.keyClicks(quick.note, "Long night. Mr B died at 3 am.")
    shot("quick-checkin", quick)
    quick.reject()
    # The check-in after a night shift: a death, and something good too.
    from journal_app.core.practice.prompts import load_library
    from journal_app.ui.practice.checkin import CheckInDialog
    from journal_app.ui.writing.reflection import ReflectionWizard

    checkin = CheckInDialog(session, window)
    checkin.pad.set_value(-2, -3)
    checkin.stress.set_value(7)
    checkin.burnout.set_value(3)
    for word, strength in (("sad", 4), ("guilt", 3), ("relieved", 2)):  # as a user adds them
        checkin.emotions.name.setEditText(word)
        checkin.emotions.intensity.setValue(strength)
        checkin.emotions.add_button.click()
    checkin.difficult.setChecked(True)
    checkin.encounter.setCurrentIndex(checkin.encounter.findData("patient-death"))
    checkin.good.setChecked(True)
    checkin.show()
    shot("checkin", checkin)
    checkin.close()
    # After a death: the first step, the remember step, and the coping checklist.
    library = load_library()
    wizard = ReflectionWizard(session, library.templates["patient-death"], parent=window)
    wizard.resize(760, 640)
    wizard.show()
    steps = library.templates["patient-death"].steps

    def go_to(step_id: str) -> None:
        target = next(i for i, s in enumerate(steps) if s.id == step_id)
        while wizard.stack.currentIndex() < target:
            wizard.go_next()
            QTest.qWait(20)

    go_to("remember")
    shot("reflection-step", wizard)
    go_to(next(s.id for s in steps if s.kind == "coping"))
    shot("reflection-coping", wizard)
    wizard.close()
    # Spell checking: a misspelt word underlined, its menu open (a name is underlined too,
    # until the user adds it to their words; medical words are not).
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter, QTextCursor

    from journal_app.ui.spelling import spelling_for

    spelling_for(session).wait()
    editor = window.journal_page.editor
    window.journal_page.new_entry()
    QTest.keyClicks(editor.title, "Night shift, bay 4")
    QTest.keyClicks(editor.body, "Mrs Okonkwo asked whether the morphine and the midazolam "
                    "would make her sleepy. I coud not find the words, so I sat with her "
                    "until the hospice nurse came.")
    QTest.qWait(200)
    cursor = QTextCursor(editor.body.document())
    cursor.setPosition(editor.body.toPlainText().index("coud") + 2)
    point = editor.body.cursorRect(cursor).center()
    menu = window.sharing.editor_menu(point)
    menu.setActiveAction(menu.actions()[0])  # as under the pointer
    menu.adjustSize()
    QTest.qWait(150)
    # Drawn where a right-click on the word opens it (the offscreen screen is smaller than
    # the window, and a real popup would be pushed back onto it, over the word).
    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(editor.body.viewport().mapTo(window, point) + QPoint(2, 10),
                       menu.grab())
    painter.end()
    picture.save(str(OUT / f"spelling{suffix}.png"))
    menu.deleteLater()
    window.lock_now()
    shot("lock")
    window.close()
    print(f"screenshots written to {OUT}")
    return 0


#: The screen of --fit, and its two text sizes: the default and the largest.
SMALL = (800, 600)
FIT_SIZES = {11: "800x600", 28: "largest"}


def fit_screens(theme: str) -> int:
    import json
    import subprocess

    config = Path(tempfile.mkdtemp(prefix="journal-shots-")) / "screen.json"
    config.write_text(json.dumps({"screens": [{
        "name": "Screen", "x": 0, "y": 0, "width": SMALL[0], "height": SMALL[1],
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    for size in FIT_SIZES:
        subprocess.run([sys.executable, __file__, "--theme", theme, "--text-size", str(size)],
                       env=env, check=True)
    return 0


def small_screen(theme: str, text_size: int) -> int:
    """The main screens on this process's screen (800x600 under --fit), at ``text_size``."""
    tmp = Path(tempfile.mkdtemp(prefix="journal-shots-"))
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QWidget

    app = QApplication(sys.argv[:1])
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)

    from journal_app.core.demo.entries import demo_records
    from journal_app.core.practice.prompts import load_library
    from journal_app.core.sharing import service as sharing
    from journal_app.core.vault.crypto import TEST_KDF
    from journal_app.ui.dialogs.backups import BackupsDialog
    from journal_app.ui.dialogs.settings import SettingsDialog
    from journal_app.ui.interchange.exporter import ExportDialog
    from journal_app.ui.interchange.importer import ImportDialog
    from journal_app.ui.practice.checkin import CheckInDialog
    from journal_app.ui.practice.quickcheckin import QuickCheckInDialog
    from journal_app.ui.session import JournalSession
    from journal_app.ui.sharing.share_dialog import ShareDialog
    from journal_app.ui.shell.mainwindow import MainWindow
    from journal_app.ui.theme import apply_theme
    from journal_app.ui.uisettings import UiSettings
    from journal_app.ui.writing.reflection import ReflectionWizard

    settings = UiSettings()
    settings.theme = theme
    settings.text_size = text_size
    settings.support_country = "US"
    apply_theme(app, theme, text_size)
    area = app.primaryScreen().availableGeometry()
    suffix = "-" + FIT_SIZES.get(text_size, f"{text_size}pt") + ("" if theme == "light"
                                                                  else "-dark")
    session = JournalSession(kdf=TEST_KDF)
    folder = tmp / "journal"
    window = MainWindow(session, settings, folder)
    window.resize(area.size())
    window.show()
    window.start(folder)
    OUT.mkdir(parents=True, exist_ok=True)

    def shot(name: str, widget: QWidget | None = None) -> None:
        QTest.qWait(200)
        (widget or window).grab().save(str(OUT / f"{name}{suffix}.png"))

    def dialog_shot(name: str, dialog: QDialog) -> None:
        dialog.show()
        shot(name, dialog)

    QTest.keyClicks(window.welcome.passphrase.first, "quiet harbour lantern")
    QTest.keyClicks(window.welcome.passphrase.second, "quiet harbour lantern")
    shot("first-run")
    window.welcome.create_button.click()
    session.worker.wait()
    shot("recovery-key")
    window.welcome.recovery.stored.setChecked(True)
    window.welcome.recovery.continue_button.click()
    journal = session.journal
    assert journal is not None
    journal.import_records(demo_records(300), writing_only=False)
    sharing.ensure_identity(journal, "Sam Student")
    page = window.journal_page
    page.refresh()
    shot("home")  # at the largest text size on 800x600, one pane: the list
    if page.one_pane:
        page.today_button.click()
        shot("one-pane-today")
        page.show_list()
    page.list.setCurrentIndex(page.model.index(2))
    page.list.activated.emit(page.list.currentIndex())  # Enter: in one pane, full width
    shot("main")
    if page.one_pane:
        shot("one-pane-entry")
    page.show_list()
    QTest.keyClicks(page.search, "family")
    page.filter_toggle.click()
    shot("search")
    page.filter_toggle.click()
    page.search.clear()
    quick = QuickCheckInDialog(session, window)
    dialog_shot("quick-checkin", quick)
    quick.reject()
    checkin = CheckInDialog(session, window)
    for word in ("sad", "guilt", "relieved"):
        checkin.emotions.name.setEditText(word)
        checkin.emotions.add_button.click()
    checkin.difficult.setChecked(True)
    dialog_shot("checkin", checkin)
    checkin.reject()
    template = load_library().templates["patient-death"]
    wizard = ReflectionWizard(session, template, parent=window)
    wizard.show()
    wizard.go_next()
    shot("reflection-step", wizard)
    wizard.go_next()
    for word in ("numb", "sad"):  # the feelings step: the picker stacks at a large size
        wizard.current_editor().chips.name.setEditText(word)  # type: ignore[union-attr]
        wizard.current_editor().chips.add_current(ask=False)  # type: ignore[union-attr]
    shot("reflection-feelings", wizard)
    wizard.reject()
    window.show_trends()
    trends_shown(window)
    assert window.trends_dialog is not None
    shot("dashboard", window.trends_dialog)
    window.trends_dialog.hide()
    dialog = SettingsDialog(session, settings, window, backups=window.backups)
    dialog_shot("settings", dialog)
    dialog.reject()
    drive = tmp / "usb"
    drive.mkdir()
    QFileDialog.getExistingDirectory = lambda *a, **k: str(drive)  # type: ignore[method-assign]
    backups = BackupsDialog(window.backups, window)
    backups.show()
    backups.choose.click()
    backups.back_up_button.click()
    while not backups.result_label.text().startswith("Backed up"):
        QTest.qWait(50)
    shot("backups", backups)
    backups.reject()
    entry = page.current_entry()
    assert entry is not None
    share = ShareDialog(session, window, preselect=[entry.id])
    share.show()
    share.next_button.click()
    for row in range(share.contacts.count()):
        share.contacts.item(row).setCheckState(Qt.CheckState.Checked if row == 0
                                               else Qt.CheckState.Unchecked)
    share.next_button.click()
    while share.page() != 2:
        QTest.qWait(50)
    shot("share-review", share)
    share.reject()
    importer = ImportDialog(session, window)
    dialog_shot("import", importer)
    importer.reject()
    exporter = ExportDialog(session, settings, window)
    dialog_shot("export", exporter)
    exporter.reject()
    from journal_app.ui.dialogs.myprompts import MyPromptsDialog, PromptEditor

    prompts = MyPromptsDialog(session, window)
    dialog_shot("my-prompts", prompts)
    prompt_editor = PromptEditor(session, None, prompts)
    dialog_shot("prompt-editor", prompt_editor)
    prompt_editor.reject()
    prompts.reject()
    window.lock_now()
    shot("lock")
    window.close()
    print(f"screenshots ({text_size} pt on {area.width()}x{area.height()}) written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
