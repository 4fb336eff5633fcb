"""scripts/restructure.py on a small repository: the move, the rewriting, and the runs after it.

(restructure.py: leave this file as it is; its names are those of the small repository.)
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "restructure.py"

FILES = {
    "journal_app/__init__.py": '__version__ = "0"\n',
    "journal_app/core/__init__.py": '"""The core."""\n',
    "journal_app/core/errors.py": "class JournalError(Exception):\n    pass\n",
    # The packages the script makes load their names through the project's own loader.
    "journal_app/core/lazy.py": (SCRIPT.parents[1] / "journal_app/core/lazy.py").read_text(),
    "journal_app/core/vault.py": (
        "from .errors import JournalError\n\n\n"
        "class KeySlot(JournalError):\n    pass\n\n\n"
        "def derive() -> int:\n    return 1\n"
    ),
    "journal_app/core/journal.py": (
        "from . import vault\nfrom .vault import KeySlot\n\n\n"
        "class Journal:\n    slot = KeySlot\n    key = vault.derive\n"
    ),
    "journal_app/core/sharing.py": (
        '"""Over :class:`journal_app.core.journal.Journal`."""\n\n'
        "from .journal import Journal\n\n\n"
        "def identity() -> str:\n    return Journal.__name__\n"
    ),
    "journal_app/core/content.py": (
        "from pathlib import Path\n\nTOP = Path(__file__).resolve().parents[2]\n"
    ),
    "journal_app/core/backup.py": (
        "from pathlib import Path\n\nfrom .. import __version__\n\n"
        "TOP = Path(__file__).resolve().parents[2]\n"
    ),
    "journal_app/core/newthing.py": "X = 1\n",
    "journal_app/ui/__init__.py": "",
    "journal_app/ui/editor.py": (
        "from ..core import sharing\nfrom ..core.journal import Journal\n"
        "from ..core.vault import KeySlot\n\n\n"
        "def who() -> str:\n    return sharing.identity() + Journal.__name__ + KeySlot.__name__\n"
    ),
    "tests/__init__.py": "",
    "tests/test_x.py": (
        "from journal_app.core import journal\n\n\n"
        "def test_x(monkeypatch):\n"
        '    monkeypatch.setattr("journal_app.core.vault.derive", lambda: 2)\n'
        "    assert journal.Journal\n"
    ),
    "pyproject.toml": 'only = ["journal_app/core/journal.py"]\n',
    "docs/design.md": "Backups (`core/backup.py`) and `journal_app.core.sharing`.\n",
}


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=root,
                          check=True, capture_output=True, text=True).stdout


def load(root: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The script, with the small repository as its root (it takes the working directory)."""
    monkeypatch.chdir(root)
    spec = importlib.util.spec_from_file_location("restructure_under_test", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # its dataclasses look themselves up
    spec.loader.exec_module(module)
    return module


def run_python(root: Path, code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], cwd=root, check=True,
                          capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "flat")
    return tmp_path


def test_the_move_rewrites_every_reference(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert load(repo, monkeypatch).main(["--no-ruff"]) == 0
    out = capsys.readouterr().out
    assert "journal_app.core.model: no such module, skipped" in out
    assert "journal_app.core.newthing" in out.split("Loose modules no entry maps")[1]

    core = repo / "journal_app" / "core"
    assert not (core / "vault.py").exists() and not (core / "journal.py").exists()
    journal = (core / "vault" / "journal.py").read_text()
    assert "from journal_app.core.vault import crypto as vault\n" in journal
    assert "from journal_app.core.vault.crypto import KeySlot\n" in journal
    assert "from journal_app.core.vault.journal import Journal\n" in (
        core / "sharing" / "service.py").read_text()
    assert "journal_app.core.vault.journal.Journal" in (core / "sharing" / "service.py").read_text()
    backup = (core / "recovery" / "backup.py").read_text()
    assert "from journal_app import __version__\n" in backup
    assert "parents[3]" in backup  # one level deeper, the same folder
    assert "parents[2]" in (core / "content.py").read_text()  # did not move

    # The UI goes through the packages; the sharing module became the package's service.
    editor = (repo / "journal_app" / "ui" / "writing" / "editor.py").read_text()
    assert "from journal_app.core import sharing\n" in editor
    assert "from journal_app.core.vault import Journal\n" in editor
    assert "from journal_app.core.vault import KeySlot\n" in editor
    assert '"Journal": "journal"' in (core / "vault" / "__init__.py").read_text()
    assert '"identity": "service"' in (core / "sharing" / "__init__.py").read_text()

    test = (repo / "tests" / "test_x.py").read_text()
    assert "from journal_app.core.vault import journal\n" in test
    assert '"journal_app.core.vault.crypto.derive"' in test
    assert "journal_app/core/vault/journal.py" in (repo / "pyproject.toml").read_text()
    docs = (repo / "docs" / "design.md").read_text()
    assert "`core/recovery/backup.py`" in docs
    assert "`journal_app.core.sharing.service`" in docs

    assert run_python(repo, "from journal_app.ui.writing.editor import who; print(who())") == (
        "JournalJournalKeySlot")
    # The package loads its names when used: importing it imports none of its modules.
    assert run_python(repo, "import sys, journal_app.core.vault as v; "
                            "print('journal_app.core.vault.journal' in sys.modules, v.Journal.slot "
                            "is v.KeySlot, 'journal_app.core.vault.journal' in sys.modules)") == (
        "False True True")


def test_a_second_run_changes_nothing(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load(repo, monkeypatch).main(["--no-ruff"])
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "moved")
    load(repo, monkeypatch).main(["--no-ruff"])
    assert git(repo, "status", "--porcelain") == ""
    load(repo, monkeypatch).main(["--rewrite", "--no-ruff"])
    assert git(repo, "status", "--porcelain") == ""


def test_rewrite_only_fixes_code_merged_later(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load(repo, monkeypatch).main(["--no-ruff"])
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "moved")
    # Written against the old layout: core.vault meant the keys module, core.sharing the service.
    late = repo / "journal_app" / "ui" / "late.py"
    late.write_text("from ..core.vault import KeySlot, derive\nfrom ..core import sharing\n"
                    "from .editor import who\n\n\n"
                    "def late() -> str:\n"
                    "    return f'{derive()}{KeySlot.__name__}{sharing.identity()}'\n")
    (repo / "tests" / "test_late.py").write_text(
        'TARGET = "journal_app.core.vault.derive"\nOTHER = "journal_app.core.vault.Journal"\n')
    load(repo, monkeypatch).main(["--rewrite", "--no-ruff", "--allow-dirty"])
    text = late.read_text()
    assert "from journal_app.core.vault import KeySlot, derive\n" in text
    assert "from journal_app.ui.writing.editor import who\n" in text
    assert '"derive": "crypto"' in (repo / "journal_app" / "core" / "vault" / "__init__.py"
                                    ).read_text()
    # A name of the old module is rewritten; a name of the new package is left alone.
    assert (repo / "tests" / "test_late.py").read_text() == (
        'TARGET = "journal_app.core.vault.crypto.derive"\n'
        'OTHER = "journal_app.core.vault.Journal"\n')
    assert run_python(repo, "from journal_app.ui.late import late; print(late())") == (
        "1KeySlotJournal")
