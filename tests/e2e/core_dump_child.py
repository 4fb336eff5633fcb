"""Child process of the core-dump tests: runs journal-app through its entry point, then reports
what the kernel says of this process (not what journal-app says of itself).

    core_dump_child.py REPORT cli ARGS...
        runs ``journal-app ARGS...``, then writes the report.
    core_dump_child.py REPORT gui DATA_DIR
        starts the desktop app; once its window is up, writes the report and quits.

The report is JSON: ``{"core": [soft, hard], "dumpable": N}``, the RLIMIT_CORE limits and what
``prctl(PR_GET_DUMPABLE)`` returns. Linux only.
"""

from __future__ import annotations

import ctypes
import json
import resource
import sys
from pathlib import Path

PR_GET_DUMPABLE = 3


def report(path: Path) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    dumpable = int(libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0))
    soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    path.write_text(json.dumps({"core": [soft, hard], "dumpable": dumpable}), encoding="utf-8")


def main(argv: list[str]) -> int:
    from journal_app.__main__ import main as journal_app

    out, mode = Path(argv[0]), argv[1]
    if mode == "cli":
        code = journal_app(argv[2:])
        report(out)
        return code
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])

    def check() -> None:
        report(out)
        app.quit()

    QTimer.singleShot(0, check)  # runs once the app's event loop has started
    return journal_app(["--data-dir", argv[2]])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
