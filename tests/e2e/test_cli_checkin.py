"""`journal-app checkin` and `journal-app prompt` as separate processes."""

from __future__ import annotations

from journal_app.core.practice.prompts import FACETS, LEVELS, load_library
from journal_app.core.records.model import CheckIn
from journal_app.core.vault.journal import Journal
from tests.e2e.conftest import PASSPHRASE, E2EEnv, fails, ok, ok_json


def test_checkin_with_every_flag_is_stored(vault_env: E2EEnv) -> None:
    out = ok_json(vault_env, "checkin", "--mood", "-3", "--energy", "-2", "--stress", "8",
                  "--burnout", "4", "--emotion", "grief:5", "--emotion", "numb",
                  "--sleep", "4.5", "--encounter", "patient-death",
                  "--date", "2026-03-14T23:10")
    assert out["mood"] == -3 and out["burnout"] == 4 and out["sleep_hours"] == 4.5
    assert out["emotions"] == [{"name": "grief", "intensity": 5},
                               {"name": "numb", "intensity": 3}]
    assert out["created"].startswith("2026-03-14T23:10")
    with Journal.open(vault_env.data_dir) as journal:
        journal.unlock(PASSPHRASE)
        (stored,) = journal.checkins()
    assert isinstance(stored, CheckIn) and stored.encounter == "patient-death"


def test_a_difficult_checkin_points_to_the_matching_reflection(vault_env: E2EEnv) -> None:
    result = ok(vault_env, "checkin", "--stress", "9", "--encounter", "code")
    assert load_library().templates["code"].title in result.stderr


def test_checkin_without_a_terminal_stores_what_was_given(vault_env: E2EEnv) -> None:
    out = ok_json(vault_env, "checkin", "--stress", "5")
    assert out["stress"] == 5 and out["mood"] is None and out["burnout"] is None


def test_checkin_values_out_of_range_are_usage_errors(vault_env: E2EEnv) -> None:
    fails(vault_env.run("checkin", "--burnout", "6"), 2, "burnout")
    fails(vault_env.run("checkin", "--sleep", "30"), 2, "sleep")
    fails(vault_env.run("checkin", "--encounter", "lunch"), 2)


def test_prompt_prints_one_prompt_as_json(vault_env: E2EEnv) -> None:
    out = ok_json(vault_env, "prompt", "--encounter", "bad-news", "--level", "clerkship")
    assert set(out) == {"id", "text", "facet", "level", "themes"}
    assert out["facet"] in FACETS and out["level"] in LEVELS
    prompt = load_library().prompt(out["id"])
    assert prompt.text == out["text"] and prompt.fits("bad-news")
    again = ok_json(vault_env, "prompt", "--encounter", "bad-news", "--level", "clerkship")
    assert again == out  # today's prompt stays the same all day
    fails(vault_env.run("prompt", "--level", "expert"), 2, "levels")


def test_todays_prompt_is_remembered_and_shared_with_the_app(vault_env: E2EEnv) -> None:
    first = ok_json(vault_env, "prompt")
    assert ok_json(vault_env, "prompt") == first  # the same all day
    with Journal.open(vault_env.data_dir) as journal:
        journal.unlock(PASSPHRASE)
        state = journal.app_state()
    assert state.todays_prompt == first["id"] and state.shown_prompts[0] == first["id"]


def test_checkin_asks_for_what_is_missing_on_a_terminal(vault_env: E2EEnv) -> None:
    """Run in a pseudo-terminal and answer the questions as a person would."""
    import os
    import pty
    import subprocess
    import sys
    import time

    main, child = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "journal_app", "checkin", "--stress", "6"],
        stdin=child, stdout=child, stderr=child, env=vault_env.env(), close_fds=True,
    )
    os.close(child)
    answers = [("Mood", "-2"), ("Energy", "x"), ("number", "-3"), ("rating", "3"),
               ("Emotions", "grief:4, relief"), ("sleep", ""), ("difficult", "y"),
               ("Which kind", "code"), ("good", "y"), ("line about it", "Bed 12, again"),
               # "relief" is not a listed emotion: asked once, on the terminal.
               ("own word? [y/N]", "y")]
    seen = ""
    deadline = time.monotonic() + 60
    for expect, reply in answers:
        while expect not in seen:
            assert time.monotonic() < deadline, seen
            try:
                seen += os.read(main, 4096).decode("utf-8", "replace")
            except OSError:
                break
        seen = seen[seen.index(expect) + len(expect):]
        os.write(main, (reply + "\n").encode())
    assert proc.wait(timeout=60) == 0
    os.close(main)
    with Journal.open(vault_env.data_dir) as journal:
        journal.unlock(PASSPHRASE)
        (stored,) = journal.checkins()
    assert (stored.mood, stored.energy, stored.stress, stored.burnout) == (-2, -3, 6, 3)
    assert [(e.name, e.intensity) for e in stored.emotions] == [("grief", 4), ("relief", 3)]
    assert stored.sleep_hours is None and stored.encounter == "code"
    assert stored.good_moment is True  # both can be true of one day
    assert stored.note == "Bed 12, again"
    with Journal.open(vault_env.data_dir) as journal:
        journal.unlock(PASSPHRASE)
        assert journal.own_emotions() == ["relief"]


def test_trends_json_has_every_key_and_counts_the_checkins(vault_env: E2EEnv) -> None:
    ok(vault_env, "checkin", "--mood", "2", "--stress", "4", "--date", "2026-03-10T20:00")
    ok(vault_env, "checkin", "--mood", "-1", "--stress", "8", "--date", "2026-03-11T21:00")
    out = ok_json(vault_env, "trends", "--from", "2026-03-01", "--to", "2026-03-31")
    assert set(out) >= {"range", "series", "emotions", "encounters", "coping", "what_helps",
                        "streaks", "calendar", "words", "facets", "depth"}
    assert set(out["series"]) >= {"mood", "energy", "stress", "burnout"}
    mood = out["series"]["mood"]
    assert [(p["date"], p["value"]) for p in mood] == [("2026-03-10", 2), ("2026-03-11", -1)]
    assert mood[1]["mean7"] == 0.5
    assert all({"n_with", "n_without", "enough_data"} <= set(w) for w in out["what_helps"])
    fails(vault_env.run("trends", "--from", "2026-04-01", "--to", "2026-03-01"), 2, "from")
    assert out["self_assessment"]["competency"]["n"] == 0


def test_trends_without_json_prints_a_plain_summary(vault_env: E2EEnv) -> None:
    ok(vault_env, "checkin", "--mood", "2", "--stress", "4", "--date", "2026-03-10T20:00")
    ok(vault_env, "checkin", "--mood", "-1", "--stress", "8", "--encounter", "code",
       "--date", "2026-03-11T21:00")
    result = ok(vault_env, "trends", "--from", "2026-03-01", "--to", "2026-03-31")
    lines = result.stdout.splitlines()
    assert lines[0] == "Trends from 2026-03-01 to 2026-03-31."
    assert "  Mood (-5 to 5): averaged 0.5 over 2 days." in lines
    assert "  Stress (0 to 10): averaged 6.0 over 2 days." in lines
    assert "  Difficult encounters: 1 (a code or resuscitation 1)." in lines
    assert "--json" in result.stderr
    assert not any("streak" in line for line in lines)  # off unless turned on in the app


def test_a_checkin_with_every_question_skipped_is_not_saved(vault_env: E2EEnv) -> None:
    """Nothing given (no flags, no terminal to ask on): nothing is stored, and it says so."""
    fails(vault_env.run("checkin"), 2, "skipped")
    with Journal.open(vault_env.data_dir) as journal:
        journal.unlock(PASSPHRASE)
        assert journal.checkins() == []
