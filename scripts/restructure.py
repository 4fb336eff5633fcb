"""Move journal_app/core and journal_app/ui into the packages of issue 15 item 7; fix every path.

Run at the repository root, on a clean git tree, with the project's venv (for the final import
sort by ruff):

    .venv/bin/python scripts/restructure.py            # git mv per MAPPING, then rewrite
    .venv/bin/python scripts/restructure.py --rewrite  # rewrite only (code merged after the move)
    .venv/bin/python scripts/restructure.py --dry-run  # say what would move, change nothing

What it does:

1. ``git mv`` of each module in :data:`MAPPING` (old dotted name -> new dotted name). An entry
   whose source does not exist is skipped with a note (others may not have added it yet); one
   already moved is taken as done, so the script can run again.
2. Each new package gets an ``__init__.py``: a docstring (:data:`PACKAGES`) and an ``__all__`` of
   what the other layers use (found in the code, below). The names load on first use (PEP 562
   ``__getattr__``), so importing one light inner module (``quickopen`` at start-up) does not
   import the whole package; mypy reads the ``TYPE_CHECKING`` imports.
3. In ``journal_app/``, ``tests/``, ``benchmarks/``, ``scripts/``, ``docs/``, ``pyproject.toml``,
   ``Makefile`` and ``README.md``: every import is found with :mod:`ast` and rewritten (relative
   imports in ``journal_app`` become absolute ones first); ``journal_app.ui`` and
   ``journal_app.cli`` import the names of a core package from the package
   (``from journal_app.core.vault import Journal``), not from its inner modules. Outside import
   statements, dotted module names (mock and monkeypatch targets, ``python -m``, ``:mod:``
   references) and file paths (``journal_app/core/backup.py``, ``core/backup.py`` in the docs,
   the coverage floors, mutmut's list, ruff's per-file ignores) are rewritten as whole names.
4. ``Path(__file__).parents[N]`` in a module that moved deeper gets N + the depth it gained.
5. ``ruff check --select I,RUF022 --fix`` sorts the rewritten import blocks and ``__all__``.
   Comment and docstring lines a longer name pushed past 100 characters are broken at a space.

Text between "restructure.py: new layout from here" and "... to here" (the import-linter
contracts) and files that say "restructure.py: leave this file as it is" are not rewritten.

At the end it lists the loose modules of core/ and ui/ that no entry maps (add them to MAPPING
or to :data:`LOOSE` and run again) and the imports it left pointing at an inner module.
"""

from __future__ import annotations

import argparse
import ast
import functools
import io
import re
import subprocess
import sys
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

# --- The shape -------------------------------------------------------------------------------
# Old dotted module -> new dotted module. Entries marked "(new)" are modules other branches of
# issue 15 were adding when this was written; the names are guesses: a missing source is skipped.
_C = "journal_app.core"
_U = "journal_app.ui"
MAPPING: dict[str, str] = {
    # core/records: the domain records and their strict conversion; no I/O.
    f"{_C}.model": f"{_C}.records.model",
    f"{_C}.codec": f"{_C}.records.codec",
    f"{_C}.attachments": f"{_C}.records.attachments",
    f"{_C}.importable": f"{_C}.records.importable",
    f"{_C}.validation": f"{_C}.records.validation",  # (new) one set of validators
    # core/vault: keys, the store, the lock, the journal service and its parts, the search index.
    f"{_C}.vault": f"{_C}.vault.crypto",
    f"{_C}.store": f"{_C}.vault.store",
    f"{_C}.vaultlock": f"{_C}.vault.lock",
    f"{_C}.journal": f"{_C}.vault.journal",
    f"{_C}.search": f"{_C}.vault.search",
    f"{_C}.quickopen": f"{_C}.vault.quickopen",
    f"{_C}.rotation": f"{_C}.vault.rotation",
    f"{_C}.careful": f"{_C}.vault.careful",
    f"{_C}.passwords": f"{_C}.vault.passwords",
    f"{_C}.hardening": f"{_C}.vault.hardening",
    f"{_C}.manifest": f"{_C}.vault.manifest",  # (new) manifest upkeep
    f"{_C}.index": f"{_C}.vault.index",  # (new) search index catch-up and snapshots
    f"{_C}.snapshots": f"{_C}.vault.snapshots",  # (new)
    f"{_C}.blobs": f"{_C}.vault.blobs",  # (new) attachments in the vault
    f"{_C}.attachment_store": f"{_C}.vault.attachment_store",  # (new)
    f"{_C}.stored_attachments": f"{_C}.vault.stored_attachments",  # (new)
    f"{_C}.verify": f"{_C}.vault.verify",  # (new) integrity checks
    f"{_C}.integrity": f"{_C}.vault.integrity",  # (new)
    f"{_C}.keys": f"{_C}.vault.keys",  # (new) key changes
    f"{_C}.keychange": f"{_C}.vault.keychange",  # (new)
    f"{_C}.imports": f"{_C}.vault.imports",  # (new) the import-duplicate rule
    f"{_C}.duplicates": f"{_C}.vault.duplicates",  # (new)
    f"{_C}.purge": f"{_C}.vault.purge",  # (new)
    f"{_C}.appstate": f"{_C}.vault.appstate",  # (new)
    f"{_C}.images": f"{_C}.vault.images",  # attachments' images: add, read, one check
    f"{_C}.importing": f"{_C}.vault.importing",  # imports and the one duplicate rule
    f"{_C}.indexing": f"{_C}.vault.indexing",  # the search index kept in step
    f"{_C}.keyslots": f"{_C}.vault.keyslots",  # the key slots and key checks
    f"{_C}.revisions": f"{_C}.vault.revisions",  # earlier versions of entries
    f"{_C}.trash": f"{_C}.vault.trash",  # the trash of entries and attachments
    f"{_C}.held": f"{_C}.vault.held",  # the records held decrypted, and lists derived
    # core/recovery: getting a journal back.
    f"{_C}.backup": f"{_C}.recovery.backup",
    f"{_C}.copies": f"{_C}.recovery.copies",
    f"{_C}.salvage": f"{_C}.recovery.salvage",
    f"{_C}.repair": f"{_C}.recovery.repair",
    f"{_C}.restore": f"{_C}.recovery.restore",  # (new)
    # core/practice: prompts, reflection, check-ins and what is read from them.
    f"{_C}.prompts": f"{_C}.practice.prompts",
    f"{_C}.custom": f"{_C}.practice.custom",
    f"{_C}.followup": f"{_C}.practice.followup",
    f"{_C}.series": f"{_C}.practice.series",
    f"{_C}.assessment": f"{_C}.practice.assessment",
    f"{_C}.support": f"{_C}.practice.support",
    f"{_C}.trends": f"{_C}.practice.trends",
    f"{_C}.wording": f"{_C}.practice.wording",
    f"{_C}.readings": f"{_C}.practice.readings",  # (new) the sentences under the charts
    f"{_C}.reflection": f"{_C}.practice.reflection",  # (new) the reflection body's Markdown
    f"{_C}.reflections": f"{_C}.practice.reflections",  # (new)
    f"{_C}.trends_setup": f"{_C}.practice.trends_setup",  # (new)
    f"{_C}.journal_trends": f"{_C}.practice.journal_trends",  # the one trends set-up
    f"{_C}.reflection_text": f"{_C}.practice.reflection_text",  # the reflection body
    # core/sharing: identities, mentor cards, share packages and the sharing service.
    f"{_C}.cards": f"{_C}.sharing.cards",
    f"{_C}.packages": f"{_C}.sharing.packages",
    f"{_C}.sharing": f"{_C}.sharing.service",
    # core/interchange (exists): formats, plus the portfolio and the review of exports.
    f"{_C}.portfolio": f"{_C}.interchange.portfolio",
    f"{_C}.export_review": f"{_C}.interchange.review",
    f"{_C}.formats": f"{_C}.interchange.formats",  # (new)
    # core/demo: the invented journal of `journal-app --demo`.
    f"{_C}.demo": f"{_C}.demo.entries",
    f"{_C}.demo_sharing": f"{_C}.demo.sharing",
    f"{_C}.demo_mentor": f"{_C}.demo.mentor",
    # ui/shell: start-up, the main window and what runs beside it.
    f"{_U}.app": f"{_U}.shell.app",
    f"{_U}.mainwindow": f"{_U}.shell.mainwindow",
    f"{_U}.single": f"{_U}.shell.single",
    f"{_U}.platform_lock": f"{_U}.shell.platform_lock",
    f"{_U}.gcguard": f"{_U}.shell.gcguard",
    f"{_U}.readonly": f"{_U}.shell.readonly",
    f"{_U}.menus": f"{_U}.shell.menus",  # (new)
    f"{_U}.demo": f"{_U}.shell.demo",
    f"{_U}.qtlibs": f"{_U}.shell.qtlibs",
    # ui/writing: the journal page, the editor, the guided reflection.
    f"{_U}.journalpage": f"{_U}.writing.journalpage",
    f"{_U}.editor": f"{_U}.writing.editor",
    f"{_U}.entrylist": f"{_U}.writing.entrylist",
    f"{_U}.attachments": f"{_U}.writing.attachments",
    f"{_U}.reflection": f"{_U}.writing.reflection",
    f"{_U}.depth": f"{_U}.writing.depth",
    f"{_U}.checklist": f"{_U}.writing.checklist",  # (new) the entry checklist widget
    f"{_U}.entry_checklist": f"{_U}.writing.entry_checklist",  # (new)
    # ui/practice: check-ins, self-assessments, support.
    f"{_U}.checkin": f"{_U}.practice.checkin",
    f"{_U}.assessment": f"{_U}.practice.assessment",
    f"{_U}.support": f"{_U}.practice.support",
    f"{_U}.quickcheckin": f"{_U}.practice.quickcheckin",
    # ui/trends: the dashboard, its charts and the PDF summary.
    f"{_U}.dashboard": f"{_U}.trends.dashboard",
    f"{_U}.charts": f"{_U}.trends.charts",
    f"{_U}.summary_pdf": f"{_U}.trends.summary_pdf",
    f"{_U}.trend_charts": f"{_U}.trends.trend_charts",
    f"{_U}.dialogs.base": f"{_U}.edit_dialog",  # used by screens and dialogs alike
    # ui/interchange: export and import dialogs, the PDF formats, the review of what leaves.
    f"{_U}.dialogs.exporter": f"{_U}.interchange.exporter",
    f"{_U}.dialogs.importer": f"{_U}.interchange.importer",
    f"{_U}.portfolio": f"{_U}.interchange.portfolio",
    f"{_U}.deid_review": f"{_U}.interchange.deid_review",
    f"{_U}.pdf_formats": f"{_U}.interchange.pdf_formats",  # (new) Qt formats by name
    f"{_U}.formats": f"{_U}.interchange.formats",  # (new)
    # ui/dialogs, ui/pages, ui/sharing stay as they are (ui/edit_dialog.py (new) stays too).
}

#: Modules that stay loose on purpose: shared leaves of core, the foundation of ui. Anything else
#: left loose is reported.
LOOSE: set[str] = {
    *(f"{_C}.{m}" for m in (
        "errors", "dates", "files", "paths", "content", "markup", "syncdirs", "deid", "lazy",
        "vocabulary",  # (new) every label the UI and the exports show
        "sentences",  # (new) an error as a sentence, if parts adds it to core
    )),
    *(f"{_U}.{m}" for m in (
        "session", "worker", "theme", "widgets", "uisettings", "markdown_view",
        "backups", "reminders",  # the backup and reminder schedulers, used by dialogs too
        "messages",  # (new) the message catalogue
        "edit_dialog",  # the base of the dialogs where the user writes (was ui/dialogs/base.py)
    )),
}

#: The docstring of each package the script creates.
PACKAGES: dict[str, str] = {
    f"{_C}.records": "The records of a vault: domain dataclasses, their checks and their strict "
    "JSON form.\n\nNo I/O and no keys: every other core package builds on this one.",
    f"{_C}.vault": "The vault: keys and sealing, the SQLite store, the lock, the search index and "
    "the journal\nservice, the single door the app and the command line both use.",
    f"{_C}.recovery": "Getting a journal back: encrypted backups and restore, the copies a restore "
    "or repair\nleaves, salvage of a damaged journal, and the words of a manifest repair.",
    f"{_C}.practice": "Reflective practice over the journal's records: prompts and templates, "
    "check-in follow-ups,\nseries, self-assessments, support lines, trends and their readings.",
    f"{_C}.sharing": "Sharing with a mentor: identities and mentor cards, share packages, and the "
    "service over the\njournal that makes and reads them. Never imports journal_app.ui.",
    f"{_C}.demo": "The demo journal (``journal-app --demo``): invented entries, check-ins and "
    "sharing.",
    f"{_U}.shell": "The app's shell: start-up, the main window, one app per vault, locking "
    "with the screen, the\nread-only banner.",
    f"{_U}.writing": "Writing: the journal page, the entry list and editor, attachments and the "
    "guided reflection.",
    f"{_U}.practice": "Practice screens: the check-in, the self-assessments and the support "
    "panel.",
    f"{_U}.trends": "The trends dashboard, its charts (pyqtgraph lives only here) and the PDF "
    "summary.",
    f"{_U}.interchange": "Exports and imports in the app: the dialogs, the PDF formats and the "
    "de-identification\nreview of whatever leaves the journal.",
}

#: Core packages the other layers (ui, cli) import through ``__init__``: their ``__all__``.
FACADE_ROOT = _C
SCAN_DIRS = ("journal_app", "tests", "benchmarks", "scripts", "docs")
SCAN_FILES = ("pyproject.toml", "Makefile", "README.md")
TEXT_SUFFIXES = {".py", ".md", ".toml", ".txt", ".cfg", ".ini", ".rst", ".yml", ".yaml"}
ROOT = Path.cwd()
LINE_LENGTH = 100

DOTTED = re.compile(r"(?<![\w.])journal_app(?:\.[A-Za-z_]\w*)+")
PATH = re.compile(r"(?<![\w/.-])(journal_app/)?((?:core|ui)(?:/\w+)*\.py)\b")
FROM_MODULE = re.compile(r"from\s+(\.*[\w.]*)\s+import\b")
SKIP_FILE = "restructure.py: leave this file as it is"
KEEP_FROM = "restructure.py: new layout from here"
KEEP_TO = "restructure.py: new layout to here"
PRAGMA = re.compile(r"#\s*(type:|noqa|pragma|mypy:)")
PARENTS = re.compile(r"(__file__\)(?:\.resolve\(\))?\.parents\[)(\d+)(\])")


def module_path(dotted: str) -> Path:
    return ROOT / (dotted.replace(".", "/") + ".py")


def package_of(dotted: str) -> str:
    return dotted.rpartition(".")[0]


def dotted_of(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@dataclass
class Layout:
    """The rename table and the modules that exist after the move."""

    renames: dict[str, str]
    fresh: set[str]  # old names moved by this run: every text still means the old module
    modules: set[str] = field(default_factory=set)  # every module and package in journal_app
    defined: dict[str, set[str]] = field(default_factory=dict)  # module -> top-level names

    def __post_init__(self) -> None:
        for path in (ROOT / "journal_app").rglob("*.py"):
            name = dotted_of(path)
            self.modules.add(name)
            if name in self.renames.values():
                self.defined[name] = top_level_names(path)
        self.ambiguous = {old for old in self.renames if old in self.modules}
        self.old_names = {new: old for old, new in self.renames.items()}
        self.created = set(self.renames.values()) | set(PACKAGES)
        #: What each package's __init__ exports already (a later run keeps it).
        self.exported = {
            package: {name: module for name, module in
                      existing_exports(module_path(package + ".__init__")).items()
                      if f"{package}.{module}" in self.modules}
            for package in PACKAGES}

    def is_new_package(self, dotted: str) -> bool:
        return dotted in PACKAGES

    def map_module(self, dotted: str, tail: Iterable[str] = ()) -> str:
        """The new name of a dotted reference (a module, or a module and attributes after it)."""
        parts = dotted.split(".")
        rest = list(tail)
        for i in range(len(parts), 1, -1):
            prefix = ".".join(parts[:i])
            after = parts[i:] + rest
            if prefix in self.created and prefix not in self.renames:
                return dotted  # a name of the new layout already
            if prefix in self.renames:
                if prefix in self.ambiguous and prefix not in self.fresh:
                    # Moved by an earlier run, and now also a package: the name means the old
                    # module only when what follows is one of that module's own names.
                    target = self.renames[prefix]
                    if (not after or after[0] not in self.defined.get(target, set())
                            or after[0] in self.exported.get(prefix, {})):
                        return dotted
                return ".".join([self.renames[prefix], *parts[i:]])
            if prefix in self.modules:
                return dotted
        return dotted


def top_level_names(path: Path) -> set[str]:
    names: set[str] = set()
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (SyntaxError, UnicodeDecodeError):
        return names
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


@dataclass
class Report:
    moved: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    inner: list[str] = field(default_factory=list)  # ui/cli imports left on an inner module
    notes: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    long: list[str] = field(default_factory=list)  # code lines now past the line length


# --- Moving ----------------------------------------------------------------------------------
def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout


def move(report: Report, dry_run: bool) -> dict[str, str]:
    """git mv every mapped module that exists; the renames now in effect."""
    renames: dict[str, str] = {}
    for old, new in MAPPING.items():
        src, dst = module_path(old), module_path(new)
        if src.is_file() and dst.exists():
            report.notes.append(f"both {old} and {new} exist: not moved, merge them by hand")
            continue
        if not src.is_file():
            if dst.is_file():
                renames[old] = new  # moved by an earlier run
            else:
                report.skipped.append(f"{old}: no such module, skipped")
            continue
        renames[old] = new
        report.moved.append(f"{old} -> {new}")
        if dry_run:
            continue
        for package in packages_down_to(new):
            init = module_path(package + ".__init__")
            init.parent.mkdir(parents=True, exist_ok=True)
            if not init.exists():
                init.write_text(init_text(package, {}), encoding="utf-8")
                git("add", str(init.relative_to(ROOT)))
        git("mv", str(src.relative_to(ROOT)), str(dst.relative_to(ROOT)))
    return renames


def packages_down_to(dotted: str) -> list[str]:
    parts = dotted.split(".")[:-1]
    return [".".join(parts[:i]) for i in range(2, len(parts) + 1)]


def already_moved() -> dict[str, str]:
    return {old: new for old, new in MAPPING.items()
            if not module_path(old).is_file() and module_path(new).is_file()}


# --- Rewriting --------------------------------------------------------------------------------
def files_to_scan() -> list[Path]:
    tracked = set(git("ls-files", *SCAN_DIRS, *SCAN_FILES).splitlines())
    others = set(git("ls-files", "--others", "--exclude-standard", *SCAN_DIRS).splitlines())
    return sorted(ROOT / p for p in tracked | others
                  if (ROOT / p).is_file() and ROOT / p != Path(__file__).resolve()
                  and (Path(p).suffix in TEXT_SUFFIXES or Path(p).name == "Makefile"))


def wrap_long_lines(text: str, before: str) -> str:
    """Break the comment and docstring lines a longer name pushed past the line length (only the
    lines this script changed, and never one with a pragma comment)."""
    unchanged = set(before.splitlines())
    lines = text.splitlines(keepends=True)
    if not any(len(line.rstrip("\n")) > LINE_LENGTH for line in lines):
        return text
    prose: dict[int, str] = {}  # line number (1-based) -> "comment" or "string"
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                prose[tok.start[0]] = "comment"
            elif tok.type == tokenize.STRING and tok.string.lstrip("rbuRBUfF")[:3] in ('"""',
                                                                                    "'''"):
                for number in range(tok.start[0], tok.end[0] + 1):
                    prose.setdefault(number, "string")
    except (tokenize.TokenError, SyntaxError):
        return text
    out: list[str] = []
    for number, line in enumerate(lines, start=1):
        body = line.rstrip("\n")
        kind = prose.get(number)
        if body in unchanged or PRAGMA.search(body):
            kind = None
        while kind and len(body) > LINE_LENGTH:
            indent = body[: len(body) - len(body.lstrip())]
            cut = body.rfind(" ", len(indent) + 1, LINE_LENGTH + 1)
            if cut <= len(indent) + 2:
                break
            head, rest = body[:cut].rstrip(), body[cut + 1 :]
            if kind == "comment":
                if "#" not in body[:cut]:
                    break
                rest = indent + "# " + rest
            else:
                rest = indent + rest
            out.append(head + "\n")
            body = rest
        out.append(body + line[len(line.rstrip("\n")):])
    return "".join(out)


def line_offsets(text: str) -> list[int]:
    offsets = [0]
    for line in text.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    return offsets


def char_offset(text_lines: list[str], offsets: list[int], lineno: int, col_bytes: int) -> int:
    line = text_lines[lineno - 1]
    return offsets[lineno - 1] + len(line.encode("utf-8")[:col_bytes].decode("utf-8"))


def attributes_used(tree: ast.AST, local: str) -> set[str]:
    return {node.attr for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id == local}


class Rewriter:
    def __init__(self, layout: Layout, report: Report) -> None:
        self.layout = layout
        self.report = report
        #: package -> exported name -> inner module (last part) it comes from
        self.before: dict[Path, set[str]] = {}  # the lines of each changed file before
        self.exports: dict[str, dict[str, str]] = {
            package: dict(names) for package, names in layout.exported.items()}

    # The facade: which core package a ui/cli import goes through.
    def facade(self, module: str, here: str) -> str | None:
        package = package_of(module)
        if not self.layout.is_new_package(package) or not package.startswith(FACADE_ROOT):
            return None
        if not here.startswith("journal_app.") or here.startswith(FACADE_ROOT):
            return None
        return package

    def export(self, package: str, name: str, inner: str) -> bool:
        table = self.exports.setdefault(package, {})
        submodules = {m.rpartition(".")[2] for m in self.layout.modules
                      if package_of(m) == package}
        if name in submodules or table.get(name, inner) != inner:
            return False
        table[name] = inner
        return True

    def rewrite_import_from(self, node: ast.ImportFrom, here: str, is_package: bool,
                            tree: ast.AST, path: Path) -> list[tuple[str, str, str | None]] | None:
        """(module, name, asname) for each name, or None when nothing changes."""
        if node.level:
            # Relative imports were written where the module was before it moved.
            origin = self.layout.old_names.get(here, here)
            base = origin.split(".") if is_package else origin.split(".")[:-1]
            if node.level > 1:
                base = base[: len(base) - (node.level - 1)]
            absolute = ".".join([*base, *([node.module] if node.module else [])])
        else:
            absolute = node.module or ""
        if not (absolute == "journal_app" or absolute.startswith("journal_app.")):
            return None
        layout = self.layout
        out: list[tuple[str, str, str | None]] = []
        for alias in node.names:
            name, asname = alias.name, alias.asname
            full = f"{absolute}.{name}"
            mapped_full = layout.map_module(full)
            if full in layout.modules or full in layout.renames:
                local = asname or name
                package = self.facade(mapped_full, here)
                if package and package.rpartition(".")[2] == local:
                    used = attributes_used(tree, local)
                    inner = mapped_full.rpartition(".")[2]
                    if all(self.export(package, a, inner) for a in sorted(used)):
                        out.append((package_of(package), local, None))
                        continue
                parent, _, last = mapped_full.rpartition(".")
                out.append((parent, last, local if local != last else None))
                if self.facade(mapped_full, here):
                    self.report.inner.append(f"{path.relative_to(ROOT)}: import of module "
                                             f"{mapped_full} as {local}")
                continue
            module = layout.map_module(absolute, [name])
            package = self.facade(module, here)
            if package and self.export(package, name, module.rpartition(".")[2]):
                out.append((package, name, asname))
                continue
            if package:
                self.report.inner.append(f"{path.relative_to(ROOT)}: {name} from {module}")
            out.append((module, name, asname))
        original = [(absolute if not node.level else "", a.name, a.asname) for a in node.names]
        if not node.level and out == original:
            return None
        return out

    def rewrite_file(self, path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        if SKIP_FILE in text:
            return
        edits: list[tuple[int, int, str]] = []
        import_spans: list[tuple[int, int]] = []
        lines = text.splitlines(keepends=True)
        offsets = line_offsets(text)
        if path.suffix == ".py":
            try:
                tree = ast.parse(text)
            except SyntaxError as exc:
                self.report.notes.append(f"{path.relative_to(ROOT)}: not parsed ({exc})")
                tree = None
            if tree is not None:
                here = dotted_of(path)
                is_package = path.name == "__init__.py"
                for node in ast.walk(tree):
                    if not isinstance(node, (ast.Import, ast.ImportFrom)):
                        continue
                    assert node.end_lineno is not None and node.end_col_offset is not None
                    start = char_offset(lines, offsets, node.lineno, node.col_offset)
                    end = char_offset(lines, offsets, node.end_lineno, node.end_col_offset)
                    import_spans.append((start, end))
                    new = self.import_text(node, here, is_package, tree, path, text[start:end])
                    if new is not None:
                        indent = " " * (start - offsets[node.lineno - 1])
                        edits.append((start, end, new.replace("\n", "\n" + indent)))
        # Text written for the new layout already (the import-linter contracts) is left alone.
        for begin in re.finditer(re.escape(KEEP_FROM), text):
            finish = text.find(KEEP_TO, begin.end())
            import_spans.append((begin.start(), len(text) if finish < 0 else finish))
        for match in DOTTED.finditer(text):
            if any(s <= match.start() < e for s, e in import_spans):
                continue
            new = self.layout.map_module(match.group())
            if new != match.group():
                edits.append((match.start(), match.end(), new))
        for match in PATH.finditer(text):
            if any(s <= match.start() < e for s, e in import_spans):
                continue
            prefix, rel = match.group(1) or "", match.group(2)
            dotted = "journal_app." + rel.removesuffix(".py").replace("/", ".")
            new = self.layout.map_module(dotted)
            if new != dotted and new in self.layout.modules:
                new_rel = new.removeprefix("journal_app.").replace(".", "/") + ".py"
                edits.append((match.start(), match.end(), prefix + new_rel))
        if not edits:
            return
        edits.sort()
        pieces, last = [], 0
        for start, end, new_text in edits:
            if start < last:
                continue  # overlapping (a dotted name inside a path): the first edit wins
            pieces.append(text[last:start])
            pieces.append(new_text)
            last = end
        pieces.append(text[last:])
        new_text_all = "".join(pieces)
        if path.suffix == ".py":
            new_text_all = wrap_long_lines(new_text_all, text)
        if new_text_all != text:
            path.write_text(new_text_all, encoding="utf-8")
            self.report.changed.append(str(path.relative_to(ROOT)))
            if path.suffix == ".py":
                self.before[path] = set(text.splitlines())

    def import_text(self, node: ast.Import | ast.ImportFrom, here: str, is_package: bool,
                    tree: ast.AST, path: Path, source: str) -> str | None:
        if isinstance(node, ast.Import):
            changed = False
            parts = []
            for alias in node.names:
                new = self.layout.map_module(alias.name)
                changed |= new != alias.name
                parts.append(new + (f" as {alias.asname}" if alias.asname else ""))
            return "import " + ", ".join(parts) if changed else None
        out = self.rewrite_import_from(node, here, is_package, tree, path)
        if out is None:
            return None
        modules = list(dict.fromkeys(m for m, _, _ in out))
        same_names = [(n, a) for _, n, a in out] == [(a.name, a.asname) for a in node.names]
        if len(modules) == 1 and same_names:
            match = FROM_MODULE.match(source)
            if match:  # keep the statement's own layout; change the module only
                return source[: match.start(1)] + modules[0] + source[match.end(1):]
        statements = []
        for module in modules:
            names = ", ".join(n + (f" as {a}" if a else "") for m, n, a in out if m == module)
            statements.append(f"from {module} import {names}")
        return "\n".join(statements)


# --- Packages' __init__ ------------------------------------------------------------------------
INIT_MARK = "# Made by scripts/restructure.py: what the other layers use, and the module it is in."


def init_text(package: str, exports: dict[str, str]) -> str:
    doc = PACKAGES.get(package, f"The {package.rpartition('.')[2]} package.")
    out = [f'"""{doc}\n"""\n' if "\n" in doc else f'"""{doc}"""\n']
    if not exports:
        out.append("\n__all__: list[str] = []\n")
        return "".join(out)
    out.append("\nfrom __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\n"
               "from journal_app.core.lazy import loader\n\nif TYPE_CHECKING:\n")
    by_module: dict[str, list[str]] = {}
    for name, module in sorted(exports.items()):
        by_module.setdefault(module, []).append(name)
    for module, names in sorted(by_module.items()):
        out.append(f"    from {package}.{module} import {', '.join(sorted(names))}\n")
    out.append(f"\n{INIT_MARK}\n# Loaded on first use (PEP 562): importing one inner module "
               "does not import them all.\n_EXPORTS: dict[str, str] = {\n")
    out.extend(f'    "{name}": "{module}",\n' for name, module in sorted(exports.items()))
    out.append("}\n\n__all__ = [\n")
    out.extend(f'    "{name}",\n' for name in sorted(exports, key=isort_key))
    out.append("]\n\n\nif not TYPE_CHECKING:\n    __getattr__ = loader(__name__, _EXPORTS)\n")
    return "".join(out)


def isort_key(name: str) -> tuple[int, str]:
    """The order ruff keeps ``__all__`` in: CONSTANTS, then Classes, then the rest."""
    if name.isupper() or (name.upper() == name and any(c.isalpha() for c in name)):
        return 0, name
    return (1 if name[:1].isupper() else 2), name


def existing_exports(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                and node.target.id == "_EXPORTS" and node.value is not None):
            value = ast.literal_eval(node.value)
            if isinstance(value, dict):
                return {str(k): str(v) for k, v in value.items()}
    return {}


def write_inits(rewriter: Rewriter, layout: Layout, report: Report) -> None:
    for package in sorted(PACKAGES):
        init = module_path(package + ".__init__")
        if not init.parent.is_dir():
            continue
        exports = existing_exports(init)
        exports = {n: m for n, m in exports.items() if f"{package}.{m}" in layout.modules}
        exports.update(rewriter.exports.get(package, {}))
        text = init_text(package, exports)
        if not init.is_file() or init.read_text(encoding="utf-8") != text:
            init.write_text(text, encoding="utf-8")
            report.changed.append(str(init.relative_to(ROOT)))


def deeper(match: re.Match[str], depth: int) -> str:
    return f"{match.group(1)}{int(match.group(2)) + depth}{match.group(3)}"


def fix_file_paths(renames: dict[str, str], report: Report) -> None:
    """``Path(__file__).parents[N]`` in a module that went deeper reaches as far as before."""
    for old, new in renames.items():
        path = module_path(new)
        depth = new.count(".") - old.count(".")
        if not path.is_file() or depth == 0:
            continue
        text = path.read_text(encoding="utf-8")
        if "__file__" not in text:
            continue
        fixed = PARENTS.sub(functools.partial(deeper, depth=depth), text)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")
            report.notes.append(f"{new}: Path(__file__).parents[...] raised by {depth}")
        elif ".parent" in text:
            report.notes.append(f"{new}: uses __file__ and .parent: check it by hand")


def loose_modules() -> list[str]:
    found = []
    for package in ("journal_app/core", "journal_app/ui"):
        for path in sorted((ROOT / package).glob("*.py")):
            name = dotted_of(path)
            if path.name != "__init__.py" and name not in LOOSE and name not in MAPPING:
                found.append(name)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rewrite", action="store_true",
                        help="rewrite only: no git mv (for code merged after the move)")
    parser.add_argument("--dry-run", action="store_true", help="say what would move")
    parser.add_argument("--allow-dirty", action="store_true", help="run on a changed tree")
    parser.add_argument("--no-ruff", action="store_true", help="do not sort imports with ruff")
    args = parser.parse_args(argv)
    if not (ROOT / "journal_app" / "core").is_dir():
        print("Run this at the repository root.", file=sys.stderr)
        return 2
    if not args.allow_dirty and not args.dry_run and git("status", "--porcelain").strip():
        print("The git tree has changes: commit them first (or --allow-dirty).", file=sys.stderr)
        return 2
    report = Report()
    earlier = already_moved()
    renames = earlier if args.rewrite else move(report, args.dry_run)
    if args.dry_run:
        print("\n".join(["Would move:", *report.moved, *report.skipped]))
        print("\n".join(["Left loose and unmapped:", *loose_modules()]))
        return 0
    layout = Layout(renames, fresh=set(renames) - set(earlier))
    rewriter = Rewriter(layout, report)
    for path in files_to_scan():
        rewriter.rewrite_file(path)
    write_inits(rewriter, layout, report)
    fix_file_paths({old: new for old, new in renames.items() if old in layout.fresh}, report)
    ruff = ROOT / ".venv" / "bin" / "ruff"
    if not args.no_ruff and ruff.exists():
        subprocess.run([str(ruff), "check", "--quiet", "--select", "I,RUF022", "--fix",
                        "journal_app", "tests", "benchmarks", "scripts"], cwd=ROOT, check=False)
    for path, before in rewriter.before.items():
        report.long.extend(
            f"{path.relative_to(ROOT)}:{number}"
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if len(line) > LINE_LENGTH and line not in before and not PRAGMA.search(line))
    inits = [str(module_path(p + ".__init__").relative_to(ROOT)) for p in sorted(PACKAGES)
             if module_path(p + ".__init__").is_file()]
    if inits:
        git("add", *inits)
    print(f"Moved {len(report.moved)} modules; rewrote {len(set(report.changed))} files.")
    for title, lines in (("Skipped:", report.skipped), ("Notes:", report.notes),
                         ("ui/cli imports left on an inner core module:", report.inner),
                         ("Lines now over 100 characters (break them by hand):",
                          report.long),
                         ("Loose modules no entry maps (add to MAPPING or LOOSE):",
                          loose_modules())):
        if lines:
            print(title)
            print("\n".join(f"  {line}" for line in sorted(set(lines))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
