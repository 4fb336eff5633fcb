"""Sharing ▸ Share…: choose, address, de-identify and save a share package, in four steps.

1. **What**: entries ticked in a checklist with a search box (or the part of an entry the user
   selected in the editor), a note and a question for the mentor.
2. **Who**: one or more contacts, and/or a one-off share passphrase (typed twice, with a
   strength hint) for a mentor who has no card yet. The first time, the user's name for
   their card (every package carries the sender's card).
3. **Review**: every text that will leave the journal goes through the de-identification
   review (:class:`~journal_app.ui.interchange.deid_review.DeidReviewDialog`, embedded as a page),
   one
   after another: each excerpt's title and text together, then the note and the question.
   "Next" stays disabled until every finding in the text is decided, so the package cannot
   be saved with a finding undecided. Names the user adds ("Always treat as a name") join
   their encrypted list of names (``Journal.add_deid_names``) and are looked for in the
   other texts too.
4. **Save**: exactly what will be sent, the plain warning that a sent file cannot be
   recalled, and "Save package…". The package is sealed and the share log written in the
   worker thread (a share passphrase costs an Argon2id derivation).

Nothing is written before step 4 except the user's card (made on leaving step 2 if there is
none) and the names they asked to treat as names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from journal_app.core import sharing
from journal_app.core.errors import JournalError
from journal_app.core.practice import DEFAULT_TERMS, SharingTerms, sharing_terms
from journal_app.core.records import MAX_NOTE, Contact, Entry, SharedLog
from journal_app.core.vault import Journal, assess
from journal_app.core.vocabulary import ROLE_LABELS
from journal_app.ui.interchange.deid_review import ReviewPane, ReviewSteps, ReviewUnit
from journal_app.ui.session import Change, JournalSession
from journal_app.ui.sharing.cards_dialog import add_contact_from_card
from journal_app.ui.sharing.common import (
    PACKAGE_FILTER,
    PACKAGE_SUFFIX,
    default_folder,
    escape,
    names_list,
    package_file_name,
    plural,
    with_suffix,
)
from journal_app.ui.theme import colors
from journal_app.ui.widgets import (
    WrapCheckBox,
    busy_bar,
    error_label,
    heading,
    muted,
    password_field,
    primary_button,
    result_label,
    show_error,
    wrapped,
)
from journal_app.ui.writing.entry_checklist import (
    ROLE_ID,
    EntryChecklist,
    checklist_style,
    journal_searcher,
)

STEPS = ("What", "Who", "Review", "Save")
LOCK_ADVICE = (
    "Tell it to your mentor in person or by phone, never in the same message as the file. "
    "Four or five unrelated words work well."
)
SEND_ADVICE = (
    "Send the file by any means you like (email, a USB stick, a shared drive): only the "
    "people you chose can open it, and they can check it comes from you."
)


@dataclass(frozen=True)
class PartSelection:
    """The part of an entry the user selected in the editor (character offsets of its body)."""

    entry_id: str
    start: int
    end: int
    title: str
    text: str


@dataclass
class _Plan:
    """What step 1 and 2 decided (the review is rebuilt when it changes)."""

    draft: sharing.ShareDraft
    key: tuple[object, ...]
    units: list[ReviewUnit[sharing.FieldRef]] = field(default_factory=list)


class ShareDialog(QDialog):
    """The four steps of a share. ``exec()`` returns Accepted once a package was saved;
    ``log`` and ``out`` then say what and where."""

    def __init__(self, session: JournalSession, parent: QWidget | None = None,
                 preselect: Sequence[str] = (), part: PartSelection | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.part = part
        self.log: SharedLog | None = None
        self.out: Path | None = None
        self._plan: _Plan | None = None
        self._unit = 0
        self._running = False
        self._close_when_done = False
        self.setWindowTitle("Share with a mentor")
        # One size for every page, the review's (its text beside its findings): a dialog that
        # jumped from 780 to 1,160 pixels at the review moved under the user's pointer. Never
        # larger than the screen (see fit_dialog).
        self.resize(1160, 720)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        self.steps = QLabel()
        self.steps.setAccessibleName("Steps")
        self.steps.setTextFormat(Qt.TextFormat.RichText)
        self.steps.setWordWrap(True)  # on two lines where narrow
        layout.addWidget(self.steps)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._what_page(preselect))
        self.pages.addWidget(self._who_page())
        self.pages.addWidget(self._review_page())
        self.pages.addWidget(self._save_page())
        layout.addWidget(self.pages, 1)
        self.error = error_label()
        layout.addWidget(self.error)
        row = QHBoxLayout()
        self.cancel_button = QPushButton("Cancel")
        self.back_button = QPushButton("‹ Back")
        self.next_button = primary_button("Next ›")
        self.save_button = primary_button("Save package…")
        self.close_button = primary_button("Close")
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        for button in (self.back_button, self.next_button, self.save_button, self.close_button):
            row.addWidget(button)
        layout.addLayout(row)
        # Enter in a search box or a passphrase field must never move the share on.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.save_button.clicked.connect(self.save_package)
        self.close_button.clicked.connect(self.accept)
        self._show_page(0)
        if preselect or part is not None:
            self.note.setFocus()  # the entry is chosen: the note is what comes next

    # ================================================================ step 1: what

    def _what_page(self, preselect: Sequence[str]) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(heading("What to share"))
        self.part_button = QRadioButton()
        self.entries_button = QRadioButton("Whole entries")
        self.part_quote = muted("")
        self.part_quote.setAccessibleName("The selected text")
        if self.part is not None:
            self.part_button.setText(
                f"The part I selected of “{self.part.title or 'Untitled'}” "
                f"({plural(len(self.part.text), 'character')})")
            quote = " ".join(self.part.text.split())
            self.part_quote.setText(f"“{quote[:280]}{'…' if len(quote) > 280 else ''}”")
            self.part_quote.setIndent(22)
            layout.addWidget(self.part_button)
            layout.addWidget(self.part_quote)
            layout.addWidget(self.entries_button)
            self.part_button.setChecked(True)
        else:
            self.part_button.hide()
            self.entries_button.hide()
            self.entries_button.setChecked(True)
        self.chooser = EntryChecklist("share", journal_searcher(self.session))
        layout.addWidget(self.chooser, 1)
        layout.addWidget(wrapped("A note for your mentor <span style='color:gray'>"
                                 "(optional)</span>"))
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Note for your mentor")
        self.note.setPlaceholderText("What you would like them to know, e.g. why you chose "
                                     "this entry")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(64)
        layout.addWidget(self.note)
        layout.addWidget(wrapped("A question for your mentor <span style='color:gray'>"
                                 "(optional)</span>"))
        self.question = QPlainTextEdit()
        self.question.setAccessibleName("Question for your mentor")
        self.question.setPlaceholderText("What would you like their thoughts on?")
        self.question.setTabChangesFocus(True)
        self.question.setFixedHeight(52)
        layout.addWidget(self.question)
        layout.addWidget(muted(
            "Only the year of each entry goes with it, never the day. Before anything is "
            "saved you will read every text and decide on each name, date or number found."))

        self.chooser.set_entries(
            self.session.read_or(lambda journal: journal.entries(), list[Entry]()), preselect)
        self.chooser.changed.connect(self._update)
        self.part_button.toggled.connect(lambda _on: self._update())
        self.note.textChanged.connect(self._update)
        self.question.textChanged.connect(self._update)
        return page

    def chosen_ids(self) -> list[str]:
        return self.chooser.chosen_ids()

    def _selections(self) -> list[sharing.Selection]:
        if self.part is not None and self.part_button.isChecked():
            return [sharing.Selection(self.part.entry_id, self.part.start, self.part.end)]
        return [sharing.Selection(entry_id) for entry_id in self.chosen_ids()]

    # ================================================================ step 2: who

    def _who_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(heading("Who it is for"))
        self.identity_box = QWidget()
        ib = QVBoxLayout(self.identity_box)
        ib.setContentsMargins(0, 0, 0, 6)
        ib.addWidget(muted(
            "Your card goes with the package, so your mentor can check it comes from you and "
            "send feedback back. It needs your name, as your mentor knows you:"))
        self.my_name = QLineEdit()
        self.my_name.setAccessibleName("Your name")
        self.my_name.setPlaceholderText("Your name")
        self.my_name.setMaxLength(100)
        ib.addWidget(self.my_name)
        layout.addWidget(self.identity_box)
        layout.addWidget(QLabel("<b>Your contacts</b>"))
        self.contacts = QListWidget()
        self.contacts.setAccessibleName("Contacts to share with")
        self.contacts.setStyleSheet(checklist_style())
        self.contacts.setMaximumHeight(170)
        layout.addWidget(self.contacts)
        self.no_contacts = muted(
            "No contacts yet. Add your mentor's card (a small .card file they give you), or "
            "lock the package with a share passphrase below.")
        layout.addWidget(self.no_contacts)
        row = QHBoxLayout()
        self.add_contact_button = QPushButton("Add a contact from a card…")
        row.addWidget(self.add_contact_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.use_passphrase = WrapCheckBox(
            "Lock it with a one-off share passphrase (for a mentor who has no card yet)")
        layout.addWidget(self.use_passphrase)
        self.passphrase_box = QWidget()
        pb = QVBoxLayout(self.passphrase_box)
        pb.setContentsMargins(22, 0, 0, 0)
        self.pass1 = password_field("Share passphrase")
        self.pass2 = password_field("Share passphrase again")
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setFormat("")
        self.meter.setMaximumHeight(14)
        self.meter.setAccessibleName("Share passphrase strength")
        self.pass_advice = muted(LOCK_ADVICE)
        self.pass_advice.setAccessibleName("Share passphrase advice")
        for widget in (self.pass1, self.meter, self.pass2, self.pass_advice):
            pb.addWidget(widget)
        layout.addWidget(self.passphrase_box)
        layout.addStretch(1)
        self.passphrase_box.hide()
        self.use_passphrase.toggled.connect(self.passphrase_box.setVisible)
        self.use_passphrase.toggled.connect(lambda _on: self._update())
        self.pass1.textChanged.connect(lambda _t: self._update())
        self.pass2.textChanged.connect(lambda _t: self._update())
        self.my_name.textChanged.connect(lambda _t: self._update())
        self.contacts.itemChanged.connect(lambda _i: self._update())
        self.add_contact_button.clicked.connect(self.add_contact)
        self._fill_contacts()
        return page

    def _fill_contacts(self, tick: str | None = None) -> None:
        ticked = set(self.chosen_contacts_ids()) | ({tick} if tick else set())
        people = self.session.read_or(sharing.contacts_with_trust,
                                      list[tuple[Contact, str]]())
        self.contacts.blockSignals(True)
        self.contacts.clear()
        for contact, trust in people:
            item = QListWidgetItem(f"{contact.name}  ·  {ROLE_LABELS.get(contact.role, '')}")
            item.setToolTip(f"Fingerprint {contact.fingerprint}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            trusted = trust != "not confirmed"
            if not trusted:
                # Shared with only once the user confirmed the fingerprint (My card and
                # contacts ▸ Confirm fingerprint…), or a programme joined confirms them.
                item.setText(item.text() + "  ·  fingerprint not confirmed")
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            elif not contact.confirmed:
                item.setText(f"{item.text()}  ·  {trust}")  # "confirmed by <programme>"
            # One mentor: tick them; several: let the user choose.
            on = trusted and (
                contact.id in ticked or (len(people) == 1 and contact.role == "mentor"))
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            item.setData(ROLE_ID, contact.id)
            self.contacts.addItem(item)
        self.contacts.blockSignals(False)
        self.contacts.setVisible(bool(people))
        self.no_contacts.setVisible(not people)
        self.identity_box.setVisible(self._needs_card())

    def chosen_contacts_ids(self) -> list[str]:
        return [str(self.contacts.item(row).data(ROLE_ID))
                for row in range(self.contacts.count())
                if self.contacts.item(row).checkState() == Qt.CheckState.Checked]

    def chosen_contacts(self) -> list[Contact]:
        wanted = self.chosen_contacts_ids()
        people = {c.id: c for c, _trust in self.session.read_or(
            sharing.contacts_with_trust, list[tuple[Contact, str]]())}
        return [people[i] for i in wanted if i in people]

    def add_contact(self) -> None:
        if not self.session.is_unlocked or self._running:
            return
        self._running = True  # until the contact is stored: closing waits for it
        self._update()

        def done(contact: Contact | None, text: str) -> None:
            self._running = False
            if self._close_when_done:
                self.reject()
                return
            self._fill_contacts(tick=contact.id if contact is not None else None)
            show_error(self.error, "" if contact is not None or not text else text)
            self._update()

        add_contact_from_card(self, self.session, done)

    def share_passphrase(self) -> str | None:
        if not self.use_passphrase.isChecked():
            return None
        return self.pass1.text() or None

    def _passphrase_ok(self) -> bool:
        text = self.pass1.text()
        return bool(text) and not assess(text).blocked and text == self.pass2.text()

    def _update_meter(self) -> None:
        text = self.pass1.text()
        if not text:
            self.meter.setValue(0)
            self.meter.setFormat("")
            self.pass_advice.setText(LOCK_ADVICE)
            return
        strength = assess(text)
        self.meter.setValue(strength.score)
        self.meter.setFormat(strength.label)
        lines = list(strength.reasons)
        if self.pass2.text() and self.pass2.text() != text:
            lines.append("The two share passphrases differ.")
        lines.append("Tell it to your mentor in person or by phone, never with the file.")
        self.pass_advice.setText(" ".join(lines))

    # ================================================================ step 3: review

    def _review_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 0, 4, 0)
        self.review = ReviewSteps(layout, "Text under review", "text")
        self.unit_title, self.review_status = self.review.title, self.review.status
        self.review_stack = self.review.stack
        return page

    def _plan_key(self) -> tuple[object, ...]:
        return (tuple(self._selections()), self.note.toPlainText(), self.question.toPlainText())

    def _make_plan(self) -> bool:
        """The draft of step 1 (kept when nothing changed, so decisions survive Back)."""
        key = self._plan_key()
        if self._plan is not None and self._plan.key == key:
            return True
        selections = self._selections()
        note, question = self.note.toPlainText(), self.question.toPlainText()
        try:
            draft = self.session.read(
                lambda journal: sharing.draft_share(journal, selections, note, question))
        except JournalError as exc:
            show_error(self.error, exc.message)
            return False
        self._save_names()
        self.review.clear()
        units = []
        count = len(draft.excerpts)
        for i, excerpt in enumerate(draft.excerpts):
            what = "part of an entry" if excerpt.start is not None else "title and text"
            label = (f"“{excerpt.title or 'Untitled'}”" if count == 1 else
                     f"Excerpt {i + 1} of {count}: “{excerpt.title or 'Untitled'}”")
            units.append(ReviewUnit.of(f"{label} ({what})", [
                (sharing.FieldRef("title", i), excerpt.title),
                (sharing.FieldRef("text", i), excerpt.text)]))
        if draft.note or draft.question:
            which = [w for w, t in (("note", draft.note), ("question", draft.question)) if t]
            units.append(ReviewUnit.of(f"Your {' and '.join(which)}", [
                (sharing.FieldRef("note"), draft.note),
                (sharing.FieldRef("question"), draft.question)]))
        self._plan = _Plan(draft, key, units)
        self._unit = 0
        return True

    def units(self) -> list[ReviewUnit[sharing.FieldRef]]:
        return self._plan.units if self._plan is not None else []

    def current_pane(self) -> ReviewPane | None:
        units = self.units()
        return units[self._unit].pane if units else None

    def _known_names(self) -> list[str]:
        names = self.session.read_or(lambda journal: journal.deid_names(), list[str]())
        return self.review.known_names(names, self.units())

    def _show_unit(self, index: int) -> None:
        units = self.units()
        self._unit = index
        unit = units[index]
        if unit.pane is None:
            unit.pane = ReviewPane(unit.text, self._known_names())
            unit.pane.decisions_changed.connect(self._update)
            self.review_stack.addWidget(unit.pane)
        else:
            unit.pane.learn_names(self._known_names())
        self.review_stack.setCurrentWidget(unit.pane)
        self.unit_title.setText(unit.label if len(units) == 1 else
                                f"Text {index + 1} of {len(units)} · {unit.label}")
        self._update()

    def _save_names(self) -> None:
        """Names the user asked to always treat as names go into their encrypted list."""
        if not self.session.is_unlocked:
            return
        self.review.save_names(self.units(), self.session,
                               lambda message: show_error(self.error, message))

    def final_draft(self) -> sharing.ShareDraft:
        """The draft with every review applied (call once every unit is decided)."""
        assert self._plan is not None
        draft = self._plan.draft
        out = sharing.ShareDraft([replace(e) for e in draft.excerpts], draft.note,
                                 draft.question)
        for unit in self.units():
            for ref, text in unit.results():
                out.with_text(ref, text)
        return out

    # ================================================================ step 4: save

    def _save_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(heading("Save the share package"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Summary")
        layout.addWidget(self.summary)
        # What the mentor may and may not do with it, and whether it is formative: the
        # programme's words from its pack, or a plain default (issue 24), read before saving.
        self.terms = muted(terms_text(self.session.read_or(sharing_terms, DEFAULT_TERMS)))
        self.terms.setAccessibleName("What your mentor may and may not do")
        self.terms.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.terms)
        # Consent to a reflection-round handout (issue 24): off unless the student ticks it;
        # it goes in the signed package and the share log.
        self.allow_handout = WrapCheckBox(
            "My mentor may make a de-identified handout of these excerpts for a small-group"
            " session (a Balint group, Schwartz Rounds)")
        self.allow_handout.setAccessibleName("Let my mentor make a handout of these excerpts")
        self.allow_handout.setToolTip(
            "The handout goes through the same review as this share and is printed without"
            " your name or any date. Without this, your mentor's app does not offer it.")
        layout.addWidget(self.allow_handout)
        layout.addWidget(muted("Exactly what will be shared:"))
        self.final_view = QTextBrowser()
        self.final_view.setAccessibleName("What will be shared")
        self.final_view.setOpenLinks(False)
        layout.addWidget(self.final_view, 1)
        self.recall = QFrame()
        self.recall.setProperty("card", True)
        c = colors()
        self.recall.setStyleSheet(f"QFrame[card=\"true\"] {{ border: 1px solid {c.star}; }}")
        rl = QVBoxLayout(self.recall)
        rl.setContentsMargins(14, 10, 14, 10)
        self.recall_text = QLabel(f"<b>{escape(sharing.CANNOT_RECALL)}</b>")
        self.recall_text.setWordWrap(True)
        self.recall_text.setAccessibleName("A sent file cannot be recalled")
        rl.addWidget(self.recall_text)
        rl.addWidget(muted(SEND_ADVICE))
        layout.addWidget(self.recall)
        self.busy = busy_bar()
        layout.addWidget(self.busy)
        self.result_label = result_label()
        layout.addWidget(self.result_label)
        return page

    def _fill_save_page(self) -> None:
        draft = self.final_draft()
        contacts = self.chosen_contacts()
        whom = [c.name for c in contacts]
        passphrase = self.share_passphrase()
        extras = [w for w, t in (("a note", draft.note), ("a question", draft.question)) if t]
        what = plural(len(draft.excerpts), "excerpt")
        if extras:
            what += (", " if len(extras) > 1 else " and ") + " and ".join(extras)
        if whom and passphrase:
            lock = (f"Encrypted so that only {names_list(whom)}, or someone with the share "
                    "passphrase, can open it")
        elif whom:
            lock = f"Encrypted so that only {names_list(whom)} can open it"
        else:
            lock = "Locked with your one-off share passphrase"
        to = names_list(whom) or "whoever has the share passphrase"
        self.summary.setText(f"{what} for {to}. {lock}; signed as yours.")
        parts = []
        for excerpt in draft.excerpts:
            parts.append(f"<h3>{escape(excerpt.title or 'Untitled')}</h3>"
                         f"<p>{escape(excerpt.text)}</p>")
        if draft.note:
            parts.append(f"<p><b>Your note</b><br>{escape(draft.note)}</p>")
        if draft.question:
            parts.append(f"<p><b>Your question</b><br>{escape(draft.question)}</p>")
        self.final_view.setHtml("<hr>".join(parts))

    def save_package(self) -> None:
        if not self.session.is_unlocked or self._running:
            return
        suggested = default_folder() / package_file_name("share")
        path, _filter = QFileDialog.getSaveFileName(self, "Save the share package",
                                                    str(suggested), PACKAGE_FILTER)
        if not path:
            return
        out = with_suffix(path, PACKAGE_SUFFIX)
        draft = self.final_draft()
        draft.handout = self.allow_handout.isChecked()
        contacts = self.chosen_contacts()
        passphrase = self.share_passphrase()
        kdf = self.session.kdf
        self._running = True
        self.busy.show()
        show_error(self.error, "")
        self._update()

        def work(journal: Journal) -> SharedLog:  # the package, and its record in the journal
            return sharing.write_share(journal, draft, out, to=contacts, passphrase=passphrase,
                                       kdf=kdf)

        self.session.write(work, lambda log: self._saved(log, out), self._failed,
                           changes=Change.RECORDS)

    def _saved(self, log: SharedLog, out: Path) -> None:
        self._running = False
        self.busy.hide()
        self.log, self.out = log, out
        whom = [r.name for r in log.recipients]
        to = names_list(whom) if whom else "your mentor, and tell them the share passphrase"
        if whom and log.passphrase:
            to += " (and tell them the share passphrase)"
        self.result_label.setText(f"Saved <b>{escape(out.name)}</b> in {escape(str(out.parent))}. "
                            f"Send it to {escape(to)}. “Shared by me” keeps a record of it.")
        self.result_label.show()
        self._update()
        if self._close_when_done:
            self.accept()

    def _failed(self, message: str) -> None:
        self._running = False
        self.busy.hide()
        show_error(self.error, message)
        self._update()
        if self._close_when_done:
            self.reject()

    # ================================================================ navigation

    def _needs_card(self) -> bool:
        """Unlocked, and no card of one's own yet (its name is asked on the way)."""
        return self.session.is_unlocked and self.session.read_or(sharing.identity, None) is None

    def page(self) -> int:
        return self.pages.currentIndex()

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        marks = []
        for i, name in enumerate(STEPS):
            text = f"{i + 1} {name}"
            marks.append(f"<b>{text}</b>" if i == index else
                         f"<span style='color:{colors().muted}'>{text}</span>")
        self.steps.setText("  ›  ".join(marks))
        self._update()

    def go_next(self) -> None:
        show_error(self.error, "")
        page = self.page()
        if page == 0:
            if self._make_plan():
                self._show_page(1)
        elif page == 1:
            self._ensure_identity(self._to_review)
        elif page == 2:
            units = self.units()
            if not units[self._unit].decided():
                return
            self._save_names()
            if self._unit + 1 < len(units):
                self._show_unit(self._unit + 1)
            elif all(u.decided() for u in units):
                self._fill_save_page()
                self._show_page(3)

    def go_back(self) -> None:
        show_error(self.error, "")
        page = self.page()
        if page == 2 and self._unit > 0:
            self._save_names()
            self._show_unit(self._unit - 1)
        elif page > 0 and not self._running:
            self._save_names()
            self._show_page(page - 1)
            if page - 1 == 2:
                self._show_unit(self._unit)

    def _to_review(self) -> None:
        self._show_page(2)
        self._show_unit(self._unit)

    def _ensure_identity(self, then: Callable[[], None]) -> None:
        """``then()`` once the user has a card: at once when they have one, else once the
        card (with the name typed on this step) was made in the worker."""
        if not self.session.is_unlocked or self._running:
            return
        if not self._needs_card():
            then()
            return
        name = " ".join(self.my_name.text().split())
        self._running = True  # until the card is made: closing waits for it
        self._update()

        def made(_identity: object) -> None:
            self._running = False
            if self._close_when_done:
                self.reject()
                return
            self.identity_box.hide()
            then()

        def failed(message: str) -> None:
            self._running = False
            if self._close_when_done:
                self.reject()
                return
            show_error(self.error, message)
            self._update()

        self.session.write(lambda journal: sharing.ensure_identity(journal, name, "student"),
                           made, failed, changes=Change.RECORDS)

    def _update(self) -> None:
        page = self.page()
        done = self.log is not None
        self.back_button.setVisible(page > 0 and not done)
        self.next_button.setVisible(page < 3)
        self.save_button.setVisible(page == 3 and not done)
        self.close_button.setVisible(done)
        self.cancel_button.setVisible(not done)
        self.back_button.setEnabled(not self._running)
        self.save_button.setEnabled(not self._running)
        self.cancel_button.setEnabled(not self._running)
        if page == 0:
            part = self.part is not None and self.part_button.isChecked()
            self.chooser.setEnabled(not part)
            chosen = len(self.chosen_ids())
            long_note = max(len(self.note.toPlainText()), len(self.question.toPlainText()))
            self.next_button.setEnabled((part or chosen > 0) and long_note <= MAX_NOTE)
            self.next_button.setText("Next ›")
        elif page == 1:
            self._update_meter()
            needs_name = self._needs_card()
            named = not needs_name or bool(self.my_name.text().strip())
            passphrase = self.use_passphrase.isChecked()
            someone = bool(self.chosen_contacts_ids()) or passphrase
            self.next_button.setEnabled(named and someone and not self._running and
                                        (not passphrase or self._passphrase_ok()))
            self.next_button.setText("Next: review ›")
        elif page == 2:
            units = self.units()
            if not units:
                return
            unit = units[self._unit]
            last = self._unit + 1 == len(units)
            self.next_button.setText("Continue ›" if last else "Next text ›")
            ready = unit.decided() and (not last or all(u.decided() for u in units))
            self.next_button.setEnabled(ready)
            self.review.show_status(units, self._unit)

    def reject(self) -> None:
        if self._running:
            # The package is being written (it is quick): close once it is done, so a
            # lock never leaves this dialog open over the lock screen.
            self._close_when_done = True
            return
        self._save_names()
        super().reject()

    def accept(self) -> None:
        self._save_names()
        super().accept()


__all__ = ["PartSelection", "ReviewPane", "ReviewUnit", "ShareDialog"]


def terms_text(terms: SharingTerms) -> str:
    """What a student reads before sharing: formative or not, what the mentor may and may not
    do, and whose words these are."""
    formative = ("Sharing is formative: it is for your learning, and it is not graded."
                 if terms.formative else
                 "Sharing is not only formative: what you share may count in an assessment.")
    whose = (f"These are {escape(terms.source)}'s words." if terms.source
             else "Your programme has said nothing on this, so these are plain defaults.")
    may = "; ".join(escape(t) for t in terms.mentor_may)
    may_not = "; ".join(escape(t) for t in terms.mentor_may_not)
    return (f"<b>{formative}</b><br>Your mentor may {may}.<br>Your mentor may not {may_not}."
            f"<br>{whose}")
