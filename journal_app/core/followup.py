"""Follow-ups: two to three days after a difficult encounter, ask how it sits now.

A difficult check-in (one that names an encounter type) becomes due two days later and stays
due for a week, unless the user already wrote a follow-up (an entry that links to the check-in
with the follow-up prompt id) or set it aside (kept in the encrypted :class:`AppState`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from .model import AppState, CheckIn, Entry

FOLLOWUP_PROMPT_ID = "follow-up"
DUE_AFTER = timedelta(days=2)
DUE_UNTIL = timedelta(days=7)
QUESTIONS = ("How does it sit with you now, a few days on?", "What has helped since?")


def followups_due(checkins: Iterable[CheckIn], entries: Iterable[Entry],
                  state: AppState | None, at: datetime) -> list[CheckIn]:
    """Difficult check-ins due for a follow-up at ``at``, oldest first."""
    answered = {link for e in entries if FOLLOWUP_PROMPT_ID in e.prompt_ids for link in e.links}
    dismissed = set(state.dismissed_followups) if state else set()
    due = [
        c for c in checkins
        if c.encounter and DUE_AFTER <= at - c.created <= DUE_UNTIL
        and c.id not in answered and c.id not in dismissed
    ]
    due.sort(key=lambda c: c.created)
    return due


def followup_body(encounter_label: str) -> str:
    """The start of a follow-up entry: what it follows and the two questions, quoted."""
    lines = [f"> Following up on: {encounter_label}", ">"]
    lines += [f"> {q}" for q in QUESTIONS]
    return "\n".join(lines) + "\n\n"
