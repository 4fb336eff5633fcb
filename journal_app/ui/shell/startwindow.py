"""The app's window as it first appears: the lock screen, ready for the passphrase.

Built from Qt and the light base modules only, so it is on screen about as soon as a bare Qt
window (docs/design.md, "Start-up: what the lock screen imports"). It already has the menu bar
(its menus empty and disabled until the rest is loaded) and the status bar, so nothing on screen
moves when :class:`~journal_app.ui.shell.mainwindow.MainWindow` (a subclass) completes this very
window: the same window, the same lock page with what was typed in it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMainWindow, QMenu, QStackedWidget, QVBoxLayout, QWidget

from journal_app.ui.pages.lock import LockPage
from journal_app.ui.uisettings import UiSettings

if TYPE_CHECKING:
    from journal_app.ui.shell.loading import Loader

#: The menu bar's menus, in order (the main window fills them; sharing's goes before Help).
MENUS = ("&Journal", "&Edit", "&Trends", "&View", "&Help")


class StartWindow(QMainWindow):
    """The window with the lock page; :class:`MainWindow` adds everything else.

    While the app is loading (``loader`` set), a lock-page button that needs the rest (support
    lines, another journal, the rescue) loads it at once, then does what the main window does.
    """

    def __init__(self, settings: UiSettings, title: str = "journal-app",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(title)
        self.resize(1180, 760)
        self.lock_page = LockPage(None)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.lock_page)
        central = QWidget()
        self.central_layout = QVBoxLayout(central)
        self.central_layout.setContentsMargins(0, 0, 0, 0)
        self.central_layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.menus: dict[str, QMenu] = {}
        for name in MENUS:
            menu = self.menuBar().addMenu(name)
            menu.setEnabled(False)
            self.menus[name] = menu
        self.statusBar()
        geometry = settings.geometry("main")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.loader: Loader | None = None
        # Looked up when clicked: the main window's methods, once this window is one.
        self.lock_page.switch_folder.connect(lambda: self._with_app("show_welcome"))
        self.lock_page.support_requested.connect(lambda: self._with_app("show_support"))
        self.lock_page.rescue_requested.connect(
            lambda text: self._with_app("show_salvage", text))

    def _with_app(self, method: str, *args: object) -> None:
        if self.loader is not None:
            self.loader.finish_now()  # makes this window the main window
        getattr(self, method)(*args)

    def bring_to_front(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()


__all__ = ["MENUS", "StartWindow"]
