"""Student -> mentor -> student through files, in two data folders, all through the windows.

The student makes a card, adds the mentor's, shares an entry (note, question, the review of
every identifier); the mentor opens the package (confirming the student's fingerprint on first
contact), reads it in Shared with me and sends feedback with a depth rating; the student opens
the feedback, which shows beside the entry and on the Trends depth card. Then nothing typed or
received is found in clear in either data folder, the settings, the temp folders or the
package files.
"""

from __future__ import annotations

import os
import secrets
import string
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from journal_app.core.practice.trends import compute_trends
from journal_app.core.records.model import Entry, Feedback, ReceivedExcerpt, SharedLog
from journal_app.core.sharing import service as sharing
from journal_app.core.sharing.cards import Card
from journal_app.ui.sharing.shared_with_me import SharedWithMeWindow
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.uisettings import UiSettings

from .conftest import (
    WAIT_MS,
    a_week_of_writing,
    click,
    click_row,
    flush_events,
    make_vault,
    trends_shown,
    type_text,
    unlock,
)
from .sharing_steps import (
    FilePicker,
    add_contact,
    journal_of,
    make_card,
    receive,
    share_through_dialog,
)
from .test_canary_gui import encodings, files_under


def canary(kind: str) -> str:
    # Letters only: a run of digits could be taken for an identifying number and redacted,
    # and the canary must reach the mentor for the scan below to mean something.
    return f"canary{kind}" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(14))


@pytest.fixture
def picker(monkeypatch: pytest.MonkeyPatch) -> FilePicker:
    return FilePicker().install(monkeypatch)


def test_student_mentor_student(qtbot: QtBot, tmp_path: Path, picker: FilePicker,
                                make_window: Callable[..., MainWindow]) -> None:
    words = {k: canary(k) for k in ("body", "note", "question", "comment", "reply")}
    body = (f"Mrs. Abernathy died at 4 am on March 14. I sat with her {words['body']} "
            "daughter and felt numb.\n\nCall her back on 555-201-3344.")
    student_dir, mentor_dir, mail = tmp_path / "student", tmp_path / "mentor", tmp_path / "mail"
    mail.mkdir()
    make_vault(student_dir, [Entry(title="A night on the ward", body=body)])
    make_vault(mentor_dir)
    student = make_window(student_dir)
    unlock(qtbot, student)
    mentor = make_window(mentor_dir)
    unlock(qtbot, mentor)

    # ---- cards: both make one; the student adds the mentor's (the mentor does not add
    # the student's: the first package asks them to confirm it).
    sam_fp = make_card(qtbot, student, "Sam Student", "student", picker, mail / "sam.card")
    ada_fp = make_card(qtbot, mentor, "Ada Mentor", "mentor", picker, mail / "ada.card")
    assert picker.asked[0][1].endswith(".card") and "student-card-" in picker.asked[0][1]
    assert "mentor-card-" in picker.asked[1][1]
    shown, listed = add_contact(qtbot, student, picker, mail / "ada.card")
    assert shown == ["Ada Mentor", ada_fp]
    assert listed[0].startswith(f"Ada Mentor | Mentor | {ada_fp} | ")
    assert listed[-1] == "Added Ada Mentor to your contacts."

    # ---- the student shares the entry from the list's context menu.
    click_row(qtbot, student.journal_page.list, 0)
    menu = student.sharing.list_menu(
        student.journal_page.list.visualRect(student.journal_page.model.index(0)).center())
    assert menu is not None and student.sharing.act_share_entry in menu.actions()
    assert student.sharing.act_share_entry.isEnabled()

    def check(dialog: object) -> None:
        from journal_app.ui.sharing.share_dialog import ShareDialog

        assert isinstance(dialog, ShareDialog)
        shown_text = dialog.final_view.toPlainText()
        assert words["body"] in shown_text and "Abernathy" not in shown_text
        assert "Ada Mentor" in dialog.summary.text()

    dialog = share_through_dialog(qtbot, student, picker, mail / "share.pkg",
                                  note=f"A hard night {words['note']}",
                                  question=f"Was I wrong to feel numb {words['question']}",
                                  check=check, min_findings=3)
    assert dialog.log is not None and dialog.out == mail / "share.pkg"
    assert "share-" in picker.asked[-1][1] and picker.asked[-1][1].endswith(".pkg")
    assert "Saved share.pkg" in student.message_bar.text.text()
    [log] = journal_of(student).records(SharedLog)
    assert [r.name for r in log.recipients] == ["Ada Mentor"]
    assert "Abernathy" not in log.excerpts[0].text and "555-201" not in log.excerpts[0].text

    # ---- the mentor opens it: first contact, so the student's fingerprint is confirmed.
    texts = receive(qtbot, mentor, picker, mail / "share.pkg", confirm=True)
    assert texts == [f"fingerprint of Sam Student: {sam_fp}",
                     "Received 1 excerpt from Sam Student. Sam Student is now among your "
                     "contacts."]
    click(qtbot, mentor.message_bar.action)  # "Open Shared with me"
    window = mentor.sharing.shared_window
    assert isinstance(window, SharedWithMeWindow) and window.isVisible()
    excerpt = window.current_excerpt()
    assert isinstance(excerpt, ReceivedExcerpt)
    reading = window.reader.toPlainText()
    assert words["body"] in reading and words["note"] in reading and words["question"] in reading
    assert "Abernathy" not in reading
    editor = window.editor
    assert not editor.send_button.isEnabled()  # nothing written yet
    type_text(qtbot, editor.comment, f"You stayed with her {words['comment']}.\nWell done.")
    qtbot.keyClicks(editor.reply, f"No, numbness is common {words['reply']}")
    click(qtbot, editor.depth_buttons["reflection"])
    assert "Making sense of it" in editor.depth_explained.text()
    assert sharing.CANNOT_RECALL in editor.note.text()
    picker.saves.append(mail / "feedback.pkg")
    click(qtbot, editor.send_button)
    qtbot.waitUntil(lambda: "Saved feedback.pkg" in editor.result.text(), timeout=WAIT_MS)
    assert "feedback-" in picker.asked[-1][1]
    assert editor.comment.toPlainText() == ""  # sent: the editor is empty again
    assert words["comment"] in window.reader.toPlainText()  # the sent feedback, below
    assert window.tree.currentItem().text(1).split("\n")[0] == "answered"  # and its day
    [written] = journal_of(mentor).records(Feedback)
    assert written.direction == "written" and written.depth == "reflection"

    # ---- the student opens the feedback: a known contact, so no question is asked.
    student.act_new.trigger()  # somewhere else, so "Show" has work to do
    assert student.journal_page.editor.entry is not None
    assert student.journal_page.editor.entry.title == ""
    a_week_of_writing(journal_of(student))  # Trends past the new journal's note
    student.show_trends()  # open while the feedback arrives: it redraws
    trends_shown(qtbot, student.dashboard)
    assert not student.dashboard.figures["depth"]["mentor"]["points"]
    texts = receive(qtbot, student, picker, mail / "feedback.pkg")
    assert texts == ["Feedback from Ada Mentor on 1 entry."]
    trends_shown(qtbot, student.dashboard)
    assert student.dashboard.figures["depth"]["mentor"]["points"]
    assert "Your mentor rated 1 shared entry" in student.dashboard.cards["depth"].reading.text()
    click(qtbot, student.message_bar.action)  # "Show"
    entry_editor = student.journal_page.editor
    assert entry_editor.entry is not None and entry_editor.entry.title == "A night on the ward"
    panel = entry_editor.feedback
    assert panel.isVisible()
    assert "Feedback from Ada Mentor" in panel.title.text()
    shown_feedback = panel.view.toPlainText()
    assert words["comment"] in shown_feedback and words["reply"] in shown_feedback
    assert "Making sense of it" in shown_feedback
    click(qtbot, panel.fold)
    assert not panel.view.isVisible() and panel.fold.text() == "Show"
    # The mentor's depth rating reaches the Trends depth card.
    journal = journal_of(student)
    assert [level for _day, level in sharing.mentor_depth_ratings(journal)] == ["reflection"]
    figures = compute_trends(journal.entries(), journal.checkins(),
                             mentor_ratings=sharing.mentor_depth_ratings(journal))
    assert figures["depth"]["mentor"]["points"]

    # ---- nothing in clear anywhere: lock, close, scan.
    for win in (student, mentor):
        win.act_lock.trigger()  # Journal ▸ Lock (two windows: the shortcut goes to one)
        assert win.stack.currentWidget() is win.lock_page
    assert mentor.sharing.shared_window is None  # dropped on lock
    for win in (student, mentor):
        assert win.close()
        win.session.close()
    flush_events()
    settings_file = Path(UiSettings().file_name)
    roots = [tmp_path, Path(os.environ["HOME"]), Path(tempfile.gettempdir()),
             *(Path(os.environ[v]) for v in ("XDG_CONFIG_HOME", "XDG_DATA_HOME",
                                             "XDG_CACHE_HOME", "XDG_STATE_HOME",
                                             "XDG_RUNTIME_DIR")),
             settings_file.parent]
    scanned = list(files_under(*roots))
    names = {p.name for p in scanned}
    assert {"journal.db", "share.pkg", "feedback.pkg"} <= names, names
    assert any(p.is_relative_to(student_dir) for p in scanned)
    assert any(p.is_relative_to(mentor_dir) for p in scanned)
    needles = [(w, enc) for w in words.values() for enc in encodings(w)]
    needles += [(w, enc) for w in ("Abernathy",) for enc in encodings(w)]
    leaks = [f"{p}: {w}" for p in scanned for w, enc in needles if enc in p.read_bytes()]
    assert leaks == []
    # The cards hold names and keys only.
    assert Card.parse((mail / "sam.card").read_bytes()).fingerprint == sam_fp
