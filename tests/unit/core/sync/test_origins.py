"""A version kept from another computer names that computer; an ordinary edit names none."""

from __future__ import annotations

import time
from pathlib import Path

from journal_app.core.sync import engine, kept_from
from tests.unit.core.sync.harness import settle, start


def test_a_losing_concurrent_edit_is_named_after_the_computer_that_wrote_it(
        root: Path) -> None:
    laptop, desktop = start(root, ["laptop", "desktop"])
    try:
        entry = laptop.j.entries()[0]
        laptop.j.edit_entry(entry.id, body="an ordinary edit first")
        settle(laptop, desktop)
        desktop.j.edit_entry(entry.id, body="desktop's words")
        time.sleep(0.01)  # a later millisecond: the laptop's edit wins
        laptop.j.edit_entry(entry.id, body="laptop's words")
        settle(laptop, desktop)
        for device in (laptop, desktop):
            revisions = device.j.revisions(entry.id)
            names = kept_from(engine.load_state(device.j), revisions)
            by_body = {r.record().body: names.get(r.id) for r in revisions}
            assert by_body["desktop's words"] == "desktop"
            assert by_body["written on laptop #0"] is None  # the ordinary edit's revision
    finally:
        laptop.j.close()
        desktop.j.close()


def test_a_journal_that_does_not_sync_names_nothing(root: Path) -> None:
    laptop, desktop = start(root, ["laptop", "desktop"])
    try:
        assert kept_from(None, laptop.j.revisions(laptop.j.entries()[0].id)) == {}
    finally:
        laptop.j.close()
        desktop.j.close()
