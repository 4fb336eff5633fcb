"""Programmes over the journal service: leading one (create, roster, enrolment, pack, publish,
hand-over) and belonging to one (join, update, show, leave).

Records (encrypted in the vault; :mod:`journal_app.core.records.model`):

* ``programme-lead``: the programme's Ed25519 signing key, its name, founding day, the last
  version published, and what the next version holds. The key never leaves the vault.
* ``programme``: the programme this vault joined: the latest file as received, the key the
  next version must be signed by (or handed over from), and the roster, enrolment list and
  pack checked out of it.

Trust rules (docs/design.md, "Programmes"): a programme is trusted once, when its fingerprint is
compared at joining (the only explicit act); from then on a file is taken only if it is signed by
the programme's key, or by a key that key handed the programme to; only if its version is newer
than the one held; and a roster that changes the key of a mentor the member knows (from the
previous roster, or a contact of their own) is shown as a change and taken only when the member
confirms it. Everything is checked before anything is stored, and stored in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from journal_app.core.errors import (
    ContactsChangedError,
    NotConfirmedError,
    NotFoundError,
    ProgrammeFileError,
    ProgrammeKeyError,
    ProgrammeOlderError,
    UsageError,
    ValidationError,
    describe,
)
from journal_app.core.files import read_user_file, write_private_file
from journal_app.core.practice.pack import (
    Pack,
    Rotation,
    current_rotation,
    pack_of,
    read_pack_dir,
    rotations,
)
from journal_app.core.programme.fileformat import (
    Handover,
    ProgrammeFile,
    accepts,
    b64,
    card_unchecked,
    open_successor_keys,
    parse_programme,
    programme_fingerprint,
    public_key,
    seal_successor_keys,
    sign_file,
)
from journal_app.core.records.model import (
    MAX_ENROLMENT,
    MAX_PROGRAMME_FILE,
    MAX_ROSTER,
    JoinedProgramme,
    ProgrammeLead,
    check_person_name,
    new_id,
    now,
)
from journal_app.core.records.validation import unb64
from journal_app.core.sharing import Card, card_of, contacts, identity
from journal_app.core.sharing.cards import identity_keys, normalise_fingerprint

if TYPE_CHECKING:
    from journal_app.core.vault.journal import Journal


def _card_text(card: Card) -> str:
    return json.dumps(card.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _cards(texts: Sequence[str], verify: bool = True) -> list[Card]:
    """The cards of a roster or an enrolment list as stored; ``verify=False`` only to show
    them (each was checked when it was added, and the vault authenticates the record)."""
    if verify:
        return [Card.from_json(json.loads(t)) for t in texts]
    return [card_unchecked(json.loads(t)) for t in texts]


def read_programme_file(path: Path) -> bytes:
    """The bytes of a programme file, refusing missing, unreadable or oversized files."""
    return read_user_file(path, MAX_PROGRAMME_FILE, too_large=ProgrammeFileError(
        "That file is too large to be a programme file; nothing was changed."),
        error=ProgrammeFileError)


# ==================================================================== leading a programme


def lead(journal: Journal) -> ProgrammeLead | None:
    """The programme this vault leads, if any."""
    found = journal.records(ProgrammeLead)
    return min(found, key=lambda p: (p.created, p.id)) if found else None


def _lead_or_fail(journal: Journal) -> ProgrammeLead:
    current = lead(journal)
    if current is None:
        raise UsageError("This journal leads no programme: make one with 'programme create"
                         " --name NAME'.")
    if current.handed_over_to:
        raise UsageError("You handed this programme over to its new lead; only they can change"
                         " or publish it now.")
    return current


def _signing_key(record: ProgrammeLead) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(unb64(record.signing_key, 32))


def lead_fingerprint(record: ProgrammeLead) -> str:
    return programme_fingerprint(public_key(_signing_key(record)))


def create(journal: Journal, name: str) -> ProgrammeLead:
    """Make a programme led from this vault: a fresh Ed25519 signing key, sealed in the vault.

    Raises:
        UsageError: this vault already leads one.
        ValidationError: the name is empty, too long or holds control characters.
    """
    if lead(journal) is not None:
        raise UsageError("This journal already leads a programme; a journal leads one.")
    try:
        clean = check_person_name(name)
    except ValueError as exc:
        raise ValidationError(describe(exc)) from None
    key = Ed25519PrivateKey.generate().private_bytes_raw()
    record = ProgrammeLead(name=clean, signing_key=b64(key),
                           founded=now().date().isoformat(), cohort_key=new_cohort_key())
    journal.add_record(record)
    return record


def _store_lead(journal: Journal, before: ProgrammeLead, after: ProgrammeLead) -> ProgrammeLead:
    def unchanged() -> None:
        if lead(journal) != before:
            raise ContactsChangedError(
                "The programme changed meanwhile (in another window or a command); nothing was"
                " changed. Try again.")

    journal.add_records([after], check=unchanged)
    return after


def roster_add(journal: Journal, data: bytes, replace_changed: bool = False) -> Card:
    """Put a mentor's card on the roster (the lead compared its fingerprint with the mentor).

    Raises:
        CardInvalidError: not a valid card.
        UsageError: not a mentor's card, already there, or the roster is full.
        NotConfirmedError: a mentor of that name is on the roster with another card, and
            ``replace_changed`` is False.
    """
    record = _lead_or_fail(journal)
    card = Card.parse(data)
    if card.role != "mentor":
        raise UsageError("That is a student's card; the roster lists mentors (enrol students"
                         " with 'programme enrol').")
    current = _cards(record.mentors)
    if any(c.fingerprint == card.fingerprint for c in current):
        raise UsageError(f"{card.name} is already on the roster with this card.")
    if any(c.fingerprint == card.fingerprint
           for c in _cards(record.students, verify=False)):
        raise UsageError("That card is on the enrolment list; a card is a mentor or a student.")
    changed = [c for c in current if c.name.casefold() == card.name.casefold()
               or c.same_keys(card)]
    if changed and not replace_changed:
        raise NotConfirmedError(
            f"{card.name} is on the roster with another card (fingerprint"
            f" {changed[0].fingerprint}); compare the new fingerprint with them, then add it"
            " with --replace. Nothing was changed.")
    kept = [c for c in current if c not in changed]
    if len(kept) >= MAX_ROSTER:
        raise UsageError(f"A roster holds at most {MAX_ROSTER} mentors.")
    _store_lead(journal, record, replace(
        record, mentors=tuple(_card_text(c) for c in [*kept, card])))
    return card


def roster_remove(journal: Journal, who: str) -> Card:
    """Take a mentor off the roster, by name (any case) or fingerprint.

    Raises:
        NotFoundError, UsageError (no programme).
    """
    record = _lead_or_fail(journal)
    current = _cards(record.mentors)
    fp = normalise_fingerprint(who)
    wanted = " ".join(who.split()).casefold()
    found = [c for c in current if (c.fingerprint == fp if fp else c.name.casefold() == wanted)]
    if not found:
        raise NotFoundError("No mentor on the roster has that name or fingerprint.")
    _store_lead(journal, record, replace(
        record, mentors=tuple(_card_text(c) for c in current if c not in found)))
    return found[0]


def enrol(journal: Journal, files: Sequence[bytes]) -> list[Card]:
    """Add students' cards to the enrolment list, all or none. Returns the cards added (one
    already enrolled is skipped).

    Raises:
        CardInvalidError: one is not a valid card (nothing was added).
        UsageError: one is a mentor's card, or the list would be too long.
    """
    record = _lead_or_fail(journal)
    cards = [Card.parse(data) for data in files]
    if any(c.role != "student" for c in cards):
        raise UsageError("One of the cards is a mentor's; the enrolment list holds students'"
                         " cards (put mentors on the roster). Nothing was changed.")
    roster = {c.fingerprint for c in _cards(record.mentors, verify=False)}
    if any(c.fingerprint in roster for c in cards):
        raise UsageError("One of the cards is on the roster; a card is a mentor or a student."
                         " Nothing was changed.")
    current = _cards(record.students, verify=False)
    known = {c.fingerprint for c in current}
    added: list[Card] = []
    for card in cards:
        if card.fingerprint not in known:
            known.add(card.fingerprint)
            added.append(card)
    if len(current) + len(added) > MAX_ENROLMENT:
        raise UsageError(f"An enrolment list holds at most {MAX_ENROLMENT:,} students.")
    if added:
        _store_lead(journal, record, replace(
            record, students=tuple(_card_text(c) for c in [*current, *added])))
    return added


def pack_set(journal: Journal, folder: Path) -> Pack:
    """Take the content pack from a folder of TOML files, validated like the shipped content.

    Raises:
        PackInvalidError: naming the file, the line and the reason (nothing was changed).
    """
    record = _lead_or_fail(journal)
    files = read_pack_dir(folder)
    _store_lead(journal, record, replace(record, pack=files))
    return pack_of(files)


def new_cohort_key() -> str:
    """A fresh X25519 private key (base64) for cohort contributions (issue 25)."""
    return b64(X25519PrivateKey.generate().private_bytes_raw())


def cohort_private_key(record: ProgrammeLead) -> X25519PrivateKey | None:
    """The programme's key for opening cohort contributions (None: never published with one)."""
    if not record.cohort_key:
        return None
    return X25519PrivateKey.from_private_bytes(unb64(record.cohort_key, 32))


def cohort_private_keys(record: ProgrammeLead) -> tuple[X25519PrivateKey, ...]:
    """Every key contributions to the programme may be encrypted to that this lead holds: its
    own (first), then those passed on by the hand-overs before it."""
    texts = [record.cohort_key] if record.cohort_key else []
    return tuple(X25519PrivateKey.from_private_bytes(unb64(t, 32))
                 for t in dict.fromkeys([*texts, *record.past_cohort_keys]))


def _file_of(record: ProgrammeLead, version: int, handovers: Sequence[Handover],
             successor_keys: bytes = b"") -> ProgrammeFile:
    private = cohort_private_key(record)
    return sign_file(
        _signing_key(record), name=record.name, founded=record.founded, version=version,
        # Each card was checked when added; sign_file checks the whole file as members will.
        published=now().date().isoformat(), mentors=_cards(record.mentors, verify=False),
        students=_cards(record.students, verify=False), pack=record.pack, handovers=handovers,
        cohort_key=private.public_key().public_bytes_raw() if private else b"",
        successor_keys=successor_keys,
    )


def _handovers(record: ProgrammeLead) -> list[Handover]:
    return [Handover.from_json(json.loads(t)) for t in record.handovers]


def publish(journal: Journal, out: Path) -> ProgrammeFile:
    """Sign the next version of the programme and write it to ``out``.

    The version number is stored before the file is written, so two files never carry the
    same version (a failed write only skips a number).
    """
    record = _lead_or_fail(journal)
    # A programme made before issue 25 gets its key for cohort contributions now.
    keyed = record if record.cohort_key else replace(record, cohort_key=new_cohort_key())
    made = _file_of(keyed, record.version + 1, _handovers(record))
    _store_lead(journal, record, replace(keyed, version=made.version))
    write_private_file(out, made.to_bytes())
    return made


def hand_over(journal: Journal, successor: bytes, out: Path) -> ProgrammeFile:
    """Sign the programme over to a successor's card: the next version, signed by this
    programme's key, hands the programme to the card's signing key, and carries the keys for
    cohort contributions (this lead's and those it took over) sealed to the card, so the
    successor reads contributions sent to them. After it this vault can no longer change or
    publish the programme, nor read contributions.

    Raises:
        CardInvalidError: not a valid card.
        UsageError: it is the programme's own key.
    """
    record = _lead_or_fail(journal)
    card = Card.parse(successor)
    private = _signing_key(record)
    if card.ed25519 == public_key(private):
        raise UsageError("That card already holds the programme's key.")
    version = record.version + 1
    chain = [*_handovers(record), Handover.sign(private, card.ed25519, version)]
    keys = [k.private_bytes_raw() for k in cohort_private_keys(record)]
    sealed = seal_successor_keys(private, card.x25519, keys) if record.cohort_key else b""
    made = _file_of(record, version, chain, sealed)
    _store_lead(journal, record, replace(
        record, version=version, handovers=tuple(json.dumps(h.to_json()) for h in chain),
        handed_over_to=made.fingerprint))
    write_private_file(out, made.to_bytes())
    return made


# ==================================================================== belonging to one


def joined(journal: Journal) -> JoinedProgramme | None:
    """The programme this vault joined, if any."""
    found = journal.records(JoinedProgramme)
    return min(found, key=lambda p: (p.joined, p.id)) if found else None


@dataclass(frozen=True)
class RosterChange:
    """A mentor the member knows whose card on the new roster has other keys."""

    name: str
    old_fingerprint: str
    new_fingerprint: str
    #: "roster" (the previous version's roster) or "contact" (the member's own contact).
    known_from: str

    def sentence(self) -> str:
        where = "the programme's roster" if self.known_from == "roster" else "your contacts"
        return (f"{self.name}: the card in {where} has fingerprint {self.old_fingerprint};"
                f" the new roster gives {self.new_fingerprint}.")


@dataclass(frozen=True)
class ProgrammeCheck:
    """What taking a programme file would do, read from the journal (nothing written)."""

    file: ProgrammeFile
    data: bytes
    #: The version held before (None: joining).
    before: JoinedProgramme | None
    changes: tuple[RosterChange, ...]
    #: The file hands the programme over to a new key.
    handed_over: bool
    #: It hands the programme to this vault's own card: this vault becomes its lead.
    takes_over: bool

    @property
    def fingerprint(self) -> str:
        return self.file.fingerprint


def _own_card_checks(journal: Journal, made: ProgrammeFile) -> None:
    me = identity(journal)
    if me is None:
        return
    mine = card_of(me)
    for card in made.mentors:
        own_keys = card.same_keys(mine)
        if (own_keys and me.role != "mentor") or (
                not own_keys and card.name.casefold() == mine.name.casefold()):
            raise ProgrammeFileError(
                "The programme's roster names your own card (your keys, or your name with"
                " other keys) as a mentor's; nothing was changed.")


def _changes(journal: Journal, made: ProgrammeFile,
             before: JoinedProgramme | None) -> tuple[RosterChange, ...]:
    out: list[RosterChange] = []
    previous = _cards(before.mentors) if before else []
    people = contacts(journal)
    for card in made.mentors:
        name = card.name.casefold()
        for old in previous:
            if old.fingerprint != card.fingerprint and (
                    old.name.casefold() == name or old.ed25519 == card.ed25519):
                out.append(RosterChange(card.name, old.fingerprint, card.fingerprint, "roster"))
        for contact in people:
            if contact.fingerprint != card.fingerprint and (
                    contact.name.casefold() == name or contact.ed25519 == b64(card.ed25519)):
                out.append(RosterChange(card.name, contact.fingerprint, card.fingerprint,
                                        "contact"))
    return tuple(out)


def check_programme(journal: Journal, data: bytes) -> ProgrammeCheck:
    """Parse and check a programme file against what this vault holds (nothing is written):
    a first join when it joined none, else an update of the one it joined.

    Raises:
        ProgrammeFileError and subclasses: forged, altered, truncated, older, not signed by the
            programme's key, a roster naming the member's own card.
    """
    made = parse_programme(data)
    before = joined(journal)
    if before is not None:
        if not accepts(unb64(before.key, 32), made):
            raise ProgrammeKeyError()
        if made.version <= before.version:
            raise ProgrammeOlderError()
    _own_card_checks(journal, made)
    me = identity(journal)
    takes_over = bool(me is not None and made.current_key != made.key
                      and card_of(me).ed25519 == made.current_key)
    return ProgrammeCheck(made, data, before, _changes(journal, made, before),
                          handed_over=before is not None
                          and made.current_key != unb64(before.key, 32),
                          takes_over=takes_over)


def _joined_record(check: ProgrammeCheck) -> JoinedProgramme:
    made, before = check.file, check.before
    return JoinedProgramme(
        id=before.id if before else new_id(),
        joined=before.joined if before else now(),
        joined_fingerprint=before.joined_fingerprint if before else made.fingerprint,
        name=made.name, key=b64(made.current_key), version=made.version,
        mentors=tuple(_card_text(c) for c in made.mentors),
        students=tuple(_card_text(c) for c in made.students),
        pack=dict(made.pack), founded=made.founded, file=check.data.decode("utf-8"),
    )


def take(journal: Journal, check: ProgrammeCheck, confirm_changes: bool = False) -> JoinedProgramme:
    """Store what :func:`check_programme` found: a join (once the member compared the
    fingerprint) or an update. Roster changes are taken only with ``confirm_changes``.
    Checked again inside the write transaction: if the programme held changed meanwhile,
    nothing is stored.

    Raises:
        NotConfirmedError: roster changes not confirmed (nothing changed).
        ContactsChangedError: the journal changed meanwhile (nothing changed).
    """
    if check.changes and not confirm_changes:
        raise NotConfirmedError(
            "The new roster changes the card of a mentor you know; nothing was changed."
            " Check the new fingerprint with them, then confirm the change.")

    def unchanged() -> None:
        if joined(journal) != check.before:
            raise ContactsChangedError(
                "The programme changed meanwhile (in another window or a command); nothing"
                " was changed. Try again.")

    record = _joined_record(check)
    records: list[Any] = [record]
    if check.takes_over and lead(journal) is None:
        me = identity(journal)
        assert me is not None
        made = check.file
        # The keys contributions were sent to before: sealed to this vault's card.
        past = open_successor_keys(made, identity_keys(me)[0])
        records.append(ProgrammeLead(
            name=made.name, signing_key=me.ed25519_private, founded=made.founded,
            version=made.version, mentors=record.mentors, students=record.students,
            pack=record.pack, handovers=tuple(json.dumps(h.to_json()) for h in made.handovers),
            cohort_key=new_cohort_key(), past_cohort_keys=tuple(b64(k) for k in past),
        ))
    journal.add_records(records, check=unchanged)
    return record


def leave(journal: Journal) -> JoinedProgramme:
    """Leave the programme joined: its roster, pack and support lines are no longer offered,
    and its mentors are no longer confirmed by it (contacts of your own stay).

    Raises:
        NotFoundError: this journal joined none.
    """
    current = joined(journal)
    if current is None:
        raise NotFoundError("This journal has not joined a programme.")
    journal.remove_records(JoinedProgramme, [r.id for r in journal.records(JoinedProgramme)])
    return current


# ==================================================================== showing


@dataclass(frozen=True)
class Overview:
    """What ``programme show`` and Sharing ▸ Programme show."""

    name: str
    fingerprint: str
    version: int
    #: "lead", "mentor", "student" or "member" (not on either list).
    role: str
    mentors: tuple[Card, ...]
    students: tuple[Card, ...]
    pack: Pack
    rotations: tuple[Rotation, ...]
    joined_fingerprint: str = ""
    handed_over_to: str = ""

    def current_rotation(self, today: date) -> Rotation | None:
        return current_rotation(self.rotations, today)

    def to_json(self) -> dict[str, Any]:
        """Exactly the shape the issue gives for ``programme show --json``."""
        return {
            "name": self.name, "fingerprint": self.fingerprint, "version": self.version,
            "role": self.role,
            "mentors": [{"name": c.name, "fingerprint": c.fingerprint} for c in self.mentors],
            "students": len(self.students),
            "pack": {"prompts": len(self.pack.prompts), "templates": len(self.pack.templates),
                     "support_lines": len(self.pack.support),
                     "rotations": [r.to_json() for r in self.rotations]},
        }


def _role(journal: Journal, mentors: Sequence[Card], students: Sequence[Card]) -> str:
    me = identity(journal)
    if me is None:
        return "member"
    mine = card_of(me)
    if any(c.same_keys(mine) for c in mentors):
        return "mentor"
    if any(c.same_keys(mine) for c in students):
        return "student"
    return "member"


def _overview(name: str, fingerprint: str, version: int, role: str, mentors: list[Card],
              students: list[Card], pack_files: Mapping[str, str], founded: str,
              **extra: str) -> Overview:
    pack = pack_of(pack_files)
    return Overview(name, fingerprint, version, role, tuple(mentors), tuple(students), pack,
                    rotations(pack, date.fromisoformat(founded)), **extra)


def overview(journal: Journal) -> Overview | None:
    """The programme this vault leads (as its next version stands), else the one it joined
    (checked again from the file as received), else None."""
    record = lead(journal)
    if record is not None:
        return _overview(record.name, lead_fingerprint(record), record.version, "lead",
                         _cards(record.mentors, verify=False),
                         _cards(record.students, verify=False), record.pack,
                         record.founded, handed_over_to=record.handed_over_to)
    return member_overview(journal)


def member_overview(journal: Journal) -> Overview | None:
    """The programme joined (even in a vault that also leads one), else None."""
    member = joined(journal)
    if member is None:
        return None
    made = parse_programme(member.file.encode("utf-8"), held=True)
    if made.current_key != unb64(member.key, 32):
        raise ProgrammeKeyError()
    mentors, students = list(made.mentors), list(made.students)
    return _overview(made.name, made.fingerprint, made.version,
                     _role(journal, mentors, students), mentors, students, made.pack,
                     made.founded, joined_fingerprint=member.joined_fingerprint)
