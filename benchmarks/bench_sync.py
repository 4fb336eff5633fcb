"""Sync (issue 21): how long journal-app's own part takes, and how large the sync folder is.

    .venv/bin/python benchmarks/bench_sync.py               # 1,000 interleavings, N = 10,000
    .venv/bin/python benchmarks/bench_sync.py --quick       # 100 interleavings, N = 1,000

* **Interleavings**: two devices (cheap key settings: the KDF is not what is measured), random
  edits of the same few entries on both, each followed by sync and a hand-over of the files;
  the time per interleaving (median, p95) and that every one converged.
* **First join** of a new device to a journal of N entries (the benchmark journal of
  ``corpus.bench_vault``, default key settings): the set-up's first sync (every record sent),
  then ``join`` (the new vault made and every record taken in), each timed; beside the goal
  of "a few seconds per 10,000 entries".
* **One new entry reaching another device**: our part only (the sender's ``sync now`` and the
  receiver's ``sync now``, the sync service's delay left out), at N entries; median of 7,
  beside the goal of 1 s.
* **Sizes**: the sync folder beside the vault's file.

Wall times on a shared machine grow with its load: the load average is printed with them.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import VAULT_PASSPHRASE, bench_vault
from journal_app.core.sync import engine
from journal_app.core.sync.folder import HEADER_NAME, is_service_file
from journal_app.core.vault.crypto import DEFAULT_KDF, TEST_KDF
from journal_app.core.vault.journal import Journal

GOOD = "Quiet ward, seventh floor, 3 a.m. rounds!"
CHEAP = engine.SyncParams(folder_kdf=TEST_KDF, vault_kdf=TEST_KDF)
GOAL_REACH_S = 1.0


def _carry(src: Path, dst: Path) -> None:
    for path in src.rglob("*"):
        if path.is_dir() or is_service_file(path.name):
            continue
        target = dst / path.relative_to(src)
        if target.exists() and path.name != HEADER_NAME:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def interleavings(count: int, root: Path) -> dict[str, Any]:
    base = root / "pair"
    a = Journal.create(base / "a" / "data", GOOD, TEST_KDF)[0]
    for i in range(3):
        a.add_entry(title=f"entry {i}", body="text")
    engine.setup(a, base / "a" / "sync", "a", GOOD, CHEAP)
    a.close()
    _carry(base / "a" / "sync", base / "b" / "sync")
    engine.join(base / "b" / "data", base / "b" / "sync", "b", GOOD, CHEAP).journal.close()
    template = root / "template"
    shutil.copytree(base, template)
    rng = random.Random(21)
    times: list[float] = []
    converged = 0
    for _ in range(count):
        shutil.rmtree(base)
        shutil.copytree(template, base)
        devices = []
        for name in ("a", "b"):
            journal = Journal.open(base / name / "data")
            journal.unlock(GOOD)
            devices.append((name, journal))
        start = time.perf_counter()
        for step in range(rng.randint(2, 10)):
            who = rng.randint(0, 1)
            name, journal = devices[who]
            entries = journal.entries()
            if rng.random() < 0.3:
                engine.sync_now(journal, None, CHEAP)
                _carry(base / name / "sync", base / devices[1 - who][0] / "sync")
            elif entries:
                journal.edit_entry(rng.choice(entries).id, body=f"{name} {step}")
        for _round in range(2):
            for name, journal in devices:
                engine.sync_now(journal, None, CHEAP)
                other = "b" if name == "a" else "a"
                _carry(base / name / "sync", base / other / "sync")
        times.append(time.perf_counter() - start)
        bodies = [sorted((e.id, e.body) for e in j.entries()) for _n, j in devices]
        converged += bodies[0] == bodies[1]
        for _n, journal in devices:
            journal.close()
    times.sort()
    return {"interleavings": count, "converged": converged,
            "median_s": statistics.median(times), "p95_s": times[int(len(times) * 0.95) - 1]}


def first_join_and_reach(n: int, root: Path) -> dict[str, Any]:
    vault = root / "big" / "data"
    bench_vault(n, vault)
    journal = Journal.open(vault)
    journal.unlock(VAULT_PASSPHRASE)
    journal.change_passphrase(GOOD, DEFAULT_KDF)  # setup asks for a Good passphrase
    params = engine.SyncParams(folder_kdf=engine.FOLDER_KDF, vault_kdf=DEFAULT_KDF)
    start = time.perf_counter()
    engine.setup(journal, root / "big" / "sync", "laptop", GOOD, params)
    setup_s = time.perf_counter() - start
    _carry(root / "big" / "sync", root / "new" / "sync")
    start = time.perf_counter()
    joined = engine.join(root / "new" / "data", root / "new" / "sync", "desktop", GOOD,
                         params).journal
    join_s = time.perf_counter() - start
    entries = joined.entry_count()
    reach: list[float] = []
    for i in range(7):
        journal.add_entry(title=f"new {i}", body="one new entry")
        start = time.perf_counter()
        engine.sync_now(journal, None, params)
        sent = time.perf_counter() - start
        _carry(root / "big" / "sync", root / "new" / "sync")  # the service's part: not timed
        start = time.perf_counter()
        engine.sync_now(joined, None, params)
        reach.append(sent + time.perf_counter() - start)
    _carry(root / "new" / "sync", root / "big" / "sync")
    engine.sync_now(journal, None, params)
    sizes = {"vault_bytes": _size(vault), "sync_folder_bytes": _size(root / "big" / "sync"),
             "joined_vault_bytes": _size(root / "new" / "data")}
    journal.close()
    joined.close()
    return {"n": n, "entries_joined": entries, "setup_first_sync_s": setup_s, "join_s": join_s,
            "reach_median_s": statistics.median(reach), "reach_max_s": max(reach), **sizes}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    count, n = (100, 1000) if args.quick else (1000, 10_000)
    load_start = os.getloadavg()
    shm = Path("/dev/shm")
    with tempfile.TemporaryDirectory(prefix="bench-sync-",
                                     dir=shm if shm.is_dir() else None) as tmp:
        inter = interleavings(count, Path(tmp))
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        big = first_join_and_reach(n, Path(tmp))
    load_end = os.getloadavg()
    print(f"Sync (issue 21), load average {load_start[0]:.1f} -> {load_end[0]:.1f}")
    print(f"  {inter['interleavings']:,} interleavings on two devices: "
          f"{inter['converged']:,} converged; {inter['median_s'] * 1000:.0f} ms median, "
          f"{inter['p95_s'] * 1000:.0f} ms p95 each")
    print(f"  set-up at {big['n']:,} entries (first sync sends everything): "
          f"{big['setup_first_sync_s']:.1f} s")
    print(f"  first join of a new device: {big['join_s']:.1f} s "
          f"({big['entries_joined']:,} entries there)")
    verdict = "ok" if big["reach_median_s"] <= GOAL_REACH_S else "OVER"
    print(f"  one new entry reaching the other device (our part): "
          f"{big['reach_median_s'] * 1000:.0f} ms median, {big['reach_max_s'] * 1000:.0f} ms "
          f"max (goal <= {GOAL_REACH_S:.0f} s: {verdict})")
    mb = 1_000_000
    print(f"  sizes: vault {big['vault_bytes'] / mb:.1f} MB, sync folder "
          f"{big['sync_folder_bytes'] / mb:.1f} MB, the joined vault "
          f"{big['joined_vault_bytes'] / mb:.1f} MB")
    return 0 if inter["converged"] == inter["interleavings"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
