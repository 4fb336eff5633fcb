"""Find and load the content shipped as data: ``prompts/`` and ``resources/``.

In the repository they are top-level folders; in an installed wheel they live inside the package
(``journal_app/prompts``, ``journal_app/resources``). Content is validated when it is loaded, so
a broken file is a clear error at start-up (and in the tests), not a surprise later.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

ContentKind = Literal["prompts", "resources"]


class ContentError(Exception):
    """A shipped content file is missing or does not validate (a packaging bug)."""


def content_dir(kind: ContentKind) -> Path:
    """The folder holding ``kind``, in an installed package or in a checkout."""
    installed = Path(str(resources.files("journal_app"))) / kind
    if installed.is_dir():
        return installed
    checkout = Path(__file__).resolve().parents[2] / kind
    if checkout.is_dir():
        return checkout
    raise ContentError(f"The {kind} folder of journal-app is missing; reinstall journal-app.")


def load_toml(kind: ContentKind, name: str) -> dict[str, Any]:
    path = content_dir(kind) / name
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ContentError(f"{kind}/{name} cannot be read: {exc}") from None


@dataclass(frozen=True)
class EmotionGroup:
    id: str
    label: str
    description: str
    words: tuple[str, ...]


@cache
def emotion_vocabulary() -> tuple[EmotionGroup, ...]:
    """The grouped emotion words of ``prompts/emotions.toml``, validated."""
    data = load_toml("prompts", "emotions.toml")
    if data.get("version") != 1 or not isinstance(data.get("group"), list):
        raise ContentError("prompts/emotions.toml: expected version = 1 and [[group]] tables")
    groups: list[EmotionGroup] = []
    seen_ids: set[str] = set()
    seen_words: set[str] = set()
    for raw in data["group"]:
        try:
            group = EmotionGroup(
                id=str(raw["id"]),
                label=str(raw["label"]),
                description=str(raw["description"]),
                words=tuple(str(w) for w in raw["words"]),
            )
        except (KeyError, TypeError) as exc:
            raise ContentError(f"prompts/emotions.toml: a group lacks {exc}") from None
        if group.id in seen_ids or not group.words:
            raise ContentError(f"prompts/emotions.toml: group {group.id!r} repeated or empty")
        for word in group.words:
            if word in seen_words or word != word.strip().lower():
                raise ContentError(
                    f"prompts/emotions.toml: word {word!r} repeated or not lower case"
                )
            seen_words.add(word)
        seen_ids.add(group.id)
        groups.append(group)
    return tuple(groups)


def emotion_words() -> list[str]:
    return [w for g in emotion_vocabulary() for w in g.words]
