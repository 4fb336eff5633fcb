"""The screens and the exports speak one vocabulary: the encounter a user picks in the editor is
named with the same words in the HTML export and in the dashboard's reading."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from journal_app.core.interchange import HtmlExporter
from journal_app.core.records.model import ENCOUNTER_TYPES
from journal_app.core.vocabulary import ENCOUNTER_LABELS
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import save_now, saved_entry, write_new_entry


def test_the_editor_offers_every_encounter_in_the_vocabulary_s_words(
        qtbot: QtBot, open_window: MainWindow) -> None:
    combo = open_window.journal_page.editor.encounter
    offered = [combo.itemText(i) for i in range(1, combo.count())]
    assert offered == [ENCOUNTER_LABELS[key] for key in ENCOUNTER_TYPES]


def test_the_export_names_the_encounter_as_the_editor_did(
        qtbot: QtBot, open_window: MainWindow, tmp_path: Path) -> None:
    write_new_entry(qtbot, open_window, title="After the family meeting", body="Long day.")
    combo = open_window.journal_page.editor.encounter
    combo.setFocus()
    while combo.currentData() != "bad-news":  # as a user steps through the list
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    shown = combo.currentText()
    save_now(qtbot, open_window)
    entry = saved_entry(open_window, "After the family meeting")
    assert entry.encounter == "bad-news"
    out = tmp_path / "journal.html"
    HtmlExporter().write([entry], out)
    assert f"<li>{shown}</li>" in html.unescape(out.read_text(encoding="utf-8"))
