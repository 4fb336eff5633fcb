"""Rewrite the lock files from pyproject.toml and say what changed (``make lock``).

Three files, each with a hash for every distribution of every pinned release, resolved for every
platform the app runs on (``--universal``) under the oldest Python it supports:

- ``requirements/run.txt``: what the app needs, and the build backend (``make run``);
- ``requirements/test.txt``: that, plus the test, lint, type-check and packaging tools
  (``make test``, ``make dist-check``, ``make bench``);
- ``requirements/lock-tool.txt``: the resolver itself, for the next ``make lock``.

Each is re-resolved to the newest release that the ranges in pyproject.toml allow. The resolver
is uv; this script only calls it and compares the pins before and after.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQ = ROOT / "requirements"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)(?:\s*;\s*([^\\]+?))?\s*\\?$")

LOCKS: dict[str, list[str]] = {
    "run.txt": ["pyproject.toml", "requirements/build-backend.in"],
    "test.txt": ["pyproject.toml", "requirements/build-backend.in", "--extra", "test"],
    "lock-tool.txt": ["requirements/lock-tool.in"],
}


def pins(path: Path) -> dict[str, str]:
    """Map 'name' (with its environment marker, if any) to the pinned version."""
    found: dict[str, str] = {}
    if not path.exists():
        return found
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match:
            name, version, marker = match.groups()
            key = name.lower() + (f" ; {marker.strip()}" if marker else "")
            found[key] = version
    return found


def changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    lines = []
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if old is None:
            lines.append(f"  + {name} {new}")
        elif new is None:
            lines.append(f"  - {name} {old}")
        else:
            lines.append(f"  ~ {name} {old} -> {new}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uv", default="uv", help="the uv executable")
    args = parser.parse_args(argv)
    changed = False
    for name, sources in LOCKS.items():
        target = REQ / name
        before = pins(target)
        subprocess.run(
            [args.uv, "pip", "compile", "--quiet", "--universal", "--python-version", "3.11",
             "--generate-hashes", "--upgrade", "--custom-compile-command", "make lock",
             *sources, "-o", str(target.relative_to(ROOT))],
            cwd=ROOT, check=True,
        )
        diff = changes(before, pins(target))
        if diff:
            changed = True
            print(f"{target.relative_to(ROOT)}:")
            print("\n".join(diff))
        else:
            print(f"{target.relative_to(ROOT)}: unchanged")
    if changed:
        print("Run make test before committing the new lock files.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
