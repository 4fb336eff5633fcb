"""Sharing with a mentor, over the journal service: identity, contacts, share packages, feedback.

The pieces below :mod:`cards` (keys, cards, fingerprints) and :mod:`packages` (the file format)
know nothing of the vault; this module is where they meet it. The desktop app and the command
line both call these functions.

Records (all encrypted in the vault like everything else; see
:mod:`journal_app.core.records.model`):

* ``identity``: this vault's key pairs, name and role; made on first use (``card export``).
* ``contact``: a card imported (or a sender confirmed). Its fingerprint is computed from its
  keys whenever it is shown or compared; a contact is trusted (shared with, replied to) only
  once the user confirmed that fingerprint: ``card import``, a first package's confirmation,
  or the app's "Confirm fingerprint…". An import file never adds one
  (:mod:`journal_app.core.records.importable`).
* ``shared-log``: one per share package written: to whom, when, the exact de-identified text.
* ``received-package``: one per package imported; its id refuses a second import (replay).
* ``received-excerpt``: what a student shared, as the mentor received it.
* ``feedback``: a mentor's feedback, as written (mentor) or received (student, linked to the
  student's own entry through the share log).

None of these is an entry: they stay out of the entry list, the search index, word counts and
trends (someone else's words must not count as your writing). ``journal-app shared list`` and
the app's "Shared with me" show them. The one crossing is the mentor's depth rating, which the
trends show beside the student's own rating (:func:`mentor_depth_ratings`).

A sent file cannot be recalled: every function that writes one says so in its docstring, and
the CLI and the app say it to the user.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, cast

from journal_app.core.errors import (
    AmbiguousIdError,
    CardInvalidError,
    ContactsChangedError,
    KeyChangedError,
    NotConfirmedError,
    NotForYouError,
    NotFoundError,
    PackageError,
    PackageReplayError,
    UsageError,
    ValidationError,
    describe,
)
from journal_app.core.files import read_user_file
from journal_app.core.records.model import (
    MAX_EXCERPT_TEXT,
    MAX_NOTE,
    ROLES,
    Contact,
    Feedback,
    Identity,
    InboxMark,
    JoinedProgramme,
    ReadReceipt,
    ReceivedExcerpt,
    ReceivedPackage,
    Record,
    SharedExcerpt,
    SharedLog,
    ShareRecipient,
    new_id,
    now,
)
from journal_app.core.records.validation import unb64
from journal_app.core.sharing.cards import (
    Card,
    b64,
    card_of,
    identity_keys,
    new_identity,
    normalise_fingerprint,
)
from journal_app.core.sharing.packages import (
    MAGIC,
    MAX_EXCERPTS,
    MAX_FEEDBACK_ITEMS,
    MAX_PACKAGE_BYTES,
    MAX_RECIPIENTS,
    ExcerptPayload,
    FeedbackItem,
    FeedbackPayload,
    OpenedPackage,
    ReceiptItem,
    ReceiptPayload,
    SealedPackage,
    SharePayload,
    content_key_for_card,
    content_key_for_passphrase,
    open_payload,
    parse_package,
    seal_package,
)
from journal_app.core.vault.crypto import DEFAULT_KDF, KdfParams

if TYPE_CHECKING:
    from journal_app.core.vault.journal import Journal

#: What the CLI and the app say whenever a package file is written.
CANNOT_RECALL = (
    "A sent file cannot be recalled: whoever receives it can keep it, and what they read"
    " cannot be taken back."
)


# ==================================================================== identity and contacts


def identity(journal: Journal) -> Identity | None:
    """This vault's identity, if one was made (the oldest, should two processes race)."""
    found = journal.records(Identity)
    return min(found, key=lambda i: (i.created, i.id)) if found else None


def ensure_identity(journal: Journal, name: str | None = None, role: str | None = None) -> Identity:
    """This vault's identity, made now if there is none; ``name`` and ``role`` update it.

    Raises:
        UsageError: there is no identity yet and no name was given.
        ValidationError: the name or role is not valid.
    """
    if role is not None and role not in ROLES:
        raise ValidationError("The role is student or mentor.")
    current = identity(journal)
    try:
        if current is None:
            if not name:
                raise UsageError(
                    "Your card needs your name the first time: give it with --name (it is"
                    " shown to the people you share with)."
                )
            made = new_identity(name, role or "student")
            journal.add_record(made)
            return made
        if (name is None or name == current.name) and (role is None or role == current.role):
            return current
        updated = replace(current, name=name or current.name, role=role or current.role)
    except ValueError as exc:
        raise ValidationError(describe(exc)) from None
    journal.add_record(updated)
    return updated


def my_card(journal: Journal, name: str | None = None, role: str | None = None) -> Card:
    """This vault's card (making the identity on first use; see :func:`ensure_identity`)."""
    return card_of(ensure_identity(journal, name, role))


def contacts(journal: Journal) -> list[Contact]:
    """Contacts by name."""
    return sorted(journal.records(Contact), key=lambda c: (c.name.casefold(), c.added))


def find_contact(journal: Journal, name_or_fingerprint: str) -> Contact:
    """The contact with this fingerprint, or this name (any case), or a unique name prefix.

    Raises:
        NotFoundError, AmbiguousIdError.
    """
    everyone = contacts(journal)
    fp = normalise_fingerprint(name_or_fingerprint)
    # The programme's roster mentors count too (confirmed by the programme), after the
    # user's own contacts: a contact of one's own is never shadowed by a roster entry.
    roster = [c for c in programme_contacts(journal)
              if all(c.fingerprint != k.fingerprint for k in everyone)]
    if fp:
        for contact in [*everyone, *roster]:
            if contact.fingerprint == fp:
                return contact
        raise NotFoundError("No contact has that fingerprint ('card list' shows them).")
    wanted = " ".join(name_or_fingerprint.split()).casefold()
    matches: list[Contact] = []
    for group in (everyone, roster):
        exact = [c for c in group if c.name.casefold() == wanted]
        matches = exact or [c for c in group if wanted and c.name.casefold().startswith(wanted)]
        if matches:
            break
    if not matches:
        raise NotFoundError("No contact by that name: import their card first ('card import').")
    if len(matches) > 1:
        raise AmbiguousIdError("More than one contact matches; give the fingerprint instead.")
    return matches[0]


def contact_notices(journal: Journal) -> list[str]:
    """A plain sentence for each contact that is no longer confirmed because the fingerprint
    an older version stored for it was not that of its keys."""
    return [
        f"The fingerprint stored for {c.name} did not match their card, so {c.name} is no"
        " longer confirmed: compare the fingerprint with them, then import their card again or"
        " confirm it."
        for c in contacts(journal) if c.fingerprint_differed and not c.confirmed
    ]


def confirm_contact(journal: Journal, contact_id: str, confirm: Callable[[Card], bool]) -> Contact:
    """Confirm a contact's fingerprint: ``confirm`` is shown its card (and the fingerprint of
    its keys) and says whether it matches the one the person reads out.

    The app asks in between two steps of its own: :func:`contact_to_confirm` (a read), then,
    once the user said they match, :func:`mark_confirmed` (the write).

    Raises:
        NotFoundError: no such contact.
        CardInvalidError: the contact's card is damaged.
        NotConfirmedError: ``confirm`` said no (nothing changed).
    """
    contact = contact_to_confirm(journal, contact_id)
    if not confirm(Card.of_contact(contact)):
        raise NotConfirmedError("The fingerprint was not confirmed; nothing was changed.")
    return mark_confirmed(journal, contact)


def contact_to_confirm(journal: Journal, contact_id: str) -> Contact:
    """The contact whose fingerprint is to be compared (``Card.of_contact`` gives its card).

    Raises:
        NotFoundError: no such contact.
    """
    contact = next((c for c in contacts(journal) if c.id == contact_id), None)
    if contact is None:
        raise NotFoundError("That contact is not in your journal any more.")
    return contact


def mark_confirmed(journal: Journal, contact: Contact) -> Contact:
    """Store ``contact`` as confirmed, once the user compared the fingerprint of its card.

    Checked again inside the write transaction (after what other processes wrote was loaded):
    the contact must still be stored exactly as it was shown (the same keys), or nothing is
    changed.

    Raises:
        NotFoundError: it was removed meanwhile.
        ContactsChangedError: it changed meanwhile.
    """

    def unchanged() -> None:
        if contact_to_confirm(journal, contact.id) != contact:
            raise ContactsChangedError()

    confirmed = replace(contact, confirmed=True, fingerprint_differed=False)
    journal.add_records([confirmed], check=unchanged)
    return confirmed


# ==================================================================== confirmed by a programme


def _joined_programme(journal: Journal) -> JoinedProgramme | None:
    found = journal.records(JoinedProgramme)
    return min(found, key=lambda p: (p.joined, p.id)) if found else None


#: The last programme's cards by keys (one programme per vault; it changes only with a new
#: version): a mentor with many student contacts looks each up at once, not card by card.
_VOUCH_INDEX: dict[tuple[str, int, str], dict[tuple[str, str], str]] = {}


def _programme_cards(programme: JoinedProgramme) -> dict[tuple[str, str], str]:
    """``(x25519, ed25519) -> card text`` of every card the programme vouches for."""
    import json

    key = (programme.id, programme.version, programme.key)
    found = _VOUCH_INDEX.get(key)
    if found is None:
        found = {}
        for text in (*programme.mentors, *programme.students):
            try:
                obj = json.loads(text)
                found[(obj["x25519"], obj["ed25519"])] = text
            except (ValueError, KeyError, TypeError):
                continue
        _VOUCH_INDEX.clear()
        _VOUCH_INDEX[key] = found
    return found


def programme_vouch(journal: Journal, who: Card | Contact) -> str | None:
    """The name of the programme this vault joined if it vouches for ``who`` (a mentor on its
    roster, or a student on its enrolment list, with exactly these keys), else None.

    The programme was trusted once, when the user compared its fingerprint at joining; the
    card is checked again here (its self-signature) before trust is taken from it.
    """
    import json

    programme = _joined_programme(journal)
    if programme is None:
        return None
    x, ed = ((who.x25519, who.ed25519) if isinstance(who, Contact)
             else (b64(who.x25519), b64(who.ed25519)))
    text = _programme_cards(programme).get((x, ed))
    if text is None:
        return None
    try:
        Card.from_json(json.loads(text))
    except (CardInvalidError, ValueError):
        return None
    return programme.name


def programme_contacts(journal: Journal) -> list[Contact]:
    """The roster mentors of the programme this vault joined, as contacts (not stored: they
    are confirmed by the programme, not by the user), by name."""
    import hashlib
    import json

    programme = _joined_programme(journal)
    if programme is None:
        return []
    out = []
    for text in programme.mentors:
        try:
            card = Card.from_json(json.loads(text))
        except (CardInvalidError, ValueError):
            continue
        contact = card.as_contact(confirmed=False)
        # A stable id per card, so a screen can find it again.
        out.append(replace(contact, id=hashlib.sha256(card.ed25519).hexdigest()[:32],
                           added=programme.joined))
    return sorted(out, key=lambda c: c.name.casefold())


def trust_of(journal: Journal, contact: Contact) -> str:
    """"confirmed by you", "confirmed by <programme>" or "not confirmed"."""
    if contact.confirmed:
        return "confirmed by you"
    name = programme_vouch(journal, contact)
    return f"confirmed by {name}" if name else "not confirmed"


def contacts_with_trust(journal: Journal) -> list[tuple[Contact, str]]:
    """The user's contacts, then the roster mentors of the programme joined that are not
    among them, each with what :func:`trust_of` says of it. The roster mentors are not
    stored: removing or confirming one is not offered (leaving the programme drops them)."""
    own = contacts(journal)
    roster = [c for c in programme_contacts(journal)
              if all(c.fingerprint != o.fingerprint for o in own)]
    return [(c, trust_of(journal, c)) for c in (*own, *roster)]


def _check_trusted(journal: Journal, contact: Contact) -> None:
    if not contact.confirmed and programme_vouch(journal, contact) is None:
        _check_confirmed(contact)


def _check_confirmed(contact: Contact) -> None:
    if not contact.confirmed:
        raise NotConfirmedError(
            f"You have not confirmed the fingerprint of {contact.name}: compare it with them,"
            " then import their card again ('card import') or confirm it under My card and"
            " contacts; nothing was written."
        )


def remove_contact(journal: Journal, contact_id: str) -> None:
    """Remove a contact. What they sent, and what was shared with them, stays; a package
    from them later is a first contact again (its fingerprint is asked for)."""
    if not journal.remove_records(Contact, [contact_id]):
        raise NotFoundError("That contact is not in your journal any more.")


def _conflicts(card: Card, known: Sequence[Contact]) -> list[Contact]:
    """Contacts that look like the same person (same name, or one of the same keys) with a
    different pair of keys: the sign of a new card, or of someone pretending to be them."""
    name = card.name.casefold()
    fp = card.fingerprint
    return [
        c for c in known
        if c.fingerprint != fp and (
            c.name.casefold() == name
            or unb64(c.x25519, 32) == card.x25519
            or unb64(c.ed25519, 32) == card.ed25519
        )
    ]


@dataclass(frozen=True)
class CardImport:
    contact: Contact
    #: False when the card was already a confirmed contact (nothing changed).
    added: bool
    replaced: bool = False
    #: An unconfirmed contact with these keys was confirmed now.
    confirmed_now: bool = False


@dataclass(frozen=True)
class CardCheck:
    """What adding a card would do, read from the journal (:func:`check_card`; nothing is
    written): the app asks its questions between this and :func:`add_card`."""

    card: Card
    #: The contact with this card's fingerprint, if there is one.
    same: Contact | None
    #: Contacts that look like the same person (same name, or one of the same keys) with
    #: another fingerprint: adding the card means replacing them (a new card, or an impostor).
    changed: tuple[Contact, ...]

    @property
    def needs_confirmation(self) -> bool:
        """Whether the user must compare the fingerprint first (not when the card already is
        a confirmed contact)."""
        return self.changed != () or self.same is None or not self.same.confirmed


def check_card(journal: Journal, data: bytes) -> CardCheck:
    """Read a card file's bytes and what adding it would do (nothing is written).

    Raises:
        CardInvalidError: the file is not a valid card.
        UsageError: it is this vault's own card.
    """
    return _check_card(journal, Card.parse(data))


def _check_card(journal: Journal, card: Card) -> CardCheck:
    mine = identity(journal)
    if mine is not None and card.same_keys(card_of(mine)):
        raise UsageError("That is your own card; give it to the people you share with.")
    known = contacts(journal)
    same = next((c for c in known if c.fingerprint == card.fingerprint), None)
    return CardCheck(card, same, tuple(_conflicts(card, known)))


def import_card(
    journal: Journal, data: bytes, confirm: Callable[[Card], bool], replace_changed: bool = False
) -> CardImport:
    """Add the contact of a card file, once ``confirm`` (shown the name and fingerprint) says
    the fingerprint matches the one the person reads out.

    A card whose name or keys match a contact's but whose fingerprint differs is refused with
    a warning, unless ``replace_changed``: then, once confirmed, it replaces that contact.
    (The app asks in between two steps of its own: :func:`check_card`, then :func:`add_card`.)

    Raises:
        CardInvalidError: the file is not a valid card.
        KeyChangedError: see above.
        NotConfirmedError: ``confirm`` said no.
        UsageError: it is this vault's own card.
    """
    check = check_card(journal, data)
    if check.changed and not replace_changed:
        raise _key_changed()
    if check.needs_confirmation and not confirm(check.card):
        raise NotConfirmedError("The fingerprint was not confirmed; no contact was added.")
    return add_card(journal, check, replace_changed=replace_changed)


def _key_changed() -> KeyChangedError:
    return KeyChangedError(
        "Warning: you already have a contact with this name or key, and a different"
        " fingerprint. Nothing was changed. If they made a new card, compare the new"
        " fingerprint with them in person or by phone, then import it with --replace."
    )


def add_card(journal: Journal, check: CardCheck, replace_changed: bool = False) -> CardImport:
    """Store what :func:`check_card` found, once the user compared the fingerprint (when
    ``check.needs_confirmation``) and, for a changed card, chose ``replace_changed``.

    Checked again inside the write transaction (after what other processes wrote was
    loaded): when the contacts differ from what ``check`` saw (another window or a command
    changed them meanwhile), nothing is changed.

    Raises:
        ContactsChangedError: see above.
        KeyChangedError: the card changed and ``replace_changed`` is False.
        UsageError: it is this vault's own card.
    """

    def unchanged() -> None:
        if _check_card(journal, check.card) != check:
            raise ContactsChangedError()

    card, same, conflicts = check.card, check.same, check.changed
    if conflicts and not replace_changed:
        raise _key_changed()
    if not check.needs_confirmation:
        assert same is not None
        if (same.name, same.role) != (card.name, card.role):
            # The same keys under a new name: the owner re-signed their card.
            updated = replace(same, name=card.name, role=card.role,
                              self_sig=card.to_json()["self_sig"])
            journal.add_records([updated], check=unchanged)
            return CardImport(updated, added=False)
        unchanged()  # nothing to store: still, say so if it is no longer so
        return CardImport(same, added=False)
    contact = card.as_contact(confirmed=True)
    if same is not None:
        contact = replace(contact, id=same.id, added=same.added)
    elif conflicts:
        contact = replace(contact, id=conflicts[0].id)
    # A replaced contact keeps its record id (so nothing else refers to a missing contact);
    # any further conflicting contacts are superseded by the confirmed new card too.
    extra = [replace(card.as_contact(confirmed=True), id=c.id) for c in conflicts[1:]]
    journal.add_records([contact, *extra], check=unchanged)
    return CardImport(contact, added=same is None and not conflicts, replaced=bool(conflicts),
                      confirmed_now=same is not None and not conflicts)


# ==================================================================== the share draft


class FindingLike(Protocol):
    """What journal_app.core.deid's ``Finding`` offers (offsets in characters)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def category(self) -> str: ...
    @property
    def text(self) -> str: ...


Finder = Callable[..., Sequence[FindingLike]]
Redactor = Callable[[str, Sequence[tuple[FindingLike, "str | None"]]], str]


def default_deid() -> tuple[Finder, Redactor]:
    """The de-identification detectors (imported only when a share is being prepared)."""
    from journal_app.core import deid

    return cast(Finder, deid.find_identifiers), cast(Redactor, deid.redact)


@dataclass(frozen=True)
class Selection:
    """An entry to share, or the part ``start:end`` (characters of its body) of one."""

    entry_id: str
    start: int | None = None
    end: int | None = None

    @classmethod
    def parse(cls, text: str) -> Selection:
        """``ID`` or ``ID:START-END`` as given on the command line."""
        entry_id, sep, span = text.partition(":")
        if not sep:
            return cls(entry_id)
        first, dash, last = span.partition("-")
        try:
            if not dash:
                raise ValueError
            return cls(entry_id, int(first), int(last))
        except ValueError:
            raise UsageError(
                "Give an entry as ID, or part of one as ID:START-END (character offsets)."
            ) from None


@dataclass
class DraftExcerpt:
    excerpt_id: str
    entry_id: str
    title: str
    text: str
    start: int | None
    end: int | None
    year: int
    encounter: str | None


Part = Literal["title", "text", "note", "question"]


@dataclass(frozen=True)
class FieldRef:
    """Which text of a draft a finding is in: an excerpt's title or text, the note, the
    question."""

    part: Part
    excerpt: int | None = None

    def label(self) -> str:
        if self.excerpt is None:
            return f"the {self.part}"
        return f"excerpt {self.excerpt + 1}, {self.part}"


@dataclass
class ShareDraft:
    """What the student picked, before de-identification is decided."""

    excerpts: list[DraftExcerpt]
    note: str = ""
    question: str = ""
    #: The student lets the mentor make a de-identified handout of these excerpts.
    handout: bool = False

    def texts(self) -> list[tuple[FieldRef, str]]:
        out: list[tuple[FieldRef, str]] = []
        for i, excerpt in enumerate(self.excerpts):
            out.append((FieldRef("title", i), excerpt.title))
            out.append((FieldRef("text", i), excerpt.text))
        out.append((FieldRef("note"), self.note))
        out.append((FieldRef("question"), self.question))
        return out

    def with_text(self, ref: FieldRef, text: str) -> None:
        if ref.excerpt is None:
            setattr(self, ref.part, text)
        else:
            setattr(self.excerpts[ref.excerpt], ref.part, text)


def draft_share(
    journal: Journal, selections: Sequence[Selection], note: str = "", question: str = ""
) -> ShareDraft:
    """Cut the chosen entries (or parts of them) into a draft.

    Raises:
        NotFoundError, AmbiguousIdError: an entry id does not match.
        UsageError: no entries, too many, a range outside the text, an entry in the trash.
        ValidationError: an excerpt, the note or the question is too long or empty.
    """
    if not selections:
        raise UsageError("Choose at least one entry to share.")
    if len(selections) > MAX_EXCERPTS:
        raise UsageError(f"A share package holds at most {MAX_EXCERPTS} excerpts.")
    if len(note) > MAX_NOTE or len(question) > MAX_NOTE:
        raise ValidationError(f"The note and the question hold at most {MAX_NOTE:,} characters.")
    excerpts = []
    for sel in selections:
        entry = journal.get_entry(sel.entry_id)
        if entry.in_trash:
            raise UsageError("One of the entries is in the trash; restore it to share it.")
        body = entry.body
        start, end = sel.start, sel.end
        if start is not None and end is not None:
            if not 0 <= start < end <= len(body):
                raise UsageError(
                    f"The range {start}-{end} is outside the entry's text"
                    f" ({len(body)} characters)."
                )
            body = body[start:end]
        if len(body) > MAX_EXCERPT_TEXT:
            raise ValidationError(
                f"An excerpt holds at most {MAX_EXCERPT_TEXT:,} characters; share part of"
                " the entry (ID:START-END)."
            )
        if not body.strip() and not entry.title.strip():
            raise ValidationError("One of the chosen excerpts is empty.")
        excerpts.append(DraftExcerpt(
            excerpt_id=new_id(), entry_id=entry.id, title=entry.title, text=body,
            start=start, end=end, year=entry.created.year, encounter=entry.encounter,
        ))
    return ShareDraft(excerpts, note, question)


@dataclass
class Review:
    """The de-identification findings of a draft, and the user's decision on each: a
    replacement text, or ``None`` to keep the text as it is. Sharing is blocked until every
    finding is decided."""

    draft: ShareDraft
    findings: list[tuple[FieldRef, FindingLike]]
    decisions: dict[int, str | None] = field(default_factory=dict)

    @staticmethod
    def default_replacement(finding: FindingLike) -> str:
        return f"[{finding.category}]"

    def accept(self, index: int, replacement: str | None = None) -> None:
        """Redact finding ``index`` (with the category placeholder unless given)."""
        finding = self.findings[index][1]
        self.decisions[index] = (replacement if replacement is not None
                                 else self.default_replacement(finding))

    def ignore(self, index: int) -> None:
        """Keep the text of finding ``index`` as it is."""
        self.decisions[index] = None

    def accept_all(self) -> None:
        for index in range(len(self.findings)):
            if index not in self.decisions:
                self.accept(index)

    def undecided(self) -> list[int]:
        return [i for i in range(len(self.findings)) if i not in self.decisions]

    def redacted(self, redactor: Redactor | None = None) -> ShareDraft:
        """A copy of the draft with every decision applied.

        Raises:
            UsageError: some findings are not decided.
        """
        open_ = self.undecided()
        if open_:
            raise UsageError(
                f"{len(open_)} possible identifier(s) are not decided yet: accept, change or"
                " ignore each before sharing."
            )
        if redactor is None:
            redactor = default_deid()[1]
        out = ShareDraft([replace(e) for e in self.draft.excerpts], self.draft.note,
                         self.draft.question, self.draft.handout)
        for ref, text in self.draft.texts():
            decisions = [(f, self.decisions[i]) for i, (r, f) in enumerate(self.findings)
                         if r == ref]
            if decisions:
                out.with_text(ref, redactor(text, decisions))
        return out


def review_draft(
    draft: ShareDraft, names: Sequence[str] = (), finder: Finder | None = None
) -> Review:
    """Run the de-identification detectors over every text of the draft."""
    if finder is None:
        finder = default_deid()[0]
    findings: list[tuple[FieldRef, FindingLike]] = []
    for ref, text in draft.texts():
        if text:
            findings.extend((ref, f) for f in finder(text, names=tuple(names)))
    return Review(draft, findings)


# ==================================================================== writing packages


def _today() -> str:
    return now().date().isoformat()


def _check_share_passphrase(passphrase: str) -> None:
    from journal_app.core.vault.passwords import assess

    strength = assess(passphrase)
    if strength.blocked:
        raise ValidationError(
            "That share passphrase is too weak: " + " ".join(strength.reasons)
            + " Use a few unrelated words, and tell it to your mentor by another way than the"
            " file (in person or by phone)."
        )


def _write_and_log(journal: Journal, out: Path, data: bytes, records: Sequence[Record]) -> None:
    """Write the package file, then its record; if the record cannot be stored, the file is
    removed again (a package the journal has no record of must not be left behind)."""
    from journal_app.core.files import write_private_file

    write_private_file(out, data)
    try:
        journal.add_records(records)
    except BaseException:
        with contextlib.suppress(OSError):
            out.unlink()
        raise


def write_share(
    journal: Journal,
    draft: ShareDraft,
    out: Path,
    to: Sequence[Contact] = (),
    passphrase: str | None = None,
    kdf: KdfParams = DEFAULT_KDF,
) -> SharedLog:
    """Write a share package of a de-identified draft to ``out``, encrypted to ``to`` and/or
    locked with a one-off share passphrase, and record it in the share log.

    The file cannot be recalled once sent.

    Raises:
        UsageError: no identity yet (make your card first), no recipient.
        NotConfirmedError: a recipient whose fingerprint the user has not confirmed.
        ValidationError: a weak share passphrase.
        PackageError: too many recipients or too large.
        StorageError: the file or the record could not be written (then neither is kept).
    """
    if not to and not passphrase:
        raise UsageError("Choose a contact (--to) or a share passphrase to lock the package.")
    if len(to) > MAX_RECIPIENTS:
        raise UsageError(f"A share package can go to at most {MAX_RECIPIENTS} people.")
    for contact in to:
        _check_trusted(journal, contact)
    if passphrase:
        _check_share_passphrase(passphrase)
    me = identity(journal)
    if me is None:
        raise UsageError(
            "Make your card first ('card export --name NAME --out FILE'): every package"
            " carries it, so your mentor can check who sent it and reply."
        )
    _x_priv, ed_priv = identity_keys(me)
    recipients = [Card.of_contact(c) for c in to]
    payload = SharePayload(
        created=_today(),
        sender=card_of(me).to_json(),
        note=draft.note,
        question=draft.question,
        handout=draft.handout,
        excerpts=[
            ExcerptPayload(excerpt_id=e.excerpt_id, entry_id=e.entry_id, title=e.title,
                           text=e.text, year=e.year, encounter=e.encounter)
            for e in draft.excerpts
        ],
    )
    package_id, data = seal_package(
        payload, ed_priv, [c.encryption_key() for c in recipients],
        passphrase=passphrase or None, kdf=kdf,
    )
    log = SharedLog(
        package_id=package_id,
        recipients=tuple(ShareRecipient(c.name, c.fingerprint) for c in to),
        passphrase=bool(passphrase),
        excerpts=tuple(SharedExcerpt(excerpt_id=e.excerpt_id, entry_id=e.entry_id,
                                     title=e.title, text=e.text, start=e.start, end=e.end)
                       for e in draft.excerpts),
        note=draft.note,
        question=draft.question,
        handout=draft.handout,
    )
    _write_and_log(journal, out, data, [log])
    return log


# ==================================================================== reading packages


def read_package_file(path: Path) -> bytes:
    """The bytes of a package file, refusing missing, unreadable or oversized files plainly."""
    return read_user_file(path, MAX_PACKAGE_BYTES, too_large=PackageError(
        "That file is too large to be a share package; nothing was imported."))


def is_share_package(data: bytes) -> bool:
    """Whether ``data`` (a file's bytes) claims to be a share package (the app opening a file
    from the desktop sends it to receiving, anything else to adding a contact's card); the
    claim is checked whole by :func:`receive`."""
    return data.startswith(MAGIC)


@dataclass
class Received:
    """What :func:`receive` stored."""

    kind: str
    package: ReceivedPackage
    sender: Card
    excerpts: list[ReceivedExcerpt] = field(default_factory=list)
    feedback: list[Feedback] = field(default_factory=list)
    receipts: list[ReadReceipt] = field(default_factory=list)
    new_contact: bool = False


def _received_ids(journal: Journal) -> set[str]:
    return {p.package_id for p in journal.records(ReceivedPackage)}


def open_package(
    journal: Journal, data: bytes, passphrase: Callable[[], str] | str | None = None
) -> OpenedPackage:
    """Check and decrypt a package for this vault, storing nothing.

    ``passphrase`` (or a function asked only when needed) opens a passphrase-locked package.

    Raises:
        PackageError and its subclasses (truncated, altered, version, not for you, replay).
        WrongSharePassphraseError: the share passphrase does not open it.
        UsageError: it needs a share passphrase and none was given.
    """
    sealed: SealedPackage = parse_package(data)
    if sealed.package_id in _received_ids(journal):
        raise PackageReplayError()
    key: bytes | None = None
    me = identity(journal)
    if me is not None and sealed.has_cards:
        key = content_key_for_card(sealed, identity_keys(me)[0])
    if key is None:
        if not sealed.has_passphrase:
            raise NotForYouError()
        if passphrase is None:
            raise UsageError(
                "This share package is locked with a share passphrase: give it with"
                " --share-passphrase-file."
            )
        text = passphrase() if callable(passphrase) else passphrase
        key = content_key_for_passphrase(sealed, text)
    return open_payload(sealed, key)


def _sender_contact(
    journal: Journal, sender: Card, confirm: Callable[[Card], bool]
) -> tuple[Contact | None, bool]:
    """The contact record to store for the sender (``None``: nothing to store), and whether it
    is a new contact. Asks ``confirm`` on first contact.

    Raises:
        KeyChangedError: a known contact's name or key with a different fingerprint.
        NotConfirmedError: the user did not confirm a first contact's fingerprint.
    """
    me = identity(journal)
    if me is not None and sender.same_keys(card_of(me)):
        return None, False
    known = contacts(journal)
    if _conflicts(sender, known):
        raise KeyChangedError()
    same = next((c for c in known if c.fingerprint == sender.fingerprint), None)
    if same is not None and same.confirmed:
        return None, False
    if programme_vouch(journal, sender) is not None:
        # Confirmed by the programme joined: no question; kept as a contact (not confirmed by
        # the user) so a reply can go back to them.
        return (None, False) if same is not None else (sender.as_contact(confirmed=False), True)
    if not confirm(sender):
        raise NotConfirmedError()
    if same is not None:
        return replace(same, confirmed=True, fingerprint_differed=False), False
    return sender.as_contact(confirmed=True), True


def _share_log_excerpts(journal: Journal) -> dict[tuple[str, str], tuple[SharedLog, SharedExcerpt]]:
    out = {}
    for log in journal.records(SharedLog):
        for excerpt in log.excerpts:
            out[(log.package_id, excerpt.excerpt_id)] = (log, excerpt)
    return out


def receive(
    journal: Journal,
    data: bytes,
    confirm: Callable[[Card], bool],
    passphrase: Callable[[], str] | str | None = None,
) -> Received:
    """Check, decrypt and store a share or feedback package, or a read receipt, all or
    nothing.

    Everything is checked before anything is stored: format and version, size, signature,
    recipient, decryption, every field, the sender (``confirm`` is asked, with the sender's
    card, on first contact), and for feedback or a read receipt that it is about excerpts this
    journal shared with that sender. Then the records are written in one transaction.

    Raises:
        PackageError and its subclasses, KeyChangedError: refused, nothing stored.
        WrongSharePassphraseError, NotConfirmedError, UsageError: nothing stored.
    """
    opened = open_package(journal, data, passphrase)
    sender = opened.sender
    contact, new_contact = _sender_contact(journal, sender, confirm)
    payload = opened.payload
    when = now()
    package = ReceivedPackage(
        package_id=opened.package_id, kind=payload.kind, received=when, sent_on=payload.created,
        sender_name=sender.name, sender_role=sender.role, sender_fingerprint=sender.fingerprint,
        note=payload.note if isinstance(payload, SharePayload) else "",
        question=payload.question if isinstance(payload, SharePayload) else "",
    )
    result = Received(payload.kind, package, sender, new_contact=new_contact)
    try:
        if isinstance(payload, SharePayload):
            result.excerpts = [
                ReceivedExcerpt(
                    package_id=opened.package_id, excerpt_id=e.excerpt_id,
                    sender_name=sender.name, sender_fingerprint=sender.fingerprint,
                    entry_ref=e.entry_id, title=e.title, text=e.text, year=e.year,
                    encounter=e.encounter, sent_on=payload.created, received=when,
                    position=position, handout=payload.handout,
                )
                for position, e in enumerate(payload.excerpts)
            ]
        elif isinstance(payload, ReceiptPayload):
            result.receipts = _received_receipts(journal, opened, payload, when)
        else:
            result.feedback = _received_feedback(journal, opened, payload, when)
    except ValueError:
        raise PackageError("The share package's contents are not valid; nothing was imported.") \
            from None

    def not_yet_imported() -> None:
        # Again inside the transaction: two processes importing the same file store it once.
        if opened.package_id in _received_ids(journal):
            raise PackageReplayError()

    records = [*([contact] if contact else []), package, *result.excerpts, *result.feedback,
               *result.receipts]
    journal.add_records(records, check=not_yet_imported)
    return result


def _shared_excerpt(
    shared: dict[tuple[str, str], tuple[SharedLog, SharedExcerpt]], opened: OpenedPackage,
    share_package_id: str, excerpt_id: str, what: str,
) -> SharedExcerpt:
    """The excerpt of this journal's share log that feedback or a read receipt is about; it
    must have been shared with the sender (or locked with a share passphrase).

    Raises:
        PackageError: this journal has no record of sharing it, or not with the sender.
    """
    found = shared.get((share_package_id, excerpt_id))
    if found is None:
        raise PackageError(
            f"This {what} is about something this journal has no record of sharing;"
            " nothing was imported."
        )
    log, excerpt = found
    if not log.passphrase and opened.sender.fingerprint not in {
        r.fingerprint for r in log.recipients
    }:
        raise PackageError(
            f"This {what} comes from someone the excerpt was not shared with; nothing was"
            " imported."
        )
    return excerpt


def _received_receipts(
    journal: Journal, opened: OpenedPackage, payload: ReceiptPayload, when: datetime
) -> list[ReadReceipt]:
    shared = _share_log_excerpts(journal)
    return [
        ReadReceipt(
            direction="received", share_package_id=item.share_package_id,
            excerpt_id=item.excerpt_id,
            entry_id=_shared_excerpt(shared, opened, item.share_package_id, item.excerpt_id,
                                     "read receipt").entry_id,
            contact_name=opened.sender.name, contact_fingerprint=opened.sender.fingerprint,
            read=item.read, package_id=opened.package_id, created=when,
        )
        for item in payload.items
    ]


def _received_feedback(
    journal: Journal, opened: OpenedPackage, payload: FeedbackPayload, when: datetime
) -> list[Feedback]:
    shared = _share_log_excerpts(journal)
    out = []
    for item in payload.items:
        excerpt = _shared_excerpt(shared, opened, item.share_package_id, item.excerpt_id,
                                  "feedback")
        out.append(Feedback(
            direction="received", feedback_id=item.feedback_id,
            share_package_id=item.share_package_id, excerpt_id=item.excerpt_id,
            entry_id=excerpt.entry_id, contact_name=opened.sender.name,
            contact_fingerprint=opened.sender.fingerprint, comment=item.comment,
            reply=item.reply, depth=item.depth, package_id=opened.package_id,
            received=when,
        ))
    return out


# ==================================================================== feedback (mentor side)


@dataclass(frozen=True)
class FeedbackPart:
    """Feedback on one received excerpt (record id or unique prefix) in a feedback package."""

    excerpt_id: str
    comment: str = ""
    reply: str = ""
    depth: str | None = None


def _one_students_excerpts(
    journal: Journal, excerpt_ids: Sequence[str], package: str, what: str,
) -> tuple[list[ReceivedExcerpt], Identity, Contact]:
    """The received excerpts a feedback package or read receipt is about, this vault's
    identity that signs it, and the one student (a trusted contact) it goes to.

    Raises:
        NotFoundError, AmbiguousIdError: no such received excerpt.
        UsageError: too many, the same excerpt twice, several students, no identity yet, or
            the student is no longer a contact.
        NotConfirmedError: the student's fingerprint is not confirmed.
    """
    if len(excerpt_ids) > MAX_FEEDBACK_ITEMS:
        raise UsageError(f"A {package} holds at most {MAX_FEEDBACK_ITEMS} excerpts.")
    excerpts = [journal.get(excerpt_id, ReceivedExcerpt) for excerpt_id in excerpt_ids]
    if len({e.id for e in excerpts}) != len(excerpts):
        raise UsageError("The same excerpt is named twice; give each excerpt once.")
    if len({e.sender_fingerprint for e in excerpts}) > 1:
        raise UsageError(
            f"These excerpts come from more than one student: a {package} goes to one"
            " student, so write one for each. Nothing was written."
        )
    me = identity(journal)
    if me is None:
        raise UsageError(
            "Make your card first ('card export --name NAME --role mentor --out FILE'): the"
            f" {what} is signed with it."
        )
    fingerprint = excerpts[0].sender_fingerprint
    student = next((c for c in contacts(journal) if c.fingerprint == fingerprint), None)
    if student is None:
        raise UsageError("The person who shared this excerpt is not among your contacts.")
    _check_trusted(journal, student)
    return excerpts, me, student


def write_feedback(
    journal: Journal,
    excerpt_id: str,
    out: Path,
    comment: str = "",
    reply: str = "",
    depth: str | None = None,
) -> Feedback:
    """Write feedback on one received excerpt (see :func:`write_feedback_package`)."""
    return write_feedback_package(
        journal, [FeedbackPart(excerpt_id, comment, reply, depth)], out)[0]


def write_feedback_package(
    journal: Journal, parts: Sequence[FeedbackPart], out: Path
) -> list[Feedback]:
    """Write feedback on several received excerpts of one student as one package for that
    student, and keep the mentor's copy of each part. The file cannot be recalled once sent.
    The student's app attaches each part to its own excerpt (:func:`receive`).

    Raises:
        NotFoundError, AmbiguousIdError: no such received excerpt.
        UsageError: no parts, the same excerpt twice, excerpts of several students, no
            identity yet, or the student is no longer a contact.
        ValidationError: empty or too long feedback, unknown depth.
    """
    if not parts:
        raise UsageError("Choose at least one excerpt to give feedback on.")
    excerpts, me, student = _one_students_excerpts(
        journal, [part.excerpt_id for part in parts], "feedback package", "feedback")
    try:
        items = [
            FeedbackItem(
                feedback_id=new_id(), share_package_id=excerpt.package_id,
                excerpt_id=excerpt.excerpt_id, entry_id=excerpt.entry_ref,
                comment=part.comment, reply=part.reply, depth=part.depth,
            )
            for part, excerpt in zip(parts, excerpts, strict=True)
        ]
        payload = FeedbackPayload(created=_today(), sender=card_of(me).to_json(), items=items)
    except ValueError as exc:
        raise ValidationError(describe(exc)) from None
    package_id, data = seal_package(
        payload, identity_keys(me)[1], [Card.of_contact(student).encryption_key()]
    )
    written = [
        Feedback(
            direction="written", feedback_id=item.feedback_id,
            share_package_id=excerpt.package_id, excerpt_id=excerpt.excerpt_id,
            entry_id=excerpt.entry_ref, contact_name=student.name,
            contact_fingerprint=student.fingerprint, comment=item.comment, reply=item.reply,
            depth=item.depth, package_id=package_id,
        )
        for item, excerpt in zip(items, excerpts, strict=True)
    ]
    _write_and_log(journal, out, data, written)
    return written


# ==================================================================== a mentor's handout


def handout_draft(journal: Journal, excerpt_id: str) -> ShareDraft:
    """A received excerpt as a draft for a reflection-round handout (reviewed like a share,
    then printed without name or date), only if the student agreed to it in their package.

    Raises:
        NotFoundError, AmbiguousIdError: no such received excerpt.
        UsageError: the student did not agree to a handout of it.
    """
    excerpt = journal.get(excerpt_id, ReceivedExcerpt)
    if not excerpt.handout:
        raise UsageError(
            f"{excerpt.sender_name} did not agree to a handout of this excerpt when they shared"
            " it: ask them to share it again with their consent (nothing was written)."
        )
    return ShareDraft([DraftExcerpt(
        excerpt_id=excerpt.excerpt_id, entry_id=excerpt.entry_ref, title=excerpt.title,
        text=excerpt.text, start=None, end=None, year=excerpt.year or 0,
        encounter=excerpt.encounter)])


# ==================================================================== read receipts (mentor side)


def write_receipt(journal: Journal, excerpt_ids: Sequence[str], out: Path) -> list[ReadReceipt]:
    """Let a student know their excerpts were read: a read receipt package for that student,
    signed with the mentor's card and encrypted to the student's, naming each excerpt by the
    ids of the student's share and the time it was first opened (no text). An excerpt not
    opened yet is marked read now. Nothing is sent unless the mentor asks: opening an excerpt
    announces nothing. The file cannot be recalled once sent.

    Raises:
        NotFoundError, AmbiguousIdError: no such received excerpt.
        UsageError: no excerpts, the same one twice, excerpts of several students, no
            identity yet, or the student is no longer a contact.
        NotConfirmedError: the student's fingerprint is not confirmed.
    """
    if not excerpt_ids:
        raise UsageError("Choose at least one excerpt you read.")
    excerpts, me, student = _one_students_excerpts(journal, excerpt_ids, "read receipt",
                                                   "read receipt")
    opened: dict[str, datetime] = {}
    for mark in journal.records(InboxMark):
        if mark.excerpt not in opened or mark.marked < opened[mark.excerpt]:
            opened[mark.excerpt] = mark.marked
    when = now()
    marks = [InboxMark(excerpt=e.id, marked=when) for e in excerpts if e.id not in opened]
    # To the minute: the student learns the day and hour it was opened, no finer.
    read = {e.id: opened.get(e.id, when).replace(second=0, microsecond=0) for e in excerpts}
    try:
        payload = ReceiptPayload(created=_today(), sender=card_of(me).to_json(), items=[
            ReceiptItem(share_package_id=e.package_id, excerpt_id=e.excerpt_id, read=read[e.id])
            for e in excerpts])
    except ValueError as exc:
        raise ValidationError(describe(exc)) from None
    package_id, data = seal_package(
        payload, identity_keys(me)[1], [Card.of_contact(student).encryption_key()])
    written = [
        ReadReceipt(
            direction="written", share_package_id=e.package_id, excerpt_id=e.excerpt_id,
            entry_id=e.entry_ref, contact_name=student.name,
            contact_fingerprint=student.fingerprint, read=read[e.id], package_id=package_id,
        )
        for e in excerpts
    ]
    _write_and_log(journal, out, data, [*marks, *written])
    return written


def receipts_sent(journal: Journal) -> set[str]:
    """The received excerpts (record ids) a read receipt was already sent for."""
    sent = {(r.share_package_id, r.excerpt_id) for r in journal.records(ReadReceipt)
            if r.direction == "written"}
    return {e.id for e in journal.records(ReceivedExcerpt)
            if (e.package_id, e.excerpt_id) in sent}


# ==================================================================== reading what is stored


def received_excerpts(journal: Journal) -> list[ReceivedExcerpt]:
    """Received excerpts by sender, newest package first, in the order they were shared."""
    items = journal.records(ReceivedExcerpt)
    packages = {p.package_id: p for p in journal.records(ReceivedPackage)}
    order = {p: i for i, p in enumerate(
        sorted(packages, key=lambda k: packages[k].received, reverse=True))}
    return sorted(items, key=lambda e: (e.sender_name.casefold(), e.sender_fingerprint,
                                        order.get(e.package_id, 0), e.position))


def shared_logs(journal: Journal) -> list[SharedLog]:
    """What this vault shared, newest first."""
    return sorted(journal.records(SharedLog), key=lambda s: s.created, reverse=True)


def feedback(journal: Journal, direction: str | None = None) -> list[Feedback]:
    """Feedback, newest first (``direction``: ``written``, ``received`` or both)."""
    items = [f for f in journal.records(Feedback) if direction in (None, f.direction)]
    return sorted(items, key=lambda f: (f.received or f.created), reverse=True)


def feedback_for_entry(journal: Journal, entry_id: str) -> list[Feedback]:
    """The feedback received on one of this vault's entries (shown beside it)."""
    return [f for f in feedback(journal, "received") if f.entry_id == entry_id]


def portfolio_feedback(journal: Journal) -> dict[str, str]:
    """``entry id -> "Name: comment"`` of the latest feedback received on each entry (the reply
    when there is no comment), for the portfolio's short mentor-feedback excerpt."""
    out: dict[str, str] = {}
    for item in sorted(feedback(journal, "received"), key=lambda f: f.created):
        words = (item.comment or item.reply).strip()
        if words:
            out[item.entry_id] = f"{item.contact_name}: {words}"
    return out


def mentor_depth_ratings(journal: Journal) -> list[tuple[date, str]]:
    """``(day of the entry, REFLECT level)`` of every depth rating a mentor sent back, on the
    day of the entry it rates (so it lines up with the student's own rating of that entry).
    Ratings of entries in the trash or gone are left out."""
    rated = [item for item in feedback(journal, "received") if item.depth is not None]
    if not rated:
        return []
    # Only the rated entries (a dict of every entry cost 0.1 s at 100,000 entries).
    wanted = {item.entry_id for item in rated}
    days = {e.id: e.created.date() for e in journal.entries() if e.id in wanted}
    return sorted((days[item.entry_id], item.depth) for item in rated
                  if item.depth is not None and item.entry_id in days)

