"""Attachments in the entry editor: thumbnails under the text, a viewer, dropping files in.

Images are decrypted only when an entry with attachments is shown, one at a time in the worker
thread, and decoded there too (as a ``QImage``: pixmaps belong to the UI thread), scaled while
decoding so a 20 MB photo never becomes a full-size bitmap for a 96-pixel tile. Thumbnails are
kept in memory until the journal locks. Nothing decrypted is ever written to a file, except a
copy the user saves on purpose.

Signals (AttachmentStrip):
    changed(): an attachment was removed from the shown entry.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEvent,
    QIODevice,
    QObject,
    QPointF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QImage,
    QImageReader,
    QPainter,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.files import write_private_file
from journal_app.core.records import MEDIA_TYPES, Attachment, describe, format_size
from journal_app.ui import theme
from journal_app.ui.session import Change, JournalSession
from journal_app.ui.widgets import muted

THUMB_SIDE = 96
VIEW_SIDE = 2400
FILE_FILTER = "Images (*.png *.jpg *.jpeg *.gif *.webp *.heic *.heif);;All files (*)"


def decode_image(data: bytes, max_side: int) -> QImage:
    """Decode image bytes, scaled so the longer side is at most ``max_side``. Safe off the UI
    thread. A null image when Qt cannot read the format (HEIC on most systems) or the picture
    would need more memory than Qt allows (its allocation limit stops decompression bombs)."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)  # phone photos carry their rotation in EXIF
    size = reader.size()
    if size.isValid() and max(size.width(), size.height()) > max_side:
        reader.setScaledSize(size.scaled(max_side, max_side, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    buffer.close()
    return image


def suggested_file_name(attachment: Attachment) -> str:
    """A file name for a saved copy from the date and id, never from the original name (which
    is journal data and may say more than the user wants on a disk)."""
    ext = MEDIA_TYPES.get(attachment.media_type, ("", "bin"))[1]
    return f"attachment-{attachment.created:%Y-%m-%d}-{attachment.id[:8]}.{ext}"


def local_files(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    """The local files a drag carries (empty when it carries anything else)."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    urls = mime.urls()
    if not urls or not all(u.isLocalFile() for u in urls):
        return []
    return [Path(u.toLocalFile()) for u in urls]


class FileDropFilter(QObject):
    """Accepts drops of local files on the widgets it watches and hands the paths on; text
    and other drags go on to the widget as before."""

    def __init__(self, on_files: Callable[[list[Path]], None], parent: QObject | None = None
                 ) -> None:
        super().__init__(parent)
        self._on_files = on_files

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(
                event, QDragEnterEvent | QDropEvent) and local_files(event):
            event.acceptProposedAction()
            return True
        if kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            files = local_files(event)
            if files:
                event.acceptProposedAction()
                self._on_files(files)
                return True
        return super().eventFilter(watched, event)


def tile_icon(image: QImage | None, label: str = "", ratio: float = 1.0) -> QIcon:
    """A square icon: the thumbnail centred, or (no image) a card with a short label, in the
    theme's colours. Square, so every tile's name sits on the same line. Painted at the
    screen's device pixel ratio (sharp on a 4K screen at 200 %): ``image`` was decoded that
    many times larger than the tile."""
    pixmap = QPixmap(round(THUMB_SIDE * ratio), round(THUMB_SIDE * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if image is not None and not image.isNull():
        image = QImage(image)
        image.setDevicePixelRatio(ratio)
        shown = image.deviceIndependentSize()
        x = (THUMB_SIDE - shown.width()) / 2
        y = (THUMB_SIDE - shown.height()) / 2
        painter.drawImage(QPointF(x, y), image)
    else:
        c = theme.colors()
        painter.setPen(QPen(QColor(c.border), 1.5))
        painter.setBrush(QColor(c.alt))
        painter.drawRoundedRect(8, 4, THUMB_SIDE - 16, THUMB_SIDE - 8, 8, 8)
        painter.setPen(QColor(c.muted))
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, label)
    painter.end()
    return QIcon(pixmap)


def type_label(media_type: str) -> str:
    return MEDIA_TYPES.get(media_type, ("FILE", ""))[0].upper()


class AttachmentTile(QToolButton):
    """One attachment: its thumbnail (a plain icon until decoded) and its name and size."""

    def __init__(self, attachment: Attachment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.attachment = attachment
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        self.setIconSize(QSize(THUMB_SIDE, THUMB_SIDE))
        self.setFixedSize(THUMB_SIDE + 36, THUMB_SIDE + 46)
        self.setAutoRaise(True)
        name = attachment.name
        short = name if len(name) <= 18 else name[:15] + "…"
        self.setText(f"{short}\n{format_size(attachment.size)}")
        self.setAccessibleName(f"Attachment {name}")
        self.setToolTip(f"{name}\n{describe(attachment.media_type)}, "
                        f"{format_size(attachment.size)}\nClick to view")
        self.setIcon(tile_icon(None, "…", self.devicePixelRatioF()))
        self.state = "loading"

    def show_image(self, image: QImage) -> None:
        if image.isNull():
            self.state = "unreadable"
            self.setIcon(tile_icon(None, type_label(self.attachment.media_type),
                                  self.devicePixelRatioF()))
            self.setToolTip(f"{self.attachment.name}\n{describe(self.attachment.media_type)} that "
                            "cannot be shown here; view it to save a copy.")
            return
        self.state = "shown"
        self.setIcon(tile_icon(image, ratio=self.devicePixelRatioF()))

    def show_damage(self, message: str) -> None:
        self.state = "damaged"
        self.setIcon(tile_icon(None, "!", self.devicePixelRatioF()))
        self.setToolTip(message)


class AttachmentStrip(QWidget):
    """The attachments of the entry in the editor, as thumbnails in a row."""

    changed = Signal()

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.entry_id: str | None = None
        self.tiles: list[AttachmentTile] = []
        self._thumbs: dict[str, QImage] = {}
        self._generation = 0
        self.label = muted("Attachments")
        self.row = QHBoxLayout()
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(6)
        self.row.addStretch(1)  # the tiles go before it
        holder = QWidget()
        holder.setLayout(self.row)
        self.scroll_area = QScrollArea()
        self.scroll_area.setAccessibleName("Attachments")
        self.scroll_area.setWidget(holder)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setFixedHeight(THUMB_SIDE + 64)
        self.scroll_area.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.label)
        layout.addWidget(self.scroll_area)
        self.setAccessibleName("Attachments")
        session.locked.connect(self.forget)
        # Removed, restored or attached elsewhere (the trash, the command line): show it.
        session.entriesChanged.connect(self._maybe_reload)
        self.hide()

    # ------------------------------------------------------------ showing

    def set_entry(self, entry_id: str | None) -> None:
        """Show the attachments of ``entry_id`` (None: nothing). Cheap: only descriptions are
        read here; the images follow from the worker."""
        self.entry_id = entry_id
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        # Tiles leave the row by name: asking the layout for its items (takeAt) would hand
        # Python wrappers of C++ layout items that the layout deletes behind them.
        for tile in self.tiles:
            self.row.removeWidget(tile)
            tile.deleteLater()
        self.tiles = []
        items: list[Attachment] = []
        if self.entry_id is not None and self.session.is_unlocked:
            items = self.session.attachments(self.entry_id)
        for attachment in items:
            tile = AttachmentTile(attachment)
            tile.clicked.connect(lambda _=False, t=tile: self.view(t.attachment))
            tile.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            tile.customContextMenuRequested.connect(lambda _pos, t=tile: self._menu(t))
            self.row.insertWidget(len(self.tiles), tile)
            self.tiles.append(tile)
            self._load_thumbnail(tile)
        self.label.setText(f"Attachments ({len(items)})")
        self.setVisible(bool(items))

    def _maybe_reload(self) -> None:
        if self.entry_id is None or not self.session.is_unlocked:
            return
        shown = [t.attachment for t in self.tiles]
        if self.session.attachments(self.entry_id) != shown:
            self.reload()

    def _load_thumbnail(self, tile: AttachmentTile) -> None:
        attachment_id = tile.attachment.id
        cached = self._thumbs.get(attachment_id)
        if cached is not None:
            tile.show_image(cached)
            return
        generation = self._generation

        side = round(THUMB_SIDE * self.devicePixelRatioF())  # sharp at the screen's scale

        def decode(data: bytes) -> QImage:
            return decode_image(data, side)

        def still_wanted() -> bool:
            # Read in the worker: skip images of an entry no longer shown (quick browsing).
            return generation == self._generation

        def done(image: QImage | None) -> None:
            if image is None:
                return
            self._thumbs[attachment_id] = image
            if generation == self._generation and tile in self.tiles:
                tile.show_image(image)

        def failed(message: str) -> None:
            if generation == self._generation and tile in self.tiles:
                tile.show_damage(message)

        self.session.load_attachment(attachment_id, decode, done, failed, still_wanted)

    def forget(self) -> None:
        """Drop every thumbnail and tile (the journal locked)."""
        self._thumbs.clear()
        self.entry_id = None
        self.reload()

    # ------------------------------------------------------------ actions

    def _menu(self, tile: AttachmentTile) -> None:
        menu = QMenu(self)
        menu.addAction("View", lambda: self.view(tile.attachment))
        menu.addAction("Save a copy…", lambda: save_copy_dialog(self, self.session,
                                                                tile.attachment))
        menu.addSeparator()
        menu.addAction("Remove…", lambda: self.remove(tile.attachment))
        menu.popup(tile.mapToGlobal(tile.rect().bottomLeft()))

    def view(self, attachment: Attachment) -> None:
        viewer = AttachmentViewer(self.session, attachment, self)
        viewer.removed.connect(self._removed)
        viewer.open()

    def remove(self, attachment: Attachment, confirm: bool = True) -> bool:
        """Move ``attachment`` to the trash after asking. Returns whether it was removed."""
        if confirm and not confirm_remove(self, attachment):
            return False
        # The strip reloads on entriesChanged, once the attachment is in the trash.
        self.session.write(lambda journal: journal.remove_attachment(attachment.id),
                           lambda _a: self.changed.emit(), changes=Change.ENTRIES)
        return True

    def _removed(self) -> None:
        self._maybe_reload()
        self.changed.emit()


def confirm_remove(parent: QWidget, attachment: Attachment) -> bool:
    answer = QMessageBox.question(
        parent, "Remove the attachment?",
        f"Remove {attachment.name} from this entry? It waits in the trash until you empty it, "
        "and can be restored from there.",
    )
    return answer == QMessageBox.StandardButton.Yes


def save_copy_dialog(parent: QWidget, session: JournalSession, attachment: Attachment,
                     on_saved: Callable[[str], None] | None = None) -> None:
    """Ask where to save an unencrypted copy, then write it from the worker."""
    name, _ = QFileDialog.getSaveFileName(
        parent, "Save an unencrypted copy", str(Path.home() / suggested_file_name(attachment)),
        "All files (*)",
    )
    if name:
        save_copy(parent, session, attachment, Path(name), on_saved)


def save_copy(parent: QWidget, session: JournalSession, attachment: Attachment, path: Path,
              on_saved: Callable[[str], None] | None = None) -> None:
    """Decrypt the image in the worker and write it to ``path`` (owner-only permissions)."""

    def write(data: bytes) -> str:
        write_private_file(path, data)
        return "Saved a copy. It is not encrypted: keep it somewhere safe."

    def failed(message: str) -> None:
        QMessageBox.warning(parent, "Not saved", message)

    session.load_attachment(attachment.id, write, on_saved or (lambda _m: None), failed)


class AttachmentViewer(QDialog):
    """One attachment, larger: the picture fitted to the window, what it is, and what can be
    done with it.

    Signals:
        removed(): the attachment was moved to the trash (the dialog closes).
    """

    removed = Signal()

    def __init__(self, session: JournalSession, attachment: Attachment,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.attachment = attachment
        self._image: QImage | None = None
        # A fixed title: window lists and switchers show it, and the name is journal data.
        self.setWindowTitle("Attachment")
        self.resize(760, 620)
        self.picture = QLabel("Opening…")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(200, 160)
        self.picture.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.picture.setAccessibleName("Picture")
        self.info = QLabel(f"<b>{_escape(attachment.name)}</b> · {describe(attachment.media_type)}"
                           f" · {format_size(attachment.size)}"
                           f" · added {attachment.created:%d %b %Y}")
        self.info.setTextFormat(Qt.TextFormat.RichText)
        self.info.setWordWrap(True)
        self.note = muted("")
        self.note.setAccessibleName("Status")
        self.note.hide()
        self.save_button = QPushButton("Save a copy…")
        self.remove_button = QPushButton("Remove…")
        self.close_button = QPushButton("Close")
        self.close_button.setDefault(True)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.info)
        layout.addWidget(self.note)
        layout.addLayout(row)
        self.save_button.clicked.connect(
            lambda: save_copy_dialog(self, session, attachment, self.say))
        self.remove_button.clicked.connect(self.remove)
        self.close_button.clicked.connect(self.accept)
        session.locked.connect(self.reject)
        session.load_attachment(attachment.id, lambda data: decode_image(data, VIEW_SIDE),
                                self._show, self._failed)

    def _show(self, image: QImage | None) -> None:
        if image is None:
            return
        if image.isNull():
            self.picture.setText(f"This {describe(self.attachment.media_type)} cannot be shown "
                                 "on this computer. Save a copy to open it in another program.")
            self.picture.setWordWrap(True)
            return
        self._image = image
        self._fit()

    def _failed(self, message: str) -> None:
        self.picture.setText(message)
        self.picture.setWordWrap(True)

    def _fit(self) -> None:
        if self._image is None:
            return
        ratio = self.picture.devicePixelRatioF()
        area = self.picture.size() * ratio  # in device pixels: sharp on a 4K screen
        pixmap = QPixmap.fromImage(self._image)
        if pixmap.width() > area.width() or pixmap.height() > area.height():
            pixmap = pixmap.scaled(area, Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
        pixmap.setDevicePixelRatio(ratio)
        self.picture.setPixmap(pixmap)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def say(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    @property
    def shown(self) -> bool:
        """Whether the picture is on screen (decoded and drawn)."""
        return self._image is not None

    def remove(self) -> None:
        if not confirm_remove(self, self.attachment):
            return
        self.session.write(lambda journal: journal.remove_attachment(self.attachment.id),
                           lambda _a: self.removed.emit(), changes=Change.ENTRIES)
        self.accept()


def _escape(text: str) -> str:
    return html.escape(text)
