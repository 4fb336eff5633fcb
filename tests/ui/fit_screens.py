"""Each main screen on an 800x600 screen, at the default text size and at the largest, checked
by tests/ui/layout_check.py: no overlapping widgets, no clipped text, no window larger than the
screen, and at no text size a page that scrolls sideways.

The screen's size is the platform's: this module runs in its own process on an offscreen
screen of 800x600 (tests/ui/test_screens_fit.py starts it so); on any other screen it skips.
Run alone: FIT_SCREEN=800x600 QT_QPA_PLATFORM=offscreen:configfile=<a file from
screen_config()> pytest <this>. On the 4K screen (200 %) the same checks run.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from journal_app.core.demo.entries import demo_records
from journal_app.core.sharing import service as sharing
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.theme import apply_theme
from journal_app.ui.uisettings import UiSettings

from .conftest import PASSPHRASE, WAIT_MS, click, make_vault, trends_shown, unlock, writes_done
from .layout_check import check, fit_to_screen, sideways
from .sharing_steps import decide_all

SCREEN = QSize(800, 600)
#: The default text size and the largest the app offers (Settings, Ctrl+=).
SIZES = [11, 28]


def screen_config(folder: Path, width: int = 800, height: int = 600, dpr: float = 1.0) -> Path:
    """A configuration file for Qt's offscreen platform: one screen of this size."""
    path = folder / f"screen-{width}x{height}@{dpr}.json"
    path.write_text(json.dumps({"screens": [{
        "name": "Screen", "x": 0, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": dpr}]}))
    return path


#: The screens the module runs on (tests/ui/test_screens_fit.py names one in FIT_SCREEN):
#: a small one, and a 4K one at 200 % (3840x2160 pixels, 1920x1080 at a pixel ratio of 2).
SCREENS = {"800x600": (SCREEN, 1.0), "4k": (QSize(1920, 1080), 2.0)}


@pytest.fixture(autouse=True)
def _configured_screen(qapp: QApplication) -> None:
    screen = QGuiApplication.primaryScreen()
    size = screen.availableGeometry().size()
    wanted = SCREENS.get(os.environ.get("FIT_SCREEN", ""))
    if wanted is None or (size, screen.devicePixelRatio()) != wanted:
        pytest.skip(f"needs a screen named in FIT_SCREEN ({', '.join(SCREENS)}), this one is "
                    f"{size.width()}x{size.height()}: tests/ui/test_screens_fit.py runs this "
                    "module on each")


@pytest.fixture(params=SIZES, ids=[f"{s}pt" for s in SIZES])
def text_size(request: pytest.FixtureRequest, qapp: QApplication) -> int:
    size: int = request.param
    settings = UiSettings()
    settings.text_size = size
    apply_theme(qapp, "light", size)
    return size


def fits(window: QWidget) -> None:
    """Lay ``window`` out on the screen as a window manager would, then check it: at every
    text size nothing scrolls sideways either (dialogs stack their rows, the journal page goes
    to one pane where the window is narrow)."""
    QApplication.processEvents()
    fit_to_screen(window)
    QTest.qWait(20)
    problems = check(window)
    problems += sideways(window)
    assert not problems, "\n".join(str(p) for p in problems)


@pytest.fixture
def shown_window(qtbot: QtBot, folder: Path, text_size: int,
                 make_window: Callable[..., MainWindow]) -> MainWindow:
    """A window unlocked on a journal of 40 demo entries, at the screen's full size."""
    make_vault(folder)
    journal = Journal.open(folder)
    journal.unlock(PASSPHRASE)
    try:
        journal.import_records(demo_records(40), writing_only=False)
    finally:
        journal.close()
    window = make_window(folder)
    window.resize(SCREEN)
    unlock(qtbot, window)
    return window


def test_welcome_and_recovery_key(qtbot: QtBot, folder: Path, text_size: int,
                                  make_window: Callable[..., MainWindow]) -> None:
    window = make_window(folder)
    window.resize(SCREEN)
    fits(window)
    welcome = window.welcome
    qtbot.keyClicks(welcome.passphrase.first, PASSPHRASE)  # the strength meter shows a word
    qtbot.keyClicks(welcome.passphrase.second, PASSPHRASE)
    fits(window)
    click(qtbot, welcome.create_button)
    qtbot.waitUntil(lambda: welcome.stack.currentWidget() is welcome.recovery, timeout=WAIT_MS)
    fits(window)
    key = welcome.recovery.key_label
    assert all(not line.endswith("-") for line in key.text().split("\n"))


def test_lock(qtbot: QtBot, shown_window: MainWindow) -> None:
    shown_window.lock_now()
    qtbot.waitUntil(lambda: shown_window.stack.currentWidget() is shown_window.lock_page)
    fits(shown_window)


def test_journal_page_with_an_entry_and_filters(qtbot: QtBot, shown_window: MainWindow) -> None:
    page = shown_window.journal_page
    fits(shown_window)  # the home panel, or in one pane the list
    if page.one_pane:  # (at 28 pt on 800 px) the home panel in its place
        click(qtbot, page.today_button)
        fits(shown_window)
        click(qtbot, page.back_button)
    page.list.setCurrentIndex(page.model.index(2))
    page.list.activated.emit(page.list.currentIndex())  # Enter: in one pane, full width
    qtbot.waitUntil(lambda: page.editor.isVisible())
    fits(shown_window)
    page.show_list()
    click(qtbot, page.filter_toggle)
    fits(shown_window)


def test_quick_and_full_check_in(qtbot: QtBot, shown_window: MainWindow) -> None:
    from journal_app.ui.practice.checkin import CheckInDialog
    from journal_app.ui.practice.quickcheckin import QuickCheckInDialog

    quick = QuickCheckInDialog(shown_window.session, shown_window)
    qtbot.addWidget(quick)
    quick.show()
    fits(quick)
    quick.reject()
    full = CheckInDialog(shown_window.session, shown_window)
    qtbot.addWidget(full)
    full.show()
    fits(full)  # with the hint where the emotions go
    full.emotions.name.setEditText("sad")
    full.emotions.add_button.click()
    full.difficult.setChecked(True)
    fits(full)
    full.encounter.setCurrentIndex(full.encounter.findData("suicide-or-violent-death"))
    fits(full)  # the longest kind, shortened where narrow
    full.reject()


def test_reflection_steps(qtbot: QtBot, shown_window: MainWindow) -> None:
    from journal_app.core.practice.prompts import load_library
    from journal_app.ui.writing.reflection import CopingStepEditor, ReflectionWizard

    template = load_library().templates["patient-death"]
    wizard = ReflectionWizard(shown_window.session, template, parent=shown_window)
    qtbot.addWidget(wizard)
    wizard.show()
    for _step in template.steps:
        fits(wizard)
        editor = wizard.current_editor()
        if isinstance(editor, CopingStepEditor):  # a ticked strategy asks how much it helped
            next(iter(editor.boxes.values())).setChecked(True)
            fits(wizard)
        wizard.go_next()
    fits(wizard)
    wizard.reject()


def test_trends(qtbot: QtBot, shown_window: MainWindow) -> None:
    shown_window.show_trends()
    trends_shown(qtbot, shown_window.dashboard)
    dialog = shown_window.trends_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    fits(dialog)
    dialog.hide()


def test_settings(qtbot: QtBot, shown_window: MainWindow) -> None:
    from journal_app.ui.dialogs.settings import SettingsDialog

    dialog = SettingsDialog(shown_window.session, shown_window.settings, shown_window,
                            backups=shown_window.backups)
    qtbot.addWidget(dialog)
    dialog.show()
    fits(dialog)
    dialog.reject()


def test_sync_set_up_and_its_computers(qtbot: QtBot, shown_window: MainWindow,
                                       tmp_path: Path) -> None:
    """Settings ▸ Sync before set-up (the folder, the name, the passphrase and why it must be
    Good), then with two computers listed."""
    from journal_app.core.sync import SyncParams, join, setup
    from journal_app.ui.dialogs.sync import SyncDialog

    dialog = SyncDialog(shown_window.session, shown_window.syncing, shown_window)
    qtbot.addWidget(dialog)
    dialog.show()
    fits(dialog)
    dialog.reject()
    cheap = SyncParams(folder_kdf=TEST_KDF, vault_kdf=TEST_KDF)
    good = "Quiet ward, seventh floor, 3 a.m. rounds!"
    folder = tmp_path / "Sync" / "journal"
    shown_window.session.read(lambda journal: journal.change_passphrase(good, TEST_KDF))
    shown_window.session.read(lambda journal: setup(journal, folder, "Laptop at home", good,
                                                    cheap))
    join(tmp_path / "desktop", folder, "Desktop in the library", good, cheap).journal.close()
    shown_window.syncing.start()
    qtbot.waitUntil(lambda: not shown_window.syncing.busy, timeout=WAIT_MS)
    dialog = SyncDialog(shown_window.session, shown_window.syncing, shown_window)
    qtbot.addWidget(dialog)
    dialog.show()
    fits(dialog)
    dialog.reject()


def test_join_from_the_first_screen(qtbot: QtBot, folder: Path, text_size: int,
                                    make_window: Callable[..., MainWindow]) -> None:
    window = make_window(folder)
    window.resize(SCREEN)
    window.welcome.folder.setText(str(folder.parent / "OneDrive - University" / "journal"))
    assert window.welcome.keep_outside.isVisible()  # the synced-folder warning and its offer
    fits(window)
    click(qtbot, window.welcome.join_button)
    assert window.welcome.stack.currentWidget() is window.welcome.join_page
    fits(window)


def test_backups_after_back_up_now(qtbot: QtBot, shown_window: MainWindow, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from journal_app.ui.dialogs.backups import BackupsDialog

    drive = tmp_path / "usb"
    drive.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(drive))
    dialog = BackupsDialog(shown_window.backups, shown_window)
    qtbot.addWidget(dialog)
    dialog.show()
    fits(dialog)
    click(qtbot, dialog.choose)
    click(qtbot, dialog.back_up_button)
    qtbot.waitUntil(lambda: dialog.result_label.text().startswith("Backed up"), timeout=20_000)
    fits(dialog)
    dialog.reject()


def test_my_prompts_and_its_editor(qtbot: QtBot, shown_window: MainWindow) -> None:
    from journal_app.ui.dialogs.myprompts import MyPromptsDialog, PromptEditor

    dialog = MyPromptsDialog(shown_window.session, shown_window)
    qtbot.addWidget(dialog)
    dialog.show()
    fits(dialog)
    editor = PromptEditor(shown_window.session, None, dialog)
    qtbot.addWidget(editor)
    editor.show()
    fits(editor)
    editor.reject()
    dialog.reject()


def test_import_and_export(qtbot: QtBot, shown_window: MainWindow, tmp_path: Path) -> None:
    from journal_app.ui.interchange.exporter import ExportDialog
    from journal_app.ui.interchange.importer import ImportDialog

    importer = ImportDialog(shown_window.session, shown_window)
    qtbot.addWidget(importer)
    importer.show()
    fits(importer)
    importer.reject()
    exporter = ExportDialog(shown_window.session, shown_window.settings, shown_window)
    qtbot.addWidget(exporter)
    exporter.show()
    fits(exporter)
    shown_window.settings.clear_text_export_confirmed = True  # no question first
    exporter.all_button.setChecked(True)
    exporter.destination.setText(str(tmp_path / "portfolio.pdf"))
    click(qtbot, exporter.export_button)
    qtbot.waitUntil(lambda: exporter.pages.currentWidget() is exporter.review_page,
                    timeout=WAIT_MS)
    fits(exporter)  # the review, its findings beside or under the text
    exporter.reject()


@pytest.fixture
def mentor_card(tmp_path: Path) -> Iterator[bytes]:
    journal, _key = Journal.create(tmp_path / "ada", "correct horse", kdf=TEST_KDF)
    try:
        yield sharing.my_card(journal, "Ada Mentor", "mentor").to_bytes()
    finally:
        journal.close()


def test_share_through_the_review(qtbot: QtBot, shown_window: MainWindow,
                                  mentor_card: bytes) -> None:
    from journal_app.ui.sharing.share_dialog import ShareDialog

    journal = shown_window.session.journal
    assert journal is not None
    sharing.ensure_identity(journal, "Sam Student")
    sharing.import_card(journal, mentor_card, lambda _card: True)
    page = shown_window.journal_page
    page.list.setCurrentIndex(page.model.index(1))
    entry = page.current_entry()
    assert entry is not None
    dialog = ShareDialog(shown_window.session, shown_window, preselect=[entry.id])
    qtbot.addWidget(dialog)
    dialog.show()
    sizes = []
    for step in range(2):  # what, to whom
        fits(dialog)
        sizes.append(dialog.size())
        if step == 1:
            dialog.use_passphrase.setChecked(True)  # its fields and advice
            fits(dialog)
            dialog.use_passphrase.setChecked(False)
        if step == 1:  # the mentor whose card came in above (the demo journal has another)
            [ada] = [dialog.contacts.item(r) for r in range(dialog.contacts.count())
                     if dialog.contacts.item(r).text().startswith("Ada Mentor")]
            ada.setCheckState(Qt.CheckState.Checked)
        click(qtbot, dialog.next_button)
        writes_done(qtbot, shown_window.session)
        qtbot.waitUntil(lambda step=step: dialog.page() == step + 1 or bool(dialog.error.text()),
                        timeout=WAIT_MS)
        assert dialog.page() == step + 1, dialog.error.text()
    fits(dialog)  # the review
    sizes.append(dialog.size())
    decide_all(qtbot, dialog)
    assert dialog.page() == 3
    fits(dialog)
    sizes.append(dialog.size())
    assert len(set((s.width(), s.height()) for s in sizes)) == 1, sizes
    dialog.reject()


def test_programme(qtbot: QtBot, shown_window: MainWindow, tmp_path: Path,
                   mentor_card: bytes) -> None:
    """Sharing ▸ Programme: the programme joined (and one led, both halves at once), then the
    question at joining, its fingerprint large; never wider than the screen."""
    from journal_app.core.programme import service as programme
    from journal_app.ui.sharing.programme_dialog import ProgrammeDialog
    from tests.helpers.programme_pack import write_pack

    from .layout_check import sideways

    lead, _key = Journal.create(tmp_path / "lead", "correct horse", kdf=TEST_KDF)
    try:
        programme.create(lead, "Palliative Care Clerkship")
        programme.roster_add(lead, mentor_card)
        programme.pack_set(lead, write_pack(tmp_path / "pack"))
        programme.publish(lead, tmp_path / "p.programme")
    finally:
        lead.close()
    data = (tmp_path / "p.programme").read_bytes()
    journal = shown_window.session.journal
    assert journal is not None
    programme.create(journal, "Ward 7 Programme")
    dialog = ProgrammeDialog(shown_window.session, shown_window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.pending = programme.check_programme(journal, data)  # the question at joining
    dialog.refresh()
    fits(dialog)
    assert not sideways(dialog)
    programme.take(journal, dialog.pending)
    dialog.pending = None
    dialog.refresh()
    fits(dialog)
    assert not sideways(dialog)
    dialog.reject()
def dialog_views(window: MainWindow) -> Iterator[tuple[str, QDialog]]:
    """Each dialog shown in turn, and its states worth a look (closed after each)."""
    from journal_app.ui.dialogs.backups import BackupsDialog
    from journal_app.ui.dialogs.myprompts import MyPromptsDialog, PromptEditor
    from journal_app.ui.dialogs.settings import SettingsDialog
    from journal_app.ui.interchange.exporter import ExportDialog
    from journal_app.ui.interchange.importer import ImportDialog
    from journal_app.ui.practice.checkin import CheckInDialog
    from journal_app.ui.practice.quickcheckin import QuickCheckInDialog
    from journal_app.ui.sharing.share_dialog import ShareDialog

    session = window.session
    quick = QuickCheckInDialog(session, window)
    yield "the quick check-in", quick
    full = CheckInDialog(session, window)
    yield "the full check-in", full
    full.emotions.name.setEditText("sad")
    full.emotions.add_button.click()
    full.difficult.setChecked(True)
    full.encounter.setCurrentIndex(full.encounter.findData("suicide-or-violent-death"))
    yield "the full check-in, a long kind of difficult moment", full
    yield "Settings", SettingsDialog(session, window.settings, window, backups=window.backups)
    yield "Backups", BackupsDialog(window.backups, window)
    prompts = MyPromptsDialog(session, window)
    yield "My prompts", prompts
    yield "the prompt editor", PromptEditor(session, None, prompts)
    yield "Import", ImportDialog(session, window)
    yield "Export", ExportDialog(session, window.settings, window)
    page = window.journal_page
    page.list.setCurrentIndex(page.model.index(1))
    entry = page.current_entry()
    assert entry is not None
    share = ShareDialog(session, window, preselect=[entry.id])
    yield "Share, what", share
    share.next_button.click()
    for _wait in range(WAIT_MS // 20):
        if share.page() == 1 or share.error.text():
            break
        QTest.qWait(20)
    assert share.page() == 1, share.error.text()
    share.use_passphrase.setChecked(True)
    yield "Share, to whom (with a share passphrase)", share


def test_the_dialogs_never_scroll_sideways_at_any_text_size(
        qtbot: QtBot, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    """The check-ins, Settings, Backups, Import, Export, My prompts and its prompt editor,
    and Share up to the choice of whom, at every text size the app offers (8 to 28 pt) on the
    small screen (at the smallest, a middle and the largest on the 4K one, where each is wide
    enough): the tests above check 11 and 28 pt in full; this walks the sizes between."""
    make_vault(folder)
    journal = Journal.open(folder)
    journal.unlock(PASSPHRASE)
    try:
        journal.import_records(demo_records(20), writing_only=False)
        sharing.ensure_identity(journal, "Sam Student")
    finally:
        journal.close()
    window = make_window(folder)
    unlock(qtbot, window)
    small = os.environ.get("FIT_SCREEN") == "800x600"
    found: list[str] = []
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        for size in range(8, 29) if small else (8, 18, 28):
            UiSettings().text_size = size
            apply_theme(app, "light", size)
            shown: list[QDialog] = []
            for name, dialog in dialog_views(window):
                if dialog not in shown:
                    dialog.show()
                    shown.append(dialog)
                QApplication.processEvents()
                QTest.qWait(10)
                found += [f"{size} pt, {name}: {p}" for p in sideways(dialog)]
            for dialog in reversed(shown):
                dialog.reject()
                dialog.deleteLater()  # not walked again by the next size's theme
            QApplication.processEvents()
    finally:
        UiSettings().text_size = SIZES[0]
        apply_theme(app, "light", SIZES[0])
    assert found == []


def test_cohort_report_and_contribution(qtbot: QtBot, shown_window: MainWindow,
                                        tmp_path: Path) -> None:
    """The lead's cohort report (the demo programme's: twelve items, intervals, suppressed
    rows, refused files), pooled and one rotation; and a student's contribution dialog: never
    sideways, at 11 and 28 pt."""
    from journal_app.core.cohort.service import DropFolder, Offer
    from journal_app.core.demo.programme import programme_demo
    from journal_app.core.practice.pack import default_items, pack_of
    from journal_app.core.records.model import ProgrammeLead
    from journal_app.core.sharing.cards import card_of, new_identity
    from journal_app.ui.sharing.cohort_view import CohortReportDialog, ContributionDialog

    journal = shown_window.session.journal
    assert journal is not None
    folder = tmp_path / "contributions"
    led = [r for r in programme_demo(folder) if isinstance(r, ProgrammeLead)]
    journal.import_records(led, writing_only=False)
    dialog = CohortReportDialog(shown_window.session, folder, shown_window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=WAIT_MS)  # read in the worker
    for index in (0, 1, 2):
        dialog.rotation.setCurrentIndex(index)
        fits(dialog)
        assert not sideways(dialog)
    dialog.reject()
    rotation = pack_of(led[0].pack).rotations[0]
    items = default_items()
    made = Offer("Palliative Care Clerkship", "0000", rotation, items, items[3], "no", 2.0,
                 "ab" * 16, 16.0, 2.0, card_of(new_identity("Sam Student", "student")))
    # The longest words: the programme's drop folder is not on this computer.
    for where in (DropFolder(tmp_path, str(tmp_path), "programme"),
                  DropFolder(None, "/Volumes/School share/Palliative Care/Cohort 2027")):
        box = ContributionDialog(shown_window.session, made, where, shown_window)
        qtbot.addWidget(box)
        box.show()
        fits(box)
        assert not sideways(box)
        box.reject()


def test_shared_with_me_as_an_inbox(qtbot: QtBot, folder: Path, text_size: int,
                                    make_window: Callable[..., MainWindow]) -> None:
    """The mentor's inbox (issue 24) with twelve demo students: filters, list, excerpt, the
    feedback editor."""
    from journal_app.core.demo.mentor import mentor_demo_records
    from journal_app.ui.sharing.shared_with_me import SharedWithMeWindow

    make_vault(folder)
    journal = Journal.open(folder)
    journal.unlock(PASSPHRASE)
    try:
        journal.import_records(mentor_demo_records(), writing_only=False)
    finally:
        journal.close()
    window = make_window(folder)
    window.resize(SCREEN)
    unlock(qtbot, window)
    window.sharing.show_shared_with_me()
    shared = window.sharing.shared_window
    assert isinstance(shared, SharedWithMeWindow)
    qtbot.waitUntil(shared.isVisible)
    assert shared.tree.topLevelItemCount() > 12
    fits(shared)
    # Every student's name is whole in the list (in bold, as a new excerpt's row is).
    from PySide6.QtGui import QFont, QFontMetrics
    from PySide6.QtWidgets import QStyle

    tree = shared.tree
    font = QFont(tree.font())
    font.setBold(True)
    margin = 2 * (tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None,
                                           tree) + 1)
    names = {tree.topLevelItem(i).text(0).split("\n")[0]
             for i in range(tree.topLevelItemCount())}
    assert len(names) == 12
    cut = [n for n in names
           if QFontMetrics(font).horizontalAdvance(n) + margin > tree.columnWidth(0)]
    assert not cut, (cut, tree.columnWidth(0), text_size)
    if os.environ.get("FIT_SHOTS"):  # a picture to look at (not a check)
        shared.grab().save(f"{os.environ['FIT_SHOTS']}-inbox-{text_size}.png")
    # Sign off… for the student of the excerpt shown: the days, the facets, what it will say.
    from journal_app.ui.sharing.signoff_dialog import SignOffDialog

    excerpt = shared.current_excerpt()
    assert excerpt is not None
    signoff = SignOffDialog(window.session, excerpt.sender_name, excerpt.sender_fingerprint,
                            shared)
    qtbot.addWidget(signoff)
    signoff.show()
    assert signoff.save_button.isEnabled()
    fits(signoff)
    if os.environ.get("FIT_SHOTS"):
        signoff.grab().save(f"{os.environ['FIT_SHOTS']}-signoff-{text_size}.png")
    signoff.reject()
    shared.close()


def test_attestations(qtbot: QtBot, folder: Path, text_size: int,
                      make_window: Callable[..., MainWindow]) -> None:
    """Sharing ▸ Attestations… with the mentor demo's three signed attestations (issue 24)."""
    from journal_app.core.demo.mentor import mentor_demo_records
    from journal_app.ui.sharing.attestations_dialog import AttestationsDialog

    del text_size  # the fixture set it
    make_vault(folder)
    journal = Journal.open(folder)
    journal.unlock(PASSPHRASE)
    try:
        journal.import_records(mentor_demo_records(), writing_only=False)
    finally:
        journal.close()
    window = make_window(folder)
    window.resize(SCREEN)
    unlock(qtbot, window)
    dialog = AttestationsDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.list.count() == 3
    fits(dialog)
    dialog.reject()


def test_shared_by_me_with_sent_read_answered(qtbot: QtBot, shown_window: MainWindow,
                                              tmp_path: Path) -> None:
    """The student's Shared by me, each share and excerpt with its status and day (issue 24):
    a share read in part, one answered."""
    from journal_app.core.records import SharedLog
    from journal_app.ui.sharing.cards_dialog import CardsDialog

    student = shown_window.session.journal
    assert student is not None
    sharing.ensure_identity(student, "Sam Student")
    mentor, _key = Journal.create(tmp_path / "mentor", "correct horse", kdf=TEST_KDF)
    try:
        sharing.import_card(student, sharing.my_card(mentor, "Dr. Ada Okafor", "mentor")
                            .to_bytes(), lambda _c: True, replace_changed=True)
        ada = sharing.find_contact(student, "Dr. Ada Okafor")
        entries = student.entries()[:3]
        for n, chosen in enumerate((entries[:2], entries[2:])):
            draft = sharing.draft_share(student, [sharing.Selection(e.id) for e in chosen])
            sharing.write_share(student, draft, tmp_path / f"s{n}.pkg", to=[ada])
            got = sharing.receive(mentor, (tmp_path / f"s{n}.pkg").read_bytes(),
                                  lambda _c: True).excerpts
            sharing.write_receipt(mentor, [got[0].id], tmp_path / f"r{n}.pkg")
            sharing.receive(student, (tmp_path / f"r{n}.pkg").read_bytes(), lambda _c: True)
        sharing.write_feedback(mentor, got[0].id, tmp_path / "fb.pkg", comment="Thank you.")
        sharing.receive(student, (tmp_path / "fb.pkg").read_bytes(), lambda _c: True)
    finally:
        mentor.close()
    assert len(student.records(SharedLog)) >= 2  # the demo's, and these two (the newest)
    dialog = CardsDialog(shown_window.session, shown_window, tab="shared")
    qtbot.addWidget(dialog)
    dialog.show()
    page = dialog.shared_page
    assert [page.list.topLevelItem(i).text(3).split()[0] for i in range(2)] == [
        "answered", "read"]
    fits(dialog)
    for tab in range(dialog.tabs.count()):  # My card and Contacts too
        dialog.tabs.setCurrentIndex(tab)
        fits(dialog)
    if os.environ.get("FIT_SHOTS"):
        size = UiSettings().text_size
        dialog.grab().save(f"{os.environ['FIT_SHOTS']}-shared-by-me-{size}.png")
    dialog.reject()


def test_notes_on_a_student(qtbot: QtBot, shown_window: MainWindow) -> None:
    """A mentor's private notes and meetings on one student (issue 24)."""
    from journal_app.ui.sharing.notes_dialog import StudentNotesDialog

    dialog = StudentNotesDialog(shown_window.session, "Priya Nair", "1234 " * 7 + "1234",
                                shown_window)
    qtbot.addWidget(dialog)
    dialog.show()
    fits(dialog)
    dialog.meeting.setChecked(True)
    fits(dialog)
    dialog.reject()
