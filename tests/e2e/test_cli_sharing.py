"""Sharing through the command line, between separate data folders, as two people would.

Every run is a separate process with its own HOME, TMPDIR and data folder, with the real
de-identification detectors (the texts here carry an e-mail address and a phone number).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from journal_app.core.vault.store import DB_NAME
from tests.e2e.conftest import E2EEnv, build_vault, copy_vault, fails, make_env, ok, ok_json
from tests.e2e.test_security import find_canaries

SHARE_PASS = "violet kettle harbour"
BODY = "I called the family at 555-201-3344 and wrote to sam.k@example.org. I felt helpless."


Person = E2EEnv


def person(root: Path) -> Person:
    env = make_env(root)
    build_vault(env.data_dir)
    return env


def letters_canary(name: str) -> str:
    """A canary with a letters-only token: no detector takes it for a number or a name."""
    return f"canary-{name}-" + "".join(chr(97 + int(c, 16)) for c in uuid.uuid4().hex)


def rows(env: E2EEnv) -> tuple[list[Any], list[Any]]:
    """Every record row and meta value of the vault (the logical content, not file bytes)."""
    conn = sqlite3.connect(env.data_dir / DB_NAME)
    try:
        return (conn.execute("SELECT * FROM records ORDER BY id").fetchall(),
                conn.execute("SELECT * FROM meta ORDER BY key").fetchall())
    finally:
        conn.close()


def write(env: E2EEnv, name: str, text: str) -> Path:
    path = env.root / "files" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ==================================================================== the round trip


def test_round_trip_student_mentor_student(tmp_path: Path) -> None:
    student, mentor = person(tmp_path / "student"), person(tmp_path / "mentor")
    mail = tmp_path / "mail"  # what travels between them: cards and packages
    mail.mkdir()
    c = {name: letters_canary(name) for name in (
        "title", "body", "note", "question", "comment", "reply")}

    out = ok(mentor, "card", "export", "--name", "Ada Mentor", "--role", "mentor",
             "--out", str(mail / "ada.card"))
    mentor_fp = out.stdout.split("Your fingerprint: ")[1].strip()
    ok(student, "card", "export", "--name", "Sam Student", "--out", str(mail / "sam.card"))
    imported = ok_json(student, "card", "import", str(mail / "ada.card"), "--yes")
    assert imported["fingerprint"] == mentor_fp and imported["added_now"]

    entry_id = ok(student, "add", "--title", c["title"], "--encounter", "bad-news",
                  "--date", "2024-05-05T10:00", input=f"{c['body']}\n{BODY}").stdout.strip()
    result = ok(student, "share", "--to", "Ada", "--entry", entry_id,
                "--note-file", str(write(student, "note", c["note"])),
                "--question-file", str(write(student, "q", c["question"])),
                "--out", str(mail / "share.pkg"), "--accept-all")
    assert "cannot be recalled" in result.stderr
    assert "555-201-3344" in result.stdout  # the findings are listed

    # First contact: without a terminal the mentor must say --yes; nothing is stored before.
    before = rows(mentor)
    fails(mentor.run("receive", str(mail / "share.pkg")), 2, "fingerprint")
    assert rows(mentor) == before
    got = ok_json(mentor, "receive", str(mail / "share.pkg"), "--yes")
    assert got["kind"] == "share" and got["new_contact"]
    assert got["sender"]["name"] == "Sam Student"
    listing = ok_json(mentor, "shared", "list")
    (excerpt,) = listing["received"]
    assert excerpt["title"] == c["title"] and c["body"] in excerpt["text"]
    assert "555-201-3344" not in excerpt["text"] and "sam.k@example.org" not in excerpt["text"]
    assert "I felt helpless." in excerpt["text"]
    assert excerpt["encounter"] == "bad-news"
    assert excerpt["year"] == 2024  # the year only: no finer date element travels
    (package,) = listing["packages"]
    assert (package["note"], package["question"]) == (c["note"], c["question"])

    result = ok(mentor, "feedback", "--on", excerpt["id"][:8],
                "--body-file", str(write(mentor, "comment", c["comment"])),
                "--reply-file", str(write(mentor, "reply", c["reply"])),
                "--depth", "critical", "--out", str(mail / "feedback.pkg"))
    assert "cannot be recalled" in result.stderr

    back = ok_json(student, "receive", str(mail / "feedback.pkg"))  # a known contact
    assert back["kind"] == "feedback" and not back["new_contact"]
    mine_listing = ok_json(student, "shared", "list")
    (log,) = mine_listing["shared"]
    assert [r["name"] for r in log["recipients"]] == ["Ada Mentor"]
    assert log["excerpts"][0]["entry_id"] == entry_id
    (fb,) = mine_listing["feedback"]
    assert fb["entry_id"] == entry_id and fb["direction"] == "received"
    assert (fb["comment"], fb["reply"], fb["depth"]) == (c["comment"], c["reply"],
                                                         "critical-reflection")
    text = ok(mentor, "shared", "list").stdout
    assert "From Sam Student" in text and "to Sam Student" in text and c["comment"] in text
    depth = ok_json(student, "trends")["depth"]["mentor"]
    assert [p["depth"] for p in depth["points"]] == ["critical-reflection"]
    shown = ok(student, "show", entry_id).stdout
    assert "Feedback from Ada Mentor" in shown and c["comment"] in shown
    assert "Depth of reflection: critical reflection" in shown
    assert ok_json(student, "show", entry_id)[0]["feedback"][0]["comment"] == c["comment"]
    # The portfolio PDF carries a short excerpt of it, unless --no-feedback.
    pdf = tmp_path / "portfolio.pdf"
    ok(student, "export", "--format", "pdf", "--entry", entry_id, "--out", str(pdf), "--keep-all")
    assert c["comment"] in _pdf_text(pdf) and "Mentor feedback" in _pdf_text(pdf)
    ok(student, "export", "--format", "pdf", "--entry", entry_id, "--out", str(pdf),
       "--no-feedback", "--keep-all")
    assert c["comment"] not in _pdf_text(pdf)
    pdf.unlink()

    # The canary: nothing shared or received is in clear in either data folder, HOME or
    # TMPDIR, nor in the package files.
    folders = [student.root / "data", student.root / "home", student.root / "tmp",
               mentor.root / "data", mentor.root / "home", mentor.root / "tmp", mail]
    assert find_canaries(folders, list(c.values())) == []
    # Positive control: the finder sees them where they are in clear.
    assert find_canaries([student.root / "files"], [c["note"]]) != []


# ==================================================================== refusals


@dataclass
class World:
    student: Person
    mentor: Person
    outsider: Person
    entry_id: str
    package: Path
    locked: Path
    tmp: Any

    def fresh_mentor(self) -> Person:
        """A copy of the mentor's vault, as it was before receiving anything."""
        env = Person(Path(self.tmp.mktemp("mentor-copy")))
        env.set_passphrase("correct horse battery staple")
        copy_vault(self.mentor.data_dir, env)
        return env


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    root = tmp_path_factory.mktemp("sharing")
    student, mentor, outsider = (person(root / n) for n in ("s", "m", "x"))
    ok(mentor, "card", "export", "--name", "Ada Mentor", "--role", "mentor",
       "--out", str(root / "ada.card"))
    ok(outsider, "card", "export", "--name", "Eve", "--out", str(root / "eve.card"))
    ok(student, "card", "export", "--name", "Sam Student", "--out", str(root / "sam.card"))
    ok(student, "card", "import", str(root / "ada.card"), "--yes")
    entry_id = ok(student, "add", "--title", "Night", input=BODY).stdout.strip()
    secret = student.secret("share-pass", SHARE_PASS)
    ok(student, "share", "--to", "Ada Mentor", "--entry", entry_id, "--out",
       str(root / "share.pkg"), "--accept-all")
    ok(student, "share", "--share-passphrase-file", str(secret), "--entry",
       f"{entry_id}:0-20", "--out", str(root / "locked.pkg"), "--accept-all")
    return World(student, mentor, outsider, entry_id, root / "share.pkg", root / "locked.pkg",
                 tmp_path_factory)


def _pdf_text(path: Path) -> str:
    import unicodedata

    import pypdf

    text = " ".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())


def refused(env: E2EEnv, *args: str, code: int = 4, contains: str | None = None) -> str:
    before = rows(env)
    line = fails(env.run(*args), code, contains)
    assert rows(env) == before
    return line


def test_refused_not_for_you(world: World) -> None:
    refused(world.outsider, "receive", str(world.package), "--yes", contains="not for you")


def test_refused_altered_and_truncated(world: World, tmp_path: Path) -> None:
    data = world.package.read_bytes()
    for pos in (len(data) // 2,):  # every position: tests/unit/core/test_packages.py
        altered = bytearray(data)
        altered[pos] ^= 0x01
        path = tmp_path / f"altered-{pos}.pkg"
        path.write_bytes(bytes(altered))
        refused(world.mentor, "receive", str(path), "--yes", contains="altered")
    cut = tmp_path / "cut.pkg"
    cut.write_bytes(data[: len(data) - 100])
    refused(world.mentor, "receive", str(cut), "--yes", contains="incomplete")
    refused(world.mentor, "receive", str(tmp_path / "missing.pkg"), "--yes",
            contains="does not exist")


def test_refused_unknown_version(world: World, tmp_path: Path) -> None:
    data = bytearray(world.package.read_bytes())
    data[len(b"journal-app share package\n") + 1] = 9
    path = tmp_path / "newer.pkg"
    path.write_bytes(bytes(data))
    refused(world.mentor, "receive", str(path), "--yes", contains="newer version")


def test_refused_replay(world: World) -> None:
    mentor = world.fresh_mentor()
    ok(mentor, "receive", str(world.package), "--yes")
    refused(mentor, "receive", str(world.package), "--yes", contains="already imported")


def test_share_passphrase_exit_codes(world: World) -> None:
    mentor = world.fresh_mentor()
    refused(mentor, "receive", str(world.locked), "--yes", code=2,
            contains="--share-passphrase-file")
    wrong = mentor.secret("wrong", "violet kettle harbor")
    refused(mentor, "receive", str(world.locked), "--yes", "--share-passphrase-file",
            str(wrong), code=3, contains="share passphrase")
    right = mentor.secret("right", SHARE_PASS)
    got = ok_json(mentor, "receive", str(world.locked), "--yes", "--share-passphrase-file",
                  str(right))
    assert len(got["excerpts"]) == 1
    (excerpt,) = ok_json(mentor, "shared", "list")["received"]
    assert excerpt["text"] == BODY[:20]


def test_refused_changed_key_for_a_known_sender(world: World, tmp_path: Path) -> None:
    mentor = world.fresh_mentor()
    ok(mentor, "receive", str(world.package), "--yes")
    # "Sam Student" from a new data folder (new keys).
    again = person(tmp_path / "sam-again")
    ok(again, "card", "export", "--name", "Sam Student", "--out", str(tmp_path / "c"))
    ok(again, "card", "import", str(world.mentor.root.parent / "ada.card"), "--yes")
    entry_id = ok(again, "add", input="Only words here.").stdout.strip()
    ok(again, "share", "--to", "Ada Mentor", "--entry", entry_id, "--out",
       str(tmp_path / "new.pkg"))
    line = refused(mentor, "receive", str(tmp_path / "new.pkg"), "--yes",
                   contains="keys changed")
    assert "Warning" in line


def test_share_with_undecided_findings_and_no_terminal_writes_nothing(
        world: World, tmp_path: Path) -> None:
    out = tmp_path / "p.pkg"
    result = world.student.run("share", "--to", "Ada Mentor", "--entry", world.entry_id,
                               "--out", str(out))
    fails(result, 2, "--redact-all")
    assert "sam.k@example.org" in result.stdout  # the findings were listed
    assert not out.exists()
    assert len(ok_json(world.student, "shared", "list")["shared"]) == 2


def test_share_usage_errors(world: World, tmp_path: Path) -> None:
    out = str(tmp_path / "p.pkg")
    s = world.student
    refused(s, "share", "--entry", world.entry_id, "--out", out, code=2, contains="--to")
    refused(s, "share", "--to", "Nobody", "--entry", world.entry_id, "--out", out, code=1,
            contains="No contact")
    refused(s, "share", "--to", "Ada", "--entry", f"{world.entry_id}:5-1", "--out", out,
            code=2, contains="outside")
    weak = s.secret("weak", "password1")
    refused(s, "share", "--share-passphrase-file", str(weak), "--entry", world.entry_id,
            "--out", out, "--accept-all", code=2, contains="too weak")
    assert not Path(out).exists()


def test_card_commands(world: World, tmp_path: Path) -> None:
    s = world.student
    refused(s, "card", "import", str(world.mentor.root.parent / "eve.card"), code=2,
            contains="fingerprint")
    bad = tmp_path / "bad.card"
    bad.write_text('{"format": "journal-app-card", "version": 1}')
    refused(s, "card", "import", str(bad), "--yes", contains="not a valid mentor card")
    refused(s, "card", "import", str(world.package), "--yes", contains="not a mentor card")
    refused(s, "card", "import", str(world.mentor.root.parent / "sam.card"), "--yes", code=2,
            contains="your own card")
    listing = ok_json(s, "card", "list")
    assert listing["me"]["name"] == "Sam Student"
    assert [c["name"] for c in listing["contacts"]] == ["Ada Mentor"]
    text = ok(s, "card", "list").stdout
    assert "Ada Mentor (mentor)" in text and listing["contacts"][0]["fingerprint"] in text
    fresh = person(tmp_path / "fresh")
    refused(fresh, "card", "export", "--out", str(tmp_path / "f.card"), code=2,
            contains="--name")


def test_feedback_usage_errors(world: World, tmp_path: Path) -> None:
    mentor = world.fresh_mentor()
    ok(mentor, "receive", str(world.package), "--yes")
    (excerpt,) = ok_json(mentor, "shared", "list")["received"]
    body = write(mentor, "fb", "Thank you.")
    out = str(tmp_path / "fb.pkg")
    refused(mentor, "feedback", "--on", excerpt["id"], "--body-file", str(body), "--depth",
            "deep", "--out", out, code=2, contains="--depth")
    refused(mentor, "feedback", "--on", "abcdef12", "--body-file", str(body), "--out", out,
            code=1, contains="No such")
    empty = write(mentor, "empty", "   ")
    refused(mentor, "feedback", "--on", excerpt["id"], "--body-file", str(empty), "--out", out,
            code=2, contains="feedback")
    assert not Path(out).exists()


# ==================================================================== on a terminal


def run_on_terminal(env: Person, *args: str, answers: str) -> subprocess.CompletedProcess[str]:
    """Run with a pseudo-terminal as standard input, typing ``answers`` (one per line)."""
    master, slave = os.openpty()
    try:
        proc = subprocess.Popen([*env.command(), *args], stdin=slave, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env.env(), start_new_session=True)
        os.close(slave)
        os.write(master, answers.encode())
        out, err = proc.communicate(timeout=120)
    finally:
        os.close(master)
    return subprocess.CompletedProcess(args, proc.returncode, out.decode(), err.decode())


def test_review_and_confirmation_on_a_terminal(world: World, tmp_path: Path) -> None:
    out = tmp_path / "reviewed.pkg"
    # The phone number comes first: change it; the e-mail address next: keep it; accept the
    # rest, should the detectors find more.
    result = run_on_terminal(world.student, "share", "--to", "Ada Mentor", "--entry",
                             world.entry_id, "--out", str(out),
                             answers="c\nTHE-WARD-PHONE\ni\n" + "a\n" * 20)
    assert result.returncode == 0, result.stderr
    assert "[a]ccept" in result.stdout and "cannot be recalled" in result.stderr

    mentor = world.fresh_mentor()
    declined = run_on_terminal(mentor, "receive", str(out), answers="n\n")
    fails(declined, 1, "not confirmed")
    assert "Does this fingerprint match" in declined.stdout
    assert ok_json(mentor, "shared", "list")["received"] == []
    accepted = run_on_terminal(mentor, "receive", str(out), answers="y\n")
    assert accepted.returncode == 0, accepted.stderr
    (excerpt,) = ok_json(mentor, "shared", "list")["received"]
    assert "THE-WARD-PHONE" in excerpt["text"] and "555-201-3344" not in excerpt["text"]
    assert "sam.k@example.org" in excerpt["text"]  # the user chose to keep it


def test_card_remove(world: World) -> None:
    # On a copy of the student's vault (the module's world is shared by the other tests).
    student = Person(Path(world.tmp.mktemp("student-copy")))
    student.set_passphrase("correct horse battery staple")
    copy_vault(world.student.data_dir, student)
    # Without a terminal it asks for --yes; then the contact is gone.
    fails(student.run("card", "remove", "Ada"), 2, "--yes")
    removed = ok_json(student, "card", "remove", "Ada", "--yes")
    assert removed["name"] == "Ada Mentor"
    assert ok_json(student, "card", "list")["contacts"] == []
    fails(student.run("card", "remove", "Ada", "--yes"), 1, "No contact")
    assert len(ok_json(world.student, "card", "list")["contacts"]) == 1  # the original
