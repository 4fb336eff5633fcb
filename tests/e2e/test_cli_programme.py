"""Programmes through the command line, between separate data folders (lead, mentor, student,
successor), as the people would: create, roster, enrol, pack, publish, join, update, show,
hand-over, leave, a share with no personal fingerprint check, and every refusal."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.conftest import E2EEnv, build_vault, fails, make_env, ok, ok_json
from tests.e2e.test_cli_sharing import rows
from tests.helpers.programme_pack import PROMPTS, write_pack

NAME = "Palliative Care Clerkship"


def person(root: Path) -> E2EEnv:
    env = make_env(root)
    build_vault(env.data_dir)
    return env


def test_programme_from_lead_to_members_and_every_refusal(tmp_path: Path) -> None:
    lead, mentor, student, successor = (person(tmp_path / n) for n in (
        "lead", "mentor", "student", "successor"))
    mail = tmp_path / "mail"
    mail.mkdir()
    created = ok(lead, "programme", "create", "--name", NAME).stdout
    fingerprint = created.split("Its fingerprint: ")[1].strip()
    ok(mentor, "card", "export", "--name", "Ada Mentor", "--role", "mentor",
       "--out", str(mail / "ada.card"))
    ok(student, "card", "export", "--name", "Sam Student", "--out", str(mail / "sam.card"))
    ok(successor, "card", "export", "--name", "Rae Successor", "--role", "mentor",
       "--out", str(mail / "rae.card"))
    ok(lead, "programme", "roster", "add", str(mail / "ada.card"))
    ok(lead, "programme", "enrol", str(mail / "sam.card"))

    # A bad pack names the file, the line and the reason; nothing is changed.
    bad = write_pack(tmp_path / "bad", prompts=PROMPTS.replace('"clerkship"', '"expert"'))
    before = rows(lead)
    fails(lead.run("programme", "pack", "set", str(bad)), 1,
          "prompts/meaning.toml, line 7: unknown level 'expert'")
    assert rows(lead) == before
    ok(lead, "programme", "pack", "set", str(write_pack(tmp_path / "pack")))
    ok(lead, "programme", "publish", "--out", str(mail / "v1.json"))

    # Joining: the fingerprint is shown; with no terminal and no --yes, exit 2, nothing kept.
    before = rows(student)
    result = student.run("programme", "join", str(mail / "v1.json"))
    fails(result, 2, "--yes")
    assert fingerprint in result.stdout
    assert rows(student) == before
    joined = ok(student, "programme", "join", str(mail / "v1.json"), "--yes").stdout
    assert fingerprint in joined
    ok(mentor, "programme", "join", str(mail / "v1.json"), "--yes")
    shown = ok_json(student, "programme", "show")
    assert shown == {
        "name": NAME, "fingerprint": fingerprint, "version": 1, "role": "student",
        "mentors": [{"name": "Ada Mentor", "fingerprint": shown["mentors"][0]["fingerprint"]}],
        "students": 1,
        "pack": {"prompts": 2, "templates": 1, "support_lines": 1, "rotations": [
            {"id": "medicine", "start": "2027-01-04", "end": "2027-02-01"},
            {"id": "surgery", "start": "2027-02-01", "end": "2027-03-01"}]},
    }
    assert ok_json(mentor, "programme", "show")["role"] == "mentor"
    listed = ok(student, "card", "list").stdout
    assert "Ada Mentor (mentor)" in listed and f"(confirmed by {NAME})" in listed

    # A share to the roster mentor: no card import, no fingerprint check of one's own.
    entry = ok(student, "add", "--title", "Night", input="I felt numb.\n").stdout.strip()
    ok(student, "share", "--to", "Ada", "--entry", entry, "--out", str(mail / "s.pkg"),
       "--redact-all")
    got = ok_json(mentor, "receive", str(mail / "s.pkg"))  # no --yes: nothing is asked
    assert got["kind"] == "share"

    # Updates: newer taken; older, equal, altered, truncated refused with exit 4.
    ok(lead, "programme", "publish", "--out", str(mail / "v2.json"))
    ok(student, "programme", "update", str(mail / "v2.json"))
    v3 = mail / "v3.json"
    ok(lead, "programme", "publish", "--out", str(v3))
    data = v3.read_bytes()
    before = rows(student)
    for name, bad_bytes, words in (
            ("older", (mail / "v1.json").read_bytes(), "older"),
            ("equal", (mail / "v2.json").read_bytes(), "older"),
            ("altered", data.replace(b"Ada Mentor", b"Eve Mentor"), "altered"),
            ("truncated", data[: len(data) * 2 // 3], "incomplete")):
        path = mail / f"{name}.json"
        path.write_bytes(bad_bytes)
        fails(student.run("programme", "update", str(path)), 4, words)
    assert rows(student) == before

    # The hand-over: members accept it because the current key signed it.
    ok(lead, "programme", "hand-over", "--to", str(mail / "rae.card"),
       "--out", str(mail / "handover.json"))
    fails(lead.run("programme", "publish", "--out", str(mail / "no.json")), 2, "handed")
    moved = ok_json(student, "programme", "update", str(mail / "handover.json"))
    assert moved["handed_over"] and moved["fingerprint"] != fingerprint
    took = ok_json(successor, "programme", "join", str(mail / "handover.json"), "--yes")
    assert took["lead"] and took["fingerprint"] == moved["fingerprint"]
    ok(successor, "programme", "publish", "--out", str(mail / "v5.json"))
    assert ok_json(student, "programme", "update", str(mail / "v5.json"))["version"] == 5

    # A hand-over not signed by the current key: someone's own programme of the same name.
    rogue = person(tmp_path / "rogue")
    ok(rogue, "programme", "create", "--name", NAME)
    for n in range(6):
        ok(rogue, "programme", "publish", "--out", str(mail / f"r{n}.json"))
    ok(rogue, "programme", "hand-over", "--to", str(mail / "rae.card"),
       "--out", str(mail / "rogue-handover.json"))
    before = rows(student)
    fails(student.run("programme", "update", str(mail / "rogue-handover.json")), 4,
          "not signed by the programme")
    assert rows(student) == before

    ok(student, "programme", "leave")
    assert ok_json(student, "programme", "show") is None
    fails(student.run("share", "--to", "Ada", "--entry", entry, "--out", str(mail / "x.pkg"),
                      "--redact-all"), 1, "contact")


def test_a_changed_mentor_key_needs_yes(tmp_path: Path) -> None:
    lead, mentor, impostor, student = (person(tmp_path / n) for n in (
        "lead", "mentor", "impostor", "student"))
    mail = tmp_path / "mail"
    mail.mkdir()
    ok(lead, "programme", "create", "--name", NAME)
    ok(mentor, "card", "export", "--name", "Ada Mentor", "--role", "mentor",
       "--out", str(mail / "ada.card"))
    ok(impostor, "card", "export", "--name", "Ada Mentor", "--role", "mentor",
       "--out", str(mail / "ada2.card"))
    ok(lead, "programme", "roster", "add", str(mail / "ada.card"))
    ok(lead, "programme", "publish", "--out", str(mail / "v1.json"))
    ok(student, "programme", "join", str(mail / "v1.json"), "--yes")
    fails(lead.run("programme", "roster", "add", str(mail / "ada2.card")), 1, "--replace")
    ok(lead, "programme", "roster", "add", str(mail / "ada2.card"), "--replace")
    ok(lead, "programme", "publish", "--out", str(mail / "v2.json"))
    before = rows(student)
    result = student.run("programme", "update", str(mail / "v2.json"))
    fails(result, 2, "--yes")
    assert "Ada Mentor: the card in the programme's roster" in result.stdout
    assert rows(student) == before
    ok(student, "programme", "update", str(mail / "v2.json"), "--yes")
    assert json.loads(student.run("programme", "show", "--json").stdout)["version"] == 2
