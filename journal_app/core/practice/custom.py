"""The user's own prompts and reflection templates, next to the shipped ones.

They are records in the vault (:class:`~journal_app.core.records.model.CustomPrompt` and
:class:`~journal_app.core.records.model.CustomTemplate`), encrypted like entries because they may
name
people or places. :func:`library_with_custom` returns the prompt library with them added, so
:func:`~journal_app.core.practice.prompts.choose_prompt`, ``todays_prompt``, ``recent_use`` and the
template lookups work on them unchanged. Their ids in the library are ``custom-`` and the
record's id, so they never collide with the shipped ids (lower-case words).

Facet and level are checked here (the model cannot import the prompt library). Records that do
not fit (written by a newer version, say) are left out of the library, never an error.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from journal_app.core.errors import NotFoundError
from journal_app.core.practice.prompts import FACETS, LEVELS, Library, Prompt, Step, Template
from journal_app.core.records.model import (
    CustomPrompt,
    CustomStep,
    CustomTemplate,
    JoinedProgramme,
)
from journal_app.core.records.validation import check_choice

if TYPE_CHECKING:
    from journal_app.core.vault.journal import Journal

CUSTOM_PREFIX = "custom-"
#: Shown under a custom template's first step, where shipped templates credit their source.
CUSTOM_CREDIT = "Your own template"

C = TypeVar("C", bound=CustomPrompt | CustomTemplate)


def library_id(record: CustomPrompt | CustomTemplate) -> str:
    """The id of a custom prompt or template in the library (and in ``Entry.prompt_ids``)."""
    return CUSTOM_PREFIX + record.id


def record_id(library_item_id: str) -> str | None:
    """The record id behind a library id, or ``None`` for a shipped prompt or template."""
    if library_item_id.startswith(CUSTOM_PREFIX):
        return library_item_id[len(CUSTOM_PREFIX):]
    return None


def is_custom(library_item_id: str) -> bool:
    return record_id(library_item_id) is not None


# ---------------------------------------------------------------------------------- checking


def check_prompt(prompt: CustomPrompt) -> None:
    """Check what the model cannot: the facet and the level.

    Raises:
        ValueError: in plain words, naming the field, never the text.
    """
    check_choice("facet", prompt.facet, FACETS)
    check_choice("level", prompt.level, LEVELS)
    # Records read back from the vault skip their own checks: run them again.
    CustomPrompt(id=prompt.id, created=prompt.created, text=prompt.text, facet=prompt.facet,
                 level=prompt.level, encounters=tuple(prompt.encounters))


def check_template(template: CustomTemplate) -> None:
    """Check a custom template the way the vault and the reflection wizard need it.

    Raises:
        ValueError: in plain words.
    """
    CustomTemplate(
        id=template.id, created=template.created, title=template.title,
        summary=template.summary, encounters=tuple(template.encounters),
        steps=tuple(replace(step) for step in template.steps),  # replace() runs __post_init__
    )


def check(record: CustomPrompt | CustomTemplate) -> None:
    if isinstance(record, CustomPrompt):
        check_prompt(record)
    else:
        check_template(record)


# ---------------------------------------------------------------------------------- converting


def to_prompt(prompt: CustomPrompt) -> Prompt:
    """The custom prompt as a library prompt (raises ValueError if it does not fit)."""
    check_prompt(prompt)
    return Prompt(
        id=library_id(prompt),
        text=prompt.text,
        facet=prompt.facet,
        level=prompt.level,
        encounters=tuple(prompt.encounters),
        competencies=(4,),
        care7=("own-emotions",),
    )


def _to_step(step: CustomStep) -> Step:
    if step.kind == "scale":
        return Step(step.id, step.kind, step.title, step.prompt, step.hint, step.min, step.max,
                    step.low_label or str(step.min), step.high_label or str(step.max))
    return Step(step.id, step.kind, step.title, step.prompt, step.hint)


def to_template(template: CustomTemplate) -> Template:
    """The custom template as a library template (raises ValueError if it does not fit)."""
    check_template(template)
    return Template(
        id=library_id(template),
        title=template.title,
        credit=CUSTOM_CREDIT,
        summary=template.summary,
        encounters=tuple(template.encounters),
        series_days=0,
        steps=tuple(_to_step(s) for s in template.steps),
    )


def library_with(library: Library, prompts: list[CustomPrompt],
                 templates: list[CustomTemplate]) -> Library:
    """``library`` with these custom prompts and templates added (those that do not fit are
    left out). The shipped ones come first; custom ones follow, oldest first."""
    added_prompts: list[Prompt] = []
    for custom_prompt in sorted(prompts, key=_order):
        try:
            added_prompts.append(to_prompt(custom_prompt))
        except ValueError:
            continue
    added_templates: dict[str, Template] = {}
    for custom_template in sorted(templates, key=_order):
        try:
            item = to_template(custom_template)
        except ValueError:
            continue
        added_templates[item.id] = item
    if not added_prompts and not added_templates:
        return library
    return replace(
        library,
        prompts=(*library.prompts, *added_prompts),
        templates={**library.templates, **added_templates},
        by_id={**library.by_id, **{p.id: p for p in added_prompts}},
    )


def library_with_custom(library: Library, journal: Journal) -> Library:
    """``library`` with the user's prompts and templates from ``journal`` (unlocked) added,
    and those of the content pack of the programme it joined (marked with its name)."""
    for joined in journal.records(JoinedProgramme)[:1]:
        # Only a journal that joined a programme reads packs.
        from journal_app.core.practice.pack import PackInvalidError, library_with_pack, pack_of

        # Checked when it was joined; a pack this version cannot read is left out.
        with contextlib.suppress(PackInvalidError):
            library = library_with_pack(library, pack_of(joined.pack), joined.name)
    return library_with(library, journal.records(CustomPrompt),
                        journal.records(CustomTemplate))


def custom_templates_for(library: Library, encounter: str | None) -> list[Template]:
    """The custom templates of ``library`` that fit ``encounter`` (those for any encounter
    too), oldest first: to offer next to :meth:`Library.template_for` after a check-in."""
    return [
        t for t in library.templates.values()
        if is_custom(t.id) and ("any" in t.encounters
                                or (encounter is not None and encounter in t.encounters))
    ]


# ---------------------------------------------------------------------------------- storing


def _order(record: CustomPrompt | CustomTemplate) -> tuple[float, str]:
    return (record.created.timestamp(), record.id)


def custom_prompts(journal: Journal) -> list[CustomPrompt]:
    """The user's prompts, oldest first."""
    return sorted(journal.records(CustomPrompt), key=_order)


def custom_templates(journal: Journal) -> list[CustomTemplate]:
    """The user's templates, oldest first."""
    return sorted(journal.records(CustomTemplate), key=_order)


def save_custom(journal: Journal, record: C) -> C:
    """Check and store a new or changed custom prompt or template (same id: replaced).

    Raises:
        ValueError: it does not fit (nothing was stored).
        JournalError: the journal could not store it.
    """
    check(record)
    return journal.add_record(record)


def delete_custom(journal: Journal, custom_id: str) -> None:
    """Remove one of the user's prompts or templates for good (there is no trash for them).

    Raises:
        NotFoundError: ``custom_id`` is not a custom prompt or template (nothing else is ever
            removed here).
    """
    if not (journal.remove_records(CustomPrompt, [custom_id])
            or journal.remove_records(CustomTemplate, [custom_id])):
        raise NotFoundError("There is no such prompt or template of yours.")
