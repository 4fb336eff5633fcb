"""Cohort contributions through the command line (issue 25), between separate data folders:
a student contributes (what leaves shown; no terminal and no --yes: exit 2; once a rotation:
exit 1), one not in a programme gets exit 2, and the lead's report --json has the issue's shape
and lists a replayed file as refused."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

from tests.e2e.conftest import E2EEnv, build_vault, fails, make_env, ok, ok_json
from tests.e2e.test_cli_sharing import rows
from tests.helpers.programme_pack import write_pack

NAME = "Palliative Care Clerkship"


def person(root: Path) -> E2EEnv:
    env = make_env(root)
    build_vault(env.data_dir)
    return env


def test_contribute_and_report(tmp_path: Path) -> None:
    lead, student, loner = (person(tmp_path / n) for n in ("lead", "student", "loner"))
    mail, drop = tmp_path / "mail", tmp_path / "drop"
    mail.mkdir()
    drop.mkdir()
    today = date.today()
    start, end = today - timedelta(days=3), today + timedelta(days=25)
    rotations = (f'version = 1\nlifetime_epsilon = 2\n[[rotation]]\nid = "now"\n'
                 f"start = {start.isoformat()}\nend = {end.isoformat()}\n")
    ok(lead, "programme", "create", "--name", NAME)
    ok(student, "card", "export", "--name", "Sam Student", "--out", str(mail / "sam.card"))
    ok(lead, "programme", "enrol", str(mail / "sam.card"))
    ok(lead, "programme", "pack", "set", str(write_pack(tmp_path / "pack", rotations=rotations)))
    ok(lead, "programme", "publish", "--out", str(mail / "v1.json"))
    ok(student, "programme", "join", str(mail / "v1.json"), "--yes")

    fails(loner.run("cohort", "contribute", "--out", str(drop), "--yes"), 2,
          "not joined a programme")
    # No terminal, no --yes: what would leave is printed, nothing is sent (exit 2).
    before = len(list(drop.iterdir()))
    result = student.run("cohort", "contribute", "--out", str(drop))
    fails(result, 2, "--yes")
    assert "It answers one item, drawn at random from the rotation's 11" in result.stdout
    assert "so the programme will know that you contributed" in result.stdout
    assert len(list(drop.iterdir())) == before
    sent = ok(student, "cohort", "contribute", "--out", str(drop), "--yes").stdout
    assert "epsilon 2 of your lifetime 2" in sent
    [written] = list(drop.iterdir())
    # Once a rotation (and the budget is spent too): exit 1, a plain sentence.
    fails(student.run("cohort", "contribute", "--yes"), 1, "already contributed")

    shutil.copy(written, drop / "copy-of-it.jcc")  # a replay under another name
    before = rows(lead)
    report = ok_json(lead, "cohort", "report", str(drop))
    assert rows(lead) == before  # reading changes nothing
    assert set(report) == {"rotations", "pooled", "refused"}
    [rotation] = [r for r in report["rotations"] if r["id"] == "now"]
    assert rotation["contributions"] == 1 and rotation["epsilon"] == 2
    assert len(rotation["items"]) == 11
    assert sum(i["reports"] for i in rotation["items"]) == 1
    assert all(i["suppressed"] and i["estimate"] is None and i["low"] is None
               and i["high"] is None for i in rotation["items"])
    assert report["pooled"]["contributions"] == 1 and len(report["pooled"]["items"]) == 11
    names = sorted(p.name for p in drop.iterdir())
    replayed = names[1] if names[0] == written.name else names[0]
    assert report["refused"] == [{"file": replayed, "reason": "replayed"}]
    text = ok(lead, "cohort", "report", str(drop)).stdout
    assert "suppressed (1 report, under 10)" in text and "replayed" in text
    fails(student.run("cohort", "report", str(drop)), 2, "leads no programme")


def test_contribute_defaults_to_the_programmes_drop_folder(tmp_path: Path) -> None:
    """Without --out, the signed pack's drop_folder when it is a folder on this computer; when
    it is not (a shared drive mounted elsewhere), exit 2 with a plain sentence and nothing
    written; --out then writes it (and is remembered for that drop folder: tests/unit). Once
    the lifetime budget is spent: exit 1, a plain sentence."""
    lead, student = (person(tmp_path / n) for n in ("lead", "student"))
    mail, share, mine = tmp_path / "mail", tmp_path / "share", tmp_path / "mine"
    for folder in (mail, share, mine):
        folder.mkdir()
    today = date.today()

    def rotations(drop: Path) -> str:
        return (f'version = 1\nlifetime_epsilon = 4\ndrop_folder = "{drop.as_posix()}"\n'
                f'[[rotation]]\nid = "first"\nstart = {today - timedelta(days=90)}\n'
                f"end = {today - timedelta(days=62)}\n"
                f'[[rotation]]\nid = "before"\nstart = {today - timedelta(days=60)}\n'
                f"end = {today - timedelta(days=32)}\n"
                f'[[rotation]]\nid = "now"\nstart = {today - timedelta(days=3)}\n'
                f"end = {today + timedelta(days=25)}\n")

    ok(lead, "programme", "create", "--name", NAME)
    ok(student, "card", "export", "--name", "Sam Student", "--out", str(mail / "sam.card"))
    ok(lead, "programme", "enrol", str(mail / "sam.card"))
    ok(lead, "programme", "pack", "set",
       str(write_pack(tmp_path / "pack", rotations=rotations(share))))
    ok(lead, "programme", "publish", "--out", str(mail / "v1.json"))
    ok(student, "programme", "join", str(mail / "v1.json"), "--yes")
    sent = ok(student, "cohort", "contribute", "--rotation", "first", "--yes").stdout
    assert f"It will be written into {NAME}'s drop folder, {share}." in sent
    assert len(list(share.iterdir())) == 1

    # The lead names the folder as their computer mounts it: not a folder on this one.
    away = tmp_path / "not-mounted" / "Cohort"
    ok(lead, "programme", "pack", "set",
       str(write_pack(tmp_path / "pack2", rotations=rotations(away))))
    ok(lead, "programme", "publish", "--out", str(mail / "v2.json"))
    ok(student, "programme", "update", str(mail / "v2.json"))
    fails(student.run("cohort", "contribute", "--yes"), 2,
          "which is not a folder on this computer")
    assert len(list(share.iterdir())) == 1 and not list(mine.iterdir())
    ok(student, "cohort", "contribute", "--rotation", "before", "--out", str(mine), "--yes")
    assert len(list(mine.iterdir())) == 1
    # Epsilon 2 twice of a lifetime 4: nothing more, whatever the folder.
    fails(student.run("cohort", "contribute", "--out", str(mine), "--yes"), 1,
          "lifetime privacy budget")
    assert len(list(mine.iterdir())) == 1


def test_after_a_hand_over_the_new_lead_reads_contributions_to_the_old_key(
        tmp_path: Path) -> None:
    """A student who never took the hand-over file contributes to the old lead's key; the new
    lead (who took the hand-over with 'programme join') reads it, and the old lead no longer
    reports (exit 2)."""
    lead, student, successor = (person(tmp_path / n) for n in ("lead", "student", "successor"))
    mail, drop = tmp_path / "mail", tmp_path / "drop"
    mail.mkdir()
    drop.mkdir()
    today = date.today()
    rotations = (f'version = 1\n[[rotation]]\nid = "now"\nstart = {today - timedelta(days=3)}\n'
                 f"end = {today + timedelta(days=25)}\n")
    ok(lead, "programme", "create", "--name", NAME)
    ok(student, "card", "export", "--name", "Sam Student", "--out", str(mail / "sam.card"))
    ok(successor, "card", "export", "--name", "Rae Successor", "--role", "mentor",
       "--out", str(mail / "rae.card"))
    ok(lead, "programme", "enrol", str(mail / "sam.card"))
    ok(lead, "programme", "pack", "set", str(write_pack(tmp_path / "pack", rotations=rotations)))
    ok(lead, "programme", "publish", "--out", str(mail / "v1.json"))
    ok(student, "programme", "join", str(mail / "v1.json"), "--yes")
    said = ok(lead, "programme", "hand-over", "--to", str(mail / "rae.card"),
              "--out", str(mail / "handover.json"))
    assert "keys for cohort contributions sealed to the new lead's card" in " ".join(
        (said.stdout + said.stderr).split())
    ok(successor, "programme", "join", str(mail / "handover.json"), "--yes")
    ok(student, "cohort", "contribute", "--out", str(drop), "--yes")
    report = ok_json(successor, "cohort", "report", str(drop))
    assert report["pooled"]["contributions"] == 1 and report["refused"] == []
    fails(lead.run("cohort", "report", str(drop)), 2, "handed this programme over")
