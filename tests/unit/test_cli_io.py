"""The command line's secret and text files (journal_app/cli/io.py) through the one reader of a
user's file: the sentences, the limits, and a secret read exactly as before."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from journal_app.cli.io import MAX_SECRET_FILE_BYTES, read_body, read_secret_file, read_text
from journal_app.core.errors import UsageError


def _refused(fn: object, *args: object) -> str:
    with pytest.raises(UsageError) as err:
        fn(*args)  # type: ignore[operator]
    return str(err.value)


def test_a_secret_is_the_first_line_nfc_and_keeps_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "pass.txt"
    path.write_bytes("quiet harbour cafe\u0301\r\nsecond line\n".encode())
    assert read_secret_file(str(path), "passphrase") == unicodedata.normalize(
        "NFC", "quiet harbour cafe\u0301")
    path.write_bytes("\ufeffquiet harbour".encode())  # a journal made with it keeps opening
    assert read_secret_file(str(path), "passphrase") == "\ufeffquiet harbour"


def test_secret_files_refused_plainly(tmp_path: Path) -> None:
    assert _refused(read_secret_file, str(tmp_path / "gone"), "passphrase") == (
        "The passphrase file does not exist.")
    assert _refused(read_secret_file, str(tmp_path), "recovery key") == (
        "The recovery key file is a folder, not a file.")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes(b"caf\xe9")
    assert _refused(read_secret_file, str(latin), "passphrase") == (
        "The passphrase file cannot be read.")
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(MAX_SECRET_FILE_BYTES + 1)
    assert _refused(read_secret_file, str(big), "passphrase") == (
        "The passphrase file is too large.")


def test_text_files_refused_plainly_and_read_as_text(tmp_path: Path) -> None:
    assert _refused(read_text, str(tmp_path / "gone.json"), "fields") == (
        "The fields file does not exist.")
    assert _refused(read_text, str(tmp_path), "names") == "The names file is a folder, not a file."
    latin = tmp_path / "latin1.txt"
    latin.write_bytes(b"caf\xe9")
    assert _refused(read_body, str(latin), "body") == "The body file is not UTF-8 text."
    words = tmp_path / "words.txt"
    words.write_bytes("\ufeffcafe\u0301\n".encode())
    assert read_text(str(words), "query") == "caf\u00e9\n"  # BOM dropped, NFC
    assert read_body(str(words), "body") == "cafe\u0301"  # as written, but its last newline
    assert read_body(None, "body") is None
