"""A mentor's signed attestation (issue 24): made from the feedback written, verified against
the programme's roster, refused when forged or altered, imported by the student it names."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from journal_app.core import programme
from journal_app.core.errors import (
    AttestationInvalidError,
    AttestationUnknownMentorError,
    UsageError,
)
from journal_app.core.programme import attestation as att
from journal_app.core.records.model import AttestationRecord
from journal_app.core.sharing import service as sharing
from journal_app.core.sharing.cards import new_identity
from journal_app.core.vault.journal import Journal
from tests.unit.core import test_programme
from tests.unit.core.test_programme import World, join

vaults = test_programme.vaults
world = test_programme.world


def _reviewed(w: World) -> tuple[Journal, date]:
    """The student joined, shared two entries with the roster mentor; the mentor joined too,
    received them and answered one."""
    data = w.publish()
    join(w.student, data)
    join(w.mentor, data)
    entries = [w.student.add_entry(title=t, body="A long night.") for t in ("One", "Two")]
    draft = sharing.draft_share(w.student, [sharing.Selection(e.id) for e in entries])
    sharing.write_share(w.student, draft, w.out / "s.pkg",
                        to=[sharing.find_contact(w.student, "Ada Mentor")])
    first, _second = sharing.receive(w.mentor, (w.out / "s.pkg").read_bytes(),
                                     lambda _c: True).excerpts
    sharing.write_feedback(w.mentor, first.id, w.out / "fb.pkg", comment="What helped?")
    return w.mentor, date.today()


def test_create_verify_and_import(world: World) -> None:
    mentor, today = _reviewed(world)
    made, data = att.create_attestation(mentor, "Sam Student", today - timedelta(days=30),
                                        today, ("naming-emotions", "support"))
    assert made.reflections == 1 and made.facets == ("naming-emotions", "support")
    assert "reviewed 1 reflection by Sam Student" in made.sentence()
    assert made.programme_name == "Palliative Care Clerkship"
    # Anyone who joined the programme verifies it: the student, the mentor, the lead.
    for journal in (world.student, mentor, world.lead):
        checked = att.verify_attestation(journal, data)
        assert checked.mentor.fingerprint == sharing.my_card(mentor).fingerprint
    assert att.import_attestation(world.student, data).student_name == "Sam Student"
    assert [a.reflections for a in att.received_attestations(world.student)] == [1]
    with pytest.raises(UsageError, match="already"):
        att.import_attestation(world.student, data)
    with pytest.raises(UsageError, match="someone else"):
        att.import_attestation(world.lead, data)
    # Outside the period, nothing was reviewed.
    _made, none = att.create_attestation(mentor, "Sam", today - timedelta(days=60),
                                         today - timedelta(days=31))
    assert att.parse_attestation(none).reflections == 0


def test_altered_or_forged_attestations_are_refused(world: World,
                                                    vaults: object) -> None:
    mentor, today = _reviewed(world)
    _made, data = att.create_attestation(mentor, "Sam Student", today, today)
    obj = json.loads(data)
    for key, value in (("reflections", 40), ("to", "2099-01-01"), ("facets", ["meaning"])):
        altered = json.dumps({**obj, key: value}).encode()
        with pytest.raises(AttestationInvalidError) as info:
            att.verify_attestation(world.student, altered)
        assert info.value.exit_code == 4
    # Signed by someone else with the mentor's name: the card inside does not sign it.
    imposter = sharing.card_of(new_identity("Ada Mentor", "mentor")).to_json()
    with pytest.raises(AttestationInvalidError):
        att.verify_attestation(world.student, json.dumps({**obj, "mentor": imposter}).encode())
    for junk in (b"", b"{}", b"not json", data[:-20], b"[1]"):
        with pytest.raises(AttestationInvalidError):
            att.verify_attestation(world.student, junk)
    before = world.student.records(AttestationRecord)
    with pytest.raises(AttestationInvalidError):
        att.import_attestation(world.student, json.dumps({**obj, "reflections": 9}).encode())
    assert world.student.records(AttestationRecord) == before


def test_a_mentor_on_no_known_roster_is_exit_1(world: World, tmp_path: Path) -> None:
    mentor, today = _reviewed(world)
    _made, data = att.create_attestation(mentor, "Sam Student", today, today)
    stranger, _key = Journal.create(tmp_path / "stranger", "correct horse",
                                    kdf=test_programme.TEST_KDF)
    try:
        with pytest.raises(AttestationUnknownMentorError) as info:
            att.verify_attestation(stranger, data)
        assert info.value.exit_code == 1
    finally:
        stranger.close()
    # Taken off the roster: the next version the student takes no longer vouches for them.
    programme.roster_remove(world.lead, "Ada Mentor")
    join(world.student, world.publish("v2.json"))
    with pytest.raises(AttestationUnknownMentorError):
        att.verify_attestation(world.student, data)


def test_create_needs_a_card_a_programme_and_sane_dates(world: World) -> None:
    today = date.today()
    with pytest.raises(UsageError, match="card"):
        att.create_attestation(world.lead, "Sam", today, today)
    with pytest.raises(UsageError, match="programme"):
        att.create_attestation(world.mentor, "Sam", today, today)
    mentor, _ = _reviewed(world)
    with pytest.raises(UsageError, match="before"):
        att.create_attestation(mentor, "Sam", today, today - timedelta(days=1))
    with pytest.raises(UsageError, match="facet"):
        att.create_attestation(mentor, "Sam", today, today, ("courage",))


def test_the_sign_off_preview_says_what_create_would_sign(world: World) -> None:
    """What the app's Sign off… shows before signing: the same count create_attestation
    signs, the programme, the card, and the first day the student's excerpts came."""
    today = date.today()
    before = att.signoff_preview(world.mentor, "1234", today, today)
    assert (before.programme_name, before.first_day, before.reflections) == (None, None, 0)
    mentor, today = _reviewed(world)
    sam = sharing.find_contact(mentor, "Sam Student").fingerprint
    start = today - timedelta(days=30)
    preview = att.signoff_preview(mentor, sam, start, today)
    made, _data = att.create_attestation(mentor, sam, start, today)
    assert preview.reflections == made.reflections == 1
    assert preview.programme_name == made.programme_name
    assert preview.programme_fingerprint == made.programme_fingerprint
    assert preview.mentor_name == "Ada Mentor" and preview.first_day == today
    # Days the wrong way round count nothing (the dialog refuses to sign them).
    assert att.signoff_preview(mentor, sam, today, start).reflections == 0
