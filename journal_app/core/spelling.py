"""Spell checking, offline and without Qt: which words of a text are flagged, and what to suggest.

Everything stays on this computer. The words come from:

* the language's word list shipped inside pyspellchecker's wheel (MIT; en, es, fr, de, pt, it,
  ru, ar, lv, eu, nl, fa), which also computes suggestions (edit distance, most frequent first);
* a list of medical terms (``resources/spelling/medical-terms-en.txt.gz``: cspell's
  "medicalterms" dictionary, itself OpenMedSpel and MTH-Med-Spel-Chek merged; GPL-3.0-or-later,
  like journal-app) and journal-app's own list (``resources/spelling/journal-words.txt``: the
  words of the prompts and templates, palliative-care and clinical terms), in every language,
  since drug and disease names are spelt alike in most of them;
* the user's own words, kept encrypted in the journal's app state (``AppState.spelling_words``)
  and the de-identification list of names (``AppState.deid_names``): they reach a
  :class:`Speller` in memory only, never a word-list file, and are dropped with it.

A :class:`Dictionary` (one per language, shared, loaded once: a second or so) holds no private
word; a :class:`Speller` adds the user's words on top and caches its answer per word, so a long
entry is checked with one dictionary look-up per distinct word.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
from collections.abc import Iterable, Iterator
from importlib import resources

from journal_app.core.content import content_dir

#: The languages pyspellchecker ships a word list for, as the user sees them (in their own
#: language). The default language comes from the system's locale, else English.
LANGUAGE_NAMES = {
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "de": "Deutsch",
    "pt": "Português",
    "it": "Italiano",
    "nl": "Nederlands",
    "ru": "Русский",
    "lv": "Latviešu",
    "eu": "Euskara",
    "ar": "العربية",
    "fa": "فارسی",
}
DEFAULT_LANGUAGE = "en"

#: The user's own words: how many, and how long each may be (the app state checks the same).
MAX_OWN_WORDS = 5_000
MAX_WORD = 64

#: A word: letters, with apostrophes inside ("don't", "Okonkwo's"). Digits and underscores are
#: taken in so that "5mg", "B12" or "snake_case" are found whole, and then left alone.
_TOKEN = re.compile(r"\w+(?:['’]\w+)*")
#: Never checked: links, e-mail addresses, inline code and Markdown link targets.
_SKIP = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|`[^`\n]*`|\]\([^)\n]*\)")
_NOT_LETTERS = re.compile(r"[\d_]")
#: British spellings the English list (American) lacks: each rule maps to the American form,
#: tried one at a time and all together ("colour", "organise", "paediatric", "centre",
#: "counselling", "programme", "manoeuvre").
_BRITISH = (
    (re.compile(r"our(s|ed|ing|ite|ites|able|ably|ful|less)?$"), r"or\1"),
    (re.compile(r"our(?=[a-z])"), "or"),
    (re.compile(r"is(e|es|ed|ing|ation|ations|er|ers)$"), r"iz\1"),
    (re.compile(r"ys(e|es|ed|ing)$"), r"yz\1"),
    (re.compile(r"ae"), "e"),
    (re.compile(r"oe(?=[a-z])"), "e"),
    (re.compile(r"(?<=[bcgtv])re(s?)$"), r"er\1"),
    (re.compile(r"(?<=[bcgtv])red$"), "ered"),
    (re.compile(r"ogue(s)?$"), r"og\1"),
    (re.compile(r"ence(s)?$"), r"ense\1"),
    (re.compile(r"ll(ed|ing|er|ers|or|ors)$"), r"l\1"),
    (re.compile(r"mme(s)?$"), r"m\1"),
)


def available_languages() -> dict[str, str]:
    """The languages the user may choose: code -> name, those the installed library ships."""
    from spellchecker import SpellChecker

    shipped = set(SpellChecker.languages())
    return {code: name for code, name in LANGUAGE_NAMES.items() if code in shipped}


def language_for_locale(name: str | None) -> str:
    """The language for a locale name ("fr_FR", "pt-BR.UTF-8", "C"): its language when one is
    shipped, else English."""
    code = (name or "").replace("-", "_").split("_")[0].split(".")[0].lower()
    return code if code in LANGUAGE_NAMES else DEFAULT_LANGUAGE


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """The words of ``text`` worth checking, as (start, end, word): not in links, e-mail
    addresses or inline code, no token with a digit or an underscore, no single letter."""
    skipped = [m.span() for m in _SKIP.finditer(text)] if ("/" in text or "@" in text
                                                             or "`" in text or "](" in text) \
        else []
    s = 0
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        while s < len(skipped) and skipped[s][1] <= start:
            s += 1
        if s < len(skipped) and skipped[s][0] < end:
            continue
        word = match.group()
        if end - start < 2 or _NOT_LETTERS.search(word):
            continue
        yield start, end, word


def clean_words(given: Iterable[str]) -> tuple[str, ...]:
    """The user's own words, tidied: trimmed, one word each (letters, apostrophes, hyphens), no
    repeats (case-insensitively), at most :data:`MAX_WORD` characters; the first spelling
    kept."""
    out: dict[str, str] = {}
    for raw in given:
        word = str(raw).strip().replace("’", "'")
        if not 2 <= len(word) <= MAX_WORD or not all(c.isalpha() or c in "'-" for c in word) \
                or not any(c.isalpha() for c in word):
            continue
        out.setdefault(word.casefold(), word)
    return tuple(out.values())


def _fold(word: str) -> str:
    return word.replace("’", "'").casefold()


def extra_words() -> frozenset[str]:
    """The medical terms and journal-app's own words (folded), for every language (read each
    time: a :class:`Dictionary` keeps them in its word list, not twice)."""
    folder = content_dir("resources") / "spelling"
    found: set[str] = set()
    with gzip.open(folder / "medical-terms-en.txt.gz", "rt", encoding="utf-8") as fh:
        medical = fh.read()
    own = (folder / "journal-words.txt").read_text(encoding="utf-8")
    for text in (medical, own):
        for line in text.splitlines():
            if line.startswith("#"):
                continue
            for _s, _e, word in words(line):
                found.add(_fold(word))
    return frozenset(found)


def _parse_frequencies(text: str) -> dict[str, int]:
    """pyspellchecker's word list (a JSON object, one "word": count pair a line) read a few
    thousand lines at a time, so that the thread loading it lets the window's thread run in
    between (one ``json.loads`` of the whole list would hold the interpreter for a second)."""
    lines = text.strip().removeprefix("{").removesuffix("}").split("\n")
    out: dict[str, int] = {}
    step = 4_000
    try:
        for i in range(0, len(lines), step):
            chunk = ",".join(line.strip().rstrip(",") for line in lines[i:i + step]
                             if line.strip())
            if chunk:
                out.update(json.loads("{" + chunk + "}"))
    except ValueError:  # not one pair a line: read it whole
        out = json.loads(text)
    return out


class Dictionary:
    """One language's words (the library's list, the medical terms, journal-app's own words):
    shared by every journal, so it never holds a word of the user's."""

    def __init__(self, language: str) -> None:
        from spellchecker import SpellChecker

        if language not in LANGUAGE_NAMES:
            raise ValueError(f"no word list for the language {language!r}")
        self.language = language
        data = (resources.files("spellchecker") / "resources" / f"{language}.json.gz").read_bytes()
        frequencies = _parse_frequencies(gzip.decompress(data).decode("utf-8"))
        if not all(word == _fold(word) for word in frequencies):
            folded: dict[str, int] = {}
            for word, count in frequencies.items():
                folded[_fold(word)] = folded.get(_fold(word), 0) + count
            frequencies = folded
        # Every word is folded here, and every word asked about is folded first: the checker
        # is told the case matters, so that it keeps these words instead of a lower-cased
        # copy of each (with the medical terms, 40 against 61 MB for English; issue 18).
        self._checker = SpellChecker(language=None, distance=1, case_sensitive=True)
        self._checker.word_frequency.load_json(frequencies)
        # The suggestions include the medical terms (below any word of the language's list).
        self._checker.word_frequency.load_words(extra_words() - frequencies.keys())
        del frequencies
        self._words = self._checker.word_frequency.dictionary

    def knows(self, word: str) -> bool:
        """Whether ``word`` (any case, either apostrophe) is spelt right in this language."""
        folded = _fold(word)
        if folded in self._words:
            return True
        if folded.endswith("'s") and len(folded) > 3:
            return self.knows(folded[:-2])
        if self.language == "en":
            return any(v in self._words for v in _american(folded))
        return False

    def near(self, word: str) -> list[str]:
        """Words one edit from ``word`` (folded), most frequent first."""
        folded = _fold(word)
        found = self._checker.known(self._checker.edit_distance_1(folded))
        if not found and len(folded) <= 5:
            # Two edits away: quick for a short word only; a longer word's hundred thousand
            # candidates would keep the menu waiting a second, and one edit finds most typos.
            found = self._checker.known(self._checker.edit_distance_2(folded))
        return sorted(found, key=lambda w: (-self._words.get(w, 0), w))

    def one_edit(self, word: str) -> set[str]:
        """Every string one edit from ``word`` (folded), known or not."""
        return set(self._checker.edit_distance_1(_fold(word)))


def _american(word: str) -> set[str]:
    forms: set[str] = set()
    together = word
    for pattern, repl in _BRITISH:
        forms.add(pattern.sub(repl, word))
        together = pattern.sub(repl, together)
    forms.add(together)
    forms.discard(word)
    return forms


_loaded: dict[str, Dictionary] = {}
_loading = threading.Lock()


def dictionary(language: str) -> Dictionary:
    """The :class:`Dictionary` for ``language``, loaded the first time (about a second; call it
    off the window's thread) and kept for the life of the process."""
    with _loading:
        found = _loaded.get(language)
        if found is None:
            found = _loaded[language] = Dictionary(language)
        return found


class Speller:
    """A :class:`Dictionary` and the user's own words (their list, and the names of the
    de-identification list): which words are flagged, and suggestions. Answers are cached per
    word as typed until the own words change."""

    def __init__(self, dictionary: Dictionary, own_words: Iterable[str] = (),
                 names: Iterable[str] = ()) -> None:
        self.dictionary = dictionary
        #: The own words, folded -> as the user spelt them.
        self._own: dict[str, str] = {}
        self._cache: dict[str, bool] = {}
        self.set_own_words(own_words, names)

    @property
    def language(self) -> str:
        return self.dictionary.language

    def set_own_words(self, own_words: Iterable[str], names: Iterable[str] = ()) -> None:
        own: dict[str, str] = {}
        for text in (*names, *own_words):
            for _s, _e, word in words(text):
                own[_fold(word)] = word
        self._own = own
        self._cache.clear()

    def forget_own_words(self) -> None:
        """Drop the user's words from memory (the journal locked)."""
        self.set_own_words(())

    def is_flagged(self, word: str) -> bool:
        """Whether ``word`` (one of :func:`words`) is shown as misspelt. Acronyms in capitals
        ("DNACPR", "SBAR", "GPs", "OSCE's") never are."""
        flagged = self._cache.get(word)
        if flagged is None:
            if len(self._cache) > 100_000:
                self._cache.clear()
            folded = _fold(word)
            flagged = not (
                _acronym(word) or folded in self._own
                or (folded.endswith("'s") and folded[:-2] in self._own)
                or self.dictionary.knows(word))
            self._cache[word] = flagged
        return flagged

    def flagged(self, text: str) -> list[tuple[int, int, str]]:
        """The flagged words of ``text``: (start, end, word)."""
        return [w for w in words(text) if self.is_flagged(w[2])]

    def suggestions(self, word: str, limit: int = 6) -> list[str]:
        """Up to ``limit`` corrections for ``word``, nearest and most frequent first, in the
        case it was typed in ("Recieve" -> "Receive"); the user's own words close to it first."""
        folded = _fold(word)
        own = [self._own[w] for w in sorted(self.dictionary.one_edit(folded) & self._own.keys())]
        near = [_same_case(word, w) for w in self.dictionary.near(folded)]
        found = [w for w in dict.fromkeys([*own, *near]) if _fold(w) != folded]
        return found[:limit]


def _acronym(word: str) -> bool:
    bare = word[:-2] if word.endswith(("'s", "’s")) else word[:-1] if word.endswith("s") else word
    return len(bare) >= 2 and bare.isupper()


def _same_case(typed: str, word: str) -> str:
    if typed[:1].isupper() and not typed[1:2].isupper():
        return word[:1].upper() + word[1:]
    return word
