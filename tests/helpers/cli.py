"""Run ``journal-app`` as a separate process with its own HOME, TMPDIR and XDG folders."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass
class CliEnv:
    root: Path

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def passphrase_file(self) -> Path:
        return self.root / "secrets" / "passphrase"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JOURNAL_APP_", "XDG_"))}
        home = self.root / "home"
        tmp = self.root / "tmp"
        for d in (home, tmp, home / ".config", home / ".local" / "share", home / ".cache"):
            d.mkdir(parents=True, exist_ok=True)
        env.update(
            HOME=str(home),
            TMPDIR=str(tmp),
            XDG_CONFIG_HOME=str(home / ".config"),
            XDG_DATA_HOME=str(home / ".local" / "share"),
            XDG_CACHE_HOME=str(home / ".cache"),
            XDG_RUNTIME_DIR=str(tmp),
            JOURNAL_APP_DATA_DIR=str(self.data_dir),
            JOURNAL_APP_PASSPHRASE_FILE=str(self.passphrase_file),
            QT_QPA_PLATFORM="offscreen",
        )
        return env

    def set_passphrase(self, text: str) -> None:
        self.passphrase_file.parent.mkdir(parents=True, exist_ok=True)
        self.passphrase_file.write_text(text + "\n", encoding="utf-8")

    def command(self) -> list[str]:
        """How the CLI is started (a subclass may start it through a test runner)."""
        return [sys.executable, "-m", "journal_app"]

    def run(self, *args: str, input: str | bytes | None = None, timeout: float = 60,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """Run the CLI detached from any terminal (no /dev/tty), as CI does."""
        data = input.encode() if isinstance(input, str) else input
        proc = subprocess.run(
            [*self.command(), *args],
            input=data if data is not None else b"",
            capture_output=True,
            env=env or self.env(),
            timeout=timeout,
            start_new_session=True,
            check=False,
        )
        return subprocess.CompletedProcess(
            proc.args, proc.returncode, proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"),
        )
