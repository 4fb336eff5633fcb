"""Child process of the interrupted-restore tests: restores backups until it is killed.

    restore_child.py step DATA_DIR PASSPHRASE BACKUP STEP
        restores BACKUP and kills itself (SIGKILL) right after STEP: one of the steps of
        PreparedRestore.commit, or "extracted" / "staged" inside the preparation.
    restore_child.py loop DATA_DIR PASSPHRASE BACKUP...
        restores the backups in turn, forever; prints each backup's path once its restore
        returned.

It prints ``ready`` before the first restore. Test use only: the passphrase comes from argv.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

from journal_app.core.recovery import backup


def die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def kill_after(name: str) -> None:
    """Kill the process when the preparation step ``name`` has returned."""
    target = {"extracted": "_extract", "staged": "_finalise_staged"}[name]
    original = getattr(backup, target)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        die()
        return result

    setattr(backup, target, wrapped)


def main(argv: list[str]) -> int:
    mode, data_dir, passphrase = argv[0], Path(argv[1]), argv[2]
    if mode == "step":
        path, step = Path(argv[3]), argv[4]
        if step in ("extracted", "staged"):
            kill_after(step)
        print("ready", flush=True)
        prepared = backup.prepare_restore(data_dir, path, passphrase=passphrase)
        prepared.commit(lambda done: die() if done == step else None)
        print("finished", flush=True)  # the step was never reached: the test fails on this
        return 0
    if mode == "loop":
        paths = [Path(p) for p in argv[3:]]
        print("ready", flush=True)
        turn = 0
        while True:
            path = paths[turn % len(paths)]
            backup.restore_backup(data_dir, path, passphrase=passphrase)
            print(path, flush=True)
            turn += 1
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
