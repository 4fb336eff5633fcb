"""journal-app attach / show / attachment save|remove|restore, and import --format dayone, as
separate processes; and the canary: image bytes and names never reach the disk in the clear."""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
import uuid
import zipfile
from pathlib import Path

from tests.e2e.conftest import E2EEnv, build_vault, fails, make_env, ok, ok_json, snapshot
from tests.e2e.test_security import find_canaries
from tests.helpers.images import gif, jpeg_header, png

FIXTURES = Path(__file__).parent / "fixtures" / "dayone"


def dayone_zip(path: Path, comment: str = "photo") -> Path:
    """The hand-written Day One fixtures, zipped with photos under their md5 names."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in ("Journal.json", "Residency.json"):
            zf.write(FIXTURES / name, name)
        zf.writestr("photos/0b5e1f6e9c2a4d7f8e3b1a6c5d4e3f2a.png", png(3, 2, comment=comment))
        zf.writestr("photos/2d7f9b1c3e5a4f6b8d0c2e4a6b8d0f1e.jpeg", jpeg_header(comment.encode()))
        zf.writestr("photos/1c6e8a0b2d4f3e5a7c9b1d3f5e7a9c0b.gif", gif())
        zf.writestr("audios/3e8a0c2b4d6f5a7c9e1b3d5f7a9c1e2d.m4a", b"voice")
    return path


def test_attach_show_save_remove_restore(vault_env: E2EEnv, tmp_path: Path) -> None:
    env = vault_env
    entry_id = ok(env, "add", "--title", "Debrief", input="Notes from the meeting.").stdout.strip()
    image = tmp_path / "scan of my notes.png"
    image.write_bytes(png(4, 4, comment="notes"))
    attachment_id = ok(env, "attach", entry_id[:8], str(image)).stdout.strip()
    assert len(attachment_id) == 32
    drawing = tmp_path / "drawing.gif"
    drawing.write_bytes(gif())
    second = ok_json(env, "attach", entry_id, str(drawing))
    assert (second["name"], second["media_type"], second["size"]) == ("drawing.gif", "image/gif",
                                                                      len(gif()))

    shown = ok(env, "show", entry_id).stdout
    assert "attachments (2):" in shown
    assert f"{attachment_id[:8]}  scan of my notes.png  ({len(png(4, 4, comment='notes'))} bytes," \
           " image/png)" in shown
    (item,) = ok_json(env, "show", entry_id)
    assert [a["name"] for a in item["attachments"]] == ["scan of my notes.png", "drawing.gif"]
    assert item["attachments"][0]["id"] == attachment_id

    out = tmp_path / "copy.png"
    result = ok(env, "attachment", "save", attachment_id[:8], "--out", str(out))
    assert out.read_bytes() == png(4, 4, comment="notes")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "NOT encrypted" in result.stderr

    removed = ok(env, "attachment", "remove", attachment_id[:8]).stdout
    assert "to the trash" in removed and "attachment restore" in removed
    (item,) = ok_json(env, "show", entry_id)
    assert [a["name"] for a in item["attachments"]] == ["drawing.gif"]
    ok(env, "attachment", "restore", attachment_id[:8])
    (item,) = ok_json(env, "show", entry_id)
    assert len(item["attachments"]) == 2
    ok(env, "attachment", "remove", attachment_id)
    ok(env, "trash", "--empty")
    fails(env.run("attachment", "save", attachment_id, "--out", str(out)), 1, "no such")
    assert ok_json(env, "verify")["ok"] is True


def test_attach_refusals_change_nothing(vault_env: E2EEnv, tmp_path: Path) -> None:
    env = vault_env
    entry_id = ok(env, "add", "--title", "Debrief", input="text").stdout.strip()
    before = snapshot(env.data_dir)
    text = tmp_path / "notes.png"
    text.write_text("not really a picture", encoding="utf-8")
    fails(env.run("attach", entry_id, str(text)), 4,
          "not an image journal-app can keep (PNG, JPEG, GIF, WebP or HEIC images)")
    huge = tmp_path / "huge.png"
    with open(huge, "wb") as fh:
        fh.write(png())
        fh.truncate(21 * 1024 * 1024)  # sparse: refused from its size, never read
    line = fails(env.run("attach", entry_id, str(huge)), 4, "too large to attach")
    assert "the limit is 20 MB per file" in line
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    fails(env.run("attach", entry_id, str(empty)), 4, "empty")
    fails(env.run("attach", entry_id, str(tmp_path / "missing.png")), 2, "does not exist")
    fails(env.run("attach", entry_id, str(tmp_path)), 2, "is a folder, not a file")
    image = tmp_path / "ok.png"
    image.write_bytes(png())
    fails(env.run("attach", "f" * 32, str(image)), 1, "no such entry")
    fails(env.run("attachment", "save", entry_id, "--out", str(tmp_path / "x")), 1,
          "not a attachment")
    fails(env.run("attachment"), 2, "attachment save|remove|restore")
    assert snapshot(env.data_dir) == before


def test_import_dayone(vault_env: E2EEnv, tmp_path: Path) -> None:
    env = vault_env
    export = dayone_zip(tmp_path / "Day One Export.zip")
    result = ok(env, "import", "--format", "dayone", str(export))
    assert result.stdout.strip() == "Imported 7 records; skipped 0 already in the journal."
    assert "1 video(s), audio recording(s) or PDF(s) were not imported" in result.stderr
    entries = ok_json(env, "list")
    assert len(entries) == 4
    code = next(e for e in entries if e["body"].startswith("# After the code"))
    assert code["created"] == "2024-03-01T19:30:00+01:00"
    assert code["starred"] is True and code["tags"] == ["night shift", "code blue"]
    assert "40 minutes. It was 3-4 am!" in code["body"]
    (shown,) = ok_json(env, "show", code["id"])
    (photo,) = shown["attachments"]
    out = tmp_path / "photo.png"
    ok(env, "attachment", "save", photo["id"], "--out", str(out))
    assert out.read_bytes() == png(3, 2, comment="photo")

    again = ok_json(env, "import", "--format", "dayone", str(export))
    assert again == {"imported": 0, "skipped_duplicates": 7, "not_imported": {}}
    assert ok_json(env, "verify")["ok"] is True


def test_a_hostile_dayone_export_imports_nothing(vault_env: E2EEnv, tmp_path: Path) -> None:
    env = vault_env
    ok(env, "add", "--title", "Before", input="kept")
    before = snapshot(env.data_dir)
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("Journal.json", json.dumps({"entries": [
            {"creationDate": "2024-03-01T18:30:00Z", "text": "fine"},
            {"creationDate": "2024-03-01T18:30:00Z", "tags": "not a list"},
        ]}))
    fails(env.run("import", "--format", "dayone", str(bad)), 4,
          "bad.zip: Journal.json, entry 2: tags is not a list of words; nothing was imported.")
    traversal = tmp_path / "traversal.zip"
    with zipfile.ZipFile(traversal, "w") as zf:
        zf.writestr("../../outside.json", json.dumps({"entries": []}))
    fails(env.run("import", "--format", "dayone", str(traversal)), 4, "unsafe name")
    missing = dayone_zip(tmp_path / "missing.zip")
    shutil.copy(missing, tmp_path / "copy.zip")
    with zipfile.ZipFile(missing) as src, zipfile.ZipFile(tmp_path / "nophoto.zip", "w") as dst:
        for info in src.infolist():
            if not info.filename.endswith(".gif"):
                dst.writestr(info, src.read(info))
    fails(env.run("import", "--format", "dayone", str(tmp_path / "nophoto.zip")), 4,
          "photos/1c6e8a0b2d4f3e5a7c9b1d3f5e7a9c0b.gif is not in the export")
    assert snapshot(env.data_dir) == before


def test_image_bytes_and_names_never_reach_the_disk_in_clear(tmp_path: Path) -> None:
    env = make_env(tmp_path / "cli")
    build_vault(env.data_dir)
    outside = tmp_path / "outside"
    outside.mkdir()
    c = {name: f"canary-{name}-{uuid.uuid4().hex}" for name in (
        "image", "name", "dayone-image", "dayone-text", "export-check")}
    entry_id = ok(env, "add", "--title", "Plain title", input="plain").stdout.strip()
    image = outside / f"{c['name']}.png"
    image.write_bytes(png(8, 8, comment=c["image"]))
    attachment_id = ok(env, "attach", entry_id, str(image)).stdout.strip()
    image.unlink()
    export = dayone_zip(outside / "dayone.zip", comment=c["dayone-image"])
    with zipfile.ZipFile(export, "a") as zf:
        zf.writestr("Canary.json", json.dumps({"entries": [
            {"creationDate": "2022-01-01T10:00:00Z", "text": c["dayone-text"]}]}))
    ok(env, "import", "--format", "dayone", str(export))
    export.unlink()
    # Read it all back: show (lists names), save (decrypts), search, verify.
    assert c["name"] in ok(env, "show", entry_id).stdout
    copy = outside / "copy.png"
    ok(env, "attachment", "save", attachment_id, "--out", str(copy))
    assert c["image"].encode() in copy.read_bytes()  # positive control
    copy.unlink()
    assert len(ok_json(env, "search", c["dayone-text"])) == 1
    assert ok_json(env, "verify")["ok"] is True

    watched = [env.data_dir, env.root / "tmp", env.root / "home"]
    assert find_canaries(watched, [c["image"], c["name"], c["dayone-image"],
                                   c["dayone-text"]]) == []
    # Positive control for the scan itself: the PNG comment is findable when unencrypted.
    (env.root / "tmp" / "probe").write_bytes(png(comment=c["export-check"]))
    assert find_canaries(watched, [c["export-check"]]) != []
    (env.root / "tmp" / "probe").unlink()
    # And the database holds the image rows, sealed, in the clear columns only their kind.
    conn = sqlite3.connect(env.data_dir / "journal.db")
    kinds = dict(conn.execute("SELECT kind, count(*) FROM records GROUP BY kind").fetchall())
    conn.close()
    assert kinds["attachment"] == kinds["attachment-data"] == 4
