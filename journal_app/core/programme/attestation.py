"""A mentor's signed attestation (issue 24): "reviewed N reflections by <student> between
dates; facets of competency 4: ...", signed with the mentor's card key, verified by anyone with
journal-app against the programme's roster.

The file is JSON a person can read::

    {"format": "journal-app-attestation", "version": 1,
     "mentor": <the mentor's card>, "programme": {"name", "key"},
     "student": {"name", "fingerprint"}, "from": "YYYY-MM-DD", "to": "YYYY-MM-DD",
     "reflections": N, "facets": ["naming-emotions", ...], "signed": "YYYY-MM-DD",
     "signature": <Ed25519 by the mentor's card key>}

The signature covers a context string and the canonical JSON of every other field (the card's
own Ed25519 key, the one every share and feedback package of the mentor is signed with). The
count is of the student's excerpts the mentor wrote feedback on between the two days (both
included); the facets are the ones the mentor names: excerpts carry no facet (only the words
the student chose to share), so the mentor says which facets the reflections showed.

Verifying: the signature must check out with the card inside (else
:class:`AttestationInvalidError`, exit 4), and the card must be a mentor of a programme this
journal joined or leads, with the same programme key (else
:class:`AttestationUnknownMentorError`, exit 1).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature

from journal_app.core.errors import (
    AttestationInvalidError,
    AttestationUnknownMentorError,
    CardInvalidError,
    UsageError,
)
from journal_app.core.programme.fileformat import programme_fingerprint, public_key
from journal_app.core.records.model import (
    AttestationRecord,
    Feedback,
    Identity,
    JoinedProgramme,
    ProgrammeLead,
    ReceivedExcerpt,
    now,
)
from journal_app.core.sharing.cards import Card, card_of, identity_keys
from journal_app.core.sharing.service import find_contact, identity
from journal_app.core.vocabulary import FACET_LABELS

if TYPE_CHECKING:
    from journal_app.core.vault.journal import Journal

FORMAT = "journal-app-attestation"
VERSION = 1
_CONTEXT = b"journal-app attestation v1\n"
_FIELDS = {"format", "version", "mentor", "programme", "student", "from", "to", "reflections",
           "facets", "signed", "signature"}
MAX_BYTES = 64 * 1024


@dataclass(frozen=True)
class Attestation:
    """What an attestation says, once its signature checked out."""

    mentor: Card
    programme_name: str
    programme_key: bytes
    student_name: str
    student_fingerprint: str
    start: date
    end: date
    reflections: int
    facets: tuple[str, ...]
    signed: date
    text: str

    @property
    def programme_fingerprint(self) -> str:
        return programme_fingerprint(self.programme_key)

    def sentence(self) -> str:
        facets = ", ".join(FACET_LABELS.get(f, f).lower() for f in self.facets) or "none named"
        return (f"{self.mentor.name} reviewed {self.reflections} reflection"
                f"{'s' if self.reflections != 1 else ''} by {self.student_name} between "
                f"{self.start.isoformat()} and {self.end.isoformat()}; facets of competency 4:"
                f" {facets}.")

    def to_json(self) -> dict[str, Any]:
        return {
            "mentor": {"name": self.mentor.name, "fingerprint": self.mentor.fingerprint},
            "programme": {"name": self.programme_name,
                          "fingerprint": self.programme_fingerprint},
            "student": {"name": self.student_name, "fingerprint": self.student_fingerprint},
            "from": self.start.isoformat(), "to": self.end.isoformat(),
            "reflections": self.reflections, "facets": list(self.facets),
            "signed": self.signed.isoformat(),
        }


def _canonical(fields: dict[str, Any]) -> bytes:
    return _CONTEXT + json.dumps(fields, ensure_ascii=False, sort_keys=True,
                                 separators=(",", ":")).encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _programme_of(journal: Journal) -> tuple[str, bytes, tuple[str, ...]] | None:
    """The joined programme's name, key and roster (the mentor's own programme)."""
    found = journal.records(JoinedProgramme)
    if not found:
        return None
    p = min(found, key=lambda j: (j.joined, j.id))
    return p.name, base64.b64decode(p.key), p.mentors


def reviewed_count(journal: Journal, student_fingerprint: str, start: date, end: date) -> int:
    """The student's excerpts this mentor wrote feedback on between ``start`` and ``end``."""
    excerpts = {(e.package_id, e.excerpt_id) for e in journal.records(ReceivedExcerpt)
                if e.sender_fingerprint == student_fingerprint}
    reviewed = {(f.share_package_id, f.excerpt_id) for f in journal.records(Feedback)
                if f.direction == "written" and f.contact_fingerprint == student_fingerprint
                and start <= f.created.date() <= end}
    return len(reviewed & excerpts)


@dataclass(frozen=True)
class SignOffPreview:
    """What an attestation for one student would say, before it is signed (the app's Sign
    off… shows it as the dates and facets change)."""

    reflections: int
    #: The programme joined (None: signing is refused until one is joined).
    programme_name: str | None
    programme_fingerprint: str | None
    #: This journal's card name (None: no card yet).
    mentor_name: str | None
    #: The first day the student's excerpts came in (a sensible "from"), if any did.
    first_day: date | None


def signoff_preview(journal: Journal, student_fingerprint: str, start: date,
                    end: date) -> SignOffPreview:
    """The count :func:`create_attestation` would sign for these days, and what it needs."""
    programme = _programme_of(journal)
    me = identity(journal)
    days = [e.received.date() for e in journal.records(ReceivedExcerpt)
            if e.sender_fingerprint == student_fingerprint]
    return SignOffPreview(
        reflections=reviewed_count(journal, student_fingerprint, start, end) if end >= start
        else 0,
        programme_name=programme[0] if programme else None,
        programme_fingerprint=programme_fingerprint(programme[1]) if programme else None,
        mentor_name=me.name if me else None, first_day=min(days, default=None))


def create_attestation(journal: Journal, student: str, start: date, end: date,
           facets: tuple[str, ...] = ()) -> tuple[Attestation, bytes]:
    """Sign an attestation for ``student`` (a name or fingerprint of someone who shared with
    this journal) over ``start``..``end``, store the mentor's copy, and return it with the
    file's bytes (the caller writes them).

    Raises:
        UsageError: no card, no programme joined, an unknown student, bad dates or facets.
    """
    if end < start:
        raise UsageError("--to is before --from.")
    unknown = [f for f in facets if f not in FACET_LABELS]
    if unknown:
        raise UsageError("A facet is one of: " + ", ".join(FACET_LABELS) + ".")
    me = identity(journal)
    if me is None:
        raise UsageError("Make your card first ('card export --name NAME --role mentor"
                         " --out FILE'): the attestation is signed with it.")
    programme = _programme_of(journal)
    if programme is None:
        raise UsageError("Join your programme first ('programme join'): an attestation is"
                         " verified against its roster.")
    contact = find_contact(journal, student)
    text = sign_attestation(
        me, programme[0], programme[1], contact.name, contact.fingerprint, start, end,
        reviewed_count(journal, contact.fingerprint, start, end), facets, now().date())
    attestation = parse_attestation(text.encode("utf-8"))
    journal.add_record(AttestationRecord(direction="written", file=text))
    return attestation, (text + "\n").encode("utf-8")


def sign_attestation(me: Identity, programme_name: str, programme_key: bytes,
                     student_name: str, student_fingerprint: str, start: date, end: date,
                     reflections: int, facets: tuple[str, ...], signed: date) -> str:
    """The text of an attestation signed with ``me``'s card key (what :func:`create_attestation`
    writes; the mentor demo uses it too)."""
    fields: dict[str, Any] = {
        "format": FORMAT, "version": VERSION, "mentor": card_of(me).to_json(),
        "programme": {"name": programme_name, "key": _b64(programme_key)},
        "student": {"name": student_name, "fingerprint": student_fingerprint},
        "from": start.isoformat(), "to": end.isoformat(), "reflections": reflections,
        "facets": sorted(set(facets), key=list(FACET_LABELS).index),
        "signed": signed.isoformat(),
    }
    signature = identity_keys(me)[1].sign(_canonical(fields))
    return json.dumps({**fields, "signature": _b64(signature)}, ensure_ascii=False, indent=2)


def _day(value: Any) -> date:
    if not isinstance(value, str):
        raise ValueError
    return date.fromisoformat(value)


def parse_attestation(data: bytes) -> Attestation:
    """Check an attestation file's form and signature (not yet whom it is from).

    Raises:
        AttestationInvalidError: not an attestation, altered, or forged.
    """
    if len(data) > MAX_BYTES:
        raise AttestationInvalidError("That file is too large to be an attestation.")
    try:
        obj = json.loads(data.decode("utf-8-sig"))
        if not isinstance(obj, dict) or obj.get("format") != FORMAT:
            raise AttestationInvalidError("That file is not an attestation.")
        if obj.get("version") != VERSION or set(obj) != _FIELDS:
            raise AttestationInvalidError()
        mentor = Card.from_json(obj["mentor"])
        programme, student = obj["programme"], obj["student"]
        facets = obj["facets"]
        if not (isinstance(programme, dict) and set(programme) == {"name", "key"}
                and isinstance(student, dict) and set(student) == {"name", "fingerprint"}
                and isinstance(facets, list) and all(f in FACET_LABELS for f in facets)
                and type(obj["reflections"]) is int and 0 <= obj["reflections"] < 10**6
                and all(isinstance(v, str) for v in (*programme.values(),
                                                     *student.values()))):
            raise AttestationInvalidError()
        start, end, signed = _day(obj["from"]), _day(obj["to"]), _day(obj["signed"])
        signature = base64.b64decode(obj["signature"], validate=True)
        key = base64.b64decode(programme["key"], validate=True)
        fields = {k: v for k, v in obj.items() if k != "signature"}
        mentor.signing_key().verify(signature, _canonical(fields))
    except (CardInvalidError, InvalidSignature, ValueError, TypeError, KeyError,
            binascii.Error, UnicodeDecodeError, RecursionError):
        raise AttestationInvalidError() from None
    if len(key) != 32 or end < start or mentor.role != "mentor":
        raise AttestationInvalidError()
    return Attestation(mentor=mentor, programme_name=programme["name"], programme_key=key,
                       student_name=student["name"], student_fingerprint=student["fingerprint"],
                       start=start, end=end, reflections=obj["reflections"],
                       facets=tuple(facets), signed=signed, text=data.decode("utf-8-sig"))


def _rosters(journal: Journal) -> list[tuple[bytes, tuple[str, ...]]]:
    """Every (programme key, roster of mentor cards) this journal knows: joined, and led."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    out = [(base64.b64decode(p.key), p.mentors) for p in journal.records(JoinedProgramme)]
    for lead in journal.records(ProgrammeLead):
        private = Ed25519PrivateKey.from_private_bytes(base64.b64decode(lead.signing_key))
        out.append((public_key(private), lead.mentors))
    return out


def on_roster(journal: Journal, attestation: Attestation) -> bool:
    """Whether the mentor is on the roster of the attestation's programme, as this journal
    knows it (the same programme key)."""
    for key, mentors in _rosters(journal):
        if key != attestation.programme_key:
            continue
        for text in mentors:
            try:
                card = Card.from_json(json.loads(text))
            except (CardInvalidError, ValueError):
                continue
            if card.same_keys(attestation.mentor):
                return True
    return False


def verify_attestation(journal: Journal, data: bytes) -> Attestation:
    """Check an attestation whole: signature, then roster.

    Raises:
        AttestationInvalidError: altered or forged (exit 4).
        AttestationUnknownMentorError: its mentor is on no roster this journal knows (exit 1).
    """
    attestation = parse_attestation(data)
    if not on_roster(journal, attestation):
        raise AttestationUnknownMentorError()
    return attestation


def import_attestation(journal: Journal, data: bytes) -> Attestation:
    """A student keeps an attestation about them: signature checked, it must name this
    journal's card, and it is stored once (the portfolio PDF prints it).

    Raises:
        AttestationInvalidError: altered or forged.
        UsageError: it is about someone else, or already imported.
    """
    attestation = parse_attestation(data)
    me = identity(journal)
    if me is None or card_of(me).fingerprint != attestation.student_fingerprint:
        raise UsageError("That attestation is about someone else; nothing was imported.")
    if any(a.direction == "received" and a.file == attestation.text
           for a in journal.records(AttestationRecord)):
        raise UsageError("That attestation is already in your journal.")
    journal.add_record(AttestationRecord(direction="received", file=attestation.text))
    return attestation


def received_attestations(journal: Journal, direction: str = "received") -> list[Attestation]:
    """The attestations this journal imported (``direction="written"``: the ones it signed),
    each checked again, oldest period first."""
    out = []
    for record in journal.records(AttestationRecord):
        if record.direction != direction:
            continue
        try:
            out.append(parse_attestation(record.file.encode("utf-8")))
        except AttestationInvalidError:
            continue  # damaged in the vault: not printed as if it were valid
    return sorted(out, key=lambda a: (a.start, a.end))


def portfolio_files(journal: Journal) -> tuple[str, ...]:
    """The attestations of :func:`portfolio_lines`, in the same order, as signed: the files
    that go with the portfolio PDF (``journal-app attestation verify`` checks each)."""
    return tuple(a.text for a in received_attestations(journal))


def portfolio_lines(journal: Journal) -> tuple[str, ...]:
    """Each attestation this journal imported, as the portfolio PDF prints it: what it says,
    and the mentor's and the programme's fingerprints (to check against the attestation file
    that goes with the PDF)."""
    return tuple(
        f"{a.sentence()} Signed {a.signed.isoformat()} by {a.mentor.name}, fingerprint"
        f" {a.mentor.fingerprint}; programme {a.programme_name}, fingerprint"
        f" {a.programme_fingerprint}."
        for a in received_attestations(journal))
