"""No core dump can hold the journal: while the app or a command runs, RLIMIT_CORE is 0 and the
process is not dumpable (PR_SET_DUMPABLE 0), checked by the kernel's own answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import E2EEnv, ok

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="RLIMIT_CORE and PR_SET_DUMPABLE are checked on Linux")

CHILD = Path(__file__).with_name("core_dump_child.py")
ROOT = Path(__file__).parents[2]


def _child(env: E2EEnv, tmp_path: Path, *args: str) -> dict[str, object]:
    out = tmp_path / "report.json"
    environ = env.env()
    environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), environ.get("PYTHONPATH", "")])
    result = subprocess.run([sys.executable, str(CHILD), str(out), *args], env=environ,
                            input=b"", capture_output=True, timeout=120, check=False,
                            start_new_session=True)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    report: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    return report


def test_a_command_runs_without_core_dumps(vault_env: E2EEnv, tmp_path: Path) -> None:
    report = _child(vault_env, tmp_path, "cli", "list")
    assert report == {"core": [0, 0], "dumpable": 0}


def test_the_app_runs_without_core_dumps(vault_env: E2EEnv, tmp_path: Path) -> None:
    report = _child(vault_env, tmp_path, "gui", str(vault_env.data_dir))
    assert report == {"core": [0, 0], "dumpable": 0}


def _core_limit(pid: int) -> tuple[str, str] | None:
    try:
        text = Path(f"/proc/{pid}/limits").read_text(encoding="utf-8")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("Max core file size"):
            soft, hard = line.split()[4:6]
            return soft, hard
    return None


def test_a_running_command_has_no_core_limit(vault_env: E2EEnv) -> None:
    """``journal-app add`` as users start it, looked at from outside while it waits for the
    text on standard input."""
    proc = subprocess.Popen([*vault_env.command(), "add", "--body-file", "-"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=vault_env.env(),
                            start_new_session=True)
    seen = None
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            seen = _core_limit(proc.pid)
            if seen == ("0", "0"):
                break
            time.sleep(0.02)
        _out, err = proc.communicate(b"Written while it waited.\n", timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err.decode("utf-8", "replace")
    assert seen == ("0", "0")
    assert ok(vault_env, "list").stdout.count("\n") == 1
