"""Render Sharing ▸ Programme offscreen into docs/screenshots/programme-*.png (for the README).

A lead's journal (a programme with a roster, an enrolment list and a content pack) and a
student's, in throwaway folders: the question at joining (the fingerprint to compare), the
programme joined (an enrolled student's view: the drop folder and the lifetime budget of
cohort contributions), and the lead's side; at the default text size, and at the largest (28 pt)
in an 800x600 window. Run:
.venv/bin/python scripts/screenshots_programme.py [--theme dark]
"""

from __future__ import annotations

from datetime import date

import shotkit


def main() -> int:
    kit = shotkit.start("programme")
    app, tmp, shot = kit.app, kit.tmp, kit.shot
    from PySide6.QtTest import QTest

    from journal_app.core.programme import service as programme
    from journal_app.core.sharing import service as sharing
    from journal_app.core.vault.crypto import TEST_KDF
    from journal_app.core.vault.journal import Journal
    from journal_app.ui.session import JournalSession
    from journal_app.ui.sharing.programme_dialog import ProgrammeDialog
    from journal_app.ui.theme import apply_theme
    from tests.helpers.programme_pack import rotations_around, write_pack

    def journal(name: str) -> Journal:
        made, _key = Journal.create(tmp / name, "quiet harbour lantern", kdf=TEST_KDF)
        return made

    def session_of(made: Journal, name: str) -> JournalSession:
        session = JournalSession(kdf=TEST_KDF)
        session.journal = made
        session.data_dir = tmp / name
        return session

    lead = journal("lead")
    programme.create(lead, "Palliative Care Clerkship")
    for name in ("Dr Ada Okafor", "Dr Ben Lindqvist", "Dr Chiara Russo"):
        mentor = journal(name)
        programme.roster_add(lead, sharing.my_card(mentor, name, "mentor").to_bytes())
    student = journal("sam")
    sharing.ensure_identity(student, "Sam Student")
    students = [sharing.my_card(student).to_bytes()]  # Sam is enrolled: a student's view
    for n in range(11):
        someone = journal(f"student-{n}")
        students.append(sharing.my_card(someone, f"Student {n + 1}").to_bytes())
    programme.enrol(lead, students)
    # The pack names the folder students' cohort contributions go to (issue 25).
    programme.pack_set(lead, write_pack(tmp / "pack", rotations=rotations_around(
        date.today()).replace("version = 1\n", 'version = 1\ndrop_folder = "S:\\\\Palliative'
                                                ' Care\\\\Cohort"\n')))
    programme.publish(lead, tmp / "clerkship.programme")
    data = (tmp / "clerkship.programme").read_bytes()
    dialog = ProgrammeDialog(session_of(student, "sam"))
    dialog.resize(720, 640)
    dialog.show()
    dialog.pending = programme.check_programme(student, data)
    dialog.refresh()
    shot("join", dialog)
    programme.take(student, dialog.pending)
    dialog.pending = None
    dialog.refresh()
    shot("member", dialog)
    dialog.close()

    led = ProgrammeDialog(session_of(lead, "lead"))
    led.resize(720, 640)
    led.show()
    led.refresh()
    from PySide6.QtWidgets import QScrollArea

    area = led.findChild(QScrollArea)  # the page scrolls: show the lead's half
    if area is not None:
        QTest.qWait(50)
        area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    shot("lead", led)
    led.close()

    # The largest text size, in a window of 800x600.
    apply_theme(app, kit.theme, 28)
    large = ProgrammeDialog(session_of(student, "sam"))
    large.resize(800, 600)
    large.show()
    large.refresh()
    shot("member-largest", large)
    large.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
