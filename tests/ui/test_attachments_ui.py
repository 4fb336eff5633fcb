"""Attachments in the editor, driven as a user would: attach with the button or by dropping a
file, see the thumbnail, open it larger, save a copy, remove it, restore it from the trash."""

from __future__ import annotations

import os
import secrets
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from journal_app.core.records.model import Entry
from journal_app.core.vault.crypto import RecordCipher
from journal_app.core.vault.journal import Journal
from journal_app.ui.dialogs.trash import TrashDialog
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.writing.attachments import AttachmentStrip, AttachmentTile, AttachmentViewer
from tests.helpers.images import heic_header

from .conftest import (
    PASSPHRASE,
    WAIT_MS,
    answer_message_box,
    click,
    click_row,
    list_titles,
    make_vault,
    on_modal,
    sample_entries,
    unlock,
    writes_done,
)


def image_file(folder: Path, name: str, color: str = "#3a7bd5", size: tuple[int, int] = (320, 200),
               comment: str | None = None) -> Path:
    """A real PNG written by Qt (decodable), optionally with a text comment inside."""
    image = QImage(size[0], size[1], QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    if comment is not None:
        image.setText("Comment", comment)
    path = folder / name
    assert image.save(str(path), "PNG")
    return path


def pick_files(monkeypatch: pytest.MonkeyPatch, paths: list[Path]) -> list[Any]:
    """The next "Attach image…" file dialog returns ``paths`` (as if the user chose them)."""
    calls: list[Any] = []

    def fake(*args: Any, **kwargs: Any) -> tuple[list[str], str]:
        calls.append(args)
        return [str(p) for p in paths], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(fake))
    return calls


def answer(button: QMessageBox.StandardButton) -> list[str]:
    """Press ``button`` in the next message box; the list gets the box's text."""
    texts: list[str] = []

    def press(box: QMessageBox) -> None:
        texts.append(box.text())
        box.button(button).click()

    on_modal(QMessageBox, press)
    return texts


def select(qtbot, window: MainWindow, title: str) -> Entry:
    click_row(qtbot, window.journal_page.list, list_titles(window).index(title))
    entry = window.journal_page.editor.entry
    assert entry is not None and entry.title == title
    return entry


def strip(window: MainWindow) -> AttachmentStrip:
    return window.journal_page.editor.attachments


def wait_tiles(qtbot, window: MainWindow, count: int, state: str = "shown") -> list[AttachmentTile]:
    qtbot.waitUntil(lambda: len(strip(window).tiles) == count
                    and all(t.state == state for t in strip(window).tiles), timeout=WAIT_MS)
    return strip(window).tiles


def open_viewer(qtbot, tile: AttachmentTile) -> AttachmentViewer:
    click(qtbot, tile)
    viewer = QApplication.activeModalWidget()
    assert isinstance(viewer, AttachmentViewer)
    qtbot.waitUntil(lambda: viewer.shown or viewer.picture.text() != "Opening…", timeout=WAIT_MS)
    return viewer


def test_attach_view_and_remove(qtbot, open_window: MainWindow, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window
    editor = window.journal_page.editor
    entry = select(qtbot, window, "Night shift")
    assert not strip(window).isVisible()  # no attachments: no empty row
    photo = image_file(tmp_path, "handwritten notes.png", "#3a7bd5", (640, 480))
    calls = pick_files(monkeypatch, [photo])
    click(qtbot, editor.attach_button)
    assert len(calls) == 1
    (tile,) = wait_tiles(qtbot, window, 1)
    assert strip(window).isVisible()
    assert strip(window).label.text() == "Attachments (1)"
    assert "handwritten notes.png" in tile.text() or "handwritten" in tile.toolTip()
    # The thumbnail is the picture, scaled down to the tile.
    icon = tile.icon().pixmap(96, 96).toImage()
    assert icon.pixelColor(48, 48) == QColor("#3a7bd5")
    journal = window.session.journal
    assert journal is not None
    (stored,) = journal.attachments(entry.id)
    assert stored.name == "handwritten notes.png" and stored.media_type == "image/png"
    assert journal.attachment_data(stored.id) == photo.read_bytes()

    viewer = open_viewer(qtbot, tile)
    assert viewer.windowTitle() == "Attachment"  # never the file name
    assert viewer.shown
    pixmap = viewer.picture.pixmap()
    assert not pixmap.isNull() and pixmap.width() <= viewer.picture.width()
    assert "handwritten notes.png" in viewer.info.text()
    texts = answer(QMessageBox.StandardButton.Yes)
    click(qtbot, viewer.remove_button)
    assert texts and "waits in the trash" in texts[0]
    assert not viewer.isVisible()
    qtbot.waitUntil(lambda: not strip(window).tiles, timeout=WAIT_MS)
    assert not strip(window).isVisible()
    assert journal.attachments(entry.id) == []
    assert [a.id for a in journal.removed_attachments()] == [stored.id]


def test_remove_can_be_cancelled(qtbot, open_window: MainWindow, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window
    select(qtbot, window, "Teaching round")
    pick_files(monkeypatch, [image_file(tmp_path, "a.png")])
    click(qtbot, window.journal_page.editor.attach_button)
    (tile,) = wait_tiles(qtbot, window, 1)
    answer_message_box(QMessageBox.StandardButton.No)
    assert strip(window).remove(tile.attachment) is False
    assert len(strip(window).tiles) == 1


def _drop(widget: Any, mime: QMimeData) -> QDropEvent:
    """Drag ``mime`` onto ``widget`` and let go, as the platform delivers it: Qt hands the
    drop only to the widget that accepted the drag when it entered."""
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)
    return event


def test_dropping_image_files_on_the_text_attaches_them(qtbot, open_window: MainWindow,
                                                       tmp_path: Path) -> None:
    window = open_window
    editor = window.journal_page.editor
    entry = select(qtbot, window, "Family meeting")
    body_before = editor.body.toPlainText()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(image_file(tmp_path, "one.png", "#ff0000"))),
                  QUrl.fromLocalFile(str(image_file(tmp_path, "two.png", "#00ff00")))])
    event = _drop(editor.body.viewport(), mime)
    assert event.isAccepted()
    tiles = wait_tiles(qtbot, window, 2)
    assert sorted(t.attachment.name for t in tiles) == ["one.png", "two.png"]
    assert editor.body.toPlainText() == body_before  # no file path typed into the text
    assert window.session.journal is not None
    assert len(window.session.journal.attachments(entry.id)) == 2
    # Dropped text is still text.
    text = QMimeData()
    text.setText("dropped words")
    editor.body.setFocus()
    _drop(editor.body.viewport(), text)
    assert "dropped words" in editor.body.toPlainText()


def test_attaching_to_a_new_entry_saves_it(qtbot, empty_window: MainWindow, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    window = empty_window
    editor = window.journal_page.editor
    click(qtbot, window.journal_page.new_button)
    assert editor.entry is not None
    entry_id = editor.entry.id
    pick_files(monkeypatch, [image_file(tmp_path, "drawing.png")])
    click(qtbot, editor.attach_button)
    (tile,) = wait_tiles(qtbot, window, 1)
    journal = window.session.journal
    assert journal is not None
    assert journal.get_entry(entry_id).body == ""  # saved although nothing was typed
    assert tile.attachment.entry_id == entry_id
    assert editor.state.text().startswith("Attached")


def test_a_file_that_is_not_an_image_is_refused_plainly(qtbot, open_window: MainWindow,
                                                        tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window
    entry = select(qtbot, window, "Night shift")
    fake = tmp_path / "notes.png"
    fake.write_text("a shopping list, not a picture", encoding="utf-8")
    pick_files(monkeypatch, [fake])
    texts = answer(QMessageBox.StandardButton.Ok)
    click(qtbot, window.journal_page.editor.attach_button)
    qtbot.waitUntil(lambda: bool(texts), timeout=WAIT_MS)
    assert "not an image journal-app can keep" in texts[0]
    assert window.journal_page.editor.state.text() == "Not attached"
    assert window.session.journal is not None
    assert window.session.journal.attachments(entry.id) == []


def test_heic_is_kept_shown_as_a_card_and_saved_as_a_copy(
    qtbot, folder: Path, make_window: Callable[..., MainWindow], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    make_vault(folder, sample_entries())
    data = heic_header() + os.urandom(500)
    with Journal.open(folder) as journal:
        journal.unlock(PASSPHRASE)
        night = next(e for e in journal.entries() if e.title == "Night shift")
        journal.add_attachment(night.id, "IMG_0421.HEIC", data)
    window = make_window(folder)
    unlock(qtbot, window)
    select(qtbot, window, "Night shift")
    (tile,) = wait_tiles(qtbot, window, 1, state="unreadable")
    assert "cannot be shown here" in tile.toolTip()
    viewer = open_viewer(qtbot, tile)
    assert not viewer.shown and "cannot be shown on this computer" in viewer.picture.text()
    target = tmp_path / "saved copy.heic"
    suggested: list[str] = []

    def fake_save(_parent: Any, _title: str, name: str, _filter: str) -> tuple[str, str]:
        suggested.append(name)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    click(qtbot, viewer.save_button)
    qtbot.waitUntil(lambda: viewer.note.isVisible(), timeout=WAIT_MS)
    assert "not encrypted" in viewer.note.text()
    assert target.read_bytes() == data
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    # The suggested name comes from the date and id, never from the original name.
    assert "IMG_0421" not in suggested[0] and suggested[0].endswith(".heic")
    viewer.close()


class Opens:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.kinds: list[str] = []
        original = RecordCipher.open

        def counting(cipher: RecordCipher, record_id: str, kind: str, *args: Any) -> bytes:
            self.kinds.append(kind)
            return original(cipher, record_id, kind, *args)

        monkeypatch.setattr(RecordCipher, "open", counting)


def test_images_are_decrypted_when_shown_never_on_unlock(
    qtbot, folder: Path, make_window: Callable[..., MainWindow], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    make_vault(folder, sample_entries())
    with Journal.open(folder) as journal:
        journal.unlock(PASSPHRASE)
        by_title = {e.title: e for e in journal.entries()}
        for i, color in enumerate(("#111111", "#222222")):
            journal.add_attachment(by_title["Night shift"].id, f"{i}.png",
                                   image_file(tmp_path, f"{i}.png", color).read_bytes())
        journal.add_attachment(by_title["Teaching round"].id, "t.png",
                               image_file(tmp_path, "t.png").read_bytes())
    opens = Opens(monkeypatch)
    window = make_window(folder)
    unlock(qtbot, window)
    window.session.worker.wait()
    assert opens.kinds.count("attachment") == 3
    assert "attachment-data" not in opens.kinds  # unlocking decrypted no image
    select(qtbot, window, "Family meeting")  # no attachments
    window.session.worker.wait()
    assert "attachment-data" not in opens.kinds
    select(qtbot, window, "Night shift")
    wait_tiles(qtbot, window, 2)
    assert opens.kinds.count("attachment-data") == 2
    select(qtbot, window, "Family meeting")
    select(qtbot, window, "Night shift")  # thumbnails are kept while unlocked
    wait_tiles(qtbot, window, 2)
    assert opens.kinds.count("attachment-data") == 2
    # Locking drops every thumbnail.
    window.session.lock()
    assert strip(window).tiles == [] and strip(window)._thumbs == {}


def test_a_removed_attachment_comes_back_from_the_trash(qtbot, open_window: MainWindow,
                                                        tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window
    entry = select(qtbot, window, "Night shift")
    pick_files(monkeypatch, [image_file(tmp_path, "keep me.png")])
    click(qtbot, window.journal_page.editor.attach_button)
    (tile,) = wait_tiles(qtbot, window, 1)
    answer_message_box(QMessageBox.StandardButton.Yes)
    assert strip(window).remove(tile.attachment)
    qtbot.waitUntil(lambda: strip(window).tiles == [])  # once in the trash (worker)
    dialog = TrashDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.attachment_list.isVisible()
    assert dialog.attachment_list.count() == 1
    assert "keep me.png" in dialog.attachment_list.item(0).text()
    assert "Night shift" in dialog.attachment_list.item(0).text()
    assert dialog.empty_button.isEnabled()
    assert not dialog.restore_attachment_button.isEnabled()
    dialog.attachment_list.setCurrentRow(0)
    click(qtbot, dialog.restore_attachment_button)
    qtbot.waitUntil(lambda: dialog.attachment_list.count() == 0)
    assert not dialog.attachment_list.isVisible()
    (tile,) = wait_tiles(qtbot, window, 1)  # the editor shows it again
    assert tile.attachment.entry_id == entry.id
    dialog.close()


def test_emptying_the_trash_removes_removed_attachments(qtbot, open_window: MainWindow,
                                                        tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_window
    select(qtbot, window, "Night shift")
    pick_files(monkeypatch, [image_file(tmp_path, "gone.png")])
    click(qtbot, window.journal_page.editor.attach_button)
    (tile,) = wait_tiles(qtbot, window, 1)
    strip(window).remove(tile.attachment, confirm=False)
    writes_done(qtbot, window.session)
    dialog = TrashDialog(window.session, window)
    qtbot.addWidget(dialog)
    texts = answer(QMessageBox.StandardButton.Yes)
    click(qtbot, dialog.empty_button)
    assert texts and "the attachments in the trash" in texts[0]
    qtbot.waitUntil(lambda: dialog.attachment_list.count() == 0)
    assert window.session.journal is not None
    assert window.session.journal.removed_attachments() == []


def test_image_bytes_and_names_never_reach_the_disk(
    qtbot, folder: Path, make_window: Callable[..., MainWindow], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, _isolated_qt: Path
) -> None:
    words = {k: f"canary{k}{secrets.token_hex(8)}" for k in ("image", "name")}
    outside = tmp_path / "outside"
    outside.mkdir()
    photo = image_file(outside, f"{words['name']}.png", comment=words["image"])
    assert words["image"].encode() in photo.read_bytes()  # positive control
    make_vault(folder, sample_entries())
    window = make_window(folder)
    unlock(qtbot, window)
    select(qtbot, window, "Night shift")
    pick_files(monkeypatch, [photo])
    click(qtbot, window.journal_page.editor.attach_button)
    (tile,) = wait_tiles(qtbot, window, 1)
    viewer = open_viewer(qtbot, tile)
    assert viewer.shown
    viewer.close()
    photo.unlink()
    window.session.lock()
    window.session.close()
    watched = [folder, _isolated_qt, Path(os.environ["HOME"]), Path(tempfile.gettempdir())]
    leaks = []
    for root in watched:
        for dirpath, _dirs, names in os.walk(root):
            for name in names:
                path = Path(dirpath) / name
                if path.is_symlink() or not path.is_file():
                    continue
                data = path.read_bytes()
                for word in words.values():
                    if any(word.encode(enc) in data for enc in ("utf-8", "utf-16-le",
                                                                "utf-16-be")):
                        leaks.append(f"{path}: {word}")
                assert words["name"] not in name, path  # nor in any file's name
    assert leaks == []


def test_one_message_for_the_files_of_one_drop_that_were_refused(
    qtbot, open_window: MainWindow, tmp_path: Path
) -> None:
    window = open_window
    editor = window.journal_page.editor
    entry = select(qtbot, window, "Night shift")
    paths = [tmp_path / "a.txt", tmp_path / "b.pdf", image_file(tmp_path, "good.png")]
    paths[0].write_text("text", encoding="utf-8")
    paths[1].write_bytes(b"%PDF-1.7")
    texts = answer(QMessageBox.StandardButton.Ok)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    _drop(editor.body.viewport(), mime)
    qtbot.waitUntil(lambda: bool(texts), timeout=WAIT_MS)
    window.session.worker.wait()
    QApplication.processEvents()
    assert len(texts) == 1
    assert texts[0].startswith("Some of the 3 files were not attached.")
    assert texts[0].count("not an image journal-app can keep") == 1  # said once
    (tile,) = wait_tiles(qtbot, window, 1)
    assert tile.attachment.name == "good.png" and tile.attachment.entry_id == entry.id
