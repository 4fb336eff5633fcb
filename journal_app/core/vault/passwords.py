"""Passphrase strength feedback that explains itself.

Not a cracking-time oracle: a few plain rules a tired person can act on. Only really weak
passphrases are blocked (too short, a well-known password, or a single common word); everything
else gets advice and is allowed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from journal_app.core.content import content_dir

MIN_LENGTH = 8
GOOD_LENGTH = 16


@cache
def common_words() -> frozenset[str]:
    """Well-known passwords and very common words (``resources/common-passwords.txt``)."""
    path = content_dir("resources") / "common-passwords.txt"
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip().lower()
        if line and not line.startswith("#"):
            words.add(line)
    return frozenset(words)


@dataclass(frozen=True)
class Strength:
    """``score`` 0 (blocked) .. 4 (strong), with plain reasons and advice."""

    score: int
    blocked: bool
    label: str
    reasons: list[str] = field(default_factory=list)


_LABELS = {0: "Too weak", 1: "Weak", 2: "Fair", 3: "Good", 4: "Strong"}


def assess(passphrase: str) -> Strength:
    text = unicodedata.normalize("NFC", passphrase)
    reasons: list[str] = []
    lowered = text.lower()
    words = [w for w in re.split(r"[^\w]+", lowered) if w]
    if len(text) < MIN_LENGTH:
        return Strength(0, True, _LABELS[0], [f"Too short: use at least {MIN_LENGTH} characters."])
    common = common_words()
    stripped = re.sub(r"[\d\W_]+$", "", lowered)  # "password123!" is still "password"
    if lowered in common or stripped in common:
        return Strength(0, True, _LABELS[0], ["This is one of the most common passwords."])
    if len(set(text)) <= 2:
        return Strength(0, True, _LABELS[0], ["It repeats the same characters."])
    score = 1
    if len(text) >= 12:
        score += 1
    if len(text) >= GOOD_LENGTH:
        score += 1
    if len(words) >= 4 or (len(words) >= 3 and len(text) >= 20):
        score += 1
    classes = sum(bool(re.search(p, text)) for p in (r"[a-z]", r"[A-Z]", r"\d", r"[^\w\s]"))
    if classes >= 3 and len(text) >= 12:
        score += 1
    if words and all(w in common for w in words):
        score = min(score, 2)
        reasons.append("It is made only of common words; add a less usual one.")
    if re.search(r"(.)\1\1", text):
        score -= 1
        reasons.append("Avoid runs of the same character.")
    if re.search(r"(0123|1234|2345|3456|4567|5678|6789|abcd|qwer|asdf)", lowered):
        score -= 1
        reasons.append("Avoid sequences like 1234 or qwerty.")
    score = max(1, min(4, score))
    if len(text) < GOOD_LENGTH and score < 4:
        reasons.append("Longer is stronger: four or five unrelated words are easy to remember.")
    if not reasons:
        reasons.append("A strong passphrase. Keep it somewhere only you can reach.")
    return Strength(score, False, _LABELS[score], reasons)
