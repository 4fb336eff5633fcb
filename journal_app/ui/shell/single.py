"""One running app per vault: a second launch asks the first to come forward, then exits.

The first instance listens on a local socket named after the data folder (a hash of its path,
so the name carries nothing from the folder name). A second launch that reaches it sends a
single word and exits; the first raises its window. A launch that opens a file (a share
package or a mentor card double-clicked on the desktop) sends ``open`` and the file's path
instead, and the first opens it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtNetwork import QLocalServer, QLocalSocket

TIMEOUT_MS = 1000


def server_name(data_dir: Path) -> str:
    key = f"{os.getuid() if hasattr(os, 'getuid') else ''}:{Path(data_dir).expanduser().resolve()}"
    return "journal-app-" + hashlib.sha256(key.encode()).hexdigest()[:20]


#: The longest request read (a path of 4 KiB, with room): a longer one is ignored.
MAX_REQUEST = 8192


def ask_running_instance(data_dir: Path, open_path: Path | None = None) -> bool:
    """True if another instance owns ``data_dir`` (it was asked to come forward, and to open
    ``open_path`` when given)."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(data_dir))
    if not socket.waitForConnected(TIMEOUT_MS):
        return False
    if open_path is None:
        socket.write(b"raise\n")
    else:
        socket.write(b"open " + os.fsencode(Path(open_path).absolute()) + b"\n")
    socket.waitForBytesWritten(TIMEOUT_MS)
    socket.disconnectFromServer()
    return True


class InstanceServer(QObject):
    """Signals:
    raise_requested(): another launch wants this window in front.
    open_requested(str): another launch opens this file (raise_requested comes first).
    """

    raise_requested = Signal()
    open_requested = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self.name: str | None = None
        self._pieces: dict[int, bytes] = {}

    def listen(self, data_dir: Path) -> bool:
        name = server_name(data_dir)
        if self.name == name:
            return True
        self._server.close()
        if not self._server.listen(name):
            QLocalServer.removeServer(name)  # a stale socket left by a crash
            if not self._server.listen(name):
                return False
        self.name = name
        return True

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            conn = self._server.nextPendingConnection()
            conn.readyRead.connect(lambda c=conn: self._read(c))

    def _read(self, conn: QLocalSocket) -> None:
        # A request is one line; it may come in pieces (a long path).
        buffered = self._pieces.pop(id(conn), b"") + bytes(conn.readAll().data())
        if not buffered.endswith(b"\n") and len(buffered) <= MAX_REQUEST:
            self._pieces[id(conn)] = buffered
            return
        request = buffered.rstrip(b"\n")
        if request == b"raise":
            self.raise_requested.emit()
        elif request.startswith(b"open ") and len(request) > len(b"open "):
            self.raise_requested.emit()
            self.open_requested.emit(os.fsdecode(request.removeprefix(b"open ")))
        conn.disconnectFromServer()

    def close(self) -> None:
        self._server.close()


class FileOpenFilter(QObject):
    """macOS hands a file double-clicked in the Finder to the running app as an event (not on
    the command line): installed on the application, this passes it on like a second launch's.

    Signals:
        open_requested(str): the system asks the app to open this file.
    """

    open_requested = Signal(str)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            if event.file():
                self.open_requested.emit(event.file())
            return True
        return super().eventFilter(watched, event)
