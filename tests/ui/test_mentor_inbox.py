"""Shared with me as the mentor's inbox (issue 24): what waits first with its waiting days,
filters by student, encounter and status, and an excerpt opened marked read in the vault."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from journal_app.core.records.model import Entry, InboxMark
from journal_app.core.sharing import service as sharing
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui.sharing.shared_with_me import SharedWithMeWindow
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import make_vault, unlock
from .sharing_steps import journal_of

WAIT_MS = 10_000
#: The year the excerpts carry (their entries are written now).
YEAR = datetime.now().astimezone().year


def _student(tmp: Path, name: str, mentor_card: bytes) -> Journal:
    journal, _key = Journal.create(tmp / name.replace(" ", "-"), "correct horse", kdf=TEST_KDF)
    sharing.ensure_identity(journal, name)
    sharing.import_card(journal, mentor_card, lambda _c: True)
    return journal


def _share(student: Journal, out: Path, title: str, encounter: str | None) -> bytes:
    entry = student.add_entry(Entry(title=title, body="A long night.", encounter=encounter))
    draft = sharing.draft_share(student, [sharing.Selection(entry.id)])
    sharing.write_share(student, draft, out, to=[sharing.find_contact(student, "Ada Mentor")])
    return out.read_bytes()


def test_the_inbox_filters_and_marks_what_was_opened(
        qtbot: QtBot, tmp_path: Path, make_window: Callable[..., MainWindow]) -> None:
    make_vault(tmp_path / "mentor")
    window = make_window(tmp_path / "mentor")
    unlock(qtbot, window)
    journal = journal_of(window)
    card = sharing.my_card(journal, "Ada Mentor", "mentor").to_bytes()
    sam = _student(tmp_path, "Sam Student", card)
    kim = _student(tmp_path, "Kim Student", card)
    for student, title, encounter in ((sam, "Night on 7B", "patient-death"),
                                      (kim, "Ward round", "bad-news"),
                                      (sam, "Clinic", None)):
        sharing.receive(journal, _share(student, tmp_path / f"{title}.pkg", title, encounter),
                        lambda _c: True)
    window.sharing.show_shared_with_me()
    shared = window.sharing.shared_window
    assert isinstance(shared, SharedWithMeWindow)
    qtbot.waitUntil(shared.isVisible)
    tree = shared.tree

    def rows() -> list[tuple[str, str]]:
        return [(tree.topLevelItem(i).text(0), tree.topLevelItem(i).text(1))
                for i in range(tree.topLevelItemCount())]

    # Two lines a row: the student's name on its own (never cut), then the title.
    assert rows() == [(f"Sam Student\nNight on 7B · {YEAR}", "new\ntoday"),
                      (f"Kim Student\nWard round · {YEAR}", "new\ntoday"),
                      (f"Sam Student\nClinic · {YEAR}", "new\ntoday")]
    assert "3 excerpts waiting" in shared.summary.text()
    shared.student_filter.setCurrentIndex(shared.student_filter.findText("Kim Student"))
    assert rows() == [(f"Kim Student\nWard round · {YEAR}", "new\ntoday")]
    shared.student_filter.setCurrentIndex(0)
    shared.encounter_filter.setCurrentIndex(shared.encounter_filter.findData("patient-death"))
    assert [r[0] for r in rows()] == [f"Sam Student\nNight on 7B · {YEAR}"]
    shared.encounter_filter.setCurrentIndex(0)
    # Opening the window marks nothing; clicking an excerpt marks it read, in the vault.
    assert journal.records(InboxMark) == []
    second = tree.topLevelItem(1)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=tree.visualItemRect(second).center())
    assert tree.currentItem().text(1) == "read\ntoday"
    qtbot.waitUntil(lambda: len(journal.records(InboxMark)) == 1, timeout=WAIT_MS)
    shared.status_filter.setCurrentIndex(shared.status_filter.findData("read"))
    assert [r[0] for r in rows()] == [f"Kim Student\nWard round · {YEAR}"]
    shared.status_filter.setCurrentIndex(shared.status_filter.findData("answered"))
    assert rows() == [] and shared.no_match.isVisible()
    shared.close()


def test_questions_to_ask_and_own_phrases_go_into_the_comment(
        qtbot: QtBot, tmp_path: Path, make_window: Callable[..., MainWindow]) -> None:
    from journal_app.core.records.model import CommentPhrase

    make_vault(tmp_path / "mentor")
    window = make_window(tmp_path / "mentor")
    unlock(qtbot, window)
    journal = journal_of(window)
    card = sharing.my_card(journal, "Ada Mentor", "mentor").to_bytes()
    sam = _student(tmp_path, "Sam Student", card)
    sharing.receive(journal, _share(sam, tmp_path / "s.pkg", "Night", None), lambda _c: True)
    window.sharing.show_shared_with_me()
    shared = window.sharing.shared_window
    assert isinstance(shared, SharedWithMeWindow)
    editor = shared.editor
    # REFLECT's criteria, each with questions; choosing one puts it in the comment.
    menus = [a.menu() for a in editor.questions_menu.actions() if a.menu() is not None]
    assert [m.title() for m in menus][:3] == [
        "Presence", "A conflict or disorienting dilemma", "Attending to emotions"]
    question = menus[2].actions()[0]
    question.trigger()
    assert editor.comment.toPlainText() == question.text()
    # Select words, keep them as a phrase: sealed in the vault, offered next time.
    editor.comment.selectAll()
    editor.phrases_menu.aboutToShow.emit()
    keep = next(a for a in editor.phrases_menu.actions() if a.text().startswith("Keep"))
    assert keep.isEnabled()
    keep.trigger()
    qtbot.waitUntil(lambda: len(journal.records(CommentPhrase)) == 1, timeout=WAIT_MS)
    editor.comment.clear()
    editor.phrases_menu.aboutToShow.emit()
    editor.phrases_menu.actions()[0].trigger()
    assert editor.comment.toPlainText() == question.text()
    shared.close()


def test_an_excerpt_with_words_of_distress_offers_guidance_and_support_lines(
        qtbot: QtBot, tmp_path: Path, make_window: Callable[..., MainWindow]) -> None:
    make_vault(tmp_path / "mentor")
    window = make_window(tmp_path / "mentor")
    unlock(qtbot, window)
    journal = journal_of(window)
    card = sharing.my_card(journal, "Ada Mentor", "mentor").to_bytes()
    sam = _student(tmp_path, "Sam Student", card)
    entry = sam.add_entry(Entry(title="Late", body="Some nights I just want to die."))
    draft = sharing.draft_share(sam, [sharing.Selection(entry.id)])
    sharing.write_share(sam, draft, tmp_path / "r.pkg",
                        to=[sharing.find_contact(sam, "Ada Mentor")])
    sharing.receive(journal, (tmp_path / "r.pkg").read_bytes(), lambda _c: True)
    sharing.receive(journal, _share(sam, tmp_path / "q.pkg", "Quiet", None), lambda _c: True)
    window.sharing.show_shared_with_me()
    shared = window.sharing.shared_window
    assert isinstance(shared, SharedWithMeWindow)
    shown = shared.reader.toPlainText()
    assert shared.current_excerpt().title == "Late"  # type: ignore[union-attr]
    assert "This excerpt uses words of distress." in shown
    assert "a plain default" in shown and "Reach out to the student soon" in shown
    shared.tree.setCurrentItem(shared.tree.topLevelItem(1))
    assert "words of distress" not in shared.reader.toPlainText()
    shared.close()
    sam.close()


def test_before_sharing_the_student_reads_what_the_mentor_may_do(
        qtbot: QtBot, tmp_path: Path, make_window: Callable[..., MainWindow]) -> None:
    from journal_app.ui.sharing.share_dialog import ShareDialog

    make_vault(tmp_path / "student")
    window = make_window(tmp_path / "student")
    unlock(qtbot, window)
    dialog = ShareDialog(window.session, window)
    qtbot.addWidget(dialog)
    text = dialog.terms.text()
    assert "Sharing is formative" in text and "Your mentor may not" in text
    assert "plain defaults" in text
    dialog.reject()


def test_private_notes_and_a_meeting_on_the_student(
        qtbot: QtBot, tmp_path: Path, make_window: Callable[..., MainWindow]) -> None:
    from journal_app.core.records.model import StudentNote
    from journal_app.ui.sharing.notes_dialog import StudentNotesDialog

    from .conftest import on_modal

    make_vault(tmp_path / "mentor")
    window = make_window(tmp_path / "mentor")
    unlock(qtbot, window)
    journal = journal_of(window)
    card = sharing.my_card(journal, "Ada Mentor", "mentor").to_bytes()
    sam = _student(tmp_path, "Sam Student", card)
    sharing.receive(journal, _share(sam, tmp_path / "s.pkg", "Night", None), lambda _c: True)
    window.sharing.show_shared_with_me()
    shared = window.sharing.shared_window
    assert isinstance(shared, SharedWithMeWindow)
    seen: list[str] = []

    def write_notes(dialog: StudentNotesDialog) -> None:
        assert dialog.windowTitle() == "Notes on Sam Student"
        dialog.text.setPlainText("Seemed tired after nights.")
        dialog.add_button.click()
        qtbot.waitUntil(lambda: dialog.list.item(0).text().endswith("after nights."),
                        timeout=WAIT_MS)
        dialog.text.setPlainText("Talked about the night on 7B.")
        dialog.meeting.setChecked(True)
        dialog.add_button.click()
        qtbot.waitUntil(lambda: dialog.list.count() == 2, timeout=WAIT_MS)
        seen.extend(dialog.list.item(i).text() for i in range(2))
        dialog.accept()

    on_modal(StudentNotesDialog, write_notes)
    shared.editor.notes_button.click()
    assert any(s.startswith("Meeting on ") for s in seen)
    notes = journal.records(StudentNote)
    assert {n.kind for n in notes} == {"note", "meeting"}
    assert {n.student for n in notes} == {sharing.my_card(sam).fingerprint}
    shared.close()
    sam.close()
