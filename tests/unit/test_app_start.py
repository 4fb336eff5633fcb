"""The desktop app's start without the command line's parser, and the cheap journal check.

``journal-app`` with no command (or just ``--data-dir DIR`` and ``--background``) opens the app
without building the command line (tests/ui/test_start.py runs the whole start); everything else
goes to the command line, which reads the same options the same way.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from journal_app.__main__ import app_options
from journal_app.cli import build_parser
from journal_app.core.paths import VAULT_FILE, has_journal
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.core.vault.store import DB_NAME


@pytest.mark.parametrize("argv", [
    [], ["--background"], ["--data-dir", "~/j"], ["--data-dir=/tmp/j"],
    ["--background", "--data-dir", "/tmp/j"], ["--data-dir", "/tmp/j", "--background"],
    ["--smoke-test"], ["--data-dir", "/tmp/j", "--smoke-test"],
])
def test_app_options_read_as_the_command_line_reads_them(argv: list[str]) -> None:
    options = app_options(argv)
    assert options is not None
    args = build_parser().parse_args(argv)
    assert getattr(args, "func", None) is None  # the command line would open the app too
    expected = Path(args.data_dir).expanduser() if args.data_dir else None
    assert options == (expected, bool(args.background), None, bool(args.smoke_test))


@pytest.mark.parametrize(("argv", "expected"), [
    (["/home/a/Downloads/feedback.pkg"], ("", False, "/home/a/Downloads/feedback.pkg")),
    (["mentor-card.CARD"], ("", False, "mentor-card.CARD")),
    (["--data-dir", "/tmp/j", "./x"], ("/tmp/j", False, "x")),
    (["--background", "/tmp/some file.pkg"], ("", True, "/tmp/some file.pkg")),
])
def test_a_file_given_opens_the_app_on_it(argv: list[str],
                                         expected: tuple[str, bool, str]) -> None:
    """What a double-click on a share package or a mentor card runs (Exec=journal-app %f):
    the app, told which file to open; a command's name is never taken for a file."""
    data_dir, background, path = expected
    assert app_options(argv) == (Path(data_dir) if data_dir else None, background, Path(path),
                                 False)


@pytest.mark.parametrize("argv", [
    ["--help"], ["--version"], ["--demo"], ["add"], ["search", "x"], ["--data-dir"],
    ["--data-dir", "--background"], ["--json"], ["--data"], ["--data-dir="], ["x"],
    ["a.pkg", "b.card"], ["search", "/tmp/x.pkg"], ["receive", "x.pkg"],
])
def test_anything_else_goes_to_the_command_line(argv: list[str]) -> None:
    assert app_options(argv) is None


def test_has_journal_says_what_the_vault_says(tmp_path: Path) -> None:
    assert VAULT_FILE == DB_NAME
    folder = tmp_path / "journal"
    assert not has_journal(folder) and not Journal.exists(folder)
    folder.mkdir()
    assert not has_journal(folder) and not Journal.exists(folder)
    Journal.create(folder, "quiet harbour lantern", kdf=TEST_KDF)[0].close()
    assert has_journal(folder) and Journal.exists(folder)
