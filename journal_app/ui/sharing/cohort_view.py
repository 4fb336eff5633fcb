"""The cohort report for a programme's lead, and a student's contribution (issue 25).

:class:`CohortReportDialog`: competency 4 across rotations, from the contributions in a folder
(every file read and checked by the core): a choice of "all rotations pooled", "each item,
rotation by rotation" (where the cohort moves) or one rotation, then three groups (facets
reflected on, encounters met, self-assessed levels), each item a row: its label, a bar to the
estimate with whiskers for the 95% interval (:class:`IntervalBar`) and the figure in words. A
suppressed item (under 10 reports) shows a dashed empty track and says so: never a bar of zero.
Refused files are listed with their reasons. Rows are stacked (label above bar above words), so
nothing scrolls sideways at any text size.

:class:`ContributionDialog`: the same words as ``cohort contribute`` (exactly what will leave),
the folder it goes to, and Send / Don't send.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.core import cohort
from journal_app.core.cohort import DropFolder, Estimate, Offer, Report
from journal_app.ui.session import JournalSession
from journal_app.ui.widgets import VerticalScrollArea, heading, muted, primary_button

if TYPE_CHECKING:
    from journal_app.core.vault import Journal

POOLED = "All rotations, pooled"
ACROSS = "Each item, rotation by rotation"
GROUPS = (("facet", "Facets of competency 4 reflected on"),
          ("encounter", "Encounters met"),
          ("assessment", "Self-assessed levels"))


def figure_words(row: Estimate) -> str:
    """A row's figure in words (also the bar's accessible description)."""
    if row.suppressed or row.estimate is None or row.low is None or row.high is None:
        return (f"Suppressed: {row.reports} report{'s' if row.reports != 1 else ''}, under"
                f" {cohort.MIN_REPORTS} (an estimate would be noise)")
    return (f"About {100 * row.estimate:.0f}% (95% interval {100 * row.low:.0f} to"
            f" {100 * row.high:.0f}%), from {row.reports} reports")


class IntervalBar(QWidget):
    """A track from 0 to 100%, a bar to the estimate, whiskers over the 95% interval; for a
    suppressed row, a dashed empty track only."""

    def __init__(self, row: Estimate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = row
        self.setAccessibleName(row.label)
        self.setAccessibleDescription(figure_words(row))
        self.setMinimumWidth(80)

    def sizeHint(self) -> QSize:
        return QSize(320, max(14, self.fontMetrics().height()))

    def minimumSizeHint(self) -> QSize:
        return QSize(80, max(14, self.fontMetrics().height()))

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        w, h = self.width() - 2, self.height() - 2
        track = QRectF(1, 1 + h * 0.2, w, h * 0.6)
        text = palette.color(QPalette.ColorRole.Text)
        if self.row.suppressed or self.row.estimate is None:
            pen = QPen(palette.color(QPalette.ColorRole.PlaceholderText), 1,
                       Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawRect(track)
            return
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.drawRect(track)
        bar = QRectF(track.left(), track.top(), w * self.row.estimate, track.height())
        painter.fillRect(bar, palette.color(QPalette.ColorRole.Highlight))
        low, high = self.row.low or 0.0, self.row.high or 0.0
        y = 1 + h / 2
        x0, x1 = 1 + w * low, 1 + w * high
        painter.setPen(QPen(text, 2))
        painter.drawLine(int(x0), int(y), int(x1), int(y))
        for x in (x0, x1):
            painter.drawLine(int(x), int(1 + h * 0.1), int(x), int(1 + h * 0.9))
        painter.end()


def _row(row: Estimate) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 4, 0, 4)
    layout.setSpacing(2)
    label = QLabel(row.label)
    label.setWordWrap(True)
    layout.addWidget(label)
    layout.addWidget(IntervalBar(row))
    words = muted(figure_words(row))
    words.setWordWrap(True)
    layout.addWidget(words)
    return box


class CohortReportDialog(QDialog):
    """The lead's cohort report, from a folder of contribution files, read and checked in the
    worker (hundreds of signed, encrypted files: most of a second).

    Signals:
        loaded(): a folder was read (the report shown, or the sentence saying why not).
    """

    loaded = Signal()

    def __init__(self, session: JournalSession, folder: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Cohort report")
        self.setObjectName("cohortReport")
        self.resize(720, 640)
        self.folder = folder
        self.report: Report | None = None
        # One page scrolls up and down: the title, what the figures are, the choice of
        # rotation and the rows (at 28 pt on a small screen, the rows need the whole height).
        self.page = QWidget()
        layout = QVBoxLayout(self.page)
        layout.setContentsMargins(18, 14, 18, 14)
        self.title = heading("Cohort report")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.summary = muted("")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("About the report")
        layout.addWidget(self.summary)
        # Stacked, not side by side: a rotation's name at 28 pt takes a small screen's width.
        self.rotation = QComboBox()
        self.rotation.setAccessibleName("Rotation")
        self.choose_button = QPushButton("Choose folder…")
        layout.addWidget(self.rotation)
        top = QHBoxLayout()
        top.addWidget(self.choose_button)
        top.addStretch(1)
        layout.addLayout(top)
        self.rows = QVBoxLayout()
        layout.addLayout(self.rows)
        layout.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroller = VerticalScrollArea(self.page)
        self.scroller.setAccessibleName("Cohort report")
        outer.addWidget(self.scroller, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(18, 0, 18, 12)
        bottom.addWidget(buttons)
        outer.addLayout(bottom)
        self.choose_button.clicked.connect(self.choose_folder)
        self.rotation.currentIndexChanged.connect(lambda _i: self.show_rows())
        if folder is not None:
            self.load(folder)
        else:
            self.summary.setText("Choose the folder the students' contribution files were"
                                 " dropped in.")

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Folder of contributions",
                                                  str(self.folder or Path.home()))
        if chosen:
            self.load(Path(chosen))

    def load(self, folder: Path) -> None:
        """Read and check every file under ``folder`` in the worker (nothing is written)."""
        self.folder = folder
        self.summary.setText("Reading and checking the contribution files…")
        self.choose_button.setEnabled(False)
        self.session.background(lambda journal: cohort.report(journal, folder),
                                self._show_report, self._not_read)

    def _not_read(self, message: str) -> None:
        """One sentence from the core (or the journal locked meanwhile)."""
        self.choose_button.setEnabled(True)
        self.report = None
        self.summary.setText(message)
        self.rotation.clear()
        self.show_rows()
        self.loaded.emit()

    def _show_report(self, report: Report) -> None:
        self.choose_button.setEnabled(True)
        self.report = report
        self.title.setText(f"Cohort report: {report.programme}")
        refused = len(report.refused)
        self.summary.setText(
            f"{report.pooled_contributions} contribution(s) accepted"
            + (f", {refused} file(s) refused (listed at the end)" if refused else "")
            + ". Each contribution answers one item, randomised: the figures are estimates"
            " for the whole cohort, with 95% intervals; no one student's answer can be read"
            " from them.")
        self.rotation.blockSignals(True)
        self.rotation.clear()
        self.rotation.addItem(POOLED)
        self.rotation.addItem(ACROSS)
        for r in report.rotations:
            self.rotation.addItem(f"{r.rotation.id}: {r.contributions} contributions")
        self.rotation.blockSignals(False)
        self.show_rows()
        self.loaded.emit()

    def shown_rows(self) -> tuple[Estimate, ...]:
        if self.report is None:
            return ()
        index = self.rotation.currentIndex()
        if index <= 1:  # pooled, or each item across rotations (grouped by item)
            return self.report.pooled
        return self.report.rotations[index - 2].items

    def _across(self, row: Estimate) -> list[Estimate]:
        """``row``'s item in each rotation, labelled with the rotation."""
        assert self.report is not None
        out = []
        for r in self.report.rotations:
            for found in r.items:
                if found.id == row.id:
                    out.append(Estimate(found.id, f"{r.rotation.id}", found.reports,
                                        found.raw_estimate, found.raw_low, found.raw_high))
        return out

    def _kind_of(self, row_id: str) -> str:
        assert self.report is not None
        item_id = row_id.split(":", 1)[0]
        for r in self.report.rotations:
            for item in r.rotation.cohort_items:
                if item.id == item_id:
                    return item.kind
        return "facet"

    def show_rows(self) -> None:
        while self.rows.count():
            taken = self.rows.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.hide()
                widget.setParent(None)  # off the page now (accessibility, tests), then gone
                widget.deleteLater()
        rows = self.shown_rows()
        index = self.rotation.currentIndex()
        if self.report is not None and index > 1:
            chosen = self.report.rotations[index - 2]
            note = muted(f"{chosen.rotation.start:%d %b} to {chosen.rotation.end:%d %b %Y}:"
                         f" {chosen.contributions} contributions, each spending epsilon"
                         f" {chosen.rotation.epsilon:g} of a student's privacy budget.")
            note.setWordWrap(True)
            self.rows.addWidget(note)
        for kind, title in GROUPS:
            mine = [r for r in rows if self._kind_of(r.id) == kind]
            if not mine:
                continue
            group = heading(title)
            group.setWordWrap(True)
            self.rows.addWidget(group)
            for row in mine:
                if index != 1:
                    self.rows.addWidget(_row(row))
                    continue
                item = QLabel(row.label)  # each item, then its rotations one by one
                item.setWordWrap(True)
                font = item.font()
                font.setBold(True)
                item.setFont(font)
                self.rows.addWidget(item)
                for each in self._across(row):
                    self.rows.addWidget(_row(each))
        if self.report is not None and self.report.refused:
            self.rows.addWidget(heading("Files refused"))
            for name, reason in self.report.refused:
                line = QLabel(f"{name}: {reason}")
                line.setWordWrap(True)
                self.rows.addWidget(line)


class ContributionDialog(QDialog):
    """A student's contribution for a rotation: what will leave, where, Send or Don't send."""

    def __init__(self, session: JournalSession, made: Offer, where: DropFolder,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.made = made
        self.where_found = where
        self.folder = where.folder
        self.sent: Path | None = None
        self.declined = False
        self.setWindowTitle("Cohort report")
        self.setObjectName("cohortContribution")
        self.resize(600, 520)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.addWidget(heading(f"Contribute to {made.programme}'s cohort report?"))
        self.words = QLabel("\n\n".join(made.words()))
        self.words.setWordWrap(True)
        self.words.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.words.setAccessibleName("What will leave")
        layout.addWidget(self.words)
        self.where = muted("")
        self.where.setWordWrap(True)
        layout.addWidget(self.where)
        self.folder_button = QPushButton("Choose folder…")
        layout.addWidget(self.folder_button)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(VerticalScrollArea(page), 1)
        row = QHBoxLayout()
        row.setContentsMargins(18, 0, 18, 14)
        self.decline_button = QPushButton("Don't send")
        self.send_button = primary_button("Send")
        self.send_button.setAutoDefault(False)
        row.addStretch(1)
        row.addWidget(self.decline_button)
        row.addWidget(self.send_button)
        outer.addLayout(row)
        self.folder_button.clicked.connect(self.choose_folder)
        self.decline_button.clicked.connect(self.decline)
        self.send_button.clicked.connect(self.send)
        self._show_folder()

    def _show_folder(self) -> None:
        found = self.where_found
        if self.folder is None or self.folder == found.folder:
            text = found.sentence(self.made.programme)
        else:
            text = f"It will be written into {self.folder}, the folder you chose."
        if self.folder is not None:
            text += " A file sent cannot be recalled."
        self.where.setText(text)
        self.folder_button.setText("Choose folder…" if self.folder is None
                                   else "Another folder…")
        self.send_button.setEnabled(self.folder is not None)

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Drop folder",
                                                  str(self.folder or Path.home()))
        if chosen:
            self.folder = Path(chosen)
            self._show_folder()

    def send(self) -> None:
        folder = self.folder
        if folder is None:
            return
        self.send_button.setEnabled(False)

        def done(path: Path) -> None:
            self.sent = path
            self.accept()

        def failed(message: str) -> None:
            self.message.setText(message)
            self.send_button.setEnabled(True)

        self.session.write(lambda journal: cohort.contribute(journal, self.made, folder),
                           done, failed)

    def decline(self) -> None:
        rotation = self.made.rotation.id

        def done(_result: object) -> None:
            self.declined = True
            self.reject()

        self.session.write(lambda journal: cohort.decline(journal, rotation), done,
                           lambda message: self.message.setText(message))


def offer_contribution(session: JournalSession, parent: QWidget,
                       failed: Callable[[str], object], rotation_id: str | None = None,
                       opened: Callable[[ContributionDialog], object] | None = None) -> None:
    """Draw (or take the draw kept for) the rotation's contribution in the worker, then show
    what would leave in a :class:`ContributionDialog` (``opened`` gets it before it runs)."""
    def work(journal: Journal) -> tuple[Offer, DropFolder]:
        return cohort.offer(journal, rotation_id), cohort.drop_folder(journal)

    def done(result: tuple[Offer, DropFolder]) -> None:
        made, where = result
        dialog = ContributionDialog(session, made, where, parent)
        if opened is not None:
            opened(dialog)
        dialog.exec()

    session.write(work, done, failed)
