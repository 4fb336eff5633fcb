"""One running app per vault: a second launch asks the first to come forward, then exits.

The first instance listens on a local socket named after the data folder (a hash of its path,
so the name carries nothing from the folder name). A second launch that reaches it sends a
single word and exits; the first raises its window.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

TIMEOUT_MS = 1000


def server_name(data_dir: Path) -> str:
    key = f"{os.getuid() if hasattr(os, 'getuid') else ''}:{Path(data_dir).expanduser().resolve()}"
    return "journal-app-" + hashlib.sha256(key.encode()).hexdigest()[:20]


def ask_running_instance(data_dir: Path) -> bool:
    """True if another instance owns ``data_dir`` (it was asked to come forward)."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(data_dir))
    if not socket.waitForConnected(TIMEOUT_MS):
        return False
    socket.write(b"raise\n")
    socket.waitForBytesWritten(TIMEOUT_MS)
    socket.disconnectFromServer()
    return True


class InstanceServer(QObject):
    """Signals:
    raise_requested(): another launch wants this window in front.
    """

    raise_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self.name: str | None = None

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
        if bytes(conn.readAll().data()).strip() == b"raise":
            self.raise_requested.emit()
        conn.disconnectFromServer()

    def close(self) -> None:
        self._server.close()
