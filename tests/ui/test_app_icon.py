"""The application icon and the two file-type icons: drawn as SVG, rendered to PNGs 16-512 px
by scripts/render_icons.py (kept in the repository, as the wheel and the bundle ship them)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from PySide6.QtGui import QImage

from journal_app.ui.theme import app_icon

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "resources" / "icons"


def load_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("render_icons", ROOT / "scripts" /
                                                  "render_icons.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_pngs_are_the_svgs_rendered(qapp) -> None:
    script = load_script()
    assert script.main(["--check"]) == 0, "run scripts/render_icons.py (make icons)"
    for svg in [*ICONS.glob("app/*.svg"), *ICONS.glob("mime/*.svg")]:
        for size in script.SIZES:
            image = QImage(str(svg.with_name(f"{svg.stem}-{size}.png")))
            assert (image.width(), image.height()) == (size, size)
            # Drawn, not empty: the middle of every icon is opaque.
            assert image.pixelColor(size // 2, size // 2).alpha() == 255


def test_a_changed_svg_is_caught(qapp, tmp_path: Path, monkeypatch) -> None:
    script = load_script()
    folder = tmp_path / "app"
    folder.mkdir()
    (folder / "x.svg").write_text((ICONS / "app" / "journal-app.svg").read_text())
    monkeypatch.setattr(script, "FOLDERS", (folder,))
    monkeypatch.setattr(script, "ROOT", tmp_path)
    assert script.main([]) == 0 and script.main(["--check"]) == 0
    (folder / "x.svg").write_text((ICONS / "app" / "journal-app.svg").read_text()
                                  .replace("#0b6fa4", "#b3261e"))
    assert script.main(["--check"]) == 1


def test_every_window_gets_the_icon_in_every_size(qapp) -> None:
    sizes = {size.width() for size in app_icon().availableSizes()}
    assert sizes == {16, 22, 24, 32, 48, 64, 128, 256, 512}
