"""On a 4K screen at 200 % (device pixel ratio 2) the drawn icons are painted at twice the
pixels, not stretched from a 1x picture: the mood faces and the attachment tiles."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage

from journal_app.ui.practice.quickcheckin import FACE, face
from journal_app.ui.writing.attachments import THUMB_SIDE, tile_icon


def test_mood_faces_are_drawn_at_the_screens_pixel_ratio(qapp: object) -> None:
    pixmap = face(2, "#22262b", 2.0)
    assert pixmap.devicePixelRatio() == 2.0
    assert pixmap.size() == QSize(2 * FACE, 2 * FACE)
    assert pixmap.deviceIndependentSize().toSize() == QSize(FACE, FACE)


def test_attachment_tiles_are_drawn_at_the_screens_pixel_ratio(qapp: object) -> None:
    image = QImage(2 * THUMB_SIDE, THUMB_SIDE, QImage.Format.Format_RGB32)  # decoded at 2x
    image.fill(QColor("#0b6fa4"))
    for icon in (tile_icon(image, ratio=2.0), tile_icon(None, "PDF", 2.0)):
        pixmap = icon.pixmap(QSize(THUMB_SIDE, THUMB_SIDE), 2.0)
        assert pixmap.size() == QSize(2 * THUMB_SIDE, 2 * THUMB_SIDE)
    # The 2x picture fills the tile's width at 2x: every device pixel across its middle row.
    painted = tile_icon(image, ratio=2.0).pixmap(QSize(THUMB_SIDE, THUMB_SIDE), 2.0).toImage()
    middle = painted.height() // 2
    assert all(painted.pixelColor(x, middle) == QColor("#0b6fa4") for x in range(painted.width()))
