"""A demo journal: a few hundred invented entries over two years, so every screen has content.

All text is invented for journal-app and names no real person. The generator is seeded, so the
demo looks the same each time; later record kinds (check-ins, reflections) join it here.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from .model import ENCOUNTER_TYPES, Emotion, Entry

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
    "moral-distress": ["moral distress", "angry", "helpless", "conflicted"],
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
    for _ in range(count):
        when = start + timedelta(seconds=rng.uniform(0, (end - start).total_seconds()))
        when = when.replace(second=0, microsecond=0)
        encounter = rng.choice([*ENCOUNTER_TYPES[:-1], None, None, None, None])
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
                tags=[*rng.sample(TAGS, k=rng.randint(0, 3)), rotation],
                starred=rng.random() < 0.08,
                emotions=emotions,
                mood=max(-5, min(5, int(rng.gauss(-2 if hard else 1, 2)))),
                energy=max(-5, min(5, int(rng.gauss(-1, 2)))),
                stress=max(0, min(10, int(rng.gauss(7 if hard else 4, 2)))),
                encounter=encounter,
            )
        )
    entries.sort(key=lambda e: e.created)
    return entries
