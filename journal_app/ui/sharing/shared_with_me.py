"""Sharing ▸ Shared with me: what students shared, and the mentor's feedback on each excerpt.

On the left, received excerpts by student, then by the day they were shared (newest first),
in the order the student put them. On the right, the excerpt as sanitised Markdown with the
student's note and question, the feedback already sent on it, and a feedback editor: a
comment, a reply to the question, an optional depth of reflection (Wald's REFLECT levels,
with the plain words the student will read), and "Send feedback…", which writes a feedback
package encrypted to the student's card.

What the mentor types is kept in memory per excerpt while the window is open (switching
excerpts does not lose it), never on disk until it is sent. The window is dropped on lock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QStyle,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journal_app.core import practice, sharing
from journal_app.core.content import ContentError
from journal_app.core.markup import render_markdown
from journal_app.core.records import (
    CommentPhrase,
    Feedback,
    ReadReceipt,
    ReceivedExcerpt,
    ReceivedPackage,
    now,
)
from journal_app.core.vault import Journal
from journal_app.core.vocabulary import ENCOUNTER_LABELS
from journal_app.ui.markdown_view import SafeTextBrowser
from journal_app.ui.session import Change, JournalSession
from journal_app.ui.sharing.common import (
    PACKAGE_FILTER,
    PACKAGE_SUFFIX,
    day_text,
    default_folder,
    depth_level,
    depth_levels,
    escape,
    package_file_name,
    plural,
    when_text,
    with_suffix,
)
from journal_app.ui.theme import colors
from journal_app.ui.widgets import (
    Columns,
    FitCombo,
    FlowLayout,
    busy_bar,
    error_label,
    heading,
    muted,
    primary_button,
    show_error,
)

ROLE_EXCERPT = Qt.ItemDataRole.UserRole + 1
#: The inbox list is never narrower than this, and makes room for names up to NAME_CHARS.
MIN_LIST_WIDTH = 240
NAME_CHARS = 28
NO_DEPTH = ""


class FeedbackEditor(QWidget):
    """Comment, reply, depth and "Send feedback…" for one excerpt.

    Signals:
        send_requested(): the user pressed "Send feedback…" with something to send.
    """

    send_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(6)
        self.title = QLabel("<b>Your feedback</b>")
        self.title.setWordWrap(True)
        self.title.setAccessibleName("Feedback for")
        layout.addWidget(self.title)
        self.comment = QPlainTextEdit()
        self.comment.setAccessibleName("Your comments")
        self.comment.setPlaceholderText(
            "What stood out to you? What did they handle well, and what might they look at "
            "next? Markdown works.")
        self.comment.setTabChangesFocus(True)
        self.comment.setMinimumHeight(80)
        layout.addWidget(self.comment, 2)
        self.reply_label = QLabel("Your reply to their question")
        self.reply_label.setWordWrap(True)
        layout.addWidget(self.reply_label)
        self.reply = QPlainTextEdit()
        self.reply.setAccessibleName("Your reply to their question")
        self.reply.setPlaceholderText("Answer what they asked")
        self.reply.setTabChangesFocus(True)
        self.reply.setMinimumHeight(56)
        layout.addWidget(self.reply, 1)

        depth_label = QLabel("Depth of reflection <span style='color:gray'>(optional, "
                             "Wald's REFLECT levels)</span>")
        depth_label.setWordWrap(True)
        layout.addWidget(depth_label)
        levels = QWidget()  # a widget of its own: the layout above gives it its lines' height
        row = FlowLayout(levels)  # on more lines where narrow
        self.depth_group = QButtonGroup(self)
        self.depth_buttons: dict[str, QRadioButton] = {}
        self.levels = depth_levels()
        for level_id, text, tip in [(NO_DEPTH, "No rating", "Send no rating"), *(
                (lv.id, lv.wald, f"{lv.label}: {lv.explanation}") for lv in self.levels)]:
            button = QRadioButton(text)
            button.setToolTip(tip)
            button.setAccessibleName(f"Depth: {text}")
            self.depth_group.addButton(button)
            self.depth_buttons[level_id] = button
            row.addWidget(button)
        layout.addWidget(levels)
        self.depth_explained = muted("")
        self.depth_explained.setAccessibleName("What the depth means")
        #: Two lines at least, so choosing a level does not move what is below.
        self._two_lines = self.depth_explained.sizeHint().height() * 2
        self.depth_explained.setMinimumHeight(self._two_lines)
        layout.addWidget(self.depth_explained)
        self.depth_buttons[NO_DEPTH].setChecked(True)

        # REFLECT's criteria as questions to ask, and the mentor's own phrases: each inserts
        # its words where the cursor is in the comment.
        helpers = QWidget()
        helper_row = FlowLayout(helpers)
        self.questions_button = QToolButton()
        self.questions_button.setText("Questions to ask")
        self.questions_button.setAccessibleName("Questions to ask, by REFLECT criterion")
        self.questions_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.questions_menu = QMenu(self.questions_button)
        self.questions_button.setMenu(self.questions_menu)
        self._fill_questions()
        helper_row.addWidget(self.questions_button)
        self.phrases_button = QToolButton()
        self.phrases_button.setText("My phrases")
        self.phrases_button.setAccessibleName("My phrases (your comment bank)")
        self.phrases_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.phrases_menu = QMenu(self.phrases_button)
        self.phrases_button.setMenu(self.phrases_menu)
        helper_row.addWidget(self.phrases_button)
        self.notes_button = QToolButton()
        self.notes_button.setText("Notes on this student…")
        self.notes_button.setAccessibleName("Your private notes and meetings with this student")
        helper_row.addWidget(self.notes_button)
        self.receipt_button = QToolButton()
        self.receipt_button.setText("Let them know I've read it…")
        self.receipt_button.setAccessibleName("Let the student know you read their excerpts")
        self.receipt_button.setToolTip(
            "Opening an excerpt tells the student nothing. This saves a small signed file for"
            " them saying which of their excerpts you have read, and when (none of their"
            " text): send it as you send feedback. Feedback tells them too.")
        helper_row.addWidget(self.receipt_button)
        self.signoff_button = QToolButton()
        self.signoff_button.setText("Sign off…")
        self.signoff_button.setAccessibleName("Sign an attestation for this student")
        self.signoff_button.setToolTip(
            "Sign an attestation of the reflections you reviewed with this student between two"
            " days, and the facets of competency 4 they showed")
        helper_row.addWidget(self.signoff_button)
        self.handout_button = QToolButton()
        self.handout_button.setText("Make a handout…")
        self.handout_button.setAccessibleName("Make a handout of this excerpt for a reflection"
                                              " round")
        helper_row.addWidget(self.handout_button)
        layout.addWidget(helpers)
        #: Set by the window: the phrases (read), keeping one and removing one (writes).
        self.phrase_source: Callable[[], list[CommentPhrase]] = list
        self.keep_phrase: Callable[[str], None] = lambda _text: None
        self.drop_phrase: Callable[[str], None] = lambda _id: None
        self.phrases_menu.aboutToShow.connect(self._fill_phrases)

        self.note = muted("")
        self.note.setAccessibleName("Where the feedback goes")
        layout.addWidget(self.note)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        self.send_button = primary_button("Send feedback…")
        self.send_button.setAutoDefault(False)
        bottom.addWidget(self.send_button)
        layout.addLayout(bottom)
        self.busy = busy_bar()
        layout.addWidget(self.busy)
        self.error = error_label()
        layout.addWidget(self.error)
        self.result = muted("")
        self.result.setAccessibleName("Result")
        layout.addWidget(self.result)

        self.comment.textChanged.connect(self._update)
        self.reply.textChanged.connect(self._update)
        self.depth_group.buttonToggled.connect(lambda *_a: self._update())
        self.send_button.clicked.connect(self._send)
        self._update()

    def _fill_questions(self) -> None:
        try:
            criteria, credit = sharing.reflect_criteria()
        except ContentError:
            self.questions_button.hide()
            return
        for criterion in criteria:
            sub = self.questions_menu.addMenu(criterion.name)
            sub.setToolTipsVisible(True)
            sub.setToolTip(criterion.looks_for)
            for question in criterion.questions:
                action = sub.addAction(question)
                action.triggered.connect(lambda _c=False, q=question: self.insert(q))
        self.questions_menu.addSeparator()
        about = self.questions_menu.addAction(credit)
        about.setEnabled(False)

    def _fill_phrases(self) -> None:
        menu = self.phrases_menu
        menu.clear()
        found = self.phrase_source()
        for phrase in found:
            label = phrase.text if len(phrase.text) <= 60 else phrase.text[:59] + "…"
            action = menu.addAction(label.replace("&", "&&"))
            action.setToolTip(phrase.text)
            action.triggered.connect(lambda _c=False, t=phrase.text: self.insert(t))
        if not found:
            empty = menu.addAction("No phrases yet: select words in your comment to keep them")
            empty.setEnabled(False)
        menu.addSeparator()
        selected = self.comment.textCursor().selectedText().replace("\u2029", "\n").strip()
        keep = menu.addAction("Keep the selected words as a phrase")
        keep.setEnabled(bool(selected))
        keep.triggered.connect(lambda _c=False: self.keep_phrase(selected))
        if found:
            remove = menu.addMenu("Remove a phrase")
            for phrase in found:
                label = phrase.text if len(phrase.text) <= 60 else phrase.text[:59] + "…"
                action = remove.addAction(label.replace("&", "&&"))
                action.triggered.connect(lambda _c=False, i=phrase.id: self.drop_phrase(i))

    def insert(self, text: str) -> None:
        """Put ``text`` where the cursor is in the comment (a space before it if needed)."""
        cursor = self.comment.textCursor()
        before = self.comment.toPlainText()[:cursor.position()]
        cursor.insertText((" " if before and not before[-1].isspace() else "") + text)
        self.comment.setTextCursor(cursor)
        self.comment.setFocus()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Wrapped sentences keep the height of their lines at this width (a layout of a
        scrolling dialog would otherwise squeeze them at a large text size)."""
        super().resizeEvent(event)
        for label, least in ((self.note, 0), (self.depth_explained, self._two_lines)):
            wanted = max(least, label.heightForWidth(event.size().width()))
            if wanted > 0 and label.minimumHeight() != wanted:
                label.setMinimumHeight(wanted)

    def chosen_depth(self) -> str | None:
        chosen = next((k for k, b in self.depth_buttons.items() if b.isChecked()), NO_DEPTH)
        return chosen or None

    def set_depth(self, level_id: str | None) -> None:
        self.depth_buttons[level_id or NO_DEPTH].setChecked(True)

    def has_content(self) -> bool:
        return bool(self.comment.toPlainText().strip() or self.reply.toPlainText().strip()
                    or self.chosen_depth())

    def clear(self) -> None:
        self.comment.clear()
        self.reply.clear()
        self.set_depth(None)

    def _update(self) -> None:
        level = next((lv for lv in self.levels if lv.id == self.chosen_depth()), None)
        if level is None:
            self.depth_explained.setText(
                "A rating is optional. Hover over a level to see what it means.")
        else:
            self.depth_explained.setText(
                f"{level.wald}. The student will read: “{level.label}: {level.explanation}”")
        self.send_button.setEnabled(self.has_content() and self.busy.isHidden())

    def _send(self) -> None:
        if self.has_content():
            self.send_requested.emit()


class SharedWithMeWindow(QDialog):
    """Received excerpts and the feedback editor (a window of its own, dropped on lock).

    Signals:
        feedback_saved(str): a plain sentence after a feedback package was written.
    """

    feedback_saved = Signal(str)

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Shared with me")
        self.resize(1180, 800)
        self._drafts: dict[str, tuple[str, str, str | None]] = {}
        self._current: ReceivedExcerpt | None = None
        self._packages: dict[str, ReceivedPackage] = {}
        self._items: list[sharing.InboxItem] = []
        #: The notes and sign-off dialogs while they are open.
        self.notes_dialog: QDialog | None = None
        self.signoff_dialog: QDialog | None = None
        #: The handout's review while it is open (tests drive it).
        self.handout_keep: list[QDialog | None] = [None]
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Shared with me"))
        self.summary = muted("")
        self.summary.setAccessibleName("Inbox summary")
        layout.addWidget(self.summary)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)

        inbox = QWidget()
        inbox_layout = QVBoxLayout(inbox)
        inbox_layout.setContentsMargins(0, 0, 0, 0)
        filters = FlowLayout()  # on two lines where narrow
        self.student_filter = FitCombo()
        self.student_filter.addItem("All students", None)
        self.student_filter.setAccessibleName("Show the excerpts of")
        self.encounter_filter = FitCombo()
        self.encounter_filter.addItem("All encounters", None)
        self.encounter_filter.setAccessibleName("Show the encounters of kind")
        self.status_filter = FitCombo()
        self.status_filter.setAccessibleName("Show the excerpts that are")
        for label, value in (("New, read and answered", None), ("New", "new"),
                             ("Read", "read"), ("Answered", "answered")):
            self.status_filter.addItem(label, value)
        for combo in (self.student_filter, self.encounter_filter, self.status_filter):
            combo.currentIndexChanged.connect(lambda _i: self._fill())
            filters.addWidget(combo)
        inbox_layout.addLayout(filters)
        self.no_match = muted("Nothing in your inbox matches these choices.")
        self.no_match.hide()
        inbox_layout.addWidget(self.no_match)

        # The list beside the excerpt where both fit, above it where not (a layout, not a
        # splitter: the editor's wrapped sentences then get the height of their lines).
        left_layout = QVBoxLayout()
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Student", "Status"])
        self.tree.headerItem().setToolTip(0, "The student, and under the name the excerpt's title")
        self.tree.setAccessibleName("Inbox: what students shared with you, what waits first")
        self.tree.setUniformRowHeights(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setMinimumWidth(MIN_LIST_WIDTH)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        left_layout.addWidget(self.tree)
        # The excerpt above the editor, in a layout (not a splitter): the editor's rows of
        # depth levels take more lines where narrow, and a layout gives them the height.
        right_layout = QVBoxLayout()
        self.reader = SafeTextBrowser()
        self.reader.setAccessibleName("The excerpt")
        self.reader.setMinimumHeight(160)
        right_layout.addWidget(self.reader, 3)
        self.editor = FeedbackEditor()
        right_layout.addWidget(self.editor, 2)
        inbox_layout.addWidget(Columns(left_layout, right_layout, (2, 3), spacing=10), 1)
        self.stack.addWidget(inbox)
        empty = QWidget()
        el = QVBoxLayout(empty)
        el.addStretch(1)
        self.empty_text = muted(
            "Nothing was shared with you yet.\n\nWhen a student sends you a share package, open "
            "it with Sharing ▸ Open a share package…: their excerpts appear here, to read and "
            "answer.")
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        el.addWidget(self.empty_text)
        el.addStretch(2)
        self.stack.addWidget(empty)

        row = QHBoxLayout()
        row.addStretch(1)
        self.close_button = QPushButton("Close")
        self.close_button.setAutoDefault(False)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.close_button.clicked.connect(self.close)
        self.tree.currentItemChanged.connect(lambda cur, _prev: self._select(cur, chosen=True))
        self.tree.itemClicked.connect(lambda item, _column: self._clicked(item))
        self.editor.send_requested.connect(self.send_feedback)
        self.editor.phrase_source = lambda: self.session.read_or(
            sharing.phrases, list[CommentPhrase]())
        self.editor.keep_phrase = self._keep_phrase
        self.editor.notes_button.clicked.connect(self.show_notes)
        self.editor.receipt_button.clicked.connect(self.send_receipt)
        self.editor.signoff_button.clicked.connect(self.sign_off)
        self.editor.handout_button.clicked.connect(self.make_handout)
        self.editor.drop_phrase = self._drop_phrase
        self.refresh()

    # ------------------------------------------------------------ the list

    def refresh(self, select: str | None = None) -> None:
        """Fill the inbox again (after a package was received or feedback sent)."""
        keep = select or (self._current.id if self._current is not None else None)
        self._keep_draft()
        today = now().date()
        items, packages = self.session.read_or(
            lambda journal: (sharing.inbox_items(journal, today),
                             journal.records(ReceivedPackage)),
            (list[sharing.InboxItem](), list[ReceivedPackage]()))
        self._packages = {p.package_id: p for p in packages}
        self._items = items
        self._fill_filters(items)
        self._fill(keep)

    def _fill_filters(self, items: list[sharing.InboxItem]) -> None:
        """The student and encounter choices of what is in the inbox (kept when still there)."""
        students: dict[str, str] = {}
        encounters: set[str] = set()
        for item in items:
            students.setdefault(item.excerpt.sender_fingerprint, item.excerpt.sender_name)
            if item.excerpt.encounter:
                encounters.add(item.excerpt.encounter)
        for combo, choices in (
                (self.student_filter, sorted(students.items(), key=lambda kv: kv[1].casefold())),
                (self.encounter_filter, sorted(
                    ((e, ENCOUNTER_LABELS.get(e, e)) for e in encounters),
                    key=lambda kv: kv[1]))):
            kept = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value, label in choices:
                combo.addItem(label, value)
            index = combo.findData(kept) if kept else 0
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)

    def _fill(self, keep: str | None = None) -> None:
        """The inbox's rows under the chosen filters: what still waits first, oldest first."""
        keep = keep or (self._current.id if self._current is not None else None)
        shown = sharing.filter_inbox(self._items, student=self.student_filter.currentData(),
                                     encounter=self.encounter_filter.currentData(),
                                     status=self.status_filter.currentData())
        self.tree.blockSignals(True)
        self.tree.clear()
        target: QTreeWidgetItem | None = None
        for entry in shown:
            excerpt = entry.excerpt
            year = f" · {excerpt.year}" if excerpt.year else ""
            title = f"{excerpt.title or _first_line(excerpt.text)}{year}"
            # Two lines: the student's name on its own, so a narrow list never cuts it.
            row = QTreeWidgetItem([f"{excerpt.sender_name}\n{title}", status_text(entry)])
            row.setData(0, ROLE_EXCERPT, excerpt)
            received = excerpt.received.date()
            row.setToolTip(0, f"{title}\nFrom {excerpt.sender_name} (fingerprint "
                              f"{excerpt.sender_fingerprint}), received {day_text(received)}")
            row.setToolTip(1, STATUS_TIPS[entry.status])
            if entry.status == "new":
                for column in (0, 1):
                    font = row.font(column)
                    font.setBold(True)
                    row.setFont(column, font)
            elif entry.status == "answered":
                row.setForeground(1, _muted_brush())
            self.tree.addTopLevelItem(row)
            if excerpt.id == keep:
                target = row
        self.tree.blockSignals(False)
        self._fit_names(shown)
        waiting = sum(1 for i in self._items if i.waiting)
        self.summary.setText(
            f"{plural(waiting, 'excerpt')} waiting, {len(self._items) - waiting} answered"
            if self._items else "")
        self.stack.setCurrentIndex(0 if self._items else 1)
        self.no_match.setVisible(bool(self._items) and not shown)
        chosen = target or self.tree.topLevelItem(0)
        self._current = None
        if chosen is not None:
            self.tree.blockSignals(True)  # shown, not chosen by the mentor: not marked read
            self.tree.setCurrentItem(chosen)
            self.tree.blockSignals(False)
            self._select(chosen)
        else:
            self.reader.clear()

    def _fit_names(self, shown: list[sharing.InboxItem]) -> None:
        """The list is at least wide enough for every student's whole name beside the status
        (in bold, as a new excerpt's row is): a name is never cut at 800 px or at a large text
        size. Only a name longer than ``NAME_CHARS`` average characters is elided (its row's
        tooltip has it)."""
        font = QFont(self.tree.font())
        font.setBold(True)
        metrics = QFontMetrics(font)
        cap = metrics.averageCharWidth() * NAME_CHARS
        name = min(cap, max((metrics.horizontalAdvance(i.excerpt.sender_name) for i in shown),
                            default=0))
        # The status column as the view sizes it (its margins included), in bold too.
        status = max(self.tree.sizeHintForColumn(1), max(
            (metrics.horizontalAdvance(line) for i in shown
             for line in status_text(i).splitlines()), default=0))
        style = self.tree.style()
        margin = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None,
                                        self.tree) + 1)
        chrome = (2 * self.tree.frameWidth()
                  + style.pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self.tree)
                  + 2 * margin + metrics.averageCharWidth())
        self.tree.setMinimumWidth(max(MIN_LIST_WIDTH, name + status + chrome))
        # Where the list stands above the excerpt (narrow, large text), three rows show.
        row = self.tree.sizeHintForRow(0) if shown else 0
        if row > 0:
            self.tree.setMinimumHeight(self.tree.header().sizeHint().height() + 3 * row
                                       + 2 * self.tree.frameWidth() + 8)

    def _select(self, item: QTreeWidgetItem | None, chosen: bool = False) -> None:
        """Show the excerpt of ``item``; ``chosen``: the mentor chose it (click, keys), which
        marks it read (the one shown on opening the window is not marked by itself)."""
        excerpt = item.data(0, ROLE_EXCERPT) if item is not None else None
        if item is None or not isinstance(excerpt, ReceivedExcerpt):
            return
        self._keep_draft()
        self._current = excerpt
        self._show(excerpt)
        if chosen:
            self._mark_read(item, excerpt)
        comment, reply, depth = self._drafts.get(excerpt.id, ("", "", None))
        self.editor.comment.setPlainText(comment)
        self.editor.reply.setPlainText(reply)
        self.editor.set_depth(depth)
        show_error(self.editor.error, "")
        self.editor.result.clear()

    def show_notes(self) -> None:
        """The private notes and meetings on the student of the excerpt shown."""
        excerpt = self._current
        if excerpt is None or not self.session.is_unlocked:
            return
        from journal_app.ui.sharing.notes_dialog import StudentNotesDialog

        dialog = StudentNotesDialog(self.session, excerpt.sender_name,
                                    excerpt.sender_fingerprint, self)
        self.notes_dialog = dialog
        try:
            dialog.exec()
        finally:
            self.notes_dialog = None
            dialog.deleteLater()

    def make_handout(self) -> None:
        """A reflection-round handout of the excerpt shown, if the student agreed to one in
        their package: the same review as a share, then a PDF without name or date."""
        excerpt = self._current
        if excerpt is None or not excerpt.handout or not self.session.is_unlocked:
            return
        from journal_app.ui.sharing.handout import make_handout

        out = make_handout(self, self.session, excerpt.title, excerpt.text,
                           self.handout_keep)
        if out is not None:
            text = (f"Saved {out.name}: a handout of {excerpt.sender_name}'s excerpt, which they"
                    " agreed to; no name or date is printed. Print it for the session, then"
                    " delete the file (it is not encrypted).")
            self.editor.result.setText(text)
            self.feedback_saved.emit(text)

    def sign_off(self) -> None:
        """Sign an attestation for the student of the excerpt shown (issue 24)."""
        excerpt = self._current
        if excerpt is None or not self.session.is_unlocked:
            return
        from journal_app.ui.sharing.signoff_dialog import SignOffDialog

        dialog = SignOffDialog(self.session, excerpt.sender_name, excerpt.sender_fingerprint,
                               self)
        self.signoff_dialog = dialog
        try:
            dialog.exec()
        finally:
            self.signoff_dialog = None
            dialog.deleteLater()

    # ------------------------------------------------------------ read receipts

    def receipt_excerpts(self) -> list[ReceivedExcerpt]:
        """What a read receipt for the student of the excerpt shown names: that excerpt, and
        their other excerpts already opened, still waiting, that no receipt named yet."""
        excerpt = self._current
        if excerpt is None:
            return []
        told = self.session.read_or(sharing.receipts_sent, set[str]())
        others = [i.excerpt for i in self._items
                  if i.excerpt.sender_fingerprint == excerpt.sender_fingerprint
                  and i.status == "read" and i.excerpt.id != excerpt.id
                  and i.excerpt.id not in told]
        return [excerpt, *others]

    def send_receipt(self) -> None:
        """Let them know I've read it…: a read receipt for the student, saved where the
        mentor chooses (sent as feedback is). Nothing is sent by opening an excerpt."""
        excerpt = self._current
        if not self.session.is_unlocked or excerpt is None:
            return
        if self.session.read_or(sharing.identity, None) is None:
            self._make_card(self._receipt)
        else:
            self._receipt()

    def _receipt(self) -> None:
        excerpts = self.receipt_excerpts()
        if not excerpts or not self.session.is_unlocked:
            return
        name = excerpts[0].sender_name
        suggested = default_folder() / package_file_name("read-receipt")
        path, _filter = QFileDialog.getSaveFileName(
            self, f"Save the read receipt for {name} ({plural(len(excerpts), 'excerpt')})",
            str(suggested), PACKAGE_FILTER)
        if not path:
            return
        out = with_suffix(path, PACKAGE_SUFFIX)
        ids = [e.id for e in excerpts]
        show_error(self.editor.error, "")
        self.editor.busy.show()

        def done(written: list[ReadReceipt]) -> None:
            self.editor.busy.hide()
            self.refresh()
            text = (f"Saved {out.name}: it tells {name} you read "
                    f"{plural(len(written), 'excerpt')} of theirs, and when (none of their text"
                    " is in it). Send it as you send feedback; only they can open it.")
            self.editor.result.setText(text)
            self.feedback_saved.emit(text)

        def failed(message: str) -> None:
            self.editor.busy.hide()
            show_error(self.editor.error, message)

        self.session.write(lambda journal: sharing.write_receipt(journal, ids, out), done,
                           failed, changes=Change.RECORDS)

    def _keep_phrase(self, text: str) -> None:
        if text and self.session.is_unlocked:
            self.session.write(lambda journal: sharing.add_phrase(journal, text),
                               lambda _p: self.editor.result.setText("Kept in your phrases."),
                               lambda message: show_error(self.editor.error, message),
                               changes=Change.RECORDS)

    def _drop_phrase(self, phrase_id: str) -> None:
        if self.session.is_unlocked:
            self.session.write(lambda journal: sharing.remove_phrase(journal, phrase_id),
                               lambda _n: self.editor.result.setText(
                                   "Removed from your phrases."),
                               lambda message: show_error(self.editor.error, message),
                               changes=Change.RECORDS)

    def _clicked(self, item: QTreeWidgetItem) -> None:
        """A click on the excerpt already shown (the first, on opening) marks it read too."""
        excerpt = item.data(0, ROLE_EXCERPT)
        if isinstance(excerpt, ReceivedExcerpt):
            self._mark_read(item, excerpt)

    def _mark_read(self, item: QTreeWidgetItem, excerpt: ReceivedExcerpt) -> None:
        """An excerpt opened is read: marked in the vault (in the worker), and on its row."""
        entry = next((i for i in self._items if i.excerpt.id == excerpt.id), None)
        if entry is None or entry.status != "new" or not self.session.is_unlocked:
            return
        self._items = [replace(i, status="read") if i is entry else i for i in self._items]
        read = next(i for i in self._items if i.excerpt.id == excerpt.id)
        item.setText(1, status_text(read))
        item.setToolTip(1, STATUS_TIPS["read"])
        for column in (0, 1):
            font = item.font(column)
            font.setBold(False)
            item.setFont(column, font)
        self.session.write(lambda journal: sharing.mark_read(journal, [excerpt.id]),
                           lambda _n: None, lambda message: show_error(self.editor.error,
                                                                       message),
                           changes=Change.RECORDS)

    def _keep_draft(self) -> None:
        if self._current is not None:
            self._drafts[self._current.id] = (self.editor.comment.toPlainText(),
                                              self.editor.reply.toPlainText(),
                                              self.editor.chosen_depth())

    def current_excerpt(self) -> ReceivedExcerpt | None:
        return self._current

    def _show(self, excerpt: ReceivedExcerpt) -> None:
        c = colors()
        package = self._packages.get(excerpt.package_id)
        meta = [f"from {escape(excerpt.sender_name)}", f"shared {day_text(excerpt.sent_on)}"]
        if excerpt.year:
            meta.append(f"written in {excerpt.year}")
        if excerpt.encounter:
            meta.append(escape(ENCOUNTER_LABELS.get(excerpt.encounter, "").lower()))
        html = [f"<h2>{escape(excerpt.title or 'Untitled')}</h2>",
                f"<p style='color:{c.muted}'>{' · '.join(m for m in meta if m)}</p>"]
        if package is not None and (package.note or package.question):
            box = []
            if package.note:
                box.append(f"<p><b>Their note</b><br>{escape(package.note)}</p>")
            if package.question:
                box.append(f"<p><b>Their question</b><br>{escape(package.question)}</p>")
            html.append(
                f"<table width='100%' cellpadding='8' style='background:{c.chip};"
                f" color:{c.chip_text}'><tr><td>{''.join(box)}</td></tr></table>")
        if practice.text_is_severe(f"{excerpt.title}\n{excerpt.text}"):
            html.append(self._risk_html())
        html.append(render_markdown(excerpt.text))
        written = self.session.read_or(lambda journal: sharing.feedback(journal, "written"),
                                       list[Feedback]())
        mine = [f for f in written if f.excerpt_id == excerpt.excerpt_id
                and f.share_package_id == excerpt.package_id]
        for item in reversed(mine):
            html.append(_sent_html(item, c.muted))
        self.reader.setHtml("".join(html))
        has_question = package is not None and bool(package.question)
        self.editor.reply_label.setVisible(has_question)
        self.editor.reply.setVisible(has_question)
        self.editor.handout_button.setEnabled(excerpt.handout)
        self.editor.handout_button.setToolTip(
            f"{excerpt.sender_name} agreed to a de-identified handout of this excerpt for a"
            " small-group session (Balint group, Schwartz Rounds): the same review as a share,"
            " printed without name or date" if excerpt.handout else
            f"{excerpt.sender_name} did not agree to a handout of this excerpt when they"
            " shared it")
        self.editor.title.setText(f"<b>Your feedback to {escape(excerpt.sender_name)}</b>")
        self.editor.note.setText(
            f"Saved as a file only {excerpt.sender_name} can open. "
            f"{sharing.CANNOT_RECALL}")

    def _risk_html(self) -> str:
        """The programme's guidance and support lines, offered beside an excerpt that uses the
        words of distress of "Help is always one step away" (the same phrases as the
        student's own support panel)."""
        from journal_app.ui.uisettings import UiSettings

        terms = self.session.read_or(practice.sharing_terms, practice.DEFAULT_TERMS)
        none: tuple[str, tuple[practice.SupportResource, ...]] = ("", ())
        name, lines = self.session.read_or(practice.programme_support, none)
        country = UiSettings().support_country or practice.system_country()
        shipped = practice.support_list().for_country(country)
        rows = "".join(
            f"<li><b>{escape(r.name)}</b>: {escape(r.contact)}"
            f"{' (' + escape(name) + ')' if r in lines else ''}</li>"
            for r in (*lines, *shipped)[:6])
        whose = (f"{escape(terms.source)}'s guidance" if terms.source
                 else "Guidance (a plain default: your programme gave none)")
        return (
            "<table width='100%' cellpadding='8' style='border:2px solid #b45309'><tr><td>"
            "<p><b>This excerpt uses words of distress.</b></p>"
            f"<p><b>{whose}:</b> {escape(terms.risk_guidance)}</p>"
            f"<p>{escape(practice.crisis_sentence(country))}</p>"
            f"<ul>{rows}</ul></td></tr></table>")

    # ------------------------------------------------------------ sending

    def send_feedback(self) -> None:
        excerpt = self._current
        if not self.session.is_unlocked or excerpt is None or not self.editor.has_content():
            return
        if self.session.read_or(sharing.identity, None) is None:
            self._make_card(lambda: self._send(excerpt))
        else:
            self._send(excerpt)

    def other_drafts(self, excerpt: ReceivedExcerpt) -> list[ReceivedExcerpt]:
        """The student's other excerpts with feedback typed and not sent yet (in the inbox's
        order): offered to go in the same package."""
        return [i.excerpt for i in self._items
                if i.excerpt.sender_fingerprint == excerpt.sender_fingerprint
                and i.excerpt.id != excerpt.id and _has_content(self._drafts.get(i.excerpt.id))]

    def _send(self, excerpt: ReceivedExcerpt) -> None:
        """Ask where to save the feedback package, then write it (in the worker). Feedback
        typed on the student's other excerpts can go in the same package (asked)."""
        if not self.session.is_unlocked:
            return
        self._keep_draft()
        chosen = [excerpt]
        others = self.other_drafts(excerpt)
        if others:
            answer = QMessageBox.question(
                self, "Send your other feedback too?",
                f"You also wrote feedback on {plural(len(others), 'other excerpt')} of"
                f" {excerpt.sender_name}'s. Send it in the same package?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes)
            if answer == QMessageBox.StandardButton.Yes:
                chosen += others
        suggested = default_folder() / package_file_name("feedback")
        path, _filter = QFileDialog.getSaveFileName(self, "Save the feedback package",
                                                    str(suggested), PACKAGE_FILTER)
        if not path:
            return
        out = with_suffix(path, PACKAGE_SUFFIX)
        parts = []
        for item in chosen:
            comment, reply, depth = self._drafts.get(item.id, ("", "", None))
            package = self._packages.get(item.package_id)
            asked = package is not None and bool(package.question)
            parts.append(sharing.FeedbackPart(item.id, comment.strip(),
                                              reply.strip() if asked else "", depth))
        self.editor.busy.show()
        self.editor.send_button.setEnabled(False)
        show_error(self.editor.error, "")

        def work(journal: Journal) -> list[Feedback]:  # the package, and its records
            return sharing.write_feedback_package(journal, parts, out)

        self.session.write(work, lambda written: self._sent(written, out, chosen),
                           self._failed, changes=Change.RECORDS)

    def _make_card(self, then: Callable[[], None]) -> None:
        """A mentor who opened a passphrase-locked package may have no card yet: feedback is
        signed with it, so it is made now (the name is asked once, the card is made in the
        worker), then ``then()``."""
        name, ok = QInputDialog.getText(
            self, "Your card",
            "Your feedback is signed with your card, so the student can check it is from "
            "you.\nYour name, as your students know you:", QLineEdit.EchoMode.Normal)
        if not ok or not name.strip():
            return
        name = " ".join(name.split())
        self.editor.send_button.setEnabled(False)  # until the card is made

        def failed(message: str) -> None:
            self.editor._update()
            show_error(self.editor.error, message)

        self.session.write(lambda journal: sharing.ensure_identity(journal, name, "mentor"),
                           lambda _identity: then(), failed, changes=Change.RECORDS)

    def _sent(self, written: list[Feedback], out: Path,
              excerpts: list[ReceivedExcerpt]) -> None:
        self.editor.busy.hide()
        for excerpt in excerpts:
            self._drafts.pop(excerpt.id, None)
        if self._current is not None and self._current.id in {e.id for e in excerpts}:
            self.editor.clear()
        self.refresh(select=excerpts[0].id)
        on = "" if len(written) == 1 else f" (feedback on {len(written)} excerpts)"
        text = (f"Saved {out.name}{on}. Send it to {written[0].contact_name} by any means you"
                " like; only they can open it.")
        self.editor.result.setText(text)
        self.feedback_saved.emit(text)

    def _failed(self, message: str) -> None:
        self.editor.busy.hide()
        self.editor._update()
        show_error(self.editor.error, message)


def _sent_html(item: Feedback, muted_color: str) -> str:
    parts = [f"<hr><p style='color:{muted_color}'><b>Your feedback, saved "
             f"{when_text(item.created)}</b></p>"]
    if item.comment:
        parts.append(render_markdown(item.comment))
    if item.reply:
        parts.append(f"<p><b>Your reply</b></p>{render_markdown(item.reply)}")
    level = depth_level(item.depth)
    if level is not None:
        parts.append(f"<p><b>Depth:</b> {escape(level.wald)} ({escape(level.label)})</p>")
    return "".join(parts)


STATUS_TIPS = {
    "new": "You have not opened this excerpt yet",
    "read": "You opened it; no feedback sent yet",
    "answered": "You sent feedback on this excerpt",
}


def status_text(item: sharing.InboxItem) -> str:
    """Two lines, as the inbox's rows have: ``new`` / ``waiting 9 days``, ``read`` /
    ``today``, ``answered`` / ``14 Mar 2026``."""
    if not item.waiting:
        day = item.answered
        return f"answered\n{day.day} {day:%b %Y}" if day else "answered"
    days = item.waiting_days
    wait = "today" if days == 0 else f"waiting {plural(days, 'day')}"
    return f"{item.status}\n{wait}"


def _has_content(draft: tuple[str, str, str | None] | None) -> bool:
    return draft is not None and bool(draft[0].strip() or draft[1].strip() or draft[2])


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip().lstrip("#> ")[:60]
    return "Untitled"


def _muted_brush() -> QBrush:
    return QBrush(QColor(colors().muted))
