"""Support and crisis lines: the shipped list, countries, the crisis sentence, and the severe
signals that offer the support panel (check-ins, reflection scales, the wellbeing check, and
entry text about wanting to die or harming oneself)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from journal_app.core.practice.prompts import load_library
from journal_app.core.practice.support import (
    OfferLog,
    checked_text,
    crisis_sentence,
    entry_is_severe,
    normalize_country,
    severe_pattern,
    support_list,
    system_country,
    text_is_severe,
    wellbeing_is_severe,
)
from journal_app.core.records.model import CheckIn, Entry, Reflection, SelfAssessment, StepAnswer

#: A fixed today: no test here turns red with the calendar.
TODAY = date(2026, 12, 6)


def test_support_resources_load_with_dates_and_disclaimer() -> None:
    support = support_list()
    assert "does not diagnose" in support.disclaimer
    assert {"US", "CA", "GB", "IE", "AU"} <= set(support.countries())
    us = support.for_country("us")
    assert [r.id for r in us][:1] == ["us-988"] and us[-1].country == "INTL"
    assert any("741741" in r.contact for r in us)
    assert [r.country for r in support.for_country("FR")] == ["INTL"]


def test_every_support_line_has_url_hours_date_and_checker() -> None:
    lines = [r for r in support_list().resources if not r.placeholder]
    assert len(lines) >= 9
    for r in lines:
        assert r.url and r.url.startswith("https://"), r.id
        assert r.hours and r.hours.strip(), r.id
        assert isinstance(r.last_checked, date), r.id
        assert r.checked_by == "journal-app maintainers", r.id
        assert isinstance(r.verified, bool), r.id
    (intl,) = [r for r in support_list().resources if r.placeholder]
    assert intl.country == "INTL" and intl.last_checked is None
    assert checked_text(intl, TODAY) == ""


def test_the_lines_the_issue_asks_for_are_there() -> None:
    by_id = {r.id: r for r in support_list().resources}
    bma = next(r for r in by_id.values() if "0330 123 1245" in r.contact)
    assert bma.country == "GB" and "medical students" in bma.description
    assert "24" in bma.hours
    psl = next(r for r in by_id.values() if "1-888-409-0141" in r.contact)
    assert psl.country == "US" and "Eastern" in psl.hours and "1 a.m." in psl.hours
    drs = next(r for r in by_id.values() if "1300 374 377" in r.contact)
    assert drs.country == "AU" and "medical students" in drs.description
    assert any(r.country == "IE" and "116 123" in r.contact for r in by_id.values())
    assert any(r.country == "GB" and "116 123" in r.contact for r in by_id.values())
    ph = next(r for r in by_id.values() if "0300 0303 300" in r.contact)
    assert "not" in ph.description and "students" in ph.description


def test_an_old_check_says_so_and_a_recent_one_shows_its_date() -> None:
    line = support_list().for_country("GB")[0]
    assert line.last_checked is not None
    assert checked_text(line, line.last_checked + timedelta(days=30)).startswith("checked ")
    assert str(line.last_checked.year) in checked_text(line, line.last_checked)
    stale = checked_text(line, line.last_checked + timedelta(days=400))
    assert stale == "checked more than a year ago"


@pytest.mark.parametrize(("country", "number"), [
    ("US", "911"), ("CA", "911"), ("GB", "999"), ("IE", "112 or 999"), ("AU", "000"),
    ("INTL", "your local emergency number"), ("FR", "your local emergency number"),
])
def test_the_crisis_sentence_names_the_feeling_and_the_emergency_number(
        country: str, number: str) -> None:
    sentence = crisis_sentence(country)
    assert "not wanting to be alive" in sentence and "tonight" in sentence
    assert number in sentence
    assert sentence.count(".") == 1 and sentence.endswith(".")  # one sentence
    assert support_list().emergency_number(country) == number


@pytest.mark.parametrize(("text", "code"), [
    ("GB", "GB"), ("gb", "GB"), ("UK", "GB"), (" uk ", "GB"), ("IE", "IE"), ("FR", "FR"),
])
def test_country_codes(text: str, code: str) -> None:
    assert normalize_country(text) == code


@pytest.mark.parametrize("text", ["", "G", "GBR", "G1", "12", "INTL", "É1", "U K"])
def test_malformed_country_codes_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        normalize_country(text)


@pytest.mark.parametrize(("environ", "code"), [
    ({"LANG": "en_AU.UTF-8"}, "AU"),
    ({"LC_ALL": "en_IE.UTF-8", "LANG": "en_US.UTF-8"}, "IE"),
    ({"LC_MESSAGES": "en_GB", "LANG": "en_US.UTF-8"}, "GB"),
    ({"LANG": "C.UTF-8"}, None),
    ({"LANG": "POSIX"}, None),
    ({}, None),
])
def test_the_system_country_comes_from_the_locale(environ: dict[str, str],
                                                  code: str | None) -> None:
    assert system_country(environ) == code


# ---------------------------------------------------------------------------- severe signals


def test_severe_pattern_needs_burnout_5_or_repeated_high_stress() -> None:
    now = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)
    today = now.astimezone().date()

    def at(days_ago: int, **kw: int) -> CheckIn:
        return CheckIn(created=now - timedelta(days=days_ago), **kw)

    assert not severe_pattern([], today)
    assert severe_pattern([at(2, burnout=5)], today)
    assert not severe_pattern([at(9, burnout=5)], today)  # older than a week
    assert not severe_pattern([at(1, stress=9), at(2, stress=10)], today)  # twice is mild
    assert severe_pattern([at(1, stress=9), at(2, stress=10), at(5, stress=9)], today)
    assert not severe_pattern([at(1, stress=8), at(2, stress=8), at(3, stress=8),
                               at(4, burnout=4)], today)


def reflection(template_id: str, step_id: str, value: int, days_ago: int = 0) -> Reflection:
    created = datetime(2026, 12, 6, 22, 0, tzinfo=UTC) - timedelta(days=days_ago)
    return Reflection(created=created, template_id=template_id, body="",
                      answers=[StepAnswer(step_id, "scale", value=value)])


def test_heavy_templates_mark_their_scales_severe_at_8() -> None:
    library = load_library()
    for template_id in ("patient-death", "moral-distress", "code"):
        scales = [s for s in library.templates[template_id].steps if s.kind == "scale"]
        assert scales and all(s.severe_at == 8 for s in scales), template_id


def test_reflection_scales_are_severe_signals() -> None:
    templates = load_library().templates
    heavy = reflection("patient-death", "weight", 10)
    assert entry_is_severe(heavy, templates)
    assert entry_is_severe(reflection("moral-distress", "distress", 8), templates)
    assert not entry_is_severe(reflection("moral-distress", "distress", 7), templates)
    assert not entry_is_severe(reflection("patient-death", "weight", 5), templates)
    # In the week's pattern too (read on unlock), not only check-ins.
    assert severe_pattern([], TODAY, reflections=[heavy], templates=templates)
    old = reflection("patient-death", "weight", 10, days_ago=9)
    assert not severe_pattern([], TODAY, reflections=[old], templates=templates)


def wellbeing(**ratings: int) -> SelfAssessment:
    return SelfAssessment(created=datetime(2026, 12, 5, 20, 0, tzinfo=UTC), form="wellbeing",
                          ratings=ratings)


def test_the_wellbeing_check_at_its_worst_end_is_a_severe_signal() -> None:
    worst = wellbeing(exhaustion=5, detachment=5, meaning=1, support=1)
    assert wellbeing_is_severe(worst)
    assert wellbeing_is_severe(wellbeing(exhaustion=5, meaning=1, support=1))  # one skipped
    assert not wellbeing_is_severe(wellbeing(exhaustion=5, detachment=5, meaning=2, support=1))
    assert not wellbeing_is_severe(wellbeing(exhaustion=4, detachment=4, meaning=2, support=2))
    assert not wellbeing_is_severe(wellbeing(exhaustion=5))  # one answer is not the check
    competency = SelfAssessment(form="competency", ratings={"understanding": 1})
    assert not wellbeing_is_severe(competency)
    assert severe_pattern([], TODAY, assessments=[worst])


MUST_TRIGGER = [
    "I don't want to be alive anymore, and I have been thinking about how I would do it",
    "I do not want to be alive.",
    "Honestly I dont want to live like this",
    "I just want to die.",
    "I want to kill myself",
    "Some nights I think about killing myself.",
    "I keep thinking about ending my life",
    "I have thought about taking my own life",
    "Everyone would be better off without me.",
    "I wish I could go to sleep and not wake up",
    "I've been hurting myself again",
    "I cut myself last night",
    "I'm feeling suicidal",
    "I wish I was dead",
    "I want to end it all",
    "I WANT TO DIE",
    "I don\u2019t want to be here anymore",
]

MUST_NOT_TRIGGER = [
    "the patient wanted to die at home",
    "I could have died laughing",
    "She told us she was ready to die, and her daughter held her hand.",
    "He did not want to be resuscitated.",
    "We talked about what dying at home would look like.",
    "The family did not want him to suffer.",
    "I'm dying to get some sleep after this run of nights.",
    "I killed it in the OSCE today.",
    "He had cut himself shaving.",
    "We did a suicide risk assessment with the patient.",
    "The patient was feeling hopeless and said he wanted to die.",
    "",
]


@pytest.mark.parametrize("text", MUST_TRIGGER)
def test_phrases_about_wanting_to_die_or_self_harm_trigger(text: str) -> None:
    assert text_is_severe(text)
    assert entry_is_severe(Entry(title="", body=text), {})
    assert entry_is_severe(Entry(title=text, body="A long day."), {})


@pytest.mark.parametrize("text", MUST_NOT_TRIGGER)
def test_ordinary_sentences_about_death_do_not_trigger(text: str) -> None:
    assert not text_is_severe(text)


def test_a_reflection_text_answer_triggers_too() -> None:
    entry = Reflection(template_id="gibbs", body="## Feelings\n\nI just want to die.",
                       answers=[StepAnswer("feelings", "text", text="I just want to die.")])
    assert entry_is_severe(entry, load_library().templates)


def test_an_offer_is_made_at_most_once_per_entry_per_day() -> None:
    log = OfferLog()
    assert log.should_offer("entry-a", TODAY)
    assert not log.should_offer("entry-a", TODAY)  # the next autosave
    assert log.should_offer("entry-b", TODAY)
    assert log.should_offer("entry-a", TODAY + timedelta(days=1))
    assert not log.should_offer("entry-a", TODAY + timedelta(days=1))


def test_a_line_not_yet_confirmed_never_claims_a_check() -> None:
    """A date a line was written down on a machine with no web access is not a check against
    the service's own page: it is shown as added, not confirmed."""
    from datetime import date

    from journal_app.core.practice.support import checked_text, support_list

    today = date(2026, 12, 6)
    for resource in support_list().resources:
        text = checked_text(resource, today)
        if resource.placeholder:
            assert text == ""
        elif resource.verified:
            assert text.startswith("checked "), resource.id
        else:
            assert text.startswith("added ") and "not yet confirmed" in text, resource.id
            assert "checked" not in text, resource.id
