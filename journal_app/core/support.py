"""Support resources (``resources/support.toml``), shown offline; the app never contacts anyone.

Each resource carries the date it was last checked, because numbers and hours change. Users can
add their own (their school's wellbeing office, a friend), stored encrypted as records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from .content import ContentError, load_toml
from .model import CheckIn


@dataclass(frozen=True)
class SupportResource:
    id: str
    country: str
    name: str
    contact: str
    description: str
    last_verified: date


@dataclass(frozen=True)
class SupportList:
    disclaimer: str
    resources: tuple[SupportResource, ...]

    def for_country(self, country: str | None) -> list[SupportResource]:
        """Resources for ``country`` (ISO code) first, then the international ones."""
        code = (country or "").upper()
        local = [r for r in self.resources if r.country == code]
        return local + [r for r in self.resources if r.country == "INTL"]

    def countries(self) -> list[str]:
        return sorted({r.country for r in self.resources} - {"INTL"})


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
    resources = []
    for raw in data["resource"]:
        try:
            item = SupportResource(
                id=str(raw["id"]), country=str(raw["country"]), name=str(raw["name"]),
                contact=str(raw["contact"]), description=str(raw["description"]),
                last_verified=raw["last_verified"],
            )
        except (KeyError, TypeError) as exc:
            raise ContentError(f"{where}: a resource lacks {exc}") from None
        if not isinstance(item.last_verified, date):
            raise ContentError(f"{where}: {item.id}: last_verified must be a date")
        if not (item.country == "INTL" or (len(item.country) == 2 and item.country.isupper())):
            raise ContentError(f"{where}: {item.id}: country must be an ISO code or INTL")
        resources.append(item)
    if len({r.id for r in resources}) != len(resources):
        raise ContentError(f"{where}: resource ids repeat")
    return SupportList(disclaimer.strip(), tuple(resources))


#: Stress at or above this, this many times within a week, counts as a severe pattern.
SEVERE_STRESS = 9
SEVERE_STRESS_TIMES = 3
WINDOW_DAYS = 7


def severe_pattern(checkins: Iterable[CheckIn], today: date) -> bool:
    """Whether the check-ins of the last week show severe distress: a burnout rating of 5, or
    stress of 9-10 at least three times. A reason to offer support, never a diagnosis."""
    start = today - timedelta(days=WINDOW_DAYS - 1)
    recent = [c for c in checkins if start <= c.created.astimezone().date() <= today]
    if any(c.burnout == 5 for c in recent):
        return True
    return sum(1 for c in recent if c.stress is not None and c.stress >= SEVERE_STRESS) \
        >= SEVERE_STRESS_TIMES
