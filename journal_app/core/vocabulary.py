"""The words the app shows for what it stores: one vocabulary for the screens, the exports and the
command line (no Qt).

Records, files and the command line keep stable ids ("bad-news", "clerkship", "checkin"); every
place that shows one to a person takes its words from here, so an encounter is "Breaking bad news"
on the check-in, in a chart's reading, in the summary PDF and in the HTML export alike. The ids
themselves are defined where they are checked (:mod:`journal_app.core.records.model`,
:mod:`journal_app.core.practice.prompts`); ``tests/unit/core/test_vocabulary.py`` checks that every
id has
its words.
"""

from __future__ import annotations

#: The words the app uses for each encounter type (charts, summaries and lists never show ids).
ENCOUNTER_LABELS = {
    "patient-death": "A patient's death",
    "suicide-or-violent-death": "A patient's suicide or violent death",
    "child-death": "The death of a child",
    "bad-news": "Breaking bad news",
    "code": "A code or resuscitation",
    "goals-of-care": "A goals-of-care talk",
    "unrelieved-suffering": "Pain or symptoms we could not relieve",
    "family-conflict": "Conflict with a family",
    "team-conflict": "Conflict in the team",
    "mistreatment": "Mistreatment or harassment",
    "error": "An error or near miss",
    "moral-distress": "Moral distress",
    "uncertainty": "Uncertainty",
    "anatomy-lab": "The anatomy lab",
    "personal-bereavement": "A death in my own life",
    "other": "Something else difficult",
}

#: The training stages (the prompts' levels) as the app names them everywhere: the app speaks
#: to students, so the last is a senior student's sub-internship, not a residency.
LEVEL_LABELS = {
    "early": "Pre-clinical years",
    "clerkship": "Clerkships",
    "advanced": "Sub-internship (senior student)",
}

#: Plain labels of the facets of competency 4, the CARE-7 goals and the five competencies (the
#: portfolio shows them beside each reflection; ids stay the stable keys).
FACET_LABELS = {
    "naming-emotions": "Naming emotions",
    "body-signals": "Signals from the body",
    "attitudes": "Attitudes and assumptions",
    "triggers": "What set it off",
    "uncertainty": "Living with uncertainty",
    "stress": "Stress",
    "coping": "Coping",
    "support": "Support from others",
    "self-compassion": "Self-compassion",
    "meaning": "Meaning and purpose",
    "boundaries": "Boundaries",
}
CARE7_LABELS = {
    "specialty-care": "Specialty palliative and hospice care",
    "communication": "Communication that honours values, culture and goals",
    "psychosocial-spiritual": "Psychosocial and spiritual distress, and bereavement",
    "own-emotions": "Connecting with one's own emotional response",
    "pain": "Pain management",
    "symptoms": "Comfort through symptom management",
    "end-of-life": "Care at the end of life",
}
COMPETENCY_LABELS = {
    1: "Exploring understanding, values and goals",
    2: "Responding to strong emotions",
    3: "Patient-centred difficult conversations",
    4: "Awareness of own emotions; coping with stress and uncertainty",
    5: "Explaining palliative and hospice care",
}

THEME_LABELS = {
    "grief": "Your own grief and losses that add up",
    "moral-injury": "Moral injury and what stays with you",
    "identity": "Becoming a doctor",
    "spirituality": "Spirituality and your own mortality",
    "cultural-humility": "Cultural humility and bias",
    "team-debrief": "Team debriefs and reflection rounds",
    "compassion-satisfaction": "What fills you up, beside what wears you down",
    "humour-hope": "Humour and hope",
}

#: The coping checklist's groups, as its headings say them.
COPING_GROUP_LABELS = {
    "connection": "With other people",
    "body": "Looking after my body",
    "mind": "In my mind",
    "meaning": "Meaning and faith",
    "practical": "Practical steps",
    "avoidance": "Ways that help now but can cost you later",
    "rumination": "Going over it",
}
#: How much a coping strategy helped, -2..+2, in words.
HELPED_WORDS = {
    -2: "made it worse",
    -1: "made it a little worse",
    0: "made no difference",
    1: "helped a little",
    2: "helped a lot",
}
#: The kinds of step of a template of one's own. Each starts with its own letter, so typing one
#: letter in a combo box picks it.
STEP_KIND_LABELS = {
    "text": "Writing",
    "plan": "Plan (next steps)",
    "emotions": "Feelings",
    "scale": "Scale (a number)",
    "coping": "Coping (what helped)",
}
#: The ratings of a check-in or an entry, and their scales.
RATING_NAMES = {"mood": "Mood", "energy": "Energy", "stress": "Stress", "burnout": "Burnout"}
RATING_SCALES = {"mood": (-5, 5), "energy": (-5, 5), "stress": (0, 10), "burnout": (1, 5)}
#: Plain names of the kinds of record, singular and plural (counts in the import preview and
#: result, the export's list of entries).
KIND_NAMES = {
    "entry": ("entry", "entries"),
    "reflection": ("reflection", "reflections"),
    "checkin": ("check-in", "check-ins"),
    "revision": ("earlier version", "earlier versions"),
    "custom-prompt": ("prompt of your own", "prompts of your own"),
    "custom-template": ("template of your own", "templates of your own"),
    "support-contact": ("support contact", "support contacts"),
    "attachment": ("attachment", "attachments"),
}
#: Kinds of record an import leaves out (the import's note names them).
OTHER_KIND_NAMES = {
    "contact": ("contact", "contacts"),
    "received-package": ("received package", "received packages"),
    "received-excerpt": ("received excerpt", "received excerpts"),
    "feedback": ("feedback", "feedback"),
    "read-receipt": ("read receipt", "read receipts"),
    "app-state": ("app settings record", "app settings records"),
    "support-contact": ("support contact", "support contacts"),
    "identity": ("identity (your card's keys)", "identities"),
    "shared-log": ("share log record", "share log records"),
    "backup-state": ("backup state record", "backup state records"),
    "programme": ("joined programme", "joined programmes"),
    "programme-lead": ("programme you lead (its signing key)", "programmes you lead"),
    "cohort-budget": ("cohort contribution budget", "cohort contribution budgets"),
    "inbox-mark": ("inbox read mark", "inbox read marks"),
    "comment-phrase": ("comment bank phrase", "comment bank phrases"),
    "student-note": ("private note on a student", "private notes on students"),
    "attestation": ("attestation", "attestations"),
}
#: The roles on a mentor card.
ROLE_LABELS = {"student": "Student", "mentor": "Mentor"}
#: Wald's names of the REFLECT levels (the reflect.toml labels are the plain-words versions).
WALD_NAMES = {
    "habitual-action": "Habitual action",
    "thoughtful-action": "Thoughtful action or introspection",
    "reflection": "Reflection",
    "critical-reflection": "Critical reflection",
}

#: Credit where the frameworks are used (the self-assessment, the portfolio, Help); the same
#: sources the content files name (prompts/assessments.toml, the templates).
COMPETENCY_CREDIT = (
    "The five competencies are the Massachusetts Medical Schools' Collaborative's shared "
    "competencies in serious illness communication (2018), in short paraphrase."
)
CARE7_CREDIT = (
    "CARE-7 goals: after the CARE-7 goals of palliative care education, in short paraphrase."
)


def plural(count: int, one: str, many: str | None = None) -> str:
    """"1 day", "1,204 days"; ``many`` for an irregular plural ("1 entry", "2 entries")."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def in_sentence(label: str) -> str:
    """A label inside a sentence: its first letter lowered, nothing else ("someone I trust")."""
    return label[:1].lower() + label[1:]


def id_words(identifier: str) -> str:
    """'goals-of-care' -> 'Goals of care' (only for an id without words of its own)."""
    text = identifier.replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def encounter_words(key: str) -> str:
    """An encounter type as the app says it elsewhere, inside a sentence ("a patient's death"),
    never its id."""
    return in_sentence(ENCOUNTER_LABELS.get(key) or id_words(key))


def rating_label(name: str, ascii_minus: bool = False) -> str:
    """"Stress (0 to 10)", "Mood (−5 to 5)" (a plain "-" for a terminal with ``ascii_minus``)."""
    low, high = RATING_SCALES[name]
    minus = "-" if ascii_minus else "−"
    return f"{RATING_NAMES[name]} ({str(low).replace('-', minus)} to {high})"


def kind_label(kind: str) -> str:
    """A kind of record on its own: "Entry", "Reflection", "Check-in"."""
    one = KIND_NAMES.get(kind, ("record", "records"))[0]
    return one[:1].upper() + one[1:]


def count_text(count: int, kind: str) -> str:
    """"412 entries", "1 check-in"."""
    one, many = KIND_NAMES.get(kind, ("other record", "other records"))
    return f"{count:,} {one if count == 1 else many}"
