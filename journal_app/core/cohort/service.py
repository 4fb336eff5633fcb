"""Cohort contributions over the journal service: the student's offer and contribution, and
the lead's report (issue 25; docs/design.md, "Cohort contributions").

Student: once per rotation, one item of the rotation is drawn uniformly (``secrets``), its true
value is computed from the student's own writing in the rotation's dates, randomised by OpenDP
with the rotation's whole epsilon, and the draw is kept sealed in the vault (declining and asking
again shows the same draw). Sending spends the epsilon from the programme's lifetime budget
(stored first, in one transaction) and writes one file.

Lead: every file under a folder is opened with the programme's cohort key and checked; each
accepted contribution counts toward exactly one item of its rotation; the report gives each
item's debiased estimate with a 95% interval (:mod:`journal_app.core.cohort.estimate`).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from journal_app.core.cohort.contribution import (
    MAX_CONTRIBUTION_BYTES,
    Contribution,
    Refused,
    open_contribution,
    seal_contribution,
)
from journal_app.core.cohort.estimate import Estimate, estimate
from journal_app.core.errors import (
    CohortError,
    ContactsChangedError,
    JournalError,
    NotInProgrammeError,
    UsageError,
)
from journal_app.core.files import write_private_file
from journal_app.core.practice.pack import (
    CohortItem,
    Pack,
    Rotation,
    current_rotation,
    pack_of,
    rotations,
)
from journal_app.core.records.model import (
    MAX_COHORT_FOLDERS,
    CheckIn,
    CohortBudget,
    Entry,
    Reflection,
    SelfAssessment,
    new_id,
)
from journal_app.core.sharing.cards import Card, b64, card_of, check_x25519, identity_keys

if TYPE_CHECKING:
    from journal_app.core.vault.journal import Journal


# ==================================================================== the truth, locally


def _in(rotation: Rotation, when: datetime) -> bool:
    return rotation.start <= when.astimezone().date() < rotation.end


def true_value(item: CohortItem, rotation: Rotation, entries: Sequence[Entry],
               checkins: Sequence[CheckIn], assessments: Sequence[SelfAssessment],
               facet_of: Mapping[str, str], template_facets: Mapping[str, Sequence[str]],
               ) -> str:
    """The student's true answer to ``item`` for ``rotation``, from their own records dated in
    it: a facet reflected on (a prompt of that facet answered, or a guided reflection whose
    template works on it), an encounter met (an entry or a check-in naming it), or the band of
    the competency self-assessment's rating (the latest in the rotation)."""
    if item.kind == "facet":
        for entry in entries:
            if not _in(rotation, entry.created):
                continue
            if any(facet_of.get(p) == item.source for p in entry.prompt_ids):
                return "yes"
            if isinstance(entry, Reflection) and item.source in template_facets.get(
                    entry.template_id, ()):
                return "yes"
        return "no"
    if item.kind == "encounter":
        met = any(e.encounter == item.source and _in(rotation, e.created) for e in entries) \
            or any(c.encounter == item.source and _in(rotation, c.created) for c in checkins)
        return "yes" if met else "no"
    rated = [a for a in assessments if a.form == "competency" and _in(rotation, a.created)
             and item.source in a.ratings]
    if not rated:
        return "not rated"
    level = max(rated, key=lambda a: a.created).ratings[item.source]
    return "1-2" if level <= 2 else "3" if level == 3 else "4-5"


def _truth_of(journal: Journal, item: CohortItem, rotation: Rotation) -> str:
    from journal_app.core.practice.custom import library_with_custom
    from journal_app.core.practice.prompts import load_library

    library = library_with_custom(load_library(), journal)
    return true_value(item, rotation, journal.entries(), journal.checkins(),
                      journal.records(SelfAssessment), {p.id: p.facet for p in library.prompts},
                      {t.id: t.facets for t in library.templates.values()})


# ==================================================================== the student's side


@dataclass(frozen=True)
class Membership:
    """The programme joined, as contributing needs it."""

    name: str
    #: The fingerprint compared at joining (the budget is kept under it).
    fingerprint: str
    pack: Pack
    rotations: tuple[Rotation, ...]
    cohort_key: bytes
    card: Card


def membership(journal: Journal) -> Membership:
    """The programme joined, with this journal's card on its enrolment list.

    Raises:
        NotInProgrammeError: none joined, not enrolled, or its file has no cohort key.
    """
    from journal_app.core.programme.fileformat import parse_programme
    from journal_app.core.programme.service import joined
    from journal_app.core.sharing.service import identity

    member = joined(journal)
    if member is None:
        raise NotInProgrammeError("This journal has not joined a programme: there is nothing"
                                  " to contribute to. Nothing was sent.")
    made = parse_programme(member.file.encode("utf-8"), held=True)
    me = identity(journal)
    mine = card_of(me) if me is not None else None
    if mine is None or not any(c.same_keys(mine) for c in made.students):
        raise NotInProgrammeError(f"Your card is not on {made.name}'s enrolment list, so the"
                                  " programme would refuse a contribution. Nothing was sent.")
    if not made.cohort_key:
        raise NotInProgrammeError(f"{made.name}'s file has no key for cohort contributions;"
                                  " ask the lead for a newer version. Nothing was sent.")
    pack = pack_of(made.pack)
    return Membership(made.name, member.joined_fingerprint, pack,
                      rotations(pack, date.fromisoformat(made.founded)), made.cohort_key, mine)


def _budget(journal: Journal, fingerprint: str) -> CohortBudget | None:
    found = [b for b in journal.records(CohortBudget) if b.programme == fingerprint]
    return min(found, key=lambda b: (b.created, b.id)) if found else None


def _spent(budget: CohortBudget | None) -> list[tuple[str, float]]:
    out = []
    for line in budget.spent if budget else ():
        rotation, _sep, eps = line.rpartition(" ")
        out.append((rotation, float(eps)))
    return out


@dataclass(frozen=True)
class Offer:
    """What one contribution would send, drawn once for the rotation."""

    programme: str
    fingerprint: str
    rotation: Rotation
    #: The items of the rotation (one of them is reported).
    items: tuple[CohortItem, ...]
    item: CohortItem
    #: The randomised answer that would leave (never the true one).
    value: str
    epsilon: float
    contribution_id: str
    lifetime: float
    spent_before: float
    sender: Card

    @property
    def left_after(self) -> float:
        return self.lifetime - self.spent_before - self.epsilon

    def keep_percent(self) -> int:
        from journal_app.core.cohort.estimate import keep_probability

        return round(100 * keep_probability(self.epsilon, len(self.item.categories)))

    def words(self) -> list[str]:
        """Exactly what will leave, in words: the same in the app and on the command line."""
        others = ("the other answer" if len(self.item.categories) == 2
                  else "one of the other answers, at random")
        return [
            f"One contribution to {self.programme}'s cohort report, for the rotation"
            f" {self.rotation.id} ({self.rotation.start:%d %b} to {self.rotation.end:%d %b %Y}).",
            f"It will carry your card ({self.sender.name}), so the programme will know that"
            " you contributed; it is encrypted so that only the programme's lead can open it.",
            f"It answers one item, drawn at random from the rotation's {len(self.items)}:"
            f" “{self.item.label}”.",
            f"The answer sent: “{self.value}”. It is randomised: your true answer with a"
            f" {self.keep_percent()}% chance, otherwise {others}. Nobody, not even the"
            " programme, can tell which; only answers of many students together say"
            " something.",
            f"Privacy budget: this spends epsilon {self.epsilon:g} of your lifetime"
            f" {self.lifetime:g} with {self.programme} ({self.spent_before:g} spent before,"
            f" {self.left_after:g} left after).",
            "Nothing else leaves: no entry, no check-in, no reflection, no date, no word you"
            " wrote.",
        ]


def _rotation(member: Membership, rotation_id: str | None, today: date) -> Rotation:
    if rotation_id is None:
        now = current_rotation(member.rotations, today)
        if now is None:
            raise UsageError(f"No rotation of {member.name} is current; name one with"
                             " --rotation ID. Nothing was sent.")
        return now
    for rotation in member.rotations:
        if rotation.id == rotation_id:
            if rotation.start > today:
                raise UsageError(f"The rotation {rotation_id} has not started yet; nothing"
                                 " was sent.")
            return rotation
    raise UsageError(f"{member.name} has no rotation {rotation_id!r}; nothing was sent.")


def offer(journal: Journal, rotation_id: str | None = None,
          today: date | None = None) -> Offer:
    """The contribution for ``rotation_id`` (the current rotation by default): drawn now (one
    item uniformly, its true value randomised) and kept sealed, or the draw kept before.

    Raises:
        NotInProgrammeError: not enrolled in a programme (exit 2).
        UsageError: no such rotation, or none current.
        CohortError: already contributed this rotation, or the lifetime budget is spent.
    """
    member = membership(journal)
    rotation = _rotation(member, rotation_id, today or date.today())
    budget = _budget(journal, member.fingerprint)
    spent = _spent(budget)
    if any(r == rotation.id for r, _e in spent):
        raise CohortError(f"You already contributed to {member.name} for the rotation"
                          f" {rotation.id}; one contribution a rotation.")
    total = sum(e for _r, e in spent)
    lifetime = member.pack.lifetime_epsilon
    if total + rotation.epsilon > lifetime + 1e-9:
        raise CohortError(f"Your lifetime privacy budget with {member.name} is spent"
                          f" ({total:g} of {lifetime:g}); no more contributions can be made.")
    items = rotation.cohort_items
    kept = _pending(budget, rotation, items)
    if kept is None:
        from journal_app.core.cohort.mechanism import randomise

        item = items[secrets.randbelow(len(items))]
        value = randomise(_truth_of(journal, item, rotation), item.categories,
                          rotation.epsilon)
        kept = (item, value, secrets.token_hex(16))
        _store(journal, member.fingerprint, budget, lambda b: replace(b, pending=json.dumps(
            {"rotation": rotation.id, "item": item.id, "value": value,
             "epsilon": rotation.epsilon, "id": kept[2]})))
    item, value, contribution_id = kept
    return Offer(member.name, member.fingerprint, rotation, items, item, value,
                 rotation.epsilon, contribution_id, lifetime, total, member.card)


def _pending(budget: CohortBudget | None, rotation: Rotation,
             items: Sequence[CohortItem]) -> tuple[CohortItem, str, str] | None:
    if budget is None or not budget.pending:
        return None
    try:
        draw = json.loads(budget.pending)
        item = next(i for i in items if i.id == draw["item"])
        if draw["rotation"] != rotation.id or draw["epsilon"] != rotation.epsilon \
                or draw["value"] not in item.categories:
            return None
        return item, str(draw["value"]), str(draw["id"])
    except (ValueError, KeyError, TypeError, StopIteration):
        return None


def _store(journal: Journal, fingerprint: str, before: CohortBudget | None,
           change: Callable[[CohortBudget], CohortBudget]) -> CohortBudget:
    base = before or CohortBudget(id=new_id(), programme=fingerprint)
    after = change(base)

    def unchanged() -> None:
        if _budget(journal, fingerprint) != before:
            raise ContactsChangedError("The contribution changed meanwhile (in another window"
                                       " or a command); nothing was sent. Try again.")

    journal.add_records([after], check=unchanged)
    return after


@dataclass(frozen=True)
class DropFolder:
    """Where a contribution goes on this computer when no folder is named (``--out``)."""

    #: The folder; None: it must be chosen (``--out DIR``, or a folder in the app).
    folder: Path | None
    #: The programme's drop folder as its signed pack names it ("" when it names none).
    hint: str = ""
    #: How it was found: "programme" (the pack's folder is here), "chosen" (chosen on this
    #: computer for the pack's folder), "last" (the pack names none: the last one used here),
    #: "" (none).
    source: str = ""

    def sentence(self, programme: str) -> str:
        """Where the file will go, or what to choose: the same words in the app and the CLI."""
        if self.folder is not None and self.source == "programme":
            return f"It will be written into {programme}'s drop folder, {self.folder}."
        if self.folder is not None and self.source == "chosen":
            return (f"It will be written into {self.folder}: the folder you chose on this"
                    f" computer for {programme}'s drop folder (“{self.hint}”).")
        if self.folder is not None:
            return f"It will be written into {self.folder}, the folder used last time."
        if self.hint:
            return (f"{programme} collects contributions in “{self.hint}”, which is not a folder"
                    " on this computer (a shared drive may be mounted under another name here,"
                    " or not at all just now). Choose that folder; it is remembered for this"
                    " computer.")
        return (f"Choose the folder {programme}'s lead collects contributions in (its drop"
                " folder; the programme's file names none).")


def _usable(text: str) -> Path | None:
    """``text`` as a folder of this computer, if it is an absolute path that exists here."""
    try:
        path = Path(text).expanduser()
        return path if path.is_absolute() and path.is_dir() else None
    except (OSError, RuntimeError, ValueError):  # no home folder; a name the system refuses
        return None


def _chosen(budget: CohortBudget | None) -> list[tuple[str, str]]:
    """The folders contributions went to, most recent first: (the pack's folder then, it)."""
    out: list[tuple[str, str]] = []
    for text in budget.folders if budget else ():
        try:
            hint, folder = json.loads(text)
        except (ValueError, TypeError):
            continue
        if isinstance(hint, str) and isinstance(folder, str):
            out.append((hint, folder))
    if budget and budget.drop_folder:
        out.append(("", budget.drop_folder))
    return out


def drop_folder(journal: Journal) -> DropFolder:
    """The folder a contribution goes to on this computer when none is named: the programme's
    drop folder (its signed pack's ``drop_folder``) when it exists here; else the folder chosen
    on this computer for it (a shared drive is mounted under another name on each computer:
    of the folders chosen, the most recent that exists here); with no drop folder in the pack,
    the last folder used that exists here; else none (to be chosen)."""
    try:
        member = membership(journal)
    except NotInProgrammeError:
        return DropFolder(None)
    hint = member.pack.drop_folder
    chosen = _chosen(_budget(journal, member.fingerprint))
    if hint:
        here = _usable(hint)
        if here is not None:
            return DropFolder(here, hint, "programme")
        for then, folder in chosen:
            found = _usable(folder) if then == hint else None
            if found is not None:
                return DropFolder(found, hint, "chosen")
        return DropFolder(None, hint)
    for _then, folder in chosen:
        found = _usable(folder)
        if found is not None:
            return DropFolder(found, "", "last")
    return DropFolder(None)


def _remember(budget: CohortBudget, hint: str, folder: Path) -> tuple[str, ...]:
    """``budget.folders`` with ``folder`` first (for the pack's folder ``hint``)."""
    try:
        text = json.dumps([hint, str(folder.resolve())], ensure_ascii=False)
        text.encode("utf-8")
    except (OSError, RuntimeError, UnicodeEncodeError):  # a name that is not text: not kept
        return budget.folders
    return (text, *(f for f in budget.folders if f != text))[:MAX_COHORT_FOLDERS]


def contribute(journal: Journal, made: Offer, folder: Path) -> Path:
    """Send the offer: the budget is spent in the vault first (one transaction, checked again
    inside it), then the file is written into ``folder``. A failed write leaves the budget
    spent (as a published version number is never reused): nothing is sent twice.

    Raises:
        CohortError: the draw changed or was sent meanwhile.
        JournalError: the folder cannot be written.
    """
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

    from journal_app.core.sharing.service import identity

    if not folder.is_dir():
        raise UsageError("That folder does not exist; nothing was sent.")
    me = identity(journal)
    assert me is not None
    _x, signer = identity_keys(me)
    member = membership(journal)
    key: X25519PublicKey = check_x25519(member.cohort_key)
    contribution = Contribution(made.contribution_id, b64(member.cohort_key), made.rotation.id,
                                made.item.id, made.value, made.epsilon, member.card)
    data = seal_contribution(contribution, signer, key)
    budget = _budget(journal, member.fingerprint)
    if _pending(budget, made.rotation, made.items) != (made.item, made.value,
                                                       made.contribution_id):
        raise CohortError("The contribution changed meanwhile; nothing was sent.")
    assert budget is not None
    _store(journal, member.fingerprint, budget, lambda b: replace(
        b, pending="", folders=_remember(b, member.pack.drop_folder, folder),
        spent=(*b.spent, f"{made.rotation.id} {made.epsilon:g}")))
    path = folder / f"contribution-{secrets.token_hex(8)}.jcc"
    try:
        write_private_file(path, data)
    except OSError:
        raise JournalError("The contribution could not be written to that folder; the"
                           " rotation's budget is spent and nothing was sent.") from None
    return path


#: The app offers a rotation's contribution from this many days before its end until this many
#: days after (its truth is about the whole rotation).
OFFER_BEFORE_END_DAYS = 7
OFFER_AFTER_END_DAYS = 14


def due(journal: Journal, today: date | None = None) -> Rotation | None:
    """The rotation whose contribution the app offers now (on the home panel), if any: near
    or just after its end, not contributed to or declined, the budget allowing it."""
    try:
        member = membership(journal)
    except NotInProgrammeError:
        return None
    day = today or date.today()
    budget_ = _budget(journal, member.fingerprint)
    spent = _spent(budget_)
    done = {r for r, _e in spent} | set(budget_.declined if budget_ else ())
    total = sum(e for _r, e in spent)
    for rotation in reversed(member.rotations):
        near = (rotation.end.toordinal() - OFFER_BEFORE_END_DAYS <= day.toordinal()
                < rotation.end.toordinal() + OFFER_AFTER_END_DAYS)
        if near and rotation.start <= day and rotation.id not in done \
                and total + rotation.epsilon <= member.pack.lifetime_epsilon + 1e-9:
            return rotation
    return None


def decline(journal: Journal, rotation_id: str) -> None:
    """The student declined the rotation's offer in the app: not offered there again (nothing
    was sent; the command line can still contribute)."""
    member = membership(journal)
    before = _budget(journal, member.fingerprint)
    _store(journal, member.fingerprint, before, lambda b: replace(
        b, declined=tuple(dict.fromkeys((*b.declined, rotation_id)))))


@dataclass(frozen=True)
class BudgetView:
    programme: str
    lifetime: float
    spent: float
    rotations: tuple[str, ...]


def budget(journal: Journal) -> BudgetView | None:
    """The lifetime budget with the programme joined, and the rotations contributed to."""
    try:
        member = membership(journal)
    except NotInProgrammeError:
        return None
    spent = _spent(_budget(journal, member.fingerprint))
    return BudgetView(member.name, member.pack.lifetime_epsilon, sum(e for _r, e in spent),
                      tuple(r for r, _e in spent))


# ==================================================================== the lead's report


@dataclass(frozen=True)
class RotationReport:
    rotation: Rotation
    contributions: int
    items: tuple[Estimate, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.rotation.id, "contributions": self.contributions,
                "epsilon": self.rotation.epsilon, "items": [i.to_json() for i in self.items]}


@dataclass(frozen=True)
class Report:
    programme: str
    rotations: tuple[RotationReport, ...]
    pooled_contributions: int
    pooled: tuple[Estimate, ...]
    refused: tuple[tuple[str, str], ...]

    def to_json(self) -> dict[str, Any]:
        return {"rotations": [r.to_json() for r in self.rotations],
                "pooled": {"contributions": self.pooled_contributions,
                           "items": [i.to_json() for i in self.pooled]},
                "refused": [{"file": f, "reason": why} for f, why in self.refused]}


def _rows(item: CohortItem) -> list[tuple[str, str, str]]:
    """The report's rows of an item: (row id, label, the category it counts)."""
    if item.kind != "assessment":
        return [(item.id, item.label, "yes")]
    return [(f"{item.id}:{band}", f"{item.label}: {band}", band) for band in item.categories]


class Counted(Protocol):
    """What the tally reads of a contribution."""

    @property
    def rotation(self) -> str: ...
    @property
    def item(self) -> str: ...
    @property
    def value(self) -> str: ...
    @property
    def epsilon(self) -> float: ...


def tally(rotations_: Sequence[Rotation], accepted: Iterable[Counted],
          started: Callable[[Rotation], bool] = lambda _r: True,
          ) -> tuple[tuple[RotationReport, ...], int, tuple[Estimate, ...]]:
    """Per rotation and pooled estimates from accepted contributions (each counts toward the
    one item it reports). Rotations listed: those ``started`` and those with reports."""
    by_rotation: dict[str, list[Counted]] = {}
    for c in accepted:
        by_rotation.setdefault(c.rotation, []).append(c)
    reports: list[RotationReport] = []
    pooled: dict[str, tuple[str, list[tuple[bool, float, int]]]] = {}
    total = 0
    for rotation in rotations_:
        got = by_rotation.get(rotation.id, [])
        if not got and not started(rotation):
            continue
        rows: list[Estimate] = []
        for item in rotation.cohort_items:
            mine = [c for c in got if c.item == item.id]
            k = len(item.categories)
            for row_id, label, category in _rows(item):
                said = [(c.value == category, c.epsilon, k) for c in mine]
                rows.append(estimate(row_id, label, said))
                pooled.setdefault(row_id, (label, []))[1].extend(said)
        total += len(got)
        reports.append(RotationReport(rotation, len(got), tuple(rows)))
    pooled_rows = tuple(estimate(row_id, label, said) for row_id, (label, said)
                        in pooled.items())
    return tuple(reports), total, pooled_rows


def check_contribution(contribution: Contribution, rotations_: Sequence[Rotation],
                       enrolled: Sequence[Card]) -> None:
    """What the report checks beyond the file: an enrolled sender, an item of the rotation.

    Raises:
        Refused: "unenrolled" or "malformed".
    """
    if not any(c.same_keys(contribution.sender) and c.name == contribution.sender.name
               for c in enrolled):
        raise Refused("unenrolled")
    rotation = next((r for r in rotations_ if r.id == contribution.rotation), None)
    item = next((i for i in rotation.cohort_items if i.id == contribution.item),
                None) if rotation else None
    if item is None or contribution.value not in item.categories:
        raise Refused("malformed")


def report(journal: Journal, folder: Path, today: date | None = None) -> Report:
    """Read every file under ``folder`` and report the programme this journal leads.

    Raises:
        UsageError: this journal leads no programme, or the folder is not one.
    """
    from journal_app.core.programme.service import _cards, cohort_private_keys, lead

    record = lead(journal)
    if record is None:
        raise UsageError("This journal leads no programme; only its lead can read"
                         " contributions.")
    if record.handed_over_to:
        raise UsageError("You handed this programme over; its new lead reads the"
                         " contributions now (the hand-over passed the keys to them).")
    key = cohort_private_keys(record)
    if not key:
        raise UsageError("The programme was never published with a key for contributions:"
                         " publish it ('programme publish') and hand the file out.")
    if not folder.is_dir():
        raise UsageError("That is not a folder of contributions.")
    pack = pack_of(record.pack)
    all_rotations = rotations(pack, date.fromisoformat(record.founded))
    enrolled = _cards(record.students, verify=False)
    accepted: list[Contribution] = []
    refused: list[tuple[str, str]] = []
    ids: set[str] = set()
    who: set[tuple[bytes, str]] = set()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink()):
        name = path.relative_to(folder).as_posix()
        try:
            data = _read(path)
            contribution = open_contribution(data, key)
            check_contribution(contribution, all_rotations, enrolled)
            mark = (contribution.sender.ed25519, contribution.rotation)
            if contribution.id in ids or mark in who:
                raise Refused("replayed")
        except Refused as why:
            refused.append((name, why.reason))
            continue
        ids.add(contribution.id)
        who.add(mark)
        accepted.append(contribution)
    day = today or date.today()
    rows, total, pooled = tally(all_rotations, accepted, lambda r: r.start <= day)
    return Report(record.name, rows, total, pooled, tuple(refused))


def _read(path: Path) -> bytes:
    try:
        if not path.is_file() or path.stat().st_size > MAX_CONTRIBUTION_BYTES:
            raise Refused("malformed")
        return path.read_bytes()
    except OSError:
        raise Refused("malformed") from None
