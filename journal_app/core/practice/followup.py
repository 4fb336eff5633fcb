"""Follow-ups: two to three days after a difficult encounter, ask how it sits now.

A difficult check-in (one that names an encounter type) becomes due two days later and stays
due for a week, unless the user already wrote a follow-up (an entry that links to the check-in
with the follow-up prompt id) or set it aside (kept in the encrypted :class:`AppState`).

Reflections that ended without the REFLECT depth rating (templates with ``rate_depth = false``:
after a death, a code, free writing, Three Good Things) are offered it over the same days: with
the follow-up of their check-in, or on their own when they followed none. Setting one aside keeps
its id with the follow-ups set aside (record ids never collide).
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from datetime import datetime, timedelta

from journal_app.core.records.model import AppState, CheckIn, Entry, Reflection

FOLLOWUP_PROMPT_ID = "follow-up"
DUE_AFTER = timedelta(days=2)
DUE_UNTIL = timedelta(days=7)
QUESTIONS = ("How does it sit with you now, a few days on?", "What has helped since?")


def followups_due(checkins: Iterable[CheckIn], entries: Iterable[Entry],
                  state: AppState | None, at: datetime) -> list[CheckIn]:
    """Difficult check-ins due for a follow-up at ``at``, oldest first."""
    dismissed = set(state.dismissed_followups) if state else set()
    due = [
        c for c in checkins
        if c.encounter and DUE_AFTER <= at - c.created <= DUE_UNTIL and c.id not in dismissed
    ]
    if due:  # the entries are walked only when a check-in could be due (checked at unlock)
        answered = {link for e in entries if FOLLOWUP_PROMPT_ID in e.prompt_ids
                    for link in e.links}
        due = [c for c in due if c.id not in answered]
    due.sort(key=lambda c: c.created)
    return due


def followup_body(encounter_label: str) -> str:
    """The start of a follow-up entry: what it follows and the two questions, quoted."""
    lines = [f"> Following up on: {encounter_label}", ">"]
    lines += [f"> {q}" for q in QUESTIONS]
    return "\n".join(lines) + "\n\n"


def ratings_due(entries: Iterable[Entry], unrated_templates: Container[str],
                state: AppState | None, at: datetime) -> list[Reflection]:
    """Reflections to offer the depth rating at ``at``, oldest first: made with one of
    ``unrated_templates`` (those that leave it out at the end), not rated yet, two to seven days
    old and not set aside."""
    dismissed = set(state.dismissed_followups) if state else set()
    due = [
        e for e in entries
        if isinstance(e, Reflection) and e.depth is None and e.template_id in unrated_templates
        and DUE_AFTER <= at - e.created <= DUE_UNTIL and e.id not in dismissed
    ]
    due.sort(key=lambda e: e.created)
    return due


def rating_for(checkin: CheckIn, due: Iterable[Reflection]) -> Reflection | None:
    """The reflection among ``due`` that followed ``checkin``, if any."""
    return next((r for r in due if r.checkin_id == checkin.id), None)
