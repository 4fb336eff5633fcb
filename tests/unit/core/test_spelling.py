"""Spell checking without Qt (issue 17, section 2): which words are checked, which are flagged,
the medical and journal-app word lists, the British spellings, suggestions, and the user's own
words kept encrypted in the journal."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from typing import Any

import pytest

from journal_app.core import spelling
from journal_app.core.content import content_dir
from journal_app.core.records.model import (
    MAX_SPELLING_WORD,
    MAX_SPELLING_WORDS,
    AppState,
    decode_record,
)
from journal_app.core.spelling import Speller, clean_words, dictionary, words
from journal_app.core.vault.journal import Journal


@pytest.fixture(scope="module")
def english() -> Speller:
    return Speller(dictionary("en"))


def flagged(speller: Speller, text: str) -> list[str]:
    return [w for _s, _e, w in speller.flagged(text)]


# ------------------------------------------------------------------------------ tokenising


def test_words_are_found_with_their_positions() -> None:
    text = "Mrs Okonkwo's daughter didn't cry."
    assert [(s, e, w) for s, e, w in words(text)] == [
        (0, 3, "Mrs"), (4, 13, "Okonkwo's"), (14, 22, "daughter"), (23, 29, "didn't"),
        (30, 33, "cry")]
    assert all(text[s:e] == w for s, e, w in words(text))


def test_links_addresses_code_numbers_and_single_letters_are_not_checked() -> None:
    text = ("See https://exampel.org/wrnog and mail me@exampel.org, run `pritn x`, "
            "[the notes](notes/wrnog.md) 5mg B12 snake_case a I x-ray")
    assert [w for _s, _e, w in words(text)] == [
        "See", "and", "mail", "run", "the", "notes", "ray"]


def test_hyphenated_words_are_checked_part_by_part() -> None:
    assert [w for _s, _e, w in words("end-of-life care")] == ["end", "of", "life", "care"]


# ------------------------------------------------------------------------------ flagging


def test_misspellings_are_flagged_and_right_words_are_not(english: Speller) -> None:
    assert flagged(english, "I could not recieve teh news; it was definately hard.") == [
        "recieve", "teh", "definately"]
    assert flagged(english, "I could not receive the news; it was definitely hard.") == []


def test_case_apostrophes_and_acronyms(english: Speller) -> None:
    assert flagged(english, "Grief GRIEF grief’s the patient's SBAR OSCEs GPs DNACPR's") == []
    assert flagged(english, "Recieve RECIEVE") == ["Recieve"]  # capitals only skip acronyms
    assert english.is_flagged("Recieve") and not english.is_flagged("RECIEVE")


@pytest.mark.parametrize("word", [
    "hospice", "palliative", "intubated", "DNR", "dnr", "DNACPR", "morphine", "midazolam",
    "haloperidol", "oncology", "metastatic", "sepsis", "ICU", "extubated", "dyspnoea",
    "levomepromazine", "glycopyrronium", "hyoscine", "debriefing", "mentee", "wellbeing",
    "clerkship", "bereavement", "Kübler-Ross",
    # from the medical terms list only
    "cholecystectomy", "thrombocytopenia", "bronchiolitis",
])
def test_medical_and_palliative_care_words_are_known(english: Speller, word: str) -> None:
    assert flagged(english, word) == []


@pytest.mark.parametrize("word", [
    "colour", "behaviour", "organised", "paediatric", "oesophagus", "centre", "centred",
    "theatre", "counselling", "travelled", "programme", "licence", "anaesthetist", "manoeuvre",
    "catalogue", "favourite", "haemorrhage",
])
def test_british_spellings_are_known_in_english(english: Speller, word: str) -> None:
    assert not english.is_flagged(word)


def test_the_british_rules_do_not_excuse_misspellings(english: Speller) -> None:
    assert flagged(english, "colur behavour organnise cntre") == [
        "colur", "behavour", "organnise", "cntre"]


def _strings(value: Any, key: str = "") -> Iterator[str]:
    if isinstance(value, str):
        if key != "id":  # ids are names for the program ("gb-samaritans"), not text
            yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)


def _shipped_text() -> Iterator[tuple[str, str]]:
    prompts = content_dir("prompts")
    for path in sorted(prompts.rglob("*.toml")):
        for text in _strings(tomllib.loads(path.read_text(encoding="utf-8"))):
            yield str(path.relative_to(prompts.parent)), text
    resources = content_dir("resources")
    for text in _strings(tomllib.loads((resources / "support.toml").read_text("utf-8"))):
        yield "resources/support.toml", text
    for line in (resources / "support-phrases.txt").read_text("utf-8").splitlines():
        if not line.startswith("#"):
            yield "resources/support-phrases.txt", line


def test_every_word_of_the_prompts_templates_and_vocabularies_is_known(
        english: Speller) -> None:
    """The prompts, templates, emotion and coping vocabularies, assessments and support lines
    the app shows: none of their words is flagged (a word that is, is a typo in them or belongs
    in resources/spelling/journal-words.txt)."""
    found = {}
    count = 0
    for where, text in _shipped_text():
        for word in flagged(english, text):
            found.setdefault(word, where)
        count += 1
    assert count > 500  # the files were read
    assert found == {}


def test_the_user_words_and_deid_names_count_as_known() -> None:
    speller = Speller(dictionary("en"), ["Zephyrine", "O'Dowd"], ["Mrs Adaeze Quillfeather"])
    assert flagged(speller, "Zephyrine met Adaeze Quillfeather and O’Dowd's son, Zephyrine's "
                            "friend") == []
    speller.forget_own_words()
    assert flagged(speller, "Zephyrine met Adaeze Quillfeather") == [
        "Zephyrine", "Adaeze", "Quillfeather"]
    speller.set_own_words(["zephyrine"])  # any case
    assert flagged(speller, "ZEPHYRINE Zephyrine") == []


def test_the_word_lists_hold_no_word_of_the_user(english: Speller) -> None:
    Speller(dictionary("en"), ["Zephyrine"])
    assert english.is_flagged("Zephyrine")
    assert "zephyrine" not in spelling.extra_words()


# ------------------------------------------------------------------------------ suggestions


def test_suggestions_nearest_and_most_frequent_first_in_the_case_typed(
        english: Speller) -> None:
    assert english.suggestions("recieve")[:2] == ["receive", "relieve"]
    assert english.suggestions("Recieve")[0] == "Receive"
    assert english.suggestions("midazolan") == ["midazolam"]
    assert english.suggestions("teh")[0] == "the"  # two edits for a short word
    assert "the" not in english.suggestions("the")
    assert english.suggestions("qqqqqqqqqqqqqqqqqqq") == []


def test_the_users_own_words_are_suggested_first_as_they_spelt_them() -> None:
    speller = Speller(dictionary("en"), ["Okonkwo"])
    assert speller.suggestions("Okonkow")[0] == "Okonkwo"
    assert speller.suggestions("okonkwoo")[0] == "Okonkwo"


# ------------------------------------------------------------------------------ languages


def test_the_languages_offered_are_those_the_library_ships() -> None:
    offered = spelling.available_languages()
    assert {"en", "es", "fr", "de", "pt", "it", "nl", "ru"} <= offered.keys()
    assert offered["fr"] == "Français"


@pytest.mark.parametrize(("locale", "language"), [
    ("fr_FR", "fr"), ("pt-BR.UTF-8", "pt"), ("de_DE.UTF-8", "de"), ("C", "en"), (None, "en"),
    ("ja_JP", "en"), ("", "en"), ("en_GB", "en"),
])
def test_the_default_language_follows_the_locale(locale: str | None, language: str) -> None:
    assert spelling.language_for_locale(locale) == language


def test_the_word_list_is_read_as_json_reads_it() -> None:
    """The list is parsed a few thousand lines at a time (the loading thread lets the window's
    thread run between them): the result is json's, and a list not laid out one pair a line
    is read whole."""
    import gzip
    import json
    from importlib import resources

    data = (resources.files("spellchecker") / "resources" / "ru.json.gz").read_bytes()
    text = gzip.decompress(data).decode("utf-8")
    assert spelling._parse_frequencies(text) == json.loads(text)
    assert spelling._parse_frequencies('{"a": 1, "b": 2}') == {"a": 1, "b": 2}
    assert spelling._parse_frequencies('{"a": 1,\n "b": 2,\n "c": 3}') == {"a": 1, "b": 2, "c": 3}


def test_another_language_has_its_own_words_and_the_medical_ones() -> None:
    french = Speller(dictionary("fr"))
    assert flagged(french, "Je suis très fatiguée ce soir, la morphine et le midazolam") == []
    assert flagged(french, "Je suis trés fatiguéee") == ["trés", "fatiguéee"]
    with pytest.raises(ValueError):
        dictionary("xx")


# ------------------------------------------------------------------------------ own words


def test_own_words_are_tidied() -> None:
    assert clean_words([" Okonkwo ", "okonkwo", "O’Dowd", "Smith-Jones", "two words", "x",
                        "5mg", "", "a" * 65]) == ("Okonkwo", "O'Dowd", "Smith-Jones")


def test_the_limits_are_the_app_states() -> None:
    assert (spelling.MAX_OWN_WORDS, spelling.MAX_WORD) == (MAX_SPELLING_WORDS, MAX_SPELLING_WORD)
    with pytest.raises(ValueError):
        AppState(spelling_words=("x" * (MAX_SPELLING_WORD + 1),))
    with pytest.raises(ValueError):
        AppState(spelling_words=("w",) * (MAX_SPELLING_WORDS + 1))


def test_own_words_are_kept_encrypted_in_the_vault(journal: Journal) -> None:
    assert journal.spelling_words() == []
    assert journal.add_spelling_words(["Quillfeather", "quillfeather", "two words"]) == [
        "Quillfeather"]
    assert journal.add_spelling_words(["Zephyrine"]) == ["Quillfeather", "Zephyrine"]
    assert journal.remove_spelling_words(["QUILLFEATHER"]) == ["Zephyrine"]
    assert journal.add_spelling_words(["Quillfeather"]) == ["Zephyrine", "Quillfeather"]
    data_dir = journal.data_dir
    journal.close()
    reopened = Journal.open(data_dir)
    reopened.unlock("correct horse")
    try:
        assert reopened.spelling_words() == ["Zephyrine", "Quillfeather"]
        assert reopened.search("Quillfeather") == []  # never in the search index
    finally:
        reopened.close()
    for path in (p for p in data_dir.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for encoding in ("utf-8", "utf-16-le"):
            for word in ("Quillfeather", "quillfeather", "Zephyrine"):
                assert word.encode(encoding) not in data, path.name


def test_a_vault_without_the_words_field_still_reads() -> None:
    state = decode_record("app-state", 1, "a" * 32, {"deid_names": ["Ann"]})
    assert isinstance(state, AppState)
    assert state.spelling_words == ()


def test_the_medical_list_and_its_licence_are_shipped() -> None:
    folder = content_dir("resources")
    assert (folder / "spelling" / "medical-terms-en.txt.gz").is_file()
    licence = (folder / "licenses" / "medical-terms-en.txt").read_text(encoding="utf-8")
    assert "GNU GENERAL PUBLIC LICENSE" in licence and "OpenMedSpel" in licence
    assert len(spelling.extra_words()) > 90_000
