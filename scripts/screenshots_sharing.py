"""Render the sharing screens offscreen into docs/screenshots/sharing-*.png (for the README).

A student's demo journal and a mentor's journal, in two throwaway folders: the student's card,
the share dialog at its review step, what the mentor sees with the feedback editor, and the
feedback beside the student's entry, Sign off… and the student's Shared by me (sent, read,
answered). Run:
.venv/bin/python scripts/screenshots_sharing.py [--theme dark]
"""

from __future__ import annotations

import sys
from pathlib import Path

import shotkit
from shotkit import OUT

ENTRY_TITLE = "The family meeting on 4B"
ENTRY_BODY = (
    "Mrs. Delacroix's daughter Marguerite called at 3 am on March 14 asking if she should "
    "come in. I said yes, and then sat with her mother until she arrived.\n\n"
    "I felt useless and calm at the same time. The nurse, Tomasz, told me that being there "
    "*is* the work. I keep thinking about it.\n\n"
    "Next time I want to ask the family what they already understand before I explain."
)


def main() -> int:
    kit = shotkit.start("sharing")
    tmp, settings, shot = kit.tmp, kit.settings, kit.shot
    from PySide6.QtTest import QTest

    from journal_app.core.demo.entries import demo_records
    from journal_app.core.records.model import Entry, Feedback, Record, now
    from journal_app.core.sharing import service as sharing
    from journal_app.core.vault.crypto import TEST_KDF
    from journal_app.core.vault.journal import Journal
    from journal_app.ui.session import JournalSession
    from journal_app.ui.sharing.cards_dialog import CardsDialog
    from journal_app.ui.sharing.share_dialog import ShareDialog
    from journal_app.ui.sharing.shared_with_me import SharedWithMeWindow
    from journal_app.ui.shell.mainwindow import MainWindow

    def open_session(folder: Path, records: list[Record]) -> JournalSession:
        journal, _key = Journal.create(folder, "quiet harbour lantern", kdf=TEST_KDF)
        journal.import_records(records, writing_only=False)
        journal.prepare_search()
        session = JournalSession(kdf=TEST_KDF)
        session.journal = journal
        session.data_dir = folder
        return session

    # ---- the student: the demo journal, and one more entry that names people
    student = open_session(tmp / "student", list(demo_records(300)))
    journal = student.journal
    assert journal is not None
    entry = journal.add_entry(Entry(title=ENTRY_TITLE, body=ENTRY_BODY, tags=("nights",),
                                    encounter="goals-of-care", created=now()))
    window = MainWindow(student, settings, tmp / "student")
    window.resize(1200, 800)
    window.show()
    student.unlocked.emit()

    cards = CardsDialog(student, window)
    cards.resize(760, 560)
    cards.show()
    shot("card", cards)
    cards.close()

    # ---- the share dialog at its review step
    share = ShareDialog(student, window, preselect=[entry.id])
    share.show()
    QTest.keyClicks(share.note, "This one stayed with me all week.")
    QTest.keyClicks(share.question, "What would you have said to the daughter?")
    share.next_button.click()
    share.next_button.click()
    pane = share.current_pane()
    assert pane is not None
    for _ in range(3):  # decide the first few, as someone halfway through would have
        pane.redact_button.click()
    shot("review", share)
    pane.redact_all_button.click()
    share.next_button.click()
    second = share.current_pane()
    if second is not None and second is not pane:
        second.redact_all_button.click()
        share.next_button.click()
    share.close()

    # ---- the mentor: their own journal; the student shares the entry with them
    mentor = open_session(tmp / "mentor", [])
    mentor_journal = mentor.journal
    assert mentor_journal is not None
    sharing.ensure_identity(mentor_journal, "Dr. Ada Okafor", "mentor")
    sharing.import_card(journal, sharing.my_card(mentor_journal).to_bytes(),
                        lambda _card: True, replace_changed=True)
    draft = sharing.draft_share(journal, [sharing.Selection(entry.id)],
                                "This one stayed with me all week.",
                                "What would you have said to the daughter?")
    review = sharing.review_draft(draft, names=journal.deid_names())
    review.accept_all()
    package = tmp / "share.pkg"
    ada = sharing.find_contact(journal, "Dr. Ada Okafor")
    sharing.write_share(journal, review.redacted(), package, to=[ada], kdf=TEST_KDF)
    sharing.receive(mentor_journal, package.read_bytes(), lambda _card: True)
    reader = SharedWithMeWindow(mentor)
    reader.resize(1200, 820)
    reader.show()
    QTest.keyClicks(reader.editor.comment,
                    "You stayed with her mother: that *is* the work, as the nurse said. I like "
                    "how you noticed feeling useless and calm at once; next time, write "
                    "about what the calm was made of.")
    QTest.keyClicks(reader.editor.reply,
                    "Probably very little. \"I am glad you came\" is often enough.")
    reader.editor.depth_buttons["reflection"].click()
    shot("shared-with-me", reader)
    reader.close()

    # ---- the mentor's inbox across twelve students (the mentor demo, issue 24)
    from journal_app.core.demo.mentor import mentor_demo_records

    desk = open_session(tmp / "desk", mentor_demo_records())
    inbox = SharedWithMeWindow(desk)
    inbox.resize(1200, 820)
    inbox.show()
    shot("mentor-inbox", inbox)
    # ---- Sign off… for the student shown (issue 24)
    from journal_app.ui.sharing.signoff_dialog import SignOffDialog

    shown = inbox.current_excerpt()
    assert shown is not None
    signoff = SignOffDialog(desk, shown.sender_name, shown.sender_fingerprint, inbox)
    for facet in ("naming-emotions", "coping", "meaning"):
        signoff.facets[facet].setChecked(True)
    signoff.show()
    shot("signoff", signoff)
    signoff.close()
    inbox.close()
    from journal_app.ui.sharing.attestations_dialog import AttestationsDialog

    signed = AttestationsDialog(desk)
    signed.resize(760, 560)
    signed.show()
    shot("attestations", signed)
    signed.close()
    desk.close()

    # ---- the feedback beside the student's entry
    feedback_path = tmp / "feedback.pkg"
    excerpt = sharing.received_excerpts(mentor_journal)[0]
    sharing.write_feedback(mentor_journal, excerpt.id, feedback_path,
                           comment=reader.editor.comment.toPlainText(),
                           reply=reader.editor.reply.toPlainText(), depth="reflection")
    sharing.receive(journal, feedback_path.read_bytes(), lambda _card: True)
    assert any(isinstance(f, Feedback) for f in journal.records(Feedback))
    window.journal_page.refresh()
    window.journal_page.select(entry.id)
    window.show_message("Feedback from Dr. Ada Okafor on 1 entry.", "Show", timeout_ms=0)
    shot("feedback", window)

    # ---- Shared by me: sent, read (a read receipt the mentor chose to send), answered
    two = [e for e in journal.entries() if e.id != entry.id][:2]
    second_pkg = tmp / "second.pkg"
    draft = sharing.draft_share(journal, [sharing.Selection(e.id) for e in two])
    review = sharing.review_draft(draft, names=journal.deid_names())
    review.accept_all()
    sharing.write_share(journal, review.redacted(), second_pkg, to=[ada], kdf=TEST_KDF)
    got = sharing.receive(mentor_journal, second_pkg.read_bytes(), lambda _card: True).excerpts
    sharing.write_receipt(mentor_journal, [got[0].id], tmp / "receipt.pkg")
    sharing.receive(journal, (tmp / "receipt.pkg").read_bytes(), lambda _card: True)
    mine = CardsDialog(student, window, tab="shared")
    mine.resize(760, 600)
    mine.show()
    shot("shared-by-me", mine)
    mine.close()
    window.close()
    mentor.close()
    student.close()
    print(f"screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
