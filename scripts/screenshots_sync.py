"""Render the sync screens offscreen into docs/screenshots/ (sync-*.png): the first screen's
warning about a synced folder and the join page, Settings ▸ Sync before set-up and with two
computers, the status bar, and Earlier versions naming the computer a kept version came from.

Run: .venv/bin/python scripts/screenshots_sync.py [--theme dark]
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import shotkit

GOOD = "Quiet ward, seventh floor, 3 a.m. rounds!"


def main() -> int:
    kit = shotkit.start("sync", wait_ms=200)
    app, tmp, settings, shot = kit.app, kit.tmp, kit.settings, kit.shot
    from PySide6.QtTest import QTest

    from journal_app.core.demo.entries import demo_records
    from journal_app.core.sync import SyncParams, join, setup, sync_now
    from journal_app.core.vault.crypto import TEST_KDF
    from journal_app.core.vault.journal import Journal
    from journal_app.ui.dialogs.history import HistoryDialog
    from journal_app.ui.dialogs.sync import SyncDialog
    from journal_app.ui.session import JournalSession
    from journal_app.ui.shell.mainwindow import MainWindow

    cheap = SyncParams(folder_kdf=TEST_KDF, vault_kdf=TEST_KDF)

    def window_for(folder: Path) -> MainWindow:
        session = JournalSession(kdf=TEST_KDF)
        session.sync_folder_kdf = TEST_KDF
        window = MainWindow(session, settings, folder)
        window.resize(1100, 720)
        window.show()
        window.start(folder)
        return window

    # The first screen: a folder inside Dropbox, and the join page.
    first = window_for(tmp / "new")
    first.welcome.folder.setText(str(Path.home() / "Dropbox" / "journal"))
    shot("warning", first)
    first.welcome.show_join()
    first.welcome.join_page.folder.setText(str(Path.home() / "Sync" / "journal"))
    first.welcome.join_page.name.setText("Desktop in the library")
    shot("join", first)
    first.close()

    # A journal with entries, set up to sync; a second computer joined; a concurrent edit.
    data = tmp / "laptop"
    journal = Journal.create(data, GOOD, TEST_KDF)[0]
    folder = tmp / "Sync" / "journal"
    with journal:
        journal.import_records(demo_records(40), writing_only=False)
        entry_id = journal.entries()[0].id
        setup(journal, folder, "Laptop at home", GOOD, cheap)
        other_folder = tmp / "desktop-sync"
        shutil.copytree(folder, other_folder)
        with join(tmp / "desktop", other_folder, "Desktop in the library", GOOD,
                  cheap).journal as desktop:
            desktop.edit_entry(entry_id, body="Written on the desktop at the same time.")
            sync_now(desktop, None, cheap)
            time.sleep(0.01)
            journal.edit_entry(entry_id, body="Written on the laptop, a moment later.")
            for path in other_folder.rglob("*"):
                target = folder / path.relative_to(other_folder)
                if path.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                elif not target.exists():
                    shutil.copyfile(path, target)
        sync_now(journal, None, cheap)

    window = window_for(data)
    QTest.keyClicks(window.lock_page.passphrase, GOOD)
    window.lock_page.passphrase.returnPressed.emit()
    while window.stack.currentWidget() is not window.journal_page or window.syncing.busy \
            or window.syncing.status is None:
        QTest.qWait(20)
    shot("status-bar", window)
    dialog = SyncDialog(window.session, window.syncing, window)
    dialog.show()
    shot("settings", dialog)
    dialog.close()
    history = HistoryDialog(window.session, entry_id, window)
    history.show()
    for row in range(history.versions.count()):
        if "from" in history.versions.item(row).text():
            history.versions.setCurrentRow(row)
    shot("earlier-versions", history)
    history.close()
    window.syncing.stop()
    window.session.close()

    # Settings ▸ Sync before set-up (a new journal).
    fresh = tmp / "fresh"
    Journal.create(fresh, GOOD, TEST_KDF)[0].close()
    window = window_for(fresh)
    QTest.keyClicks(window.lock_page.passphrase, GOOD)
    window.lock_page.passphrase.returnPressed.emit()
    while window.stack.currentWidget() is not window.journal_page:
        QTest.qWait(20)
    dialog = SyncDialog(window.session, window.syncing, window)
    dialog.show()
    dialog.folder.setText(str(Path.home() / "Sync" / "journal"))
    dialog.name.setText("Laptop at home")
    shot("setup", dialog)
    dialog.close()
    window.session.close()
    app.quit()
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
