"""Unpack the Linux bundle into an empty folder and run it with nothing of ours around it
(``make test-bundle``).

Every run is ``env -i HOME=... ``: no PATH (so no Python, no venv), no variable of the
developer's; the journal goes where the app puts it by itself (platformdirs under that HOME).
It checks that

- ``journal-app --version`` prints the version in the tarball's name, which is the package's;
- ``init`` (the passphrase from a file), ``add`` (the text on stdin), ``search`` finding it and
  ``verify`` work;
- the desktop app starts offscreen, loads completely and shows the lock screen
  (``--smoke-test``, see journal_app/ui/shell/smoke.py);
- the AppStream metainfo passes ``appstreamcli validate`` and the desktop entry
  ``desktop-file-validate`` (each skipped, and said, where the tool is missing);
- install.sh puts the app, the command, the desktop entry, the icons and the MIME types in
  ``~/.local``, the installed command runs, the MIME database (where update-mime-database is
  installed) knows a share package and a mentor card by their content, and uninstall.sh takes
  it all away again but the journal.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_ID = "org.journalapp.JournalApp"
PASSPHRASE = "bundle check passphrase, long enough"  # noqa: S105 - a throwaway journal


def fail(text: str) -> None:
    sys.stderr.write(f"test-bundle: {text}\n")
    raise SystemExit(1)


def bare(home: Path, *args: str, input: str | None = None,
         extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """Run ``args`` under ``env -i HOME=home`` (plus ``extra`` NAME=VALUE pairs)."""
    cmd = ["env", "-i", f"HOME={home}", "LANG=C.UTF-8", *extra, *args]
    result = subprocess.run(cmd, capture_output=True, text=True, input=input, check=False,
                            timeout=300, stdin=None if input is not None else subprocess.DEVNULL)
    if result.returncode != 0:
        fail(f"{' '.join(args)} exited {result.returncode}:\n{result.stdout}{result.stderr}")
    return result


def validate(tool: str, *args: str) -> None:
    if shutil.which(tool) is None:
        print(f"test-bundle: {tool} is not installed: skipped (Debian: apt-get install "
              f"{'appstream' if tool == 'appstreamcli' else 'desktop-file-utils'})")
        return
    result = subprocess.run([tool, *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        fail(f"{tool} {' '.join(args)}:\n{result.stdout}{result.stderr}")
    print(f"test-bundle: {tool}: valid")


def mime_type(home: Path, data: Path, path: Path) -> str:
    """The MIME type the user's shared-mime-info database gives ``path`` (by its content and
    name), through Qt's reader of that database, as a desktop would."""
    code = ("import sys; from PySide6.QtCore import QMimeDatabase;"
            "print(QMimeDatabase().mimeTypeForFile(sys.argv[1]).name())")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                         text=True, check=True,
                         env={"HOME": str(home), "XDG_DATA_HOME": str(data),
                              "XDG_DATA_DIRS": "/usr/share"})
    return out.stdout.strip()


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from journal_app import __version__

    tarballs = sorted((ROOT / "dist").glob(f"journal-app-{__version__}-linux-*.tar.gz"))
    if len(tarballs) != 1:
        fail(f"not one dist/journal-app-{__version__}-linux-*.tar.gz: run make bundle first")
    tarball = tarballs[0]
    work = Path(tempfile.mkdtemp(prefix="journal-bundle-"))
    try:
        started = time.monotonic()
        unpacked = work / "unpacked"
        unpacked.mkdir()
        with tarfile.open(tarball) as tar:
            tar.extractall(unpacked, filter="tar")
        (folder,) = unpacked.iterdir()
        exe = folder / "journal-app"
        home = work / "home"
        home.mkdir()
        (work / "pw").write_text(PASSPHRASE + "\n", encoding="utf-8")
        pw = f"JOURNAL_APP_PASSPHRASE_FILE={work / 'pw'}"

        version = bare(home, str(exe), "--version").stdout.strip()
        if version != f"journal-app {__version__}":
            fail(f"--version printed {version!r}, the package is {__version__}")
        bare(home, str(exe), "init", extra=(pw,))
        journal = home / ".local" / "share" / "journal-app" / "journal.db"
        if not journal.is_file():
            fail(f"init wrote no journal where platformdirs says ({journal})")
        bare(home, str(exe), "add", "--title", "From the bundle", "--tag", "packaging",
             input="written by the unpacked bundle, without Python\n", extra=(pw,))
        found = json.loads(bare(home, str(exe), "search", "bundle", "--json",
                                extra=(pw,)).stdout)
        if not any(hit.get("title") == "From the bundle" for hit in found):
            fail(f"search did not find the entry: {found}")
        bare(home, str(exe), "verify", extra=(pw,))
        smoke = bare(home, str(exe), "--smoke-test", extra=("QT_QPA_PLATFORM=offscreen",))
        print("test-bundle: " + smoke.stdout.strip().splitlines()[-1])
        print(f"test-bundle: {tarball.name}: --version, init, add, search, verify and the "
              f"window offscreen passed with env -i ({time.monotonic() - started:.0f} s)")

        share = folder / "share"
        validate("appstreamcli", "validate", "--no-net",
                 str(share / "metainfo" / f"{APP_ID}.metainfo.xml"))
        validate("desktop-file-validate", str(share / "applications" / f"{APP_ID}.desktop"))

        install_check(work, folder, home)
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def install_check(work: Path, folder: Path, home: Path) -> None:
    path = "PATH=/usr/bin:/bin"  # the desktop tools install.sh calls when present
    bare(home, "/bin/sh", str(folder / "install.sh"), extra=(path,))
    data = home / ".local" / "share"
    lib = home / ".local" / "lib" / "journal-app"
    wanted = [
        home / ".local" / "bin" / "journal-app", lib / "journal-app", lib / "uninstall.sh",
        data / "applications" / f"{APP_ID}.desktop",
        data / "icons" / "hicolor" / "16x16" / "apps" / "journal-app.png",
        data / "icons" / "hicolor" / "512x512" / "apps" / "journal-app.png",
        data / "icons" / "hicolor" / "scalable" / "apps" / "journal-app.svg",
        data / "icons" / "hicolor" / "48x48" / "mimetypes"
        / "application-x-journal-app-share-package.png",
        data / "icons" / "hicolor" / "48x48" / "mimetypes"
        / "application-x-journal-app-mentor-card.png",
        data / "mime" / "packages" / "journal-app.xml",
        data / "metainfo" / f"{APP_ID}.metainfo.xml",
    ]
    missing = [str(p.relative_to(home)) for p in wanted if not p.exists()]
    if missing:
        fail(f"install.sh did not install {missing}")
    entry = (data / "applications" / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    if f'Exec="{lib}/journal-app" %f' not in entry:
        fail("the installed desktop entry does not start the installed app")
    linked = bare(home, str(home / ".local" / "bin" / "journal-app"), "--version")
    if not linked.stdout.startswith("journal-app "):
        fail("the installed command does not run")

    if shutil.which("update-mime-database"):
        package = work / "feedback"  # no suffix: told by its content alone
        package.write_bytes(b"journal-app share package\n\x00\x01rest of it")
        card = work / "tutor.card"
        card.write_text('{\n  "format": "journal-app-card",\n  "version": 1\n}\n')
        kinds = (mime_type(home, data, package), mime_type(home, data, card))
        if kinds != ("application/x-journal-app-share-package",
                     "application/x-journal-app-mentor-card"):
            fail(f"the installed MIME types were not recognised: {kinds}")
        print("test-bundle: the MIME database knows a share package and a mentor card")
    else:
        print("test-bundle: update-mime-database is not installed: MIME lookup not checked "
              "(Debian: apt-get install shared-mime-info)")

    bare(home, "/bin/sh", str(lib / "uninstall.sh"), extra=(path,))
    left = [str(p.relative_to(home)) for p in wanted if p.exists() or p.is_symlink()]
    if left:
        fail(f"uninstall.sh left {left}")
    journal = data / "journal-app" / "journal.db"
    if not journal.is_file():
        fail("uninstall.sh removed the journal")
    print("test-bundle: install.sh and uninstall.sh (~/.local) work; the journal stays")


if __name__ == "__main__":
    sys.exit(main())
