"""Sharing ▸ Programme…: join, show, update and leave the programme of one's school or course;
and, for its lead, the roster, the enrolment list, the content pack, publishing and handing over.

Joining shows the programme's fingerprint large, in groups to read aloud, beside the one given
at orientation: "They match: join" is the one explicit act that makes the programme trusted.
An update that changes the card of a mentor the member knows shows each change and is taken
only on "They confirmed: take it". Every check and every refusal is the core's
(:mod:`journal_app.core.programme`); this screen shows its sentences.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.core import programme
from journal_app.core.errors import JournalError
from journal_app.core.sharing import read_package_file
from journal_app.core.vault import Journal
from journal_app.ui.session import Change, JournalSession
from journal_app.ui.sharing.common import CARD_FILTER, default_folder, escape, with_suffix
from journal_app.ui.theme import sized_font
from journal_app.ui.widgets import (
    FlowLayout,
    VerticalScrollArea,
    current_item,
    error_label,
    heading,
    muted,
    primary_button,
    result_label,
    show_error,
)

T = TypeVar("T")

TITLE = "Programme"
PROGRAMME_SUFFIX = ".programme"
PROGRAMME_FILTER = "Programme files (*.programme);;All files (*)"
ORIENTATION = (
    "Compare every group with the fingerprint given at orientation (read out, or printed on "
    "the programme's handout). If even one digit differs, the file is not the programme's: do "
    "not join it."
)


def grouped(fingerprint: str, per_line: int) -> str:
    """The fingerprint's groups, ``per_line`` to a line (to read aloud, a line at a time)."""
    groups = fingerprint.split()
    return "\n".join("   ".join(groups[i:i + per_line])
                     for i in range(0, len(groups), per_line))


def big_fingerprint(fingerprint: str = "") -> QLabel:
    """The fingerprint in large fixed-width digits: four groups a line at the usual text
    sizes, two at the largest (so it never makes the window wider than a small screen)."""
    from PySide6.QtGui import QFont, QFontDatabase

    label = QLabel()
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 1.0)
    label.setFont(font)
    sized_font(label, 5, bold=True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName("Programme fingerprint")
    set_fingerprint(label, fingerprint)
    return label


def set_fingerprint(label: QLabel, fingerprint: str) -> None:
    per_line = 4 if QApplication.font().pointSizeF() < 18 else 2
    label.setText(grouped(fingerprint, per_line))


def _boxed(widget: QWidget) -> QFrame:
    frame = QFrame()
    frame.setProperty("card", True)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(18, 10, 18, 10)
    layout.addWidget(widget)
    return frame


def _buttons(*buttons: QPushButton) -> FlowLayout:
    row = FlowLayout(spacing=8)
    for button in buttons:
        row.addWidget(button)
    return row


def _wrapped(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class ProgrammeDialog(QDialog):
    """Sharing ▸ Programme…"""

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(TITLE)
        self.resize(720, 580)
        self.pending: programme.ProgrammeCheck | None = None
        self._student = False
        self._busy = False
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(heading("Your programme"))
        self.intro = muted(
            "A programme (your school's or course's) lists its mentors and offers its own "
            "prompts, templates and support lines. You check it once, when you join, by "
            "comparing its fingerprint with the one given at orientation: its mentors are then "
            "confirmed by the programme, without a fingerprint check for each.")
        layout.addWidget(self.intro)
        # --- joined: what it holds
        self.summary = _wrapped()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAccessibleName("Programme joined")
        layout.addWidget(self.summary)
        self.fingerprint = big_fingerprint()
        self.fingerprint_box = _boxed(self.fingerprint)
        layout.addWidget(self.fingerprint_box)
        self.details = _wrapped()
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAccessibleName("Programme details")
        layout.addWidget(self.details)
        # --- joining or updating: the question
        self.question = _wrapped()
        self.question.setAccessibleName("Question")
        layout.addWidget(self.question)
        self.join_button = primary_button("Join from a file…")
        self.update_button = QPushButton("Update from a file…")
        self.leave_button = QPushButton("Leave…")
        self.differ_button = QPushButton("They differ")
        self.contribute_button = QPushButton("Contribute to the cohort report…")
        self.contribute_button.setToolTip("Once a rotation: one randomised answer, shown"
                                          " before it leaves")
        self.match_button = primary_button("They match: join")
        self.match_button.setAutoDefault(False)  # a match is clicked, never an Enter reflex
        layout.addLayout(_buttons(self.join_button, self.update_button, self.leave_button,
                                  self.contribute_button, self.differ_button,
                                  self.match_button))
        # --- leading
        layout.addSpacing(8)
        self.lead_heading = heading("Lead a programme")
        layout.addWidget(self.lead_heading)
        self.lead_intro = muted(
            "The lead keeps the programme's signing key in this journal, and publishes each "
            "version as a file for students and mentors.")
        layout.addWidget(self.lead_intro)
        self.name = QLineEdit()
        self.name.setPlaceholderText("The programme's name")
        self.name.setAccessibleName("Programme name")
        layout.addWidget(self.name)
        self.create_button = QPushButton("Start a programme")
        layout.addLayout(_buttons(self.create_button))
        self.lead_summary = _wrapped()
        self.lead_summary.setTextFormat(Qt.TextFormat.RichText)
        self.lead_summary.setAccessibleName("Programme you lead")
        layout.addWidget(self.lead_summary)
        self.lead_fingerprint = big_fingerprint()
        self.lead_fingerprint.setAccessibleName("Fingerprint of the programme you lead")
        self.lead_fingerprint_box = _boxed(self.lead_fingerprint)
        layout.addWidget(self.lead_fingerprint_box)
        self.roster = QListWidget()
        self.roster.setAccessibleName("Roster of mentors")
        self.roster.setMaximumHeight(150)
        layout.addWidget(self.roster)
        self.add_mentor_button = QPushButton("Add a mentor's card…")
        self.remove_mentor_button = QPushButton("Take off the roster")
        self.enrol_button = QPushButton("Enrol students' cards…")
        self.pack_button = QPushButton("Set the content pack…")
        self.pack_button.setToolTip("A folder of TOML files: prompts/, templates/,"
                                    " support.toml, rotations.toml")
        self.publish_button = primary_button("Publish…")
        self.hand_over_button = QPushButton("Hand over…")
        self.hand_over_button.setToolTip("Sign the programme over to its next lead's card")
        self.report_button = QPushButton("Cohort report…")
        self.report_button.setToolTip("Competency 4 across rotations, from the students'"
                                      " contributions in a folder")
        layout.addLayout(_buttons(self.add_mentor_button, self.remove_mentor_button,
                                  self.enrol_button, self.pack_button, self.publish_button,
                                  self.hand_over_button, self.report_button))
        self.lead_details = _wrapped()
        self.lead_details.setAccessibleName("Programme you lead, details")
        layout.addWidget(self.lead_details)
        layout.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = VerticalScrollArea(page)
        scroll.setAccessibleName(TITLE)
        outer.addWidget(scroll, 1)
        bottom = QVBoxLayout()
        bottom.setContentsMargins(18, 0, 18, 12)
        self.error = error_label()
        self.outcome = result_label()
        bottom.addWidget(self.error)
        bottom.addWidget(self.outcome)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        bottom.addWidget(close)
        outer.addLayout(bottom)
        self.join_button.clicked.connect(lambda: self.choose_file(joining=True))
        self.update_button.clicked.connect(lambda: self.choose_file(joining=False))
        self.leave_button.clicked.connect(self.leave)
        self.differ_button.clicked.connect(self.differ)
        self.match_button.clicked.connect(self.take)
        self.create_button.clicked.connect(self.start)
        self.add_mentor_button.clicked.connect(self.add_mentor)
        self.remove_mentor_button.clicked.connect(self.remove_mentor)
        self.enrol_button.clicked.connect(self.enrol)
        self.pack_button.clicked.connect(self.set_pack)
        self.publish_button.clicked.connect(self.publish)
        self.hand_over_button.clicked.connect(self.hand_over)
        self.contribute_button.clicked.connect(self.contribute)
        self.report_button.clicked.connect(self.cohort_report)
        self.roster.currentRowChanged.connect(lambda _r: self._update_buttons())
        self.refresh()

    # ------------------------------------------------------------ showing

    def _said(self, text: str) -> None:
        show_error(self.error, "")
        self.outcome.setText(text)
        self.outcome.setVisible(bool(text))

    def _failed(self, text: str) -> None:
        self.outcome.hide()
        show_error(self.error, text)

    def refresh(self) -> None:
        """Show the programme joined and the one led as they are stored now."""
        member = self._read(programme.member_overview)
        led = self._read(programme.lead)
        pending = self.pending
        # Only an enrolled student contributes to the cohort report (issue 25).
        self._student = member is not None and member.role == "student"
        self.intro.setVisible(member is None and pending is None)
        self.summary.setVisible(member is not None or pending is not None)
        self.fingerprint_box.setVisible(member is not None or pending is not None)
        self.details.setVisible(member is not None and pending is None)
        self.question.setVisible(pending is not None)
        if pending is not None:
            made = pending.file
            verb = "Join" if pending.before is None else "Update to"
            self.summary.setText(f"{verb} <b>{escape(made.name)}</b>, version {made.version}:"
                                 f" {len(made.mentors)} mentor(s) on its roster.")
            set_fingerprint(self.fingerprint, pending.fingerprint)
            lines = [ORIENTATION] if pending.before is None else []
            if pending.handed_over:
                lines.append("This version hands the programme over to a new lead, signed by"
                             " the programme's key: the fingerprint above is its new one.")
            if pending.changes:
                lines.append("The new roster changes the card of a mentor you know:")
                lines += [f"• {c.sentence()}" for c in pending.changes]
                lines.append("Take it only once they confirmed the new fingerprint to you.")
            self.question.setText("\n".join(lines))
        elif member is not None:
            self.summary.setText(f"<b>{escape(member.name)}</b> · version {member.version} ·"
                                 f" you: {escape(member.role)}")
            set_fingerprint(self.fingerprint, member.fingerprint)
            self.details.setText(self._details(member))
        self.match_button.setText("They match: join" if pending is None or pending.before is None
                                  else "They confirmed: take it")
        # Leading
        leading = led is not None
        # While the fingerprint is being compared, nothing else asks for attention.
        starting = not leading and pending is None
        self.lead_heading.setVisible(leading or starting)
        self.name.setVisible(starting)
        self.create_button.setVisible(starting)
        self.lead_intro.setVisible(starting)
        for widget in (self.lead_summary, self.lead_fingerprint_box, self.roster,
                       self.lead_details):
            widget.setVisible(leading)
        self.roster.clear()
        if led is not None:
            view = self._read(programme.overview)
            handed = led.handed_over_to
            self.lead_summary.setText(
                f"You lead <b>{escape(led.name)}</b> · last published: "
                + (f"version {led.version}" if led.version else "not yet")
                + (" · <b>handed over</b>: its new lead changes and publishes it now"
                   if handed else ""))
            set_fingerprint(self.lead_fingerprint,
                            handed or self._read(lambda _j: programme.lead_fingerprint(led))
                            or "")
            if view is not None:
                for card in view.mentors:
                    item = QListWidgetItem(f"{card.name}  ·  {card.fingerprint}")
                    item.setData(Qt.ItemDataRole.UserRole, card.fingerprint)
                    self.roster.addItem(item)
                pack = view.pack
                self.lead_details.setText(
                    f"Mentors on the roster: {len(view.mentors)}. Students enrolled:"
                    f" {len(view.students)}. Content pack: {len(pack.prompts)} prompt(s),"
                    f" {len(pack.templates)} template(s), {len(pack.support)} support line(s),"
                    f" {len(view.rotations)} rotation(s)"
                    + ("." if pack.rotations else " (4 weeks each from the start)."))
        self._update_buttons()

    def _details(self, view: programme.Overview) -> str:
        mentors = ", ".join(escape(c.name) for c in view.mentors) or "none yet"
        pack = view.pack
        lines = [f"Mentors (confirmed by {escape(view.name)}): {mentors}",
                 f"Students enrolled: {len(view.students)}",
                 f"Its content: {len(pack.prompts)} prompt(s) and {len(pack.templates)}"
                 f" template(s) beside the built-in ones, {len(pack.support)} support line(s)"]
        now = view.current_rotation(date.today())
        if now is not None:
            asked = ""
            if now.reflection:
                library = self._library_title(now.reflection)
                asked = f"; the reflection asked for it: {escape(library)}" if library else ""
            lines.append(f"This rotation: {escape(now.id)}, {now.start:%d %b} to"
                         f" {now.end:%d %b %Y}{asked}")
        else:
            later = [r for r in view.rotations if r.start > date.today()]
            if later:
                lines.append(f"Next rotation: {escape(later[0].id)}, from"
                             f" {later[0].start:%d %b %Y}")
        if pack.drop_folder:
            lines.append(f"Its drop folder for cohort contributions: {escape(pack.drop_folder)}")
        if view.role == "student":
            lines.append(self._budget_line())
        return "<br>".join(line for line in lines if line)

    def _budget_line(self) -> str:
        """The student's lifetime privacy budget with the programme (issue 25)."""
        from journal_app.core import cohort

        spent = self._read(cohort.budget)
        if spent is None:
            return ""
        done = len(spent.rotations)
        return (f"Cohort contributions: {done} sent; privacy budget epsilon {spent.spent:g} of"
                f" your lifetime {spent.lifetime:g} spent ({spent.lifetime - spent.spent:g}"
                " left)")

    def _library_title(self, template_id: str) -> str:
        from journal_app.core.practice import library_with_custom, load_library

        def title(journal: Journal) -> str:
            template = library_with_custom(load_library(), journal).templates.get(template_id)
            return template.title if template else ""

        return self._read(title) or ""

    def _update_buttons(self) -> None:
        member = self._read(programme.joined)
        led = self._read(programme.lead)
        asking = self.pending is not None
        busy = self._busy
        self.join_button.setVisible(member is None and not asking)
        self.update_button.setVisible(member is not None and not asking)
        self.leave_button.setVisible(member is not None and not asking)
        self.contribute_button.setVisible(member is not None and not asking and self._student)
        self.report_button.setVisible(led is not None and not led.handed_over_to)
        self.differ_button.setVisible(asking)
        self.match_button.setVisible(asking)
        leading = led is not None and not led.handed_over_to
        for button in (self.add_mentor_button, self.enrol_button, self.pack_button,
                       self.publish_button, self.hand_over_button):
            button.setVisible(leading)
            button.setEnabled(not busy)
        self.remove_mentor_button.setVisible(leading)
        self.remove_mentor_button.setEnabled(not busy and self.roster.currentRow() >= 0)
        for button in (self.join_button, self.update_button, self.leave_button,
                       self.match_button, self.create_button, self.contribute_button):
            button.setEnabled(not busy)

    def _read(self, fn: Callable[[Journal], T]) -> T | None:
        try:
            return self.session.read_or(fn, None)
        except JournalError as exc:
            self._failed(exc.message)
            return None

    def _write(self, fn: Callable[[Journal], T], said: Callable[[T], str]) -> None:
        """Change the journal in the worker, then say what was done (or why nothing was)."""
        if self._busy or not self.session.is_unlocked:
            return
        self._busy = True
        self._update_buttons()

        def done(result: T) -> None:
            self._busy = False
            self.refresh()
            self._said(said(result))

        def failed(message: str) -> None:
            self._busy = False
            self.refresh()
            self._failed(message)

        self.session.write(fn, done, failed, changes=Change.RECORDS)

    # ------------------------------------------------------------ member

    def choose_file(self, joining: bool) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "Join a programme" if joining else "Update the programme",
            str(default_folder()), PROGRAMME_FILTER)
        if path:
            self.check_file(Path(path))

    def check_file(self, path: Path) -> None:
        """Read and check a programme file in the worker (a programme of thousands of cards
        takes a moment; nothing is stored), then ask."""
        try:
            data = programme.read_programme_file(path)
        except JournalError as exc:
            self._failed(exc.message)
            return
        if self._busy or not self.session.is_unlocked:
            return
        self._busy = True
        self._update_buttons()

        def failed(message: str) -> None:
            self._busy = False
            self._update_buttons()
            self._failed(message)

        self.session.write(lambda journal: programme.check_programme(journal, data),
                           self._checked, failed, changes=Change.NOTHING)

    def _checked(self, check: programme.ProgrammeCheck) -> None:
        self._busy = False
        if check.before is None or check.changes:
            self.pending = check  # ask: the fingerprint at joining, a changed mentor key
            self._said("")
            self.refresh()
            self.differ_button.setFocus()
            return
        self.pending = check
        self.take()

    def differ(self) -> None:
        self.pending = None
        self.refresh()
        self._said("Nothing was changed.")

    def take(self) -> None:
        check = self.pending
        if check is None:
            return
        self.pending = None

        def said(record: object) -> str:
            made = check.file
            if check.takes_over:
                return f"The programme {made.name} was handed over to you: you lead it now."
            if check.before is None:
                return f"Joined {made.name}: its mentors are confirmed by it."
            return f"Updated {made.name} to version {made.version}."

        self._write(lambda journal: programme.take(journal, check, confirm_changes=True), said)

    def leave(self) -> None:
        answer = QMessageBox.question(
            self, "Leave the programme",
            "Leave the programme? Its mentors will no longer be confirmed by it, and its "
            "prompts and support lines will no longer be offered. Contacts of your own stay.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._write(programme.leave, lambda left: f"Left {left.name}.")

    # ------------------------------------------------------------ lead

    def start(self) -> None:
        name = self.name.text().strip()
        if not name:
            self._failed("Give the programme a name first.")
            return
        self._write(lambda journal: programme.create(journal, name),
                    lambda made: f"Started {made.name}. Read its fingerprint out at"
                                 " orientation.")

    def _card_file(self, title: str) -> bytes | None:
        path, _filter = QFileDialog.getOpenFileName(self, title, str(default_folder()),
                                                    CARD_FILTER)
        if not path:
            return None
        try:
            return read_package_file(Path(path))
        except JournalError as exc:
            self._failed(exc.message)
            return None

    def add_mentor(self) -> None:
        data = self._card_file("Add a mentor's card to the roster")
        if data is not None:
            self._write(lambda journal: programme.roster_add(journal, data),
                        lambda card: f"Put {card.name} on the roster. Publish for members"
                                     " to see it.")

    def remove_mentor(self) -> None:
        item = current_item(self.roster)
        if item is None:
            return
        fingerprint = str(item.data(Qt.ItemDataRole.UserRole))
        self._write(lambda journal: programme.roster_remove(journal, fingerprint),
                    lambda card: f"Took {card.name} off the roster.")

    def enrol(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(self, "Enrol students' cards",
                                                      str(default_folder()), CARD_FILTER)
        if not paths:
            return
        try:
            files = [read_package_file(Path(p)) for p in paths]
        except JournalError as exc:
            self._failed(exc.message)
            return
        self._write(lambda journal: programme.enrol(journal, files),
                    lambda added: f"Enrolled {len(added)} student(s).")

    def set_pack(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "The content pack's folder",
                                                  str(default_folder()))
        if folder:
            self._write(lambda journal: programme.pack_set(journal, Path(folder)),
                        lambda pack: f"Took the content pack: {len(pack.prompts)} prompt(s),"
                                     f" {len(pack.templates)} template(s),"
                                     f" {len(pack.support)} support line(s).")

    def _save_as(self, title: str, name: str) -> Path | None:
        path, _filter = QFileDialog.getSaveFileName(self, title, str(default_folder() / name),
                                                    PROGRAMME_FILTER)
        return with_suffix(path, PROGRAMME_SUFFIX) if path else None

    def publish(self) -> None:
        out = self._save_as("Publish the programme",
                            f"programme-{date.today().isoformat()}{PROGRAMME_SUFFIX}")
        if out is not None:
            self._write(lambda journal: programme.publish(journal, out),
                        lambda made: f"Wrote version {made.version} to {out.name}: give it to"
                                     " students and mentors.")

    def contribute(self) -> None:
        """This rotation's contribution to the cohort report: what would leave, then Send or
        Don't send (ui/sharing/cohort_view.py)."""
        from journal_app.ui.sharing.cohort_view import offer_contribution

        offer_contribution(self.session, self, self._failed)

    def cohort_report(self) -> None:
        from journal_app.ui.sharing.cohort_view import CohortReportDialog

        dialog = CohortReportDialog(self.session, None, self)
        dialog.choose_folder()
        dialog.exec()

    def hand_over(self) -> None:
        data = self._card_file("The next lead's card")
        if data is None:
            return
        answer = QMessageBox.question(
            self, "Hand over the programme",
            "Sign the programme over to this card? Its holder becomes the lead and reads the "
            "cohort contributions (the keys go to them, sealed to their card); this journal "
            "can no longer change or publish the programme, nor read contributions.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        out = self._save_as("Save the hand-over",
                            f"programme-hand-over-{date.today().isoformat()}{PROGRAMME_SUFFIX}")
        if out is not None:
            self._write(lambda journal: programme.hand_over(journal, data, out),
                        lambda made: f"Wrote the hand-over to {out.name}: give it to the new"
                                     " lead and to the members.")
