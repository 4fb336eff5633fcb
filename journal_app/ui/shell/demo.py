"""The throwaway demo journal (``journal-app --demo [student|mentor|programme]``).

The demo lives in a temporary folder deleted when it quits: its journal, and its own interface
settings (:class:`~journal_app.ui.uisettings.DemoSettings`, a copy of the user's look), so
nothing changed in the demo (a lock time, a theme, a window size) reaches the real journal's
settings. Backups and Reminders explain themselves instead of writing to the user's folders or
the login items. The student's demo is a two-year journal with a mentor's feedback; the
mentor's demo has three students' excerpts in "Shared with me"; the programme's demo is a
lead's journal whose cohort report (from 150 invented students' simulated contributions, in a
folder beside the demo journal) opens at once.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from journal_app.core.vault import DEFAULT_KDF, KdfParams

DEMO_KINDS = ("student", "mentor", "programme")
DEMO_PASSPHRASE = "demo journal"  # noqa: S105 - the throwaway demo says it on screen
DEMO_TITLE = "Demo journal — journal-app"

NO_BACKUPS = (
    "Backups are off in the demo: its journal is invented and deleted when you quit. In your "
    "own journal, Journal ▸ Backups… keeps encrypted copies in a folder you choose (a USB "
    "drive, say), automatically if you like, and restores them."
)
NO_REMINDERS = (
    "Reminders are off in the demo, so it never changes what starts when you log in. In your "
    "own journal, Journal ▸ Reminders… can suggest a check-in a while after each shift ends, "
    "from the tray."
)


def explain(parent: QWidget, text: str) -> None:
    """Why a part of the app is off in the demo, and what it does in a real journal."""
    QMessageBox.information(parent, "In the demo", text)


def demo_window(session: object, real: object, demo_dir: Path, kind: str = "student",
                kdf: KdfParams = DEFAULT_KDF) -> QWidget:
    """The demo's main window over its own settings (a copy of ``real``), shown; the demo
    journal of ``kind`` is created in ``demo_dir`` in the worker and opens once made (the
    session's ``unlocked``)."""
    from journal_app.ui.session import JournalSession
    from journal_app.ui.shell.mainwindow import MainWindow
    from journal_app.ui.uisettings import DemoSettings, UiSettings

    assert isinstance(session, JournalSession) and isinstance(real, UiSettings)
    folder = demo_dir / "journal"
    window = MainWindow(session, DemoSettings(real, demo_dir), default_dir=folder, demo=True)
    window.show()
    fill_demo(window, session, folder, kind, kdf)
    return window


def fill_demo(window: object, session: object, folder: Path, kind: str = "student",
              kdf: KdfParams = DEFAULT_KDF) -> None:
    """Create the throwaway demo journal in ``folder`` and fill it, in the worker (through the
    session), then open it unlocked; meanwhile the window says that it is being made, and
    takes no input."""
    from journal_app.core.records import Record
    from journal_app.ui.session import JournalSession
    from journal_app.ui.shell.mainwindow import MainWindow

    assert isinstance(window, MainWindow) and isinstance(session, JournalSession)
    records: list[Record] = []
    contributions = folder.parent / "contributions"

    def build() -> list[Record]:
        return records

    if kind == "mentor":
        from journal_app.core.demo import STUDENTS, mentor_demo_records

        records = mentor_demo_records()
        about = (f"This is a mentor's demo journal: Sharing ▸ Shared with me holds what "
                 f"{len(STUDENTS)} invented students shared with you.")
    elif kind == "programme":
        from journal_app.core.demo import PROGRAMME_NAME, programme_demo

        def build() -> list[Record]:  # in the worker: 500 files signed and encrypted
            return programme_demo(contributions)

        about = (f"This is a programme lead's demo journal: {PROGRAMME_NAME}'s cohort report,"
                 " from invented students' simulated contributions, is open (Sharing ▸"
                 " Programme ▸ Cohort report… shows it again).")
    else:
        from journal_app.core.demo import demo_records

        records = demo_records()
        about = "This is a demo journal of invented entries."

    def made(_recovery_key: str) -> None:
        window.setEnabled(True)
        session.finish_creation()  # the views fill in
        if kind == "mentor":  # what the mentor's demo is for, at once
            window.sharing.show_shared_with_me()
        if kind == "programme":
            from journal_app.ui.sharing.cohort_view import CohortReportDialog

            report = CohortReportDialog(session, contributions, window)
            report.show()
        window.show_message(
            f"{about} It is deleted when you quit, and settings changed here are not kept. "
            f"Its passphrase is “{DEMO_PASSPHRASE}”.", timeout_ms=0,
        )

    def failed(message: str) -> None:
        window.setEnabled(True)
        window.show_message(f"The demo journal could not be made: {message}", timeout_ms=0)

    window.show_message("Making the demo journal…", timeout_ms=0)
    window.setEnabled(False)  # the first-run page under it is not for the demo
    session.create(folder, DEMO_PASSPHRASE, made, failed, kdf=kdf,
                   fill=lambda journal: journal.import_records(build(), writing_only=False))


__all__ = ["DEMO_KINDS", "DEMO_PASSPHRASE", "DEMO_TITLE", "demo_window", "explain", "fill_demo"]
