"""The one door from the screens to the journal: JournalSession.read / read_or / write.

Reads run at once on the UI thread and refuse while locked; writes run in the worker, one at a
time in the order asked, map an error to one sentence in one place, and the session (not the
screen) emits the change signals.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from journal_app.core.errors import JournalError, NotFoundError
from journal_app.core.records.model import CheckIn, Entry
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui import messages
from journal_app.ui.session import Change, JournalLocked, JournalSession

from .conftest import PASSPHRASE, WAIT_MS, make_vault, sample_entries, writes_done

SIGNALS = ("entriesChanged", "checkinsChanged", "appStateChanged", "recordsChanged", "failed")


@pytest.fixture
def session(qtbot: QtBot, folder: Path) -> Iterator[JournalSession]:
    """A session unlocked on a journal holding sample_entries()."""
    make_vault(folder, sample_entries())
    session = JournalSession(kdf=TEST_KDF)
    session.open_folder(folder)
    errors: list[str] = []
    with qtbot.waitSignal(session.unlocked, timeout=WAIT_MS):
        session.unlock(PASSPHRASE, errors.append)
    assert errors == []
    yield session
    session.close()


def record_signals(session: JournalSession) -> list[tuple[str, tuple[object, ...]]]:
    heard: list[tuple[str, tuple[object, ...]]] = []
    for name in SIGNALS:
        getattr(session, name).connect(lambda *args, n=name: heard.append((n, args)))
    return heard


def stored_titles(folder: Path) -> list[str]:
    """What is on disk, read by a second, independent opening of the vault."""
    with Journal.open(folder) as journal:
        journal.unlock(PASSPHRASE)
        return sorted(e.title for e in journal.entries())


def test_read_runs_now_and_refuses_while_locked(qtbot: QtBot, session: JournalSession) -> None:
    titles = session.read(lambda journal: sorted(e.title for e in journal.entries()))
    assert titles == ["Family meeting", "Night shift", "Teaching round"]
    assert session.read_or(lambda journal: len(journal.entries()), 0) == 3

    session.lock()
    with pytest.raises(JournalLocked) as info:
        session.read(lambda journal: journal.entries())
    assert info.value.message == messages.LOCKED
    assert isinstance(info.value, JournalError)  # screens catching JournalError still do
    assert session.read_or(lambda journal: len(journal.entries()), -1) == -1


def test_read_without_a_journal_refuses(qtbot: QtBot) -> None:
    session = JournalSession(kdf=TEST_KDF)
    with pytest.raises(JournalLocked):
        session.read(lambda journal: journal.entries())
    assert session.read_or(lambda journal: journal.entries(), None) is None


def test_write_runs_in_the_worker_and_emits_its_signal_once(
        qtbot: QtBot, session: JournalSession, folder: Path) -> None:
    ui_thread = threading.current_thread()
    ran_in: list[threading.Thread] = []
    done_in: list[threading.Thread] = []
    heard = record_signals(session)

    def add(journal: Journal) -> Entry:
        ran_in.append(threading.current_thread())
        return journal.add_entry(Entry(title="Written through the door", body="after clinic"))

    results: list[Entry] = []

    def done(entry: Entry) -> None:
        done_in.append(threading.current_thread())
        results.append(entry)

    with qtbot.waitSignal(session.entriesChanged, timeout=WAIT_MS):
        session.write(add, done, changes=Change.ENTRIES)
    writes_done(qtbot, session)
    assert ran_in and ran_in[0] is not ui_thread
    assert done_in == [ui_thread]  # results come back on the UI thread
    assert heard == [("entriesChanged", ())]  # once, and nothing else
    assert [e.title for e in results] == ["Written through the door"]
    assert "Written through the door" in stored_titles(folder)


@pytest.mark.parametrize("changes, expected", [
    (Change.CHECKINS, ["checkinsChanged"]),
    (Change.APP_STATE, ["appStateChanged"]),
    (Change.RECORDS, ["recordsChanged"]),
    (Change.ENTRIES | Change.APP_STATE, ["entriesChanged", "appStateChanged"]),
    (Change.NOTHING, []),
])
def test_each_kind_of_change_has_its_signal(qtbot: QtBot, session: JournalSession,
                                            changes: Change, expected: list[str]) -> None:
    heard = record_signals(session)
    finished: list[object] = []
    session.write(lambda journal: journal.add_record(CheckIn(mood=1)), finished.append,
                  changes=changes)
    qtbot.waitUntil(lambda: bool(finished), timeout=WAIT_MS)
    assert [name for name, _args in heard] == expected


def test_a_refused_write_is_one_sentence_and_changes_nothing(
        qtbot: QtBot, session: JournalSession, folder: Path) -> None:
    before = stored_titles(folder)
    heard = record_signals(session)
    errors: list[str] = []
    done: list[object] = []

    def refuse() -> None:
        raise NotFoundError("That share package was imported already.")

    def two_entries_then_refused(journal: Journal) -> None:
        journal.add_records([Entry(title="One", body="a"), Entry(title="Two", body="b")],
                            check=refuse)

    session.write(two_entries_then_refused, done.append, errors.append, changes=Change.ENTRIES)
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
    assert errors == ["That share package was imported already."]
    assert done == [] and heard == []  # no change signal for a write that did not happen
    assert stored_titles(folder) == before
    assert sorted(e.title for e in session.read(lambda journal: journal.entries())) == before


def test_without_on_error_the_sentence_goes_to_failed(qtbot: QtBot,
                                                      session: JournalSession) -> None:
    heard = record_signals(session)
    with qtbot.waitSignal(session.failed, timeout=WAIT_MS) as blocker:
        session.write(lambda journal: journal.delete_entry("0123456789abcdef"),
                      changes=Change.ENTRIES)
    assert blocker.args == [NotFoundError().message]
    writes_done(qtbot, session)
    assert heard == [("failed", (NotFoundError().message,))]


def test_a_bug_in_a_write_is_the_plain_unexpected_sentence(
        qtbot: QtBot, session: JournalSession, folder: Path) -> None:
    before = stored_titles(folder)
    secret = "words from the journal that must never be shown as an error"
    errors: list[str] = []

    def buggy(journal: Journal) -> None:
        journal.add_records([Entry(title="Half", body="x")],
                            check=lambda: (_ for _ in ()).throw(RuntimeError(secret)))

    session.write(buggy, on_error=errors.append, changes=Change.ENTRIES)
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
    assert errors == [messages.UNEXPECTED]
    assert stored_titles(folder) == before


def test_a_write_while_locked_runs_nothing(qtbot: QtBot, session: JournalSession) -> None:
    session.lock()
    ran: list[object] = []
    errors: list[str] = []
    session.write(lambda journal: ran.append(journal), on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
    assert errors == [messages.LOCKED] and ran == []


def test_writes_run_one_at_a_time_in_the_order_asked(
        qtbot: QtBot, session: JournalSession, folder: Path) -> None:
    running: list[int] = []
    overlaps: list[int] = []
    order: list[str] = []
    finished: list[str] = []

    def step(name: str, journal: Journal) -> str:
        if running:
            overlaps.append(len(running))
        running.append(1)
        order.append(name)
        journal.add_entry(Entry(title=name, body="in turn"))
        running.pop()
        return name

    names = [f"Step {n}" for n in range(6)]
    for name in names:
        session.write(lambda journal, n=name: step(n, journal), finished.append,
                      changes=Change.ENTRIES)
    qtbot.waitUntil(lambda: len(finished) == len(names), timeout=WAIT_MS)
    assert order == names and finished == names and overlaps == []
    titles = {e.title for e in session.read(lambda journal: journal.entries())}
    assert set(names) <= titles


def test_no_change_signal_after_the_journal_locked(qtbot: QtBot,
                                                   session: JournalSession) -> None:
    """A write finishing as the journal locks still completes; the cleared views are not told
    to reload (they reload on unlock)."""
    heard = record_signals(session)
    finished: list[object] = []
    session.write(lambda journal: journal.add_entry(Entry(title="Last one", body="z")),
                  finished.append, changes=Change.ENTRIES)
    session.lock()  # waits for the worker: the write is stored before the keys go
    qtbot.waitUntil(lambda: bool(finished), timeout=WAIT_MS)
    assert heard == []
