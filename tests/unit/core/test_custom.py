"""The user's own prompts and templates: records, checks, the library with them, the vault."""

from __future__ import annotations

import random
import secrets
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from journal_app.core.content import ContentError
from journal_app.core.errors import NotFoundError
from journal_app.core.practice import custom
from journal_app.core.practice.prompts import (
    FACETS,
    candidates,
    choose_prompt,
    load_library,
    recent_use,
    todays_prompt,
)
from journal_app.core.records import codec
from journal_app.core.records.model import (
    CustomPrompt,
    CustomStep,
    CustomTemplate,
    Entry,
    Reflection,
    StepAnswer,
    decode_record,
)
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal

T0 = datetime(2026, 3, 14, 22, 30, tzinfo=timezone(timedelta(hours=1)))


def a_prompt(**changes: object) -> CustomPrompt:
    fields: dict[str, object] = {
        "created": T0, "text": "What did Mrs Okafor on ward 7 teach me tonight?",
        "facet": "meaning", "level": "clerkship", "encounters": ["code", "patient-death"],
    }
    fields.update(changes)
    return CustomPrompt(**fields)  # type: ignore[arg-type]


def a_template(**changes: object) -> CustomTemplate:
    fields: dict[str, object] = {
        "created": T0, "title": "After a night at St Mary's",
        "summary": "Four steps for the walk home.", "encounters": ["any"],
        "steps": [
            CustomStep(kind="text", title="What happened", prompt="Tell it in a few lines."),
            CustomStep(kind="emotions", title="Feelings", prompt="Name what you felt."),
            CustomStep(kind="scale", title="How shaken", prompt="How shaken are you now?",
                       min=0, max=10, low_label="Steady", high_label="Very shaken"),
            CustomStep(kind="coping", title="What helped", prompt="What did you do?"),
            CustomStep(kind="plan", title="Tomorrow", prompt="One small step for tomorrow.",
                       hint="Keep it small."),
        ],
    }
    fields.update(changes)
    return CustomTemplate(**fields)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ records


def test_records_round_trip_through_the_codec() -> None:
    for record in (a_prompt(), a_template()):
        again = decode_record(record.KIND, record.SCHEMA_VERSION, record.id,
                              codec.loads(codec.dumps(record.payload())))
        assert again == record
    assert CustomPrompt.KIND == "custom-prompt" and CustomTemplate.KIND == "custom-template"
    assert not CustomPrompt.SEARCHABLE and not CustomTemplate.SEARCHABLE


def test_records_round_trip_through_the_vault(journal: Journal) -> None:
    prompt = custom.save_custom(journal, a_prompt())
    template = custom.save_custom(journal, a_template())
    journal.lock()
    journal.unlock("correct horse")
    assert custom.custom_prompts(journal) == [prompt]
    assert custom.custom_templates(journal) == [template]
    assert journal.get(prompt.id, CustomPrompt) == prompt
    # Editing keeps the id and replaces the record.
    custom.save_custom(journal, replace(prompt, text="A gentler question?"))
    journal.lock()
    journal.unlock("correct horse")
    assert [p.text for p in custom.custom_prompts(journal)] == ["A gentler question?"]
    assert journal.verify().ok
    assert journal.entries() == []  # they are not entries


def test_the_model_checks_what_it_knows() -> None:
    cases = [
        (lambda: a_prompt(text="   "), "the prompt must not be empty"),
        (lambda: a_prompt(text="x" * 2001), "the prompt is too long"),
        (lambda: a_prompt(facet=""), "the facet must not be empty"),
        (lambda: a_prompt(encounters=[]), "choose at least one kind of encounter"),
        (lambda: a_prompt(encounters=["hospital"]), "unknown encounter type"),
        (lambda: a_prompt(created=T0.replace(tzinfo=None)), "time zone"),
        (lambda: a_template(title=""), "the title must not be empty"),
        (lambda: a_template(steps=[]), "1 to 12 steps"),
        (lambda: CustomStep(kind="pause", title="t", prompt="p"), "unknown step kind"),
        (lambda: CustomStep(kind="text", title="", prompt="p"), "a step's title"),
        (lambda: CustomStep(kind="text", title="t", prompt=" "), "a step's question"),
        (lambda: CustomStep(kind="scale", title="t", prompt="p", min=5, max=5), "lowest value"),
        (lambda: CustomStep(kind="scale", title="t", prompt="p", max=11), "from 0 to 10"),
        (lambda: CustomStep(id="no spaces", kind="text", title="t", prompt="p"), "step id"),
    ]
    for build, message in cases:
        with pytest.raises(ValueError, match=message):
            build()
    step = CustomStep(id="same", kind="text", title="t", prompt="p")
    with pytest.raises(ValueError, match="ids repeat"):
        a_template(steps=[step, step])
    with pytest.raises(ValueError, match="1 to 12 steps"):
        a_template(steps=[CustomStep(kind="text", title="t", prompt="p") for _ in range(13)])
    # Encounters are tidied: "any" wins, repeats go.
    assert a_prompt(encounters=["code", "any"]).encounters == ("any",)
    assert a_prompt(encounters=["code", "code", "error"]).encounters == ("code", "error")
    assert a_prompt(text="  spaced  ").text == "spaced"


def test_custom_checks_facet_and_level_in_plain_words(journal: Journal) -> None:
    with pytest.raises(ValueError, match="unknown facet; use one of naming-emotions"):
        custom.check_prompt(a_prompt(facet="feelings"))
    with pytest.raises(ValueError, match="unknown level; use one of early, clerkship"):
        custom.to_prompt(a_prompt(level="senior"))
    with pytest.raises(ValueError, match="unknown facet"):
        custom.save_custom(journal, a_prompt(facet="feelings"))
    assert custom.custom_prompts(journal) == []  # nothing was stored


def test_a_record_that_does_not_fit_is_left_out_not_an_error(journal: Journal) -> None:
    # As if written by a newer version with a facet this one does not know.
    journal.add_record(a_prompt(facet="some-future-facet"))
    good = custom.save_custom(journal, a_prompt())
    library = custom.library_with_custom(load_library(), journal)
    mine = [p for p in library.prompts if custom.is_custom(p.id)]
    assert [p.id for p in mine] == [custom.library_id(good)]


# ------------------------------------------------------------------------------ conversion


def test_to_prompt_and_to_template() -> None:
    record = a_prompt()
    prompt = custom.to_prompt(record)
    assert prompt.id == f"custom-{record.id}" and custom.record_id(prompt.id) == record.id
    assert (prompt.text, prompt.facet, prompt.level) == (record.text, "meaning", "clerkship")
    assert prompt.encounters == ("code", "patient-death")
    assert prompt.competencies == (4,) and prompt.care7 == ("own-emotions",)
    assert prompt.fits("code") and not prompt.fits("error") and not prompt.fits(None)
    assert custom.record_id("naming-emotions-01") is None

    record_t = a_template(steps=[
        CustomStep(kind="scale", title="Rate", prompt="How much?", min=1, max=5),
        *a_template().steps,
    ])
    template = custom.to_template(record_t)
    assert template.id == f"custom-{record_t.id}"
    assert template.credit == custom.CUSTOM_CREDIT and template.series_days == 0
    assert [s.kind for s in template.steps] == ["scale", "text", "emotions", "scale", "coping",
                                                "plan"]
    unlabelled, labelled = template.steps[0], template.steps[3]
    assert (unlabelled.min, unlabelled.max) == (1, 5)
    assert (unlabelled.low_label, unlabelled.high_label) == ("1", "5")
    assert (labelled.low_label, labelled.high_label) == ("Steady", "Very shaken")
    assert template.steps[5].hint == "Keep it small."


# ------------------------------------------------------------------------------ library


def test_library_with_custom_prompt_is_chosen_like_the_shipped_ones(journal: Journal) -> None:
    shipped = load_library()
    assert custom.library_with_custom(shipped, journal) is shipped  # nothing of yours yet
    record = custom.save_custom(journal, a_prompt(facet="boundaries", level="advanced",
                                                  encounters=["moral-distress"]))
    library = custom.library_with_custom(shipped, journal)
    pid = custom.library_id(record)
    assert library.prompt(pid).text == record.text
    assert len(library.prompts) == len(shipped.prompts) + 1
    assert pid not in shipped.by_id  # the cached library is not changed
    assert pid in {p.id for p in candidates(library, "moral-distress", "advanced")}
    assert pid not in {p.id for p in candidates(library, "code", "advanced")}
    assert pid not in {p.id for p in candidates(library, None)}
    # choose_prompt picks it for its encounter, with its facet favoured.
    use = {f: 1000 for f in FACETS if f != "boundaries"}
    picks = {choose_prompt(library, encounter="moral-distress", level="advanced",
                           facet_use=use, rng=random.Random(seed)).id for seed in range(200)}
    assert pid in picks

    # On its own, it is the only choice for its encounter, and none for another one.
    only_mine = custom.library_with_custom(replace(shipped, prompts=(), by_id={}), journal)
    assert choose_prompt(only_mine, encounter="moral-distress").id == pid
    with pytest.raises(ContentError):
        choose_prompt(only_mine, encounter="code")

    # Answering it counts for its facet, as a shipped prompt would.
    entry = journal.add_entry(Entry(title="t", body="b", prompt_ids=[pid]))
    recent, facet_use = recent_use(library, [entry])
    assert recent == [pid] and facet_use == {"boundaries": 1}


def test_todays_prompt_can_be_a_custom_one(journal: Journal) -> None:
    record = custom.save_custom(journal, a_prompt(encounters=["any"]))
    empty = replace(load_library(), prompts=(), by_id={})
    library = custom.library_with_custom(empty, journal)
    assert todays_prompt(library, date(2026, 3, 14)).id == custom.library_id(record)


def test_library_with_custom_template_by_id_and_its_steps(journal: Journal) -> None:
    shipped = load_library()
    record = custom.save_custom(journal, a_template(encounters=["bad-news"]))
    anywhere = custom.save_custom(journal, a_template(title="Any day", created=T0 + timedelta(1)))
    library = custom.library_with_custom(shipped, journal)
    tid = custom.library_id(record)
    template = library.templates[tid]
    assert template.title == "After a night at St Mary's"
    assert set(shipped.templates) < set(library.templates)
    assert library.template_for("bad-news").id == "bad-news"  # the shipped default stays
    assert [t.id for t in custom.custom_templates_for(library, "bad-news")] == [
        tid, custom.library_id(anywhere)]
    assert [t.id for t in custom.custom_templates_for(library, "code")] == [
        custom.library_id(anywhere)]

    # Usable through its steps: answers for each step make a reflection that stores.
    answers = [StepAnswer(step.id, step.kind, text="An answer" if step.kind in ("text", "plan")
                          else "", value=step.min if step.kind == "scale" else None)
               for step in template.steps]
    reflection = journal.add_record(Reflection(created=T0, title=template.title, body="…",
                                               template_id=template.id, answers=answers))
    journal.lock()
    journal.unlock("correct horse")
    again = journal.get(reflection.id, Reflection)
    assert again.template_id == tid
    assert custom.library_with_custom(shipped, journal).templates[again.template_id].steps == \
        template.steps


# ------------------------------------------------------------------------------ deleting


def test_delete_custom_removes_only_custom_records(journal: Journal) -> None:
    prompt = custom.save_custom(journal, a_prompt())
    template = custom.save_custom(journal, a_template())
    entry = journal.add_entry(title="Keep me", body="b")
    with pytest.raises(NotFoundError):
        custom.delete_custom(journal, entry.id)
    custom.delete_custom(journal, prompt.id)
    assert custom.custom_prompts(journal) == []
    assert custom.custom_templates(journal) == [template]
    custom.delete_custom(journal, template.id)
    with pytest.raises(NotFoundError):
        custom.delete_custom(journal, template.id)
    journal.lock()
    journal.unlock("correct horse")
    assert custom.custom_templates(journal) == []
    assert [e.id for e in journal.entries()] == [entry.id]
    report = journal.verify()
    assert report.ok and journal.manifest_problem is None, report.problems


# ------------------------------------------------------------------------------ canary


def test_custom_text_never_reaches_the_disk_in_clear(data_dir: Path) -> None:
    words = {k: f"{k}Canary{secrets.token_hex(6)}" for k in
             ("prompt", "title", "summary", "step", "question", "hint", "label")}
    j, _key = Journal.create(data_dir, "correct horse", kdf=TEST_KDF)
    try:
        custom.save_custom(j, a_prompt(text=f"Did {words['prompt']} speak to me?"))
        custom.save_custom(j, a_template(title=words["title"], summary=words["summary"], steps=[
            CustomStep(kind="text", title=words["step"], prompt=words["question"],
                       hint=words["hint"]),
            CustomStep(kind="scale", title="s", prompt="p", low_label=words["label"]),
        ]))
        j.lock()
        files = [p for p in data_dir.rglob("*") if p.is_file()]
        assert files
        for path in files:
            data = path.read_bytes()
            for name, text in words.items():
                for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                    for variant in (text, text.lower()):
                        assert variant.encode(encoding) not in data, (path.name, name, encoding)
    finally:
        j.close()
