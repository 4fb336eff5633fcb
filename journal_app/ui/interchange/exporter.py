"""Journal ▸ Export…: choose a format, the entries, a name for the portfolio, a destination.

The formats are those described in :data:`journal_app.core.interchange.FORMATS` (the same as
``journal-app export``): the portfolio PDF of chosen reflections and entries, one HTML page, a
folder of Markdown files, and journal-app's own JSON; their names, default file names, file
filters and options shown (a title page, mentor feedback) come from there. The entries are
all of them, or the ones ticked in a checklist with a search box (the portfolio starts with the
checklist: a portfolio is chosen, not dumped). The export runs in the session's worker thread;
the dialog shows a busy bar, then one plain result line.

Clear-text exports are not encrypted: the first export ever asks the user to confirm that, and
only the fact that they confirmed is remembered (a boolean in QSettings, nothing else). The
destination's default name holds a date and the format, never journal text. The name on the
title page is kept in the journal's encrypted app state, not in QSettings.

Nothing identifying leaves unreviewed: before a PDF, HTML page or Markdown folder is written,
the texts it prints are scanned (in the worker) and every entry with a possible identifier is
shown on a second page, in the review screen sharing uses
(:class:`~journal_app.ui.interchange.deid_review.ReviewPane`), one entry after another. "Export"
stays
disabled until every finding is decided; the decisions are applied to copies of the entries
(:mod:`journal_app.core.interchange.review`), never to the journal. A JSON export (a copy of one's
own journal) is not reviewed, and the dialog says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from journal_app.core import programme
from journal_app.core.deid import find_identifiers
from journal_app.core.errors import JournalError
from journal_app.core.interchange import (
    FORMATS,
    Exporter,
    ExportOptions,
    Exports,
    export_format,
    export_formats,
)
from journal_app.core.interchange.review import (
    JSON_NOT_REVIEWED,
    TextRef,
    apply_texts,
    export_texts,
)
from journal_app.core.interchange.selection import Selection, records_for_export, short_date
from journal_app.core.practice import library_with_custom, load_library
from journal_app.core.records import Entry, Record
from journal_app.core.sharing import portfolio_feedback
from journal_app.core.vault import Journal
from journal_app.ui.interchange.deid_review import ReviewPane, ReviewSteps, ReviewUnit
from journal_app.ui.session import Change, JournalSession
from journal_app.ui.uisettings import UiSettings
from journal_app.ui.widgets import (
    FitForm,
    FlowLayout,
    WrapCheckBox,
    busy_bar,
    error_label,
    heading,
    muted,
    primary_button,
    result_label,
    show_error,
)
from journal_app.ui.writing.entry_checklist import EntryChecklist, journal_searcher

CLEAR_TEXT_WARNING = (
    "Exported files are not encrypted. Anyone who can open them can read what you wrote. "
    "Keep them somewhere private (not a shared or synced folder you do not trust), and "
    "delete them when you no longer need them."
)
REVIEW_NOTE = ("Before anything is written, you review the names, dates, numbers and places "
               "found in what you export, as when sharing.")
REVIEW_INTRO = ("These entries hold what could identify a patient, a family or a colleague. "
                "Decide each finding: redact it, change it to your own words, or keep it. "
                "Nothing is written until every one is decided.")


@dataclass
class ExportPlan:
    """An export waiting for its review: what, where, and the entries to decide."""

    key: tuple[object, ...]
    fmt: str
    out: Path
    records: list[Record]
    feedback: dict[str, str]
    texts: list[tuple[TextRef, str]]
    units: list[ReviewUnit[TextRef]] = field(default_factory=list)


def review_units(records: list[Record], fmt: str, feedback: dict[str, str],
                 names: list[str]) -> tuple[list[tuple[TextRef, str]], list[ReviewUnit[TextRef]]]:
    """Every text the export prints, and one review unit for each entry with a finding (runs
    in the worker: no widget is made here)."""
    texts = export_texts(records, fmt, feedback)
    titles = {r.id: f"“{r.display_title()}” · {short_date(r.created)}"
              for r in records if isinstance(r, Entry)}
    by_entry: dict[str, list[tuple[TextRef, str]]] = {}
    for ref, text in texts:
        by_entry.setdefault(ref.entry_id, []).append((ref, text))
    units = []
    for entry_id, parts in by_entry.items():
        unit = ReviewUnit.of(titles.get(entry_id, "An entry"), parts)
        if find_identifiers(unit.text, names):
            units.append(unit)
    return texts, units


def default_destination(format_name: str, today: date | None = None) -> Path:
    """A name from the format and today's date only (never from journal text), in Documents."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    base = Path(folder) if folder else Path.home()
    return base / FORMATS[format_name].default_name(today)


class ExportDialog(QDialog):
    """Signals:
        exported(str): a plain result sentence after an export was written.
    """

    exported = Signal(str)

    def __init__(self, session: JournalSession, settings: UiSettings,
                 parent: QWidget | None = None, preselect: list[str] | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.setWindowTitle("Export")
        self.resize(700, 720)
        self._running = False
        self._dest_edited = False
        self._plan: ExportPlan | None = None
        self._unit = 0
        outer = QVBoxLayout(self)
        outer.setSpacing(10)
        self.pages = QStackedWidget()
        self.options_page = QWidget()
        layout = QVBoxLayout(self.options_page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(heading("Export"))

        # ---- format
        self.format_group = QButtonGroup(self)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        self.format_buttons: dict[str, QRadioButton] = {}
        for row, fmt in enumerate(export_formats()):
            assert fmt.exports is not None
            button = QRadioButton(fmt.name)
            button.setAccessibleName(fmt.name)
            self.format_group.addButton(button)
            self.format_buttons[fmt.id] = button
            grid.addWidget(button, row, 0)
            grid.addWidget(muted(fmt.exports.hint), row, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)

        # ---- which entries
        layout.addWidget(QLabel("<b>Which entries</b>"))
        scope_row = FlowLayout(spacing=12)  # one above the other where narrow
        self.all_button = QRadioButton("All entries")
        self.chosen_button = QRadioButton("Only the ones I tick")
        self.scope_group = QButtonGroup(self)
        for button in (self.all_button, self.chosen_button):
            self.scope_group.addButton(button)
            scope_row.addWidget(button)
        layout.addLayout(scope_row)
        self.chooser = EntryChecklist("export", journal_searcher(session),
                                      reflections_filter=True)
        layout.addWidget(self.chooser, 1)
        self.all_note = muted("")
        layout.addWidget(self.all_note)
        # Takes the chooser's room while it is hidden, so the rest stays together.
        layout.addStretch(0)
        self._spacer_index = layout.count() - 1
        self._layout = layout

        # ---- name and destination
        form = FitForm()  # narrow: labels above their fields
        self.name_label = QLabel("Name on the title page")
        self.name = QLineEdit()
        self.name.setAccessibleName("Name on the title page")
        self.name.setPlaceholderText("Your name (optional)")
        self.name.setMaxLength(200)
        form.addRow(self.name_label, self.name)
        self.with_feedback = WrapCheckBox("Add a short excerpt of my mentor's feedback")
        self.with_feedback.setChecked(True)
        self.with_feedback.setToolTip("Under each reflection a mentor commented on, the first "
                                      "lines of their feedback.")
        self.destination = QLineEdit()
        self.destination.setAccessibleName("Save to")
        self.browse = QPushButton("Choose…")
        where = QHBoxLayout()
        where.addWidget(self.destination, 1)
        where.addWidget(self.browse)
        form.addRow("Save to", where)
        form.addRow(self.with_feedback)
        layout.addLayout(form)

        self.warning = muted("These files are not encrypted: anyone who can open them can "
                             "read them.")
        self.warning.setAccessibleName("Not encrypted")
        layout.addWidget(self.warning)
        self.review_note = muted(REVIEW_NOTE)
        self.review_note.setAccessibleName("Identifiers")
        layout.addWidget(self.review_note)
        self.pages.addWidget(self.options_page)
        self.review_page = self._review_page()
        self.pages.addWidget(self.review_page)
        outer.addWidget(self.pages, 1)
        self.busy = busy_bar()
        outer.addWidget(self.busy)
        self.result_label = result_label()
        outer.addWidget(self.result_label)
        self.error = error_label()
        outer.addWidget(self.error)
        buttons = QHBoxLayout()
        self.back_button = QPushButton("‹ Back")
        self.back_button.setToolTip("Back to the choice of entries (your decisions are kept)")
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        self.close_button = QPushButton("Close")
        self.export_button = primary_button("Export")
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.export_button)
        outer.addLayout(buttons)
        # Enter in the review's replacement field must never press Export.
        for push_button in (self.back_button, self.close_button, self.export_button):
            push_button.setAutoDefault(False)

        self.chooser.set_entries(session.entries(), preselect or ())
        self.format_group.buttonToggled.connect(self._format_changed)
        self.scope_group.buttonToggled.connect(lambda *_a: self._update())
        self.chooser.changed.connect(self._update)
        self.browse.clicked.connect(self.choose_destination)
        self.destination.textEdited.connect(lambda _t: setattr(self, "_dest_edited", True))
        self.close_button.clicked.connect(self.reject)
        self.export_button.clicked.connect(self.start_export)
        self.back_button.clicked.connect(self.go_back)
        self.name.setText(session.read_or(lambda journal: journal.app_state().portfolio_name,
                                          ""))
        next(iter(self.format_buttons.values())).setChecked(True)  # the first in the list

    # ------------------------------------------------------------ state

    def format_name(self) -> str:
        for key, button in self.format_buttons.items():
            if button.isChecked():
                return key
        return next(iter(self.format_buttons))

    def format_spec(self) -> Exports:
        """The chosen format's description (:mod:`journal_app.core.interchange.formats`)."""
        return export_format(self.format_name())

    def chosen_ids(self) -> list[str]:
        return self.chooser.chosen_ids()

    def _format_changed(self, _button: object = None, checked: bool = True) -> None:
        if not checked:
            return
        fmt = self.format_name()
        spec = self.format_spec()
        # A portfolio is chosen, not dumped; the other formats start from everything (the
        # ticks stay, for "Only the ones I tick").
        (self.chosen_button if spec.starts_chosen else self.all_button).setChecked(True)
        self.review_note.setText(REVIEW_NOTE if spec.reviewed else JSON_NOT_REVIEWED)
        self.name_label.setVisible(spec.title_page)
        self.name.setVisible(spec.title_page)
        self.with_feedback.setVisible(spec.prints_feedback)
        if not self._dest_edited or not self.destination.text().strip():
            self.destination.setText(str(default_destination(fmt)))
        self._update()

    def _update(self) -> None:
        on_review = self.pages.currentWidget() is self.review_page
        self.back_button.setVisible(on_review)
        self.back_button.setEnabled(not self._running)
        if on_review:
            self._update_review()
            return
        self.export_button.setText("Export")
        choosing = self.chosen_button.isChecked()
        self.chooser.setVisible(choosing)
        count = len(self.session.entries())
        if self.format_spec().whole_journal:
            self.all_note.setText("All: every entry, check-in and earlier version, and the "
                                  "trash, so the journal can be rebuilt from this file.")
        else:
            self.all_note.setText(f"All: the {count} entr{'y' if count == 1 else 'ies'} in "
                                  "your journal (not the trash), oldest first.")
        self.all_note.setVisible(not choosing)
        self._layout.setStretch(self._spacer_index, 0 if choosing else 1)
        chosen = len(self.chosen_ids())
        self.export_button.setEnabled(not self._running and (not choosing or chosen > 0))

    def choose_destination(self) -> None:
        spec = self.format_spec()
        current = self.destination.text().strip() or str(default_destination(self.format_name()))
        if spec.folder:
            path = QFileDialog.getExistingDirectory(self, "Choose an empty folder", current)
        else:
            path, _filter = QFileDialog.getSaveFileName(self, "Export to", current,
                                                        spec.file_filter)
        if path:
            self.destination.setText(path)
            self._dest_edited = True

    # ------------------------------------------------------------ exporting

    def confirm_clear_text(self) -> bool:
        """The first clear-text export ever asks; later ones do not (a remembered boolean)."""
        if self.settings.clear_text_export_confirmed:
            return True
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Not encrypted")
        box.setText("This export will not be encrypted.")
        box.setInformativeText(CLEAR_TEXT_WARNING)
        go = box.addButton("Export", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(go)
        box.exec()
        if box.clickedButton() is not go:
            return False
        self.settings.clear_text_export_confirmed = True
        return True

    def _feedback(self, fmt: str) -> dict[str, str]:
        """The mentor feedback a format prints an excerpt of (the portfolio; none for others)."""
        if (not export_format(fmt).prints_feedback or not self.session.is_unlocked
                or not self.with_feedback.isChecked()):
            return {}
        return self.session.read_or(portfolio_feedback, {})

    def _exporter(self, fmt: str, feedback: dict[str, str]) -> Exporter:
        """The format's exporter (the portfolio's class is imported now, on first use)."""
        library = load_library()
        library = self.session.read_or(lambda journal: library_with_custom(library, journal),
                                       library)
        attestations: tuple[str, ...] = ()
        files: tuple[str, ...] = ()
        if export_format(fmt).prints_feedback and self.with_feedback.isChecked():
            attestations = self.session.read_or(programme.portfolio_lines, ())
            files = self.session.read_or(programme.portfolio_files, ())
        return export_format(fmt).exporter(ExportOptions(
            name=self.name.text(), feedback=feedback, library=library,
            attestations=attestations, attestation_files=files))

    def start_export(self) -> None:
        """Export (on the first page), or go on with the review (on the second)."""
        if self._running or not self.session.is_unlocked:
            return
        if self.pages.currentWidget() is self.review_page:
            self._review_next()
            return
        fmt = self.format_name()
        spec = self.format_spec()
        text = self.destination.text().strip()
        show_error(self.error, "")
        self.result_label.hide()
        if not text:
            show_error(self.error, "Choose where to save the export.")
            return
        out = Path(text).expanduser()
        selection = Selection(tuple(self.chosen_ids())) if self.chosen_button.isChecked() \
            else Selection()
        records = self.session.read(lambda journal: records_for_export(journal, fmt, selection))
        if not records and not (spec.whole_journal and selection.everything):
            show_error(self.error, "There is nothing to export yet: tick at least one entry.")
            return
        if (not spec.folder and out.exists() and QMessageBox.question(
                self, "Replace the file?", f"{out.name} already exists. Replace it?")
                != QMessageBox.StandardButton.Yes):
            return
        if not self.confirm_clear_text():
            return
        if spec.title_page:
            self._remember_name(self.name.text())
        if not spec.reviewed:
            self._write(fmt, out, records, {}, None)
            return
        feedback = self._feedback(fmt)
        key: tuple[object, ...] = (fmt, tuple(export_texts(records, fmt, feedback)))
        plan = self._plan
        if plan is not None and plan.key == key:
            # The same texts as last time: the decisions made are kept.
            plan.out, plan.records, plan.feedback = out, records, feedback
            self._open_review()
            return
        names = self.session.read(lambda journal: journal.deid_names())
        self._running = True
        self.busy.show()
        self._update()
        self.session.background(
            lambda _journal: review_units(records, fmt, feedback, names),
            lambda result: self._scanned(key, fmt, out, records, feedback, result),
            self._failed)

    def _scanned(self, key: tuple[object, ...], fmt: str, out: Path, records: list[Record],
                 feedback: dict[str, str],
                 result: tuple[list[tuple[TextRef, str]], list[ReviewUnit[TextRef]]]) -> None:
        self._finish()
        texts, units = result
        self.review.clear()
        self._plan = ExportPlan(key, fmt, out, records, feedback, texts, units)
        self._open_review()

    def _open_review(self) -> None:
        plan = self._plan
        assert plan is not None
        if not plan.units:
            self._write(plan.fmt, plan.out, plan.records, plan.feedback, 0)
            return
        self.pages.setCurrentWidget(self.review_page)
        if self.width() < 1120:
            self.resize(1160, max(self.height(), 740))
        self._show_unit(0)

    # ------------------------------------------------------------ the review

    def _review_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading("Review before exporting"))
        layout.addWidget(muted(REVIEW_INTRO))
        self.review = ReviewSteps(layout, "Entry under review", "entry")
        self.unit_title, self.review_status = self.review.title, self.review.status
        self.review_stack = self.review.stack
        return page

    def current_pane(self) -> ReviewPane | None:
        plan = self._plan
        if plan is None or not plan.units or self.pages.currentWidget() is not self.review_page:
            return None
        return plan.units[self._unit].pane

    def _known_names(self) -> list[str]:
        names = self.session.read_or(lambda journal: journal.deid_names(), list[str]())
        return self.review.known_names(names, self._plan.units if self._plan is not None else [])

    def _save_names(self) -> None:
        """Names the user asked to always treat as names go into their encrypted list."""
        if not self.session.is_unlocked or self._plan is None:
            return
        self.review.save_names(self._plan.units, self.session,
                               lambda message: show_error(self.error, message))

    def _show_unit(self, index: int) -> None:
        plan = self._plan
        assert plan is not None
        self._unit = index
        unit = plan.units[index]
        if unit.pane is None:
            unit.pane = ReviewPane(unit.text, self._known_names(), verb="export")
            unit.pane.decisions_changed.connect(self._update)
            self.review_stack.addWidget(unit.pane)
        else:
            unit.pane.learn_names(self._known_names())
        self.review_stack.setCurrentWidget(unit.pane)
        count = len(plan.units)
        self.unit_title.setText(unit.label if count == 1 else
                                f"Entry {index + 1} of {count} · {unit.label}")
        self._update()

    def _update_review(self) -> None:
        plan = self._plan
        if plan is None or not plan.units:
            return
        unit = plan.units[self._unit]
        last = self._unit + 1 == len(plan.units)
        self.export_button.setText("Export" if last else "Next entry ›")
        ready = unit.decided() and (not last or all(u.decided() for u in plan.units))
        self.export_button.setEnabled(ready and not self._running)
        self.review.show_status(plan.units, self._unit)

    def _review_next(self) -> None:
        plan = self._plan
        if plan is None or not plan.units or not plan.units[self._unit].decided():
            return
        self._save_names()
        if self._unit + 1 < len(plan.units):
            self._show_unit(self._unit + 1)
            return
        if not all(u.decided() for u in plan.units):
            return
        texts = dict(plan.texts)
        redacted = 0
        for unit in plan.units:
            texts.update(unit.results())
            assert unit.pane is not None
            redacted += sum(1 for h in unit.pane.hits() if h.output() is not None)
        try:
            records, feedback = apply_texts(plan.records, texts, plan.feedback)
        except JournalError as exc:
            show_error(self.error, exc.message)
            return
        self._write(plan.fmt, plan.out, records, feedback, redacted)

    def go_back(self) -> None:
        """On the review page: the entry before, or the first page from the first entry."""
        if self._running:
            return
        show_error(self.error, "")
        self._save_names()
        if self.pages.currentWidget() is self.review_page and self._unit > 0:
            self._show_unit(self._unit - 1)
            return
        self.pages.setCurrentWidget(self.options_page)
        self._update()

    def _write(self, fmt: str, out: Path, records: list[Record], feedback: dict[str, str],
               redacted: int | None) -> None:
        """Write the export (the review, if any, is done): ``redacted`` is how many findings
        were replaced (None: not reviewed, a JSON export)."""
        exporter = self._exporter(fmt, feedback)
        self._running = True
        self.busy.show()
        self._update()
        self.session.background(lambda _journal: exporter.write(records, out),
                                lambda count: self._done(fmt, out, count, exporter, redacted),
                                self._failed)

    def _remember_name(self, name: str) -> None:
        clean = " ".join(name.split())

        def remember(journal: Journal) -> None:
            if journal.app_state().portfolio_name != clean:
                journal.update_app_state(lambda s: replace(s, portfolio_name=clean))

        # Only a convenience: if it cannot be saved, the export itself goes on.
        if self.session.is_unlocked:
            self.session.write(remember, on_error=lambda _message: None,
                               changes=Change.APP_STATE)

    def _finish(self) -> None:
        self._running = False
        self.busy.hide()
        self._update()

    def _done(self, fmt: str, out: Path, count: Any, exporter: Exporter,
              redacted: int | None = None) -> None:
        self._finish()
        plan = self._plan
        found = sum(len(u.pane.hits()) for u in plan.units if u.pane is not None) \
            if plan is not None and plan.fmt == fmt else 0
        spec = export_format(fmt)
        what = "record" if spec.whole_journal and not self.chosen_button.isChecked() else "entr"
        noun = (f"{count} record{'s' if count != 1 else ''}" if what == "record"
                else f"{count} entr{'y' if count == 1 else 'ies'}")
        if spec.folder:
            skipped = getattr(exporter, "skipped", 0)
            kept = f" {skipped} already there were left as they were." if skipped else ""
            message = f"Wrote {noun} to the folder {out.name}.{kept}"
        else:
            message = f"Wrote {noun} to {out.name}."
        if redacted is None:
            review = " Not checked for identifiers: it is a copy of your own journal."
        elif found:
            review = (f" {redacted} possible identifier{'' if redacted == 1 else 's'} replaced,"
                      f" {found - redacted} kept as written.")
        else:
            review = " No identifiers were found: read it yourself before you hand it in."
        self.pages.setCurrentWidget(self.options_page)
        self._update()
        self.result_label.setText(message + review + " Not encrypted: keep it private.")
        self.result_label.show()
        self.exported.emit(message)

    def _failed(self, message: str) -> None:
        self._finish()
        show_error(self.error, f"Nothing was exported: {message}")

    def reject(self) -> None:
        self._save_names()
        super().reject()
