"""A demo journal: a few hundred invented entries over two years, so every screen has content.

All text is invented for journal-app and names no real person. The generator is seeded, so the
demo looks the same each time; later record kinds (check-ins, reflections) join it here.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from journal_app.core.practice.assessment import forms as assessment_forms
from journal_app.core.practice.prompts import COSTLY_COPING_GROUPS, Library, load_library
from journal_app.core.records.model import (
    ENCOUNTER_TYPES,
    CheckIn,
    CopingRating,
    Emotion,
    Entry,
    Record,
    Reflection,
    SelfAssessment,
    StepAnswer,
)

ROTATIONS = ["internal medicine", "oncology", "icu", "emergency", "surgery", "paediatrics",
             "palliative care", "geriatrics"]

OPENINGS = {
    "patient-death": [
        "The patient in bed 12 died a little after four this morning.",
        "We lost a patient on the ward today, someone I had cared for all week.",
        "She died while her daughter was still driving in from the coast.",
        "He died quietly, with the radio on and his wife holding his hand.",
    ],
    "bad-news": [
        "Today I sat in while the attending told a family the scan showed spread.",
        "I gave bad news myself for the first time, with my resident beside me.",
        "The biopsy came back, and we had to tell him it was not what he hoped.",
    ],
    "code": [
        "There was a code on the ward just before handover.",
        "I did compressions for the first time on a real person tonight.",
        "The code lasted forty minutes and we did not get him back.",
    ],
    "goals-of-care": [
        "We had a long goals-of-care conversation with a patient and his two sons.",
        "Today we talked with her about what matters most if time is short.",
    ],
    "family-conflict": [
        "The family disagreed loudly in the corridor about stopping treatment.",
        "A son accused the team of giving up on his mother.",
    ],
    "team-conflict": [
        "The night team and the day team argued over a plan in front of me.",
        "I felt dismissed on rounds when I raised a concern about pain control.",
    ],
    "error": [
        "I nearly gave the wrong dose today; the nurse caught it before it reached the patient.",
        "A lab result I should have chased sat unread until the evening.",
    ],
    "moral-distress": [
        "We kept going with treatment that everyone privately felt was only prolonging dying.",
        "I knew the patient was in pain and could not get the order changed in time.",
    ],
    "uncertainty": [
        "Nobody could tell the family how long he had, and I did not know what to say.",
        "The diagnosis is still unclear after a week of tests.",
    ],
    None: [
        "An ordinary day on the ward, mostly admissions and notes.",
        "Clinic ran late but the patients were kind.",
        "A quieter shift than usual; I had time to sit with a patient.",
        "Teaching day. I presented a case and did better than I feared.",
        "Short entry tonight: tired, but it was a good day.",
    ],
}

MIDDLES = [
    "I noticed my chest was tight for most of the afternoon.",
    "Afterwards I went to the stairwell for a few minutes to breathe.",
    "My resident checked in with me, which helped more than I expected.",
    "I kept replaying what I said and wondering if it was the right thing.",
    "The nurse who has worked here for twenty years told me it never gets easy, only familiar.",
    "I felt numb during the shift and only cried on the bus home.",
    "I was proud of how calmly I spoke, even though my hands were shaking.",
    "There was no time to stop; the next admission was already waiting.",
    "I thought about my own grandmother and had to step away for a moment.",
    "We paused as a team for a few seconds of silence, and it mattered.",
    "I am not sure I slept more than four hours.",
    "The family thanked us, which surprised me.",
    "I wrote down the questions I did not know how to answer.",
    "Talking it over with a friend from my year helped me see it differently.",
]

ENDINGS = [
    "Tomorrow I want to ask my supervisor how she handles these moments.",
    "What helped: a walk, a proper meal, and texting my sister.",
    "I want to remember that doing my best is not the same as controlling the outcome.",
    "Next time I will sit down when I give news, and leave more silence.",
    "I am going to bed early and not reading anything about work.",
    "Three good things: the coffee, the nurse's kindness, and the patient's laugh.",
    "I think I need to talk about this with someone rather than carry it alone.",
]

TITLES = {
    "patient-death": ["A death on nights", "Saying goodbye", "Bed 12", "The last visit"],
    "bad-news": ["Breaking bad news", "The scan", "Sitting in"],
    "code": ["The code", "Forty minutes", "Compressions"],
    "goals-of-care": ["What matters most", "A long conversation"],
    "family-conflict": ["In the corridor", "A hard family meeting"],
    "team-conflict": ["Rounds", "Speaking up"],
    "error": ["A near miss", "The unread result"],
    "moral-distress": ["Against my judgement", "Pain"],
    "uncertainty": ["Not knowing", "Still no answer"],
    None: ["An ordinary day", "Clinic", "Teaching day", "Quiet shift", "Small things"],
}

EMOTIONS = {
    "patient-death": ["grief", "sad", "numb", "helpless", "relieved", "gratitude"],
    "bad-news": ["anxious", "sad", "compassion", "inadequate"],
    "code": ["shocked", "afraid", "exhausted", "numb", "proud"],
    "goals-of-care": ["compassion", "meaning", "uncertain", "humbled"],
    "family-conflict": ["frustrated", "angry", "torn", "drained"],
    "team-conflict": ["frustrated", "embarrassed", "self-doubt", "resentful"],
    "error": ["guilt", "shame", "afraid", "relieved"],
    "moral-distress": ["torn", "angry", "helpless", "conflicted"],
    "uncertainty": ["uncertain", "anxious", "confused", "curious"],
    None: ["calm", "drained", "satisfied", "gratitude", "curious", "hopeful"],
}

TAGS = ["nights", "wards", "clinic", "teaching", "team", "family", "self-care", "sleep",
        "supervisor", "friends"]


def demo_entries(count: int = 320, seed: int = 7, end: datetime | None = None) -> list[Entry]:
    """``count`` invented entries spread over the two years before ``end``."""
    rng = random.Random(seed)
    end = end or datetime.now().astimezone()
    start = end - timedelta(days=730)
    entries: list[Entry] = []
    # A separate stream, so adding answered prompts left the rest of the demo as it was.
    prompt_rng = random.Random(seed + 2)
    prompts = load_library().prompts
    for _ in range(count):
        when = start + timedelta(seconds=rng.uniform(0, (end - start).total_seconds()))
        when = when.replace(second=0, microsecond=0)
        # The encounters the demo has openings for (in their old order: the same demo as
        # before the six newer encounter types, which have none).
        encounter = rng.choice([*(e for e in OPENINGS if e is not None), None, None, None, None])
        rotation = rng.choice(ROTATIONS)
        paragraphs = [
            rng.choice(OPENINGS[encounter]) + f" I am on {rotation} this month.",
            " ".join(rng.sample(MIDDLES, k=rng.randint(2, 4))),
            rng.choice(ENDINGS),
        ]
        hard = encounter is not None
        emotions = [
            Emotion(name, rng.randint(2, 5) if hard else rng.randint(1, 3))
            for name in rng.sample(EMOTIONS[encounter], k=rng.randint(1, 3))
        ]
        entries.append(
            Entry(
                created=when,
                updated=when,
                title=rng.choice(TITLES[encounter]),
                body="\n\n".join(paragraphs),
                tags=(*rng.sample(TAGS, k=rng.randint(0, 3)), rotation),
                starred=rng.random() < 0.08,
                emotions=tuple(emotions),
                mood=max(-5, min(5, int(rng.gauss(-2 if hard else 1, 2)))),
                energy=max(-5, min(5, int(rng.gauss(-1, 2)))),
                stress=max(0, min(10, int(rng.gauss(7 if hard else 4, 2)))),
                encounter=encounter,
                prompt_ids=(prompt_rng.choice(prompts).id,) if prompt_rng.random() < 0.35
                else (),
            )
        )
    entries.sort(key=lambda e: e.created)
    return entries


CHECKIN_EMOTIONS = ["drained", "calm", "anxious", "grief", "relieved", "frustrated", "hopeful",
                    "numb", "gratitude", "overwhelmed", "satisfied", "helpless"]
ANSWER_TEXT = {
    "text": [
        "We had done everything we could, and it still ended the way it did.",
        "I kept my voice steady and let the silence sit for a while.",
        "The senior nurse noticed I was quiet and asked how I was doing.",
        "I thought about it on the walk home and felt a little lighter.",
    ],
    "plan": [
        "Eat something warm, sleep, and message my friend from clinic tomorrow.",
        "Ask my supervisor for ten minutes to talk it through this week.",
        "Take a walk before the next shift and write three lines tonight.",
    ],
}


def demo_records(count: int = 320, seed: int = 7, end: datetime | None = None) -> list[Record]:
    """Entries as :func:`demo_entries`, plus a check-in most days and a guided reflection after
    some of the difficult ones, each linked to its check-in."""
    library = load_library()
    rng = random.Random(seed + 1)
    end = end or datetime.now().astimezone()
    records: list[Record] = list(demo_entries(count, seed, end))
    day = end - timedelta(days=730)
    while day < end:
        if rng.random() < 0.6:
            when = day.replace(hour=rng.choice([7, 19, 21, 23]), minute=rng.randint(0, 59),
                               second=0, microsecond=0)
            hard = rng.random() < 0.2
            encounter = rng.choice(ENCOUNTER_TYPES) if hard else None
            checkin = CheckIn(
                created=when,
                mood=max(-5, min(5, int(rng.gauss(-2 if hard else 1, 2)))),
                energy=max(-5, min(5, int(rng.gauss(-1, 2)))),
                stress=max(0, min(10, int(rng.gauss(7 if hard else 4, 2)))),
                burnout=max(1, min(5, int(rng.gauss(3.2 if hard else 2.4, 1)))),
                emotions=tuple(Emotion(n, rng.randint(1, 5))
                               for n in rng.sample(CHECKIN_EMOTIONS, k=rng.randint(1, 3))),
                sleep_hours=round(rng.uniform(4, 8.5) * 2) / 2,
                encounter=encounter,
            )
            records.append(checkin)
            if hard and rng.random() < 0.6:
                records.append(_demo_reflection(rng, library, checkin))
        day += timedelta(days=1)
    records.extend(demo_assessments(end - timedelta(days=730), end, seed))
    from journal_app.core.demo.sharing import demo_sharing

    records.extend(demo_sharing(records, end - timedelta(days=730), end, seed))
    return records


def demo_assessments(start: datetime, end: datetime, seed: int = 7) -> list[SelfAssessment]:
    """A competency self-assessment every four weeks, growing slowly with ups and downs, and a
    monthly wellbeing check."""
    rng = random.Random(seed + 3)
    forms = assessment_forms()
    out: list[SelfAssessment] = []
    span = (end - start).total_seconds()
    when = start + timedelta(days=27)
    while when < end:
        progress = (when - start).total_seconds() / span
        ratings = {item.id: max(1, min(5, round(1.2 + 3 * progress + offset
                                                + rng.gauss(0, 0.5))))
                   for item, offset in zip(forms["competency"].items,
                                           (0.3, -0.2, 0.0, 0.4, -0.6), strict=True)}
        out.append(SelfAssessment(created=when.replace(hour=20, minute=0), form="competency",
                                  ratings=ratings, rotation=rng.choice(ROTATIONS)))
        when += timedelta(days=28)
    when = start + timedelta(days=30)
    while when < end:
        strain = rng.gauss(0, 0.8)
        base = {"exhaustion": 3.2 + strain, "detachment": 2.2 + strain / 2,
                "meaning": 3.8 - strain / 2, "support": 3.5}
        ratings = {k: max(1, min(5, round(v + rng.gauss(0, 0.4)))) for k, v in base.items()}
        out.append(SelfAssessment(created=when.replace(hour=21, minute=0), form="wellbeing",
                                  ratings=ratings))
        when += timedelta(days=30)
    return out


def _demo_reflection(rng: random.Random, library: Library, checkin: CheckIn) -> Reflection:
    template = library.template_for(checkin.encounter)
    answers = []
    body = []
    for step in template.steps:
        if step.kind == "pause":
            continue
        body.append(f"## {step.title}")
        if step.kind in ("text", "plan"):
            text = rng.choice(ANSWER_TEXT[step.kind])
            answers.append(StepAnswer(step.id, step.kind, text=text))
            body.append(text)
        elif step.kind == "emotions":
            emotions = checkin.emotions
            answers.append(StepAnswer(step.id, step.kind, emotions=emotions))
            body.append(", ".join(f"{e.name} {e.intensity}/5" for e in emotions))
        elif step.kind == "scale":
            value = rng.randint(step.min, step.max)
            answers.append(StepAnswer(step.id, step.kind, value=value))
            body.append(f"{value} / {step.max}")
        elif step.kind == "coping":
            picked = rng.sample(library.coping, k=2)
            # Avoidance helps less, as it tends to (and the "what helps" chart shows it).
            ratings = [CopingRating(c.id, rng.randint(-2, 0) if c.group in COSTLY_COPING_GROUPS
                                    else rng.randint(-1, 2)) for c in picked]
            answers.append(StepAnswer(step.id, step.kind, coping=tuple(ratings)))
            body.extend(f"- {c.label}: {r.helped:+d}" for c, r in zip(picked, ratings, strict=True))
    when = checkin.created + timedelta(minutes=rng.randint(20, 300))
    return Reflection(
        created=when, updated=when, title=template.title, body="\n\n".join(body),
        template_id=template.id, answers=tuple(answers), checkin_id=checkin.id,
        encounter=checkin.encounter, emotions=checkin.emotions,
        depth=rng.choice([None, "thoughtful-action", "reflection", "critical-reflection"]),
    )
