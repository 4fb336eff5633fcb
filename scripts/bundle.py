"""Build journal-app as a desktop app with PyInstaller (``make bundle``).

One spec for every system (packaging/journal-app.spec); what is around the app differs:

- Linux: ``dist/journal-app-VERSION-linux-x86_64.tar.gz``, one folder holding the executable
  ``journal-app``, its ``_internal/`` libraries, ``share/`` (the desktop entry, the icons in the
  hicolor layout, the MIME types of share packages and mentor cards, the AppStream metainfo)
  and ``install.sh`` / ``uninstall.sh`` for ``~/.local``.
- macOS: ``dist/journal-app-VERSION-macos-ARCH.dmg`` holding ``journal-app.app`` (hdiutil).
- Windows: ``dist/journal-app-VERSION-windows-x86_64/`` and, where Inno Setup's ``iscc`` is on
  the PATH, ``dist/journal-app-VERSION-windows-x86_64-setup.exe`` (packaging/windows/*.iss).

The macOS and Windows paths run only in .github/workflows/ci.yml (this project's own machines
are Linux): see docs/design.md, issue 20. The build time and the sizes are printed at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
BUILD = ROOT / "build" / "pyinstaller"
DIST = ROOT / "dist"
APP_ID = "org.journalapp.JournalApp"
ICONS = ROOT / "resources" / "icons"
MIME_ICONS = ("application-x-journal-app-share-package", "application-x-journal-app-mentor-card")


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from journal_app import __version__

    return __version__


def release_date() -> str:
    """The day of the last commit (the same bundle from the same commit), else today."""
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%cs"], cwd=ROOT, text=True,
                             capture_output=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        out = ""
    return out or dt.date.today().isoformat()


def platform_icons() -> None:
    """The icon files PyInstaller puts on the Windows .exe and the macOS .app, from the PNGs."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QImage

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    del app
    out = ROOT / "build" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    wanted = [(ICONS / "app" / "journal-app-256.png", out / "journal-app.ico"),
              (ICONS / "app" / "journal-app-512.png", out / "journal-app.icns")]
    # The file types' icons, for the Windows installer's registry entries.
    wanted += [(ICONS / "mime" / f"{name}-256.png", out / f"{name}.ico") for name in MIME_ICONS]
    for png, target in wanted:
        image = QImage(str(png))
        if image.isNull() or not image.save(str(target)):
            raise SystemExit(f"bundle: could not write {target.relative_to(ROOT)}")


def pyinstaller() -> Path:
    """Run PyInstaller on the shared spec; the one-folder app it made."""
    platform_icons()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(BUILD / "dist"), "--workpath", str(BUILD / "work"),
         str(PACKAGING / "journal-app.spec")],
        cwd=ROOT, check=True,
    )
    return BUILD / "dist" / ("journal-app.app" if sys.platform == "darwin" else "journal-app")


def linux_share(stage: Path, ver: str) -> None:
    """The desktop entry, icons, MIME types and AppStream metainfo, as install.sh copies them."""
    share = stage / "share"
    linux = PACKAGING / "linux"
    (share / "applications").mkdir(parents=True)
    shutil.copy2(linux / f"{APP_ID}.desktop", share / "applications")
    (share / "mime" / "packages").mkdir(parents=True)
    shutil.copy2(linux / "journal-app-mime.xml", share / "mime" / "packages" / "journal-app.xml")
    (share / "metainfo").mkdir(parents=True)
    metainfo = (linux / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    metainfo = metainfo.replace("@VERSION@", ver).replace("@DATE@", release_date())
    (share / "metainfo" / f"{APP_ID}.metainfo.xml").write_text(metainfo, encoding="utf-8")
    hicolor = share / "icons" / "hicolor"
    for kind, names, folder in (("apps", ("journal-app",), ICONS / "app"),
                                ("mimetypes", MIME_ICONS, ICONS / "mime")):
        for name in names:
            scalable = hicolor / "scalable" / kind
            scalable.mkdir(parents=True, exist_ok=True)
            shutil.copy2(folder / f"{name}.svg", scalable / f"{name}.svg")
            for png in folder.glob(f"{name}-*.png"):
                size = png.stem.rsplit("-", 1)[1]
                target = hicolor / f"{size}x{size}" / kind
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(png, target / f"{name}.png")
    for script in ("install.sh", "uninstall.sh"):
        shutil.copy2(linux / script, stage / script)
        (stage / script).chmod(0o755)


def tree_size(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def pack_linux(app: Path, ver: str) -> Path:
    name = f"journal-app-{ver}-linux-{platform.machine()}"
    stage = BUILD / "stage" / name
    shutil.rmtree(stage.parent, ignore_errors=True)
    shutil.copytree(app, stage, symlinks=True)
    linux_share(stage, ver)
    DIST.mkdir(exist_ok=True)
    out = DIST / f"{name}.tar.gz"

    def normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info

    with tarfile.open(out, "w:gz", compresslevel=9) as tar:
        tar.add(stage, arcname=name, filter=normalise)
    print(f"bundle: {out.relative_to(ROOT)}: {out.stat().st_size / 2**20:.1f} MiB packed, "
          f"{tree_size(stage) / 2**20:.1f} MiB unpacked")
    return out


def pack_macos(app: Path, ver: str) -> Path:
    DIST.mkdir(exist_ok=True)
    out = DIST / f"journal-app-{ver}-macos-{platform.machine()}.dmg"
    out.unlink(missing_ok=True)
    subprocess.run(["hdiutil", "create", "-volname", "journal-app", "-srcfolder", str(app),
                    "-fs", "HFS+", "-format", "UDZO", "-ov", str(out)], check=True)
    print(f"bundle: {out.relative_to(ROOT)}: {out.stat().st_size / 2**20:.1f} MiB")
    return out


def pack_windows(app: Path, ver: str) -> Path:
    DIST.mkdir(exist_ok=True)
    folder = DIST / f"journal-app-{ver}-windows-x86_64"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(app, folder)
    print(f"bundle: {folder.relative_to(ROOT)}: {tree_size(folder) / 2**20:.1f} MiB")
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    if iscc is None:
        print("bundle: Inno Setup's iscc is not on the PATH: no installer made")
        return folder
    subprocess.run([iscc, f"/DAppVersion={ver}", f"/DSourceDir={folder}", f"/DOutputDir={DIST}",
                    f"/DIconDir={ROOT / 'build' / 'icons'}",
                    str(PACKAGING / "windows" / "journal-app.iss")], check=True)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true",
                        help="pack the app PyInstaller made last time (no new build)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    ver = version()
    app = BUILD / "dist" / ("journal-app.app" if sys.platform == "darwin" else "journal-app")
    if not (args.reuse and app.exists()):
        app = pyinstaller()
    if sys.platform == "darwin":
        pack_macos(app, ver)
    elif sys.platform == "win32":
        pack_windows(app, ver)
    else:
        pack_linux(app, ver)
    print(f"bundle: built in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
