"""Sharing ▸ My card and contacts…: your card and fingerprint, your contacts, what you shared.

Three tabs:

* **My card**: your name and role (the first time: make the card), your fingerprint in large
  groups to read aloud, and "Save my card…" (a file named from the role and the day).
* **Contacts**: the people whose card you added (name, role, fingerprint, when, whether you
  confirmed it), and "Add a contact from a card…", which shows the card's fingerprint and asks
  you to confirm that you compared it with its owner. A card that is not valid is refused with
  one plain sentence. Fingerprints are computed from the keys each time; a contact that is not
  confirmed (an older version stored a fingerprint that was not its own) says so above the
  list, and "Confirm fingerprint…" shows its fingerprint to compare again.
* **Shared by me**: the encrypted share log: when, with whom, which entries, and exactly
  what text went out (after de-identification).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journal_app.core import sharing
from journal_app.core.errors import JournalError
from journal_app.core.files import write_private_file
from journal_app.core.records import Contact, Identity, SharedLog
from journal_app.core.sharing import Card, card_of
from journal_app.core.vault import Journal
from journal_app.core.vocabulary import ROLE_LABELS
from journal_app.ui import messages
from journal_app.ui.markdown_view import SafeTextBrowser
from journal_app.ui.session import Change, JournalSession
from journal_app.ui.sharing.common import (
    CARD_FILTER,
    CARD_SUFFIX,
    READ_ALOUD_HINT,
    FingerprintDialog,
    card_file_name,
    default_folder,
    escape,
    fingerprint_label,
    fingerprint_lines,
    names_list,
    plural,
    warn,
    when_text,
    with_suffix,
)
from journal_app.ui.widgets import (
    FlowLayout,
    error_label,
    heading,
    muted,
    primary_button,
    show_error,
)

T = TypeVar("T")

ROLE_LOG = Qt.ItemDataRole.UserRole + 1
ROLE_EXCERPT = Qt.ItemDataRole.UserRole + 2
ROLE_CONFIRMED = Qt.ItemDataRole.UserRole + 3
CHANGED_CARD = (
    "You already have a contact with this name or one of these keys, but this card's "
    "fingerprint is different. It may be a new card they made, or someone pretending to be "
    "them. Nothing was changed."
)


NOT_CONFIRMED = "The fingerprint was not confirmed; no contact was added."


def add_contact_from_card(parent: QWidget, session: JournalSession,
                          on_done: Callable[[Contact | None, str], object],
                          path: Path | None = None) -> None:
    """Ask for a card file (unless ``path`` names one: a card opened from the desktop), show
    its fingerprint to confirm, add the contact.

    In three steps, so that nothing is written while the user is asked: what adding the card
    would do is read (:func:`sharing.check_card`), the user is asked (a changed card, the
    fingerprint), and the decided change is written in the worker (:func:`sharing.add_card`,
    which checks again and stores nothing if the contacts changed meanwhile).

    ``on_done`` gets the contact (None when nothing was added) and a sentence saying what
    happened (empty when the user cancelled the file picker); it is called once, at once when
    nothing is written, else when the write ended. Refusals are shown in a message box.
    """
    if path is None:
        chosen, _filter = QFileDialog.getOpenFileName(
            parent, "Add a contact from a card", str(default_folder()), CARD_FILTER)
        if not chosen:
            on_done(None, "")
            return
        path = Path(chosen)
    try:
        data = sharing.read_package_file(Path(path))
        check = session.read(lambda journal: sharing.check_card(journal, data))
    except JournalError as exc:
        warn(parent, "Not added", exc.message)
        on_done(None, exc.message)
        return
    replace_changed = bool(check.changed)
    if replace_changed:
        box = QMessageBox(QMessageBox.Icon.Warning, "The card changed", CHANGED_CARD,
                          QMessageBox.StandardButton.Cancel, parent)
        box.setInformativeText(
            "If they told you they made a new card, compare its fingerprint with them in "
            "person or by phone: the next step shows it.")
        replace = box.addButton("Compare and replace…", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is not replace:
            on_done(None, messages.NOTHING_CHANGED)
            return
    if check.needs_confirmation:
        intro = ("This card is about to become one of your contacts: packages you share with "
                 "them can only be opened by them, and what they send you is checked against "
                 "it.")
        dialog = FingerprintDialog(check.card, intro, parent, "Add a contact")
        answer = dialog.exec()
        dialog.deleteLater()
        if answer != QDialog.DialogCode.Accepted:
            on_done(None, NOT_CONFIRMED)
            return

    if not session.is_unlocked:  # locked while asking: the questions were closed
        on_done(None, "")
        return

    def added(result: sharing.CardImport) -> None:
        contact = result.contact
        if result.replaced:
            on_done(contact, f"Replaced the card of {contact.name}.")
        elif result.added:
            on_done(contact, f"Added {contact.name} to your contacts.")
        elif result.confirmed_now:
            on_done(contact, f"Confirmed the fingerprint of {contact.name}.")
        else:
            on_done(contact, f"{contact.name} is already among your contacts.")

    def failed(message: str) -> None:
        warn(parent, "Not added", message)
        on_done(None, message)

    session.write(lambda journal: sharing.add_card(journal, check, replace_changed), added,
                  failed, changes=Change.RECORDS)


class MyCardPage(QWidget):
    """Signals:
        changed(): the identity was made or its name or role changed.
    """

    changed = Signal()

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(10)
        self.title = heading("Your card")
        layout.addWidget(self.title)
        self.intro = muted(
            "Your card lets the people you share with send you packages only you can open, "
            "and check that what you send them really comes from you. It holds your name, "
            "your role and two public keys: nothing from your journal."
        )
        layout.addWidget(self.intro)
        # Each label above its field: the role's longer choice then has the whole width at a
        # large text size.
        form = QVBoxLayout()
        form.setSpacing(4)
        self.name = QLineEdit()
        self.name.setAccessibleName("Your name")
        self.name.setPlaceholderText("Your name, as the people you share with know you")
        self.name.setMaxLength(100)
        form.addWidget(QLabel("Name"))
        form.addWidget(self.name)
        role_row = QWidget()  # on two lines where narrow (a large text size)
        roles = FlowLayout(role_row, spacing=24)
        self.role_group = QButtonGroup(self)
        self.role_buttons: dict[str, QRadioButton] = {}
        for role, text in (("student", "Student: I share entries"),
                           ("mentor", "Mentor: I read and give feedback")):
            button = QRadioButton(text)
            button.setAccessibleName(ROLE_LABELS[role])
            self.role_group.addButton(button)
            self.role_buttons[role] = button
            roles.addWidget(button)
        form.addSpacing(6)
        form.addWidget(QLabel("Role"))
        form.addWidget(role_row)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.save_identity = primary_button("Make my card")
        row.addWidget(self.save_identity)
        row.addStretch(1)
        layout.addLayout(row)
        self.error = error_label()
        layout.addWidget(self.error)

        self.card_box = QWidget()
        box = QVBoxLayout(self.card_box)
        box.setContentsMargins(0, 12, 0, 0)
        box.setSpacing(8)
        box.addWidget(QLabel("<b>Your fingerprint</b>"))
        frame = QFrame()
        frame.setProperty("card", True)
        fl = QHBoxLayout(frame)
        fl.setContentsMargins(18, 10, 18, 10)
        self.fingerprint = fingerprint_label(step=9)
        self._fingerprint = ""
        self.fingerprint.setAccessibleName("Your fingerprint")
        fl.addWidget(self.fingerprint)
        fl.addStretch(1)
        box.addWidget(frame)
        self.hint = muted(READ_ALOUD_HINT)
        box.addWidget(self.hint)
        buttons = QHBoxLayout()
        self.save_card = primary_button("Save my card…")
        self.save_card.setToolTip("Save your card as a small file to give to your mentor")
        buttons.addWidget(self.save_card)
        buttons.addStretch(1)
        box.addLayout(buttons)
        self.result = muted("")
        self.result.setAccessibleName("Result")
        box.addWidget(self.result)
        layout.addWidget(self.card_box)
        layout.addStretch(1)

        self.name.textChanged.connect(lambda _t: self._update_buttons())
        self.role_group.buttonToggled.connect(lambda *_a: self._update_buttons())
        self.save_identity.clicked.connect(self.apply_identity)
        self.name.returnPressed.connect(self.apply_identity)
        self.save_card.clicked.connect(self.save_card_file)
        self.refresh()

    def _me(self) -> Identity | None:
        return self.session.read_or(sharing.identity, None)

    def role(self) -> str:
        return next((r for r, b in self.role_buttons.items() if b.isChecked()), "student")

    def refresh(self) -> None:
        me = self._me()
        self.name.setText(me.name if me else "")
        self.role_buttons[me.role if me else "student"].setChecked(True)
        self.card_box.setVisible(me is not None)
        self.save_identity.setText("Save changes" if me else "Make my card")
        if me is not None:
            self._fingerprint = card_of(me).fingerprint
            self._fit_fingerprint()
        self._update_buttons()

    def _fit_fingerprint(self) -> None:
        """Two lines of four groups where they fit, four lines of two where not (a large text
        size on a small screen): the digits never make the dialog scroll sideways."""
        if not self._fingerprint:
            return
        two = fingerprint_lines(self._fingerprint)
        metrics = self.fingerprint.fontMetrics()
        wide = max(metrics.horizontalAdvance(line) for line in two.splitlines())
        room = self.width() - 2 * 18 - 2 * 24  # the frame's margins and the page's
        if wide <= room:
            text = two
        else:
            groups = self._fingerprint.split()
            text = "\n".join("   ".join(groups[i:i + 2]) for i in range(0, len(groups), 2))
        if self.fingerprint.text() != text:
            self.fingerprint.setText(text)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_fingerprint()

    def _update_buttons(self) -> None:
        me = self._me()
        name = " ".join(self.name.text().split())
        changed = me is None or name != me.name or self.role() != me.role
        self.save_identity.setEnabled(bool(name) and changed)
        self.save_identity.setVisible(me is None or changed)

    def apply_identity(self) -> None:
        if not self.session.is_unlocked or not self.save_identity.isEnabled():
            return
        name, role = " ".join(self.name.text().split()), self.role()

        def saved(_identity: object) -> None:
            show_error(self.error, "")
            self.refresh()
            self.changed.emit()

        # The keys are made in the worker (the first time), then the card shows.
        self.save_identity.setEnabled(False)

        def failed(message: str) -> None:
            show_error(self.error, message)
            self._update_buttons()

        self.session.write(lambda journal: sharing.ensure_identity(journal, name, role), saved,
                           failed, changes=Change.RECORDS)

    def save_card_file(self) -> None:
        me = self._me()
        if me is None:
            return
        suggested = default_folder() / card_file_name(me.role)
        path, _filter = QFileDialog.getSaveFileName(self, "Save my card", str(suggested),
                                                    CARD_FILTER)
        if not path:
            return
        out = with_suffix(path, CARD_SUFFIX)
        try:
            write_private_file(out, card_of(me).to_bytes())
        except JournalError as exc:
            show_error(self.error, exc.message)
            return
        show_error(self.error, "")
        self.result.setText(f"Saved {out.name}. Give it to your mentor by any means (email, a "
                            "USB stick), then read them your fingerprint.")


def _page_layout(page: QWidget, title: str, intro: str) -> QVBoxLayout:
    """A page of the dialog: its layout, started with the title and a line on what it holds."""
    layout = QVBoxLayout(page)
    layout.setContentsMargins(18, 14, 18, 14)
    layout.setSpacing(10)
    layout.addWidget(heading(title))
    layout.addWidget(muted(intro))
    return layout


class ContactsPage(QWidget):
    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = _page_layout(self, "Contacts", (
            "The people whose card you added. Packages you share with them can be opened by "
            "them only; feedback they send is checked against their card."))
        self.notice = error_label()
        self.notice.setAccessibleName("Contacts not confirmed")
        layout.addWidget(self.notice)
        self.list = QTreeWidget()
        self.list.setColumnCount(5)
        self.list.setHeaderLabels(["Name", "Role", "Fingerprint", "Added", "Confirmed"])
        self.list.setRootIsDecorated(False)
        self.list.setAccessibleName("Contacts")
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.empty = muted(
            "No contacts yet. Ask your mentor for their card (a small .card file), add it "
            "here, and compare the fingerprint with them.")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list)
        holder = QWidget()
        hl = QVBoxLayout(holder)
        hl.addWidget(self.empty)
        hl.addStretch(1)
        self.stack.addWidget(holder)
        layout.addWidget(self.stack, 1)
        row = FlowLayout()  # on several lines where narrow
        self.add_button = QPushButton("Add a contact from a card…")
        self.confirm_button = QPushButton("Confirm fingerprint…")
        self.confirm_button.setToolTip(
            "Compare the chosen contact's fingerprint with the one they read out to you")
        self.remove_button = QPushButton("Remove…")
        self.remove_button.setToolTip("Remove the chosen contact; what they sent stays")
        row.addWidget(self.add_button)
        row.addWidget(self.confirm_button)
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        self.result = muted("")
        self.result.setAccessibleName("Result")
        layout.addWidget(self.result)
        self.add_button.clicked.connect(self.add_contact)
        self.confirm_button.clicked.connect(self.confirm_contact)
        self.remove_button.clicked.connect(self.remove_contact)
        self.list.currentItemChanged.connect(self._chosen)
        self.refresh()

    def _chosen(self, *_args: object) -> None:
        item = self.list.currentItem()
        stored = item is not None and item.data(0, Qt.ItemDataRole.UserRole) is not None
        self.remove_button.setEnabled(stored)
        self.confirm_button.setEnabled(stored and item is not None
                                       and not item.data(0, ROLE_CONFIRMED))

    def refresh(self) -> None:
        self.list.clear()
        people = self.session.read_or(sharing.contacts_with_trust,
                                      list[tuple[Contact, str]]())
        stored = {c.id for c in self.session.read_or(sharing.contacts, list[Contact]())}
        for contact, trust in people:
            # The fingerprint is computed from the contact's keys, never read from storage.
            # "Confirmed by you" and "confirmed by <programme>" are told apart.
            item = QTreeWidgetItem([contact.name, ROLE_LABELS.get(contact.role, contact.role),
                                    contact.fingerprint, when_text(contact.added),
                                    trust[0].upper() + trust[1:]])
            item.setToolTip(2, "Compare it with the one they read out to you")
            # A roster mentor is no stored contact: nothing to remove or confirm here.
            item.setData(0, Qt.ItemDataRole.UserRole,
                         contact.id if contact.id in stored else None)
            item.setData(0, ROLE_CONFIRMED, contact.confirmed or contact.id not in stored)
            self.list.addTopLevelItem(item)
        notices = self.session.read_or(sharing.contact_notices, list[str]())
        show_error(self.notice, " ".join(notices))
        self.stack.setCurrentIndex(0 if people else 1)
        self._chosen()

    def confirm_contact(self) -> None:
        """Show the chosen contact's fingerprint (computed from its keys) to compare with the
        one they read out; "They match" confirms it (in the worker, which checks the contact
        is still the one shown)."""
        item = self.list.currentItem()
        if item is None or not self.session.is_unlocked:
            return
        contact_id = item.data(0, Qt.ItemDataRole.UserRole)
        try:
            contact = self.session.read(
                lambda journal: sharing.contact_to_confirm(journal, contact_id))
            card = Card.of_contact(contact)
        except JournalError as exc:
            self.result.setText(exc.message)
            self.refresh()
            return
        intro = ("Confirm this contact only once you have compared the fingerprint with them: "
                 "packages you share with them can only be opened by the keys behind it.")
        dialog = FingerprintDialog(card, intro, self, "Confirm a contact")
        answer = dialog.exec()
        dialog.deleteLater()
        if answer != QDialog.DialogCode.Accepted:
            self.result.setText("The fingerprint was not confirmed; nothing was changed.")
            return
        self._change_contacts(lambda journal: sharing.mark_confirmed(journal, contact),
                              lambda stored: f"Confirmed the fingerprint of {stored.name}.")

    def _change_contacts(self, change: Callable[[Journal], T],
                         said: Callable[[T], str]) -> None:
        """Change the contacts in the worker, then say what was done (``said`` of the result)
        or why nothing was, under the list, and show the list as it now is."""

        def say(text: str) -> None:
            self.result.setText(text)
            self.refresh()

        self.session.write(change, lambda result: say(said(result)), say,
                           changes=Change.RECORDS)

    def remove_contact(self) -> None:
        """Remove the chosen contact, after asking (what they sent stays in the journal)."""
        item = self.list.currentItem()
        if item is None or not self.session.is_unlocked:
            return
        name = item.text(0)
        box = QMessageBox(QMessageBox.Icon.Question, "Remove contact",
                          f"Remove {name} from your contacts?", parent=self)
        box.setInformativeText("What they sent you, and what you shared with them, stays in "
                               "your journal. If they send you a package later, you will be "
                               "asked to compare their fingerprint again.")
        remove = box.addButton("Remove", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is not remove:
            return
        contact_id = item.data(0, Qt.ItemDataRole.UserRole)
        self._change_contacts(lambda journal: sharing.remove_contact(journal, contact_id),
                              lambda _r: f"Removed {name} from your contacts.")

    def add_contact(self) -> None:
        if not self.session.is_unlocked:
            return

        def done(_contact: Contact | None, text: str) -> None:
            if text:
                self.result.setText(text)
            self.refresh()

        add_contact_from_card(self, self.session, done)


class SharedByMePage(QWidget):
    """The share log: every package written, newest first, and exactly what it held."""

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = _page_layout(self, "Shared by me", (
            "Every share package you saved, kept encrypted in your journal: with whom, when, "
            "and the exact text that went out. A sent file cannot be recalled. Each shows "
            "when it was sent, read and answered: read once your mentor sends a read receipt "
            "(opening it tells you nothing by itself) or feedback, answered once feedback came "
            "back. Open what they send with Sharing ▸ Open a share package…"))
        split = QSplitter(Qt.Orientation.Vertical)
        self.list = QTreeWidget()
        self.list.setColumnCount(4)
        self.list.setHeaderLabels(["Shared", "With", "What", "Status"])
        self.list.setAccessibleName("Shared by me")
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.view = SafeTextBrowser()
        self.view.setAccessibleName("What was shared")
        split.addWidget(self.list)
        split.addWidget(self.view)
        split.setSizes([260, 200])
        self.empty = muted("Nothing shared yet. Sharing ▸ Share… sends entries to a mentor.")
        layout.addWidget(split, 1)
        layout.addWidget(self.empty)
        self._statuses: dict[str, sharing.ShareStatus] = {}
        self.list.currentItemChanged.connect(lambda cur, _prev: self._show(cur))
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        self.view.clear()
        if not self.session.is_unlocked:
            return
        statuses = self.session.read(sharing.share_statuses)
        self._statuses = {s.log.package_id: s for s in statuses}
        for status in statuses:
            log = status.log
            whom = [r.name for r in log.recipients]
            if log.passphrase:
                whom.append("share passphrase")
            top = QTreeWidgetItem([when_text(log.created), names_list(whom),
                                   plural(len(log.excerpts), "excerpt"), stage_text(status)])
            top.setToolTip(3, status_sentence(status))
            top.setData(0, ROLE_LOG, log)
            self.list.addTopLevelItem(top)
            for excerpt in log.excerpts:
                part = "part of " if excerpt.start is not None else ""
                state = status.excerpts[excerpt.excerpt_id]
                # Across the row (the title is longer than the dates above it), its own status
                # after it.
                child = QTreeWidgetItem([f"{part}“{excerpt.title or 'Untitled'}”  ·  "
                                         f"{excerpt_stage_text(state, log.created.date())}"])
                child.setData(0, ROLE_LOG, log)
                child.setData(0, ROLE_EXCERPT, excerpt.excerpt_id)
                top.addChild(child)
                child.setFirstColumnSpanned(True)
        self.list.expandAll()
        # The first column as wide as the dates: the excerpts' rows span the whole row, so the
        # names in "With" keep the room.
        dates = [when_text(status.log.created) for status in statuses]
        if dates:
            metrics = self.list.fontMetrics()
            widest = max(metrics.horizontalAdvance(d) for d in dates)
            self.list.header().resizeSection(
                0, widest + self.list.indentation() + 3 * metrics.averageCharWidth())
        self.empty.setVisible(not statuses)
        first = self.list.topLevelItem(0)
        if first is not None:
            self.list.setCurrentItem(first)

    def _show(self, item: QTreeWidgetItem | None) -> None:
        if item is None:
            self.view.clear()
            return
        log = item.data(0, ROLE_LOG)
        if not isinstance(log, SharedLog):
            return
        excerpt_id = item.data(0, ROLE_EXCERPT)
        parts = []
        status = self._statuses.get(log.package_id)
        if status is not None:
            parts.append(f"<p><b>{escape(status_sentence(status))}</b></p>")
        for excerpt in log.excerpts:
            if excerpt_id and excerpt.excerpt_id != excerpt_id:
                continue
            part = " (part of the entry)" if excerpt.start is not None else ""
            parts.append(f"<h3>{escape(excerpt.title or 'Untitled')}{part}</h3>")
            parts.append(f"<p>{escape(excerpt.text)}</p>")
        if not excerpt_id:
            if log.note:
                parts.append(f"<p><b>Your note</b><br>{escape(log.note)}</p>")
            if log.question:
                parts.append(f"<p><b>Your question</b><br>{escape(log.question)}</p>")
        self.view.setHtml("".join(parts))


def _short_day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def stage_text(status: sharing.ShareStatus) -> str:
    """The furthest a share came, with its day: "sent 3 Dec 2026", "read 5 Dec 2026 (1 of
    2)", "answered 8 Dec 2026"."""
    total = len(status.log.excerpts)
    if status.answered_on is not None:
        day, count = status.answered_on, status.answered
    elif status.read_on is not None:
        day, count = status.read_on, status.read
    else:
        return f"sent {_short_day(status.sent_on)}"
    of = f" ({count} of {total})" if count < total else ""
    return f"{status.status} {_short_day(day)}{of}"


def excerpt_stage_text(state: sharing.ExcerptStatus, sent: date) -> str:
    day = state.answered or state.read or sent
    return f"{state.status} {_short_day(day)}"


def status_sentence(status: sharing.ShareStatus) -> str:
    """"Sent 3 Dec 2026 · read 5 Dec 2026 (1 of 2) · not answered yet"."""
    text = status.summary(_short_day)
    return text[:1].upper() + text[1:]


class CardsDialog(QDialog):
    """My card, contacts and the share log, as tabs."""

    def __init__(self, session: JournalSession, parent: QWidget | None = None,
                 tab: str = "card") -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("My card and contacts")
        self.resize(760, 600)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("My card and contacts")
        self.card_page = MyCardPage(session)
        self.contacts_page = ContactsPage(session)
        self.shared_page = SharedByMePage(session)
        self.tabs.addTab(self.card_page, "My card")
        self.tabs.addTab(self.contacts_page, "Contacts")
        self.tabs.addTab(self.shared_page, "Shared by me")
        layout.addWidget(self.tabs, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.close_button = QPushButton("Close")
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.close_button.clicked.connect(self.accept)
        self.tabs.setCurrentIndex({"card": 0, "contacts": 1, "shared": 2}.get(tab, 0))
