"""Journal ▸ Export…: choose a format, the entries, a name for the portfolio, a destination.

Four formats (the same as ``journal-app export``): the portfolio PDF of chosen reflections and
entries, one HTML page, a folder of Markdown files, and journal-app's own JSON. The entries are
all of them, or the ones ticked in a checklist with a search box (the portfolio starts with the
checklist: a portfolio is chosen, not dumped). The export runs in the session's worker thread;
the dialog shows a busy bar, then one plain result line.

Clear-text exports are not encrypted: the first export ever asks the user to confirm that, and
only the fact that they confirmed is remembered (a boolean in QSettings, nothing else). The
destination's default name holds a date and the format, never journal text. The name on the
title page is kept in the journal's encrypted app state, not in QSettings.
"""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...core.custom import library_with_custom
from ...core.errors import JournalError
from ...core.interchange import EXPORTERS, Exporter
from ...core.interchange.selection import Selection, records_for_export, short_date
from ...core.model import Reflection
from ...core.prompts import load_library
from ...core.sharing import portfolio_feedback
from ..portfolio import PortfolioPdfExporter
from ..session import JournalSession, user_message
from ..theme import colors
from ..uisettings import UiSettings
from ..widgets import busy_bar, error_label, heading, muted, primary_button, show_error

#: (format, label, explanation), in the order shown.
FORMATS = (
    ("pdf", "Portfolio PDF", "Chosen reflections and entries with a title page, to hand in."),
    ("html", "HTML page", "One file to read in a browser or print."),
    ("markdown", "Markdown folder", "One file per entry, for other notes apps."),
    ("json", "journal-app JSON", "Everything, to move your journal or keep a full copy."),
)
CLEAR_TEXT_WARNING = (
    "Exported files are not encrypted. Anyone who can open them can read what you wrote. "
    "Keep them somewhere private (not a shared or synced folder you do not trust), and "
    "delete them when you no longer need them."
)
ROLE_ID = Qt.ItemDataRole.UserRole + 1
ROLE_REFLECTION = Qt.ItemDataRole.UserRole + 2


def default_destination(format_name: str, today: date | None = None) -> Path:
    """A name from the format and today's date only (never from journal text)."""
    day = (today or date.today()).isoformat()
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    base = Path(folder) if folder else Path.home()
    names = {"pdf": f"portfolio-{day}.pdf", "html": f"journal-{day}.html",
             "markdown": f"journal-markdown-{day}", "json": f"journal-{day}.json"}
    return base / names[format_name]


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
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading("Export"))

        # ---- format
        self.format_group = QButtonGroup(self)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        self.format_buttons: dict[str, QRadioButton] = {}
        for row, (key, label, explanation) in enumerate(FORMATS):
            button = QRadioButton(label)
            button.setAccessibleName(label)
            self.format_group.addButton(button)
            self.format_buttons[key] = button
            grid.addWidget(button, row, 0)
            grid.addWidget(muted(explanation), row, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)

        # ---- which entries
        layout.addWidget(QLabel("<b>Which entries</b>"))
        row = QHBoxLayout()
        self.all_button = QRadioButton("All entries")
        self.chosen_button = QRadioButton("Only the ones I tick")
        self.scope_group = QButtonGroup(self)
        for button in (self.all_button, self.chosen_button):
            self.scope_group.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.chooser = QWidget()
        cl = QVBoxLayout(self.chooser)
        cl.setContentsMargins(0, 0, 0, 0)
        tools = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search titles and text")
        self.search.setAccessibleName("Search entries to export")
        self.search.setClearButtonEnabled(True)
        self.reflections_only = QCheckBox("Reflections only")
        tools.addWidget(self.search, 1)
        tools.addWidget(self.reflections_only)
        cl.addLayout(tools)
        self.checklist = QListWidget()
        self.checklist.setAccessibleName("Entries to export")
        self.checklist.setUniformItemSizes(True)
        c = colors()
        # Item views ignore the theme's QCheckBox rules: the same look here, readable in both
        # themes (Qt's default box is nearly invisible on the dark palette).
        self.checklist.setStyleSheet(
            f"QListWidget::indicator {{ width: 13px; height: 13px; border-radius: 3px; "
            f"border: 1px solid {c.muted}; background: {c.base}; }}"
            f"QListWidget::indicator:checked {{ background: {c.accent}; "
            f"border: 1px solid {c.accent}; }}")
        cl.addWidget(self.checklist, 1)
        under = QHBoxLayout()
        self.tick_shown = QPushButton("Tick all shown")
        self.untick_all = QPushButton("Untick all")
        self.count_label = muted("")
        self.count_label.setAccessibleName("Entries chosen")
        under.addWidget(self.tick_shown)
        under.addWidget(self.untick_all)
        under.addStretch(1)
        under.addWidget(self.count_label)
        cl.addLayout(under)
        layout.addWidget(self.chooser, 1)
        self.all_note = muted("")
        layout.addWidget(self.all_note)
        # Takes the chooser's room while it is hidden, so the rest stays together.
        layout.addStretch(0)
        self._spacer_index = layout.count() - 1
        self._layout = layout

        # ---- name and destination
        form = QGridLayout()
        form.setHorizontalSpacing(10)
        self.name_label = QLabel("Name on the title page")
        self.name = QLineEdit()
        self.name.setAccessibleName("Name on the title page")
        self.name.setPlaceholderText("Your name (optional)")
        self.name.setMaxLength(200)
        form.addWidget(self.name_label, 0, 0)
        form.addWidget(self.name, 0, 1, 1, 2)
        self.with_feedback = QCheckBox("Add a short excerpt of my mentor's feedback")
        self.with_feedback.setChecked(True)
        self.with_feedback.setToolTip("Under each reflection a mentor commented on, the first "
                                      "lines of their feedback.")
        form.addWidget(self.with_feedback, 2, 1, 1, 2)
        form.addWidget(QLabel("Save to"), 1, 0)
        self.destination = QLineEdit()
        self.destination.setAccessibleName("Save to")
        self.browse = QPushButton("Choose…")
        form.addWidget(self.destination, 1, 1)
        form.addWidget(self.browse, 1, 2)
        form.setColumnStretch(1, 1)
        layout.addLayout(form)

        self.warning = muted("These files are not encrypted: anyone who can open them can "
                             "read them.")
        self.warning.setAccessibleName("Not encrypted")
        layout.addWidget(self.warning)
        self.busy = busy_bar()
        layout.addWidget(self.busy)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setAccessibleName("Result")
        self.result_label.hide()
        layout.addWidget(self.result_label)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.close_button = QPushButton("Close")
        self.export_button = primary_button("Export")
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.export_button)
        layout.addLayout(buttons)

        self._fill(set(preselect or ()))
        self.format_group.buttonToggled.connect(self._format_changed)
        self.scope_group.buttonToggled.connect(lambda *_a: self._update())
        self.search.textChanged.connect(self._filter)
        self.reflections_only.toggled.connect(self._filter)
        self.checklist.itemChanged.connect(lambda _i: self._update())
        self.tick_shown.clicked.connect(lambda: self._tick(True))
        self.untick_all.clicked.connect(lambda: self._tick(False, shown_only=False))
        self.browse.clicked.connect(self.choose_destination)
        self.destination.textEdited.connect(lambda _t: setattr(self, "_dest_edited", True))
        self.close_button.clicked.connect(self.reject)
        self.export_button.clicked.connect(self.start_export)
        journal = session.journal
        if journal is not None and session.is_unlocked:
            self.name.setText(journal.app_state().portfolio_name)
        self.format_buttons["pdf"].setChecked(True)

    # ------------------------------------------------------------ state

    def _fill(self, preselect: set[str]) -> None:
        self.checklist.clear()
        for entry in self.session.entries():
            kind = "Reflection" if isinstance(entry, Reflection) else "Entry"
            item = QListWidgetItem(
                f"{entry.display_title()}  ·  {short_date(entry.created)}  ·  {kind}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if entry.id in preselect
                               else Qt.CheckState.Unchecked)
            item.setData(ROLE_ID, entry.id)
            item.setData(ROLE_REFLECTION, isinstance(entry, Reflection))
            self.checklist.addItem(item)

    def format_name(self) -> str:
        for key, button in self.format_buttons.items():
            if button.isChecked():
                return key
        return "pdf"

    def chosen_ids(self) -> list[str]:
        out = []
        for row in range(self.checklist.count()):
            item = self.checklist.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(ROLE_ID)))
        return out

    def _format_changed(self, _button: object = None, checked: bool = True) -> None:
        if not checked:
            return
        fmt = self.format_name()
        # A portfolio is chosen, not dumped; the other formats start from everything (the
        # ticks stay, for "Only the ones I tick").
        (self.chosen_button if fmt == "pdf" else self.all_button).setChecked(True)
        is_pdf = fmt == "pdf"
        self.name_label.setVisible(is_pdf)
        self.name.setVisible(is_pdf)
        self.with_feedback.setVisible(is_pdf)
        if not self._dest_edited or not self.destination.text().strip():
            self.destination.setText(str(default_destination(fmt)))
        self._update()

    def _update(self) -> None:
        choosing = self.chosen_button.isChecked()
        self.chooser.setVisible(choosing)
        fmt = self.format_name()
        count = len(self.session.entries())
        if fmt == "json":
            self.all_note.setText("All: every entry, check-in and earlier version, and the "
                                  "trash, so the journal can be rebuilt from this file.")
        else:
            self.all_note.setText(f"All: the {count} entr{'y' if count == 1 else 'ies'} in "
                                  "your journal (not the trash), oldest first.")
        self.all_note.setVisible(not choosing)
        self._layout.setStretch(self._spacer_index, 0 if choosing else 1)
        chosen = len(self.chosen_ids())
        self.count_label.setText(f"{chosen} chosen")
        self.export_button.setEnabled(not self._running and (not choosing or chosen > 0))

    def _filter(self, *_args: object) -> None:
        text = self.search.text().strip()
        matches: set[str] | None = None
        journal = self.session.journal
        if text and journal is not None and self.session.is_unlocked:
            try:
                matches = {e.id for _h, e in journal.search(text, limit=None, snippets=False)}
            except JournalError:
                matches = set()
        only_reflections = self.reflections_only.isChecked()
        for row in range(self.checklist.count()):
            item = self.checklist.item(row)
            hidden = (matches is not None and item.data(ROLE_ID) not in matches) or (
                only_reflections and not item.data(ROLE_REFLECTION))
            item.setHidden(hidden)

    def _tick(self, on: bool, shown_only: bool = True) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        self.checklist.blockSignals(True)
        try:
            for row in range(self.checklist.count()):
                item = self.checklist.item(row)
                if not shown_only or not item.isHidden():
                    item.setCheckState(state)
        finally:
            self.checklist.blockSignals(False)
        self._update()

    def choose_destination(self) -> None:
        fmt = self.format_name()
        current = self.destination.text().strip() or str(default_destination(fmt))
        if fmt == "markdown":
            path = QFileDialog.getExistingDirectory(self, "Choose an empty folder", current)
        else:
            filters = {"pdf": "PDF (*.pdf)", "html": "HTML (*.html)", "json": "JSON (*.json)"}
            path, _filter = QFileDialog.getSaveFileName(self, "Export to", current, filters[fmt])
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

    def _exporter(self, fmt: str) -> Exporter:
        journal = self.session.journal
        if fmt == "pdf":
            library = load_library()
            if journal is not None:
                library = library_with_custom(library, journal)
            feedback = (portfolio_feedback(journal) if journal is not None
                        and self.with_feedback.isChecked() else {})
            return PortfolioPdfExporter(name=self.name.text(), feedback=feedback,
                                        library=library)
        return EXPORTERS[fmt]()

    def start_export(self) -> None:
        if self._running or not self.session.is_unlocked or self.session.journal is None:
            return
        journal = self.session.journal
        fmt = self.format_name()
        text = self.destination.text().strip()
        show_error(self.error, "")
        self.result_label.hide()
        if not text:
            show_error(self.error, "Choose where to save the export.")
            return
        out = Path(text).expanduser()
        selection = Selection(tuple(self.chosen_ids())) if self.chosen_button.isChecked() \
            else Selection()
        records = records_for_export(journal, fmt, selection)
        if not records and not (fmt == "json" and selection.everything):
            show_error(self.error, "There is nothing to export yet: tick at least one entry.")
            return
        if (fmt != "markdown" and out.exists() and QMessageBox.question(
                self, "Replace the file?", f"{out.name} already exists. Replace it?")
                != QMessageBox.StandardButton.Yes):
            return
        if not self.confirm_clear_text():
            return
        if fmt == "pdf":
            self._remember_name(self.name.text())
        exporter = self._exporter(fmt)
        self._running = True
        self.busy.show()
        self._update()
        self.session.worker.submit(lambda: exporter.write(records, out),
                                   lambda count: self._done(fmt, out, count, exporter),
                                   self._failed)

    def _remember_name(self, name: str) -> None:
        journal = self.session.journal
        if journal is None:
            return
        state = journal.app_state()
        clean = " ".join(name.split())
        if state.portfolio_name != clean:
            state.portfolio_name = clean
            # Only a convenience: if it cannot be saved, the export itself goes on.
            with contextlib.suppress(JournalError, ValueError):
                journal.save_app_state(state)

    def _finish(self) -> None:
        self._running = False
        self.busy.hide()
        self._update()

    def _done(self, fmt: str, out: Path, count: Any, exporter: Exporter) -> None:
        self._finish()
        what = "record" if fmt == "json" and not self.chosen_button.isChecked() else "entr"
        noun = (f"{count} record{'s' if count != 1 else ''}" if what == "record"
                else f"{count} entr{'y' if count == 1 else 'ies'}")
        if fmt == "markdown":
            skipped = getattr(exporter, "skipped", 0)
            kept = f" {skipped} already there were left as they were." if skipped else ""
            message = f"Wrote {noun} to the folder {out.name}.{kept}"
        else:
            message = f"Wrote {noun} to {out.name}."
        self.result_label.setText(message + " Not encrypted: keep it private.")
        self.result_label.show()
        self.exported.emit(message)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        show_error(self.error, f"Nothing was exported: {user_message(exc)}")
