"""`journal-app salvage`: a sound journal is copied whole; the folder must be empty; a wrong
passphrase writes nothing."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.images import png

from .conftest import E2EEnv, build_vault, fails, make_env, ok, ok_json, snapshot

ENTRIES = [{"title": f"Shift {i}", "body": f"Handover notes {i}"} for i in range(5)]


def _vault(tmp_path: Path) -> tuple[E2EEnv, list[str]]:
    env = make_env(tmp_path / "cli")
    _key, ids = build_vault(env.data_dir, entries=ENTRIES)
    return env, ids


def test_a_sound_journal_is_copied_whole_and_exits_0(tmp_path: Path) -> None:
    env, ids = _vault(tmp_path)
    with_attachment = ids[0]
    image = tmp_path / "scan.png"
    image.write_bytes(png())
    ok(env, "attach", with_attachment, str(image))
    out = tmp_path / "rescued"
    report = ok_json(env, "salvage", "--out", str(out))
    assert report["lost"] == []
    assert report["unidentified"] == 0
    assert report["kept"] == len(ids) + 2  # the entries, the attachment and its image
    listed = ok_json(env, "--data-dir", str(out), "list")
    assert sorted(e["id"] for e in listed) == sorted(ids)
    shown = ok_json(env, "--data-dir", str(out), "show", with_attachment)[0]
    assert len(shown["attachments"]) == 1
    assert "intact" in ok(env, "--data-dir", str(out), "verify").stdout


def test_a_folder_that_is_not_empty_is_refused_with_exit_1(tmp_path: Path) -> None:
    env, _ids = _vault(tmp_path)
    out = tmp_path / "busy"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    fails(env.run("salvage", "--out", str(out)), 1, "empty")
    assert snapshot(out) == {"notes.txt": b"mine"}
    fails(env.run("salvage", "--out", str(env.data_dir / "inside")), 1, "outside")
    assert [p.name for p in tmp_path.iterdir() if ".salvage-" in p.name] == []


def test_a_wrong_passphrase_writes_nothing(tmp_path: Path) -> None:
    env, _ids = _vault(tmp_path)
    before = snapshot(env.data_dir)
    wrong = env.secret("wrong", "not the passphrase")
    out = tmp_path / "rescued"
    fails(env.run("salvage", "--out", str(out), "--passphrase-file", str(wrong)), 3,
          "passphrase")
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if ".salvage-" in p.name] == []
    assert snapshot(env.data_dir) == before

