"""The export and import dialogs offer what the format registry describes: a format added in
one module of its own (tests/helpers/titles_format.py) is offered, named, filtered and written
without a line of the dialogs being edited."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QRadioButton
from pytestqt.qtbot import QtBot

from journal_app.core.interchange import Format
from journal_app.ui.interchange.exporter import ExportDialog
from journal_app.ui.interchange.importer import ImportDialog
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.trends.summary_pdf import SummaryDialog
from tests.helpers.titles_format import titles_format

from .conftest import WAIT_MS, click, on_modal
from .test_export_dialog import make_dialog, tick
from .test_import_dialog import choose, format_label, import_now, pick, preview, run_dialog
from .test_summary_pdf_file import dialog as dialog  # the summary dialog on a demo journal


@pytest.fixture
def titles() -> Iterator[Format]:
    with titles_format() as fmt:
        yield fmt


def shown_formats(dialog: ExportDialog) -> list[str]:
    return [b.text() for b in dialog.options_page.findChildren(QRadioButton)
            if b.group() is dialog.format_group]


def test_the_export_dialog_lists_the_registry(qtbot: QtBot, open_window: MainWindow) -> None:
    dialog = make_dialog(qtbot, open_window)
    assert shown_formats(dialog) == ["Portfolio PDF", "HTML page", "Markdown folder",
                                     "journal-app JSON"]
    # The first is chosen, with what it asks for: a name on the title page, feedback.
    assert dialog.format_name() == "pdf" and dialog.name.isVisible()
    assert dialog.with_feedback.isVisible()
    click(qtbot, dialog.format_buttons["json"])
    assert not dialog.name.isVisible() and not dialog.with_feedback.isVisible()
    assert Path(dialog.destination.text()).name == f"journal-{date.today().isoformat()}.json"
    assert "every entry, check-in and earlier version" in dialog.all_note.text()


def test_a_new_format_is_offered_and_written(qtbot: QtBot, open_window: MainWindow,
                                            titles: Format, tmp_path: Path) -> None:
    open_window.settings.clear_text_export_confirmed = True
    dialog = make_dialog(qtbot, open_window)
    # In its place in the order, with its own words.
    assert shown_formats(dialog) == ["Portfolio PDF", "Titles only", "HTML page",
                                     "Markdown folder", "journal-app JSON"]
    click(qtbot, dialog.format_buttons["titles"])
    assert dialog.format_name() == "titles"
    assert dialog.all_button.isChecked() and not dialog.name.isVisible()
    assert not dialog.with_feedback.isVisible()
    assert Path(dialog.destination.text()).name == f"titles-{date.today().isoformat()}.txt"
    assert "All: the 3 entries in your journal" in dialog.all_note.text()

    # "Choose…" opens a save dialog filtered to the format's files.
    out = tmp_path / "titles.txt"

    def save_as(picker: QFileDialog) -> None:
        assert picker.nameFilters() == ["Text (*.txt)"]
        assert picker.acceptMode() == QFileDialog.AcceptMode.AcceptSave
        picker.selectFile(str(out))
        picker.accept()

    seen = on_modal(QFileDialog, save_as)
    click(qtbot, dialog.browse)
    assert len(seen) == 1 and dialog.destination.text() == str(out)

    click(qtbot, dialog.chosen_button)
    tick(qtbot, dialog, "Teaching round")
    tick(qtbot, dialog, "Family meeting")
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS) as blocker:
        click(qtbot, dialog.export_button)
    assert blocker.args == ["Wrote 2 entries to titles.txt."]
    # Reviewed like every export for other eyes: nothing was found in these two.
    assert "No identifiers were found" in dialog.result_label.text()
    assert sorted(out.read_text(encoding="utf-8").splitlines()) == [
        "Family meeting", "Teaching round"]


def test_a_new_format_is_offered_by_the_import_dialog(qtbot: QtBot, open_window: MainWindow,
                                                     titles: Format, tmp_path: Path) -> None:
    source = tmp_path / "titles.txt"
    source.write_text("Morning handover\n", encoding="utf-8")

    def check_filter(picker: QFileDialog) -> None:
        assert picker.nameFilters() == ["Titles, one a line (.txt) (*.txt)", "All files (*)"]
        picker.reject()

    def steps(dialog: ImportDialog) -> None:
        labels = [dialog.format_box.itemText(i) for i in range(dialog.format_box.count())]
        assert labels.index("Titles, one a line (.txt)") == 0  # its order puts it first
        choose(qtbot, dialog.format_box, format_label(dialog, "titles"))
        assert dialog.hint.text() == "Each line of the file becomes an entry."
        assert dialog.path_label.text() == "File:"
        seen = on_modal(QFileDialog, check_filter)
        click(qtbot, dialog.browse_button)
        assert len(seen) == 1
        pick(qtbot, dialog, "titles", source)
        preview(qtbot, dialog)
        import_now(qtbot, dialog, "Imported 1 entry.")
        click(qtbot, dialog.next_button)

    run_dialog(open_window, steps)
    journal = open_window.session.journal
    assert journal is not None
    assert "Morning handover" in [e.title for e in journal.entries()]


def test_the_trends_summary_takes_its_file_name_and_filter_from_the_registry(
        qtbot: QtBot, dialog: SummaryDialog, tmp_path: Path) -> None:
    """The summary is made from the Trends page, not exported from entries: not offered by the
    export dialog, but its save dialog's name and filter are its registry description's."""
    target = tmp_path / "for my mentor"

    def save_as(picker: QFileDialog) -> None:
        assert picker.nameFilters() == ["PDF document (*.pdf)"]
        assert picker.selectedFiles()[0].endswith(
            f"journal-trends-summary-{date.today().isoformat()}.pdf")
        picker.selectFile(str(target))
        picker.accept()

    dialog.show()
    qtbot.waitExposed(dialog)
    seen = on_modal(QFileDialog, save_as)
    click(qtbot, dialog.save_button)
    assert len(seen) == 1
    qtbot.waitUntil(lambda: dialog.path is not None, timeout=WAIT_MS)
    assert dialog.path == tmp_path / "for my mentor.pdf"  # the format's suffix, added
    assert (tmp_path / "for my mentor.pdf").read_bytes().startswith(b"%PDF")


def test_the_export_dialog_offers_only_what_exports_entries(qtbot: QtBot,
                                                           open_window: MainWindow) -> None:
    export = make_dialog(qtbot, open_window)
    assert "trends-summary" not in export.format_buttons
