"""Importing a file never creates trust, through the command line (issue 12, part 2).

The attack as it was seen: a crafted journal-app JSON file, imported with ``import``, planted
a contact named like the student's mentor (the mentor's real fingerprint as stored text, the
attacker's keys), forged mentor feedback with a depth rating, and an app state that emptied
the list of names; ``share --to`` the mentor then encrypted to the attacker. Each person is a
separate data folder, and every command a separate process.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from journal_app.core.records.model import AppState, Entry, Feedback, SupportContact
from tests.e2e.conftest import E2EEnv, build_vault, fails, make_env, ok, ok_json


def person(root: Path) -> E2EEnv:
    env = make_env(root)
    build_vault(env.data_dir)
    return env


def item(kind: str, record_id: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"id": record_id, "kind": kind, "schema_version": 1, "data": data}


def crafted(path: Path, items: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"format": "journal-app", "version": 1,
                                "exported": "2026-01-01T00:00:00+00:00", "records": items}),
                    encoding="utf-8")
    return path


def test_a_crafted_import_does_not_make_share_encrypt_to_the_attacker(tmp_path: Path) -> None:
    student, mentor, attacker = (person(tmp_path / n) for n in ("student", "mentor", "mallory"))
    mail = tmp_path / "mail"
    mail.mkdir()
    mentor_fp = ok_json(mentor, "card", "export", "--name", "Ada Mentor", "--role", "mentor",
                        "--out", str(mail / "ada.card"))["fingerprint"]
    # The attacker makes a valid card of their own keys under the mentor's name.
    ok(attacker, "card", "export", "--name", "Ada Mentor", "--role", "mentor",
       "--out", str(mail / "fake.card"))
    fake = json.loads((mail / "fake.card").read_text("utf-8"))
    ok(student, "card", "export", "--name", "Sam Student", "--out", str(mail / "sam.card"))
    ok(student, "deid-names", "--add", "Mr Jones")
    entry_id = ok(student, "add", "--title", "Night on 7B",
                  input="Mr Jones died at 4 am. I felt numb.").stdout.strip()

    mine = Entry(title="Shift notes", body="Written on my phone.")
    forged = Feedback(direction="received", share_package_id="a" * 32, excerpt_id="b" * 32,
                      entry_id=entry_id, contact_name="Ada Mentor",
                      contact_fingerprint=mentor_fp, comment="This worries me: see the dean.",
                      depth="habitual-action", package_id="c" * 32,
                      received=datetime.now(UTC))
    planted = {"name": "Ada Mentor", "role": "mentor", "x25519": fake["x25519"],
               "ed25519": fake["ed25519"], "self_sig": fake["self_sig"],
               "fingerprint": mentor_fp, "added": "2026-01-01T00:00:00+00:00",
               "confirmed": True}
    setup = crafted(mail / "programme-setup.json", [
        item("entry", mine.id, mine.payload()),
        item("contact", "d" * 32, planted),
        item("feedback", forged.id, forged.payload()),
        item("app-state", "e" * 32, AppState(deid_names=[]).payload()),
        item("support-contact", "f" * 32,
             SupportContact(name="Crisis line", contact="+1 555 0100").payload()),
    ])

    result = ok(student, "import", str(setup))
    # share --to the mentor (by name or by the fingerprint the mentor reads out): there is
    # no such contact yet, and nothing is written for the attacker to read.
    fails(student.run("share", "--to", "Ada Mentor", "--entry", entry_id, "--accept-all",
                      "--out", str(mail / "share.pkg")), 1, "card import")
    fails(student.run("share", "--to", mentor_fp, "--entry", entry_id, "--accept-all",
                      "--out", str(mail / "share.pkg")), 1)
    assert not (mail / "share.pkg").exists()

    assert "Imported 1 records" in result.stdout
    for where in ("card import", "receive", "Settings"):
        assert where in result.stderr
    report = ok_json(student, "import", str(setup))
    assert report["imported"] == 0 and report["skipped_duplicates"] == 1
    assert report["not_imported"] == {"contact": 1, "feedback": 1, "app-state": 1,
                                      "support-contact": 1}

    assert ok_json(student, "card", "list")["contacts"] == []
    assert ok_json(student, "shared", "list")["feedback"] == []
    assert ok_json(student, "deid-names") == ["Mr Jones"]
    assert ok_json(student, "trends")["depth"]["mentor"]["points"] == []

    # With the mentor's real card, the package is for the mentor and not for the attacker.
    ok(student, "card", "import", str(mail / "ada.card"), "--yes")
    ok(student, "share", "--to", "Ada Mentor", "--entry", entry_id, "--accept-all",
       "--out", str(mail / "share.pkg"))
    fails(attacker.run("receive", str(mail / "share.pkg"), "--yes"), 4)
    assert ok_json(mentor, "receive", str(mail / "share.pkg"), "--yes")["kind"] == "share"


def test_a_file_of_refused_kinds_only_is_refused_with_the_right_path(tmp_path: Path) -> None:
    student = person(tmp_path / "student")
    before = ok_json(student, "list")
    path = crafted(tmp_path / "settings.json", [
        item("app-state", "e" * 32, AppState(deid_names=[]).payload())])
    line = fails(student.run("import", str(path)), 4, "Settings")
    assert "nothing was imported" in line.lower()
    assert ok_json(student, "list") == before


def test_a_contact_stored_with_a_fingerprint_not_its_own_is_unconfirmed(tmp_path: Path) -> None:
    """A vault where the attack already landed (an older version stored the planted contact):
    the contact shows the fingerprint of its keys, says it is not confirmed, and cannot be
    shared with until the user imports the right card."""
    from journal_app.core.sharing.cards import Card
    from journal_app.core.vault.journal import Journal
    from tests.e2e.conftest import PASSPHRASE
    from tests.unit.core.test_import_trust import _v1_contact

    student, mentor, attacker = (person(tmp_path / n) for n in ("student", "mentor", "mallory"))
    mail = tmp_path / "mail"
    mail.mkdir()
    mentor_fp = ok_json(mentor, "card", "export", "--name", "Ada Mentor", "--role", "mentor",
                        "--out", str(mail / "ada.card"))["fingerprint"]
    attacker_fp = ok_json(attacker, "card", "export", "--name", "Ada Mentor", "--role",
                          "mentor", "--out", str(mail / "fake.card"))["fingerprint"]
    ok(student, "card", "export", "--name", "Sam Student", "--out", str(mail / "sam.card"))
    fake = Card.parse((mail / "fake.card").read_bytes())
    journal = Journal.open(student.data_dir)
    journal.unlock(PASSPHRASE)
    with journal:
        journal.add_record(_v1_contact(fake, mentor_fp))
    entry_id = ok(student, "add", "--title", "Night", input="I felt numb.").stdout.strip()

    listing = student.run("card", "list")
    assert listing.returncode == 0
    assert f"{attacker_fp}" in listing.stdout and mentor_fp not in listing.stdout
    assert "(fingerprint not confirmed)" in listing.stdout
    assert "did not match their card" in listing.stderr
    (contact,) = ok_json(student, "card", "list")["contacts"]
    assert (contact["fingerprint"], contact["confirmed"]) == (attacker_fp, False)

    fails(student.run("share", "--to", "Ada Mentor", "--entry", entry_id, "--accept-all",
                      "--out", str(mail / "share.pkg")), 1, "not confirmed")
    assert not (mail / "share.pkg").exists()
    # The mentor's real card replaces it (same name, another fingerprint: --replace).
    fails(student.run("card", "import", str(mail / "ada.card"), "--yes"), 4)
    ok(student, "card", "import", str(mail / "ada.card"), "--yes", "--replace")
    (contact,) = ok_json(student, "card", "list")["contacts"]
    assert (contact["fingerprint"], contact["confirmed"]) == (mentor_fp, True)
    ok(student, "share", "--to", "Ada Mentor", "--entry", entry_id, "--accept-all",
       "--out", str(mail / "share.pkg"))
    assert ok_json(mentor, "receive", str(mail / "share.pkg"), "--yes")["kind"] == "share"
