"""One bad page does not lose the journal (issue 12, part 5).

Random bytes over one 4 KiB page of a 2,000-entry vault: the records on that page are that
page's damage; every other record still lists, searches, verifies and exports, and `salvage`
writes a new journal with everything that still decrypts and lists what was lost.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from journal_app.core.records.model import Entry
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from tests.helpers.pages import TablePages, overwrite_page, rowid_ids, table_pages

from .conftest import PASSPHRASE, PROG_PREFIX, E2EEnv, make_env, ok, ok_json

ENTRIES = 2000
WHOLE_VAULT_DAMAGE = "damaged or is not a journal"
_WORDS = ["patient", "night", "shift", "family", "teaching", "ward", "round", "tired",
          "grateful", "mentor", "learned"]


def _body(i: int) -> str:
    # About 1 KB each, so the records table is three levels deep (root, interior, leaves).
    rng = random.Random(i)
    return " ".join(rng.choice(_WORDS) for _ in range(160)) + f" marker{i}"


@pytest.fixture(scope="module")
def big_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2,000-entry vault with a saved search-index snapshot, built once."""
    data_dir = tmp_path_factory.mktemp("big") / "data"
    journal, _key = Journal.create(data_dir, PASSPHRASE, kdf=TEST_KDF)
    with journal:
        journal.add_records([Entry(title=f"Entry {i}", body=_body(i)) for i in range(ENTRIES)])
        journal.prepare_search()
        journal.save_index_snapshot()
    return data_dir


@pytest.fixture(scope="module")
def layout(big_vault: Path) -> TablePages:
    pages = table_pages(big_vault / "journal.db")
    assert len(pages.interior) >= 3, "the records table should be three levels deep"
    return pages


def _damaged_env(tmp_path: Path, big_vault: Path, page: int,
                 pages: TablePages) -> tuple[E2EEnv, set[str]]:
    """A copy of the big vault with ``page`` overwritten; returns it and the lost record ids."""
    env = make_env(tmp_path / "cli")
    shutil.copytree(big_vault, env.data_dir)
    db = env.data_dir / "journal.db"
    ids = rowid_ids(db)
    lost = {ids[r][0] for r in pages.rowids_under(page)}
    overwrite_page(db, page, pages.page_size)
    return env, lost


def _middle_leaf(pages: TablePages) -> int:
    leaves = sorted(pages.leaves, key=lambda p: pages.leaves[p][0])
    return leaves[len(leaves) // 2]


def _entry_ids(big_vault: Path) -> dict[str, str]:
    """id -> title of every entry (read from an undamaged copy)."""
    journal = Journal.open(big_vault)
    with journal:
        journal.unlock(PASSPHRASE)
        return {e.id: e.title for e in journal.entries()}


@pytest.fixture(scope="module")
def titles(big_vault: Path) -> dict[str, str]:
    return _entry_ids(big_vault)


@pytest.fixture
def leaf_damage(tmp_path: Path, big_vault: Path,
                layout: TablePages) -> tuple[E2EEnv, set[str]]:
    return _damaged_env(tmp_path, big_vault, _middle_leaf(layout), layout)


def test_list_shows_every_record_outside_the_damaged_page(
        leaf_damage: tuple[E2EEnv, set[str]], titles: dict[str, str]) -> None:
    env, lost = leaf_damage
    assert lost
    result = ok(env, "list", "--json")
    listed = {e["id"] for e in json.loads(result.stdout)}
    assert listed == set(titles) - lost
    assert WHOLE_VAULT_DAMAGE not in result.stderr
    assert f"{len(lost)} record" in result.stderr  # the warning says how many are damaged


def test_search_finds_entries_outside_the_damaged_page(
        leaf_damage: tuple[E2EEnv, set[str]], titles: dict[str, str]) -> None:
    env, lost = leaf_damage
    kept = next(i for i in titles if i not in lost)
    number = titles[kept].split()[-1]
    hits = ok_json(env, "search", f"marker{number}")
    assert [h["id"] for h in hits] == [kept]
    gone = next(iter(lost))
    assert ok_json(env, "search", f"marker{titles[gone].split()[-1]}") == []


def test_verify_names_the_damaged_records_only(
        leaf_damage: tuple[E2EEnv, set[str]]) -> None:
    env, lost = leaf_damage
    result = env.run("verify", "--json")
    assert result.returncode == 4, result.stderr
    report = json.loads(result.stdout)
    assert set(report["damaged_ids"]) == lost
    assert report["records_checked"] >= ENTRIES - len(lost)
    assert WHOLE_VAULT_DAMAGE not in result.stdout + result.stderr


def test_export_writes_every_readable_record(
        leaf_damage: tuple[E2EEnv, set[str]], titles: dict[str, str]) -> None:
    env, lost = leaf_damage
    out = env.root / "export.json"
    result = ok(env, "export", "--format", "json", "--out", str(out))
    assert WHOLE_VAULT_DAMAGE not in result.stderr
    assert f"{len(lost)} damaged record" in result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    exported = {r["id"] for r in data["records"] if r["kind"] == "entry"}
    assert exported == set(titles) - lost


def test_backup_refuses_plainly_and_points_at_salvage(
        leaf_damage: tuple[E2EEnv, set[str]]) -> None:
    env, _lost = leaf_damage
    (env.root / "backups").mkdir()
    result = env.run("backup", "create", "--out", str(env.root / "backups"))
    assert result.returncode == 4, result.stderr
    assert "Traceback" not in result.stderr
    # The refusal. Unlocking lists the rows from an index (issue 18), so it no longer reads
    # the damaged page and gives no warning of its own: the backup's own check finds it.
    *warnings, line = result.stderr.strip().splitlines()
    assert all(w.startswith("Warning: Part of the journal's file is damaged") for w in warnings)
    assert line.startswith(PROG_PREFIX)
    assert WHOLE_VAULT_DAMAGE not in line
    assert "salvage" in line
    assert list((env.root / "backups").iterdir()) == []


# ------------------------------------------------------------------------------ salvage


@pytest.fixture(scope="module")
def dates(big_vault: Path) -> dict[str, str]:
    """id -> the local day each entry was written (read from an undamaged copy)."""
    journal = Journal.open(big_vault)
    with journal:
        journal.unlock(PASSPHRASE)
        return {e.id: e.created.astimezone().date().isoformat() for e in journal.entries()}


def _keys(data_dir: Path) -> tuple[bytes, bytes]:
    """(vault id, data key) of a journal."""
    journal = Journal.open(data_dir)
    with journal:
        journal.unlock(PASSPHRASE)
        return journal.vault_id, journal.cipher.data_key


def _salvage(env: E2EEnv, out: Path) -> tuple[int, dict[str, Any]]:
    result = env.run("salvage", "--out", str(out), "--json")
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout)


def test_salvage_after_a_damaged_leaf_keeps_every_record_outside_it(
        tmp_path: Path, big_vault: Path, layout: TablePages, titles: dict[str, str],
        dates: dict[str, str]) -> None:
    env, lost = _damaged_env(tmp_path, big_vault, _middle_leaf(layout), layout)
    damaged_file = (env.data_dir / "journal.db").read_bytes()
    out = env.root / "rescued"
    code, report = _salvage(env, out)
    assert code == 4
    assert report["kept"] == ENTRIES - len(lost)
    assert report["unidentified"] == 0
    # Each lost record listed once, with its kind and (from the sealed search index) its date.
    assert sorted(r["id"] for r in report["lost"]) == sorted(lost)
    assert {(r["id"], r["kind"], r["date"]) for r in report["lost"]} == {
        (i, "entry", dates[i]) for i in lost}
    # The new journal opens with the same passphrase, holds the rest and verifies intact.
    listed = ok_json(env, "--data-dir", str(out), "list")
    assert {e["id"]: e["title"] for e in listed} == {
        i: t for i, t in titles.items() if i not in lost}
    assert "intact" in ok(env, "--data-dir", str(out), "verify").stdout
    # Under a new data key and a new recovery key; the damaged journal was only read.
    new_vault, new_key = _keys(out)
    old_vault, old_key = _keys(big_vault)
    assert new_vault != old_vault and new_key != old_key
    rescued = Journal.open(out)
    with rescued:
        assert rescued.data_key_from_recovery(report["recovery_key"]) == new_key
    assert (env.data_dir / "journal.db").read_bytes() == damaged_file
    assert [p.name for p in out.parent.iterdir() if ".salvage-" in p.name] == []


def test_salvage_after_a_damaged_interior_page_lists_each_record_under_it(
        tmp_path: Path, big_vault: Path, layout: TablePages, titles: dict[str, str]) -> None:
    interior = next(p for p in layout.interior if p != layout.root)
    env, lost = _damaged_env(tmp_path, big_vault, interior, layout)
    assert 0 < len(lost) < ENTRIES
    out = env.root / "rescued"
    out.mkdir()  # an empty folder is fine
    code, report = _salvage(env, out)
    assert code == 4
    assert sorted(r["id"] for r in report["lost"]) == sorted(lost)
    assert {r["kind"] for r in report["lost"]} == {"entry"}
    assert report["kept"] == ENTRIES - len(lost)
    listed = ok_json(env, "--data-dir", str(out), "list")
    assert {e["id"] for e in listed} == set(titles) - lost


def test_the_text_report_lists_what_was_lost_and_the_recovery_key_once(
        tmp_path: Path, big_vault: Path, layout: TablePages) -> None:
    env, lost = _damaged_env(tmp_path, big_vault, _middle_leaf(layout), layout)
    result = env.run("salvage", "--out", str(env.root / "rescued"))
    assert result.returncode == 4, result.stderr
    for record_id in lost:
        assert record_id in result.stdout
    assert f"{len(lost)} record(s) could not be read and are lost" in result.stdout
    assert result.stdout.count("recovery key") == 1

