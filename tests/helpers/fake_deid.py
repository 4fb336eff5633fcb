"""A tiny stand-in for ``journal_app.core.deid`` (written on another branch), with its interface:
``find_identifiers(text, names=()) -> list[Finding]`` and ``redact(text, decisions) -> str``.

It finds e-mail addresses, phone numbers, "Mr./Mrs./Ms./Dr. Name" and the given names: enough
for the sharing tests, which only need *some* findings to decide. The e2e runner installs it
only when the real module is absent, so once the real detectors land they are what runs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_PATTERNS = (
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("phone", re.compile(r"\(?\b\d{3}\)?[-. ]\d{3}[-. ]\d{4}\b")),
    ("name", re.compile(r"\b(?:Mr|Mrs|Ms|Dr)\. [A-Z][a-z]+")),
)


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    category: str
    text: str


def find_identifiers(text: str, names: Sequence[str] = ()) -> list[Finding]:
    found = [Finding(m.start(), m.end(), category, m.group())
             for category, pattern in _PATTERNS for m in pattern.finditer(text)]
    for name in names:
        for m in re.finditer(r"\b" + re.escape(name) + r"\b", text):
            found.append(Finding(m.start(), m.end(), "name", m.group()))
    found.sort(key=lambda f: (f.start, -f.end))
    out: list[Finding] = []
    for f in found:  # drop overlaps, keep the first (longest) one
        if not out or f.start >= out[-1].end:
            out.append(f)
    return out


def redact(text: str, decisions: Sequence[tuple[Finding, str | None]]) -> str:
    for finding, replacement in sorted(decisions, key=lambda d: d[0].start, reverse=True):
        if replacement is not None:
            text = text[: finding.start] + replacement + text[finding.end :]
    return text
