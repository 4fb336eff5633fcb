"""One app per journal: a second launch asks the first to come forward, then exits."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir

from journal_app.ui.shell.single import InstanceServer, ask_running_instance, server_name

from .conftest import make_vault

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server(qtbot) -> Iterator[InstanceServer]:
    instance = InstanceServer()
    yield instance
    instance.close()


def test_a_second_launch_reaches_the_first(qtbot, server: InstanceServer, tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    assert server.listen(folder)
    with qtbot.waitSignal(server.raise_requested, timeout=5000):
        assert ask_running_instance(folder) is True
    # The same folder written differently is the same journal.
    with qtbot.waitSignal(server.raise_requested, timeout=5000):
        assert ask_running_instance(tmp_path / "x" / ".." / "journal") is True


def test_another_folder_is_not_claimed(qtbot, server: InstanceServer, tmp_path: Path) -> None:
    assert server.listen(tmp_path / "journal")
    with qtbot.assertNotEmitted(server.raise_requested, wait=100):
        assert ask_running_instance(tmp_path / "other") is False


def test_nobody_listening(qtbot, tmp_path: Path) -> None:
    started = time.monotonic()
    assert ask_running_instance(tmp_path / "journal") is False
    assert time.monotonic() - started < 30  # a hang guard: nobody to wait for


def test_after_close_the_folder_is_free(qtbot, server: InstanceServer, tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    assert server.listen(folder)
    server.close()
    assert ask_running_instance(folder) is False


def test_a_stale_socket_left_by_a_crash_is_replaced(qtbot, server: InstanceServer,
                                                    tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    stale = Path(QDir.tempPath()) / server_name(folder)
    stale.write_bytes(b"")  # what a killed instance leaves behind
    assert server.listen(folder)
    with qtbot.waitSignal(server.raise_requested, timeout=5000):
        assert ask_running_instance(folder) is True


def test_socket_name_says_nothing_of_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "Journal of Dr Smith"
    name = server_name(folder)
    assert "Smith" not in name and "journal-of" not in name.lower()
    assert name == server_name(folder)
    assert name != server_name(tmp_path / "other")


def test_second_process_exits_and_says_the_app_is_open(
        qtbot, server: InstanceServer, tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    make_vault(folder)
    assert server.listen(folder)
    env = dict(os.environ)  # HOME, XDG_* and TMPDIR of this test: the socket is found
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(ROOT)
    env.pop("JOURNAL_APP_DATA_DIR", None)
    started = time.monotonic()
    with qtbot.waitSignal(server.raise_requested, timeout=30_000):
        proc = subprocess.run(
            [sys.executable, "-m", "journal_app", "--data-dir", str(folder)],
            capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path,
            stdin=subprocess.DEVNULL, check=False,
        )
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    assert "already open" in proc.stderr
    assert elapsed < 20
    assert "Traceback" not in proc.stderr
