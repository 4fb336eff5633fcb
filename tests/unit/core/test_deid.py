"""De-identification detectors and redaction (journal_app/core/deid.py)."""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal_app.core.content import ContentError
from journal_app.core.deid import (
    CATEGORIES,
    CATEGORY_LABELS,
    Finding,
    _split_list,
    clean_names,
    find_identifiers,
    lexicon,
    placeholder,
    redact,
)
from journal_app.core.vault.journal import Journal

from .deid_corpus import CORPUS, HOLDOUT, format_table, misses, parse, score


def found(text: str, names: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return [(f.category, f.text) for f in find_identifiers(text, names)]


# ============================================================================ the test set


def test_the_test_set_is_large_enough_and_mixed() -> None:
    assert len(CORPUS) + len(HOLDOUT) >= 60
    assert sum(1 for p in CORPUS if not p.spans) >= 15  # passages without identifiers
    covered = {c for p in CORPUS for _s, _e, c in p.spans}
    assert covered == set(CATEGORIES)  # every category has examples


@pytest.mark.parametrize("category", ["date", "phone", "email", "record", "fax"])
def test_recall_is_complete_on_structured_identifiers(category: str) -> None:
    stats = score(CORPUS + HOLDOUT)[category]
    assert stats.support >= 4
    assert stats.recall == 1.0, "\n".join(misses(CORPUS + HOLDOUT))


def test_overall_figures_on_the_tuning_set() -> None:
    stats = score(CORPUS)
    print("\n" + format_table(stats))
    assert stats["all"].recall >= 0.98, "\n".join(misses(CORPUS))
    assert stats["all"].precision >= 0.95, "\n".join(misses(CORPUS))
    assert stats["name"].recall == 1.0


def test_overall_figures_on_the_holdout_set() -> None:
    """Written after tuning: the honest estimate (one known miss, one false alarm)."""
    stats = score(HOLDOUT)
    print("\n" + format_table(stats))
    assert stats["all"].recall >= 0.9, "\n".join(misses(HOLDOUT))
    assert stats["all"].precision >= 0.9, "\n".join(misses(HOLDOUT))


def test_parse_marks() -> None:
    p = parse("Mrs. {name:Lopez} on {date:3/14}.")
    assert p.text == "Mrs. Lopez on 3/14."
    assert [p.text[s:e] for s, e, _c in p.spans] == ["Lopez", "3/14"]


# ============================================================================ ordinary words


@pytest.mark.parametrize("text", [
    "I felt hope today. Grace under pressure is a skill.",
    "Grace is what the chaplain talked about.",
    "Hope is a discipline.",
    "Faith matters to many patients, and Joy is hard to find on nights.",
    "Dr. visits are exhausting for Mom and Dad.",
    "I had 3 Dr. visits this month.",
    "Mom said it was fine. Dad was quiet.",
    "March was a blur and I barely remember February.",
    "In April I start the sub-internship; May will be lighter.",
    "On Monday I cried. By Friday I could talk about it.",
    "In 2024 I want to get better at silence.",
    "Parkinson's disease and Alzheimer's dementia make these talks slower.",
    "The Emergency Department was full and the Palliative Care team came anyway.",
    "Foley placed. Morphine given. The ICU team came at 3am.",
    "Yesterday was hard. Today was better. Tomorrow is a day off.",
    "Will I ever get used to this? Mark my words, I will.",
])
def test_ordinary_words_are_not_names(text: str) -> None:
    assert [f for f in find_identifiers(text) if f.category in ("name", "place")] == []


@pytest.mark.parametrize("text", [
    "Pain was 7/10 this morning and 4/10 after the morphine.",
    "BP 118/72, HR 88, sats 94% on room air.",
    "Stress 7/10 today.",
    "Gave 4 mg of morphine and 0.5 mg of lorazepam at 0300.",
    "She is 72 and lives with her husband.",
    "We were there 24/7 for the last days.",
    "2/3 of the team agreed.",
    "Week 3: 12 admissions, 2 deaths.",
    "Lactate 4.2, then 2.1. MAP above 65.",
    "The temperature was 101 and the heart rate 110.",
])
def test_numbers_that_are_not_identifiers(text: str) -> None:
    assert find_identifiers(text) == []


# ============================================================================ each category


@pytest.mark.parametrize(("text", "expected"), [
    # names in context
    ("We met Mrs. Abernathy today.", [("name", "Abernathy")]),
    ("Her daughter Grace stayed.", [("name", "Grace")]),
    ("The nurse named Tom sat with him.", [("name", "Tom")]),
    ("A resident, Jonah, led the talk.", [("name", "Jonah")]),
    ("Name: Quentin Abernathy", [("name", "Quentin Abernathy")]),
    ("Maria's husband said they were married in 1956.", [("name", "Maria")]),
    ("Samira Haddad came in late.", [("name", "Samira Haddad")]),
    ("Prof. de la Cruz asked a question.", [("name", "de la Cruz")]),
    ("We called Zephyrine back.", [("name", "Zephyrine")]),
    # dates
    ("Admitted 3/14/2024.", [("date", "3/14/2024")]),
    ("Admitted 14.03.2024.", [("date", "14.03.2024")]),
    ("Admitted 2024-03-14T10:00.", [("date", "2024-03-14")]),
    ("Admitted 14-MAR-24.", [("date", "14-MAR-24")]),
    ("Seen Mar. 14th by the team.", [("date", "Mar. 14th")]),
    ("Seen on 14 March 2024.", [("date", "14 March 2024")]),
    ("We met again on the 14th.", [("date", "14th")]),
    ("She started in March 2024.", [("date", "March 2024")]),
    # ages
    ("A 92-year-old woman.", [("age", "92")]),
    ("He is aged 94.", [("age", "94")]),
    ("A 94 y/o man.", [("age", "94")]),
    ("Age 91, DNR.", [("age", "91")]),
    ("95M with sepsis.", [("age", "95")]),
    ("She was in her nineties.", [("age", "nineties")]),
    ("A ninety-three-year-old teacher.", [("age", "ninety-three")]),
    ("An 89-year-old man.", []),
    # phones, fax, email, url, ip
    ("Call (555) 123-4567 x204.", [("phone", "(555) 123-4567 x204")]),
    ("Call +44 20 7946 0958.", [("phone", "+44 20 7946 0958")]),
    ("Fax: 555-987-6543.", [("fax", "555-987-6543")]),
    ("Phone 555-111-2222, fax 555-111-3333.", [("phone", "555-111-2222"),
                                               ("fax", "555-111-3333")]),
    ("Mail a.b@example.org now.", [("email", "a.b@example.org")]),
    ("See https://example.org/a?b=1.", [("url", "https://example.org/a?b=1")]),
    ("See example.com for more.", [("url", "example.com")]),
    ("Host 192.0.2.7 and 2001:db8::1.", [("ip", "192.0.2.7"), ("ip", "2001:db8::1")]),
    # numbers
    ("SSN 123-45-6789.", [("ssn", "123-45-6789")]),
    ("MRN: 00448812.", [("record", "00448812")]),
    ("Chart #7781-2290 was wrong.", [("record", "7781-2290")]),
    ("Member ID XJH884421001.", [("plan", "XJH884421001")]),
    ("Account no. 55-991-2034.", [("account", "55-991-2034")]),
    ("Card 4111 1111 1111 1111.", [("account", "4111 1111 1111 1111")]),
    ("Licence number D1234567.", [("licence", "D1234567")]),
    ("Licence plate 7ABC123.", [("vehicle", "7ABC123")]),
    ("VIN 1HGCM82633A004352.", [("vehicle", "1HGCM82633A004352")]),
    ("Serial no. PJN884213K.", [("device", "PJN884213K")]),
    ("MAC 00:1A:2B:3C:4D:5E.", [("device", "00:1A:2B:3C:4D:5E")]),
    ("Case 20240314771 was filed.", [("number", "20240314771")]),
    # places
    ("They live at 1423 Oak Street, Apt 4B.", [("address", "1423 Oak Street, Apt 4B")]),
    ("PO Box 4471 is the address.", [("address", "PO Box 4471")]),
    ("Born in Chicago.", [("place", "Chicago")]),
    ("She moved to Cedar Falls, IA 50613.", [("place", "Cedar Falls"), ("zip", "50613")]),
    ("From Millbrook, by bus.", [("place", "Millbrook")]),
    ("In Millbrook, nobody locks a door.", [("place", "Millbrook")]),
    ("Moved from Mercy Hospital.", [("place", "Mercy Hospital")]),
    ("Zip code 97201.", [("zip", "97201")]),
    ("Postcode LS6 2AB.", [("zip", "LS6 2AB")]),
    ("Reading is my escape.", []),
    ("Austin, TX is hot.", [("place", "Austin")]),
    ("Dr. Lee, MD signed it.", [("name", "Lee")]),
])
def test_detectors(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # Issue 13: a ZIP code written after a town name, with or without a state.
    ("She lives in Springfield 01103 now.", [("place", "Springfield"), ("zip", "01103")]),
    ("Boston, MA 02115-1234 was on the form.", [("place", "Boston"), ("zip", "02115-1234")]),
    ("They moved to Worcester MA 01605.", [("place", "Worcester"), ("zip", "01605")]),
    ("Springfield, 01103 is printed on the envelope.",
     [("place", "Springfield"), ("zip", "01103")]),
    ("Send it to 9 Quarry Lane, Dunmore 18512 please.",
     [("address", "9 Quarry Lane"), ("place", "Dunmore"), ("zip", "18512")]),
    ("Home is Cedar Falls, 50613 now.", [("place", "Cedar Falls"), ("zip", "50613")]),
])
def test_zip_codes_after_a_town(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize("text", [
    "Heparin 25000 units ran overnight.",
    "Room 40213 is at the far end of the wing.",
    "Platelets 12500 this morning.",
    "Tuesday 14500 steps, and Wednesday fewer.",
    "In 2023 we had 12000 admissions.",
    "We gave Vancomycin 15000 mg over the week, which was a typo for 1500.",
    "Week 12500 of this rotation, it feels like.",
])
def test_ordinary_numbers_after_capitalised_words_are_not_zip_codes(text: str) -> None:
    assert [f for f in find_identifiers(text) if f.category == "zip"] == []


def test_zip_codes_are_found_throughout_the_tuning_set() -> None:
    stats = score(CORPUS)["zip"]
    assert stats.support >= 10
    assert stats.recall == 1.0, "\n".join(misses(CORPUS))
    assert stats.precision == 1.0, "\n".join(misses(CORPUS))


def test_every_category_has_a_label_and_placeholder() -> None:
    assert set(CATEGORY_LABELS) == set(CATEGORIES)
    assert placeholder("name") == "[name]"
    assert placeholder("date") == "[date]"
    assert placeholder("unheard-of") == "[redacted]"


def test_finding_json() -> None:
    f = Finding(3, 8, "name", "Lopez")
    assert f.to_json() == {"start": 3, "end": 8, "category": "name", "text": "Lopez"}


# ============================================================================ the user's names


def test_user_names_match_in_any_case_as_whole_words() -> None:
    text = "zephyrine smiled. ZEPHYRINE waved. Zephyrines is not her. Ana-Zephyrine is."
    hits = find_identifiers(text, ["Zephyrine"])
    # A hyphen separates words: a double-barrelled name holds the name.
    assert [f.text for f in hits] == ["zephyrine", "ZEPHYRINE", "Ana-Zephyrine"]


def test_user_names_make_ordinary_words_names() -> None:
    assert found("I felt hope today.", ("Hope",)) == [("name", "hope")]
    assert found("Will came by.", ("Will",)) == [("name", "Will")]
    assert found("Bed 12 is Quill Abernathy.", ("Quill",)) == [("name", "Quill Abernathy")]


def test_user_names_with_special_characters_are_literal() -> None:
    assert found("Dr. O'Brien (Jr.) came.", ("O'Brien (Jr.)",)) == [("name", "O'Brien (Jr.)")]
    assert found("a.b and axb", ("a.b",)) == [("name", "a.b")]


def test_clean_names() -> None:
    assert clean_names(["  Maria  Lopez ", "maria lopez", "", "x", "12", "B" * 101, "Al"]) == (
        "Maria Lopez", "Al")


# ============================================================================ redaction


def test_redact_accepted_changed_ignored() -> None:
    text = "Mrs. Lopez, 92-year-old, seen 3/14/2024 by Dr. Patel."
    findings = find_identifiers(text)
    assert [f.text for f in findings] == ["Lopez", "92", "3/14/2024", "Patel"]
    decisions = [
        (findings[0], placeholder("name")),  # accepted
        (findings[1], None),  # ignored
        (findings[2], "in spring"),  # changed
        (findings[3], placeholder("name")),
    ]
    assert redact(text, decisions) == "Mrs. [name], 92-year-old, seen in spring by Dr. [name]."


def test_redact_refuses_mismatch_and_overlap() -> None:
    text = "Mrs. Lopez came."
    with pytest.raises(ValueError, match="match"):
        redact(text, [(Finding(5, 10, "name", "Smith"), "[name]")])
    with pytest.raises(ValueError, match="outside"):
        redact(text, [(Finding(5, 99, "name", "Lopez came."), "[name]")])
    a, b = Finding(5, 10, "name", "Lopez"), Finding(7, 12, "name", "pez c")
    with pytest.raises(ValueError, match="overlap"):
        redact(text, [(a, "[name]"), (b, "[name]")])
    assert redact(text, [(a, "[name]"), (b, None)]) == "Mrs. [name] came."
    assert redact(text, []) == text


# ============================================================================ word lists


def test_word_lists_load_and_are_sane() -> None:
    lex = lexicon()
    assert "maria" in lex.known_names and "grace" not in lex.known_names
    assert "grace" in lex.ambiguous_names and "monday" in lex.safe_words
    assert "new york" in lex.places and "il" in lex.state_codes
    assert not lex.known_names & lex.safe_words - lex.ambiguous_names


def test_word_list_check_refuses_repeats_and_capitals() -> None:
    assert _split_list("x", "a, b,\n c  d ,") == ["a", "b", "c d"]
    with pytest.raises(ContentError):
        _split_list("x", "a, b, a")
    with pytest.raises(ContentError):
        _split_list("x", "a, B")
    with pytest.raises(ContentError):
        _split_list("x", ["a"])


# ============================================================================ properties

_FRAGMENTS = [
    "Mrs. Lopez", "Dr. visits", "Grace", "on 3/14/2024", "(555) 123-4567", "MRN 00448812",
    "a.b@example.org", "https://example.org/x", "192.0.2.1", "fe80::1", "12 Oak Street",
    "Springfield, IL 62704", "aged 94", "the 14th", "Maria's", "1HGCM82633A004352", "\n", "#",
    "## Heading", "'s", "St. ", "in ", "daughter ", "ninety", "7/10", "::", ":", "-", "’",
    "Zoë Ñúñez", "İstanbul", "ß", "\u0130", "\ufb01", "😀",
]
_texts = st.lists(
    st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=20)), max_size=25
).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_texts, names=st.lists(st.text(max_size=12), max_size=3))
def test_findings_are_sorted_in_range_and_disjoint(text: str, names: list[str]) -> None:
    findings = find_identifiers(text, names)
    last_end = 0
    for f in findings:
        assert 0 <= last_end <= f.start < f.end <= len(text)
        assert text[f.start:f.end] == f.text
        assert f.category in CATEGORIES
        last_end = f.end


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_texts, names=st.lists(st.text(max_size=12), max_size=3))
def test_accepting_everything_removes_every_finding(text: str, names: list[str]) -> None:
    findings = find_identifiers(text, names)
    out = redact(text, [(f, placeholder(f.category)) for f in findings])
    kept: list[str] = []  # the text outside the findings, unchanged
    pos = 0
    for f in findings:
        kept.append(text[pos:f.start])
        pos = f.end
    kept.append(text[pos:])
    expected = "".join(
        k + (placeholder(findings[i].category) if i < len(findings) else "")
        for i, k in enumerate(kept)
    )
    assert out == expected
    masked = "\0".join(kept)
    for f in findings:
        # A finding's text survives only where it also stood outside every finding (a
        # bracket or NUL could make it straddle a placeholder: such texts are left out).
        if f.text in out and not any(c in f.text for c in "[]\0"):
            assert f.text in masked


def test_redacting_every_finding_of_the_test_set_leaves_no_marked_identifier() -> None:
    for passage in CORPUS:
        findings = find_identifiers(passage.text, passage.names)
        out = redact(passage.text, [(f, placeholder(f.category)) for f in findings])
        for start, end, _category in passage.spans:
            assert passage.text[start:end] not in out, (passage.text, out)


# ============================================================================ speed


def test_a_5000_word_entry_is_fast() -> None:
    rng = random.Random(3)
    plain = [p.text for p in CORPUS if not p.spans]
    marked = [p.text for p in CORPUS if p.spans]
    parts: list[str] = []
    words = 0
    while words < 5000:
        part = rng.choice(marked) if rng.random() < 0.15 else rng.choice(plain)
        parts.append(part)
        words += len(part.split())
    text = "\n\n".join(parts)
    find_identifiers(text)  # word lists loaded, patterns compiled
    best = min(_cpu_time(lambda: find_identifiers(text)) for _ in range(5))
    # The target is 50 ms (measured ~40 ms here); the bound leaves room for a busy CI machine.
    assert best < 0.15, f"{best * 1000:.0f} ms"


def _cpu_time(fn: object) -> float:
    assert callable(fn)
    start = time.process_time()
    fn()
    return time.process_time() - start


# ============================================================================ the list in the vault


def test_the_names_list_is_kept_encrypted_in_the_vault(journal: Journal) -> None:
    assert journal.deid_names() == []
    assert journal.add_deid_names(["Zephyrine Quillfeather", " zephyrine  quillfeather "]) == [
        "Zephyrine Quillfeather"]
    assert journal.add_deid_names(["Boaz"]) == ["Zephyrine Quillfeather", "Boaz"]
    state = journal.app_state()
    assert state.deid_names == ("Zephyrine Quillfeather", "Boaz")
    data_dir = journal.data_dir
    journal.close()
    reopened = Journal.open(data_dir)
    reopened.unlock("correct horse")
    try:
        assert reopened.deid_names() == ["Zephyrine Quillfeather", "Boaz"]
        assert reopened.set_deid_names(["Boaz"]) == ["Boaz"]
        assert reopened.search("Boaz") == []  # never in the search index
    finally:
        reopened.close()
    for path in (p for p in data_dir.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for encoding in ("utf-8", "utf-16-le"):
            assert "Quillfeather".encode(encoding) not in data, path.name


def test_a_vault_without_the_names_field_still_reads() -> None:
    from journal_app.core.records.model import AppState, decode_record

    state = decode_record("app-state", 1, "a" * 32, {"shown_prompts": ["p1"]})
    assert isinstance(state, AppState)
    assert state.deid_names == ()
    with pytest.raises(ValueError):
        AppState(deid_names=["x" * 101])
