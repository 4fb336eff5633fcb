"""Render the icons drawn as SVG (resources/icons/app, resources/icons/mime) to PNGs.

Each ``NAME.svg`` becomes ``NAME-SIZE.png`` beside it for every size in SIZES (the hicolor
theme's sizes, 16 to 512 px), through Qt's SVG renderer offscreen: no other tool or dependency.
``--check`` renders to memory and fails if a PNG in the repository differs or is missing (the
PNGs are committed: the wheel, the bundle and the install script copy them as they are).

    .venv/bin/python scripts/render_icons.py          # write the PNGs
    .venv/bin/python scripts/render_icons.py --check  # compare only
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = (ROOT / "resources" / "icons" / "app", ROOT / "resources" / "icons" / "mime")
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def render(svg: Path, size: int) -> bytes:
    """The PNG bytes of ``svg`` drawn at ``size`` x ``size`` pixels (transparent around it)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: {svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # (the stub says bytes; str works)
    buffer.close()
    return bytes(data.data())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    del app
    stale: list[str] = []
    for folder in FOLDERS:
        for svg in sorted(folder.glob("*.svg")):
            for size in SIZES:
                png = folder / f"{svg.stem}-{size}.png"
                data = render(svg, size)
                if args.check:
                    if not png.is_file() or png.read_bytes() != data:
                        stale.append(str(png.relative_to(ROOT)))
                else:
                    png.write_bytes(data)
    if stale:
        print("render_icons: out of date (run scripts/render_icons.py):\n  " + "\n  ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
