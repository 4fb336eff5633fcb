"""Reading a file the user chose (journal_app/core/files.py): one plain sentence for each way it
fails, naming the file, never its path or contents; a large file refused before it is read."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from journal_app.core.errors import (
    InvalidDataError,
    JournalError,
    PackageError,
    UsageError,
)
from journal_app.core.files import decode_user_text, read_user_file, read_user_text
from journal_app.core.records.attachments import AttachmentRefusedError, check_size

SECRET = "Mr Okafor died at 3 a.m."


def _refusal(path: Path, limit: int = 100, **kwargs: object) -> JournalError:
    with pytest.raises(JournalError) as err:
        read_user_file(path, limit, **kwargs)  # type: ignore[arg-type]
    assert SECRET not in str(err.value) and str(path.parent) not in str(err.value)
    return err.value


def test_a_file_within_the_limit_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(SECRET.encode())
    assert read_user_file(path, len(SECRET)) == SECRET.encode()
    assert read_user_text(path, 100) == SECRET


def test_a_missing_file(tmp_path: Path) -> None:
    err = _refusal(tmp_path / "gone.json")
    assert type(err) is InvalidDataError
    assert str(err) == "gone.json does not exist."


def test_a_folder(tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    assert str(_refusal(tmp_path / "photos")) == "photos is a folder, not a file."


def test_a_path_through_a_file_cannot_be_read(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x")
    assert str(_refusal(tmp_path / "plain" / "inner.txt")) == "inner.txt cannot be read."


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_a_file_without_permission(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(SECRET)
    path.chmod(0)
    assert str(_refusal(path)) == "locked.txt cannot be read."


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="Linux only")
def test_a_file_that_fails_while_it_is_read() -> None:
    # /proc/self/mem opens, but reading from its start fails (nothing is mapped at 0): an
    # OSError from read(), not from open(), which root cannot avoid either.
    assert str(_refusal(Path("/proc/self/mem"), label="That file")) == (
        "That file cannot be read.")


def test_a_file_above_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.zip"
    with open(path, "wb") as fh:
        fh.truncate(10 * 1024 * 1024 * 1024)  # sparse: reading it would take minutes
    assert str(_refusal(path, 1024)) == "huge.zip is too large."
    own = PackageError("That file is too large to be a share package; nothing was imported.")
    assert _refusal(path, 1024, too_large=own) is own
    assert str(_refusal(path, 1024, too_large="huge.zip is too large to import.")) == (
        "huge.zip is too large to import.")


def test_a_pipe_that_gives_more_than_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "pipe"
    os.mkfifo(path)

    def write() -> None:  # more than the limit, then it ends
        with open(path, "wb") as fh:
            fh.write(b"x" * 200)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert str(_refusal(path, 100, label="The passphrase file")) == (
            "The passphrase file is too large.")
    finally:
        writer.join()


def test_the_size_check_of_the_caller_comes_first(tmp_path: Path) -> None:
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    with pytest.raises(AttachmentRefusedError, match="empty"):
        read_user_file(empty, 100, check_size=check_size)


def test_the_error_type_and_label_are_the_callers(tmp_path: Path) -> None:
    err = _refusal(tmp_path / "gone.txt", label="The fields file", error=UsageError)
    assert type(err) is UsageError
    assert str(err) == "The fields file does not exist."


def test_text_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"caf\xe9")
    with pytest.raises(InvalidDataError) as err:
        read_user_text(path, 100)
    assert str(err.value) == "latin1.txt is not UTF-8 text."
    with pytest.raises(UsageError) as usage:
        read_user_text(path, 100, not_text="The names file is not UTF-8 text.", error=UsageError)
    assert str(usage.value) == "The names file is not UTF-8 text."


def test_a_byte_order_mark_is_dropped() -> None:
    assert decode_user_text("\ufeffcafé".encode(), "no") == "café"
