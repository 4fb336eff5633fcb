"""Support and crisis lines (``resources/support.toml``), shown offline; the app never contacts
anyone. And the severe signals that offer them.

Each line carries a URL, its hours, the date it was last checked, by whom, and whether that check
confirmed it (``verified``), because numbers and hours change. Users can add their own (their
school's wellbeing office, a friend), stored encrypted as records; those never leave the app.

Severe signals (each a reason to *offer* support, calmly and dismissibly; never a diagnosis):
the week's check-ins (a burnout rating of 5, or stress of 9-10 three times), a reflection scale at
or above its ``severe_at`` (heavy templates: 8 of 10), the monthly wellbeing check at its worst
end, and the text of an entry or a check-in's note that speaks of wanting to die or of harming
oneself (an English phrase list, ``resources/support-phrases.txt``, matched here on the
computer; nothing about a match is stored, logged or sent).

This module is imported by ``journal-app support``, which must start fast: nothing heavy here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from journal_app.core.content import ContentError, content_dir, load_toml

# The records are only looked at here: ``journal-app support`` loads no model.
if TYPE_CHECKING:
    from journal_app.core.practice.prompts import Template
    from journal_app.core.records.model import CheckIn, Entry, Reflection, SelfAssessment

#: The country code of the international entry (not an ISO code: it is no country).
INTL = "INTL"
#: What the app says where it knows no emergency number.
LOCAL_EMERGENCY = "your local emergency number"
#: ISO 3166 says GB; people write UK.
COUNTRY_ALIASES = {"UK": "GB"}
#: A check older than this is shown as "checked more than a year ago".
STALE_AFTER = timedelta(days=365)
_CODE = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class SupportResource:
    id: str
    country: str
    name: str
    contact: str
    description: str
    #: None only for the international placeholder (it is not a line).
    url: str | None = None
    hours: str | None = None
    last_checked: date | None = None
    checked_by: str | None = None
    #: Whether the last check confirmed everything shown against the service's own page.
    verified: bool = False

    @property
    def placeholder(self) -> bool:
        return self.country == INTL

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "country": self.country,
            "name": self.name,
            "contact": self.contact,
            "url": self.url,
            "hours": self.hours,
            "description": self.description,
            "last_checked": self.last_checked.isoformat() if self.last_checked else None,
            "checked_by": self.checked_by,
            "verified": self.verified,
        }


@dataclass(frozen=True)
class SupportList:
    disclaimer: str
    resources: tuple[SupportResource, ...]
    #: Emergency numbers by ISO code.
    emergency: Mapping[str, str] = field(default_factory=dict)
    #: Country names by ISO code (for the country chooser).
    names: Mapping[str, str] = field(default_factory=dict)

    def for_country(self, country: str | None) -> list[SupportResource]:
        """Resources for ``country`` (ISO code) first, then the international ones."""
        code = (country or "").upper()
        local = [r for r in self.resources if r.country == code and code != INTL]
        return local + [r for r in self.resources if r.placeholder]

    def countries(self) -> list[str]:
        return sorted({r.country for r in self.resources} - {INTL})

    def resolve(self, country: str | None) -> str:
        """``country`` when lines are shipped for it, else :data:`INTL`."""
        code = (country or "").upper()
        return code if code in self.countries() else INTL

    def emergency_number(self, country: str | None) -> str:
        return self.emergency.get((country or "").upper(), LOCAL_EMERGENCY)

    def to_json(self, country: str | None) -> dict[str, Any]:
        """What ``journal-app support --json`` prints for ``country``."""
        code = self.resolve(country)
        return {
            "disclaimer": self.disclaimer,
            "country": code,
            "emergency": self.emergency_number(code),
            "resources": [r.to_json() for r in self.for_country(code)],
        }


def _text(raw: Mapping[str, Any], key: str, where: str, required: bool = True) -> str | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where}: {key!r} must be non-empty text")
    return value.strip()


def _resource(raw: Any, where: str) -> SupportResource:
    if not isinstance(raw, dict):
        raise ContentError(f"{where}: a [[resource]] must be a table")
    rid = _text(raw, "id", where)
    where = f"{where}: {rid}"
    country = _text(raw, "country", where)
    assert rid is not None and country is not None
    line = country != INTL  # the international entry is a placeholder, not a line
    if line and not _CODE.match(country):
        raise ContentError(f"{where}: country must be an ISO 3166 code or {INTL}")
    checked = raw.get("last_checked")
    if line and not isinstance(checked, date):
        raise ContentError(f"{where}: last_checked must be a date")
    verified = raw.get("verified", False)
    if not isinstance(verified, bool):
        raise ContentError(f"{where}: verified must be true or false")
    url = _text(raw, "url", where, required=line)
    if url is not None and not url.startswith("https://"):
        raise ContentError(f"{where}: the url must start with https://")
    return SupportResource(
        id=rid, country=country, name=str(_text(raw, "name", where)),
        contact=str(_text(raw, "contact", where)),
        description=str(_text(raw, "description", where)),
        url=url, hours=_text(raw, "hours", where, required=line),
        last_checked=checked if isinstance(checked, date) else None,
        checked_by=_text(raw, "checked_by", where, required=line), verified=verified,
    )


@cache
def support_list() -> SupportList:
    """Load and validate the shipped support resources (raises ContentError)."""
    data = load_toml("resources", "support.toml")
    where = "resources/support.toml"
    if data.get("version") != 1 or not isinstance(data.get("resource"), list):
        raise ContentError(f"{where}: expected version = 1 and [[resource]] tables")
    disclaimer = data.get("disclaimer")
    if not isinstance(disclaimer, str) or not disclaimer.strip():
        raise ContentError(f"{where}: a disclaimer is required")
    resources = [_resource(raw, where) for raw in data["resource"]]
    if len({r.id for r in resources}) != len(resources):
        raise ContentError(f"{where}: resource ids repeat")
    if sum(r.placeholder for r in resources) != 1:
        raise ContentError(f"{where}: exactly one international ({INTL}) entry is needed")
    tables: dict[str, dict[str, str]] = {}
    for key in ("emergency", "countries"):
        table = data.get(key, {})
        if not isinstance(table, dict) or not all(
                isinstance(k, str) and _CODE.match(k) and isinstance(v, str) and v.strip()
                for k, v in table.items()):
            raise ContentError(f"{where}: [{key}] maps ISO codes to text")
        tables[key] = {k: v.strip() for k, v in table.items()}
    return SupportList(disclaimer.strip(), tuple(resources), tables["emergency"],
                       tables["countries"])


# ------------------------------------------------------------------------------ countries


def normalize_country(text: str) -> str:
    """An ISO 3166 alpha-2 code from what a user typed ("gb", "UK" -> "GB").

    Raises ValueError for anything that is not two letters. A well-formed code with no lines
    shipped is not an error: it gets the international entry."""
    code = text.strip().upper()
    if not _CODE.match(code):
        raise ValueError("a country is a two-letter ISO 3166 code, such as GB, US or AU")
    return COUNTRY_ALIASES.get(code, code)


def system_country(environ: Mapping[str, str] | None = None) -> str | None:
    """The country of the system locale (``en_GB.UTF-8`` -> ``GB``), read from the variables
    POSIX gives precedence to (LC_ALL, LC_MESSAGES, LANG); None when there is none (C, POSIX,
    unset). No Qt here: ``journal-app support`` must start fast."""
    env = os.environ if environ is None else environ
    for key in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(key, "")
        if value:
            match = re.match(r"^[A-Za-z]{2,3}_([A-Za-z]{2})(?:[.@]|$)", value)
            if not match:
                return None
            return COUNTRY_ALIASES.get(match.group(1).upper(), match.group(1).upper())
    return None


def crisis_sentence(country: str | None) -> str:
    """One calm sentence that names thoughts of not wanting to be alive and gives the emergency
    number of ``country`` (or says "your local emergency number")."""
    number = support_list().emergency_number(country)
    return ("If you are having thoughts of not wanting to be alive, you deserve support "
            f"tonight: reach out to one of the people below, or call {number} if you might "
            "act on them or are in danger now.")


#: Beside a line that was written down without a check against the service's own page.
NOT_CONFIRMED = "not yet confirmed with the service: check its website"


def checked_text(resource: SupportResource, today: date) -> str:
    """"checked 1 Nov 2026", "checked more than a year ago", "" (the placeholder), or, for a
    line not yet confirmed on the service's own page, "added 6 Dec 2026, not yet confirmed with
    the service: check its website" (a date it was written down is not a check)."""
    if resource.placeholder or resource.last_checked is None:
        return ""
    when = f"{resource.last_checked.day} {resource.last_checked:%b %Y}"
    if not resource.verified:
        return f"added {when}, {NOT_CONFIRMED}"
    if today - resource.last_checked > STALE_AFTER:
        return "checked more than a year ago"
    return f"checked {when}"


# ------------------------------------------------------------------------------ severe signals

#: Stress at or above this, this many times within a week, counts as a severe pattern.
SEVERE_STRESS = 9
SEVERE_STRESS_TIMES = 3
WINDOW_DAYS = 7


def _in_week(when: Any, today: date) -> bool:
    start = today - timedelta(days=WINDOW_DAYS - 1)
    return bool(start <= when.astimezone().date() <= today)


def severe_pattern(checkins: Iterable[CheckIn], today: date, *,
                   reflections: Iterable[Reflection] = (),
                   assessments: Iterable[SelfAssessment] = (),
                   templates: Mapping[str, Template] | None = None) -> bool:
    """Whether the last week shows severe distress: a burnout rating of 5, stress of 9-10 at
    least three times, a reflection scale at or above its ``severe_at``, or a wellbeing check at
    its worst end. A reason to offer support, never a diagnosis."""
    recent = [c for c in checkins if _in_week(c.created, today)]
    if any(c.burnout == 5 for c in recent):
        return True
    if sum(1 for c in recent if c.stress is not None and c.stress >= SEVERE_STRESS) \
            >= SEVERE_STRESS_TIMES:
        return True
    if templates is not None and any(
            _in_week(r.created, today) and scales_are_severe(r, templates) for r in reflections):
        return True
    return any(_in_week(a.created, today) and wellbeing_is_severe(a) for a in assessments)


def scales_are_severe(reflection: Reflection, templates: Mapping[str, Template]) -> bool:
    """Whether a scale answer of ``reflection`` is at or above its step's ``severe_at``."""
    template = templates.get(reflection.template_id)
    if template is None:
        return False
    limits = {s.id: s.severe_at for s in template.steps
              if s.kind == "scale" and s.severe_at is not None}
    return any(a.value is not None and a.step_id in limits and a.value >= limits[a.step_id]
               for a in reflection.answers)


def wellbeing_is_severe(assessment: SelfAssessment) -> bool:
    """The monthly wellbeing check at its worst end: every item answered is at its worst level,
    and at least half of the items are answered."""
    if assessment.form != "wellbeing":
        return False
    from journal_app.core.practice.assessment import forms  # the form says which end of each item
    # is the worst

    form = forms()["wellbeing"]
    lo, hi = form.levels[0].value, form.levels[-1].value
    answered = [(form.item(k), v) for k, v in assessment.ratings.items()]
    if len(answered) * 2 < len(form.items):
        return False
    return all(item is not None and v == (lo if item.higher_is_better else hi)
               for item, v in answered)


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_CONTRACTIONS = (
    (re.compile(r"\bdon'?t\b"), "do not"),
    (re.compile(r"\bcan'?t\b|\bcan not\b"), "cannot"),
    (re.compile(r"\bi'm\b"), "i am"),
    (re.compile(r"\bi've\b"), "i have"),
    (re.compile(r"\bwanna\b"), "want to"),
)


def _normalize(text: str) -> str:
    text = " ".join(text.casefold().translate(_APOSTROPHES).split())
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text


@cache
def _phrases() -> re.Pattern[str]:
    """The phrases of ``resources/support-phrases.txt`` as one pattern (see that file)."""
    path = content_dir("resources") / "support-phrases.txt"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        raise ContentError("resources/support-phrases.txt cannot be read") from None
    plain: list[str] = []
    starred: dict[str, list[str]] = {}  # "i" -> the phrases after "i *", tried together
    for line in lines:
        phrase = _normalize(line.split("#", 1)[0])
        if not phrase:
            continue
        head, star, tail = phrase.partition(" * ")
        if star and "*" not in head + " " + tail:
            starred.setdefault(re.escape(head), []).append(re.escape(tail))
        elif "*" in phrase.split():
            raise ContentError("resources/support-phrases.txt: one '*' per phrase, "
                               "between words")
        else:
            plain.append(re.escape(phrase))
    parts = [f"{head} (?:\\S+ ){{0,2}}(?:{'|'.join(tails)})" for head, tails in starred.items()]
    parts += plain
    if not parts:
        raise ContentError("resources/support-phrases.txt holds no phrases")
    # re.escape leaves spaces as they are; the text's spaces were folded to one by _normalize.
    return re.compile(r"(?<![\w'])(?:" + "|".join(parts) + r")(?![\w'])")


def text_is_severe(text: str) -> bool:
    """Whether ``text`` speaks of wanting to die or of harming oneself (English phrases only).
    Returns only yes or no: what matched is not kept anywhere."""
    return bool(text) and _phrases().search(_normalize(text)) is not None


def entry_is_severe(entry: Entry, templates: Mapping[str, Template]) -> bool:
    """Whether a saved entry or reflection is a severe signal: its words, or (a reflection) a
    scale answer at or above its step's ``severe_at``."""
    from journal_app.core.records.model import Reflection

    if isinstance(entry, Reflection) and scales_are_severe(entry, templates):
        return True
    texts = [entry.title, entry.body]
    if isinstance(entry, Reflection):
        texts.extend(a.text for a in entry.answers)
    return any(text_is_severe(t) for t in texts if t)


def checkin_is_severe(checkin: CheckIn) -> bool:
    """Whether a saved check-in's note speaks of wanting to die or of harming oneself (the same
    phrases as entries; its ratings are :func:`severe_pattern`'s)."""
    return text_is_severe(checkin.note)


class OfferLog:
    """Which entries were offered support on which day, in memory only, so an entry's autosaves
    do not repeat the offer: at most once per entry per day. Holds entry ids, never text."""

    def __init__(self) -> None:
        self._offered: set[tuple[str, date]] = set()

    def should_offer(self, entry_id: str, today: date) -> bool:
        key = (entry_id, today)
        if key in self._offered:
            return False
        self._offered = {k for k in self._offered if k[1] == today}  # forget earlier days
        self._offered.add(key)
        return True
