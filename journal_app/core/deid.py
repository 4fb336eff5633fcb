"""De-identification: find the Safe Harbor identifiers a piece of text can carry, and redact them.

Rule-based on purpose: no model, no network, nothing leaves the process. The detectors aim for
recall first (the user reviews every hit before anything is shared) and then precision, so that
ordinary words ("Grace", "Hope", "Dr. visits", "Mom") are not flagged as names.

The categories (HIPAA Safe Harbor, 45 CFR 164.514(b)(2), as far as text can carry them):

- ``name``: people's names: after an honorific ("Mr.", "Dr.", "Prof.") or a role ("her daughter
  Maria", "a nurse named Tom"), after "Name:", possessives ("Maria's"), given and family names
  from a built-in list, names from the user's own list (any case, whole words), and capitalised
  words in mid-sentence that are not known ordinary words (unknown proper nouns).
- ``date``: any date finer than a year: 3/14/2024, 14.03.2024, 2024-03-14, 14-Mar-2024, March 14,
  14 March 2024, Mar. 14th, "March 2024" (a month is a date element), "on the 14th", 3/14, and
  holidays that name a day ("Christmas Eve"). A year alone, a month alone and weekdays are not.
- ``age``: ages over 89 ("92-year-old", "aged 94", "94 y/o", "age 91", "92M", "in her
  nineties", "centenarian"); the span is the number (or word) itself.
- ``phone``: phone and pager numbers: US forms, international (+44 ...), domestic forms with a
  leading 0, 7-digit local numbers, extensions, and numbers after "call", "cell", "pager"...
- ``fax``: a phone number whose nearest label is "fax".
- ``email``; ``url`` (with a scheme, "www." or a known top-level domain); ``ip`` (v4 and v6).
- ``ssn``: 123-45-6789, or any value after "SSN" / "social security".
- ``record``: the value after a record label: MRN, medical record (number), chart #, patient ID,
  hospital number, encounter/visit/accession/admission number, FIN, CSN, NHS number.
- ``plan``: health plan, member, policy, subscriber, insurance, group, Medicare and Medicaid ids.
- ``account``: account, billing, invoice, card and routing numbers, IBANs, 16-digit card numbers.
- ``licence``: licence, certificate, passport, permit, registration, DEA and NPI numbers.
- ``vehicle``: licence plates (after "plate", "tag", "reg.") and VINs.
- ``device``: serial numbers (serial, S/N, device/implant/pump id, IMEI, UDI) and MAC addresses.
- ``address``: street addresses ("12 Oak Street, Apt 4"), unnumbered streets ("on Elm Street")
  and PO boxes.
- ``place``: towns and cities: a built-in gazetteer (names that are also ordinary words or given
  names only with a place context), "Town, ST", unknown capitalised words after "in", "from",
  "near"..., named institutions ("Mercy Hospital") and counties.
- ``zip``: ZIP codes after a state or a ZIP label, after a town ("Springfield 01103", "Cedar
  Falls, 50613": a gazetteer town, or a capitalised word that is not an ordinary one in
  mid-sentence), ZIP+4 anywhere, UK and Canadian postcodes. A bare 5-digit number is not
  flagged (lab values and doses would drown the real hits), nor one followed by a unit.
- ``number``: any other identifying number or code: 6 or more digits, labelled ids ("ID: ...",
  "ref ..."), and letter-digit codes with 5 or more digits.

Where detectors overlap, the spans are merged and the most specific category wins (the order of
:data:`CATEGORIES`), so that redacting every finding removes every character any detector saw.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from journal_app.core.content import ContentError, load_toml

#: Every category, the most specific first: where findings overlap, the first one listed wins.
CATEGORIES: tuple[str, ...] = (
    "email", "url", "ip", "ssn", "record", "plan", "account", "licence", "vehicle", "device",
    "fax", "phone", "date", "age", "address", "zip", "place", "name", "number",
)

#: One line per category, for the review screen and ``--help``.
CATEGORY_LABELS: dict[str, str] = {
    "name": "Name",
    "date": "Date",
    "age": "Age over 89",
    "phone": "Phone",
    "fax": "Fax",
    "email": "Email",
    "ssn": "Social security number",
    "record": "Record number",
    "plan": "Health plan number",
    "account": "Account number",
    "licence": "Licence or certificate",
    "vehicle": "Vehicle",
    "device": "Device serial",
    "address": "Street address",
    "place": "Town or place",
    "zip": "ZIP or postcode",
    "url": "Web address",
    "ip": "IP address",
    "number": "Identifying number",
}

_RANK = {category: i for i, category in enumerate(CATEGORIES)}
MAX_NAME = 100


@dataclass(frozen=True)
class Finding:
    """One identifier found in a text: ``text[start:end] == self.text`` (str indices)."""

    start: int
    end: int
    category: str
    text: str

    def to_json(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "category": self.category,
                "text": self.text}


def placeholder(category: str) -> str:
    """The default replacement of an accepted finding: ``[name]``, ``[date]``..."""
    return f"[{category}]" if category in _RANK else "[redacted]"


def redact(text: str, decisions: Sequence[tuple[Finding, str | None]]) -> str:
    """Apply the user's decisions to ``text``.

    Each decision is a finding and its replacement (the placeholder when accepted, the user's
    text when changed) or ``None`` to keep the original. Offsets refer to the original text.

    Raises:
        ValueError: a finding does not match ``text`` at its offsets, or two replaced findings
            overlap (the caller's bug: never guess which one the user meant).
    """
    chosen = sorted(
        ((f, r) for f, r in decisions if r is not None), key=lambda d: (d[0].start, d[0].end)
    )
    out: list[str] = []
    pos = 0
    for finding, replacement in chosen:
        if not 0 <= finding.start <= finding.end <= len(text):
            raise ValueError("a finding lies outside the text")
        if text[finding.start:finding.end] != finding.text:
            raise ValueError("a finding does not match the text")
        if finding.start < pos:
            raise ValueError("two redactions overlap")
        out.append(text[pos:finding.start])
        out.append(replacement or "")
        pos = finding.end
    out.append(text[pos:])
    return "".join(out)


# ============================================================================ word lists


@dataclass(frozen=True)
class Lexicon:
    first_names: frozenset[str]
    surnames: frozenset[str]
    ambiguous_names: frozenset[str]
    safe_words: frozenset[str]
    places: frozenset[str]
    ambiguous_places: frozenset[str]
    institution_words: tuple[str, ...]
    state_codes: frozenset[str]
    state_names: frozenset[str]
    #: Given and family names that are not also ordinary words.
    known_names: frozenset[str]
    #: Words never taken for a name without context (ordinary words and ambiguous names).
    weak_safe: frozenset[str]
    #: Last words of institution names ("hospital", "center").
    institution_ends: frozenset[str]


_LISTS = ("first_names", "surnames", "ambiguous_names", "safe_words", "places",
          "ambiguous_places", "institution_words", "state_codes", "state_names")


def _split_list(name: str, raw: object) -> list[str]:
    if not isinstance(raw, str):
        raise ContentError(f"resources/deid.toml: {name} must be a string")
    items = [" ".join(part.split()) for part in raw.split(",")]
    items = [item for item in items if item]
    seen: set[str] = set()
    for item in items:
        if item != item.lower() or item in seen:
            raise ContentError(
                f"resources/deid.toml: {name}: {item!r} is repeated or not lower case"
            )
        seen.add(item)
    return items


@cache
def lexicon() -> Lexicon:
    """The word lists of ``resources/deid.toml``, validated (raises ContentError)."""
    data = load_toml("resources", "deid.toml")
    if data.get("version") != 1:
        raise ContentError("resources/deid.toml: expected version = 1")
    lists = {name: _split_list(name, data.get(name)) for name in _LISTS}
    # Roles and honorifics are ordinary words too ("Husband's reaction", "Nurse said").
    safe = set(lists["safe_words"]) | _ROLE_WORDS | _HONORIFICS
    return Lexicon(
        first_names=frozenset(lists["first_names"]),
        surnames=frozenset(lists["surnames"]),
        ambiguous_names=frozenset(lists["ambiguous_names"]),
        safe_words=frozenset(safe),
        places=frozenset(_place_key(p) for p in lists["places"]),
        ambiguous_places=frozenset(_place_key(p) for p in lists["ambiguous_places"]),
        institution_words=tuple(sorted(lists["institution_words"], key=len, reverse=True)),
        state_codes=frozenset(lists["state_codes"]),
        state_names=frozenset(lists["state_names"]),
        known_names=frozenset(lists["first_names"]) | frozenset(lists["surnames"])
        - frozenset(lists["ambiguous_names"]),
        weak_safe=frozenset(safe) | frozenset(lists["ambiguous_names"]),
        institution_ends=frozenset(w.split()[-1] for w in lists["institution_words"]),
    )


def _place_key(text: str) -> str:
    """Gazetteer key: lower case, "St." as "st", one space between words."""
    return " ".join(text.lower().replace(".", " ").split())


# ============================================================================ patterns

_HONORIFICS = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "doctor", "prof", "professor", "sr", "fr", "rev",
    "reverend", "sister", "father", "brother", "nurse", "mister", "madam", "dame", "sir",
    "lady", "lord", "auntie", "aunt", "uncle", "grandma", "grandpa", "nana", "coach", "captain",
    "officer", "judge", "pastor", "rabbi", "imam", "chaplain", "mrs.", "messrs",
})
_ROLE_WORDS = frozenset({
    "patient", "pt", "daughter", "son", "wife", "husband", "mother", "father", "mom", "mum",
    "dad", "sister", "brother", "aunt", "uncle", "grandmother", "grandfather", "grandma",
    "grandpa", "grandson", "granddaughter", "grandchild", "niece", "nephew", "cousin",
    "partner", "fiancé", "fiance", "fiancée", "fiancee", "spouse", "boyfriend", "girlfriend",
    "friend", "neighbour", "neighbor", "nurse", "resident", "intern", "attending", "fellow",
    "student", "colleague", "classmate", "preceptor", "mentor", "chaplain", "doctor",
    "physician", "surgeon", "consultant", "registrar", "therapist", "pharmacist", "worker",
    "caregiver", "carer", "roommate", "child", "baby", "infant", "toddler", "girl", "boy",
    "man", "woman", "gentleman", "lady", "widow", "widower", "veteran", "named", "called",
    "nicknamed", "pa", "np", "rn", "cna", "tech", "technician", "interpreter", "translator",
    "coordinator", "manager", "supervisor", "director", "dean", "chief", "boss", "teacher",
    "priest", "pastor", "rabbi", "imam", "stepdaughter", "stepson", "stepmother", "stepfather",
    "sibling", "twin", "kid", "kids", "children", "husband's", "parents", "parent", "people",
    "person", "team", "housemate", "flatmate", "aide", "sitter", "paramedic",
    "medic", "midwife", "doula", "clerk", "receptionist", "secretary", "scribe",
})
_PARTICLES = frozenset({
    "van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le", "al", "el",
    "bin", "ibn", "ter", "ten", "dos", "das", "y", "st", "mc",
})
# After these a capitalised word is taken as a place rather than an unknown name.
_PLACE_PREPOSITIONS = frozenset({
    "in", "from", "near", "outside", "around", "toward", "towards", "across", "visiting",
})

_TOKEN = re.compile(r"(?<![\w])[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_QUAL = r"(?i:number|num|nos?\.?|nr|#|id|identifier)"
_FILLER = (
    r"(?:\s*(?:[:#=,(]|(?i:number|num|nos?\.?|nr|id|is|was|of|reads|ending\s+in)(?![A-Za-z])))"
    r"{0,4}\s*"
)
_VALUE = (
    r"(?P<v>(?=[\w/.\-]*\d)[A-Za-z0-9](?:[A-Za-z0-9]|[-/.](?=[A-Za-z0-9]))*"
    r"(?:\s\d{3,}(?!\w))*)"
)


def _labelled(label: str, value: str = _VALUE) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])(?:" + label + r")" + _FILLER + value)


_LABELLED: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ssn", _labelled(r"(?i:social\s+security)(?:\s+" + _QUAL + r")?|SSN|SS#")),
    ("record", _labelled(
        r"(?i:medical\s+record|health\s+record|medical\s+records?)(?:\s+" + _QUAL + r")?"
        r"|(?i:hospital|patient|pt\.?|case|encounter|visit|accession|admission|chart|record|"
        r"unit|episode|registration)\s*" + _QUAL
        + r"|MRN|M\.R\.N\.?|MR\s?#|FIN|CSN|NHS(?:\s+(?i:number|no\.?))?|(?i:mrn)"
    )),
    ("plan", _labelled(
        r"(?i:health\s+plan|health\s+insurance|insurance|member(?:ship)?|policy|subscriber|"
        r"beneficiary|group|plan|medi-cal)\s*" + _QUAL
        + r"|(?i:health\s+plan|medicare|medicaid)|MBI|HICN"
    )),
    ("account", _labelled(
        r"(?i:bank\s+account|account|acct\.?|a/c|iban)(?:\s*" + _QUAL + r")?"
        r"|(?i:billing|invoice|routing|card|credit\s+card|debit\s+card)\s*" + _QUAL
    )),
    ("vehicle", _labelled(
        r"(?i:licen[cs]e\s+plate|number\s+plate|registration\s+plate|plate|tag|"
        r"vehicle\s+(?:id|identification\s+number)|car\s+registration|reg\.)(?:\s*" + _QUAL
        + r")?|VIN",
        r"(?P<v>[A-Z]{2}\d{2}\s?[A-Z]{3}(?![\w])|(?=[\w\-]*\d)[A-Z0-9](?:[A-Z0-9]|[- ](?=[A-Z0-9]))"
        r"{2,9}(?![\w]))",
    )),
    ("licence", _labelled(
        r"(?i:driver'?s\s+licen[cs]e|licen[cs]e(?!\s+plate)|certificate|certification|"
        r"passport|permit|board\s+certification)(?:\s*" + _QUAL + r")?|DEA|NPI"
    )),
    ("device", _labelled(
        r"(?i:serial)(?:\s*" + _QUAL + r")?"
        r"|(?i:device|implant|pacemaker|defibrillator|pump|monitor|generator)\s*(?:"
        + _QUAL + r"|(?i:serial(?:\s+number)?))"
        r"|S/N|SN|IMEI|UDI|(?i:mac\s+address)",
        r"(?P<v>(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}|(?=[\w/.\-]*\d)[A-Za-z0-9]"
        r"(?:[A-Za-z0-9]|[-/.](?=[A-Za-z0-9]))*)",
    )),
    ("number", _labelled(
        r"ID|I\.D\.|(?i:identifier|reference|ref\.?|id\s+number|tracking|confirmation|"
        r"claim|order|file|badge|employee|staff|student)\s*" + _QUAL
        + r"|(?i:identifier|reference|ref\.)"
    )),
)

_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
_TLDS = (
    "com|org|net|edu|gov|mil|int|io|co|us|uk|ca|au|de|fr|nl|es|it|info|biz|health|app|dev|me|"
    "ai|nz|ie|in|care|clinic|hospital|ly|tv|online|site|xyz"
)
_URL = re.compile(
    r"(?i:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"'`]+"
    r"|(?<![\w@.\-])(?i:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?i:" + _TLDS + r")\b"
    r"(?!@|\.\w)(?:/[^\s<>\"'`]*)?"
)
# Cheap to search for (it starts with a literal): no hint, no need for the slow URL pattern.
_URL_HINT = re.compile(r"(?i:\.(?:" + _TLDS + r")\b|://|www\.)")
_IPV4 = re.compile(
    r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
    r"(?::\d{1,5})?(?![\w]|\.\d)"
)
_IPV6 = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?"
    r"(?![\w:])"
)
_IPV6_HINT = re.compile(r"::|[0-9A-Fa-f]:[0-9A-Fa-f]{1,4}:")
_MAC = re.compile(
    r"(?<![\w:-])(?:[0-9A-Fa-f]{2}([:-]))(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}(?![\w:-])"
)
_SSN = re.compile(r"(?<![\w-])\d{3}([- ])\d{2}\1\d{4}(?![\w-])")
_CARD = re.compile(r"(?<![\w-])\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?![\w-])")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b")
_VIN = re.compile(r"\b(?=[A-HJ-NPR-Z0-9]*\d)(?=[A-HJ-NPR-Z0-9]*[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{17}\b")

_EXT = r"(?:\s*,?\s*(?i:x|ext\.?|extension)\s*\d{1,6})?"
_PHONES = (
    # US: (555) 123-4567, 555-123-4567, 555.123.4567, 555 123 4567, +1 555 123 4567
    re.compile(r"(?<![\w+])(?:\+?1[\s.\-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.\-])\d{3}[\s.\-]\d{4}(?![\w\-])"
               + _EXT),
    # 1-800-555-0199 and 1 (800) ...
    re.compile(r"(?<![\w+])1[\s\-]\(?\d{3}\)?[\s\-]\d{3}[\s\-]\d{4}(?![\w\-])" + _EXT),
    # International: +44 20 7946 0958, +49 (0)30 123456, +33 1 23 45 67 89
    re.compile(r"(?<![\w+])\+\d{1,3}(?:[\s.\-]?\(?\d{1,5}\)?){2,6}(?![\w\-])" + _EXT),
    # Domestic with a trunk 0: 020 7946 0958, 07700 900123, 0300 0303 300
    re.compile(r"(?<![\w.\-])0\d{2,4}[\s\-]?\d{3,4}[\s\-]?\d{3,4}(?![\w\-]|\.\d)" + _EXT),
    # Local: 555-0134
    re.compile(r"(?<![\w.\-/])\d{3}-\d{4}(?![\w\-/])" + _EXT),
)
_SHORT_PHONE = re.compile(
    r"(?<![\w])(?:(?i:pager|bleep|beeper|ext\.?|extension)\s*(?:#|(?i:number|no\.?))?\s*[:#]?\s*"
    r"|x)(?P<v>\d{3,6})(?![\w])"
)
_PHONE_LABEL = re.compile(
    r"(?i:\b(?:phone|tel|telephone|cell|cellphone|mobile|call(?:ed|ing)?|ring|text(?:ed)?|"
    r"pager|paged?|bleep|beeper|contact|number|whatsapp|ext|extension|reach(?:ed)?)\b)"
)
_FAX_LABEL = re.compile(r"(?i:\b(?:fax(?:ed|ing)?|facsimile)\b)")

_MONTH = (
    r"(?:[Jj]an(?:uary)?|[Ff]eb(?:ruary)?|Mar(?:ch)?|[Aa]pr(?:il)?|May|[Jj]une?|[Jj]uly?|"
    r"[Aa]ug(?:ust)?|[Ss]ep(?:t(?:ember)?)?|[Oo]ct(?:ober)?|[Nn]ov(?:ember)?|[Dd]ec(?:ember)?|"
    r"JAN|FEB|MAR|APR|MAY|JUNE?|JULY?|AUG|SEPT?|OCT|NOV|DEC)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:\d{4}|'\d{2})"
_DATES = (
    # March 14, Mar. 14th, 2024, March 14 2024
    re.compile(r"\b" + _MONTH + r"\b\.?\s*" + _DAY + r"(?![\w])(?:,?\s*" + _YEAR + r"(?!\d))?"),
    # 14 March 2024, 14th of March, 3 May
    re.compile(r"\b" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"\b\.?(?:,?\s*" + _YEAR + r"(?!\d))?"),
    # 14-Mar-2024, 14-MAR-24, 14/Mar/2024
    re.compile(r"\b\d{1,2}[\-/.]" + _MONTH + r"[\-/.]\d{2,4}(?!\d)"),
    # March 2024, Sept. '23 (a month is a date element)
    re.compile(r"\b" + _MONTH + r"\b\.?,?\s+(?:of\s+)?(?:\d{4}|'\d{2})(?!\d)"),
    # Christmas Eve, New Year's Day, Thanksgiving...: holidays that name one day
    re.compile(
        r"\b(?:Christmas(?:\s+(?:Eve|Day))?|New\s+Year'?s(?:\s+(?:Eve|Day))?|"
        r"Thanksgiving(?:\s+Day)?|Halloween|Valentine'?s\s+Day|Independence\s+Day|"
        r"Boxing\s+Day|Easter(?:\s+(?:Sunday|Monday))?|Good\s+Friday|Memorial\s+Day|"
        r"Labou?r\s+Day|Veterans\s+Day|Juneteenth|Mother'?s\s+Day|Father'?s\s+Day|"
        r"Yom\s+Kippur|Rosh\s+Hashanah|Guy\s+Fawkes\s+Night|Bonfire\s+Night)\b"
    ),
)
_HOLIDAY = _DATES[-1]
_NUMERIC_DATE = re.compile(
    r"(?<![\w.\-/])(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?![\w]|[.\-/]\d)"
)
_ISO_DATE = re.compile(r"(?<![\w.\-/])(\d{4})([\-/.])(\d{1,2})\2(\d{1,2})(?!\d|[.\-/]\d)")
_SHORT_DATE = re.compile(r"(?<![\w.\-/])(\d{1,2})/(\d{1,2})(?![\d/]|\.\d)")
_SHORT_DATE_NOT_BEFORE = re.compile(
    r"(?i:\b(?:pain|scored?|scale|rated|rating|rates|gcs|apgars?|strength|vision|acuity|"
    r"power|reflexes|murmur|grade|odds|ratio)\b(?:\W+\w+){0,2}\W*$)"
)
# A rating out of 10 (or 5) anywhere earlier in the sentence makes "4/10" a score, not a date.
_SCORE_SENTENCE = re.compile(
    r"(?i:\b(?:pain|stress|mood|energy|anxiety|distress|burnout|scored?|scale|rated|rating|"
    r"rates|strength|power|fatigue|nausea|sleep|dyspnea|dyspnoea|breathlessness)\b)"
)
_SHORT_DATE_NOT_AFTER = re.compile(
    r"^(?i:\s*(?:of|tab|tabs|tablets?|doses?|strength|cups?|inch(?:es)?|miles?|pain|scale|"
    r"in\s+pain|on\s+the\s+(?:pain|scale)|murmur|power|vision|split|odds|chance|"
    r"(?:of|on)\s+the\s+\w+\s+scale|for\s+pain)\b)"
)
_ORDINAL_DAY = re.compile(
    r"(?i:\b(?:on|the|by|since|until|till|from|before|after|of)\s+(?:the\s+)?)"
    r"(?P<v>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th))\b"
    r"(?!\s+(?i:floor|percentile|time|times|grade|year|years|week|weeks|day|days|cycle|dose|"
    r"round|attempt|rib|intercostal|cranial|nerve|digit|toe|finger|patient|patients|"
    r"admission|century|edition|place|trimester|decade|generation|line|shift|session|visit|"
    r"month|months|hour|minute|birthday|anniversary|person|one|of\s+\d|child|baby|"
    r"pregnancy|attempt|try|case|bed|row|stage|step|lumbar|thoracic|cervical|metacarpal|"
    r"metatarsal|ventricle|heart\s+sound|rotation|block|period|page|chapter|question|"
    r"item|point|rank|best|most|worst|largest|longest|highest|lowest|code|call)\b)"
)

_AGE_NUM = r"(?:9\d|1[0-2]\d)"
_AGE_WORD = (
    r"(?i:ninety(?:[\-\s](?:one|two|three|four|five|six|seven|eight|nine))?|"
    r"(?:a|one)\s+hundred(?:\s+and\s+(?:one|two|three|four|five|six|seven|eight|nine|ten))?)"
)
_AGES = (
    re.compile(r"(?<![\w.])(?P<v>" + _AGE_NUM
               + r")(?=\s*-?\s*(?i:years?|yrs?)\s*-?\s*(?i:old|of\s+age)\b"
               r"|\s*-?\s*(?i:yo|y/o|y\.o\.?|yr\s*old)(?!\w)|\s*-?\s*(?i:year|yr)[\- ]old|[MF]\b"
               r"|\s*-?\s*(?i:years?)\b(?!\s+(?:ago|of\s+(?!age)|since|later|before|after)))"),
    re.compile(r"(?i:\b(?:aged?|age\s*[:=]|turned|turning|turns|reached)\s*)(?P<v>" + _AGE_NUM
               + r")(?![\w.,]\d|\w|\s*(?i:minutes|mins|hours|seconds|percent|%|mg|kg|lbs?)\b)"),
    re.compile(r"(?<![\w])(?P<v>" + _AGE_WORD + r")(?=[\-\s]*(?i:years?|yrs?)[\-\s]*(?i:old)\b"
               r"|[\-\s]*(?i:year)[\-\s]old)"),
    re.compile(r"(?i:\b(?:aged?|turned|turning|turns|reached)\s+)(?P<v>" + _AGE_WORD + r")\b"),
    re.compile(r"(?i:\b(?:in|into)\s+(?:his|her|their|my|your|its)\s+(?:(?:late|mid|early)[\s\-]+)?)"
               r"(?P<v>(?i:9\d'?s|nineties|100s|hundreds))\b"),
    re.compile(r"(?i:\b(?:super)?centenarians?\b|\bnonagenarians?\b)"),
    # "Mr. Kowalski was 104.", "she is 93 and": a person, then is/was and a bare number.
    re.compile(r"(?:\b(?:[Hh]e|[Ss]he|[Tt]hey|[Ww]ho)|(?<![\w])[A-Z][a-z’'\-]+)\s+"
               r"(?:is|was|turned|had\s+turned|will\s+be)\s+(?P<v>" + _AGE_NUM + r")"
               r"(?=\s*(?:[.,;!?)]|$|and\b|but\b|when\b|now\b|today\b))"),
)

_AGE_WORD_PATTERNS = (_AGES[2], _AGES[3], _AGES[4], _AGES[5])

_STREET_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|"
    r"Terrace|Ter|Circle|Cir|Highway|Hwy|Parkway|Pkwy|Square|Sq|Trail|Trl|Crescent|Close|"
    r"Row|Alley|Plaza|Loop|Pike|Path|Walk|Gardens|Grove|Mews)"
)
_UNIT = (
    r"(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Room|Rm|Flat|#)\.?\s*#?\s*"
    r"[A-Za-z0-9\-]+)?"
)
_ADDRESSES = (
    re.compile(
        r"(?<![\w\-./])\d{1,6}[A-Za-z]?(?:-\d{1,4})?\s+(?:(?:[NSEW]|North|South|East|West)\.?\s+)?"
        r"(?:\d{1,3}(?:st|nd|rd|th)|[A-Z][\w'’\-]*)(?:\s+[A-Z][\w'’\-]*){0,3}\s+" + _STREET_SUFFIX
        + r"\b\.?" + _UNIT
    ),
    re.compile(r"\b(?:[A-Z][a-z'’\-]+\s+){1,2}(?:Street|Avenue|Road|Boulevard|Lane|Drive)\b"
               r"(?!\s+(?:visits?|said)\b)"),
    re.compile(r"\b(?:P\.?\s?O\.?\s+Box|PO\s+Box|Post\s+Office\s+Box)\s+\d+"),
)

_ZIP_LABELLED = re.compile(
    r"(?i:\bzip(?:\s*code)?|\bpostal\s+code|\bpost\s*code)\s*[:#]?\s*(?P<v>\d{5}(?:-\d{4})?|"
    r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d)\b"
)
_ZIP4 = re.compile(r"(?<![\w\-])\d{5}-\d{4}(?![\w\-])")
# A ZIP code right after a town, without a state: "Springfield 01103", "Cedar Falls, 50613".
# The town is one to three capitalised words (each with a lower-case letter, so "MRN" and
# "NCT" are not towns); whether it really is a town is decided in _detect_places.
_ZIP_AFTER_TOWN = re.compile(
    r"(?<![\w'’\-])(?P<town>[A-Z][a-z][\w'’\-]*\.?(?:\s[A-Z][a-z][\w'’\-]*\.?){0,2}),?\s+"
    r"(?P<zip>\d{5}(?:-\d{4})?)(?![\w\-]|[.,]\d)"
)
# After these a five-digit number is a quantity, not a ZIP code ("Heparin 25000 units").
_NOT_ZIP_AFTER = re.compile(
    r"(?i:\s*(?:units?|iu|mg|mcg|µg|ug|g|kg|ml|l|mmol|cells|copies|steps|people|patients|"
    r"words|times|feet|ft|metres|meters|miles|km|calories|kcal|dollars|pounds|euros|per)\b)"
)
# Capitalised words that number things (rooms, doses, counts), never a town before a ZIP.
_NOT_TOWN = frozenset({
    "total", "grade", "level", "page", "chapter", "count", "dose", "lot", "batch", "cohort",
    "group", "room", "ward", "bed", "bay", "unit", "floor", "suite", "box", "station", "route",
    "flight", "bus", "highway", "interstate", "version", "step", "steps", "study", "trial",
    "protocol", "code", "pod", "platelets", "neutrophils", "item", "question", "figure",
    "table", "line", "row", "column", "number", "no", "ref", "id", "case", "year", "week",
})
_UK_POSTCODE = re.compile(r"\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?)\s?\d[ABD-HJLNP-UW-Z]{2}\b")
_CA_POSTCODE = re.compile(r"\b[ABCEGHJ-NPRSTVXY]\d[A-Z]\s?\d[A-Z]\d\b")

_NUMBER = re.compile(r"(?<![\w.,/\-])\d(?:[\d\-]*\d)?(?![\w,/\-]|\.\d)")
_CODE = re.compile(
    r"(?<![\w\-])(?=[A-Za-z0-9\-]*[A-Za-z])(?=[A-Za-z0-9\-]*\d)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*"
    r"(?![\w\-])"
)
_YEAR_RANGE = re.compile(r"(?:1[89]|20)\d\d-(?:(?:1[89]|20)\d\d|\d\d)")


def _state_patterns(lex: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str]]:
    codes = "|".join(sorted(c.upper() for c in lex.state_codes))
    names = "|".join(sorted((re.escape(n.title()) for n in lex.state_names), key=len,
                            reverse=True))
    state = r"(?:(?P<code>" + codes + r")|" + names + r")"
    town_state = re.compile(
        r"(?P<v>[A-Z][\w'’.\-]*(?:\s[A-Z][\w'’.\-]*){0,2}),\s*" + state
        + r"(?![\w])(?:\s+(?P<zip>\d{5}(?:-\d{4})?)(?!\w))?"
    )
    state_zip = re.compile(r"(?<![\w])" + state + r",?\s+(?P<zip>\d{5}(?:-\d{4})?)(?![\w\-])")
    return town_state, state_zip


@cache
def _compiled_states() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return _state_patterns(lexicon())


@lru_cache(maxsize=8)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = []
    for name in names:
        words = name.split()
        if words:
            parts.append(r"\s+".join(re.escape(w) for w in words))
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])", re.IGNORECASE)


def clean_names(names: Iterable[str]) -> tuple[str, ...]:
    """The user's list of names, tidied: trimmed, inner spaces folded, no empties or repeats
    (case-insensitively), at most 100 characters each, at least two letters."""
    out: dict[str, str] = {}
    for name in names:
        text = " ".join(str(name).split())
        if len(text) < 2 or len(text) > MAX_NAME or not any(c.isalpha() for c in text):
            continue
        out.setdefault(text.casefold(), text)
    return tuple(out.values())


# ============================================================================ detection

Span = tuple[int, int, str]
Windows = list[tuple[int, int]]

_DIGITS = re.compile(r"\d+")
#: How far around a digit the digit-bearing detectors look (labels, month names, suffixes).
_REACH = 45


def _digit_windows(text: str) -> Windows:
    """Stretches of ``text`` within reach of a digit. Most detectors need a digit, and most
    prose has few: scanning only these stretches keeps a long entry fast. (A pattern scanned
    from ``pos`` still sees the characters before it for its look-behinds.)"""
    windows: Windows = []
    for m in _DIGITS.finditer(text):
        lo, hi = max(0, m.start() - _REACH), min(len(text), m.end() + _REACH)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], hi)
        else:
            windows.append((lo, hi))
    return windows


def _scan(pattern: re.Pattern[str], text: str, windows: Windows) -> Iterator[re.Match[str]]:
    for lo, hi in windows:
        yield from pattern.finditer(text, lo, hi)


def _add(spans: list[Span], start: int, end: int, category: str) -> None:
    if end > start:
        spans.append((start, end, category))


def _detect_labelled(text: str, spans: list[Span], windows: Windows) -> None:
    for category, pattern in _LABELLED:
        for m in _scan(pattern, text, windows):
            start = m.start("v")
            value = m.group("v").rstrip()
            if len(value) >= 3 and sum(c.isdigit() for c in value) >= 1:
                _add(spans, start, start + len(value), category)


def _phone_category(text: str, start: int) -> str:
    """``fax`` when the nearest label before a number (on its line) is a fax label."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 40):start]
    fax = [m.end() for m in _FAX_LABEL.finditer(before)]
    phone = [m.end() for m in _PHONE_LABEL.finditer(before)]
    if fax and (not phone or fax[-1] >= phone[-1]):
        return "fax"
    return "phone"


def _detect_contacts(text: str, spans: list[Span], windows: Windows) -> None:
    if "@" in text:
        for m in _EMAIL.finditer(text):
            _add(spans, *m.span(), "email")
    if _URL_HINT.search(text):
        for m in _URL.finditer(text):
            start, end = m.span()
            while end > start and text[end - 1] in ".,;:!?)]}'\"*_":
                end -= 1
            _add(spans, start, end, "url")
    if _IPV6_HINT.search(text):
        for m in _IPV6.finditer(text):
            candidate = m.group().strip()
            if candidate.count(":") >= 2:
                try:
                    ipaddress.IPv6Address(candidate)
                except ValueError:
                    continue
                _add(spans, m.start(), m.start() + len(candidate), "ip")
    for category, pattern in (("ip", _IPV4), ("device", _MAC), ("ssn", _SSN),
                              ("account", _CARD), ("vehicle", _VIN)):
        for m in _scan(pattern, text, windows):
            _add(spans, *m.span(), category)
    for m in _scan(_IBAN, text, windows):
        if sum(c.isdigit() for c in m.group()) >= 8:
            _add(spans, *m.span(), "account")
    for pattern in _PHONES:
        for m in _scan(pattern, text, windows):
            digits = sum(c.isdigit() for c in m.group())
            if 7 <= digits <= 17:
                _add(spans, *m.span(), _phone_category(text, m.start()))
    for m in _scan(_SHORT_PHONE, text, windows):
        _add(spans, *m.span("v"), _phone_category(text, m.start()))


def _plausible_day_month(a: int, b: int) -> bool:
    return (1 <= a <= 12 and 1 <= b <= 31) or (1 <= b <= 12 and 1 <= a <= 31)


def _detect_dates(text: str, spans: list[Span], windows: Windows) -> None:
    for pattern in _DATES[:-1]:
        for m in _scan(pattern, text, windows):
            _add(spans, *m.span(), "date")
    for m in _HOLIDAY.finditer(text):
        _add(spans, *m.span(), "date")
    for m in _scan(_NUMERIC_DATE, text, windows):
        if _plausible_day_month(int(m.group(1)), int(m.group(3))):
            _add(spans, *m.span(), "date")
    for m in _scan(_ISO_DATE, text, windows):
        if 1 <= int(m.group(3)) <= 12 and 1 <= int(m.group(4)) <= 31:
            _add(spans, *m.span(), "date")
    for m in _scan(_SHORT_DATE, text, windows):
        a, b = int(m.group(1)), int(m.group(2))
        if not _plausible_day_month(a, b) or (a, b) == (24, 7):
            continue
        before = text[max(0, m.start() - 25):m.start()]
        after = text[m.end():m.end() + 40]
        if _SHORT_DATE_NOT_BEFORE.search(before) or _SHORT_DATE_NOT_AFTER.match(after):
            continue
        if b in (5, 10) and a <= b:
            sentence = text[max(0, m.start() - 80):m.start()]
            sentence = re.split(r"[.!?\n]\s", sentence)[-1]
            if _SCORE_SENTENCE.search(sentence):
                continue
        _add(spans, *m.span(), "date")
    for m in _scan(_ORDINAL_DAY, text, windows):
        _add(spans, *m.span("v"), "date")


def _detect_ages(text: str, spans: list[Span], windows: Windows) -> None:
    lower = text.lower()
    words = any(w in lower for w in ("ninet", "hundred", "centenar", "nonagenar"))
    for pattern in _AGES:
        numeric = pattern not in _AGE_WORD_PATTERNS
        if not numeric and not words:
            continue
        for m in _scan(pattern, text, windows) if numeric else pattern.finditer(text):
            if "v" in pattern.groupindex:
                _add(spans, *m.span("v"), "age")
            else:
                _add(spans, *m.span(), "age")


def _detect_places(text: str, spans: list[Span], windows: Windows) -> None:
    for pattern in (_ADDRESSES[0], _ADDRESSES[2]):
        for m in _scan(pattern, text, windows):
            _add(spans, *m.span(), "address")
    for m in _ADDRESSES[1].finditer(text):
        _add(spans, *m.span(), "address")
    town_state, state_zip = _compiled_states()
    for m in town_state.finditer(text):
        code = m.group("code")
        if code in ("MD", "PA", "DO") and not m.group("zip"):
            continue  # "Maria Lopez, MD" is a degree, not Maryland
        _add(spans, *m.span("v"), "place")
        if m.group("zip"):
            _add(spans, *m.span("zip"), "zip")
    for m in _scan(state_zip, text, windows):
        _add(spans, *m.span("zip"), "zip")
    for m in _scan(_ZIP_LABELLED, text, windows):
        _add(spans, *m.span("v"), "zip")
    for m in _scan(_ZIP4, text, windows):
        _add(spans, *m.span(), "zip")
    _detect_zip_after_town(text, spans, windows)
    for pattern in (_UK_POSTCODE, _CA_POSTCODE):
        for m in _scan(pattern, text, windows):
            if any(c.isdigit() for c in m.group()) and any(c.isalpha() for c in m.group()):
                _add(spans, *m.span(), "zip")


def _detect_zip_after_town(text: str, spans: list[Span], windows: Windows) -> None:
    """A ZIP code written after a town with no state between ("Springfield 01103"): a
    gazetteer town anywhere, or any capitalised word that is not an ordinary word, in the
    middle of a sentence (at the start of one, "Platelets 12500" is a count)."""
    lex = lexicon()
    for m in _scan(_ZIP_AFTER_TOWN, text, windows):
        if _NOT_ZIP_AFTER.match(text, m.end()):
            continue
        words = [w for w in re.finditer(r"\S+", m.group("town"))]
        offset = m.start("town")
        town: tuple[int, int] | None = None
        # The longest run of last words that the gazetteer knows ("Fall River", "Boston").
        for k in range(len(words)):
            start = offset + words[k].start()
            end = offset + words[-1].end()
            if _place_key(text[start:end]) in lex.places:
                town = (start, end)
                break
        if town is None:
            # Otherwise the last words that are not ordinary ones, in mid-sentence.
            k = len(words)
            while k > 0 and words[k - 1].group().rstrip(".").lower() not in lex.weak_safe \
                    and words[k - 1].group().rstrip(".").lower() not in _NOT_TOWN:
                k -= 1
            if k == len(words):
                continue
            start = offset + words[k].start()
            before = text[max(0, start - 3):start].rstrip(" \t")
            if not before or before[-1] in _SENTENCE_PUNCT or before[-1] == "\n":
                continue
            town = (start, offset + words[-1].end())
        _add(spans, *town, "place")
        _add(spans, *m.span("zip"), "zip")


def _detect_numbers(text: str, spans: list[Span], windows: Windows) -> None:
    for m in _scan(_NUMBER, text, windows):
        value = m.group()
        if sum(c.isdigit() for c in value) >= 6 and not _YEAR_RANGE.fullmatch(value):
            category = "number"
            label = _phone_category(text, m.start())
            before = text[max(0, m.start() - 30):m.start()]
            if label == "fax" or _PHONE_LABEL.search(before):
                digits = sum(c.isdigit() for c in value)
                if 7 <= digits <= 15:
                    category = label
            _add(spans, *m.span(), category)
    for m in _scan(_CODE, text, windows):
        value = m.group()
        if sum(c.isdigit() for c in value) >= 5 and not _ISO_DATE.match(value):
            _add(spans, *m.span(), "number")


# ---------------------------------------------------------------------------- names


class _Token:
    """A word of the text. ``end`` and ``word`` leave out a possessive 's; ``raw_end`` keeps it.
    ``initial`` (first word of a sentence, line, list item or quotation) is worked out for
    capitalised words only: nothing else asks."""

    __slots__ = ("cap", "end", "heading", "initial", "lower", "possessive", "raw_end", "start",
                 "word")

    def __init__(self, start: int, end: int, raw_end: int, word: str, possessive: bool,
                 cap: bool, initial: bool, heading: bool) -> None:
        self.start = start
        self.end = end
        self.raw_end = raw_end
        self.word = word
        self.lower = word.lower()
        self.possessive = possessive
        self.cap = cap
        self.initial = initial
        self.heading = heading


_SENTENCE_PUNCT = frozenset('.!?:;"“”(‘\'[{')
_LIST_CHARS = frozenset("#>*-+•|).")
_LIST_MARK = re.compile(r"[\s#>*\-+•|]*(?:\d{1,3}[.)]\s*)?$")


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    line_start = 0
    heading = False
    prev_end = 0
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        word = m.group()
        nl = text.rfind("\n", prev_end, start)
        if nl >= 0:
            line_start = nl + 1
            heading = text[line_start:start].lstrip().startswith("#")
        elif not out:
            heading = text[:start].lstrip().startswith("#")
        prev_end = raw_end = end
        possessive = False
        if len(word) > 2 and word[-2] in "'’" and word[-1] in "sS":
            word = word[:-2]
            end -= 2
            possessive = True
        cap = word[0].isupper() and not (len(word) > 1 and word.isupper())
        initial = False
        if cap:
            j = start - 1
            while j >= line_start and text[j] in " \t":
                j -= 1
            if j < line_start:
                initial = True
            elif text[j] in _SENTENCE_PUNCT:
                initial = True
                if text[j] == "." and out:
                    # Not after an initial or an honorific's full stop: "Dr. Lee", "J. Smith".
                    prev = out[-1]
                    if prev.raw_end == j and (len(prev.word) <= 2 or prev.lower in _HONORIFICS):
                        initial = False
            elif text[j] in _LIST_CHARS and _LIST_MARK.match(text, line_start, start):
                initial = True
        out.append(_Token(start, end, raw_end, word, possessive, cap, initial, heading))
    return out


def _runs(text: str, tokens: list[_Token], lex: Lexicon) -> list[list[int]]:
    """Groups of capitalised tokens that read as one proper noun ("Maria de la Cruz",
    "J. R. Smith", "St. Louis", "Mrs. Lopez", "St. Jude's Hospital")."""
    institutions = {w.split()[0] for w in lex.institution_words}
    runs: list[list[int]] = []
    current: list[int] = []
    particles: list[int] = []
    for i, tok in enumerate(tokens):
        if current:
            last = tokens[(particles or current)[-1]]
            gap = text[last.raw_end:tok.start]
            joined = gap == " " or (
                gap == ". " and (len(last.word) <= 2 or last.lower in _HONORIFICS)
            )
            if joined and tok.cap and not tok.initial and (
                not last.possessive or tok.lower in institutions
            ):
                current.extend(particles)
                particles = []
                current.append(i)
                continue
            if joined and not tok.cap and not last.possessive and len(particles) < 3 \
                    and tok.lower in _PARTICLES:
                particles.append(i)
                continue
            runs.append(current)
            current, particles = [], []
        if tok.cap:
            current = [i]
    if current:
        runs.append(current)
    return runs


_NAMING_WORDS = frozenset({"named", "called", "nicknamed"})


def _context(text: str, tokens: list[_Token], first: int) -> str:
    """What precedes a run: "honorific", "role", "label", "place" or ""."""
    if first == 0:
        return ""
    tok = tokens[first]
    prev = tokens[first - 1]
    gap = text[prev.raw_end:tok.start]
    before = tokens[first - 2].lower if first > 1 else ""
    plain = gap.strip() == ""
    if prev.lower in _HONORIFICS and prev.cap and gap in (" ", ". ", "."):
        return "honorific"
    if plain and prev.lower in _PLACE_PREPOSITIONS:
        return "place"
    if (prev.lower == "name" and gap.strip() in (":", "=", "-")) \
            or (plain and prev.lower in ("is", "was") and before == "name") \
            or (plain and prev.lower in ("as", "by") and before in ("known", "goes")) \
            or (prev.lower in ("dear", "signed", "cc", "from", "to") and gap.strip() == ":") \
            or (prev.lower == "dear" and plain):
        return "label"
    if prev.lower in _NAMING_WORDS and plain:
        return "role"
    if prev.lower in _ROLE_WORDS and not prev.cap and gap.strip() in ("", ",", "(", "-", "–"):
        return "role"
    return ""


def _match_place(lex: Lexicon, text: str, tokens: list[_Token], run: list[int],
                 k: int) -> int:
    """How many tokens of ``run`` from position ``k`` name a gazetteer place (0 if none)."""
    for n in range(min(4, len(run) - k), 0, -1):
        start = tokens[run[k]].start
        end = tokens[run[k + n - 1]].end
        key = _place_key(text[start:end])
        if key in lex.places:
            return n
    return 0


def _detect_names(text: str, spans: list[Span], user_names: tuple[str, ...]) -> None:
    lex = lexicon()
    pattern = _names_pattern(user_names)
    user_words: set[str] = set()
    if pattern is not None:
        for m in pattern.finditer(text):
            _add(spans, *m.span(), "name")
        user_words = {w.casefold() for n in user_names for w in n.split()}
    tokens = _tokens(text)
    known = lex.known_names | user_words if user_words else lex.known_names
    weak_safe = lex.weak_safe
    institution_ends = lex.institution_ends
    for run in _runs(text, tokens, lex):
        ctx = _context(text, tokens, run[0])
        # "Patient Maria Lopez", "Nurse Tom": a capitalised role or title gives context.
        while len(run) > 1 and (tokens[run[0]].lower in _ROLE_WORDS
                                or tokens[run[0]].lower in _HONORIFICS):
            ctx = "honorific" if tokens[run[0]].lower in _HONORIFICS else "role"
            run = run[1:]
        # "In Millbrook, ...": a capitalised preposition at the start of a sentence.
        if len(run) > 1 and tokens[run[0]].lower in _PLACE_PREPOSITIONS:
            ctx = "place"
            run = run[1:]
        lowers = [tokens[i].lower for i in run]
        # A named institution: "Mercy Hospital", "St. Jude Children's Research Hospital".
        inst = None
        if lowers[-1] in institution_ends:
            joined = " ".join(lowers)
            inst = next((w for w in lex.institution_words
                         if joined == w or joined.endswith(" " + w)), None)
        if inst is not None and len(run) > len(inst.split()):
            lead = 0
            while lead < len(run) - 1 and tokens[run[lead]].initial and lowers[lead] in weak_safe \
                    and lowers[lead] not in ("st", "saint", "mount", "mt"):
                lead += 1
            body = lowers[lead:len(run) - len(inst.split())]
            generic = {"general", "community", "regional", "children", "university", "state",
                       "county", "veterans", "memorial", "medical", "the", "city", "national",
                       "public", "private", "local", "district", "central", "main"}
            if any(b not in generic and b not in lex.safe_words for b in body) or \
                    any(b in ("st", "saint") for b in body):
                _add(spans, tokens[run[lead]].start, tokens[run[-1]].end, "place")
                continue
        flags: list[str | None] = [None] * len(run)
        k = 0
        while k < len(run):
            n = _match_place(lex, text, tokens, run, k)
            if n:
                key = _place_key(text[tokens[run[k]].start:tokens[run[k + n - 1]].end])
                if key not in lex.ambiguous_places or (ctx == "place" and k == 0):
                    for j in range(k, k + n):
                        flags[j] = "place"
                    k += n
                    continue
            k += 1
        strong = ctx in ("honorific", "role", "label")
        for j, i in enumerate(run):
            if flags[j] is not None:
                continue
            tok = tokens[i]
            lower = lowers[j]
            if strong:
                if ctx == "honorific" or lower not in lex.safe_words \
                        or lower in lex.ambiguous_names or lower in user_words:
                    flags[j] = "name"
                continue
            initial = tok.initial and j == 0
            if lower in known or (tok.possessive and lower not in weak_safe and not tok.heading) \
                    or ("-" in lower and any(part in known for part in lower.split("-"))):
                flags[j] = "name"
            elif not initial and not tok.heading and lower not in weak_safe:
                flags[j] = "place" if ctx == "place" and j == 0 else "name"
        # A sentence-initial first word joins a name that follows it ("Samira Haddad came"),
        # unless it is an ordinary word ("Yesterday Haddad came").
        if len(run) > 1 and flags[0] is None and flags[1] == "name" \
                and lowers[0] not in lex.safe_words:
            flags[0] = "name"
        # Place context carries along the run ("in Cedar Falls").
        if flags and flags[0] == "place":
            for j in range(1, len(run)):
                if flags[j] == "name" and lowers[j] not in known:
                    flags[j] = "place"
        j = 0
        while j < len(run):
            category = flags[j]
            if category is None:
                j += 1
                continue
            k = j
            while k + 1 < len(run) and flags[k + 1] == category:
                k += 1
            _add(spans, tokens[run[j]].start, tokens[run[k]].end, category)
            j = k + 1


# ============================================================================ merge


def _merge(text: str, spans: list[Span]) -> list[Finding]:
    """Sorted, non-overlapping findings: overlapping spans become one, whose category is the
    most specific of theirs."""
    spans.sort(key=lambda s: (s[0], -s[1]))
    out: list[Finding] = []
    cur_start = cur_end = -1
    cur_cat = ""
    for start, end, category in spans:
        if start < cur_end:
            cur_end = max(cur_end, end)
            if _RANK[category] < _RANK[cur_cat]:
                cur_cat = category
            continue
        if cur_end > cur_start >= 0:
            out.append(Finding(cur_start, cur_end, cur_cat, text[cur_start:cur_end]))
        cur_start, cur_end, cur_cat = start, end, category
    if cur_end > cur_start >= 0:
        out.append(Finding(cur_start, cur_end, cur_cat, text[cur_start:cur_end]))
    return out


def find_identifiers(text: str, names: Iterable[str] = ()) -> list[Finding]:
    """Every identifier found in ``text``, sorted by position and non-overlapping.

    ``names`` is the user's own list of names: matched in any case, as whole words.
    """
    spans: list[Span] = []
    if not text:
        return []
    windows = _digit_windows(text)
    _detect_contacts(text, spans, windows)
    _detect_labelled(text, spans, windows)
    _detect_dates(text, spans, windows)
    _detect_ages(text, spans, windows)
    _detect_places(text, spans, windows)
    _detect_numbers(text, spans, windows)
    _detect_names(text, spans, clean_names(names))
    return _merge(text, spans)
