"""The records of a vault: domain dataclasses, their checks and their strict JSON form.

No I/O and no keys: every other core package builds on this one.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from journal_app.core.records.attachments import (
        MAX_ATTACHMENT_BYTES,
        MEDIA_TYPES,
        check_size,
        describe,
        format_size,
    )
    from journal_app.core.records.importable import skipped_notes
    from journal_app.core.records.model import (
        CUSTOM_STEP_KINDS,
        ENCOUNTER_TYPES,
        ENERGY_RANGE,
        MAX_NOTE,
        MAX_PROMPT_TEXT,
        MAX_SHORT,
        MAX_TAG,
        MAX_TITLE,
        MOOD_RANGE,
        REFLECT_LEVELS,
        SKIPPED_CHECKIN,
        STRESS_RANGE,
        Attachment,
        BackupState,
        CheckIn,
        Contact,
        CopingRating,
        CustomPrompt,
        CustomStep,
        CustomTemplate,
        Emotion,
        Entry,
        Feedback,
        Identity,
        ReceivedExcerpt,
        ReceivedPackage,
        Record,
        Reflection,
        SelfAssessment,
        SharedLog,
        StepAnswer,
        SupportContact,
        WaitingReflection,
        normalise_label,
        now,
    )

# Made by scripts/restructure.py: what the other layers use, and the module it is in.
# Loaded on first use (PEP 562): importing one inner module does not import them all.
_EXPORTS: dict[str, str] = {
    "Attachment": "model",
    "BackupState": "model",
    "CUSTOM_STEP_KINDS": "model",
    "CheckIn": "model",
    "Contact": "model",
    "CopingRating": "model",
    "CustomPrompt": "model",
    "CustomStep": "model",
    "CustomTemplate": "model",
    "ENCOUNTER_TYPES": "model",
    "ENERGY_RANGE": "model",
    "Emotion": "model",
    "Entry": "model",
    "Feedback": "model",
    "Identity": "model",
    "MAX_ATTACHMENT_BYTES": "attachments",
    "MAX_NOTE": "model",
    "MAX_PROMPT_TEXT": "model",
    "MAX_SHORT": "model",
    "MAX_TAG": "model",
    "MAX_TITLE": "model",
    "MEDIA_TYPES": "attachments",
    "MOOD_RANGE": "model",
    "REFLECT_LEVELS": "model",
    "ReceivedExcerpt": "model",
    "ReceivedPackage": "model",
    "Record": "model",
    "Reflection": "model",
    "SKIPPED_CHECKIN": "model",
    "STRESS_RANGE": "model",
    "SelfAssessment": "model",
    "SharedLog": "model",
    "StepAnswer": "model",
    "SupportContact": "model",
    "WaitingReflection": "model",
    "check_size": "attachments",
    "describe": "attachments",
    "format_size": "attachments",
    "normalise_label": "model",
    "now": "model",
    "skipped_notes": "importable",
}

__all__ = [
    "CUSTOM_STEP_KINDS",
    "ENCOUNTER_TYPES",
    "ENERGY_RANGE",
    "MAX_ATTACHMENT_BYTES",
    "MAX_NOTE",
    "MAX_PROMPT_TEXT",
    "MAX_SHORT",
    "MAX_TAG",
    "MAX_TITLE",
    "MEDIA_TYPES",
    "MOOD_RANGE",
    "REFLECT_LEVELS",
    "SKIPPED_CHECKIN",
    "STRESS_RANGE",
    "Attachment",
    "BackupState",
    "CheckIn",
    "Contact",
    "CopingRating",
    "CustomPrompt",
    "CustomStep",
    "CustomTemplate",
    "Emotion",
    "Entry",
    "Feedback",
    "Identity",
    "ReceivedExcerpt",
    "ReceivedPackage",
    "Record",
    "Reflection",
    "SelfAssessment",
    "SharedLog",
    "StepAnswer",
    "SupportContact",
    "WaitingReflection",
    "check_size",
    "describe",
    "format_size",
    "normalise_label",
    "now",
    "skipped_notes",
]


if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        module = _EXPORTS.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{__name__}.{module}"), name)
