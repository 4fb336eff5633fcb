"""A reflection-round handout (issue 24): a text through the same de-identification review as a
share, then printed as a PDF without name or date. The student makes one from their own entry
(the entry's menu), a mentor from an excerpt a student agreed to (Shared with me)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from journal_app.core.errors import JournalError
from journal_app.core.records import Entry
from journal_app.ui.session import JournalSession
from journal_app.ui.sharing.common import default_folder, warn


def make_handout(parent: QWidget, session: JournalSession, title: str, body: str,
                 keep: list[QDialog | None] | None = None) -> Path | None:
    """Review ``title`` and ``body``, ask where, and print the handout; the file written, or
    None (cancelled, or it could not be written: said in a message). ``keep`` holds the review
    dialog while it is open (tests drive it)."""
    from journal_app.core.interchange import export_format
    from journal_app.ui.interchange.deid_review import DeidReviewDialog

    # Title and text are reviewed together (the title is one line, so they part again at the
    # first blank line: a replacement never holds a line break).
    names = session.read_or(lambda journal: journal.deid_names(), list[str]())
    review = DeidReviewDialog(f"{title.strip()}\n\n{body}", names, parent, verb="print")
    if keep is not None:
        keep[0] = review
    try:
        if review.exec() != QDialog.DialogCode.Accepted:
            return None
        title, _blank, body = review.redacted_text().partition("\n\n")
    finally:
        if keep is not None:
            keep[0] = None
        review.deleteLater()
    suggested = default_folder() / export_format("handout").default_name.format(
        day=date.today().isoformat())
    path, _filter = QFileDialog.getSaveFileName(parent, "Save the handout", str(suggested),
                                                "PDF (*.pdf)")
    if not path:
        return None
    out = Path(path) if path.lower().endswith(".pdf") else Path(path + ".pdf")
    try:
        export_format("handout").exporter().write([Entry(title=title, body=body)], out)
    except (JournalError, OSError):
        warn(parent, "The handout", "The handout could not be saved there; choose another"
             " folder.")
        return None
    return out
