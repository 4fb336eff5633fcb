"""The demo journal's sharing: the student's card, a mentor contact, shares and feedback.

The demo vault belongs to an invented student who shared a reflection now and then with an
invented mentor over the two years, and received feedback on each: so the demo shows the
feedback panel beside those entries, "Shared by me", the contacts, and the mentor's depth
line on the Trends depth card.

The records are built directly (sealing packages and receiving them would need a second
vault and cost far more than the demo may take); the cards are real cards of real key pairs,
made by the same functions as any card. The keys come from the demo's seeded random numbers,
so the demo shows the same fingerprints every time: they are throwaway demo keys, never used
for anything but the demo.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from journal_app.core.records.model import (
    REFLECT_LEVELS,
    Contact,
    Feedback,
    Identity,
    ReadReceipt,
    ReceivedPackage,
    Record,
    Reflection,
    SharedExcerpt,
    SharedLog,
    ShareRecipient,
    new_id,
)
from journal_app.core.sharing.cards import card_of

STUDENT_NAME = "Sam Rivera"
MENTOR_NAME = "Dr. Ada Okafor"
#: About this many shares over the two years (one or two excerpts each).
SHARES = 9

NOTES = [
    "This one stayed with me all week.",
    "I wrote this after a long night; I am not sure it makes sense.",
    "Sharing this because you asked how the rotation is going.",
    "",
    "I tried the structure you suggested last time.",
]
QUESTIONS = [
    "Is it normal to feel this numb afterwards?",
    "How do you leave work at work after a day like this?",
    "What would you have said to the family?",
    "",
    "How do I speak up on rounds without sounding rude?",
]
COMMENTS = [
    "Thank you for trusting me with this. You describe what happened clearly, and I can feel "
    "how much it weighed on you. Next time, try to stay a little longer with *why* it hit "
    "you so hard.",
    "You noticed your own reaction in the moment and named it: that is a real skill, and "
    "many people take years to learn it.",
    "I like how you linked this night to the earlier one with your grandmother. That is "
    "exactly the kind of connection that makes reflection useful.",
    "This is honest and kind to yourself. You moved from what happened to what it means "
    "for how you want to practise.",
    "You questioned an assumption the whole team shared. Hold on to that; it is what will "
    "keep you a thoughtful doctor.",
    "A short entry, and that is fine after a shift like this. When you have energy, come "
    "back to the moment you felt your hands shake.",
]
#: The mentor's replies, one per question above.
REPLIES = [
    "Yes. Numbness is a very common way the mind protects itself after a death. If it "
    "lasts for weeks, talk to someone; otherwise, be gentle with yourself.",
    "A small ritual helps me: I wash my hands slowly at the end of the shift and think of "
    "one thing I did well. Then I leave.",
    "Probably less than you think. Sitting with them and saying \"I am so sorry\" is often "
    "what families remember.",
    "",
    "Ask a question rather than make a statement: \"Can we look at the pain score "
    "together?\" invites the team in.",
]


def _demo_identity(rng: random.Random, name: str, role: str, created: datetime) -> Identity:
    def key() -> str:
        return base64.b64encode(rng.randbytes(32)).decode("ascii")

    return Identity(name=name, role=role, x25519_private=key(), ed25519_private=key(),
                    created=created)


def demo_sharing(records: Sequence[Record], start: datetime, end: datetime,
                 seed: int = 7) -> list[Record]:
    """Sharing records over the demo's ``records`` (its reflections are what was shared)."""
    rng = random.Random(seed + 5)
    me = _demo_identity(rng, STUDENT_NAME, "student", start)
    mentor_card = card_of(_demo_identity(rng, MENTOR_NAME, "mentor", start))
    contact: Contact = replace(mentor_card.as_contact(confirmed=True),
                               added=start + timedelta(days=20))
    out: list[Record] = [me, contact]
    # Reflections after the mentor was added, spread over the two years, and a few in the
    # last weeks (so the Trends depth card's default three months shows the mentor's line).
    chosen = sorted((r for r in records if isinstance(r, Reflection)
                     and contact.added < r.created < end - timedelta(days=5)),
                    key=lambda r: r.created)
    if not chosen:
        return out
    span = (end - timedelta(days=120)) - contact.added
    targets = [contact.added + span * k / (SHARES - 4) for k in range(SHARES - 3)]
    targets += [end - timedelta(days=days) for days in (75, 40, 12)]
    firsts: list[Reflection] = []
    for target in targets:
        left = [r for r in chosen if r not in firsts]
        if left:
            firsts.append(min(left, key=lambda r: abs((r.created - target).total_seconds())))
    for n, first in enumerate(sorted(firsts, key=lambda r: r.created)):
        picks = [first]
        later = chosen.index(first) + 1
        if rng.random() < 0.3 and later < len(chosen) and chosen[later] not in firsts:
            picks.append(chosen[later])
        shared_at = max(p.created for p in picks) + timedelta(days=rng.randint(1, 3))
        note, question = NOTES[n % len(NOTES)], QUESTIONS[n % len(QUESTIONS)]
        log = SharedLog(
            package_id=new_id(), created=shared_at,
            recipients=(ShareRecipient(contact.name, contact.fingerprint),),
            excerpts=tuple(SharedExcerpt(excerpt_id=new_id(), entry_id=p.id, title=p.title,
                                         text=p.body) for p in picks),
            note=note, question=question,
        )
        out.append(log)
        # The mentor's rating deepens over the two years, with ups and downs.
        progress = (shared_at - start) / (end - start)
        got = shared_at + timedelta(days=rng.randint(2, 6))
        package_id = new_id()
        out.append(ReceivedPackage(
            package_id=package_id, kind="feedback", received=got, sent_on=got.date().isoformat(),
            sender_name=contact.name, sender_role="mentor",
            sender_fingerprint=contact.fingerprint))
        for i, (excerpt, entry) in enumerate(zip(log.excerpts, picks, strict=True)):
            level = max(0, min(3, round(0.6 + 2.2 * progress + rng.gauss(0, 0.5))))
            out.append(Feedback(
                direction="received", share_package_id=log.package_id,
                excerpt_id=excerpt.excerpt_id, entry_id=entry.id, contact_name=contact.name,
                contact_fingerprint=contact.fingerprint,
                comment=COMMENTS[(n + i) % len(COMMENTS)],
                reply=REPLIES[n % len(REPLIES)] if i == 0 else "",
                depth=REFLECT_LEVELS[level], created=got, package_id=package_id, received=got,
            ))
    out += _read_not_answered(records, firsts, contact, end)
    return out


def _read_not_answered(records: Sequence[Record], shared: Sequence[Reflection],
                       contact: Contact, end: datetime) -> list[Record]:
    """The newest reflection, shared a day later and read (a read receipt came back) but not
    answered yet: Shared by me shows a share at each stage (issue 24)."""
    recent = [r for r in records if isinstance(r, Reflection) and r not in shared
              and contact.added < r.created < end - timedelta(days=3)]
    if not recent:
        return []
    last = max(recent, key=lambda r: r.created)
    sent = last.created + timedelta(days=1)
    read = sent + timedelta(hours=20)
    log = SharedLog(package_id=new_id(), created=sent,
                    recipients=(ShareRecipient(contact.name, contact.fingerprint),),
                    excerpts=(SharedExcerpt(excerpt_id=new_id(), entry_id=last.id,
                                            title=last.title, text=last.body),),
                    note=NOTES[0], question="")
    package_id = new_id()
    return [log,
            ReceivedPackage(package_id=package_id, kind="receipt", received=read,
                            sent_on=read.date().isoformat(), sender_name=contact.name,
                            sender_role="mentor", sender_fingerprint=contact.fingerprint),
            ReadReceipt(direction="received", share_package_id=log.package_id,
                        excerpt_id=log.excerpts[0].excerpt_id, entry_id=last.id,
                        contact_name=contact.name, contact_fingerprint=contact.fingerprint,
                        read=read.replace(second=0, microsecond=0), package_id=package_id,
                        created=read)]
