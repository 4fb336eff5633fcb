"""The mentor's demo journal (``journal-app --demo mentor``): "Shared with me" filled, a
programme joined and attestations signed.

The invented mentor of the student demo (:mod:`.demo_sharing`) received excerpts from twelve
invented students over the last months, answered some of them (the feedback written), opened
some of the others (read) and has the rest still to answer; the mentor's own journal holds a
few invented entries. As in the
student demo, the records are built directly, and the cards are real cards of throwaway keys
made from the demo's seeded random numbers (the same every time, never used for anything else).
"""

from __future__ import annotations

import base64
import json
import random
from dataclasses import replace
from datetime import datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from journal_app.core.demo.entries import demo_entries, demo_records
from journal_app.core.demo.sharing import (
    COMMENTS,
    MENTOR_NAME,
    NOTES,
    QUESTIONS,
    REPLIES,
    STUDENT_NAME,
)
from journal_app.core.programme.attestation import sign_attestation
from journal_app.core.programme.fileformat import b64, sign_file
from journal_app.core.records.model import (
    REFLECT_LEVELS,
    AttestationRecord,
    Feedback,
    Identity,
    InboxMark,
    JoinedProgramme,
    ReceivedExcerpt,
    ReceivedPackage,
    Record,
    Reflection,
    new_id,
)
from journal_app.core.sharing.cards import Card, card_of

#: The twelve students who share with the demo mentor (invented), and how many packages each
#: sent: a full inbox (issue 24).
STUDENTS = ((STUDENT_NAME, 4), ("Priya Nair", 3), ("Tom Becker", 2), ("Lena Vogel", 3),
            ("Kwame Mensah", 2), ("Sofia Marques", 3), ("Yusuf Demir", 2), ("Hana Sato", 2),
            ("Oliver Grant", 3), ("Amara Obi", 2), ("Mateo Ruiz", 2), ("Ingrid Berg", 2))
#: The mentor's own entries.
OWN_ENTRIES = 60


def _identity(rng: random.Random, name: str, role: str, created: datetime) -> Identity:
    def key() -> str:
        return base64.b64encode(rng.randbytes(32)).decode("ascii")

    return Identity(name=name, role=role, x25519_private=key(), ed25519_private=key(),
                    created=created)


def mentor_demo_records(seed: int = 7, end: datetime | None = None) -> list[Record]:
    """The mentor's identity, the students as confirmed contacts, the packages they shared
    (the excerpts of their reflections), feedback written on the older ones, and a few entries
    of the mentor's own."""
    end = end or datetime.now().astimezone()
    start = end - timedelta(days=200)
    rng = random.Random(seed + 11)
    me = _identity(rng, MENTOR_NAME, "mentor", start)
    out: list[Record] = [me]
    out.extend(demo_entries(OWN_ENTRIES, seed + 13, end))
    cards = []
    for s, (name, packages) in enumerate(STUDENTS):
        card = card_of(_identity(rng, name, "student", start))
        cards.append(card)
        contact = replace(card.as_contact(confirmed=True), added=start + timedelta(days=3 * s))
        out.append(contact)
        reflections = sorted(
            (r for r in demo_records(30, seed + 17 * (s + 1), end)
             if isinstance(r, Reflection)
             and start + timedelta(days=10) < r.created < end - timedelta(days=6)),
            key=lambda r: r.created)
        picks = reflections[-2 * packages:]
        for p in range(packages):
            group = picks[2 * p:2 * p + 1 + (rng.random() < 0.4)]
            if not group:
                continue
            sent = max(r.created for r in group) + timedelta(days=rng.randint(1, 3))
            got = sent + timedelta(hours=rng.randint(2, 40))  # still before ``end``
            package_id = new_id()
            n = s + p
            out.append(ReceivedPackage(
                package_id=package_id, kind="share", received=got,
                sent_on=sent.date().isoformat(), sender_name=name, sender_role="student",
                sender_fingerprint=contact.fingerprint, note=NOTES[n % len(NOTES)],
                question=QUESTIONS[n % len(QUESTIONS)]))
            answered = p < packages - 1  # the newest package of each student still waits
            for position, reflection in enumerate(group):
                excerpt = ReceivedExcerpt(
                    package_id=package_id, excerpt_id=new_id(), sender_name=name,
                    sender_fingerprint=contact.fingerprint, entry_ref=new_id(),
                    title=reflection.title, text=reflection.body,
                    year=reflection.created.year, encounter=reflection.encounter,
                    sent_on=sent.date().isoformat(), received=got, position=position)
                out.append(excerpt)
                if not answered and rng.random() < 0.4:
                    out.append(InboxMark(excerpt=excerpt.id, marked=got))
                if answered:
                    out.append(Feedback(
                        direction="written", share_package_id=package_id,
                        excerpt_id=excerpt.excerpt_id, entry_id=excerpt.entry_ref,
                        contact_name=name, contact_fingerprint=contact.fingerprint,
                        comment=COMMENTS[(n + position) % len(COMMENTS)],
                        reply=REPLIES[n % len(REPLIES)] if position == 0 else "",
                        depth=REFLECT_LEVELS[min(3, 1 + (n + position) % 3)],
                        created=min(end, got + timedelta(days=rng.randint(1, 4))),
                        package_id=new_id()))
    out.extend(_programme_and_attestations(rng, me, cards, out, start, end))
    return out


def _text(card: Card) -> str:
    """A card as a joined programme keeps it (as :mod:`journal_app.core.programme` does)."""
    return json.dumps(card.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


#: The demo's programme, and the facets named in its attestations (by student, in turn).
PROGRAMME = "Palliative Care Clerkship (demo)"
_FACETS = (("naming-emotions", "support"), ("attitudes", "uncertainty", "coping"),
           ("meaning", "self-compassion"))


def _programme_and_attestations(rng: random.Random, me: Identity, cards: list[Card],
                                records: list[Record], start: datetime,
                                end: datetime) -> list[Record]:
    """The programme the mentor joined (a real signed file of a throwaway demo key, the
    mentor on its roster, the twelve students enrolled) and attestations the mentor signed
    for the three students answered most, over the demo's months."""
    key = Ed25519PrivateKey.from_private_bytes(rng.randbytes(32))
    founded = start.date().isoformat()
    made = sign_file(key, name=PROGRAMME, founded=founded, version=1,
                     published=founded, mentors=[card_of(me)], students=cards, pack={},
                     handovers=())
    joined = JoinedProgramme(
        joined=start, joined_fingerprint=made.fingerprint, name=made.name,
        key=b64(made.current_key), version=1,
        mentors=tuple(_text(c) for c in made.mentors),
        students=tuple(_text(c) for c in made.students),
        pack={}, founded=founded, file=made.to_bytes().decode("utf-8"))
    answered: dict[str, int] = {}
    for record in records:
        if isinstance(record, Feedback) and record.direction == "written":
            answered[record.contact_fingerprint] = answered.get(record.contact_fingerprint, 0) + 1
    most = sorted(cards, key=lambda c: (-answered.get(c.fingerprint, 0), c.name))[:3]
    out: list[Record] = [joined]
    for n, card in enumerate(most):
        text = sign_attestation(me, PROGRAMME, made.current_key, card.name, card.fingerprint,
                                start.date(), end.date(), answered.get(card.fingerprint, 0),
                                _FACETS[n], end.date())
        out.append(AttestationRecord(direction="written", file=text, stored=end))
    return out


__all__ = ["PROGRAMME", "STUDENTS", "mentor_demo_records"]
