"""The command line package keeps its shape: shared I/O at the bottom, one module per command
family above it, registered the same way, and no import cycle (issue 15)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import journal_app.cli

CLI = Path(journal_app.cli.__file__).parent
#: What each layer of the package may import from the package. The unlock agent (issue 19):
#: its client and its D-Bus ears are shared like base (a key change tells the agent from the
#: security and backup families); its server runs commands through the package's exit point
#: (``__init__.run_command``), so it sits above the families, beside ``__init__``, and only the
#: agent family starts it.
SHARED = {"io": set(), "base": {"io"}, "agentlink": {"io", "base"}, "agentbus": set()}
ABOVE = {"agentserver": {"__init__", "io", "base", "agentlink", "agentbus"}}
FAMILY = {"io", "base", "agentlink"}
EXTRA = {"agent": {"agentserver"}}


def cli_imports(folder: Path) -> dict[str, set[str]]:
    """For each module of the package: the modules of the package it imports, anywhere in it
    (``__init__`` is the package itself)."""
    out: dict[str, set[str]] = {}
    for path in sorted(folder.glob("*.py")):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    found.add(node.module.split(".")[0])
                else:
                    found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                parts = node.module.split(".")
                if parts[:2] == ["journal_app", "cli"]:
                    found.add(parts[2] if len(parts) > 2 else "__init__")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    parts = alias.name.split(".")
                    if parts[:2] == ["journal_app", "cli"]:
                        found.add(parts[2] if len(parts) > 2 else "__init__")
        out[path.stem] = found
    return out


def layering_problems(folder: Path) -> list[str]:
    problems = []
    for module, imports in cli_imports(folder).items():
        if module == "__init__":
            continue
        allowed = SHARED.get(module, ABOVE.get(module, FAMILY | EXTRA.get(module, set())))
        problems.extend(f"{module} imports {name}" for name in sorted(imports - allowed))
    return problems


def test_families_import_only_the_shared_modules() -> None:
    assert layering_problems(CLI) == []


def test_a_family_importing_another_is_found(tmp_path: Path) -> None:
    copy = tmp_path / "cli"
    shutil.copytree(CLI, copy, ignore=shutil.ignore_patterns("__pycache__"))
    sharing = copy / "sharing.py"
    sharing.write_text(sharing.read_text(encoding="utf-8") + "\nfrom .writing import entry_json\n",
                       encoding="utf-8")
    (copy / "io.py").write_text("from . import base\n", encoding="utf-8")
    assert layering_problems(copy) == ["io imports base", "sharing imports writing"]


def test_every_family_registers_the_same_way() -> None:
    families = [m for m in cli_imports(CLI) if m not in {"__init__", *SHARED, *ABOVE}]
    assert sorted(families) == sorted(journal_app.cli.FAMILIES), "each family is in FAMILIES"
    for family in families:
        tree = ast.parse((CLI / f"{family}.py").read_text(encoding="utf-8"))
        register = [n for n in tree.body
                    if isinstance(n, ast.FunctionDef) and n.name == "register"]
        assert len(register) == 1, family
        args = register[0].args
        assert [a.arg for a in args.args] == ["add"], family
        annotation = args.args[0].annotation
        assert annotation is not None and ast.unparse(annotation) == "Add", family


def test_importing_every_cli_module_alone_works() -> None:
    """Each module imports on its own, first: no module needs another to be half-imported."""
    names = sorted(p.stem for p in CLI.glob("*.py") if p.stem != "__init__")
    for name in names:
        subprocess.run([sys.executable, "-c", f"import journal_app.cli.{name}"], check=True,
                       timeout=60)
