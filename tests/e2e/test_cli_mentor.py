"""The mentor's workspace through the command line (issue 24): inbox, feedback on several
excerpts in one package, attestations. Separate data folders, as two people would have."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import E2EEnv, fails, ok, ok_json
from tests.e2e.test_cli_sharing import person, rows, write


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> tuple[E2EEnv, E2EEnv, E2EEnv, Path]:
    root = tmp_path_factory.mktemp("desk")
    student, other, mentor = (person(root / n) for n in ("s", "o", "m"))
    ok(mentor, "card", "export", "--name", "Ada Mentor", "--role", "mentor",
       "--out", str(root / "ada.card"))
    for env, name in ((student, "Sam Student"), (other, "Kim Student")):
        ok(env, "card", "export", "--name", name, "--out", str(root / f"{name}.card"))
        ok(env, "card", "import", str(root / "ada.card"), "--yes")
    first = ok(student, "add", "--title", "Night on 7B", "--encounter", "patient-death",
               input="I stayed with him.").stdout.strip()
    second = ok(student, "add", "--title", "Clinic", input="A quiet clinic.").stdout.strip()
    ok(student, "share", "--to", "Ada", "--entry", first, "--entry", second,
       "--out", str(root / "sam.pkg"), "--accept-all")
    kims = ok(other, "add", "--title", "Ward", input="Long shift.").stdout.strip()
    ok(other, "share", "--to", "Ada", "--entry", kims, "--out", str(root / "kim.pkg"),
       "--accept-all")
    ok(mentor, "receive", str(root / "sam.pkg"), "--yes")
    ok(mentor, "receive", str(root / "kim.pkg"), "--yes")
    return student, other, mentor, root


def test_inbox_json_shape_filters_and_read_marks(
        desk: tuple[E2EEnv, E2EEnv, E2EEnv, Path]) -> None:
    _student, _other, mentor, _root = desk
    items = ok_json(mentor, "inbox")
    assert [i["title"] for i in items] == ["Night on 7B", "Clinic", "Ward"]  # oldest first
    assert all(set(i) == {"excerpt_id", "student", "title", "received", "waiting_days",
                          "status", "encounter"} for i in items)
    assert {(i["status"], i["waiting_days"]) for i in items} == {("new", 0)}
    assert items[0]["encounter"] == "patient-death" and items[0]["student"] == "Sam Student"
    kim = ok_json(mentor, "inbox", "--student", "kim student")
    assert [i["title"] for i in kim] == ["Ward"]
    marked = ok_json(mentor, "inbox", "--mark-read", items[2]["excerpt_id"][:8],
                     "--status", "read")
    assert [i["title"] for i in marked] == ["Ward"]
    text = ok(mentor, "inbox", "--encounter", "patient-death").stdout
    assert "Night on 7B" in text and "Ward" not in text and "new" in text
    fails(mentor.run("inbox", "--mark-read", "ffffffff"), 1)


def test_feedback_on_several_excerpts_is_one_package_and_one_student_only(
        desk: tuple[E2EEnv, E2EEnv, E2EEnv, Path]) -> None:
    student, _other, mentor, root = desk
    items = ok_json(mentor, "inbox")
    sam = [i["excerpt_id"] for i in items if i["student"] == "Sam Student"]
    kim = [i["excerpt_id"] for i in items if i["student"] == "Kim Student"]
    body = write(mentor, "fb.txt", "Thank you for these.\n"
                 f"--- {sam[0][:8]}\nWhat did staying mean to you?\n"
                 f"--- {sam[1][:8]}\nWhat made it quiet?\n")
    before = rows(mentor)
    fails(mentor.run("feedback", "--on", sam[0], "--on", kim[0], "--body-file", str(body),
                     "--out", str(root / "both.pkg")), 2, "more than one student")
    assert rows(mentor) == before and not (root / "both.pkg").exists()
    out = ok_json(mentor, "feedback", "--on", sam[0][:8], "--on", sam[1][:8],
                  "--body-file", str(body), "--depth", "reflection",
                  "--out", str(root / "fb.pkg"))
    assert len(out["feedback"]) == 2
    got = ok_json(student, "receive", str(root / "fb.pkg"))
    assert got["kind"] == "feedback" and len(got["feedback"]) == 2
    feedback = ok_json(student, "shared", "list")["feedback"]
    comments = sorted(f["comment"] for f in feedback)
    assert comments == ["Thank you for these.\n\nWhat did staying mean to you?",
                        "Thank you for these.\n\nWhat made it quiet?"]
    statuses = {i["excerpt_id"]: i["status"] for i in ok_json(mentor, "inbox")}
    assert statuses[sam[0]] == statuses[sam[1]] == "answered"


def test_attestation_create_verify_forge_and_import(tmp_path: Path) -> None:
    import json
    from datetime import date

    lead, mentor, student, stranger = (person(tmp_path / n) for n in ("l", "m", "s", "x"))
    mail = tmp_path / "mail"
    mail.mkdir()
    ok(mentor, "card", "export", "--name", "Ada Mentor", "--role", "mentor",
       "--out", str(mail / "ada.card"))
    ok(student, "card", "export", "--name", "Sam Student", "--out", str(mail / "sam.card"))
    ok(lead, "programme", "create", "--name", "Palliative Care Clerkship")
    ok(lead, "programme", "roster", "add", str(mail / "ada.card"))
    ok(lead, "programme", "enrol", str(mail / "sam.card"))
    ok(lead, "programme", "publish", "--out", str(mail / "v1.json"))
    for env in (student, mentor):
        ok(env, "programme", "join", str(mail / "v1.json"), "--yes")
    entry = ok(student, "add", "--title", "Night", input="I stayed.").stdout.strip()
    ok(student, "share", "--to", "Ada", "--entry", entry, "--out", str(mail / "s.pkg"),
       "--accept-all")
    ok(mentor, "receive", str(mail / "s.pkg"))  # confirmed by the programme: no question
    (item,) = ok_json(mentor, "inbox")
    ok(mentor, "feedback", "--on", item["excerpt_id"], "--body-file",
       str(write(mentor, "fb.txt", "What helped?")), "--out", str(mail / "fb.pkg"))
    today = date.today().isoformat()
    made = ok_json(mentor, "attestation", "create", "--student", "Sam Student", "--from",
                   "2020-01-01", "--to", today, "--facet", "naming-emotions",
                   "--out", str(mail / "att.json"))
    assert made["reflections"] == 1 and made["facets"] == ["naming-emotions"]
    checked = ok_json(student, "attestation", "verify", str(mail / "att.json"))
    assert checked["valid"] and checked["mentor"]["name"] == "Ada Mentor"
    assert checked["programme"]["name"] == "Palliative Care Clerkship"
    assert (checked["from"], checked["to"], checked["reflections"]) == ("2020-01-01", today, 1)
    text = ok(student, "attestation", "verify", str(mail / "att.json")).stdout
    assert "reviewed 1 reflection by Sam Student" in text and "Valid" in text
    forged = json.loads((mail / "att.json").read_text())
    forged["reflections"] = 30
    (mail / "forged.json").write_text(json.dumps(forged))
    fails(student.run("attestation", "verify", str(mail / "forged.json")), 4, "altered")
    fails(stranger.run("attestation", "verify", str(mail / "att.json")), 1, "roster")
    before = rows(student)
    fails(student.run("attestation", "import", str(mail / "forged.json")), 4)
    assert rows(student) == before
    ok(student, "attestation", "import", str(mail / "att.json"))
    # The portfolio PDF prints it with both fingerprints.
    pdf = tmp_path / "portfolio.pdf"
    ok(student, "export", "--format", "pdf", "--entry", entry, "--out", str(pdf), "--keep-all")
    from tests.e2e.test_cli_sharing import _pdf_text

    printed = _pdf_text(pdf)
    assert "reviewed 1 reflection by Sam Student" in printed
    assert checked["mentor"]["fingerprint"] in printed
    assert checked["programme"]["fingerprint"] in printed
    # ... and the signed attestation file goes with it, beside the PDF, for anyone to verify.
    beside = tmp_path / "portfolio-attestation-1.json"
    assert beside.read_bytes() == (mail / "att.json").read_bytes()
    assert ok_json(student, "attestation", "verify",
                   str(beside))["valid"]


def test_handout_goes_through_the_review(tmp_path: Path) -> None:
    from tests.e2e.test_cli_sharing import BODY, _pdf_text

    student = person(tmp_path / "s")
    entry = ok(student, "add", "--title", "The family meeting", "--date", "2026-03-14T10:00",
               input=BODY).stdout.strip()
    out = tmp_path / "handout.pdf"
    fails(student.run("handout", "--entry", entry, "--out", str(out)), 2, "--redact-all")
    assert not out.exists()
    result = ok(student, "handout", "--entry", entry, "--out", str(out), "--redact-all")
    assert "555-201-3344" in result.stdout  # the findings are listed
    printed = _pdf_text(out)
    assert "FOR A REFLECTION ROUND" in printed and "I felt helpless." in printed
    assert "555-201-3344" not in printed and "sam.k@example.org" not in printed
    assert "2026" not in printed  # no date is printed
    ok(student, "handout", "--entry", entry, "--out", str(out), "--keep-all")
    assert "555-201-3344" in _pdf_text(out)
    fails(student.run("handout", "--entry", entry, "--out", str(out), "--keep-all",
                      "--redact-all"), 2)


def test_private_notes_and_meetings_stay_in_the_mentors_journal(
        desk: tuple[E2EEnv, E2EEnv, E2EEnv, Path]) -> None:
    import sqlite3

    from journal_app.core.vault.store import DB_NAME

    _student, _other, mentor, _root = desk
    note = write(mentor, "note.txt", "canary-private-note: seemed tired")
    ok(mentor, "notes", "--student", "Sam Student", "--add-file", str(note))
    ok(mentor, "notes", "--student", "sam student", "--add-file",
       str(write(mentor, "meet.txt", "Talked about the night on 7B.")), "--meeting", "2026-03-02")
    notes = ok_json(mentor, "notes", "--student", "Sam Student")
    assert [n["kind"] for n in notes] == ["note", "meeting"]  # newest first (the meeting: March)
    assert {n["day"] for n in notes} == {None, "2026-03-02"}
    assert ok_json(mentor, "notes", "--student", "Kim Student") == []
    fails(mentor.run("notes", "--student", "Nobody"), 1, "No student")
    fails(mentor.run("notes", "--student", "Sam Student", "--meeting", "2026-03-02"), 2)
    conn = sqlite3.connect(mentor.data_dir / DB_NAME)
    try:
        rows = conn.execute("SELECT * FROM records").fetchall()
    finally:
        conn.close()
    assert b"canary-private-note" not in repr(rows).encode()  # sealed


def test_read_receipt_round_trip_replay_and_alteration(tmp_path: Path) -> None:
    from datetime import date

    student, other, mentor = (person(tmp_path / n) for n in ("s", "o", "m"))
    mail = tmp_path / "mail"
    mail.mkdir()
    ok(mentor, "card", "export", "--name", "Ada Mentor", "--role", "mentor",
       "--out", str(mail / "ada.card"))
    for env, name in ((student, "Sam Student"), (other, "Kim Student")):
        ok(env, "card", "export", "--name", name, "--out", str(mail / f"{name}.card"))
        ok(env, "card", "import", str(mail / "ada.card"), "--yes")
        entry = ok(env, "add", "--title", f"Night of {name}", input="I stayed.").stdout.strip()
        second = ok(env, "add", "--title", "Clinic", input="Quiet.").stdout.strip()
        ok(env, "share", "--to", "Ada", "--entry", entry, "--entry", second,
           "--out", str(mail / f"{name}.pkg"), "--accept-all")
        ok(mentor, "receive", str(mail / f"{name}.pkg"), "--yes")
    items = ok_json(mentor, "inbox")
    sam = [i["excerpt_id"] for i in items if i["student"] == "Sam Student"]
    kim = [i["excerpt_id"] for i in items if i["student"] == "Kim Student"]
    (shared,) = ok_json(student, "shared", "list")["shared"]
    assert (shared["status"], shared["read"], shared["answered"]) == ("sent", None, None)

    # Several students in one receipt: refused plainly, nothing written.
    before = rows(mentor)
    fails(mentor.run("receipt", "--on", sam[0], "--on", kim[0], "--out",
                     str(mail / "both.pkg")), 2, "more than one student")
    assert rows(mentor) == before and not (mail / "both.pkg").exists()
    made = ok_json(mentor, "receipt", "--on", sam[0][:8], "--out", str(mail / "read.pkg"))
    assert made["student"] == "Sam Student" and len(made["read"]) == 1
    assert {i["excerpt_id"]: i["status"] for i in ok_json(mentor, "inbox")}[sam[0]] == "read"
    data = (mail / "read.pkg").read_bytes()
    assert b"Night of" not in data and b"I stayed" not in data

    # Altered: exit 4, nothing stored; someone else's: exit 4.
    altered = bytearray(data)
    altered[len(data) // 2] ^= 0x01
    (mail / "altered.pkg").write_bytes(bytes(altered))
    before = rows(student)
    fails(student.run("receive", str(mail / "altered.pkg")), 4, "altered")
    assert rows(student) == before
    fails(other.run("receive", str(mail / "read.pkg")), 4)

    got = ok_json(student, "receive", str(mail / "read.pkg"))
    assert got["kind"] == "receipt" and len(got["receipts"]) == 1
    (shared,) = ok_json(student, "shared", "list")["shared"]
    today = date.today().isoformat()
    assert (shared["status"], shared["read"], shared["read_count"]) == ("read", today, 1)
    assert shared["answered"] is None
    assert [e["status"] for e in shared["excerpts"]] == ["read", "sent"]
    text = ok(student, "shared", "list").stdout
    assert f"read {today} (1 of 2)" in text and "not answered yet" in text
    # Replayed: exit 4, nothing stored twice.
    before = rows(student)
    fails(student.run("receive", str(mail / "read.pkg")), 4)
    assert rows(student) == before

    # Feedback answers, and implies read for the other excerpt too.
    ok(mentor, "feedback", "--on", sam[1], "--body-file",
       str(write(mentor, "fb.txt", "What made it quiet?")), "--out", str(mail / "fb.pkg"))
    ok(student, "receive", str(mail / "fb.pkg"))
    (shared,) = ok_json(student, "shared", "list")["shared"]
    assert (shared["status"], shared["read_count"], shared["answered"]) == (
        "answered", 2, today)


def test_a_mentors_handout_needs_the_students_consent(tmp_path: Path) -> None:
    from tests.e2e.test_cli_sharing import BODY, _pdf_text

    student, mentor = person(tmp_path / "s"), person(tmp_path / "m")
    mail = tmp_path / "mail"
    mail.mkdir()
    ok(mentor, "card", "export", "--name", "Ada Mentor", "--role", "mentor",
       "--out", str(mail / "ada.card"))
    ok(student, "card", "export", "--name", "Sam Student", "--out", str(mail / "sam.card"))
    ok(student, "card", "import", str(mail / "ada.card"), "--yes")
    entry = ok(student, "add", "--title", "The family meeting", input=BODY).stdout.strip()
    ok(student, "share", "--to", "Ada", "--entry", entry, "--out", str(mail / "no.pkg"),
       "--accept-all")
    ok(student, "share", "--to", "Ada", "--entry", entry, "--out", str(mail / "yes.pkg"),
       "--accept-all", "--allow-handout")
    assert [s["handout"] for s in ok_json(student, "shared", "list")["shared"]] == [True, False]
    for name in ("no.pkg", "yes.pkg"):
        ok(mentor, "receive", str(mail / name), "--yes")
    received = ok_json(mentor, "shared", "list")["received"]
    by_consent = {e["handout"]: e["id"] for e in received}
    out = tmp_path / "round.pdf"
    before = rows(mentor)
    fails(mentor.run("handout", "--excerpt", by_consent[False], "--out", str(out),
                     "--redact-all"), 2, "did not agree")
    assert not out.exists() and rows(mentor) == before
    ok(mentor, "handout", "--excerpt", by_consent[True][:8], "--out", str(out), "--redact-all")
    printed = _pdf_text(out)
    assert "FOR A REFLECTION ROUND" in printed and "Sam Student" not in printed
    assert "2026" not in printed
    fails(mentor.run("handout", "--excerpt", by_consent[True], "--entry", entry, "--out",
                     str(out)), 2)
