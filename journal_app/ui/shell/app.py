"""Start the desktop app: a window before anything heavy is imported, one app per vault.

On a folder with a journal the lock screen (:class:`StartWindow`) is shown first, with Qt and a
few light modules imported; the service, SQLAlchemy and the main window load behind it while the
passphrase is typed (:mod:`.loading`), then the same window becomes the main window. The first
run (the welcome page), ``--background`` and ``--demo`` build the main window at once. See
docs/design.md, "Start-up: what the lock screen imports".

When Qt cannot open a window (no display, missing system libraries), Qt would abort the process
with its own message; a message handler catches that and says in one sentence what to install.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from journal_app.ui.session import JournalSession
    from journal_app.ui.shell.single import InstanceServer
    from journal_app.ui.shell.startwindow import StartWindow
    from journal_app.ui.uisettings import UiSettings

LINUX_LIBS = (
    "libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 "
    "libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libegl1"
)
NO_WINDOW = (
    "journal-app could not open a window: Qt's window system needs libraries that are missing. "
    f"On Debian or Ubuntu run: sudo apt install {LINUX_LIBS}"
)


def no_window_message(missing: list[str] | None) -> str:
    """What to install, naming only the libraries Qt's platform plugin cannot find (all of
    them when that cannot be told: no ldd, or it named none)."""
    if not missing:
        return NO_WINDOW
    from journal_app.ui.shell.qtlibs import package_for

    packages = " ".join(dict.fromkeys(package_for(name) for name in missing))
    return (
        "journal-app could not open a window: Qt's window system needs "
        f"{'a library that is' if len(missing) == 1 else 'libraries that are'} missing "
        f"({', '.join(missing)}). On Debian or Ubuntu run: sudo apt install {packages}"
    )


NO_DISPLAY = (
    "journal-app could not open a window: no display was found. Start it from a desktop "
    "session (the command line works without one: journal-app --help)."
)


#: Qt's warnings about xcb while the application starts, held back until it has started (then
#: shown) or failed (then shown after our sentence: Qt's first one names xcb-cursor0 whether or
#: not that library is the one missing). None once the application has started.
_held: list[str] | None = []


def _qt_message_handler(mode: object, _context: object, message: str) -> None:
    from PySide6.QtCore import QtMsgType

    if mode == QtMsgType.QtFatalMsg:
        lowered = message.lower()
        missing: list[str] | None = None
        if "could not connect to display" in lowered:
            text = NO_DISPLAY
        else:
            from journal_app.ui.shell.qtlibs import missing_libraries

            missing = missing_libraries()
            text = no_window_message(missing)
        # Qt's own lines only when the loader named no missing library (they may then help).
        details = "" if missing else "".join(f"Qt: {line}\n" for line in _held or ())
        sys.stderr.write(f"{text}\n{details}")
        sys.stderr.flush()
        os._exit(1)
    if mode in (QtMsgType.QtCriticalMsg, QtMsgType.QtWarningMsg) and "xcb" in message.lower():
        if _held is not None:
            _held.append(message)
        else:
            sys.stderr.write(f"Qt: {message}\n")


def _started() -> None:
    """The application is up: show what was held back, and hold nothing from now on."""
    global _held
    for line in _held or ():
        sys.stderr.write(f"Qt: {line}\n")
    _held = None


def _display_missing() -> bool:
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Unexpected errors: a dialog without journal text; the app keeps running. An error in a
    worker thread is shown by the GUI thread: a message box built in a pool thread ran its
    event loop there and the app hung (seen when a task's result had nowhere to go)."""
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from journal_app.ui.session import user_message

    del tb
    if issubclass(kind, KeyboardInterrupt):
        QApplication.quit()
        return
    message = user_message(exc)
    app = QApplication.instance()
    if threading.current_thread() is threading.main_thread() or app is None:
        _show_error(message)
    else:
        QTimer.singleShot(0, app, lambda: _show_error(message))


def _show_error(message: str) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    QMessageBox.critical(QApplication.activeWindow(), "journal-app", message)


def run_app(data_dir: Path | None = None, demo: str | None = None,
            background: bool = False, open_path: Path | None = None,
            smoke_test: bool = False) -> int:
    """Open the app on the journal in ``data_dir`` (else the remembered or default one), or the
    throwaway ``demo`` journal ("student", "mentor" or "programme"). ``open_path``: a share
    package or a mentor card to open in Sharing once the journal is unlocked (a double-click on
    the desktop); an app already open for the journal is asked to open it. ``smoke_test``: the
    same start, checked once it has settled, then the app ends (:mod:`.smoke`)."""
    from journal_app.core.vault import forbid_core_dumps

    forbid_core_dumps()  # also when started other than through journal_app.cli.main
    if _display_missing():
        sys.stderr.write(NO_DISPLAY + "\n")
        return 1
    from PySide6.QtCore import qInstallMessageHandler

    qInstallMessageHandler(_qt_message_handler)
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    _started()
    app.setApplicationName("journal-app")
    app.setOrganizationName("journal-app")
    app.setApplicationDisplayName("journal-app")
    # The desktop entry's name (Wayland matches windows to it) and the icon of every window.
    app.setDesktopFileName("org.journalapp.JournalApp")
    from journal_app.ui.theme import app_icon

    app.setWindowIcon(app_icon())
    from journal_app.ui.shell.gcguard import MainThreadCollector

    collector = MainThreadCollector(app)  # garbage with Qt objects is freed in this thread only
    del collector  # kept alive by its parent, the application

    from journal_app.core.paths import default_data_dir, has_journal
    from journal_app.ui.shell.single import ask_running_instance
    from journal_app.ui.theme import apply_theme
    from journal_app.ui.uisettings import UiSettings

    settings = UiSettings()
    apply_theme(app, settings.theme, settings.text_size)
    sys.excepthook = _excepthook
    if demo:
        return _run_demo(app, settings, demo)

    env = os.environ.get("JOURNAL_APP_DATA_DIR")
    folder = data_dir or (Path(env).expanduser() if env else None) or (
        Path(settings.data_dir) if settings.data_dir else default_data_dir()
    )
    if ask_running_instance(folder, open_path):
        sys.stderr.write("journal-app is already open for this journal; it was brought to "
                         "the front.\n")
        return 0
    sessions: list[JournalSession] = []
    try:
        if background or not has_journal(folder):
            # The first run (the welcome page) or --background: no lock screen to show first.
            from journal_app.ui.shell.memory import share_one_arena

            share_one_arena()  # as below, before the worker thread exists
            window = _main_window(settings, folder, sessions, background, open_path)
        else:
            window = _lock_screen_first(settings, folder, sessions, open_path)
        if smoke_test:
            from journal_app.ui.shell.smoke import watch

            watch(window)
        code = int(app.exec())
        del window  # kept until the app has quit
        return code
    finally:
        for session in sessions:
            session.close()


def _run_demo(app: QApplication, settings: UiSettings, demo: str) -> int:
    from journal_app.ui.session import JournalSession
    from journal_app.ui.shell.demo import demo_window

    session = JournalSession()
    demo_dir = Path(tempfile.mkdtemp(prefix="journal-app-demo-"))
    try:
        window = demo_window(session, settings, demo_dir, demo)
        code = int(app.exec())
        del window  # kept until the app has quit
        return code
    finally:
        session.close()
        shutil.rmtree(demo_dir, ignore_errors=True)


def _serve(server: InstanceServer, session: JournalSession, folder: Path) -> None:
    """This app answers later launches for its journal (and for the one it unlocks)."""
    session.unlocked.connect(lambda: session.data_dir and server.listen(session.data_dir))
    server.listen(folder)


def _open_files(server: InstanceServer, window: StartWindow, pending: list[Path]) -> None:
    """Open the files another launch sends (``server``), or macOS's Finder (an event): in
    Sharing once ``window`` is the main window, kept in ``pending`` until then."""
    from PySide6.QtWidgets import QApplication

    from journal_app.ui.shell.single import FileOpenFilter

    def open_file(path: str) -> None:
        sharing = getattr(window, "sharing", None)  # made by MainWindow.complete
        if sharing is not None:
            sharing.open_file(Path(path))
        else:
            pending.append(Path(path))

    server.open_requested.connect(open_file)
    app = QApplication.instance()
    if app is not None:
        events = FileOpenFilter(window)
        events.open_requested.connect(open_file)
        app.installEventFilter(events)


def _main_window(settings: UiSettings, folder: Path, sessions: list[JournalSession],
                 background: bool, open_path: Path | None = None) -> StartWindow:
    from journal_app.ui.session import JournalSession
    from journal_app.ui.shell.mainwindow import MainWindow
    from journal_app.ui.shell.single import InstanceServer

    session = JournalSession()
    sessions.append(session)
    main = MainWindow(session, settings, default_dir=folder)
    server = InstanceServer(main)
    server.raise_requested.connect(main.bring_to_front)
    _open_files(server, main, [])
    _serve(server, session, folder)
    # --background (start at login): stay in the tray, locked, until a reminder or a click;
    # without a tray there is nowhere to wait, so the window opens as usual.
    if not (background and main.tray.available()):
        main.show()
    main.start(folder)
    if open_path is not None:
        main.sharing.open_file(open_path)
    return main


def _lock_screen_first(settings: UiSettings, folder: Path, sessions: list[JournalSession],
                       open_path: Path | None = None) -> StartWindow:
    """Show the lock screen now; load the rest behind it, then make it the main window."""
    from journal_app.ui.shell.loading import STEPS, Loader
    from journal_app.ui.shell.single import InstanceServer
    from journal_app.ui.shell.startwindow import StartWindow

    window = StartWindow(settings)
    window.lock_page.show_folder(folder)
    server = InstanceServer(window)
    server.raise_requested.connect(window.bring_to_front)
    pending = [open_path] if open_path is not None else []
    _open_files(server, window, pending)
    server.listen(folder)

    # After the imports, one turn each: the window made the main window, the journal opened
    # (keystrokes waiting meanwhile are handled between them).
    def complete() -> None:
        from journal_app.ui.session import JournalSession
        from journal_app.ui.shell.mainwindow import MainWindow

        sessions.append(JournalSession())
        MainWindow.complete(window, sessions[-1], folder)
        _serve(server, sessions[-1], folder)
        assert isinstance(window, MainWindow)
        for path in pending:  # opened at the unlock (the last one, when several came)
            window.sharing.open_file(path)
        pending.clear()

    def open_journal() -> None:
        from journal_app.ui.shell.mainwindow import MainWindow

        assert isinstance(window, MainWindow)
        window.start(folder, keep_typing=True)

    def one_arena() -> None:
        from journal_app.ui.shell.memory import share_one_arena

        share_one_arena()  # before the threads start (issue 18: memory at 100,000 entries)

    window.loader = Loader([*STEPS, complete, open_journal], first=one_arena, parent=window)
    window.show()
    window.loader.start_after_paint(window.lock_page.passphrase)
    return window


__all__ = ["run_app"]
