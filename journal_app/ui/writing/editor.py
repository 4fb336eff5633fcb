"""The entry editor: title, date and time, Markdown body with preview, tags, emotions, ratings.

Autosave: every change restarts a short timer; when it fires, a copy of the entry is saved in the
worker thread, so typing never waits for the disk. The first save of an editing session keeps
the stored version as a revision (so every session's starting point can be restored), and so
does the first save after ten minutes of continuous editing; other autosaves update the working
copy. Leaving the entry, locking or quitting saves what is pending first.

Signals:
    saved(object): an Entry was written (the copy that was saved).
    status(str): a short status text ("Saved 14:02", "Saving…").
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import (
    QDate,
    QDateTime,
    QPoint,
    QStringListModel,
    Qt,
    QTime,
    QTimer,
    Signal,
)
from PySide6.QtGui import QStandardItemModel, QTextCursor
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.content import emotion_vocabulary
from journal_app.core.dates import EARLIEST_YEAR, LATEST_YEAR
from journal_app.core.records import (
    ENCOUNTER_TYPES,
    Attachment,
    Emotion,
    Entry,
    Reflection,
    normalise_label,
    now,
)
from journal_app.core.vocabulary import ENCOUNTER_LABELS, RATING_NAMES, RATING_SCALES
from journal_app.ui import messages
from journal_app.ui.markdown_view import SafeTextBrowser
from journal_app.ui.session import Change, JournalSession
from journal_app.ui.sharing.feedback_panel import FeedbackPanel
from journal_app.ui.spelling import check_spelling, spelling_menu
from journal_app.ui.theme import sized_font
from journal_app.ui.widgets import Columns, FitCombo, FlowLayout
from journal_app.ui.worker import Task
from journal_app.ui.writing.attachments import FILE_FILTER, AttachmentStrip, FileDropFilter
from journal_app.ui.writing.column import keep_readable

AUTOSAVE_MS = 1500
REVISION_EVERY_S = 10 * 60
_UNSET_SCALE = -6  # mood/energy spin boxes: the value below -5 means "not set"
_UNSET_STRESS = -1


class TagEdit(QLineEdit):
    """Comma-separated tags, completing the tag being typed from the tags already used."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("tags, separated by commas")
        self.setAccessibleName("Tags")
        self._model = QStringListModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setWidget(self)
        self._completer.activated.connect(self._insert)
        self.textEdited.connect(self._complete)
        #: Called before completing: the journal page gathers the tags used then, not at
        #: every unlock and refresh (at 100,000 entries a walk of every entry).
        self.before_completing: Callable[[], None] | None = None

    def set_known(self, tags: list[str]) -> None:
        self._model.setStringList(sorted(set(tags)))

    def tags(self) -> list[str]:
        return [t for t in (normalise_label(p) for p in self.text().split(",")) if t]

    def set_tags(self, tags: Sequence[str]) -> None:
        self.setText(", ".join(tags))

    def _current_word(self) -> str:
        return self.text()[: self.cursorPosition()].split(",")[-1].strip()

    def _complete(self) -> None:
        if self.before_completing is not None:
            self.before_completing()
        word = self._current_word()
        if word:
            self._completer.setCompletionPrefix(word)
            if self._completer.completionCount():
                self._completer.complete()
                return
        popup = self._completer.popup()  # QCompleter makes its list view when first asked
        if popup is not None:
            popup.hide()

    def _insert(self, tag: str) -> None:
        before = self.text()[: self.cursorPosition()]
        after = self.text()[self.cursorPosition():]
        head = before.rsplit(",", 1)[0] + ", " if "," in before else ""
        self.setText(f"{head}{tag}, {after.lstrip(', ')}".rstrip())
        self.setCursorPosition(len(head) + len(tag) + 2)


class EmotionChips(QWidget):
    """Chosen emotions as removable chips, plus a picker from the project's vocabulary.

    What is added is a known word: the one typed, or else the suggestion for what was typed (the
    one chosen with the arrows, or the first), so "exhaus" + Enter adds "exhausted". A word with
    no suggestion is added as the user's own only after one question ("No" leaves it in the
    field to correct); a word already on the record is not asked about again.

    With a ``session``, a word the user keeps is kept in the vault (encrypted in the app state,
    :meth:`Journal.add_own_emotions`), listed under "Your own words" and never asked about again,
    here or in any other screen that takes emotions; the list follows the vault (reloaded when
    the app state changes, dropped when the journal locks).

    Signals:
        changed(): an emotion was added, re-rated or removed.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None,
                 session: JournalSession | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._emotions: list[Emotion] = []
        #: The vocabulary's words in the list's order.
        self._words: list[str] = [w for group in emotion_vocabulary() for w in group.words]
        #: The user's own words kept in the vault (listed after the vocabulary's).
        self._kept: list[str] = []
        #: Words not asked about in this picker: those on the record, or kept while unsaved.
        self._own: set[str] = set()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.setAccessibleName("Emotion")
        self.name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # An editable combo box has a line edit and a completer; a QComboBox's own model is a
        # QStandardItemModel.
        line_edit, completer, model = self.name.lineEdit(), self.name.completer(), self.name.model()
        assert line_edit is not None and completer is not None
        assert isinstance(model, QStandardItemModel)
        line_edit.setPlaceholderText("add an emotion…")
        line_edit.setAccessibleName("Emotion")  # what a screen reader reads when typing in it
        # Grouped: each group's label is a disabled heading above its words (the completer
        # still finds any word as it is typed).
        for group in emotion_vocabulary():
            self.name.addItem(group.label.upper())
            heading_item = model.item(self.name.count() - 1)
            heading_item.setEnabled(False)
            heading_item.setSelectable(False)
            heading_item.setToolTip(group.description)
            for word in group.words:
                self.name.addItem(word)
                self.name.setItemData(self.name.count() - 1, group.label,
                                      Qt.ItemDataRole.ToolTipRole)
        #: Where "Your own words" start in the list (a heading, then the words).
        self._vocabulary_items = self.name.count()
        self.name.setCurrentIndex(-1)
        # About 10 characters wide, not as wide as the longest word (at a large text size
        # that held the editor wider than a small window; and the picker stays on one line
        # beside the tags at the default size in an 800 px window); the open list shows all.
        self.name.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.name.setMinimumContentsLength(10)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.intensity = QSpinBox()
        self.intensity.setRange(1, 5)
        self.intensity.setValue(3)
        self.intensity.setPrefix("intensity ")
        self.intensity.setAccessibleName("Emotion intensity, 1 to 5")
        self.add_button = QPushButton("Add")
        self.add_button.setAccessibleName("Add emotion")
        # The word beside its intensity and Add, or above them where the room is narrow (a
        # large text size in a small window): the picker never makes the page scroll sideways.
        name_row, rest = QHBoxLayout(), QHBoxLayout()
        name_row.addWidget(self.name)
        rest.addWidget(self.intensity, 1)
        rest.addWidget(self.add_button)
        self.picker = Columns(name_row, rest, (2, 1), spacing=6)
        layout.addWidget(self.picker)
        self.chips_row = FlowLayout(spacing=6)  # as many lines as the width needs
        self._chip_buttons: list[QToolButton] = []
        chips_holder = QWidget()
        chips_holder.setLayout(self.chips_row)
        layout.addWidget(chips_holder)
        self.add_button.clicked.connect(lambda: self.add_current())  # not add_current(checked)
        line_edit.returnPressed.connect(lambda: self.add_current())
        if session is not None:
            session.unlocked.connect(self._load_kept)
            session.appStateChanged.connect(self._load_kept)
            session.locked.connect(lambda: self.set_own_words([]))
            self._load_kept()

    def _load_kept(self) -> None:
        if self.session is not None:
            self.set_own_words(self.session.read_or(lambda journal: journal.own_emotions(),
                                                    list[str]()))

    def own_words(self) -> list[str]:
        """The user's own words kept in the vault, as this picker lists them."""
        return list(self._kept)

    def set_own_words(self, words: Sequence[str]) -> None:
        """List ``words`` (the vault's own words) after the vocabulary's, under a heading."""
        words = [w for w in dict.fromkeys(words) if w not in self._words]
        if words == self._kept:
            return
        self._kept = words
        for index in range(self.name.count() - 1, self._vocabulary_items - 1, -1):
            self.name.removeItem(index)
        if not words:
            return
        model = self.name.model()
        assert isinstance(model, QStandardItemModel)
        self.name.addItem("YOUR OWN WORDS")
        heading = model.item(self.name.count() - 1)
        heading.setEnabled(False)
        heading.setSelectable(False)
        heading.setToolTip("Words you added as your own (Settings ▸ Your emotion words)")
        for word in words:
            self.name.addItem(word)
            self.name.setItemData(self.name.count() - 1, "Your own word",
                                  Qt.ItemDataRole.ToolTipRole)

    def emotions(self) -> list[Emotion]:
        return list(self._emotions)

    def set_emotions(self, emotions: Sequence[Emotion]) -> None:
        self._emotions = list(emotions)
        self._own.update(e.name for e in self._emotions)  # on the record already: not asked
        self._rebuild()

    def suggestion(self, text: str) -> str | None:
        """The known word ``text`` stands for: itself, else the first that starts with it."""
        typed = text.strip().lower()
        if not typed:
            return None
        known = [*self._words, *self._kept, *sorted(self._own - set(self._words))]
        if typed in known:
            return typed
        return next((w for w in known if w.startswith(typed)), None)

    def add_current(self, ask: bool = True) -> bool:
        """Add what the picker holds; True when the field is empty afterwards (added, or
        nothing typed), False when the user chose to correct an unknown word. ``ask=False``
        (closing from outside, nobody to answer) keeps an unknown word without asking."""
        text = self.name.currentText().strip()
        if not text:
            return True
        word = self.suggestion(text)
        if word is None:
            if ask and not self._keep_own_word(text):
                self.name.lineEdit().selectAll()  # type: ignore[union-attr]
                self.name.setFocus()
                return False
            word = text
            if ask:
                self.name.setFocus()  # back from the question, ready for the next one
        try:
            emotion = Emotion(word, self.intensity.value())
        except ValueError:
            return False
        if emotion.name not in self._words and emotion.name not in self._kept:
            if ask and emotion.name not in self._own:
                self._keep(emotion.name)
            self._own.add(emotion.name)
        self._emotions = [e for e in self._emotions if e.name != emotion.name] + [emotion]
        self._rebuild()
        self.changed.emit()
        # After the completer has done with this key (it puts the chosen suggestion back in the
        # field once Enter is handled), the picker is empty for the next one.
        self._clear()
        QTimer.singleShot(0, self._clear)
        return True

    def _keep(self, word: str) -> None:
        """A word the user confirmed as their own: kept in the vault, offered from now on."""
        if self.session is None:
            return
        self.set_own_words([*self._kept, word])
        self.session.write(lambda journal: journal.add_own_emotions([word]),
                           changes=Change.APP_STATE)

    def _clear(self) -> None:
        self.name.setCurrentIndex(-1)
        self.name.setEditText("")

    def _keep_own_word(self, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "Your own word",
                          f"“{text}” is not one of the listed emotions. "
                          "Add it as your own word?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.button(QMessageBox.StandardButton.Yes).setText("Add my word")
        box.button(QMessageBox.StandardButton.No).setText("Let me change it")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def remove(self, name: str) -> None:
        self._emotions = [e for e in self._emotions if e.name != name]
        self._rebuild()
        self.changed.emit()

    def _rebuild(self) -> None:
        # Chips leave the row by name: asking the layout for its items (takeAt) would hand
        # Python wrappers of C++ layout items that the layout deletes behind them.
        for old in self._chip_buttons:
            self.chips_row.removeWidget(old)
            old.deleteLater()
        self._chip_buttons = []
        for emotion in self._emotions:
            chip = QToolButton()
            chip.setText(f"{emotion.name} {emotion.intensity}/5  ×")
            chip.setAccessibleName(f"Remove emotion {emotion.name}")
            chip.setToolTip("Remove")
            chip.clicked.connect(lambda _=False, n=emotion.name: self.remove(n))
            self.chips_row.addWidget(chip)
            self._chip_buttons.append(chip)


class RatingBox(QSpinBox):
    """A rating that may be left unset ("–", the value just below the scale). From "–", the
    first step goes to 0, the middle of the scale (not to its end: "–" then Up once gave -5)."""

    def __init__(self, name: str, lo: int, hi: int, unset: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.unset = unset
        self.setRange(unset, hi)
        self.setSpecialValueText("–")
        self.setValue(unset)
        self.setAccessibleName(f"{name}, {lo} to {hi}")
        self.setToolTip(f"{name} from {lo} to {hi}; '–' means not rated")

    def stepBy(self, steps: int) -> None:
        if self.value() == self.unset and steps:
            self.setValue(max(0, self.unset + 1))
            self.selectAll()
            return
        super().stepBy(steps)

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        if self.value() == self.unset:
            return (QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
                    | QAbstractSpinBox.StepEnabledFlag.StepDownEnabled)
        return super().stepEnabled()


class EntryEditor(QWidget):
    """Signals (besides those of the module):
        details_shown_changed(bool): the strip of details was folded (False) or unfolded.
    """

    saved = Signal(object)
    status = Signal(str)
    details_shown_changed = Signal(bool)

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.entry: Entry | None = None
        self._loading = False
        self._dirty = False
        self._revision_kept_at: float | None = None
        self._stored = False
        self._last_save: Task | None = None
        self.save_error = ""

        self.title = QLineEdit()
        self.title.setPlaceholderText("Title (optional)")
        self.title.setAccessibleName("Title")
        sized_font(self.title, 4, bold=True)

        self.when = QDateTimeEdit()
        self.when.setCalendarPopup(True)
        # Only the years a record may carry (journal_app.core.dates): beyond them, dates
        # overflow when shown in another time zone.
        self.when.setDateRange(QDate(EARLIEST_YEAR, 1, 1), QDate(LATEST_YEAR, 12, 31))
        self.when.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        self.when.setAccessibleName("Date and time")
        self.star = QToolButton()
        self.star.setCheckable(True)
        self.star.setText("☆ Star")
        self.star.setAccessibleName("Star this entry")
        self.encounter = FitCombo()
        self.encounter.setAccessibleName("Difficult encounter")
        self.encounter.addItem("No difficult encounter", None)
        for key in ENCOUNTER_TYPES:
            self.encounter.addItem(ENCOUNTER_LABELS[key], key)
        # As wide as the type it shows, not the longest: the box stretches into the row's free
        # room, and the open list shows each type in full.
        self.preview_button = QToolButton()
        self.preview_button.setText("Write")
        self.preview_button.setAccessibleName("Preview mode")
        self.preview_button.setToolTip("Write / side by side / preview (Ctrl+P)")

        self.attach_button = QToolButton()
        self.attach_button.setText("Attach image…")
        self.attach_button.setAccessibleName("Attach image")
        self.attach_button.setToolTip(
            "Attach a photo or drawing (PNG, JPEG, GIF, WebP or HEIC, up to 20 MB); "
            "you can also drop image files on the entry"
        )

        # Above the text only what places it: the date and the way to read it rendered.
        top = FlowLayout()  # the mode button under the date where the editor is narrow
        top.addWidget(self.when)
        top.addStretch()
        top.addWidget(self.preview_button)

        self.body = QPlainTextEdit()
        self.body.setPlaceholderText(
            "What happened? What did you feel, and what helped? Markdown works: *italic*, "
            "**bold**, # headings, - lists."
        )
        self.body.setAccessibleName("Entry text")
        self.body.setTabChangesFocus(True)
        # Misspelt words underlined, with suggestions on the context menu (all on this computer;
        # the window adds its sharing actions to the menu, see context_menu).
        self.spelling = check_spelling(self.body, session, menu=False)
        self.preview = SafeTextBrowser()
        self.preview.setAccessibleName("Preview")
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.body)
        self.split.addWidget(self.preview)
        self.preview.hide()

        self.tags = TagEdit()
        self.emotions = EmotionChips(session=session)
        self.mood = RatingBox(RATING_NAMES["mood"], *RATING_SCALES["mood"], _UNSET_SCALE)
        self.energy = RatingBox(RATING_NAMES["energy"], *RATING_SCALES["energy"], _UNSET_SCALE)
        self.stress = RatingBox(RATING_NAMES["stress"], *RATING_SCALES["stress"], _UNSET_STRESS)
        # One compact strip under the text holds everything about the entry but its words; it
        # folds away (remembered in the interface settings, see set_details_shown).
        self.details = QWidget()
        self.details.setAccessibleName("Details of this entry")
        strip = QGridLayout(self.details)
        strip.setContentsMargins(0, 0, 0, 0)
        strip.setHorizontalSpacing(8)
        strip.setVerticalSpacing(4)
        # On as many lines as the editor's width needs, each rating beside its name.
        first = FlowLayout(spacing=8)
        for name, box in (("mood", self.mood), ("energy", self.energy), ("stress", self.stress)):
            label = QLabel(RATING_NAMES[name])
            label.setBuddy(box)
            pair = QWidget()
            pair_row = QHBoxLayout(pair)
            pair_row.setContentsMargins(0, 0, 0, 0)
            pair_row.setSpacing(4)
            pair_row.addWidget(label)
            pair_row.addWidget(box)
            first.addWidget(pair)
        first.addWidget(self.encounter)
        first.addWidget(self.star)
        strip.addLayout(first, 0, 0, 1, 2)
        # Tags beside the emotions, or above them where the editor is narrow. Not aligned to
        # the top: an aligned widget gets no height for its width, and the emotion chips wrap
        # onto more lines when the editor is narrow.
        tags_column, emotions_column = QVBoxLayout(), QVBoxLayout()
        tags_column.addWidget(self.tags)
        tags_column.addStretch(1)
        emotions_column.addWidget(self.emotions)
        # The emotions get most of the room: their picker stays on one line beside them.
        strip.addWidget(Columns(tags_column, emotions_column, (1, 3), spacing=8), 1, 0, 1, 2)
        self.details_toggle = QToolButton()
        self.details_toggle.setCheckable(True)
        self.details_toggle.setChecked(True)
        self.details_toggle.setAutoRaise(True)
        self.details_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.details_toggle.setAccessibleName("Show tags, feelings and ratings")
        self.details_toggle.setToolTip("Tags, feelings, mood, energy, stress, encounter, star")
        self.details_toggle.toggled.connect(self._details_toggled)

        self.state = QLabel("")
        self.state.setProperty("muted", True)
        self.state.setAccessibleName("Save status")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addWidget(self.split, 1)
        self.attachments = AttachmentStrip(session)
        layout.addWidget(self.attachments)
        # Feedback a mentor sent on this entry (hidden when there is none).
        self.feedback = FeedbackPanel(session)
        layout.addWidget(self.feedback)
        bar = FlowLayout()
        bar.addWidget(self.details_toggle)
        bar.addWidget(self.state)
        bar.addStretch()
        bar.addWidget(self.attach_button)
        layout.addLayout(bar)
        layout.addWidget(self.details)
        # Unfolded only once it has a parent: a parentless widget made visible is a window of
        # its own, shown for a moment, and it took the activation (and the focus of the lock
        # screen's field) from the main window while it was completed behind the lock screen.
        self._details_toggled(True, announce=False)
        # Tab from the title goes to the text, not through the date's fields first.
        QWidget.setTabOrder(self.title, self.body)
        QWidget.setTabOrder(self.body, self.tags)
        # Enter in the title moves to the text (it never joins the two).
        self.title.returnPressed.connect(self._title_done)
        # The text (and its preview) in a readable column, however wide the window.
        self._columns = (keep_readable(self.body), keep_readable(self.preview))

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.save)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(250)
        self._preview_timer.timeout.connect(self._render_preview)
        self.preview_mode = "off"
        self._chosen_mode = "off"  # what the user chose (a reflection opens rendered anyway)

        for signal in (self.title.textChanged, self.body.textChanged, self.tags.textChanged,
                       self.when.dateTimeChanged, self.star.toggled,
                       self.encounter.currentIndexChanged, self.emotions.changed,
                       self.mood.valueChanged, self.energy.valueChanged,
                       self.stress.valueChanged):
            signal.connect(self._changed)
        self.body.textChanged.connect(self._preview_timer.start)
        self.star.toggled.connect(lambda on: self.star.setText("★ Starred" if on else "☆ Star"))
        self.preview_button.clicked.connect(self.cycle_preview)
        self.attach_button.clicked.connect(self.choose_attachments)
        # Image files dropped on the text, the attachments or the editor are attached; text
        # dropped on the text is inserted as before.
        self._drops = FileDropFilter(self.attach_files, self)
        for target in (self.body.viewport(), self.attachments, self):
            target.setAcceptDrops(True)
            target.installEventFilter(self._drops)
        self.setEnabled(False)

    def context_menu(self, pos: QPoint) -> QMenu:
        """The text's context menu at ``pos`` (viewport coordinates): the spelling of a flagged
        word there, then the usual text actions."""
        return spelling_menu(self.body, self.spelling, pos)

    @staticmethod
    def _wrap(layout: QHBoxLayout) -> QWidget:
        w = QWidget()
        layout.setContentsMargins(0, 0, 0, 0)
        w.setLayout(layout)
        return w

    def _title_done(self) -> None:
        """Enter in the title: on to the text, at its start (the title stays as typed)."""
        self.body.setFocus()
        self.body.moveCursor(QTextCursor.MoveOperation.Start)

    def _details_toggled(self, shown: bool, announce: bool = True) -> None:
        self.details.setVisible(shown)
        self.details_toggle.setText("Details" if shown else "Details…")
        self.details_toggle.setArrowType(Qt.ArrowType.DownArrow if shown
                                         else Qt.ArrowType.RightArrow)
        self.details_toggle.setAccessibleName(
            "Hide tags, feelings and ratings" if shown else "Show tags, feelings and ratings")
        if announce:
            self.details_shown_changed.emit(shown)

    def set_details_shown(self, shown: bool) -> None:
        """Fold (False) or unfold the strip of details (the window restores what was chosen)."""
        self.details_toggle.setChecked(shown)
        self._details_toggled(shown, announce=False)

    @property
    def details_shown(self) -> bool:
        return self.details_toggle.isChecked()

    def set_read_only(self, read_only: bool) -> None:
        """While the journal is read-only (its list of records must be repaired first), the
        entry can be read and its text selected and copied; nothing in it can be changed."""
        for edit in (self.title, self.body, self.tags):
            edit.setReadOnly(read_only)
        for widget in (self.when, self.star, self.encounter, self.emotions, self.mood,
                       self.energy, self.stress, self.attach_button):
            widget.setEnabled(not read_only)

    # ------------------------------------------------------------ loading

    def load(self, entry: Entry | None, stored: bool = True) -> None:
        """Show ``entry`` (after saving what is pending for the previous one)."""
        self.flush()
        self.entry = entry
        self._stored = stored and entry is not None
        self.feedback.show_entry(entry if self._stored else None)
        self._revision_kept_at = None
        self.spelling.new_text()
        self._loading = True
        try:
            if entry is None:
                for w in (self.title, self.tags):
                    w.clear()
                self.body.clear()
                self.emotions.set_emotions([])
                self.preview.clear()
                self.star.setChecked(False)
                self.encounter.setCurrentIndex(0)
                self.mood.setValue(_UNSET_SCALE)
                self.energy.setValue(_UNSET_SCALE)
                self.stress.setValue(_UNSET_STRESS)
                self.attachments.set_entry(None)
                self.setEnabled(False)
                self._set_state("")
                return
            self.setEnabled(True)
            self.title.setText(entry.title)
            self.title.setCursorPosition(0)  # a long title shows its start, not its end
            self.body.setPlainText(entry.body)
            self.tags.set_tags(entry.tags)
            self.emotions.set_emotions(entry.emotions)
            local = entry.created.astimezone()
            self.when.setDateTime(QDateTime(
                QDate(local.year, local.month, local.day),
                QTime(local.hour, local.minute, local.second, local.microsecond // 1000),
            ))
            self.star.setChecked(entry.starred)
            idx = self.encounter.findData(entry.encounter) if entry.encounter else 0
            self.encounter.setCurrentIndex(max(0, idx))
            self.mood.setValue(_UNSET_SCALE if entry.mood is None else entry.mood)
            self.energy.setValue(_UNSET_SCALE if entry.energy is None else entry.energy)
            self.stress.setValue(_UNSET_STRESS if entry.stress is None else entry.stress)
            # A finished reflection is read more than edited: it opens rendered; other entries
            # open as the user last chose (Ctrl+P switches either way).
            self._show_mode(
                "only" if stored and isinstance(entry, Reflection) else self._chosen_mode)
            self._render_preview()
            self.attachments.set_entry(entry.id if stored else None)
            self._set_state("Saved" if stored else "New entry: it is saved as you type.")
        finally:
            self._loading = False
            self._dirty = False

    def new_entry(self) -> Entry:
        entry = Entry()
        self.load(entry, stored=False)
        # Writing first: the cursor starts in the text; the title is optional.
        self.body.setFocus()
        return entry

    # ------------------------------------------------------------ editing and saving

    def _changed(self, *_args: object) -> None:
        if self._loading or self.entry is None:
            return
        self._dirty = True
        self._set_state("Editing…")
        self._timer.start()

    @property
    def dirty(self) -> bool:
        return self._dirty

    def current(self) -> Entry | None:
        """The entry as the fields show it now (raises nothing: invalid input is ignored)."""
        if self.entry is None:
            return None
        when = self.when.dateTime().toPython()
        assert isinstance(when, datetime)
        created = when.astimezone() if when.tzinfo is None else when
        if abs((created - self.entry.created).total_seconds()) < 60 and \
                created.strftime("%Y%m%d%H%M") == self.entry.created.astimezone().strftime(
                    "%Y%m%d%H%M"):
            created = self.entry.created  # keep the seconds the editor does not show
        return replace(
            self.entry,
            title=self.title.text().strip(),
            body=self.body.toPlainText(),
            tags=tuple(self.tags.tags()),
            emotions=tuple(self.emotions.emotions()),
            starred=self.star.isChecked(),
            encounter=self.encounter.currentData(),
            mood=None if self.mood.value() == _UNSET_SCALE else self.mood.value(),
            energy=None if self.energy.value() == _UNSET_SCALE else self.energy.value(),
            stress=None if self.stress.value() == _UNSET_STRESS else self.stress.value(),
            created=created,
        )

    def save(self, force: bool = False) -> None:
        """Save now if anything changed (Ctrl+S, the autosave timer, leaving the entry).
        ``force`` saves a new entry even when it is still empty (something is attached)."""
        self._timer.stop()
        if not self._dirty or self.entry is None or not self.session.is_unlocked:
            return
        entry = self.current()
        if entry is None:
            return
        if not force and not self._stored and not (entry.title or entry.body.strip()):
            return  # an untouched new entry is not worth a record
        keep = self._stored and (
            self._revision_kept_at is None
            or time.monotonic() - self._revision_kept_at >= REVISION_EVERY_S
        )
        if keep or not self._stored:
            # A new entry's first save starts the session too: later saves in it keep no
            # revision of the half-written draft.
            self._revision_kept_at = time.monotonic()
        # The stored version this text was written over (a sync may bring another meanwhile).
        base = self.entry.updated if self._stored and self.entry is not None else None
        self.entry = entry
        self._dirty = False
        self._stored = True
        self._set_state("Saving…")
        self._last_save = self.session.save_entry(
            entry, keep_revision=keep, on_done=self._saved, on_error=self._save_failed,
            base_updated=base,
        )

    def stored_changed(self, fresh: Entry) -> None:
        """The stored version of the open entry changed elsewhere (another computer's change,
        taken in by sync): shown at once when nothing is being typed; otherwise the text being
        written is saved over it later and the received version kept as a revision."""
        if self.entry is None or fresh.id != self.entry.id or not self._stored:
            return
        if self._dirty:
            self._revision_kept_at = None
            return
        self.load(fresh)

    def _save_failed(self, message: str) -> None:
        # The text is still in the editor: mark it unsaved again and try later.
        self._dirty = True
        self.save_error = message
        self._set_state(messages.not_saved(message))
        self._timer.start(max(AUTOSAVE_MS, 5000))

    def _saved(self, entry: Entry) -> None:
        if self.entry is not None and self.entry.id == entry.id:
            self.entry = replace(self.entry, updated=entry.updated)
            if not self._dirty:
                self._set_state(f"Saved {now():%H:%M}")
        self.saved.emit(entry)

    def flush(self) -> bool:
        """Save what is pending and wait for it (before locking, quitting or switching).

        Returns False when the text could not be saved (it stays in the editor, marked unsaved;
        ``save_error`` says why).
        """
        if self._dirty:
            self.save()
        self.session.worker.wait()
        task, self._last_save = self._last_save, None
        if task is not None and task.error is not None:
            from journal_app.ui.session import user_message

            self._dirty = True
            self.save_error = user_message(task.error)
            self._set_state(messages.not_saved(self.save_error))
            return False
        return True

    def _set_state(self, text: str) -> None:
        self.state.setText(text)
        self.status.emit(text)

    # ------------------------------------------------------------ preview

    def cycle_preview(self) -> None:
        order = ["off", "side", "only"]
        self.set_preview_mode(order[(order.index(self.preview_mode) + 1) % 3])

    def set_preview_mode(self, mode: str) -> None:
        self._chosen_mode = mode
        self._show_mode(mode)

    def _show_mode(self, mode: str) -> None:
        self.preview_mode = mode
        self.body.setVisible(mode != "only")
        self.preview.setVisible(mode != "off")
        self.preview_button.setText({"off": "Write", "side": "Side by side",
                                     "only": "Preview"}[mode])
        self._render_preview()

    def _render_preview(self) -> None:
        if self.preview.isVisible() or self.preview_mode != "off":
            self.preview.set_markdown(self.body.toPlainText())

    # ------------------------------------------------------------ attachments

    def choose_attachments(self) -> None:
        """Ask for image files (the "Attach image…" button) and attach them."""
        if self.entry is None:
            return
        names, _ = QFileDialog.getOpenFileNames(self, "Attach images", "", FILE_FILTER)
        self.attach_files([Path(n) for n in names])

    def attach_files(self, paths: list[Path]) -> None:
        """Attach image files to the entry shown, reading and encrypting them in the worker.
        A new entry is saved first, so there is something to attach to."""
        if self.entry is None or not paths or not self.session.is_unlocked:
            return
        if not self._stored:
            self._dirty = True
            self.save(force=True)
        entry_id = self.entry.id
        self._set_state("Attaching…")
        # One message for the files of one drop that could not be attached, not one each.
        left = [len(paths)]
        failed: list[str] = []

        def finished(message: str | None) -> None:
            left[0] -= 1
            if message is not None and message not in failed:
                failed.append(message)
            if left[0] == 0 and failed:
                self._attach_failed(len(paths), failed)

        def attached(attachment: Attachment) -> None:
            self._attached(entry_id, attachment)
            finished(None)

        for path in paths:
            self.session.add_attachment_file(entry_id, path, on_done=attached, on_error=finished)

    def _attached(self, entry_id: str, attachment: Attachment) -> None:
        if self.entry is not None and self.entry.id == entry_id:
            self.attachments.set_entry(entry_id)  # a new entry showed none until now
            if not self._dirty:
                self._set_state(f"Attached {now():%H:%M}")

    def _attach_failed(self, count: int, messages: list[str]) -> None:
        self._set_state("Not attached")
        text = messages[0] if len(messages) == 1 else "\n\n".join(messages)
        if count > 1:
            text = f"Some of the {count} files were not attached.\n\n{text}"
        QMessageBox.warning(self, "Not attached", text)
