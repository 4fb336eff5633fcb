"""`trash --empty` through the command line: what it says, and that the words are gone.

The reported attack: the search index snapshot held an entry's words; `trash --empty` said it
removed it; a later `search` re-saved the snapshot with the words still in it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from journal_app.core.journal import Journal
from journal_app.core.store import DB_NAME
from journal_app.core.vault import TEST_KDF
from tests.e2e.conftest import PASSPHRASE, E2EEnv, ok
from tests.helpers.images import png

CANARY = "quokkafjord"


def test_emptying_the_trash_counts_in_plain_words(vault_env: E2EEnv, tmp_path: Path) -> None:
    env = vault_env
    assert ok(env, "trash", "--empty").stdout == "The trash was already empty.\n"
    first = ok(env, "add", "--title", "One", input="text").stdout.strip()
    ok(env, "delete", first)
    assert ok(env, "trash", "--empty").stdout == "Removed 1 entry from the trash for good.\n"
    for title in ("Two", "Three"):
        ok(env, "delete", ok(env, "add", "--title", title, input="text").stdout.strip())
    assert ok(env, "trash", "--empty").stdout == "Removed 2 entries from the trash for good.\n"
    kept = ok(env, "add", "--title", "Kept", input="text").stdout.strip()
    image = tmp_path / "scan.png"
    image.write_bytes(png())
    attachment = ok(env, "attach", kept, str(image)).stdout.strip()
    ok(env, "attachment", "remove", attachment)
    assert ok(env, "trash", "--empty").stdout == (
        "Removed 1 attachment from the trash for good.\n")


def test_a_search_after_emptying_the_trash_does_not_seal_the_words_again(
    env: E2EEnv,
) -> None:
    data_dir = env.data_dir
    journal, _key = Journal.create(data_dir, PASSPHRASE, kdf=TEST_KDF)
    cipher = journal.cipher
    for number in range(30):
        journal.add_entry(title=f"Shift {number}", body="handover on the ward")
    entry = journal.add_entry(title="Night", body=f"The {CANARY} patient.")
    assert journal.search(CANARY)
    journal.save_index_snapshot()
    journal.close()

    ok(env, "delete", entry.id)
    assert "Removed 1 entry" in ok(env, "trash", "--empty").stdout
    assert "Shift" in ok(env, "search", "ward").stdout

    conn = sqlite3.connect(data_dir / DB_NAME)
    try:
        (blob,) = conn.execute("SELECT value FROM meta WHERE key='search_index'").fetchone()
    finally:
        conn.close()
    assert CANARY.encode() not in cipher.open_meta("search_index", bytes(blob))
