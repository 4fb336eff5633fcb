"""Emotion words that are not in the vocabulary (``prompts/emotions.toml``): the user's own,
confirmed once, and the half words an old Enter trap stored ("exhaus", "guil"), which fed the
trends and the filters. Which words a journal uses, how often, and the known word each may have
been meant as. Changing the records goes through
:meth:`journal_app.core.vault.Journal.replace_emotion` (one write, revisions kept); keeping a
word through :meth:`~journal_app.core.vault.Journal.add_own_emotions`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from journal_app.core.content import emotion_words
from journal_app.core.records import CheckIn, Entry, normalise_label

if TYPE_CHECKING:
    from journal_app.core.vault import Journal


@dataclass(frozen=True)
class WordInUse:
    """An emotion name outside the vocabulary: how many entries (reflections and the trash
    included) and check-ins name it, whether it is one of the user's own words, and the known
    word it is the start of (None when it starts none)."""

    name: str
    entries: int
    checkins: int
    own: bool
    suggestion: str | None

    @property
    def uses(self) -> int:
        return self.entries + self.checkins


def suggestion_for(word: str, known: Sequence[str] | None = None) -> str | None:
    """The known emotion ``word`` is the start of ("exhaus" -> "exhausted"), in the vocabulary's
    order; None for a known word itself or a word that starts none."""
    typed = normalise_label(word)
    words = emotion_words() if known is None else known
    if not typed or typed in words:
        return None
    return next((w for w in words if w.startswith(typed)), None)


def unknown_emotions(names: Iterable[str], own: Iterable[str]) -> list[str]:
    """The names (tidied) that are neither in the vocabulary nor among ``own``, in order,
    without repeats."""
    allowed = {*emotion_words(), *(normalise_label(w) for w in own)}
    found = dict.fromkeys(normalise_label(n) for n in names)
    return [n for n in found if n and n not in allowed]


def words_outside_vocabulary(journal: Journal) -> list[WordInUse]:
    """Every emotion name the journal's records use that is not in the vocabulary, and every
    own word (used or not): words not kept as one's own first, then the most used, then by
    name."""
    known = emotion_words()
    vocabulary = set(known)
    entries: Counter[str] = Counter()
    checkins: Counter[str] = Counter()
    for records, counter in ((journal.records(Entry), entries),
                             (journal.records(CheckIn), checkins)):
        for record in records:
            counter.update({e.name for e in record.emotions} - vocabulary)
    own = set(journal.own_emotions()) - vocabulary
    names = {*entries, *checkins, *own}
    words = [WordInUse(n, entries[n], checkins[n], n in own, suggestion_for(n, known))
             for n in names]
    words.sort(key=lambda w: (w.own, -w.uses, w.name))
    return words
