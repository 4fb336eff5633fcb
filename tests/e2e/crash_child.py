"""Child process of the crash tests: opens a vault and writes in a loop until it is killed.

    crash_child.py add DATA_DIR PASSPHRASE
        adds entries; prints each entry's id once ``add_entry`` has returned.
    crash_child.py passphrase DATA_DIR CURRENT OTHER
        swaps the passphrase between the two; prints the passphrase now in force after each change.
    crash_child.py rotate DATA_DIR CURRENT OTHER
        the same with the data key rotated each time (``rotate_key``); prints the passphrase and
        the new recovery key, tab-separated, after each rotation.

It prints ``ready`` once the vault is unlocked. Test use only: passphrases come from argv.
"""

from __future__ import annotations

import sys
from pathlib import Path

from journal_app.core.vault.journal import Journal


def main(argv: list[str]) -> int:
    mode, data_dir = argv[0], Path(argv[1])
    journal = Journal.open(data_dir)
    journal.unlock(argv[2])
    print("ready", flush=True)
    if mode == "add":
        number = 0
        while True:
            number += 1
            entry = journal.add_entry(
                title=f"Entry {number}", body=f"Written before the crash, number {number}. " * 20,
                tags=["crash"],
            )
            print(entry.id, flush=True)
    elif mode == "passphrase":
        current, other = argv[2], argv[3]
        while True:
            journal.change_passphrase(other)
            current, other = other, current
            print(current, flush=True)
    elif mode == "rotate":
        current, other = argv[2], argv[3]
        while True:
            key = journal.rotate_key(other)
            current, other = other, current
            print(f"{current}\t{key}", flush=True)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
