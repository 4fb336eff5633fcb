"""One journal on two computers, carried by two real Syncthing instances (Debian's
``syncthing``) on loopback: set up on the first with the command line, joined on the second,
an entry written on each, both converge; then the same entry edited on both at once, both
versions kept. Nothing here is timed: each wait polls Syncthing's own state with a generous
deadline (tests/helpers/syncthing.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from tests.e2e.conftest import E2EEnv, make_env, ok, ok_json
from tests.helpers import syncthing

GOOD = "Quiet ward, seventh floor, 3 a.m. rounds!"


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[syncthing.Pair]:
    if syncthing.syncthing_binary() is None:
        pytest.skip("syncthing is not installed (Debian: apt-get install syncthing), so the "
                    "test through two real Syncthing instances cannot run here")
    made = syncthing.make_pair(tmp_path / "st")
    try:
        made.start(tmp_path / "st")
        yield made
    finally:
        made.stop()


def _titles(env: E2EEnv) -> dict[str, str]:
    return {e["id"]: e["title"] for e in ok_json(env, "list")}


def _sync_both(pair: syncthing.Pair, laptop: E2EEnv, desktop: E2EEnv) -> None:
    """Each sends and takes in, Syncthing carries it, each takes in again."""
    for _round in range(2):
        ok(laptop, "sync", "now")
        ok(desktop, "sync", "now")
        pair.converge()


def test_two_syncthing_instances_carry_one_journal(pair: syncthing.Pair,
                                                    tmp_path: Path) -> None:
    laptop = make_env(tmp_path / "laptop", GOOD)
    journal = Journal.create(laptop.data_dir, GOOD, TEST_KDF)[0]
    with journal:
        first = journal.add_entry(title="Night shift", body="Sat with the family after.").id
    ok(laptop, "sync", "setup", "--folder", str(pair.first.folder), "--name", "laptop")
    pair.converge()

    desktop = make_env(tmp_path / "desktop", GOOD)
    joined = ok(desktop, "sync", "join", "--folder", str(pair.second.folder), "--name",
                "desktop")
    assert "1 entry" in joined.stdout
    assert _titles(desktop) == {first: "Night shift"}
    pair.converge()

    ok(laptop, "add", "--title", "Written on the laptop", input="ward round\n")
    ok(desktop, "add", "--title", "Written on the desktop", input="clinic\n")
    _sync_both(pair, laptop, desktop)
    expected = {"Night shift", "Written on the laptop", "Written on the desktop"}
    assert set(_titles(laptop).values()) == expected
    assert _titles(desktop) == _titles(laptop)
    names = {d["name"] for d in ok_json(laptop, "sync", "devices")}
    assert names == {"laptop", "desktop"}

    # The same entry edited on both before either hears of the other's edit.
    ok(laptop, "edit", first, "--title", "Laptop's title")
    ok(desktop, "edit", first, "--title", "Desktop's title")
    ok(laptop, "sync", "now")
    ok(desktop, "sync", "now")
    pair.converge()
    _sync_both(pair, laptop, desktop)
    assert _titles(desktop) == _titles(laptop)
    current = _titles(laptop)[first]
    assert current in {"Laptop's title", "Desktop's title"}
    for env in (laptop, desktop):
        kept = {r["title"] for r in ok_json(env, "revisions", first)}
        assert {"Laptop's title", "Desktop's title"} <= kept | {current}, env.root.name
    kept = sum(ok_json(env, "sync", "status")["conflicts_kept"] for env in (laptop, desktop))
    assert kept >= 1
