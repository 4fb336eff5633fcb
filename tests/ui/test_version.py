"""One version everywhere: journal_app.__version__ is read by hatchling into the package's
metadata (pyproject.toml, [tool.hatch.version]); --version and the About box show it, and make
bundle (the tarball's name, checked by make test-bundle) and make dist-check (the wheel, and
pipx's journal-app) compare against it."""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path

import pytest

from journal_app import __version__
from journal_app.cli import build_parser
from journal_app.ui.dialogs.about import about_text

ROOT = Path(__file__).resolve().parents[2]


def test_the_metadata_is_the_package_version() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]  # no second copy
    assert importlib.metadata.version("journal-app") == __version__


def test_version_and_about_show_it(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        build_parser(()).parse_args(["--version"])
    assert ended.value.code == 0
    assert capsys.readouterr().out.strip() == f"journal-app {__version__}"
    assert about_text().startswith(f"# journal-app {__version__}\n")
