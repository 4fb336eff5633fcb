"""Emotions on the command line (issue 16): a word that is neither a listed emotion nor one of the
user's own is refused (exit 2, nothing stored, the sentence names --own-emotion); --own-emotion
keeps it, and from then on --emotion takes it; `emotions` lists and tidies the words outside the
vocabulary; a check-in's note is stored (--note) and shown (`checkins`)."""

from __future__ import annotations

from journal_app.core.records.model import CheckIn, Emotion, Entry
from journal_app.core.vault.journal import Journal
from tests.e2e.conftest import PASSPHRASE, E2EEnv, fails, ok, ok_json, snapshot


def test_an_unknown_emotion_is_refused_and_nothing_is_stored(vault_env: E2EEnv) -> None:
    before = snapshot(vault_env.data_dir)
    line = fails(vault_env.run("add", "--title", "Night", "--emotion", "exhaus:4",
                               "--body-file", "-", input="text"), 2, "--own-emotion")
    assert "exhaus" in line and "exhausted" in line  # the word it may have meant
    fails(vault_env.run("checkin", "--mood", "-2", "--emotion", "guil"), 2, "--own-emotion")
    assert snapshot(vault_env.data_dir) == before


def test_an_own_word_is_kept_and_then_taken_everywhere(vault_env: E2EEnv) -> None:
    [entry] = ok_json(vault_env, "add", "--title", "Night", "--emotion", "grief:4",
                      "--own-emotion", "hollowed out:2", "--body-file", "-", input="text")
    assert entry["emotions"] == [{"name": "grief", "intensity": 4},
                                 {"name": "hollowed out", "intensity": 2}]
    ok(vault_env, "add", "--title", "Again", "--emotion", "Hollowed Out", "--body-file", "-",
       input="more")
    out = ok_json(vault_env, "checkin", "--mood", "-1", "--emotion", "hollowed out:5")
    assert out["emotions"] == [{"name": "hollowed out", "intensity": 5}]
    with Journal.open(vault_env.data_dir) as journal:
        journal.unlock(PASSPHRASE)
        assert journal.own_emotions() == ["hollowed out"]


def test_edit_keeps_a_word_already_on_the_entry(vault_env: E2EEnv) -> None:
    with Journal.open(vault_env.data_dir) as journal:  # an old slip, stored before
        journal.unlock(PASSPHRASE)
        old = journal.add_entry(Entry(title="Old", emotions=(Emotion("exhaus", 4),)))
    ok(vault_env, "edit", old.id, "--emotion", "exhaus:2", "--emotion", "grief")
    fails(vault_env.run("edit", old.id, "--emotion", "guil"), 2, "--own-emotion")


def test_emotions_lists_and_tidies_the_words_outside_the_vocabulary(
        vault_env: E2EEnv) -> None:
    with Journal.open(vault_env.data_dir) as journal:
        journal.unlock(PASSPHRASE)
        entry = journal.add_entry(Entry(title="Old", emotions=(Emotion("exhaus", 4),)))
        journal.add_record(CheckIn(mood=-2, emotions=(Emotion("guil", 3), Emotion("exhaus"))))
        journal.add_record(CheckIn(mood=1, emotions=(Emotion("raw", 2),)))
    listed = ok_json(vault_env, "emotions")
    assert listed == [
        {"name": "exhaus", "entries": 1, "checkins": 1, "own": False, "suggestion": "exhausted"},
        {"name": "guil", "entries": 0, "checkins": 1, "own": False, "suggestion": "guilt"},
        {"name": "raw", "entries": 0, "checkins": 1, "own": False, "suggestion": None},
    ]
    text = ok(vault_env, "emotions").stdout
    assert "exhaus  (1 entries, 1 check-ins; not listed; maybe exhausted)" in text
    assert "Named it 'exhausted' in 2 records" in ok(
        vault_env, "emotions", "--rename", "exhaus", "exhausted").stdout
    assert "Removed it in 1 record " in ok(vault_env, "emotions", "--remove", "guil").stdout
    ok(vault_env, "emotions", "--keep", "raw")
    assert ok_json(vault_env, "emotions") == [
        {"name": "raw", "entries": 0, "checkins": 1, "own": True, "suggestion": None}]
    fails(vault_env.run("emotions", "--rename", "raw", "rawish"), 2, "not one of the listed")
    fails(vault_env.run("emotions", "--remove", "nothing"), 2, "no entry or check-in")
    assert "exhausted" in ok_json(vault_env, "emotions", "--known")
    with Journal.open(vault_env.data_dir) as journal:
        journal.unlock(PASSPHRASE)
        assert journal.get_entry(entry.id).emotions == (Emotion("exhausted", 4),)
        assert len(journal.revisions(entry.id)) == 1  # the earlier version is kept


def test_a_checkins_note_is_stored_and_shown(vault_env: E2EEnv) -> None:
    out = ok_json(vault_env, "checkin", "--mood", "-2", "--note", "Bed 12, a long night",
                  "--date", "2026-03-14T23:10")
    assert out["note"] == "Bed 12, a long night"
    ok(vault_env, "checkin", "--mood", "2", "--emotion", "calm", "--date", "2026-03-15T08:00")
    lines = ok(vault_env, "checkins").stdout.splitlines()
    assert lines[0].endswith("2026-03-15 08:00  mood +2  calm 3/5")
    assert lines[1].endswith("2026-03-14 23:10  mood -2")
    assert lines[2] == "    Bed 12, a long night"
    listed = ok_json(vault_env, "checkins", "--limit", "1")
    assert [c["note"] for c in listed] == [""]
    # `show` takes the id `checkin` printed.
    shown = ok(vault_env, "show", out["id"][:8]).stdout.splitlines()
    assert shown[0].endswith("2026-03-14 23:10  mood -2")
    assert shown[1] == "    Bed 12, a long night"
    assert ok_json(vault_env, "show", out["id"])[0]["note"] == "Bed 12, a long night"
