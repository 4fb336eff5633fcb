"""Programmes over real vaults (lead, mentors, students in separate data folders): create,
roster, enrolment, pack, publish, join, update, hand-over, leave, and every refusal."""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal_app.core.errors import (
    JournalError,
    NotConfirmedError,
    NotFoundError,
    ProgrammeAlteredError,
    ProgrammeFileError,
    ProgrammeKeyError,
    ProgrammeOlderError,
    ProgrammeTruncatedError,
    UsageError,
)
from journal_app.core.practice import pack as packs
from journal_app.core.practice.custom import library_with_custom
from journal_app.core.practice.prompts import load_library
from journal_app.core.programme import fileformat
from journal_app.core.programme import service as programme
from journal_app.core.records.model import ProgrammeLead
from journal_app.core.sharing import service as sharing
from journal_app.core.sharing.cards import Card, identity_keys
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.core.vault.store import DB_NAME
from tests.helpers import fake_deid
from tests.helpers.programme_pack import PROMPTS, TEMPLATE, write_pack


def vault_state(journal: Journal) -> tuple[list[Any], list[Any]]:
    conn = sqlite3.connect(journal.data_dir / DB_NAME)
    try:
        return (conn.execute("SELECT * FROM records ORDER BY id").fetchall(),
                conn.execute("SELECT * FROM meta ORDER BY key").fetchall())
    finally:
        conn.close()


@pytest.fixture
def vaults(tmp_path: Path) -> Iterator[Callable[[str], Journal]]:
    opened: list[Journal] = []

    def make(name: str) -> Journal:
        journal, _key = Journal.create(tmp_path / name, "correct horse", kdf=TEST_KDF)
        opened.append(journal)
        return journal

    yield make
    for journal in opened:
        journal.close()


@dataclass
class World:
    lead: Journal
    mentor: Journal
    student: Journal
    out: Path

    def publish(self, name: str = "programme.json") -> bytes:
        programme.publish(self.lead, self.out / name)
        return (self.out / name).read_bytes()


@pytest.fixture
def world(vaults: Callable[[str], Journal], tmp_path: Path) -> World:
    lead, mentor, student = vaults("lead"), vaults("mentor"), vaults("student")
    sharing.ensure_identity(mentor, "Ada Mentor", "mentor")
    sharing.ensure_identity(student, "Sam Student")
    programme.create(lead, "Palliative Care Clerkship")
    programme.roster_add(lead, sharing.my_card(mentor).to_bytes())
    programme.enrol(lead, [sharing.my_card(student).to_bytes()])
    out = tmp_path / "out"
    out.mkdir()
    return World(lead, mentor, student, out)


def join(journal: Journal, data: bytes) -> programme.ProgrammeCheck:
    check = programme.check_programme(journal, data)
    programme.take(journal, check)
    return check


def refused(journal: Journal, data: bytes, error: type[JournalError]) -> JournalError:
    before = vault_state(journal)
    with pytest.raises(error) as caught:
        check = programme.check_programme(journal, data)
        programme.take(journal, check)
    assert vault_state(journal) == before
    return caught.value


# ============================================================================ the lead


def test_create_prints_a_fingerprint_of_the_key_and_keeps_the_key_sealed(world: World) -> None:
    record = programme.lead(world.lead)
    assert record is not None
    fp = programme.lead_fingerprint(record)
    assert len(fp) == 39 and fp.replace(" ", "").isdigit()
    assert "signing_key" in ProgrammeLead.SECRET_FIELDS
    raw = base64.b64decode(record.signing_key)
    db = (world.lead.data_dir / DB_NAME).read_bytes()
    assert raw not in db and record.signing_key.encode() not in db
    with pytest.raises(UsageError):
        programme.create(world.lead, "Another")


def test_roster_and_enrolment_refuse_wrong_roles_and_remove_by_name(world: World,
                                                                    vaults: Any) -> None:
    other = vaults("other")
    sharing.ensure_identity(other, "Bo Mentor", "mentor")
    card = sharing.my_card(other).to_bytes()
    with pytest.raises(UsageError):  # a mentor's card is not enrolled
        programme.enrol(world.lead, [card])
    with pytest.raises(UsageError):  # a student's card is not on the roster
        programme.roster_add(world.lead, sharing.my_card(world.student).to_bytes())
    programme.roster_add(world.lead, card)
    with pytest.raises(UsageError):
        programme.roster_add(world.lead, card)
    assert programme.roster_remove(world.lead, "bo mentor").name == "Bo Mentor"
    with pytest.raises(NotFoundError):
        programme.roster_remove(world.lead, "Bo Mentor")


def test_a_programme_with_no_pack_publishes_defaults(world: World) -> None:
    data = world.publish()
    made = fileformat.parse_programme(data)
    assert made.version == 1 and not made.pack
    view = join(world.student, data)
    assert view.fingerprint == programme.lead_fingerprint(programme.lead(world.lead))  # type: ignore[arg-type]
    shown = programme.overview(world.student)
    assert shown is not None
    founded = date.fromisoformat(made.founded)
    assert [(r.start, r.end) for r in shown.rotations][:2] == [
        (founded, founded + timedelta(days=28)),
        (founded + timedelta(days=28), founded + timedelta(days=56))]
    assert len(shown.rotations) == packs.DEFAULT_ROTATIONS
    as_json = shown.to_json()
    assert set(as_json) == {"name", "fingerprint", "version", "role", "mentors", "students",
                            "pack"}
    assert as_json["role"] == "student" and as_json["students"] == 1
    assert as_json["mentors"] == [{"name": "Ada Mentor",
                                   "fingerprint": sharing.my_card(world.mentor).fingerprint}]
    assert as_json["pack"]["prompts"] == 0 and as_json["pack"]["support_lines"] == 0
    assert set(as_json["pack"]["rotations"][0]) == {"id", "start", "end"}


# ============================================================================ trust


def test_student_shares_to_a_roster_mentor_with_no_fingerprint_check(world: World) -> None:
    data = world.publish()
    join(world.student, data)
    join(world.mentor, data)
    assert programme.overview(world.mentor).role == "mentor"  # type: ignore[union-attr]
    # No contact of the student's own: the roster mentor is found, confirmed by the programme.
    assert sharing.contacts(world.student) == []
    mentor = sharing.find_contact(world.student, "Ada")
    assert not mentor.confirmed
    assert sharing.trust_of(world.student, mentor) == "confirmed by Palliative Care Clerkship"
    entry = world.student.add_entry(title="Night", body="I felt numb.")
    draft = sharing.draft_share(world.student, [sharing.Selection(entry.id)])
    review = sharing.review_draft(draft, finder=fake_deid.find_identifiers)
    review.accept_all()
    sharing.write_share(world.student, review.redacted(fake_deid.redact), world.out / "s.pkg",
                        to=[mentor])

    def never(_card: Card) -> bool:
        raise AssertionError("a programme member's fingerprint is not asked for")

    got = sharing.receive(world.mentor, (world.out / "s.pkg").read_bytes(), never)
    (excerpt,) = got.excerpts
    (student,) = sharing.contacts(world.mentor)
    assert sharing.trust_of(world.mentor, student) == "confirmed by Palliative Care Clerkship"
    sharing.write_feedback(world.mentor, excerpt.id, world.out / "f.pkg", comment="Thank you.")
    back = sharing.receive(world.student, (world.out / "f.pkg").read_bytes(), never)
    assert back.feedback[0].comment == "Thank you."


def test_after_leaving_roster_mentors_are_not_confirmed(world: World) -> None:
    join(world.student, world.publish())
    programme.leave(world.student)
    with pytest.raises(NotFoundError):
        sharing.find_contact(world.student, "Ada")
    with pytest.raises(NotFoundError):
        programme.leave(world.student)


def test_without_a_programme_an_unconfirmed_contact_still_cannot_be_shared_to(
        world: World) -> None:
    card = sharing.my_card(world.mentor)
    contact = card.as_contact(confirmed=False)
    assert sharing.trust_of(world.student, contact) == "not confirmed"


# ============================================================================ updates


def test_update_takes_a_newer_version_and_refuses_older_or_equal(world: World,
                                                                  vaults: Any) -> None:
    first = world.publish("v1.json")
    join(world.student, first)
    other = vaults("other")
    sharing.ensure_identity(other, "Bo Mentor", "mentor")
    programme.roster_add(world.lead, sharing.my_card(other).to_bytes())
    second = world.publish("v2.json")
    check = programme.check_programme(world.student, second)
    assert check.changes == () and not check.handed_over
    programme.take(world.student, check)
    assert programme.overview(world.student).version == 2  # type: ignore[union-attr]
    assert sharing.find_contact(world.student, "Bo").name == "Bo Mentor"
    refused(world.student, first, ProgrammeOlderError)
    refused(world.student, second, ProgrammeOlderError)


def test_a_changed_key_of_a_known_mentor_is_shown_and_needs_confirmation(
        world: World, vaults: Any) -> None:
    join(world.student, world.publish("v1.json"))
    impostor = vaults("impostor")
    sharing.ensure_identity(impostor, "Ada Mentor", "mentor")
    with pytest.raises(NotConfirmedError):  # the lead too is asked
        programme.roster_add(world.lead, sharing.my_card(impostor).to_bytes())
    programme.roster_add(world.lead, sharing.my_card(impostor).to_bytes(), replace_changed=True)
    data = world.publish("v2.json")
    before = vault_state(world.student)
    check = programme.check_programme(world.student, data)
    (change,) = check.changes
    assert change.name == "Ada Mentor" and change.known_from == "roster"
    assert change.old_fingerprint == sharing.my_card(world.mentor).fingerprint
    assert change.new_fingerprint in change.sentence()
    with pytest.raises(NotConfirmedError):
        programme.take(world.student, check)
    assert vault_state(world.student) == before
    programme.take(world.student, check, confirm_changes=True)
    assert programme.overview(world.student).version == 2  # type: ignore[union-attr]


def test_a_roster_that_differs_from_an_own_contact_is_a_change(world: World,
                                                               vaults: Any) -> None:
    impostor = vaults("impostor")
    sharing.ensure_identity(impostor, "Ada Mentor", "mentor")
    sharing.import_card(world.student, sharing.my_card(impostor).to_bytes(), lambda _c: True)
    check = programme.check_programme(world.student, world.publish())
    assert [c.known_from for c in check.changes] == ["contact"]


# ============================================================================ refusals


def test_forged_altered_truncated_files_are_refused_whole(world: World) -> None:
    data = world.publish()
    join(world.student, data)
    programme.enrol(world.lead, [])
    newer = world.publish("v2.json")
    refused(world.student, newer[: len(newer) // 2], ProgrammeTruncatedError)
    refused(world.student, newer[:-3], ProgrammeTruncatedError)
    altered = newer.replace(b'"Palliative Care Clerkship"', b'"Palliative Care Clerkshiq"')
    refused(world.student, altered, ProgrammeAlteredError)
    refused(world.student, b"not json at all", ProgrammeFileError)
    # Version 2 carries the cohort key; calling it version 1 (or 3) is refused.
    assert b'"format_version": 2' in newer and b'"cohort_key"' in newer
    for other in (b'"format_version": 1', b'"format_version": 3'):
        refused(world.student, newer.replace(b'"format_version": 2', other),
                ProgrammeFileError)
    # Signed, but by another key: a forged programme of the same name.
    outer = json.loads(newer)
    body = outer["programme"]
    forger = Ed25519PrivateKey.generate()
    body["key"] = fileformat.b64(fileformat.public_key(forger))
    body["version"] = 99
    outer["signature"] = fileformat.b64(
        forger.sign(b"journal-app programme v1\x00" + fileformat.canonical(body)))
    refused(world.student, json.dumps(outer).encode(), ProgrammeKeyError)
    # A duplicate key (two readers could read two things): refused.
    refused(world.student, newer.replace(b'{\n "format"', b'{"format": "x",\n "format"', 1),
            ProgrammeFileError)


def test_every_single_byte_change_is_refused(world: World) -> None:
    data = world.publish()
    for index in range(0, len(data), max(1, len(data) // 60)):
        changed = bytearray(data)
        changed[index] ^= 0x01
        for held in (False, True):  # shown again from the vault: the signature still counts
            with pytest.raises(ProgrammeFileError):
                fileformat.parse_programme(bytes(changed), held=held)


def test_a_roster_naming_the_members_own_card_is_refused(world: World, vaults: Any) -> None:
    from dataclasses import replace

    from journal_app.core.sharing.cards import card_of

    kim = vaults("kim")
    sharing.ensure_identity(kim, "Kim Student")
    me = sharing.identity(kim)
    assert me is not None
    # Kim's own keys, as a mentor's card, on the roster.
    as_mentor = card_of(replace(me, role="mentor"))
    programme.roster_add(world.lead, as_mentor.to_bytes())
    refused(kim, world.publish("own.json"), ProgrammeFileError)
    # Kim's name with other keys: someone posing as Kim.
    programme.roster_remove(world.lead, as_mentor.fingerprint)
    poser = vaults("poser")
    sharing.ensure_identity(poser, "Kim Student", "mentor")
    programme.roster_add(world.lead, sharing.my_card(poser).to_bytes())
    error = refused(kim, world.publish("poser.json"), ProgrammeFileError)
    assert "your own card" in error.message
    # A mentor on the roster joins with their own card listed: that is them.
    join(world.mentor, world.publish("fine.json"))


# ============================================================================ the pack


def test_pack_prompts_templates_and_support_lines_are_offered(world: World,
                                                              tmp_path: Path) -> None:
    shown = programme.pack_set(world.lead, write_pack(tmp_path / "pack"))
    assert (len(shown.prompts), len(shown.templates), len(shown.support)) == (2, 1, 1)
    join(world.student, world.publish())
    library = library_with_custom(load_library(), world.student)
    ours = [p for p in library.prompts if p.source]
    assert [p.id for p in ours] == ["programme-clerkship-meaning-01",
                                    "programme-clerkship-meaning-02"]
    assert {p.source for p in ours} == {"Palliative Care Clerkship"}
    template = library.templates["programme-rotation-debrief"]
    assert template.source == "Palliative Care Clerkship" and len(template.steps) == 2
    assert template.title == "End of rotation · Palliative Care Clerkship"
    assert template.credit == "From Palliative Care Clerkship: Written for the programme"
    view = programme.overview(world.student)
    assert view is not None
    assert [r.id for r in view.rotations] == ["medicine", "surgery"]
    assert view.rotations[0].reflection == "programme-rotation-debrief"
    assert view.current_rotation(date(2027, 1, 10)).id == "medicine"  # type: ignore[union-attr]
    assert view.pack.support[0].name == "School wellbeing office"
    # A vault that joined nothing sees only the shipped prompts.
    assert not [p for p in library_with_custom(load_library(), world.mentor).prompts
                if p.source]


@pytest.mark.parametrize(("which", "text", "where"), [
    ("prompts", PROMPTS.replace('level = "clerkship"', 'level = "expert"'),
     "prompts/meaning.toml, line 7: unknown level 'expert'"),
    ("prompts", PROMPTS.replace('care7 = ["end-of-life"]', 'care7 = ["nope"]'),
     "prompts/meaning.toml, line 19: unknown CARE-7 goal 'nope'"),
    ("prompts", PROMPTS.replace("text = \"Which", "txt = \"Which"),
     "prompts/meaning.toml, line 20: unknown key 'txt'"),
    ("template", TEMPLATE.replace('kind = "text"\ntitle = "What next?"',
                                  'kind = "dance"\ntitle = "What next?"'),
     "templates/rotation-debrief.toml, line 18: unknown step kind 'dance'"),
    ("template", TEMPLATE.replace("when = ", "#when = "),
     "templates/rotation-debrief.toml, line 1: 'when' must be non-empty text"),
    ("rotations", "version = 1\n[[rotation]]\nid = \"a\"\nstart = 2027-02-01\nend = 2027-01-01\n",
     "rotations.toml, line 5: 'end' must come after 'start'"),
    ("support", "version = 1\n[[resource]]\nid = \"x\"\ncountry = \"USA\"\n",
     "support.toml, line 4: country must be an ISO 3166 code"),
    ("prompts", "version = 1\nfacet = \"meaning\"\n[[prompt]\n",
     "prompts/meaning.toml, line 3: not valid TOML"),
])
def test_a_bad_pack_names_the_line_and_the_reason(world: World, tmp_path: Path, which: str,
                                                  text: str, where: str) -> None:
    before = vault_state(world.lead)
    with pytest.raises(packs.PackInvalidError) as caught:
        programme.pack_set(world.lead, write_pack(tmp_path / "pack", **{which: text}))
    assert where in caught.value.message
    assert vault_state(world.lead) == before


def test_a_pack_with_an_unknown_file_is_refused(world: World, tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "pack")
    (folder / "notes.txt").write_text("hello")
    with pytest.raises(packs.PackInvalidError, match=r"notes\.txt"):
        programme.pack_set(world.lead, folder)


# ============================================================================ hand-over


def test_hand_over_moves_the_programme_to_the_successors_key(world: World,
                                                              vaults: Any) -> None:
    join(world.student, world.publish("v1.json"))
    late = vaults("late")
    sharing.ensure_identity(late, "Lee Late")
    join(late, (world.out / "v1.json").read_bytes())
    successor = vaults("successor")
    sharing.ensure_identity(successor, "Rae Successor", "mentor")
    made = programme.hand_over(world.lead, sharing.my_card(successor).to_bytes(),
                               world.out / "handover.json")
    old_fp = programme.lead_fingerprint(programme.lead(world.lead))  # type: ignore[arg-type]
    assert made.fingerprint != old_fp
    with pytest.raises(UsageError):  # the old lead no longer publishes
        programme.publish(world.lead, world.out / "nope.json")
    handover = (world.out / "handover.json").read_bytes()
    # The member takes it: the old key signed it.
    check = programme.check_programme(world.student, handover)
    assert check.handed_over
    programme.take(world.student, check)
    assert programme.overview(world.student).fingerprint == made.fingerprint  # type: ignore[union-attr]
    # The successor takes it over and publishes the next version with the new key.
    taken = programme.check_programme(successor, handover)
    assert taken.takes_over
    programme.take(successor, taken)
    new_lead = programme.lead(successor)
    assert new_lead is not None and programme.lead_fingerprint(new_lead) == made.fingerprint
    programme.publish(successor, world.out / "v3.json")
    v3 = (world.out / "v3.json").read_bytes()
    join(world.student, v3)
    # A member who missed the hand-over follows the chain the new file carries.
    programme.take(late, programme.check_programme(late, v3))
    assert programme.overview(late).fingerprint == made.fingerprint  # type: ignore[union-attr]


def test_a_hand_over_not_signed_by_the_current_key_is_refused(world: World,
                                                              vaults: Any) -> None:
    join(world.student, world.publish("v1.json"))
    # Someone else leads a programme of the same name and hands it to an accomplice.
    rogue = vaults("rogue")
    programme.create(rogue, "Palliative Care Clerkship")
    for _ in range(3):
        programme.publish(rogue, world.out / "rogue.json")
    accomplice = vaults("accomplice")
    sharing.ensure_identity(accomplice, "Mal", "mentor")
    programme.hand_over(rogue, sharing.my_card(accomplice).to_bytes(), world.out / "rh.json")
    refused(world.student, (world.out / "rh.json").read_bytes(), ProgrammeKeyError)
    # A hand-over statement whose signature is not the old key's: refused as altered.
    good = vaults("good")
    sharing.ensure_identity(good, "Rae Successor", "mentor")
    programme.hand_over(world.lead, sharing.my_card(good).to_bytes(), world.out / "h.json")
    outer = json.loads((world.out / "h.json").read_bytes())
    statement = outer["programme"]["handovers"][-1]
    statement["to"] = fileformat.b64(fileformat.public_key(Ed25519PrivateKey.generate()))
    with pytest.raises(ProgrammeFileError):
        fileformat.parse_programme(json.dumps(outer).encode())


def test_the_keys_a_hand_over_passes_on_open_only_for_the_successor(world: World,
                                                                     vaults: Any) -> None:
    """The hand-over file carries the keys for cohort contributions sealed to the successor's
    card (format version 3): no one else opens them, and sealed keys are refused in a file
    that hands nothing over or that the programme's key did not seal."""
    successor = vaults("successor")
    sharing.ensure_identity(successor, "Rae Successor", "mentor")
    record = programme.lead(world.lead)
    assert record is not None
    made = programme.hand_over(world.lead, sharing.my_card(successor).to_bytes(),
                               world.out / "h.json")
    assert made.format_version == 3 and made.successor_keys
    data = (world.out / "h.json").read_bytes()
    assert b'"format_version": 3' in data and record.cohort_key.encode() not in data
    parsed = fileformat.parse_programme(data)
    me = sharing.identity(successor)
    student = sharing.identity(world.student)
    assert me is not None and student is not None
    [key] = fileformat.open_successor_keys(parsed, identity_keys(me)[0])
    assert fileformat.b64(key) == record.cohort_key
    with pytest.raises(ProgrammeFileError, match="do not open with your card"):
        fileformat.open_successor_keys(parsed, identity_keys(student)[0])
    signer = Ed25519PrivateKey.from_private_bytes(base64.b64decode(record.signing_key))
    common: dict[str, Any] = dict(name=made.name, founded=made.founded, version=made.version,
                                  published=made.published, mentors=[], students=[], pack={},
                                  cohort_key=made.cohort_key)
    with pytest.raises(ProgrammeFileError, match="not sealed as a hand-over seals them"):
        fileformat.sign_file(signer, handovers=[], successor_keys=made.successor_keys,
                             **common)
    elsewhere = fileformat.seal_successor_keys(Ed25519PrivateKey.generate(),
                                               sharing.my_card(successor).x25519, [key])
    with pytest.raises(ProgrammeFileError, match="not sealed as a hand-over seals them"):
        fileformat.sign_file(signer, handovers=made.handovers, successor_keys=elsewhere,
                             **common)


# ============================================================================ hostile input


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=4),
    max_leaves=20)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_are_refused_with_one_sentence(data: bytes) -> None:
    with pytest.raises(ProgrammeFileError):
        fileformat.parse_programme(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_JSON, _JSON)
def test_any_programme_shaped_json_is_refused_with_one_sentence(body: Any, sig: Any) -> None:
    outer = {"format": "journal-app-programme", "format_version": 1, "programme": body,
             "signature": sig}
    with pytest.raises(ProgrammeFileError):
        fileformat.parse_programme(json.dumps(outer).encode())


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_pack_text_is_taken_or_refused_with_a_line(text: str) -> None:
    for path in ("prompts/meaning.toml", "templates/x.toml", "support.toml", "rotations.toml"):
        try:
            packs.parse_pack({path: text})
        except packs.PackInvalidError as exc:
            assert exc.message.startswith(path) or "pack" in exc.message


def test_the_reflection_asked_for_the_current_rotation_is_offered_first(
        world: World, tmp_path: Path) -> None:
    from journal_app.core.practice.picker import templates_in_order, todays_fit
    from tests.helpers.programme_pack import rotations_around

    today = date.today()
    programme.pack_set(world.lead, write_pack(tmp_path / "pack",
                                              rotations=rotations_around(today)))
    assert packs.asked_reflection(world.student, today) is None  # joined nothing yet
    join(world.student, world.publish())
    asked = packs.asked_reflection(world.student, today)
    assert asked is not None
    assert (asked.template_id, asked.programme, asked.rotation.id) == (
        "programme-rotation-debrief", "Palliative Care Clerkship", "now")
    library = library_with_custom(load_library(), world.student)
    # Asked for first, even before the template today's check-in fits.
    fit = replace(todays_fit([], today, asked.template_id, asked.programme), encounter="code")
    ordered = templates_in_order(library, fit)
    assert [t.id for t in ordered[:2]] == ["programme-rotation-debrief", "code"]
    assert len(ordered) == len(library.templates)
    # Once the rotation is over, nothing is asked (the next one names no reflection).
    assert packs.asked_reflection(world.student, today + timedelta(days=30)) is None
    assert packs.asked_reflection(world.mentor, today) is None
