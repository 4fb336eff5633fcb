"""Build the wheel, install it into a fresh venv and run it from outside the repository.

This proves that a non-editable install works: the entry point exists, ``prompts/`` and
``resources/`` ship inside the package (and not as top-level packages of site-packages), and a
real journal can be created, written and searched with ``python -I`` from a folder that is not
the checkout. The fresh venv installs the runtime lock file (``requirements/run.txt``, with
``--require-hashes``), then our wheel without dependencies: the same set that ``make run`` installs,
so the wheel is checked against exactly the releases it was tested with.

Then ``pipx install`` of the wheel and of the checkout (the README's two ways) each give a
``journal-app`` that prints the wheel's version and reads that journal.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(
    cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None,
    input: str | None = None,
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        cmd, capture_output=True, text=True, check=False, cwd=cwd, env=env, input=input
    )
    if result.returncode != 0:
        sys.stderr.write(f"dist-check: {' '.join(map(str, cmd))} failed\n")
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(1)
    return result


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="journal-dist-"))
    try:
        dist = work / "dist"
        run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
            cwd=ROOT)
        (wheel,) = dist.glob("*.whl")
        names = zipfile.ZipFile(wheel).namelist()
        tops = {n.split("/")[0] for n in names}
        assert tops <= {"journal_app", f"{wheel.name.split('-')[0]}-{wheel.name.split('-')[1]}"
                        ".dist-info"}, f"unexpected top-level entries in the wheel: {tops}"
        for needed in ("journal_app/prompts/emotions.toml",
                       "journal_app/resources/licenses/THIRD-PARTY.md",
                       "journal_app/resources/spelling/medical-terms-en.txt.gz",
                       "journal_app/resources/spelling/journal-words.txt",
                       "journal_app/resources/licenses/medical-terms-en.txt",
                       "journal_app/core/vault/journal.py"):
            assert needed in names, f"{needed} missing from the wheel"

        venv = work / "venv"
        run([sys.executable, "-m", "venv", str(venv)])
        py = venv / "bin" / "python"
        run([str(py), "-m", "pip", "install", "--quiet", "--require-hashes",
             "-r", str(ROOT / "requirements" / "run.txt")])
        run([str(py), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)])

        outside = work / "elsewhere"
        outside.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith("JOURNAL_APP_")}
        env.update(HOME=str(work / "home"), JOURNAL_APP_DATA_DIR=str(work / "vault"),
                   QT_QPA_PLATFORM="offscreen", TMPDIR=str(work))
        (work / "pw").write_text("dist check passphrase\n")
        env["JOURNAL_APP_PASSPHRASE_FILE"] = str(work / "pw")
        probe = run(
            [str(py), "-I", "-c",
             "import journal_app, journal_app.core.content as c;"
             "print(journal_app.__file__);"
             "print(c.content_dir('prompts'));"
             "print(len(c.emotion_words()));"
             # Spell checking works from the wheel: the library's word list, the medical one.
             "from journal_app.core.spelling import Speller, dictionary;"
             "s = Speller(dictionary('en'));"
             "print(s.flagged('midazolam recieve')[0][2])"],
            cwd=outside, env=env,
        )
        package_file, prompts_dir, words, flagged = probe.stdout.split()
        assert flagged == "recieve", f"spell checking from the wheel flagged {flagged}"
        assert package_file.startswith(str(venv)), f"imported from {package_file}, not the venv"
        assert prompts_dir.startswith(str(venv)), f"prompts found at {prompts_dir}"
        assert int(words) > 0
        exe = venv / "bin" / "journal-app"
        run([str(exe), "--version"], cwd=outside, env=env)
        run([str(py), "-I", "-m", "journal_app", "init"], cwd=outside, env=env)
        run([str(exe), "add", "--title", "dist check", "--tag", "packaging"],
            cwd=outside, env=env, input="written from an installed wheel\n")
        found = run([str(exe), "search", "wheel", "--json"], cwd=outside, env=env)
        assert '"dist check"' in found.stdout, "the entry written was not found"
        run([str(exe), "verify"], cwd=outside, env=env)
        print(f"dist-check: {wheel.name} installs and runs from outside the repository")
        pipx_check(work, wheel, env)
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def constraints(work: Path) -> Path:
    """requirements/run.txt's pins without their hashes (pip takes no hashes in a constraints
    file): pipx installs the releases the app was tested with."""
    out = work / "constraints.txt"
    pins = []
    for line in (ROOT / "requirements" / "run.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip().removesuffix("\\").strip()
        if "==" in line and not line.startswith(("#", "--")):
            pins.append(line)
    out.write_text("\n".join(pins) + "\n", encoding="utf-8")
    return out


def pipx_check(work: Path, wheel: Path, env: dict[str, str]) -> None:
    """``pipx install`` of the wheel, and of the checkout (as the README tells users), each
    giving a ``journal-app`` whose --version is the wheel's version."""
    version = wheel.name.split("-")[1]
    pipx_env = {k: v for k, v in os.environ.items() if not k.startswith(("PIPX_", "JOURNAL_"))}
    for name, source in (("wheel", str(wheel)), ("checkout", str(ROOT))):
        home = work / f"pipx-{name}"
        pipx_env.update(PIPX_HOME=str(home), PIPX_BIN_DIR=str(home / "bin"),
                        PIPX_MAN_DIR=str(home / "man"), PIPX_DEFAULT_PYTHON=sys.executable)
        run([sys.executable, "-m", "pipx", "install", "--quiet",
             f"--pip-args=--constraint={constraints(work)}", source], env=pipx_env)
        exe = home / "bin" / ("journal-app.exe" if sys.platform == "win32" else "journal-app")
        shown = run([str(exe), "--version"], cwd=work, env=env).stdout.strip()
        assert shown == f"journal-app {version}", f"pipx ({name}): {shown}, wheel {version}"
        found = run([str(exe), "search", "wheel", "--json"], cwd=work, env=env)
        assert '"dist check"' in found.stdout, f"pipx ({name}): the entry was not found"
    print(f"dist-check: pipx install of the wheel and of the checkout give journal-app "
          f"{version}")


if __name__ == "__main__":
    sys.exit(main())
