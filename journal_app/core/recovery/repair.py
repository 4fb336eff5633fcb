"""Words for what a repair of the manifest accepts (the app's dialog and the command line)."""

from __future__ import annotations

from collections.abc import Mapping

_NAMES = {
    "entry": ("entry", "entries"),
    "revision": ("earlier version of an entry", "earlier versions of entries"),
    "checkin": ("check-in", "check-ins"),
    "reflection": ("reflection", "reflections"),
    "attachment": ("attachment", "attachments"),
    "attachment-data": ("attachment image", "attachment images"),
    "custom-prompt": ("prompt of yours", "prompts of yours"),
    "custom-template": ("template of yours", "templates of yours"),
    "self-assessment": ("self-assessment", "self-assessments"),
    "contact": ("contact", "contacts"),
    "feedback": ("piece of mentor feedback", "pieces of mentor feedback"),
}


def describe_kinds(kinds: Mapping[str, int]) -> list[str]:
    """One line per kind of record, the user's writing first, e.g. ``3 entries``."""
    order = list(_NAMES)
    lines = []
    for kind, count in sorted(kinds.items(),
                              key=lambda kv: (order.index(kv[0]) if kv[0] in order
                                              else len(order), kv[0])):
        one, many = _NAMES.get(kind, (f"{kind} record", f"{kind} records"))
        lines.append(f"{count} {one if count == 1 else many}")
    return lines or ["no records"]
