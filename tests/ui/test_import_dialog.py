"""Journal ▸ Import…: choose a format and a file or folder, preview, import with progress."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog

from journal_app.core.records.model import Entry
from journal_app.core.vault import importing as importing_module
from journal_app.ui.interchange.importer import ImportDialog
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import WAIT_MS, click, list_titles, make_vault, on_modal, unlock

JRNL = Path(__file__).parents[1] / "e2e" / "fixtures" / "jrnl_export.json"
JRNL_TITLES = ["Quiet day", "Debrief with the team", "First night on call."]
SAMPLE_TITLES = ["Family meeting", "Night shift", "Teaching round"]


def choose(qtbot, combo: QComboBox, text: str) -> None:
    """Open the combo box with the mouse, arrow keys to ``text``, Enter."""
    click(qtbot, combo)
    view = combo.view()
    qtbot.waitUntil(view.isVisible, timeout=2000)
    row = combo.findText(text)
    assert row >= 0, text
    step = Qt.Key.Key_Down if row > combo.currentIndex() else Qt.Key.Key_Up
    for _ in range(abs(row - combo.currentIndex())):
        qtbot.keyClick(view, step)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=2000)
    assert combo.currentText() == text


def format_label(dialog: ImportDialog, name: str) -> str:
    return dialog.format_box.itemText(dialog.format_box.findData(name))


def pick(qtbot, dialog: ImportDialog, name: str, path: Path) -> None:
    """Choose the format and type the path, as a user would."""
    choose(qtbot, dialog.format_box, format_label(dialog, name))
    dialog.path.clear()
    qtbot.keyClicks(dialog.path, str(path))


def preview(qtbot, dialog: ImportDialog) -> None:
    assert dialog.next_button.text() == "Preview"
    click(qtbot, dialog.next_button)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=WAIT_MS)


def table_rows(dialog: ImportDialog) -> list[tuple[str, str, str]]:
    t = dialog.table
    return [tuple(t.item(r, c).text() for c in range(3)) for r in range(t.rowCount())]  # type: ignore[misc]


def import_now(qtbot, dialog: ImportDialog, expected: str) -> None:
    click(qtbot, dialog.next_button)
    qtbot.waitUntil(lambda: dialog.result_label.text() == expected, timeout=WAIT_MS)
    assert dialog.bar.value() == dialog.bar.maximum() > 0
    assert dialog.next_button.text() == "Done" and dialog.next_button.isEnabled()
    assert not dialog.cancel_button.isVisible()


def run_dialog(window: MainWindow, steps: Callable[[ImportDialog], None],
               shortcut: bool = False) -> ImportDialog:
    """Open Journal ▸ Import… (or press its shortcut) and run ``steps`` in the dialog; returns
    the (closed) dialog."""
    seen = on_modal(ImportDialog, steps)
    assert window.act_import.isEnabled()
    if shortcut:
        QTest.keySequence(window, "Ctrl+Shift+I")
    else:
        window.act_import.trigger()
    assert len(seen) == 1
    assert not seen[0].isVisible()
    return seen[0]


def notes_folder(root: Path) -> Path:
    folder = root / "notes"
    (folder / "2024").mkdir(parents=True)
    (folder / ".obsidian").mkdir()
    (folder / ".obsidian" / "workspace.md").write_text("not a note", encoding="utf-8")
    (folder / "2024" / "2024-05-01.md").write_text(
        "---\ntitle: Morning after the code\ntags: [icu]\ncreated: 2024-05-01 07:30\n---\n"
        "Still thinking about it.\n", encoding="utf-8")
    (folder / "2024" / "clinic.md").write_text(
        "---\ndate: 2024-05-02 16:00\n---\n# Clinic debrief\n\nA good day.\n", encoding="utf-8")
    (folder / "already.md").write_text(
        "---\ntitle: Already here\ncreated: 2024-04-01T09:00:00+00:00\n---\nSame text.\n",
        encoding="utf-8")
    return folder


# ============================================================================ the menu


def test_the_journal_menu_offers_import_only_while_unlocked(qtbot, folder: Path,
                                                            make_window) -> None:
    make_vault(folder)
    window = make_window(folder)
    journal_menu = window.menuBar().actions()[0]
    assert journal_menu.text() == "&Journal"
    actions = journal_menu.menu().actions()
    # Just above Quit, apart from the writing commands.
    assert actions.index(window.act_import) + 1 == actions.index(window.act_export)
    assert actions.index(window.act_export) == actions.index(window.act_quit) - 2
    assert actions[actions.index(window.act_quit) - 1].isSeparator()
    assert window.act_import.shortcut().toString() == "Ctrl+Shift+I"
    assert not window.act_import.isEnabled()  # on the lock page
    unlock(qtbot, window)
    assert window.act_import.isEnabled()
    window.lock_now()
    assert not window.act_import.isEnabled()


# ============================================================================ importing


def test_import_a_jrnl_export_from_the_menu(qtbot, open_window: MainWindow) -> None:
    window = open_window
    assert sorted(list_titles(window)) == SAMPLE_TITLES

    def steps(dialog: ImportDialog) -> None:
        assert dialog.next_button.text() == "Preview" and not dialog.next_button.isEnabled()
        pick(qtbot, dialog, "jrnl-json", JRNL)
        assert dialog.path_label.text() == "File:"
        assert "jrnl --export json" in dialog.hint.text()
        preview(qtbot, dialog)
        assert dialog.summary.text() == (
            "This file holds 3 entries, from 2 November 2023 to 20 January 2024.")
        assert dialog.duplicates_note.text() == "None of it is in your journal yet."
        assert table_rows(dialog) == [
            ("2024-01-20 12:00", "Quiet day", "New"),
            ("2023-11-03 08:05", "Debrief with the team", "New"),
            ("2023-11-02 23:15", "First night on call.", "New"),
        ]
        assert not dialog.more.isVisible()
        assert dialog.next_button.text() == "Import 3 entries"
        import_now(qtbot, dialog, "Imported 3 entries.")
        # The journal list behind the dialog has them already.
        assert sorted(list_titles(window)) == sorted(SAMPLE_TITLES + JRNL_TITLES)
        click(qtbot, dialog.next_button)

    dialog = run_dialog(window, steps)
    assert dialog._records == [] and dialog.table.rowCount() == 0
    assert window.message_bar.text.text() == "Imported 3 entries."
    assert sorted(list_titles(window)) == sorted(SAMPLE_TITLES + JRNL_TITLES)
    first_night = next(e for e in window.session.entries() if e.title == JRNL_TITLES[2])
    assert first_night.tags == ("icu",) and first_night.starred
    assert first_night.body == "Nobody slept.\nThe pager never stopped."

    # The same file again: everything is a duplicate, and Import is off.
    def again(dialog: ImportDialog) -> None:
        pick(qtbot, dialog, "jrnl-json", JRNL)
        preview(qtbot, dialog)
        assert dialog.duplicates_note.text() == (
            "All of it is already in your journal: there is nothing new to import.")
        assert {row[2] for row in table_rows(dialog)} == {"Already in your journal"}
        assert not dialog.next_button.isEnabled()
        click(qtbot, dialog.cancel_button)

    run_dialog(window, again)
    assert len(window.session.entries()) == 6


def test_import_a_markdown_folder_with_a_duplicate(qtbot, open_window: MainWindow,
                                                   tmp_path: Path) -> None:
    window = open_window
    journal = window.session.journal
    assert journal is not None
    journal.add_entry(Entry(title="Already here", body="Same text.",
                            created=datetime(2024, 4, 1, 9, 0, tzinfo=UTC)))
    window.journal_page.refresh()
    folder = notes_folder(tmp_path)

    def steps(dialog: ImportDialog) -> None:
        choose(qtbot, dialog.format_box, format_label(dialog, "markdown"))
        assert dialog.path_label.text() == "Folder:"
        assert "front matter" in dialog.hint.text()
        qtbot.keyClicks(dialog.path, str(folder))
        qtbot.keyClick(dialog.path, Qt.Key.Key_Return)  # Enter previews too
        qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=WAIT_MS)
        assert dialog.summary.text() == (
            "This folder holds 3 entries, from 1 April 2024 to 2 May 2024.")
        assert dialog.duplicates_note.text() == (
            "1 is already in your journal (the same entry, or the same date and text) and will "
            "be skipped.")
        rows = table_rows(dialog)
        assert [r[1] for r in rows] == ["Clinic debrief", "Morning after the code",
                                        "Already here"]
        assert rows[2][2] == "Already in your journal"
        assert dialog.next_button.text() == "Import 2 entries"
        import_now(qtbot, dialog, "Imported 2 entries; skipped 1 already in your journal.")
        qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Done is the default button

    run_dialog(window, steps)
    titles = list_titles(window)
    assert "Clinic debrief" in titles and "Morning after the code" in titles
    assert titles.count("Already here") == 1
    assert window.message_bar.text.text() == (
        "Imported 2 entries; skipped 1 already in your journal.")


def test_choose_opens_a_folder_picker(qtbot, open_window: MainWindow, tmp_path: Path) -> None:
    folder = notes_folder(tmp_path)

    def pick_folder(picker: QFileDialog) -> None:
        assert picker.fileMode() == QFileDialog.FileMode.Directory
        picker.selectFile(str(folder))
        picker.accept()

    def steps(dialog: ImportDialog) -> None:
        choose(qtbot, dialog.format_box, format_label(dialog, "markdown"))
        seen = on_modal(QFileDialog, pick_folder)
        click(qtbot, dialog.browse_button)
        assert len(seen) == 1
        assert Path(dialog.path.text()) == folder
        assert dialog.next_button.isEnabled()
        click(qtbot, dialog.cancel_button)

    run_dialog(open_window, steps)


# ============================================================================ errors and cancelling


def test_a_broken_file_shows_the_error_and_imports_nothing(qtbot, open_window: MainWindow,
                                                           tmp_path: Path) -> None:
    window = open_window
    folder = notes_folder(tmp_path)
    (folder / "2024" / "broken.md").write_text(
        "---\ntitle: fine\nmood: [low\n---\nPRIVATE TEXT\n", encoding="utf-8")
    before = journal_rows(window)

    def steps(dialog: ImportDialog) -> None:
        pick(qtbot, dialog, "markdown", folder)
        click(qtbot, dialog.next_button)
        qtbot.waitUntil(dialog.choose_error.isVisible, timeout=WAIT_MS)
        assert dialog.choose_error.text() == (
            "2024/broken.md, line 3: the front matter is not valid YAML; nothing was imported.")
        assert dialog.pages.currentIndex() == 0
        assert dialog.path.isEnabled() and not dialog.busy.isVisible()
        # A jrnl file that is not one: the same plain kind of message.
        pick(qtbot, dialog, "jrnl-json", folder / "already.md")
        assert not dialog.choose_error.isVisible()  # a new choice clears the old error
        click(qtbot, dialog.next_button)
        qtbot.waitUntil(dialog.choose_error.isVisible, timeout=WAIT_MS)
        assert dialog.choose_error.text() == (
            "already.md is not valid JSON (line 1); nothing was imported.")
        click(qtbot, dialog.cancel_button)

    run_dialog(window, steps)
    assert journal_rows(window) == before
    assert sorted(list_titles(window)) == SAMPLE_TITLES
    assert not window.message_bar.isVisible()


def journal_rows(window: MainWindow) -> int:
    journal = window.session.journal
    assert journal is not None
    return journal._store.count()


def test_cancel_after_the_preview_is_free(qtbot, open_window: MainWindow) -> None:
    window = open_window
    before = journal_rows(window)

    def steps(dialog: ImportDialog) -> None:
        pick(qtbot, dialog, "jrnl-json", JRNL)
        preview(qtbot, dialog)
        click(qtbot, dialog.back_button)  # back to the choice, then preview again
        assert dialog.pages.currentIndex() == 0 and dialog._records == []
        preview(qtbot, dialog)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    dialog = run_dialog(window, steps, shortcut=True)
    assert dialog._records == []
    assert journal_rows(window) == before
    assert not window.message_bar.isVisible()


def big_jrnl(path: Path, count: int) -> Path:
    entries = [{"title": f"Note {i}", "body": f"text {i}", "date": "2022-01-01",
                "time": f"{i // 60 % 24:02d}:{i % 60:02d}"} for i in range(count)]
    path.write_text(json.dumps({"entries": entries}), encoding="utf-8")
    return path


def hold_worker(window: MainWindow) -> threading.Event:
    """Keep the session's worker busy until the returned event is set."""
    release = threading.Event()
    window.session.worker.submit(lambda: release.wait(WAIT_MS / 1000))
    return release


def test_cancel_during_the_import_rolls_it_back(qtbot, open_window: MainWindow, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window
    monkeypatch.setattr(importing_module, "IMPORT_PROGRESS_EVERY", 1)
    path = big_jrnl(tmp_path / "big.json", 120)
    before = journal_rows(window)

    def steps(dialog: ImportDialog) -> None:
        pick(qtbot, dialog, "jrnl-json", path)
        preview(qtbot, dialog)
        assert dialog.next_button.text() == "Import 120 entries"
        release = hold_worker(window)  # the import waits behind it: Cancel comes first
        click(qtbot, dialog.next_button)
        assert dialog.pages.currentIndex() == 2 and dialog.cancel_button.isEnabled()
        click(qtbot, dialog.cancel_button)
        assert dialog.progress_text.text() == "Cancelling…"
        release.set()
        qtbot.waitUntil(dialog.import_error.isVisible, timeout=WAIT_MS)
        assert dialog.import_error.text() == "The import was cancelled. Nothing was imported."
        assert dialog.progress_heading.text() == "Nothing was imported"
        assert journal_rows(window) == before
        # Back to the preview, and this time let it run.
        assert dialog.back_button.text() == "Back to the preview"
        click(qtbot, dialog.back_button)
        assert dialog.pages.currentIndex() == 1
        import_now(qtbot, dialog, "Imported 120 entries.")
        click(qtbot, dialog.next_button)

    run_dialog(window, steps)
    assert len(window.session.entries()) == 123
    journal = window.session.journal
    assert journal is not None and journal.verify().ok


def test_locking_during_an_import_lets_it_finish_then_closes_the_dialog(
    qtbot, open_window: MainWindow, tmp_path: Path
) -> None:
    """Locking waits for the worker (as it does for a save): the import, one transaction,
    completes, then the dialog closes and drops what it read, and the journal locks."""
    window = open_window
    path = big_jrnl(tmp_path / "big.json", 60)
    before = journal_rows(window)
    seen: list[ImportDialog] = []

    def steps(dialog: ImportDialog) -> None:
        seen.append(dialog)
        pick(qtbot, dialog, "jrnl-json", path)
        preview(qtbot, dialog)
        click(qtbot, dialog.next_button)
        window.lock_now()  # as auto-lock would
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)

    run_dialog(window, steps)
    assert seen[0]._records == [] and seen[0].table.rowCount() == 0
    assert window.stack.currentWidget() is window.lock_page
    assert not window.message_bar.isVisible()  # nothing about the journal on the lock screen
    assert journal_rows(window) == before + 60


def test_a_late_result_after_cancel_is_ignored(qtbot, open_window: MainWindow,
                                               tmp_path: Path) -> None:
    """Cancel while the file is still being read: the dialog closes at once, and the result
    that arrives later is dropped (the dialog may already be deleted)."""
    window = open_window
    holder: list[threading.Event] = []

    def steps(dialog: ImportDialog) -> None:
        pick(qtbot, dialog, "jrnl-json", JRNL)
        holder.append(hold_worker(window))
        click(qtbot, dialog.next_button)
        assert dialog.busy.isVisibleTo(dialog) and dialog.path.isReadOnly()
        click(qtbot, dialog.cancel_button)

    run_dialog(window, steps)
    holder[0].set()
    window.session.worker.wait()  # the result is queued for the UI thread by now
    QApplication.processEvents()  # delivered here, and dropped
    window.session.worker.wait()  # (had it started an import, that ends here
    QApplication.processEvents()  # and is shown here)
    assert sorted(list_titles(window)) == SAMPLE_TITLES


def test_an_empty_journal_points_to_import(empty_window: MainWindow) -> None:
    assert "Journal ▸ Import… brings it in." in empty_window.journal_page.empty_text.text()


def test_import_a_day_one_zip_says_what_it_left_out(qtbot, open_window: MainWindow,
                                                    tmp_path: Path) -> None:
    from tests.unit.core.test_dayone import fixture_files, make_zip

    archive = make_zip(tmp_path / "Day One Export.zip", fixture_files())
    window = open_window

    def steps(dialog: ImportDialog) -> None:
        pick(qtbot, dialog, "dayone", archive)
        preview(qtbot, dialog)
        assert dialog.summary.text().startswith("This file holds 4 entries")
        # The importer's own note (a voice recording in the fixture) is in the preview.
        assert "were not imported: journal-app keeps images only" in dialog.summary.text()
        import_now(qtbot, dialog, "Imported 4 entries and 3 attachments.")
        click(qtbot, dialog.next_button)

    run_dialog(window, steps)
    code = next(e for e in window.session.entries() if e.first_line() == "After the code")
    journal = window.session.journal
    assert journal is not None
    assert [a.name for a in journal.attachments(code.id)] == ["Photo 1.png"]


# ============================================================================ trust (issue 12)


def _crafted_json(path: Path, records: list) -> Path:
    from journal_app.core.interchange.native import record_to_json

    path.write_text(json.dumps({"format": "journal-app", "version": 1, "exported": "x",
                                "records": [record_to_json(r) for r in records]}),
                    encoding="utf-8")
    return path


def test_the_preview_says_what_a_json_file_will_not_bring_in(qtbot, open_window: MainWindow,
                                                             tmp_path: Path) -> None:
    """An import brings the user's writing only: a file with a planted contact, forged
    feedback and an app state shows them as left out, with where each comes in instead."""
    from journal_app.core.records.model import AppState, Contact, Feedback
    from journal_app.core.sharing import service as sharing
    from journal_app.core.sharing.cards import card_of, new_identity

    window = open_window
    journal = window.session.journal
    assert journal is not None
    journal.set_deid_names(["Mr Jones"])
    attacker = card_of(new_identity("Ada Mentor", "mentor"))
    mine = Entry(title="From my phone", body="Written elsewhere.",
                 created=datetime(2024, 6, 1, 9, 0, tzinfo=UTC))
    forged = Feedback(direction="received", share_package_id="a" * 32, excerpt_id="b" * 32,
                      entry_id=window.session.entries()[0].id, contact_name="Ada Mentor",
                      contact_fingerprint=attacker.fingerprint, comment="See the dean.",
                      depth="habitual-action", package_id="c" * 32,
                      received=datetime.now(UTC))
    path = _crafted_json(tmp_path / "setup.json", [
        mine, attacker.as_contact(confirmed=True), forged, AppState(deid_names=[])])

    def steps(dialog: ImportDialog) -> None:
        pick(qtbot, dialog, "json", path)
        preview(qtbot, dialog)
        assert dialog.summary.text() == "This file holds 1 entry, on 1 June 2024."
        assert dialog.left_out.isVisible()
        text = dialog.left_out.text()
        assert text.startswith("An import brings your own writing only")
        for words in ("1 contact", "'card import'", "1 feedback", "'receive'",
                      "1 app settings record", "Settings"):
            assert words in text
        assert dialog.next_button.text() == "Import 1 entry"
        click(qtbot, dialog.next_button)
        qtbot.waitUntil(lambda: dialog.result_label.text().startswith("Imported 1 entry."),
                        timeout=WAIT_MS)
        assert "Not imported: 1 contact" in dialog.result_label.text()
        click(qtbot, dialog.next_button)

    run_dialog(window, steps)
    assert window.message_bar.text.text() == "Imported 1 entry."
    assert "From my phone" in list_titles(window)
    assert journal.records(Contact) == [] and sharing.feedback(journal) == []
    assert journal.deid_names() == ["Mr Jones"]


def test_a_json_file_with_no_writing_is_refused_in_the_dialog(qtbot, open_window: MainWindow,
                                                              tmp_path: Path) -> None:
    from journal_app.core.records.model import SupportContact

    window = open_window
    before = journal_rows(window)
    path = _crafted_json(tmp_path / "crisis.json",
                         [SupportContact(name="Crisis line", contact="+1 555 0100")])

    def steps(dialog: ImportDialog) -> None:
        pick(qtbot, dialog, "json", path)
        click(qtbot, dialog.next_button)
        qtbot.waitUntil(dialog.choose_error.isVisible, timeout=WAIT_MS)
        message = dialog.choose_error.text()
        assert "1 support contact" in message and "Settings" in message
        assert message.endswith("nothing was imported.")
        assert dialog.pages.currentIndex() == 0
        click(qtbot, dialog.cancel_button)

    run_dialog(window, steps)
    assert journal_rows(window) == before
