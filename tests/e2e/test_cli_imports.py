"""Each command loads only what it uses: its import set may not grow past the lists below.

Each command runs in its own interpreter (as ``journal-app`` does) over a small vault, and the
modules it left in ``sys.modules`` are compared with what it is allowed: journal-app's own modules
one by one, other packages by their top-level name. A command that starts importing more fails
here with the modules it gained; if the new import is truly needed (and cheap enough: see
docs/design.md, "Lean commands: what each imports"), add it to the list. The standard library is
not listed module by module (it differs between Python versions), but the costly or networked
parts of it are forbidden everywhere (``socket`` is allowed only to a command that talks to an
unlock agent, over a Unix socket). No timing is asserted: the times are measured in
``make bench-jrnl``.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from journal_app.cli.base import AGENT_COMMANDS
from tests.e2e.conftest import E2EEnv, build_vault, make_env

#: Run in the child: the command, then its modules, one per line, into the file named first.
CHILD = """\
import sys
out, argv = sys.argv[1], sys.argv[2:]
from journal_app.__main__ import main
try:
    code = main(argv)
finally:
    with open(out, "w", encoding="utf-8") as f:
        f.write("\\n".join(sorted(sys.modules)))
sys.exit(code)
"""

#: What an interpreter holds before journal-app runs (site hooks of this environment).
BARE = "import sys; print('\\n'.join(sorted(sys.modules)))"

#: Building the parser and running a command: every command has these, and its own family's
#: module (cli.FAMILIES) but no other.
PARSER = {
    "journal_app", "journal_app.__main__", "journal_app.cli", "journal_app.cli.base",
    "journal_app.cli.io", "journal_app.core", "journal_app.core.errors",
    "journal_app.core.files", "journal_app.core.lazy", "journal_app.core.vault",
    "journal_app.core.vault.hardening",
}
#: The eight commands an unlock agent runs look for one first (cli/agentlink.py: no agent, no
#: socket module).
WRITING = {"journal_app.cli.writing", "journal_app.cli.agentlink"}
CHECKIN = {"journal_app.cli.checkin", "journal_app.cli.agentlink"}
#: Unlocking the vault and reading or writing entries (no SQLAlchemy: see core/vault/store.py).
VAULT = {
    "journal_app.core.dates", "journal_app.core.paths", "journal_app.core.records",
    "journal_app.core.records.attachments", "journal_app.core.records.codec",
    "journal_app.core.records.headers",  # entries' sealed list headers (issue 18)
    "journal_app.core.records.model", "journal_app.core.records.validation",
    "journal_app.core.recovery", "journal_app.core.recovery.backup",
    *(f"journal_app.core.vault.{m}" for m in (
        "careful", "crypto", "held", "images", "importing", "indexing", "integrity", "journal",
        "keyslots", "lock", "manifest", "quickopen", "revisions", "search",
        "sealedindex",  # the search index sealed in segments (issue 18)
        "store", "trash")),
}
#: The check of a saved text against the support lines' phrases.
SEVERE = {"journal_app.core.content", "journal_app.core.practice",
          "journal_app.core.practice.support"}
PROMPTS = {"journal_app.core.content", "journal_app.core.practice",
           "journal_app.core.practice.custom", "journal_app.core.practice.prompts"}
#: Mentor feedback on an entry.
SHARING = {"journal_app.core.sharing", "journal_app.core.sharing.cards",
           "journal_app.core.sharing.packages", "journal_app.core.sharing.service"}
#: A programme: its file, the pack's readers (the shipped content's) and the cards.
PROGRAMME = {"journal_app.cli.programme", "journal_app.core.programme",
             "journal_app.core.programme.service", "journal_app.core.programme.fileformat",
             "journal_app.core.practice.pack", "journal_app.core.practice.support",
             *SHARING, *(PROMPTS - {"journal_app.core.practice.custom"})}
#: Packages other than the standard library: the vault needs cryptography (and cffi's backend
#: under it) and orjson.
#: argon2: the passphrase's Argon2id, its lanes in parallel threads (core/vault/crypto.py).
CRYPTO = {"argon2", "cryptography", "orjson"}

#: command -> (its arguments, journal-app modules allowed, other packages allowed)
ALLOWED: dict[str, tuple[tuple[str, ...], set[str], set[str]]] = {
    "--version": (("--version",), PARSER, set()),
    "support": (("support", "--country", "GB"), PARSER | SEVERE | {"journal_app.cli.support"},
                set()),
    "add": (("add", "--title", "Night shift"), PARSER | WRITING | VAULT | SEVERE, CRYPTO),
    "search": (("search", "grief"), PARSER | WRITING | VAULT, CRYPTO),
    "list": (("list",), PARSER | WRITING | VAULT, CRYPTO),
    "show": (("show", "{id}"), PARSER | WRITING | VAULT | SHARING, CRYPTO),
    "checkin": (("checkin", "--mood", "1", "--energy", "2", "--stress", "3"),
                PARSER | CHECKIN | VAULT, CRYPTO),
    "trends": (("trends",), PARSER | CHECKIN | VAULT | PROMPTS | SHARING | {
        "journal_app.core.practice.assessment", "journal_app.core.practice.daybook",
        "journal_app.core.practice.journal_trends",
        "journal_app.core.practice.trends", "journal_app.core.vault.wordcounts",
        "journal_app.core.vocabulary"}, CRYPTO),
    "prompt": (("prompt",), PARSER | CHECKIN | VAULT | PROMPTS, CRYPTO),
    "programme show": (("programme", "show"), PARSER | VAULT | PROGRAMME, CRYPTO),
    # The inbox reads the received records only: no cards, no package format.
    "inbox": (("inbox",), PARSER | VAULT | {
        "journal_app.cli.mentor", "journal_app.core.sharing",
        "journal_app.core.sharing.inbox", "journal_app.core.vocabulary"}, CRYPTO),
}

#: With an unlock agent running, the same eight commands import only the parser's start, the
#: agent's client and the socket module (AF_UNIX only): no cryptography, no sqlite3, no family.
THROUGH_AGENT = {"journal_app.cli.agentlink", "journal_app.core.paths"}
AGENT_STDLIB = {"socket"}

#: Never loaded by these commands: the GUI, the ORM, the formats' libraries, and the network.
HEAVY = {"PySide6", "shiboken6", "pyqtgraph", "sqlalchemy", "greenlet", "markdown", "nh3",
         "yaml", "pypdf", "PIL", "numpy"}
FORBIDDEN_STDLIB = {"asyncio", "email", "http", "xml", "ssl", "socket", "urllib.request",
                    "multiprocessing", "concurrent", "subprocess", "unittest", "tkinter",
                    "logging"}


def _env(cli: E2EEnv) -> dict[str, str]:
    # Not under coverage's subprocess hook: it would add its own modules.
    return {k: v for k, v in cli.env().items() if not k.startswith("COVERAGE_")}


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> tuple[E2EEnv, str]:
    env = make_env(tmp_path_factory.mktemp("imports") / "cli")
    _key, ids = build_vault(env.data_dir, entries=[
        {"title": "Night shift", "body": "Grief at the end of a long night."}])
    return env, ids[0]


@pytest.fixture(scope="module")
def bare_modules(cli: tuple[E2EEnv, str]) -> set[str]:
    out = subprocess.run([sys.executable, "-c", BARE], env=_env(cli[0]), capture_output=True,
                         text=True, check=True, timeout=60)
    return set(out.stdout.split())


def modules_of(env: E2EEnv, args: tuple[str, ...], tmp: Path) -> set[str]:
    out = tmp / "modules.txt"
    result = subprocess.run([sys.executable, "-c", CHILD, str(out), *args], env=_env(env),
                            input=b"A body of a few words.\n", capture_output=True, timeout=120,
                            start_new_session=True, check=False)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    return set(out.read_text(encoding="utf-8").split())


@pytest.mark.parametrize("command", list(ALLOWED))
def test_a_command_imports_no_more_than_its_list(
        command: str, cli: tuple[E2EEnv, str], bare_modules: set[str], tmp_path: Path) -> None:
    env, entry_id = cli
    args, ours_allowed, packages_allowed = ALLOWED[command]
    loaded = modules_of(env, tuple(a.format(id=entry_id) for a in args), tmp_path) - bare_modules
    check_imports(command, loaded, ours_allowed, packages_allowed)


def check_imports(command: str, loaded: set[str], ours_allowed: set[str],
                  packages_allowed: set[str], stdlib_allowed: frozenset[str] = frozenset(),
                  ) -> None:
    """What ``command`` loaded is exactly its list (journal-app's modules) and no more than
    its packages; nothing heavy, nothing of the forbidden standard library beyond
    ``stdlib_allowed``."""
    ours = {m for m in loaded if m == "journal_app" or m.startswith("journal_app.")}
    tops = {m.split(".")[0] for m in loaded - ours}
    # Other packages by their top-level name; private extension modules ("_cffi_backend") go
    # with the package that loads them.
    packages = {t for t in tops if t not in sys.stdlib_module_names and not t.startswith("_")}
    assert not ours - ours_allowed, (
        f"'{command}' now imports {sorted(ours - ours_allowed)}: import it where it is used, "
        "or add it to ALLOWED if this command truly needs it")
    assert not packages - packages_allowed, (
        f"'{command}' now imports the packages {sorted(packages - packages_allowed)}")
    assert not packages & HEAVY - packages_allowed
    # And the list says what the command needs (a list that only grows guards nothing).
    assert not ours_allowed - ours, (
        f"'{command}' no longer imports {sorted(ours_allowed - ours)}: take it off its list")
    stdlib_bad = {m for m in loaded if m in FORBIDDEN_STDLIB or m.split(".")[0] in FORBIDDEN_STDLIB}
    stdlib_bad = {m for m in stdlib_bad if m.split(".")[0] not in stdlib_allowed}
    assert not stdlib_bad, f"'{command}' imports {sorted(stdlib_bad)}"


#: Cohort contributions (issue 25): the programme's modules (not its command family) and the
#: cohort package; the contribution's truth reads the student's prompts and own templates.
COHORT = {"journal_app.cli.cohort", "journal_app.core.cohort",
          "journal_app.core.cohort.contribution", "journal_app.core.cohort.estimate",
          "journal_app.core.cohort.service", "journal_app.core.vocabulary",
          *(PROGRAMME - {"journal_app.cli.programme"})}
#: A contribution is randomised by OpenDP (the issue asks for it; the mechanism is not written
#: here), loaded only on this path. OpenDP brings numpy, deprecated and wrapt, and its own
#: imports of the standard library (its networked parts among them: it opens no connection).
OPENDP = {"opendp", "numpy", "deprecated", "wrapt"}
OPENDP_STDLIB = frozenset({"asyncio", "concurrent", "email", "logging", "socket", "ssl",
                           "subprocess", "urllib"})
#: command -> (whose journal: "student" or "lead", its arguments (DIR: the drop folder), the
#: journal-app modules allowed, the other packages, the standard library allowed beyond).
COHORT_COMMANDS: dict[str, tuple[str, tuple[str, ...], set[str], set[str], frozenset[str]]] = {
    "cohort contribute": ("student", ("cohort", "contribute", "--out", "{dir}", "--yes"),
                          PARSER | VAULT | COHORT | {"journal_app.core.cohort.mechanism",
                                                     "journal_app.core.practice.custom"},
                          CRYPTO | OPENDP, OPENDP_STDLIB),
    "cohort report": ("lead", ("cohort", "report", "{dir}"), PARSER | VAULT | COHORT, CRYPTO,
                      frozenset()),
}


@pytest.fixture(scope="module")
def programme_cli(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, E2EEnv], Path]:
    """A lead's and an enrolled student's journals (the student joined, a rotation current),
    and the drop folder."""
    from datetime import date, timedelta

    from journal_app.core.vault.crypto import TEST_KDF
    from journal_app.core.vault.journal import Journal
    from tests.e2e.conftest import PASSPHRASE
    from tests.helpers.programme_pack import enrol_student, publish_to

    root = tmp_path_factory.mktemp("cohort")
    envs = {who: make_env(root / who) for who in ("lead", "student")}
    today = date.today()
    rotations = (f'version = 1\n[[rotation]]\nid = "now"\nstart = {today - timedelta(days=3)}'
                 f"\nend = {today + timedelta(days=25)}\n")
    lead = Journal.create(envs["lead"].data_dir, PASSPHRASE, kdf=TEST_KDF)[0]
    student = Journal.create(envs["student"].data_dir, PASSPHRASE, kdf=TEST_KDF)[0]
    with lead, student:
        enrol_student(lead, student)
        publish_to(lead, student, root, rotations)
    (root / "drop").mkdir()
    return envs, root / "drop"


@pytest.mark.parametrize("command", list(COHORT_COMMANDS))
def test_a_cohort_command_imports_no_more_than_its_list(
        command: str, programme_cli: tuple[dict[str, E2EEnv], Path], bare_modules: set[str],
        tmp_path: Path) -> None:
    envs, drop = programme_cli
    who, args, ours_allowed, packages_allowed, stdlib_allowed = COHORT_COMMANDS[command]
    loaded = modules_of(envs[who], tuple(a.format(dir=drop) for a in args),
                        tmp_path) - bare_modules
    check_imports(command, loaded, ours_allowed, packages_allowed, stdlib_allowed)



@pytest.fixture(scope="module")
def agent_cli(cli: tuple[E2EEnv, str]) -> Iterator[tuple[E2EEnv, str]]:
    """The same vault, with an unlock agent running (stopped at the end, by pid if need be)."""
    from tests.helpers.agent import agent_pid, private_runtime, stop

    env, entry_id = cli
    agent_env = E2EEnv(env.root, extra=dict(env.extra))
    private_runtime(agent_env)
    result = agent_env.run("unlock", env=_env(agent_env))
    pid = agent_pid(agent_env)
    try:
        assert result.returncode == 0, result.stderr
        yield agent_env, entry_id
    finally:
        stop(agent_env, [pid] if pid else [])


#: The commands of ALLOWED that an agent answers (cli.base.AGENT_COMMANDS); the others ask for
#: the passphrase whether or not an agent runs.
THROUGH_AN_AGENT = [c for c in ALLOWED if c.split()[0] in AGENT_COMMANDS]


@pytest.mark.parametrize("command", THROUGH_AN_AGENT)
def test_through_an_agent_a_command_imports_almost_nothing(
        command: str, agent_cli: tuple[E2EEnv, str], bare_modules: set[str],
        tmp_path: Path) -> None:
    env, entry_id = agent_cli
    args = ALLOWED[command][0]
    loaded = modules_of(env, tuple(a.format(id=entry_id) for a in args), tmp_path) - bare_modules
    ours = {m for m in loaded if m == "journal_app" or m.startswith("journal_app.")}
    tops = {m.split(".")[0] for m in loaded - ours}
    packages = {t for t in tops if t not in sys.stdlib_module_names and not t.startswith("_")}
    assert ours == PARSER | THROUGH_AGENT, (
        f"'{command}' through an agent imports {sorted(ours ^ (PARSER | THROUGH_AGENT))} "
        "more or less than its list")
    assert packages == set(), f"'{command}' through an agent imports {sorted(packages)}"
    assert "sqlite3" not in loaded and "cryptography" not in tops
    stdlib_bad = {m for m in loaded if m.split(".")[0] in FORBIDDEN_STDLIB - AGENT_STDLIB}
    assert not stdlib_bad, f"'{command}' imports {sorted(stdlib_bad)}"
    assert "socket" in loaded  # and it did go through the agent


# ============================================================================ one family loaded


def test_the_families_list_is_what_the_families_register() -> None:
    """cli.FAMILIES (read before any family is imported) names each family's commands, in the
    order of --help, exactly as the families register them."""
    import argparse

    from journal_app.cli import FAMILIES, build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    registered: dict[str, list[str]] = {}
    for name, command in sub.choices.items():
        family = command.get_default("func").__module__.rsplit(".", 1)[1]
        registered.setdefault(family, []).append(name)
    assert {f: tuple(c) for f, c in registered.items()} == FAMILIES
    assert list(registered) == list(FAMILIES)


EVERY = "every"


@pytest.mark.parametrize(("argv", "families"), [
    (["add", "--title", "x"], ("writing",)),
    (["--json", "search", "grief"], ("writing",)),
    (["--data-dir", "list", "list"], ("writing",)),  # the folder's name is no command
    (["--data-dir=trends", "--pass", "p", "checkin"], ("checkin",)),  # abbreviated, as argparse
    (["export", "--format", "json", "--out", "x"], ("interchange",)),
    (["backup", "create"], ("backup",)),
    (["sync", "now", "--json"], ("sync",)),
    (["support", "--help"], ("support",)),
    (["--version"], ()),
    ([], ()),  # the app
    (["--demo", "mentor", "--data-dir", "x"], ()),
    (["-h", "add"], EVERY),  # the whole help
    (["--demo", "add"], EVERY),  # not a kind of demo: the whole parser says so
    (["ad"], EVERY),  # no such command: the whole parser says so
    (["--no-such-option", "add"], EVERY),
])
def test_only_the_family_of_the_command_is_loaded(
        argv: list[str], families: tuple[str, ...] | str) -> None:
    from journal_app.cli import FAMILIES, families_for

    assert families_for(argv) == (tuple(FAMILIES) if families == EVERY else families)


#: ``sync now`` (over a journal set up to sync): the vault, the sync package, no more.
SYNC = {"journal_app.cli.sync", "journal_app.core.sync", "journal_app.core.sync.base",
        "journal_app.core.sync.logs", "journal_app.core.sync.snapshots",
        "journal_app.core.sync.clock",
        "journal_app.core.sync.engine", "journal_app.core.sync.folder",
        "journal_app.core.sync.merge", "journal_app.core.sync.state",
        "journal_app.core.sync.wire", "journal_app.core.vault.passwords",
        "journal_app.core.content"}


def test_sync_now_imports_no_more_than_its_list(bare_modules: set[str], tmp_path: Path) -> None:
    from journal_app.core.sync import engine
    from journal_app.core.vault.crypto import TEST_KDF
    from journal_app.core.vault.journal import Journal

    good = "Quiet ward, seventh floor, 3 a.m. rounds!"
    env = make_env(tmp_path / "cli", good)
    with Journal.create(env.data_dir, good, TEST_KDF)[0] as journal:
        journal.add_entry(title="Night shift", body="Grief.")
        engine.setup(journal, env.root / "sync", "laptop", good,
                     engine.SyncParams(folder_kdf=TEST_KDF, vault_kdf=TEST_KDF))
    loaded = modules_of(env, ("sync", "now"), tmp_path) - bare_modules
    ours = {m for m in loaded if m == "journal_app" or m.startswith("journal_app.")}
    allowed = PARSER | VAULT | SYNC
    assert ours - allowed == set(), sorted(ours - allowed)
    assert allowed - ours == set(), sorted(allowed - ours)
    packages = {m.split(".")[0] for m in loaded - ours}
    assert not packages & HEAVY
    assert not {m for m in loaded if m.split(".")[0] in FORBIDDEN_STDLIB}
