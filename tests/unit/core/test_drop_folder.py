"""A mentor's drop folder (issue 24): complete packages are taken in, a half-copied one is left
until it is whole, nothing in the folder is changed, and each file is judged once."""

from __future__ import annotations

from pathlib import Path

from journal_app.core.records.model import ReceivedExcerpt
from journal_app.core.sharing import dropfolder
from journal_app.core.sharing import service as sharing
from journal_app.core.sharing.packages import MAGIC
from tests.unit.core import test_sharing
from tests.unit.core.test_sharing import People, share, yes

people = test_sharing.people
vaults = test_sharing.vaults


def test_arrival_including_a_half_copied_file(people: People, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    # The mentor knows the student already (a first contact would need the mentor).
    sharing.import_card(people.mentor, sharing.my_card(people.student).to_bytes(), yes)
    whole = share(people, name="one.pkg")
    second = people.student.add_entry(title="Clinic", body="A quiet clinic.")
    other = share(people, selections=[sharing.Selection(second.id)], name="two.pkg")
    (drop / "one.pkg").write_bytes(whole)
    (drop / "two.pkg").write_bytes(other[: len(other) // 2])  # still being copied
    (drop / ".syncthing.two.pkg.tmp").write_bytes(other)       # a service's temp file
    (drop / "notes.txt").write_text("not a package")
    seen: dict[Path, tuple[int, int]] = {}
    first = dropfolder.take_in(people.mentor, drop, seen)
    assert len(first.received) == 1 and first.waiting == [drop / "two.pkg"]
    assert not first.refused and not first.needs_you
    assert len(people.mentor.records(ReceivedExcerpt)) == 1
    # The copy finishes: the next look takes it in; the first is not read again.
    (drop / "two.pkg").write_bytes(other)
    again = dropfolder.take_in(people.mentor, drop, seen)
    assert len(again.received) == 1 and not again.waiting
    assert len(people.mentor.records(ReceivedExcerpt)) == 2
    assert dropfolder.take_in(people.mentor, drop, seen) == dropfolder.DropPass()
    # Nothing in the folder was changed or removed.
    assert sorted(p.name for p in drop.iterdir()) == [
        ".syncthing.two.pkg.tmp", "notes.txt", "one.pkg", "two.pkg"]


def test_every_cut_of_a_package_waits_and_nothing_is_stored(people: People,
                                                           tmp_path: Path) -> None:
    sharing.import_card(people.mentor, sharing.my_card(people.student).to_bytes(), yes)
    data = share(people)
    drop = tmp_path / "drop"
    drop.mkdir()
    for cut in sorted({1, len(MAGIC) - 1, len(MAGIC), len(MAGIC) + 3,
                       *range(len(MAGIC) + 8, len(data), max(1, len(data) // 40)), len(data) - 1}):
        (drop / "p.pkg").write_bytes(data[:cut])
        result = dropfolder.take_in(people.mentor, drop, {})
        assert result.waiting == [drop / "p.pkg"], cut
    assert people.mentor.records(ReceivedExcerpt) == []


def test_first_contacts_wait_for_the_mentor_and_altered_files_are_said_once(
        people: People, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    data = share(people)
    (drop / "first.pkg").write_bytes(data)   # the mentor never confirmed this student
    altered = bytearray(data)
    altered[-10] ^= 1
    (drop / "bad.pkg").write_bytes(bytes(altered))
    seen: dict[Path, tuple[int, int]] = {}
    result = dropfolder.take_in(people.mentor, drop, seen)
    assert list(result.needs_you) == [drop / "first.pkg"]
    assert list(result.refused) == [drop / "bad.pkg"] and not result.received
    assert people.mentor.records(ReceivedExcerpt) == []
    assert dropfolder.take_in(people.mentor, drop, seen) == dropfolder.DropPass()
