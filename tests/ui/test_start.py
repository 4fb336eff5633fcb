"""The app's real start: the lock screen first, with little imported, the rest loaded behind it.

Each start runs in a process of its own (tests/ui/start_child.py), from the console entry point,
so that nothing is imported beforehand; what it shows is compared with what a MainWindow built
here shows for the same journal (the messages are the same as before the lock screen came first).
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication

from journal_app.core.vault.store import DB_NAME
from journal_app.ui.shell import loading
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.shell.startwindow import StartWindow
from tests.helpers.pages import overwrite_page, table_pages

from .conftest import PASSPHRASE, WAIT_MS, make_vault, sample_entries

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("start_child.py")

#: journal-app's own modules imported when the lock screen is shown. Add one only when the lock
#: screen needs it, and never the service, SQLAlchemy, cryptography, Markdown or the main window.
OWN = {
    "journal_app", "journal_app.__main__", "journal_app.core", "journal_app.core.content",
    "journal_app.core.lazy", "journal_app.core.paths", "journal_app.core.vault",
    "journal_app.core.vault.hardening", "journal_app.core.vault.passwords", "journal_app.ui",
    "journal_app.ui.messages", "journal_app.ui.pages", "journal_app.ui.pages.lock",
    "journal_app.ui.shell", "journal_app.ui.shell.app", "journal_app.ui.shell.gcguard",
    "journal_app.ui.shell.loading", "journal_app.ui.shell.single",
    "journal_app.ui.shell.startwindow", "journal_app.ui.theme", "journal_app.ui.uisettings",
    "journal_app.ui.widgets",
}
#: Beyond what a bare PySide6 window imports (the same child, without journal-app): other
#: libraries' modules, and the standard library's top-level modules (private ones aside).
LIBRARIES = {"PySide6.QtNetwork", "platformdirs"}
STDLIB = {"copy", "ctypes", "dataclasses", "datetime", "gc", "hashlib", "importlib", "resource",
          "tomllib", "unicodedata"}
HEAVY = ("sqlalchemy", "cryptography", "markdown", "nh3", "journal_app.core.vault.journal",
         "journal_app.ui.session", "journal_app.ui.shell.mainwindow")


def run_child(mode: str, folder: Path, passphrase: str = "",
              hold_words: bool = False) -> dict[str, Any]:
    env = dict(os.environ)  # this test's HOME, XDG_* and TMPDIR: its own settings and socket
    env["QT_QPA_PLATFORM"] = "offscreen"
    if hold_words:
        env["START_CHILD_HOLD_WORDS"] = "1"
    env["PYTHONPATH"] = str(ROOT)
    env.pop("JOURNAL_APP_DATA_DIR", None)
    proc = subprocess.run([sys.executable, str(CHILD), mode, str(folder), passphrase],
                          capture_output=True, text=True, env=env, timeout=120,
                          stdin=subprocess.DEVNULL, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    # Nothing went wrong in a worker's thread either, up to the very end (a task still running
    # when the app ended used to send its result to an object PySide had already deleted).
    assert "Error calling Python override" not in proc.stderr, proc.stderr
    assert "unexpected error" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert lines, proc.stdout + proc.stderr
    result: dict[str, Any] = json.loads(lines[-1])
    assert not result.get("timeout"), result
    return result


def test_the_lock_screen_is_shown_with_only_what_it_needs(folder: Path) -> None:
    make_vault(folder)
    app = run_child("modules", folder)
    bare = set(run_child("bare", folder)["modules"])
    assert app["shown"] == "StartWindow"
    assert app["shown_page"] == "lock_page"
    assert app["focus_in_passphrase"]  # ready for typing
    modules = set(app["modules"])
    for heavy in HEAVY:
        assert heavy not in modules
    own = {m for m in modules if m.split(".")[0] == "journal_app"}
    assert own <= OWN, f"new before the lock screen: {sorted(own - OWN)}"
    extra = modules - bare - own
    libraries = {m for m in extra if m.split(".")[0] not in sys.stdlib_module_names}
    assert libraries <= LIBRARIES, f"new before the lock screen: {sorted(libraries - LIBRARIES)}"
    stdlib = {m.split(".")[0] for m in extra - libraries} - {"builtins"}
    stdlib = {m for m in stdlib if not m.startswith("_")}
    assert stdlib <= STDLIB, f"new before the lock screen: {sorted(stdlib - STDLIB)}"


def test_once_loaded_the_same_lock_screen_waits_with_the_focus_in_its_field(
        folder: Path) -> None:
    make_vault(folder)
    seen = run_child("watch", folder)
    assert seen["shown"] == "StartWindow"
    assert seen["window"] == "MainWindow"  # the same window, completed
    assert seen["page"] == "lock_page"
    assert seen["focus_in_passphrase"], json.dumps(seen)
    assert (seen["lock_error"], seen["message"], seen["typed"]) == ("", "", "")


def test_typing_and_enter_before_loading_finished_unlocks(folder: Path) -> None:
    make_vault(folder, sample_entries())
    seen = run_child("type", folder, PASSPHRASE)
    assert seen["shown"] == "StartWindow"
    assert not seen["loaded_at_show"]
    assert not seen["loaded_at_enter"]  # the unlock had to wait for the loading
    assert seen["window"] == "MainWindow"
    assert seen["page"] == "journal_page"
    assert seen["unlocked"]
    assert seen["rows"] == len(sample_entries())


@pytest.mark.parametrize("mode", ["type", "recover"])
def test_the_app_ends_quietly_with_the_word_list_still_loading(folder: Path, mode: str) -> None:
    """An unlock or a recovery asked for while loading, then the app ends while the spell
    checker's word list (loaded in a worker just after the unlock) is still loading: the
    load finishes and the process ends without an error from the worker's thread (its result
    once went to an object PySide had deleted; on a loaded machine this happened by chance)."""
    key = make_vault(folder, sample_entries())
    secret = PASSPHRASE if mode == "type" else f"{key}|copper kettle meadow"
    seen = run_child(mode, folder, secret, hold_words=True)  # run_child checks the stderr
    assert seen["page"] == "journal_page" and seen["unlocked"]
    assert seen["words_held"]  # the app ended with the load running


def test_a_wrong_passphrase_typed_early_gets_the_same_message(
        qtbot, folder: Path, make_window: Callable[..., MainWindow]) -> None:
    make_vault(folder)
    seen = run_child("type", folder, "not my passphrase")
    assert seen["page"] == "lock_page"
    assert not seen["unlocked"]
    assert seen["typed"] == "not my passphrase"  # kept (and selected) to try again

    window = make_window(folder)  # the same, in a window built at once
    qtbot.keyClicks(window.lock_page.passphrase, "not my passphrase")
    qtbot.keyClick(window.lock_page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(window.lock_page.error.isVisible, timeout=WAIT_MS)
    assert seen["lock_error"] == window.lock_page.error.text()
    assert "Caps Lock" in seen["lock_error"]


def test_the_first_run_shows_the_welcome_page(folder: Path) -> None:
    seen = run_child("watch", folder)
    assert seen["page"] == "welcome"
    assert seen["message"] == ""


def test_a_file_that_is_not_a_journal_gets_the_same_plain_message(
        tmp_path: Path, make_window: Callable[..., MainWindow]) -> None:
    folder = tmp_path / "journal"
    folder.mkdir()
    (folder / DB_NAME).write_bytes(b"this is not a journal at all" * 100)
    seen = run_child("watch", folder)
    assert seen["page"] == "welcome"
    window = make_window(folder)
    assert window.message_bar.isVisible()
    assert seen["message"] == window.message_bar.text.text()
    assert seen["message"] and "Traceback" not in seen["message"]


def test_a_journal_that_cannot_be_opened_gets_the_same_message_and_keeps_the_typing(
        folder: Path, make_window: Callable[..., MainWindow]) -> None:
    make_vault(folder, sample_entries())
    db = folder / DB_NAME
    overwrite_page(db, table_pages(db, "meta").root, 4096)  # the key slots: nothing decrypts
    seen = run_child("type", folder, PASSPHRASE)
    assert seen["page"] == "lock_page"
    assert not seen["unlocked"]
    window = make_window(folder)
    assert seen["lock_title"] == window.lock_page.title.text() == "This journal cannot be opened"
    assert seen["lock_error"] == window.lock_page.error.text()
    assert seen["rescue_offered"]
    assert seen["typed"] == PASSPHRASE  # Enter now rescues with it


def test_the_background_imports_load_no_qt() -> None:
    """The thread imports only what imports no Qt (Qt classes are made in the main thread)."""
    code = ("import importlib, sys\n"
            f"for name in {loading.BACKGROUND!r}:\n"
            "    importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'shiboken6')))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert proc.stdout.strip() == "[]"


def test_the_steps_name_every_screen_module_the_main_window_imports() -> None:
    """Each of the main window's own imports is a step of its own (small steps keep typing
    responsive); the main window's module is the last."""
    source = Path(sys.modules[MainWindow.__module__].__file__ or "").read_text(encoding="utf-8")
    imported = {node.module for node in ast.parse(source).body
                if isinstance(node, ast.ImportFrom) and node.module
                and node.module.startswith("journal_app.ui.")}
    assert imported - {"journal_app.ui.shell.startwindow"} <= set(loading.STEPS) | set(OWN)
    assert loading.STEPS[-1] == MainWindow.__module__


def test_the_main_window_declares_no_signals_of_its_own() -> None:
    """MainWindow.complete turns a StartWindow into a MainWindow; the window keeps the Qt
    meta-object it was built with, which knows no signal MainWindow would add."""
    own = {name for cls in MainWindow.__mro__ if cls is not StartWindow
           and issubclass(cls, StartWindow)
           for name, value in vars(cls).items() if isinstance(value, Signal)}
    assert own == set()


@pytest.mark.parametrize("button", ["support_button", "other_button"])
def test_a_lock_screen_button_loads_the_rest_and_does_its_job(
        qtbot, folder: Path, button: str) -> None:
    """Support lines and Other journal… on the start window, before loading finished: they
    load the rest at once and do what the main window does."""
    from journal_app.ui.practice.support import SupportDialog
    from journal_app.ui.shell.app import _lock_screen_first
    from journal_app.ui.uisettings import UiSettings

    from .conftest import on_modal

    make_vault(folder)
    sessions: list[Any] = []
    window = _lock_screen_first(UiSettings(), folder, sessions)
    qtbot.addWidget(window)
    try:
        assert type(window) is StartWindow
        seen = on_modal(SupportDialog, lambda dialog: dialog.reject())
        qtbot.mouseClick(getattr(window.lock_page, button), Qt.MouseButton.LeftButton)
        assert isinstance(window, MainWindow)
        if button == "support_button":
            assert seen
            assert window.stack.currentWidget() is window.lock_page
        else:
            assert window.stack.currentWidget() is window.welcome
        for _ in range(5):  # nothing of the start left to run takes the page back
            QApplication.processEvents()
        expected = window.lock_page if button == "support_button" else window.welcome
        assert window.stack.currentWidget() is expected
        assert window.loader is not None and window.loader.done
    finally:
        for session in sessions:
            session.close()


def test_a_recovery_asked_for_while_loading_goes_ahead_once_loaded(folder: Path) -> None:
    """Use recovery key… on the start window: the dialog works without the rest of the app;
    the recovery waits for the journal to be opened, then opens it with the new passphrase."""
    key = make_vault(folder, sample_entries())
    seen = run_child("recover", folder, f"{key}|copper kettle meadow")
    assert not seen["loaded_at_enter"]  # the recovery had to wait for the loading
    assert seen["page"] == "journal_page"
    assert seen["unlocked"]
    assert seen["rows"] == len(sample_entries())


@pytest.mark.parametrize("how", ["start", "finish_now"])
def test_the_loader_calls_its_first_step_once_before_its_thread(qtbot: Any, how: str) -> None:
    """The allocator's setting (ui/shell/memory.py) must come before the thread that imports
    the rest of the app makes its first allocation."""
    calls: list[bool] = []
    loader = loading.Loader(["json"], background=["json"],
                            first=lambda: calls.append(loader._thread.is_alive()))
    getattr(loader, how)()
    loader.start()
    qtbot.waitUntil(lambda: loader.done)
    assert calls == [False]
