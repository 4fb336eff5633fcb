"""Render the cohort report (issue 25) offscreen into docs/screenshots/cohort-*.png (for the
README): the demo programme's lead's report (150 invented students' simulated contributions),
pooled, each item across the rotations, and one rotation; a student's contribution dialog (the
programme's drop folder found, and one to choose on this computer); at
the default text size, and at the largest (28 pt) in an 800x600 window. Run:
.venv/bin/python scripts/screenshots_cohort.py [--theme dark]
"""

from __future__ import annotations

from pathlib import Path

import shotkit


def main() -> int:
    kit = shotkit.start("cohort")
    app, tmp, shot = kit.app, kit.tmp, kit.shot
    from PySide6.QtTest import QTest

    from journal_app.core.cohort.service import DropFolder, Offer
    from journal_app.core.demo.programme import programme_demo
    from journal_app.core.practice.pack import default_items, pack_of
    from journal_app.core.records.model import ProgrammeLead
    from journal_app.core.sharing.cards import card_of, new_identity
    from journal_app.core.vault.crypto import TEST_KDF
    from journal_app.core.vault.journal import Journal
    from journal_app.ui.session import JournalSession
    from journal_app.ui.sharing.cohort_view import CohortReportDialog, ContributionDialog
    from journal_app.ui.theme import apply_theme

    lead, _key = Journal.create(tmp / "lead", "quiet harbour lantern", kdf=TEST_KDF)
    folder = tmp / "contributions"
    records = programme_demo(folder)
    lead.import_records(records, writing_only=False)
    session = JournalSession(kdf=TEST_KDF)
    session.journal = lead
    session.data_dir = tmp / "lead"
    report = CohortReportDialog(session, folder)
    report.resize(760, 900)
    report.show()
    while report.report is None:  # read in the worker
        QTest.qWait(20)
    shot("report", report)
    report.rotation.setCurrentIndex(1)
    shot("report-across", report)
    report.rotation.setCurrentIndex(2)
    shot("report-rotation", report)
    report.close()

    led = next(r for r in records if isinstance(r, ProgrammeLead))
    items = default_items()
    made = Offer("Palliative Care Clerkship", "", pack_of(led.pack).rotations[3], items,
                 items[3], "no", 2.0, "ab" * 16, 16.0, 6.0,
                 card_of(new_identity("Sam Student", "student")))
    # The programme's drop folder (its pack's drop_folder) found on this computer; then one
    # whose shared drive is mounted elsewhere here: the student chooses it once.
    share = "/mnt/school-share/Palliative Care/Cohort"
    for name, where in (("contribute", DropFolder(Path(share), share, "programme")),
                        ("contribute-choose",
                         DropFolder(None, "/Volumes/School/Palliative Care/Cohort"))):
        box = ContributionDialog(session, made, where)
        box.resize(640, 600)
        box.show()
        shot(name, box)
        box.close()

    apply_theme(app, kit.theme, 28)
    large = CohortReportDialog(session, folder)
    large.resize(800, 600)
    large.show()
    while large.report is None:  # read in the worker
        QTest.qWait(20)
    shot("report-largest", large)
    large.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
