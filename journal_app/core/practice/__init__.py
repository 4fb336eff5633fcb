"""Reflective practice over the journal's records: prompts and templates, check-in follow-ups,
series, self-assessments, support lines, trends and their readings.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from journal_app.core.practice.assessment import Form, Item, forms, validate
    from journal_app.core.practice.custom import is_custom, library_with_custom
    from journal_app.core.practice.followup import (
        FOLLOWUP_PROMPT_ID,
        QUESTIONS,
        followup_body,
        followups_due,
        rating_for,
        ratings_due,
    )
    from journal_app.core.practice.prompts import (
        COPING_GROUPS,
        FACETS,
        GOOD_MOMENT_TEMPLATE,
        LEVELS,
        THEMES,
        Library,
        Prompt,
        Step,
        Template,
        choose_prompt,
        load_library,
        recent_use,
        set_level,
        todays_prompt_for,
    )
    from journal_app.core.practice.readings import (
        CHART_TITLES,
        SERIES_CARDS,
        anything_to_show,
        chart_readings,
        coping_words,
        mid_month,
        summary_rows,
        writing_reading,
    )
    from journal_app.core.practice.reflection_text import reflection_body, signed
    from journal_app.core.practice.series import next_series_day, series_day_due
    from journal_app.core.practice.support import (
        INTL,
        OfferLog,
        checked_text,
        checkin_is_severe,
        crisis_sentence,
        entry_is_severe,
        normalize_country,
        severe_pattern,
        support_list,
        system_country,
        text_is_severe,
        wellbeing_is_severe,
    )
    from journal_app.core.practice.trends import SERIES_FIELDS, Trends

# Made by scripts/restructure.py: what the other layers use, and the module it is in.
# Loaded on first use (PEP 562): importing one inner module does not import them all.
_EXPORTS: dict[str, str] = {
    "CHART_TITLES": "readings",
    "COPING_GROUPS": "prompts",
    "FACETS": "prompts",
    "FOLLOWUP_PROMPT_ID": "followup",
    "Form": "assessment",
    "GOOD_MOMENT_TEMPLATE": "prompts",
    "INTL": "support",
    "Item": "assessment",
    "LEVELS": "prompts",
    "Library": "prompts",
    "OfferLog": "support",
    "Prompt": "prompts",
    "QUESTIONS": "followup",
    "SERIES_CARDS": "readings",
    "SERIES_FIELDS": "trends",
    "Step": "prompts",
    "THEMES": "prompts",
    "Template": "prompts",
    "Trends": "trends",
    "anything_to_show": "readings",
    "chart_readings": "readings",
    "checked_text": "support",
    "checkin_is_severe": "support",
    "choose_prompt": "prompts",
    "coping_words": "readings",
    "crisis_sentence": "support",
    "entry_is_severe": "support",
    "followup_body": "followup",
    "followups_due": "followup",
    "forms": "assessment",
    "is_custom": "custom",
    "library_with_custom": "custom",
    "load_library": "prompts",
    "mid_month": "readings",
    "next_series_day": "series",
    "normalize_country": "support",
    "rating_for": "followup",
    "ratings_due": "followup",
    "recent_use": "prompts",
    "reflection_body": "reflection_text",
    "series_day_due": "series",
    "set_level": "prompts",
    "severe_pattern": "support",
    "signed": "reflection_text",
    "summary_rows": "readings",
    "support_list": "support",
    "system_country": "support",
    "text_is_severe": "support",
    "todays_prompt_for": "prompts",
    "validate": "assessment",
    "wellbeing_is_severe": "support",
    "writing_reading": "readings",
}

__all__ = [
    "CHART_TITLES",
    "COPING_GROUPS",
    "FACETS",
    "FOLLOWUP_PROMPT_ID",
    "GOOD_MOMENT_TEMPLATE",
    "INTL",
    "LEVELS",
    "QUESTIONS",
    "SERIES_CARDS",
    "SERIES_FIELDS",
    "THEMES",
    "Form",
    "Item",
    "Library",
    "OfferLog",
    "Prompt",
    "Step",
    "Template",
    "Trends",
    "anything_to_show",
    "chart_readings",
    "checked_text",
    "checkin_is_severe",
    "choose_prompt",
    "coping_words",
    "crisis_sentence",
    "entry_is_severe",
    "followup_body",
    "followups_due",
    "forms",
    "is_custom",
    "library_with_custom",
    "load_library",
    "mid_month",
    "next_series_day",
    "normalize_country",
    "rating_for",
    "ratings_due",
    "recent_use",
    "reflection_body",
    "series_day_due",
    "set_level",
    "severe_pattern",
    "signed",
    "summary_rows",
    "support_list",
    "system_country",
    "text_is_severe",
    "todays_prompt_for",
    "validate",
    "wellbeing_is_severe",
    "writing_reading",
]


if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        module = _EXPORTS.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{__name__}.{module}"), name)
