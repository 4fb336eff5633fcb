"""The unlocked view: search and filters, the entry list, and the editor."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import (
    QByteArray,
    QDate,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFontInfo, QKeySequence, QResizeEvent, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.core import cohort
from journal_app.core.content import ContentError
from journal_app.core.errors import JournalError
from journal_app.core.practice import (
    FOLLOWUP_PROMPT_ID,
    QUESTIONS,
    AskedReflection,
    Heaviness,
    Memory,
    Prompt,
    asked_reflection,
    assessment,
    followup_body,
    followups_due,
    is_unfinished,
    library_with_custom,
    load_library,
    on_this_day,
    rating_for,
    ratings_due,
    series_day_due,
    set_level,
    todays_prompt_for,
)
from journal_app.core.records import (
    ENCOUNTER_TYPES,
    CheckIn,
    Entry,
    Reflection,
    SelfAssessment,
    WaitingReflection,
    model,
    normalise_label,
)
from journal_app.core.vault import Journal, SearchFilters, SearchHit, parse_query
from journal_app.core.vocabulary import ENCOUNTER_LABELS, LEVEL_LABELS
from journal_app.ui.practice.support import quiet_link
from journal_app.ui.session import Change, JournalSession, user_message
from journal_app.ui.theme import sized_font
from journal_app.ui.widgets import FitCombo, FlowLayout, muted, scrolling
from journal_app.ui.writing.editor import EntryEditor
from journal_app.ui.writing.entrylist import EntryListModel, EntryListView, Role

#: Search hits listed at first, and added each time the list is scrolled to its end.
PAGE = 200


class FilterBar(QWidget):
    """Tag, emotion, encounter, starred and date-range filters.

    Signals:
        changed(): any filter changed.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # On as many lines as the list's width needs: the filters never make the window wider.
        flow = FlowLayout(self)
        self.tag = FitCombo()
        self.tag.setAccessibleName("Filter by tag")
        self.emotion = FitCombo()
        self.emotion.setAccessibleName("Filter by emotion")
        self.encounter = FitCombo()
        self.encounter.setAccessibleName("Filter by encounter")
        self.encounter.addItem("Any encounter", None)
        for key in ENCOUNTER_TYPES:
            self.encounter.addItem(ENCOUNTER_LABELS[key], key)
        self.starred = QCheckBox("★")
        self.starred.setAccessibleName("Only starred entries")
        self.starred.setToolTip("Only starred entries")
        self.use_dates = QCheckBox("Dates")
        self.use_dates.setAccessibleName("Filter by dates")
        self.date_from = QDateEdit()
        self.date_from.setCalendarPopup(True)
        self.date_from.setDisplayFormat("d MMM yyyy")
        self.date_from.setAccessibleName("From date")
        self.date_to = QDateEdit()
        self.date_to.setCalendarPopup(True)
        self.date_to.setDisplayFormat("d MMM yyyy")
        self.date_to.setAccessibleName("To date")
        today = QDate.currentDate()
        self.date_from.setDate(today.addMonths(-1))
        self.date_to.setDate(today)
        for w in (self.tag, self.emotion, self.encounter, self.starred, self.use_dates,
                  self.date_from, self.date_to):
            flow.addWidget(w)
        self.set_choices([], [])
        for signal in (self.tag.currentIndexChanged, self.emotion.currentIndexChanged,
                       self.encounter.currentIndexChanged, self.starred.toggled,
                       self.use_dates.toggled, self.date_from.dateChanged,
                       self.date_to.dateChanged):
            signal.connect(self._emit_changed)  # changed.emit would get the signal's value
        self.use_dates.toggled.connect(self._dates_enabled)
        self._dates_enabled(False)

    def _emit_changed(self, *_args: object) -> None:
        self.changed.emit()

    def _dates_enabled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)

    def set_choices(self, tags: list[str], emotions: list[str]) -> None:
        for combo, label, values in ((self.tag, "Any tag", tags),
                                     (self.emotion, "Any emotion", emotions)):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(label, None)
            for value in sorted(values):
                combo.addItem(value, value)
            idx = combo.findData(current) if current else 0
            combo.setCurrentIndex(max(0, idx))
            combo.blockSignals(False)

    def filters(self) -> SearchFilters:
        tag = self.tag.currentData()
        emotion = self.emotion.currentData()
        date_from: date | None = None
        date_to: date | None = None
        if self.use_dates.isChecked():
            # PySide6's stubs type QDate.toPython() as object; it returns a datetime.date.
            date_from = self.date_from.date().toPython()  # type: ignore[assignment]
            date_to = self.date_to.date().toPython()  # type: ignore[assignment]
        return SearchFilters(
            tags=(tag,) if tag else (),
            emotions=(emotion,) if emotion else (),
            encounter=self.encounter.currentData(),
            date_from=date_from,
            date_to=date_to,
            starred=True if self.starred.isChecked() else None,
        )

    def active(self) -> bool:
        return self.filters() != SearchFilters()

    def clear(self) -> None:
        for combo in (self.tag, self.emotion, self.encounter):
            combo.setCurrentIndex(0)
        self.starred.setChecked(False)
        self.use_dates.setChecked(False)


class HomeCard(QFrame):
    """A card of the home panel: an optional caption, a larger text, and buttons."""

    def __init__(self, caption: str, accessible_name: str, buttons: list[str]) -> None:
        super().__init__()
        self.setProperty("card", True)
        self._fit()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 16, 22, 16)
        if caption:
            label = QLabel(caption)
            label.setProperty("muted", True)
            layout.addWidget(label)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setAccessibleName(accessible_name)
        sized_font(self.text, 2)
        layout.addWidget(self.text)
        row = FlowLayout()  # on more lines where the card is narrow (a large text size)
        self.buttons = [QPushButton(text) for text in buttons]
        for button in self.buttons:
            row.addWidget(button)
        layout.addLayout(row)

    def _fit(self) -> None:
        """About 38 characters wide at most, at any text size."""
        self.setMaximumWidth(max(560, 38 * QFontInfo(self.font()).pixelSize()))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit()


class MemoriesCard(HomeCard):
    """On this day, quietly: entries of this date in earlier years, each a link that opens it
    (at most :attr:`SHOWN`; the card says how many more)."""

    SHOWN = 3
    opened = Signal(str)  # the id of the entry to open

    def __init__(self) -> None:
        super().__init__("On this day", "On this day", [])
        font = self.text.font()
        font.setPointSizeF(font.pointSizeF() - 2)  # quieter than the other cards
        self.text.setFont(font)
        self.text.setProperty("muted", True)
        self.links: list[QPushButton] = []
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        self.link_box = QVBoxLayout()
        self.link_box.setSpacing(4)
        layout.insertLayout(layout.count() - 1, self.link_box)

    def show_memories(self, memories: list[Memory]) -> None:
        for button in self.links:  # removed by reference, never with takeAt
            self.link_box.removeWidget(button)
            button.deleteLater()
        self.links = []
        shown = memories[:self.SHOWN]
        more = len(memories) - len(shown)
        self.text.setText("Written on this date in earlier years." + (
            f" {more} more from this date: search the journal by date to see them all."
            if more else ""))
        for memory in shown:
            title = memory.entry.display_title()
            button = quiet_link(f"{memory.when()}: {title}")
            button.setAccessibleName(f"Open “{title}”, written {memory.when().lower()}")
            button.setToolTip(f"{memory.entry.created.astimezone():%A %d %B %Y}")
            button.clicked.connect(lambda _=False, i=memory.entry.id: self.opened.emit(i))
            self.link_box.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            self.links.append(button)
        self.setVisible(bool(memories))


class JournalPage(QWidget):
    """Signals:
    message(str): a plain sentence for the window's message bar.
    """

    message = Signal(str)
    #: A waiting reflection should start: (template id, check-in id).
    waiting_start = Signal(str, str)
    #: A periodic self-assessment should open: its form id.
    assessment_start = Signal(str)
    #: "See what would leave…" on the programme's cohort card (issue 25).
    contribution_wanted = Signal()
    #: The quiet link to the support and crisis lines was clicked.
    support_requested = Signal()
    #: The list now shows the results for :attr:`listed_text` (the search box's text).
    listed = Signal()

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        #: The search text whose results the list shows ("" for every entry).
        self.listed_text = ""
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search  (word starts, \"a phrase\")   Ctrl+F")
        self.search.setAccessibleName("Search entries")
        self.search.setClearButtonEnabled(True)
        #: The filters' choices and the tag completions are out of date (see _update_choices).
        self._choices_stale = True
        self.filter_toggle = QToolButton()
        self.filter_toggle.setText("Filters")
        self.filter_toggle.setCheckable(True)
        self.filter_toggle.setAccessibleName("Show filters")
        self.filters = FilterBar()
        self.filters.hide()
        self.count = muted("")
        self.count.setAccessibleName("Number of entries shown")
        self.model = EntryListModel(self)
        self.list = EntryListView()
        self.list.setModel(self.model)
        self.new_button = QPushButton("New entry")
        self.new_button.setProperty("primary", True)
        self.new_button.setAccessibleName("New entry")

        left = QWidget()
        lv = QVBoxLayout(left)
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        row.addWidget(self.filter_toggle)
        lv.addLayout(row)
        lv.addWidget(self.filters)
        lv.addWidget(self.list, 1)
        # In one pane (see update_panes) the home panel is a button away, as an entry is a
        # click away.
        self.today_button = QPushButton("Today")
        self.today_button.setAccessibleName("Today: the prompt and what is waiting")
        self.today_button.setToolTip("Today's prompt, and a reflection or follow-up waiting")
        self.today_button.hide()
        # On two lines where the list is narrow: the count never holds the list wide, and the
        # list needs the same width with or without the Today button.
        bottom = FlowLayout()
        bottom.addWidget(self.today_button)
        bottom.addWidget(self.count)
        bottom.addStretch()
        bottom.addWidget(self.new_button)
        lv.addLayout(bottom)
        self.left = left

        self.editor = EntryEditor(session)
        self.empty = QWidget()
        ev = QVBoxLayout(self.empty)
        ev.addStretch(1)
        self.empty_text = QLabel()
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_text.setWordWrap(True)
        self.empty_text.setProperty("muted", True)
        ev.addWidget(self.empty_text)
        # The home panel's cards: today's prompt, a reflection put off until later today,
        # and a follow-up two to three days after a difficult encounter (which also offers the
        # depth rating a reflection ended without, right after a death, say).
        prompt = HomeCard("Today's prompt", "Today's prompt", ["Write about this"])
        waiting = HomeCard("", "A reflection is waiting", ["Start it now", "Not today"])
        followup = HomeCard("A few days on", "Follow-up",
                            ["Write a few lines", "Look back at how deep it went", "Not now"])
        assess = HomeCard("Looking back", "Self-assessment", ["Start", "Not now"])
        # The reflection the programme joined asks for during its current rotation, until one
        # is finished in the rotation (or set aside for this session).
        asked = HomeCard("Asked for this rotation", "Asked for this rotation",
                         ["Start it", "Not now"])
        self.asked_card, self.asked_text = asked, asked.text
        self.asked_start_button, self.asked_later_button = asked.buttons
        self.asked: AskedReflection | None = None
        self._asked_set_aside = False
        # The programme's cohort report, once a rotation, near its end (issue 25).
        contribution = HomeCard("Your programme's cohort report", "Cohort report",
                                ["See what would leave…", "Not now"])
        self.cohort_card, self.cohort_text = contribution, contribution.text
        self.cohort_see_button, self.cohort_later_button = contribution.buttons
        self._cohort_set_aside = False
        # A journal made without a stage (``journal-app init``) asks here, quietly, once.
        stage = HomeCard("Your training", "Training stage", [*LEVEL_LABELS.values(), "Not now"])
        stage.text.setText("Tell the app where you are in training, so prompts fit.")
        self.level_card = stage
        self.level_buttons = dict(zip(LEVEL_LABELS, stage.buttons, strict=False))
        self.level_later_button = stage.buttons[-1]
        # Two rows, so the card is no wider than the others.
        early, clerkship, advanced = self.level_buttons.values()
        stages = FlowLayout()  # as many a line as fit; "Not now" at the end of the last
        for button in (early, clerkship, advanced):
            stages.addWidget(button)
        stages.addStretch()
        stages.addWidget(self.level_later_button)
        layout = stage.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(layout.count() - 1, stages)
        for key, button in self.level_buttons.items():
            button.setAccessibleName(f"Training stage: {LEVEL_LABELS[key]}")
            button.clicked.connect(lambda _=False, k=key: self.choose_level(k))
        self.level_later_button.setAccessibleName("Not now: ask about the training stage later")
        self.level_later_button.clicked.connect(self.set_level_card_aside)
        self.assessment_card, self.assessment_text = assess, assess.text
        self.assessment_start_button, self.assessment_later_button = assess.buttons
        self.assessment_due: str | None = None
        self.prompt_card, self.prompt_text = prompt, prompt.text
        (self.prompt_button,) = prompt.buttons
        self.waiting_card, self.waiting_text = waiting, waiting.text
        self.waiting_start_button, self.waiting_drop_button = waiting.buttons
        self.followup_card, self.followup_text = followup, followup.text
        self.followup_write, self.followup_rate, self.followup_later = followup.buttons
        # Off unless turned on in Settings (MainWindow passes the choice in).
        self.memories_card = MemoriesCard()
        self.memories_card.hide()
        self.memories_card.opened.connect(self.open_memory)
        self.on_this_day_shown = False
        self.on_this_day_heavy = False
        self.memories: list[Memory] = []
        ev.addSpacing(24)
        cards = QVBoxLayout()
        cards.setSpacing(12)  # a hidden card takes no room, nor its spacing
        for card in (prompt, asked, waiting, followup, assess, contribution, stage,
                     self.memories_card):
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(card, 3)
            row.addStretch(1)
            cards.addLayout(row)
        ev.addLayout(cards)
        self.support_link = quiet_link()
        # Below the cards; the home panel scrolls when they are taller than the window.
        link_box = QWidget()
        link_row = QHBoxLayout(link_box)
        link_row.setContentsMargins(0, 8, 0, 0)
        link_row.addStretch(1)
        link_row.addWidget(self.support_link, 0, Qt.AlignmentFlag.AlignTop)
        link_row.addStretch(1)
        ev.addWidget(link_box, 1)
        self.support_link.clicked.connect(self.support_requested.emit)
        self.followup: CheckIn | None = None
        #: A reflection that ended without the depth rating, offered it now.
        self.rating_due: Reflection | None = None
        self.waiting: WaitingReflection | None = None
        self.waiting_start_button.clicked.connect(self._start_waiting)
        self.waiting_drop_button.clicked.connect(self._drop_waiting_clicked)
        self.series_due: tuple[str, int, int] | None = None
        self._series_set_aside = False
        self.followup_write.clicked.connect(self.write_followup)
        self.followup_later.clicked.connect(self.set_followup_aside)
        self.followup_rate.clicked.connect(self.rate_depth)
        self.assessment_start_button.clicked.connect(
            lambda: self.assessment_start.emit(self.assessment_due or "competency"))
        self.assessment_later_button.clicked.connect(self.set_assessment_aside)
        self.asked_start_button.clicked.connect(self._start_asked)
        self.asked_later_button.clicked.connect(self._asked_aside)
        self.cohort_see_button.clicked.connect(self.contribution_wanted.emit)
        self.cohort_later_button.clicked.connect(self._cohort_aside)
        ev.addStretch(2)
        self.todays_prompt: Prompt | None = None
        self.prompt_button.clicked.connect(self.write_about_prompt)
        # The home panel scrolls when its cards are taller than the window (a small screen, a
        # large text size, several cards at once), instead of making the window taller.
        self.home_scroll = scrolling(self.empty, "Home")
        # The editor scrolls too, rather than hold the window wider than a small screen (at a
        # large text size): with room enough, it fills its pane and shows no scroll bar.
        self.editor_scroll = scrolling(self.editor, "Entry editor")
        self.right = QStackedWidget()
        self.right.addWidget(self.home_scroll)
        self.right.addWidget(self.editor_scroll)
        # The entry (or the home panel) with, in one pane, the way back to the list above it.
        self.back_button = QPushButton("←  Back to the list")
        self.back_button.setAccessibleName("Back to the list")
        self.back_button.setToolTip("Back to the list (Esc or Alt+Left)")
        self.back_bar = QWidget()
        back_row = QHBoxLayout(self.back_bar)
        back_row.setContentsMargins(0, 0, 0, 4)
        back_row.addWidget(self.back_button)
        back_row.addStretch(1)
        self.back_bar.hide()
        self.detail = QWidget()
        dv = QVBoxLayout(self.detail)
        dv.setContentsMargins(0, 0, 0, 0)
        dv.setSpacing(0)
        dv.addWidget(self.back_bar)
        dv.addWidget(self.right, 1)
        self._back_keys = []
        for keys in (QKeySequence(Qt.Key.Key_Escape), QKeySequence("Alt+Left")):
            back = QShortcut(keys, self.detail)
            back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            back.setEnabled(False)
            back.activated.connect(self.show_list)
            self._back_keys.append(back)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([420, 760])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 6)
        layout.addWidget(self.splitter)
        #: One pane (the list or the entry) where the window is too narrow for both side by
        #: side at the current text size; the two panes' split is kept meanwhile.
        self.one_pane = False
        self._kept_state: QByteArray | None = None
        self._panes_timer = QTimer(self)
        self._panes_timer.setSingleShot(True)
        self._panes_timer.setInterval(0)
        self._panes_timer.timeout.connect(self.update_panes)
        for part in (left, self.editor, self.empty):  # what they need changes with the text
            part.installEventFilter(self)
        self.splitter.splitterMoved.connect(lambda *_: self._keep_entry_room())

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(0)  # coalesce keystrokes within one event-loop pass
        self._search_timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(self._search_timer.start)
        self.filters.changed.connect(self._search_timer.start)
        self.filter_toggle.toggled.connect(self.filters.setVisible)
        self.filter_toggle.toggled.connect(self._filters_toggled)
        self.editor.tags.before_completing = self._fill_choices
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        # A click or Enter opens the entry (in one pane, the arrows only move through the list).
        self.list.clicked.connect(self._open_index)
        self.list.activated.connect(self._open_index)
        self.back_button.clicked.connect(self.show_list)
        self.today_button.clicked.connect(self.show_today)
        self.new_button.clicked.connect(self.new_entry)
        self.editor.saved.connect(self._entry_saved)
        session.entriesChanged.connect(self.refresh)

    # ------------------------------------------------------------ one pane or two

    def two_panes_width(self) -> int:
        """The width the list and the entry (or the home panel) need side by side at the
        current text size, a vertical scroll bar included."""
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        return (self.left.minimumSizeHint().width() + self.splitter.handleWidth()
                + self._entry_width() + bar)

    def _entry_width(self) -> int:
        return max(self.editor.minimumSizeHint().width(), self.empty.minimumSizeHint().width())

    def _room(self) -> int:
        layout = self.layout()
        assert layout is not None
        margins = layout.contentsMargins()
        return self.width() - margins.left() - margins.right()

    def update_panes(self) -> None:
        """One pane where the window is too narrow for two at the current text size (a small
        screen, a large text size): the list fills the window and an entry opens in its place;
        two panes again, as they were, when there is room."""
        self.set_one_pane(self._room() < self.two_panes_width())
        if not self.one_pane:
            self._keep_entry_room()

    def set_one_pane(self, on: bool) -> None:
        if on == self.one_pane:
            return
        focus = QApplication.focusWidget()
        in_entry = focus is not None and self.detail.isAncestorOf(focus)
        self.one_pane = on
        self.back_bar.setVisible(on)
        self.today_button.setVisible(on)
        for keys in self._back_keys:
            keys.setEnabled(on)
        if on:
            self._kept_state = self.splitter.saveState()
            # What the user was in stays in view: the entry being written, or else the list.
            self._show_pane(entry=in_entry)
        else:
            self.left.show()
            self.detail.show()
            if self._kept_state is not None:
                self.splitter.restoreState(self._kept_state)
            self._kept_state = None
        if focus is not None and focus.isVisible():
            focus.setFocus()

    def _show_pane(self, entry: bool) -> None:
        self.detail.setVisible(entry)
        self.left.setVisible(not entry)

    def _keep_entry_room(self) -> None:
        """Beside the list, the entry keeps the width it needs (no page read sideways)."""
        if self.one_pane:
            return
        sizes = self.splitter.sizes()
        need = self._entry_width() + self.style().pixelMetric(
            QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        if len(sizes) == 2 and 0 < sizes[1] < need:
            total = sum(sizes)
            self.splitter.setSizes([max(total - need, 1), need])

    def kept_sizes(self) -> list[int]:
        """The two panes' widths (the ones they will have again, while in one pane)."""
        if self._kept_state is None:
            return self.splitter.sizes()
        probe = QSplitter()
        probe.addWidget(QWidget())
        probe.addWidget(QWidget())
        probe.restoreState(self._kept_state)
        return probe.sizes()

    def splitter_state(self) -> QByteArray:
        """The split to save: the two panes' one, in one pane too."""
        return self._kept_state if self._kept_state is not None else self.splitter.saveState()

    def restore_splitter(self, state: QByteArray) -> None:
        if self.one_pane:
            self._kept_state = state
        else:
            self.splitter.restoreState(state)

    def show_entry_view(self) -> None:
        """In one pane: the entry (or the home panel), full width, with the way back."""
        if self.one_pane:
            self._show_pane(entry=True)

    def show_list(self) -> None:
        """Back to the list (the button, Esc, Alt+Left): what was written is saved, and the
        entry shown is the one selected."""
        if self.editor.dirty:
            self.editor.save()
        entry = self.editor.entry
        if entry is not None:
            self.select(entry.id, load=False)
        if self.one_pane:
            self._show_pane(entry=False)
        self.list.setFocus()

    def show_today(self) -> None:
        """The home panel (today's prompt, what is waiting), the entry shown put away."""
        if self.editor.entry is not None:
            self.editor.load(None)
        self.list.selectionModel().clear()
        self.right.setCurrentWidget(self.home_scroll)
        self.show_entry_view()
        self.back_button.setFocus()

    def _open_index(self, index: QModelIndex) -> None:
        entry = index.data(Role.ENTRY) if index.isValid() else None
        if entry is None:
            return
        if self.editor.entry is None or self.editor.entry.id != entry.id:
            self.open_entry(entry)
        elif self.right.currentWidget() is not self.editor_scroll:
            self.right.setCurrentWidget(self.editor_scroll)
        if self.one_pane:
            self.show_entry_view()
            editor = self.editor
            # The text, or its rendering where only that shows (a finished reflection).
            (editor.body if editor.body.isVisibleTo(editor) else editor.preview).setFocus()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.update_panes()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # a text size, chips, a card
            self._panes_timer.start()
        return False

    # ------------------------------------------------------------ list

    def refresh(self) -> None:
        """Entries changed: refresh the filter choices and tag completion, then the list."""
        if not self.session.is_unlocked:
            return
        self._update_choices()
        self.update_todays_prompt()
        self.update_followup()
        self.update_waiting()
        self.update_asked()
        self.update_cohort()
        self.update_assessment()
        self.update_level_card()
        self.update_on_this_day()
        self.run_search()

    def run_search(self) -> None:
        """Re-run the current search (or list everything) and keep the selection.

        A search lists its first :data:`PAGE` hits; the list asks for more as it is scrolled
        to its end (:meth:`EntryListModel.fetchMore`). Hits are ranked by relevance when few
        entries match, else newest first (:meth:`Journal.search_page`); snippets are cut only
        for the rows painted."""
        if not self.session.is_unlocked:
            return
        text = self.search.text().strip()
        filters = self.filters.filters()
        keep = self.editor.entry.id if self.editor.entry else None
        if text or filters != SearchFilters():
            # Word starts while typing: "daught" already finds "daughter".
            parsed = parse_query(text, word_starts=True)

            def page(offset: int) -> list[tuple[SearchHit, Entry]]:
                found = self.session.read(lambda journal: journal.search_page(
                    parsed, filters, limit=offset + PAGE, snippets=False))
                return found.hits[offset:]

            found = self.session.read(lambda journal: journal.search_page(
                parsed, filters, limit=PAGE, snippets=False))
            self.model.set_hits(found.hits, parsed, found.total, page)
            # Words: best matches first unless too many matched to rank (then say so).
            # Filters alone list newest first, as the whole journal is.
            order = "" if found.ranked or found.total < 2 or not text else " · newest first"
            self.count.setText(
                f"{found.total:,} entr{'y' if found.total == 1 else 'ies'} found{order}")
        else:
            entries = self.session.entries()
            self.model.set_entries(entries)
            self.count.setText(f"{len(entries):,} entr{'y' if len(entries) == 1 else 'ies'}")
        self._update_empty_text(text)
        if keep:
            self.select(keep, load=False)
        self.listed_text = text
        self.listed.emit()

    def set_on_this_day(self, shown: bool, heavy: bool) -> None:
        """The Settings choice: whether "On this day" is shown, and with heavy entries."""
        self.on_this_day_shown, self.on_this_day_heavy = shown, heavy
        self.update_on_this_day()

    def update_on_this_day(self) -> None:
        """Entries of today's date in earlier years, when turned on (never the heavy ones
        unless asked for: :mod:`journal_app.core.practice.onthisday`)."""
        if not self.on_this_day_shown or not self.session.is_unlocked:
            self.memories = []
        else:
            heavy = self.on_this_day_heavy

            def find(journal: Journal) -> list[Memory]:
                library = library_with_custom(load_library(), journal)
                return on_this_day(journal.entries(), date.today(),
                                   Heaviness.of(library, journal.checkins()), heavy)

            self.memories = self.session.read_or(find, list[Memory]())
        self.memories_card.show_memories(self.memories)

    def open_memory(self, entry_id: str) -> None:
        """Open an entry from "On this day", clearing a search that hides it."""
        if not self.select(entry_id):
            self.search.clear()
            self.filter_toggle.setChecked(False)
            self.filters.clear()
            self.run_search()
            self.select(entry_id)
        self.show_entry_view()

    def update_todays_prompt(self) -> None:
        """Choose today's prompt (the same all day; favouring facets not written on lately)."""

        def choose(journal: Journal) -> Prompt | None:
            library = library_with_custom(load_library(), journal)
            today = date.today()
            encounter = next((c.encounter for c in journal.checkins()
                              if c.encounter and c.created.astimezone().date() == today), None)
            return todays_prompt_for(journal, library, today, encounter)

        try:
            self.todays_prompt = self.session.read_or(choose, None)
        except ContentError:
            self.todays_prompt = None
        self.prompt_card.setVisible(self.todays_prompt is not None)
        if self.todays_prompt is not None:
            source = self.todays_prompt.source  # a programme's prompt says whose it is
            self.prompt_text.setText(self.todays_prompt.text
                                     + (f"\n(from {source})" if source else ""))

    def update_followup(self) -> None:
        """Show the oldest difficult encounter due for a follow-up, if any, and offer the depth
        rating its reflection ended without; or, with no follow-up due, a reflection's rating
        alone (free writing, Three Good Things)."""

        def find(journal: Journal) -> tuple[list[CheckIn], list[Reflection]]:
            at = model.now()
            state = journal.app_state()
            entries = journal.entries()
            due = followups_due(journal.checkins(), entries, state, at)
            try:
                no_rating = load_library().unrated_templates()
            except ContentError:
                no_rating = frozenset()
            # The reflections alone (their cached list), not every entry.
            reflections = [r for r in journal.records(Reflection) if r.trashed is None]
            return due, ratings_due(reflections, no_rating, state, at)

        due, unrated = self.session.read_or(find, (list[CheckIn](), list[Reflection]()))
        self.followup = due[0] if due else None
        if self.followup is not None:
            self.rating_due = rating_for(self.followup, unrated)
        else:
            self.rating_due = unrated[0] if unrated else None
        self.followup_card.setVisible(self.followup is not None or self.rating_due is not None)
        self.followup_write.setVisible(self.followup is not None)
        self.followup_rate.setVisible(self.rating_due is not None)
        if self.followup is not None:
            label = ENCOUNTER_LABELS.get(self.followup.encounter or "", "a difficult encounter")
            text = (f"On {self.followup.created:%A %d %B} you noted: {label.lower()}. "
                    f"{' '.join(QUESTIONS)}")
            if self.rating_due is not None:
                text += " If you like, you can also look back at the reflection you wrote."
            self.followup_text.setText(text)
        elif self.rating_due is not None:
            self.followup_text.setText(
                f"On {self.rating_due.created.astimezone():%A %d %B} you wrote "
                f"“{self.rating_due.title}”. If you like, look back at how deep that "
                "writing went.")

    def rate_depth(self) -> None:
        """The depth rating a reflection ended without, a few days on."""
        reflection = self.rating_due
        if reflection is None or not self.session.is_unlocked:
            return
        from journal_app.ui.writing.depth import DepthDialog

        dialog = DepthDialog(self.session, reflection, load_library(), self)
        dialog.exec()
        if dialog.saved is not None:
            self.message.emit("Saved. Thank you for looking back.")
        self.update_followup()

    def update_assessment(self) -> None:
        """Offer the rotation self-assessment or the monthly wellbeing check when due."""

        def due(journal: Journal) -> str | None:
            # Both lists are newest first: the oldest record is the last of one of them.
            lasts = [items[-1].created for items in (journal.entries(), journal.checkins())
                     if items]
            first = min(lasts).date() if lasts else None
            return assessment.to_offer(
                journal.app_state(), journal.records(SelfAssessment), date.today(), first)

        self.assessment_due = self.session.read_or(due, None)
        self.assessment_card.setVisible(self.assessment_due is not None)
        if self.assessment_due == "competency":
            self.assessment_text.setText(
                "Time for your rotation self-assessment: five quick ratings of where you are "
                "with serious illness communication, to see how you grow.")
        elif self.assessment_due == "wellbeing":
            self.assessment_text.setText(
                "Your monthly wellbeing check: four questions about the past month, for you "
                "to watch over time.")

    def update_level_card(self) -> None:
        """Ask for the training stage while it is not set, unless set aside ("Not now")."""
        state = self.session.read_or(lambda journal: journal.app_state(), None)
        self.level_card.setVisible(
            state is not None and state.level is None and not state.level_card_dismissed)

    def choose_level(self, level: str) -> None:
        """A stage chosen on the card: kept, and today's prompt chosen again for it."""
        if not self.session.is_unlocked:
            return

        def saved(_r: object) -> None:
            self.update_level_card()
            self.update_todays_prompt()
            self.message.emit(f"Saved: {LEVEL_LABELS[level]}. Prompts are chosen for it; you "
                              "can change it in Settings.")

        self.level_card.hide()
        self.session.write(lambda journal: set_level(journal, level), saved,
                           changes=Change.APP_STATE)

    def set_level_card_aside(self) -> None:
        if not self.session.is_unlocked:
            return

        def aside(journal: Journal) -> None:
            journal.update_app_state(lambda s: replace(s, level_card_dismissed=True))

        self.level_card.hide()
        self.session.write(aside, lambda _r: self.update_level_card(), changes=Change.APP_STATE)

    def set_assessment_aside(self) -> None:
        due = self.assessment_due
        if due is None or not self.session.is_unlocked:
            return

        def aside(journal: Journal) -> None:
            today = date.today()
            journal.update_app_state(lambda s: assessment.set_aside(s, due, today))

        self.session.write(aside, lambda _r: self.update_assessment(), changes=Change.APP_STATE)

    def update_waiting(self) -> None:
        """Show a reflection put off until later today, while today lasts."""
        at = model.now()
        waiting = self.session.read_or(lambda journal: list(journal.app_state().waiting),
                                       list[WaitingReflection]())
        pending = [w for w in waiting if w.until >= at]
        self.waiting = pending[0] if pending else None
        self.series_due = None
        if self.waiting is None and self.session.is_unlocked and not self._series_set_aside:
            self.series_due = self._series_day_due()
        self.waiting_card.setVisible(self.waiting is not None or self.series_due is not None)
        if self.waiting is not None:
            template_id = self.waiting.template_id
            try:
                title = self.session.read(lambda journal: library_with_custom(
                    load_library(), journal).templates[template_id].title)
            except (ContentError, KeyError):
                title = "A guided reflection"
            self.waiting_text.setText(f"“{title}” is waiting for you, when you are ready.")
        elif self.series_due is not None:
            template_id, day, days = self.series_due
            title = load_library().templates[template_id].title
            self.waiting_text.setText(f"{title}: day {day} of {days}. Tonight's, when you "
                                      "are ready?")

    def update_asked(self) -> None:
        """Offer the reflection the programme's current rotation asks for, marked with the
        programme's name, until one of it is finished during the rotation."""
        def find(journal: Journal) -> tuple[AskedReflection | None, str]:
            asked = asked_reflection(journal, date.today())
            if asked is None:
                return None, ""
            templates = library_with_custom(load_library(), journal).templates
            template = templates.get(asked.template_id)
            rotation = asked.rotation
            done = any(isinstance(e, Reflection) and e.template_id == asked.template_id
                       and not is_unfinished(e)
                       and rotation.start <= e.created.astimezone().date() < rotation.end
                       for e in journal.entries())
            if template is None or done:
                return None, ""
            return asked, template.title

        asked: AskedReflection | None = None
        title = ""
        if self.session.is_unlocked and not self._asked_set_aside:
            try:
                nothing: tuple[AskedReflection | None, str] = (None, "")
                asked, title = self.session.read_or(find, nothing)
            except ContentError:
                asked = None
        self.asked = asked
        self.asked_card.setVisible(asked is not None)
        if asked is not None:
            last = asked.rotation.end.toordinal() - 1
            self.asked_text.setText(
                f"{asked.programme} asks for “{title}” during this rotation"
                f" (until {date.fromordinal(last):%d %B}).")

    def _start_asked(self) -> None:
        if self.asked is not None:
            self.waiting_start.emit(self.asked.template_id, "")

    def _asked_aside(self) -> None:
        self._asked_set_aside = True  # for this session; offered again next time
        self.update_asked()

    def update_cohort(self) -> None:
        """Offer the programme's cohort contribution for a rotation near or just after its
        end, until it is sent or declined (or set aside for this session)."""
        rotation = None
        if self.session.is_unlocked and not self._cohort_set_aside:
            rotation = self.session.read_or(lambda journal: cohort.due(journal), None)
        self.cohort_card.setVisible(rotation is not None)
        if rotation is not None:
            self.cohort_text.setText(
                f"Your programme asks each student for one randomised answer about the"
                f" rotation {rotation.id}, to see how the cohort learns; you see exactly what"
                " would leave before anything does.")

    def _cohort_aside(self) -> None:
        self._cohort_set_aside = True  # for this session
        self.update_cohort()

    def _series_day_due(self) -> tuple[str, int, int] | None:
        try:
            templates = load_library().templates
        except ContentError:
            return None
        # The reflections' kept list (not every entry), those not in the trash.
        reflections = [r for r in self.session.read_or(
            lambda journal: journal.records(Reflection), list[Reflection]())
            if r.trashed is None]
        for template in templates.values():
            if template.series_days:
                day = series_day_due(reflections, template.id, template.series_days,
                                     model.now().date())
                if day is not None:
                    return template.id, day, template.series_days
        return None

    def _start_waiting(self) -> None:
        if self.waiting is not None:
            self.waiting_start.emit(self.waiting.template_id, self.waiting.checkin_id)
        elif self.series_due is not None:
            self.waiting_start.emit(self.series_due[0], "")

    def _drop_waiting_clicked(self) -> None:
        if self.waiting is not None:
            self.drop_waiting(self.waiting.checkin_id)
        elif self.series_due is not None:
            self._series_set_aside = True  # for this session; the series goes on tomorrow
            self.update_waiting()

    def drop_waiting(self, checkin_id: str) -> None:
        if not self.session.is_unlocked:
            return

        def drop(journal: Journal) -> None:
            if any(w.checkin_id == checkin_id for w in journal.app_state().waiting):
                journal.update_app_state(lambda s: replace(s, waiting=tuple(
                    w for w in s.waiting if w.checkin_id != checkin_id)))

        self.session.write(drop, lambda _r: self.update_waiting(), changes=Change.APP_STATE)

    def write_followup(self) -> None:
        checkin = self.followup
        if checkin is None or not self.session.is_unlocked:
            return
        self.new_entry()
        editor = self.editor
        label = ENCOUNTER_LABELS.get(checkin.encounter or "", "a difficult encounter")
        if editor.entry is not None:
            editor.entry = replace(editor.entry, prompt_ids=(FOLLOWUP_PROMPT_ID,),
                                   links=(checkin.id,), encounter=checkin.encounter)
        editor.title.setText(f"A few days on: {label.lower()}")
        editor.body.setPlainText(followup_body(label))
        editor.body.moveCursor(QTextCursor.MoveOperation.End)
        editor.body.setFocus()
        self.followup_card.hide()

    def set_followup_aside(self) -> None:
        """Not now: the follow-up and the rating it offers are set aside for good."""
        aside = [r.id for r in (self.followup, self.rating_due) if r is not None]
        if not aside or not self.session.is_unlocked:
            return

        def dismiss(journal: Journal) -> None:
            journal.update_app_state(
                lambda s: replace(s, dismissed_followups=(*s.dismissed_followups, *aside)))

        self.followup_card.hide()
        self.session.write(dismiss, lambda _r: self.update_followup(), changes=Change.APP_STATE)

    def write_about_prompt(self) -> None:
        """A new entry that answers today's prompt (it quotes the question)."""
        prompt = self.todays_prompt
        if prompt is None or not self.session.is_unlocked:
            return
        self.new_entry()
        editor = self.editor
        if editor.entry is not None:
            editor.entry = replace(editor.entry, prompt_ids=(prompt.id,))
        editor.body.setPlainText(f"> {prompt.text}\n\n")
        editor.body.moveCursor(QTextCursor.MoveOperation.End)
        editor.body.setFocus()

    def _update_choices(self) -> None:
        """The entries changed: the filters' tags and emotions and the tag completions are
        gathered again when next needed (now, if the filters are shown). Gathering walks every
        entry: at 100,000 entries half of the window's own work after an unlock, and again
        after every save."""
        self._choices_stale = True
        if self.filter_toggle.isChecked():
            self._fill_choices()

    def _filters_toggled(self, shown: bool) -> None:
        if shown:
            self._fill_choices()

    def _fill_choices(self) -> None:
        if not self._choices_stale or not self.session.is_unlocked:
            return
        self._choices_stale = False
        entries = self.session.entries()
        tags = sorted({t for e in entries for t in e.tags})
        emotions = sorted({x.name for e in entries for x in e.emotions})
        self.filters.set_choices(tags, emotions)
        self.editor.tags.set_known(tags)

    def _update_empty_text(self, query: str) -> None:
        if self.model.rowCount() == 0 and (query or self.filters.active()):
            self.empty_text.setText("No entries match. Try fewer words, or clear the filters.")
        elif self.model.rowCount() == 0:
            self.empty_text.setText(
                "Your journal is empty.\n\nPress Ctrl+N (or New entry) to write your first "
                "entry. A few honest lines after a hard shift are enough.\n\n"
                "Kept a journal elsewhere? Journal ▸ Import… brings it in."
            )
        else:
            self.empty_text.setText("Choose an entry in the list, or press Ctrl+N to write.")
        if self.editor.entry is None:
            self.right.setCurrentWidget(self.home_scroll)

    def select(self, entry_id: str, load: bool = True) -> bool:
        row = self.model.row_of(entry_id)
        if row < 0:
            return False
        index = self.model.index(row)
        sm = self.list.selectionModel()
        if not load:
            sm.blockSignals(True)
        sm.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        if not load:
            sm.blockSignals(False)
            self.list.viewport().update()
        self.list.scrollTo(index)
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry = current.data(Role.ENTRY) if current.isValid() else None
        if entry is None:
            return
        if self.editor.entry is not None and self.editor.entry.id == entry.id:
            return
        self.open_entry(entry)

    def open_entry(self, entry: Entry) -> None:
        try:
            entry.body  # noqa: B018 - listed from its header: the body is read now (issue 18)
        except JournalError as exc:  # damaged, or changed by another program since listed
            self.message.emit(user_message(exc))
            self.refresh()
            return
        self.editor.load(entry)
        self.right.setCurrentWidget(self.editor_scroll)

    def set_read_only(self, read_only: bool) -> None:
        """Nothing that writes while the journal is read-only (see ui/shell/readonly.py)."""
        self.editor.set_read_only(read_only)
        for button in (self.new_button, self.prompt_button, self.waiting_start_button,
                       self.waiting_drop_button, self.followup_write, self.followup_later,
                       self.assessment_start_button, self.assessment_later_button,
                       self.asked_start_button, self.cohort_see_button):
            button.setEnabled(not read_only)

    def new_entry(self) -> None:
        if not self.session.is_unlocked:
            return
        self.list.selectionModel().clear()  # the current row too: clicking it reopens it
        self.editor.new_entry()
        self.right.setCurrentWidget(self.editor_scroll)
        self.show_entry_view()
        self.editor.body.setFocus()

    def _entry_saved(self, entry: Entry) -> None:
        self._choices_stale = True  # its tags may be new: gathered again when next needed
        if self.model.row_of(entry.id) >= 0:
            self.model.replace_entry(entry)
        else:
            self.refresh()  # selects the entry if the editor still shows it (not one left)

    def current_entry(self) -> Entry | None:
        return self.editor.entry

    def focus_search(self) -> None:
        if self.one_pane:
            self.show_list()
        self.search.setFocus()
        self.search.selectAll()

    def clear(self) -> None:
        """Drop everything shown (on lock)."""
        self.memories = []
        self.memories_card.show_memories([])
        self.editor.load(None)
        self.model.clear()
        self.search.clear()
        self.filters.clear()
        self.filters.set_choices([], [])
        self.editor.tags.set_known([])
        self._choices_stale = True
        self.count.setText("")
        self.todays_prompt = None
        self.prompt_text.clear()
        self.followup = None
        self.rating_due = None
        self.followup_text.clear()
        self.followup_card.hide()  # shown again by refresh() when one is due after unlocking
        self.waiting = None
        self.waiting_text.clear()
        self.asked = None
        self.asked_text.clear()
        self.asked_card.hide()
        self.cohort_text.clear()
        self.cohort_card.hide()
        self.right.setCurrentWidget(self.home_scroll)
        if self.one_pane:
            self._show_pane(entry=False)  # the list first, after unlocking again

    def tag_filter(self, tag: str) -> None:
        self.filter_toggle.setChecked(True)
        idx = self.filters.tag.findData(normalise_label(tag))
        if idx >= 0:
            self.filters.tag.setCurrentIndex(idx)
