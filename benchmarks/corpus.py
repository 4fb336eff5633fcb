"""A seeded, invented corpus of reflective-journal records for the benchmarks.

Nothing here is real text: bodies are sentences drawn from a vocabulary of plausible words for a
clinician's reflective journal (shift, patient, family, grief, team, ...) mixed with a few
thousand generated filler words, sampled with a Zipf-Mandelbrot law so the term distribution
looks like natural language (a handful of words in every entry, a long tail of rare ones).

Everything comes from ``random.Random(seed)``: the same seed and size give the same records,
ids included. Each record kind has its own maker in :data:`RECORD_MAKERS` (``make_entry`` for
now); later kinds (check-ins, reflections, ...) add a function there and a share in the mix.
"""

from __future__ import annotations

import copyreg
import glob
import hashlib
import json
import math
import os
import pickle
import random
import shutil
import string
import time
import types
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from journal_app.core.practice.assessment import forms
from journal_app.core.practice.prompts import load_library
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

DEFAULT_SEED = 20240601
COPING_IDS = [c.id for c in load_library().coping]
PROMPT_IDS = [p.id for p in load_library().prompts]
#: Created dates are spread over these years (inclusive start, exclusive end).
FIRST_DAY = date(2019, 1, 1)
LAST_DAY = date(2026, 1, 1)
FILLER_WORDS = 6000
ZIPF_S = 1.0
ZIPF_Q = 2.7  # Mandelbrot's shift: flattens the very top a little, as in real text


def _words(text: str) -> list[str]:
    return text.split()


# The most common English words, roughly in frequency order: they come first in the ranking.
FUNCTION_WORDS = _words("""
the i and to a of was it in that my me he she her they we with for on at but not had be is
his this as what so when there all about just like from were have them one by out or felt
did then after if would could up how do no their more time back an been our him still into
some too very said over again only because even know think who before while which than now
can going get got really much around also where went down didn't it's i'm couldn't wasn't
something nothing someone today tonight yesterday way why off each
""")

# Plausible words of a clinician's reflective journal (no real names, places or cases).
DOMAIN_WORDS = _words("""
shift patient patients family families grief team nurse nurses doctor consultant registrar
ward bed bay relatives daughter son wife husband mother father brother sister partner death
died dying palliative comfort pain morphine oxygen breathing monitor alarm bleep handover
rota night nights weekend on-call clinic theatre surgery operation scan results diagnosis
prognosis cancer infection sepsis stroke heart arrest resuscitation chest compressions
airway intubation ventilator icu admission discharge transfer ambulance emergency department
triage waiting room corridor office kettle tea coffee break lunch car drive home sleep tired
exhausted awake anxious worried scared calm relieved grateful angry frustrated sad guilty
ashamed proud hopeful helpless numb overwhelmed tearful hands voice eyes silence quiet noise
phone call message email letter notes chart conversation meeting debrief supervision mentor
student students teaching feedback learning mistake error incident report apology honest
honesty trust respect dignity care caring compassion kindness empathy boundaries burnout
resilience wellbeing rest walk run garden music book friend friends kids dog cat dinner
kitchen bath shower morning afternoon evening midnight dawn hours minutes weeks months year
years decision decisions choice uncertain uncertainty risk consent capacity wishes values
goals plan plans treatment medication dose drip fluids antibiotics bloods test tests senior
junior colleague colleagues manager staff staffing busy quiet chaos pressure beds queue
delay delays complaint complaints conflict argument disagreement support listened listening
explained explaining asked told heard remembered forgot noticed cried laughed smiled sighed
breathed held sat stood waited walked drove slept hard difficult heavy light small big long
short first last next old young good bad better worse best worst right wrong fair unfair
safe unsafe kind gentle reflection reflect reflecting journal writing wrote write words
feeling feelings meaning purpose vocation reason reasons lesson lessons question questions
answer peace hope fear anger guilt shame relief gratitude sadness loneliness doubt pride
""")

# Multi-word expressions that turn up in sentences (and make phrase searches hit).
PHRASES = [
    "family meeting", "night shift", "goals of care", "bad news", "ward round",
    "end of life", "do not resuscitate", "palliative care", "cardiac arrest", "breaking bad news",
    "next of kin", "time of death", "on call", "hand over", "long day", "early shift",
    "last offices", "best interests", "shared decision", "patient safety", "duty of candour",
    "quality of life", "comfort care", "difficult conversation", "what matters most",
]

TAGS = [
    "nights", "icu", "oncology", "paediatrics", "ed", "palliative", "teaching", "supervision",
    "handover", "self-care", "family", "rota", "ward-round", "on-call", "debrief", "mistake",
    "team", "learning", "surgery", "clinic", "gp", "maternity", "elderly-care", "research",
]

EMOTIONS = [
    "grief", "sadness", "guilt", "anxiety", "relief", "gratitude", "frustration", "anger",
    "hope", "pride", "shame", "fear", "calm", "exhaustion", "compassion", "helplessness",
    "joy", "numbness", "loneliness", "awe",
]

_ONSETS = ["b", "br", "c", "cl", "d", "dr", "f", "fl", "g", "gr", "h", "j", "k", "l", "m",
           "n", "p", "pl", "r", "s", "sh", "st", "t", "th", "tr", "v", "w", "z", ""]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ee", "ou", "oa", "y"]
_CODAS = ["", "", "", "n", "r", "s", "l", "m", "nd", "st", "ck", "th", "ng", "t"]


@dataclass
class Vocabulary:
    """Words by frequency rank and their cumulative Zipf weights."""

    words: list[str]
    cum_weights: list[float]
    domain: list[str]
    filler: list[str]
    rank: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rank = {w: i for i, w in enumerate(self.words)}

    def sample(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cum_weights, k=k)


def _filler_words(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    out: list[str] = []
    seen = set(taken)
    while len(out) < count:
        syllables = rng.choice((1, 2, 2, 2, 3))
        word = "".join(
            rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
            for _ in range(syllables)
        )
        if 3 <= len(word) <= 10 and word not in seen:
            seen.add(word)
            out.append(word)
    return out


def build_vocabulary(seed: int = DEFAULT_SEED, filler: int = FILLER_WORDS) -> Vocabulary:
    """Function words on top, then domain words mixed into the upper-middle ranks, then filler."""
    rng = random.Random(f"vocabulary-{seed}")
    domain = list(dict.fromkeys(w for w in DOMAIN_WORDS if w not in FUNCTION_WORDS))
    taken = set(FUNCTION_WORDS) | set(domain)
    filler_words = _filler_words(rng, filler, taken)
    rest: list[tuple[float, str]] = []
    # Domain words land mostly between ranks ~100 and ~1,000; filler anywhere after the top.
    for word in domain:
        rest.append((rng.uniform(0, 1) ** 2 * 0.15, word))
    for word in filler_words:
        rest.append((rng.uniform(0.01, 1.0), word))
    rest.sort()
    words = list(dict.fromkeys(FUNCTION_WORDS)) + [w for _, w in rest]
    total = 0.0
    cum = []
    for r in range(len(words)):
        total += 1.0 / (r + 1 + ZIPF_Q) ** ZIPF_S
        cum.append(total)
    return Vocabulary(words, cum, domain, filler_words)


# --------------------------------------------------------------------------------------------
# Text


def _sentence(rng: random.Random, vocab: Vocabulary) -> str:
    words = vocab.sample(rng, rng.randint(6, 22))
    if rng.random() < 0.18:
        words.insert(rng.randrange(len(words) + 1), rng.choice(PHRASES))
    if rng.random() < 0.25:
        words.insert(rng.randrange(len(words) + 1), rng.choice(vocab.domain))
    text = " ".join(words)
    if rng.random() < 0.2:
        cut = text.find(" ", len(text) // 2)
        if cut > 0:
            text = text[:cut] + "," + text[cut:]
    end = rng.choices((".", "?", "!", "..."), weights=(85, 8, 4, 3))[0]
    return text[:1].upper() + text[1:] + end


def make_body(rng: random.Random, vocab: Vocabulary, words: int = 300) -> str:
    """Paragraphs of sentences, about ``words`` words in all."""
    target = max(20, int(rng.gauss(words, words * 0.3)))
    paragraphs: list[str] = []
    count = 0
    while count < target:
        sentences = []
        for _ in range(rng.randint(2, 6)):
            s = _sentence(rng, vocab)
            sentences.append(s)
            count += s.count(" ") + 1
            if count >= target:
                break
        if rng.random() < 0.05:
            items = [" ".join(vocab.sample(rng, rng.randint(2, 6))) for _ in range(3)]
            paragraphs.append("\n".join(f"- {i}" for i in items))
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def make_title(rng: random.Random, vocab: Vocabulary) -> str:
    if rng.random() < 0.08:
        return ""
    kind = rng.random()
    if kind < 0.35:
        words = [rng.choice(vocab.domain) for _ in range(rng.randint(1, 3))]
        words += vocab.sample(rng, rng.randint(0, 2))
    elif kind < 0.6:
        words = [rng.choice(PHRASES), *vocab.sample(rng, rng.randint(0, 3))]
    else:
        words = vocab.sample(rng, rng.randint(2, 7))
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _when(rng: random.Random) -> datetime:
    span = (LAST_DAY - FIRST_DAY).days
    day = FIRST_DAY + timedelta(days=rng.randrange(span))
    # Mostly evenings after a shift, some mornings, a few in the small hours.
    hour = rng.choices((6, 7, 8, 12, 17, 18, 19, 20, 21, 22, 23, 1, 2),
                       weights=(3, 4, 3, 3, 5, 8, 10, 10, 9, 7, 5, 2, 1))[0]
    summer = 4 <= day.month <= 10  # a fixed offset per season, so the result is portable
    tz = timezone(timedelta(hours=1 if summer else 0))
    return datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60),
                    tzinfo=tz)


def _new_id(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


# --------------------------------------------------------------------------------------------
# Record makers: one function per kind


def make_entry(rng: random.Random, vocab: Vocabulary) -> Entry:
    """One journal entry with ratings, labels and about 300 words of text."""
    created = _when(rng)
    updated = created
    if rng.random() < 0.3:
        updated = created + timedelta(minutes=rng.randint(1, 60 * 72))
    tags = rng.sample(TAGS, rng.choices((0, 1, 2, 3, 4), weights=(15, 30, 30, 17, 8))[0])
    emotions = [
        Emotion(name, rng.randint(1, 5))
        for name in rng.sample(EMOTIONS, rng.choices((0, 1, 2, 3), weights=(20, 35, 30, 15))[0])
    ]
    return Entry(
        id=_new_id(rng),
        created=created,
        updated=updated,
        title=make_title(rng, vocab),
        body=make_body(rng, vocab),
        tags=tags,
        starred=rng.random() < 0.06,
        emotions=emotions,
        mood=rng.randint(-5, 5) if rng.random() < 0.8 else None,
        energy=rng.randint(-5, 5) if rng.random() < 0.7 else None,
        stress=rng.randint(0, 10) if rng.random() < 0.75 else None,
        encounter=rng.choice(ENCOUNTER_TYPES) if rng.random() < 0.6 else None,
        trashed=(updated + timedelta(days=1)) if rng.random() < 0.01 else None,
    )


def make_checkin(rng: random.Random, vocab: Vocabulary) -> Record:
    """A check-in: ratings, a few emotions, sleep, sometimes a difficult encounter."""
    del vocab
    return CheckIn(
        id=_new_id(rng),
        created=_when(rng),
        mood=rng.randint(-5, 5),
        energy=rng.randint(-5, 5),
        stress=rng.randint(0, 10),
        burnout=rng.randint(1, 5),
        emotions=[Emotion(name, rng.randint(1, 5)) for name in rng.sample(EMOTIONS, 2)],
        sleep_hours=rng.choice([None, 4.0, 5.5, 6.0, 7.5, 8.0]),
        encounter=rng.choice(ENCOUNTER_TYPES) if rng.random() < 0.25 else None,
    )


def make_reflection(rng: random.Random, vocab: Vocabulary) -> Record:
    """A finished guided reflection: an entry with structured answers."""
    texts = [make_body(rng, vocab, words=60) for _ in range(4)]
    steps = ["what-happened", "so-what", "now-what", "plan"]
    reflection = Reflection(
        id=_new_id(rng),
        created=_when(rng),
        title=make_title(rng, vocab),
        body="\n\n".join(f"## {step}\n\n{text}" for step, text in zip(steps, texts, strict=True)),
        template_id="what-so-what-now-what",
        answers=[StepAnswer(step, "plan" if step == "plan" else "text", text=text)
                 for step, text in zip(steps, texts, strict=True)],
        encounter=rng.choice(ENCOUNTER_TYPES),
        depth=rng.choice(["habitual-action", "thoughtful-action", "reflection", None]),
    )
    # What helped, and the prompt answered: the coping and facet charts need them.
    coping = [CopingRating(s, rng.randint(-2, 2)) for s in rng.sample(COPING_IDS, 2)]
    return replace(
        reflection,
        answers=(*reflection.answers, StepAnswer("coping", "coping", coping=tuple(coping))),
        prompt_ids=(rng.choice(PROMPT_IDS),),
    )


def make_self_assessment(rng: random.Random, vocab: Vocabulary) -> Record:
    """A competency self-assessment or a monthly wellbeing check."""
    del vocab
    form = rng.choice(["competency", "wellbeing"])
    items = forms()[form].items
    return SelfAssessment(id=_new_id(rng), created=_when(rng), form=form,
                          ratings={i.id: rng.randint(1, 5) for i in items})


RecordMaker = Callable[[random.Random, Vocabulary], Record]

#: Record kind -> its maker. Add a kind here and give it a share in ``DEFAULT_MIX``.
RECORD_MAKERS: dict[str, RecordMaker] = {
    "entry": make_entry,
    "checkin": make_checkin,
    "reflection": make_reflection,
    "self-assessment": make_self_assessment,
}
#: Share of each kind in a generated corpus (``n`` counts entries; other kinds scale with it).
#: Budgets are set for N entries, so the default keeps to entries; ``REALISTIC_MIX`` adds a
#: check-in most days and a reflection after some difficult ones.
DEFAULT_MIX: dict[str, float] = {"entry": 1.0}
REALISTIC_MIX: dict[str, float] = {"entry": 1.0, "checkin": 0.5, "reflection": 0.05,
                                   "self-assessment": 0.005}


@dataclass
class Corpus:
    seed: int
    vocab: Vocabulary
    records: list[Record]

    @property
    def entries(self) -> list[Entry]:
        return [r for r in self.records if isinstance(r, Entry)]


def generate(n: int, seed: int = DEFAULT_SEED, mix: dict[str, float] | None = None,
             fixed: dict[str, int] | None = None) -> Corpus:
    """``n`` entries (and other kinds in proportion to ``mix``, or ``fixed`` numbers of some
    kinds whatever ``n``), the same for the same seed."""
    vocab = build_vocabulary(seed)
    records: list[Record] = []
    counts = {kind: round(n * share) for kind, share in (mix or DEFAULT_MIX).items()}
    counts.update(fixed or {})
    for kind, count in counts.items():
        maker = RECORD_MAKERS[kind]
        rng = random.Random(f"{kind}-{seed}")
        records.extend(maker(rng, vocab) for _ in range(count))
    return Corpus(seed, vocab, records)


# --------------------------------------------------------------------------------------------
# Other shapes of the same entries


JRNL_TIMEFORMAT = "%Y-%m-%d %H:%M"


def to_jrnl_text(entries: Iterable[Entry]) -> str:
    """The entries as a plain jrnl journal (``[date] title`` then the body; tags as ``@tag``).

    jrnl keeps local times without an offset, so the wall-clock time is written as it is.
    """
    chunks = []
    for entry in sorted(entries, key=lambda e: e.created):
        title = entry.title or entry.first_line(60) or "Untitled"
        title = title.rstrip(".?!") + "."
        tags = " ".join("@" + t for t in entry.tags)
        body = entry.body + (f"\n\n{tags}" if tags else "")
        star = " *" if entry.starred else ""
        chunks.append(f"[{entry.created.strftime(JRNL_TIMEFORMAT)}] {title}{star}\n{body}\n")
    return "\n".join(chunks)


def absent_words(rng: random.Random, count: int, vocab: Vocabulary) -> list[str]:
    """Words that occur nowhere in the corpus (queries that find nothing)."""
    out: list[str] = []
    while len(out) < count:
        word = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 9)))
        if word not in vocab.rank and not any(c in word for c in "aeiou"):
            out.append(word)
    return out


def log_uniform_rank(rng: random.Random, size: int, lo: int = 0) -> int:
    """A rank between ``lo`` and ``size - 1``, uniform on a log scale (all frequencies)."""
    return min(size - 1, int(math.exp(rng.uniform(math.log(lo + 1), math.log(size)))) - 1)


def bigrams_from(rng: random.Random, entries: Sequence[Entry], count: int) -> list[str]:
    """Word pairs (some triples) that occur in the entries, for phrase queries that hit."""
    out: list[str] = []
    while len(out) < count:
        words = [w.strip(".,?!-") for w in rng.choice(entries).body.split()]
        words = [w for w in words if w]
        if len(words) < 4:
            continue
        start = rng.randrange(len(words) - 3)
        out.append(" ".join(words[start : start + rng.choice((2, 2, 3))]))
    return out


# --------------------------------------------------------------------------------------------
# Built corpora and vaults, cached under benchmarks/out/ (never part of the repository)

#: Bump when what a cached vault holds must change although this file did not.
CORPUS_VERSION = 2
CACHE = Path(__file__).resolve().parent / "out" / "cache"


def corpus_version() -> str:
    """The corpus version: :data:`CORPUS_VERSION` and a hash of this file down to the caching
    code below (a change to any maker makes new corpora and vaults; one to the caching does
    not)."""
    text = Path(__file__).read_text(encoding="utf-8")
    makers = text[: text.index("# Built corpora and vaults")]
    return f"v{CORPUS_VERSION}-{hashlib.sha256(makers.encode()).hexdigest()[:10]}"


def _mix_name(mix: dict[str, float] | None, fixed: dict[str, int] | None) -> str:
    parts = [f"{k}{v:g}" for k, v in sorted((mix or DEFAULT_MIX).items())]
    parts += [f"{k}={v}" for k, v in sorted((fixed or {}).items())]
    return "-".join(parts)


def cache_key(n: int, seed: int, mix: dict[str, float] | None = None,
              fixed: dict[str, int] | None = None, what: str = "corpus") -> str:
    return f"{what}-{n}-{_mix_name(mix, fixed)}-s{seed}-{corpus_version()}"


def _drop_older_versions(key: str) -> None:
    """Remove what the cache holds for the same kind, size, mix and seed under another corpus
    version (a 100,000-entry vault is 560 MB)."""
    stem = key[: key.rindex("-v")] + "-v"
    for old in CACHE.glob(glob.escape(stem) + "*"):
        if not old.name.startswith(key):
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)


def cached_corpus(n: int, seed: int = DEFAULT_SEED, mix: dict[str, float] | None = None,
                  fixed: dict[str, int] | None = None) -> tuple[Corpus, float, bool]:
    """:func:`generate` through a cache: ``(corpus, seconds to generate, from the cache)``.

    Pickled (a file this program wrote itself, in the ignored ``benchmarks/out``); a file that
    cannot be read is made again."""
    path = CACHE / (cache_key(n, seed, mix, fixed) + ".pickle")
    if path.exists():
        try:
            with path.open("rb") as fh:
                made, seconds = pickle.load(fh)
            if isinstance(made, Corpus):
                return made, float(seconds), True
        except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError, TypeError):
            pass
    start = time.perf_counter()
    made = generate(n, seed, mix, fixed)
    seconds = time.perf_counter() - start
    path.parent.mkdir(parents=True, exist_ok=True)
    _drop_older_versions(path.stem)
    tmp = path.with_suffix(".tmp")
    try:
        with tmp.open("wb") as fh:
            pickle.dump((made, seconds), fh, protocol=pickle.HIGHEST_PROTOCOL)
    except (TypeError, pickle.PicklingError):
        tmp.unlink(missing_ok=True)  # a kind that cannot be pickled: made again next time
    else:
        os.replace(tmp, path)
    return made, seconds, False


def cached_vault(key: str, build: Callable[[Path], dict[str, Any]], into: Path
                 ) -> tuple[dict[str, Any], bool]:
    """A copy in ``into`` (a new folder) of the vault ``build(folder)`` makes, built once per
    ``key`` (:func:`cache_key`) and kept under ``benchmarks/out/cache``. ``build`` creates the
    vault in the folder it is given, closes it and returns figures of the build (kept beside
    it); returns those figures and whether the vault came from the cache."""
    folder = CACHE / key
    info = folder / "build.json"
    from_cache = info.exists() and (folder / "vault" / "journal.db").exists()
    if not from_cache:
        CACHE.mkdir(parents=True, exist_ok=True)
        _drop_older_versions(key)
        shutil.rmtree(folder, ignore_errors=True)
        staging = CACHE / (key + ".building")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        figures = build(staging / "vault")
        (staging / "build.json").write_text(json.dumps(figures, indent=2))
        os.replace(staging, folder)
    figures = json.loads(info.read_text())
    shutil.copytree(folder / "vault", into)
    return figures, from_cache


def _read_only(mapping: dict[Any, Any]) -> types.MappingProxyType[Any, Any]:
    return types.MappingProxyType(mapping)


# The self-assessments' ratings are read-only mappings: pickled as plain dicts.
copyreg.pickle(types.MappingProxyType, lambda m: (_read_only, (dict(m),)))

#: The benchmark journal (bench.py and bench_ui.py share it): N entries, a guided reflection
#: for one entry in twenty, a self-assessment for one in two hundred, and 5,000 check-ins
#: whatever N is (issue 18: 100,000 entries with 5,000 check-ins).
BENCH_MIX: dict[str, float] = {"entry": 1.0, "reflection": 0.05, "self-assessment": 0.005}
BENCH_FIXED: dict[str, int] = {"checkin": 5_000}
VAULT_PASSPHRASE = "bench: a long passphrase for the benchmark vault"


def bench_corpus(n: int, seed: int = DEFAULT_SEED) -> tuple[Corpus, float, bool]:
    """The benchmark journal's records (:func:`cached_corpus`)."""
    return cached_corpus(n, seed, BENCH_MIX, BENCH_FIXED)


def bench_vault(n: int, into: Path, seed: int = DEFAULT_SEED) -> tuple[dict[str, Any], bool]:
    """A copy in ``into`` of the benchmark journal of ``n`` entries under the default key
    derivation and :data:`VAULT_PASSPHRASE`, its search index sealed; built once (import
    and index timed then, returned with the other figures of the build) and then copied from
    the cache. Returns the figures and whether it came from the cache."""

    def build(folder: Path) -> dict[str, Any]:
        from journal_app.core.vault.crypto import DEFAULT_KDF
        from journal_app.core.vault.journal import Journal

        for source in older_schema:
            if (source / "vault" / "journal.db").exists():
                return migrate(folder, source)
        if (earlier / "vault" / "journal.db").exists():
            return convert(folder)
        made, generate_s, _cached = bench_corpus(n, seed)
        start = time.perf_counter()
        journal, _key = Journal.create(folder, VAULT_PASSPHRASE, DEFAULT_KDF)
        result = journal.import_records(made.records)
        import_s = time.perf_counter() - start
        if result.imported != len(made.records):
            raise RuntimeError(f"imported {result.imported} of {len(made.records)}")
        start = time.perf_counter()
        journal.prepare_search()
        index_build_s = time.perf_counter() - start
        start = time.perf_counter()
        journal.save_index_snapshot()
        snapshot_save_s = time.perf_counter() - start
        journal.close()
        return {"records": len(made.records), "entries": len(made.entries),
                "words": sum(len(e.body.split()) for e in made.entries),
                "vocabulary": len(made.vocab.words), "generate_s": generate_s,
                "import_s": import_s, "index_build_s": index_build_s,
                "snapshot_save_s": snapshot_save_s, "built": time.strftime("%Y-%m-%d %H:%M")}

    def convert(folder: Path) -> dict[str, Any]:
        """The same records from the vault cached with the single index snapshot of earlier
        versions (copied, never changed in place), its index rebuilt and sealed in segments:
        minutes less than importing 100,000 entries again."""
        from journal_app.core.vault.journal import Journal

        shutil.copytree(earlier / "vault", folder)
        figures = dict(json.loads((earlier / "build.json").read_text()))
        journal = Journal.open(folder)
        try:
            journal.unlock(VAULT_PASSPHRASE)
            start = time.perf_counter()
            journal.prepare_search()
            figures["index_build_s"] = time.perf_counter() - start
            start = time.perf_counter()
            journal.save_index_snapshot()
            figures["snapshot_save_s"] = time.perf_counter() - start
        finally:
            journal.close()
        # The pages the single snapshot held are free now: compact the file to the size a
        # vault built afresh has (only sealed blobs are moved).
        import sqlite3  # here: an import above would change the corpus version

        conn = sqlite3.connect(folder / "journal.db")
        try:
            conn.execute("VACUUM")
        finally:
            conn.close()
        figures["converted_from"] = earlier.name
        figures["built"] = time.strftime("%Y-%m-%d %H:%M")
        return figures

    def migrate(folder: Path, source: Path) -> dict[str, Any]:
        """The vault cached under an older schema (same records, same index), brought up to
        date as the app does when it opens one (the copy it keeps first is removed); the older
        one is dropped from the cache."""
        from journal_app.core.vault.journal import Journal

        shutil.copytree(source / "vault", folder)
        Journal.open(folder).close()
        for kept in folder.glob("journal.db.before-migration-*"):
            kept.unlink()
        figures = dict(json.loads((source / "build.json").read_text()))
        figures["migrated_from"] = source.name
        shutil.rmtree(source, ignore_errors=True)
        return figures

    from journal_app.core.vault.sealedindex import DIRECTORY_FORMAT
    from journal_app.core.vault.search import INDEX_FORMAT, SEGMENT_DOCS
    from journal_app.core.vault.store import MIGRATIONS

    # The vault's formats are in its name: a new one builds the vault again (from the vault of
    # the single index snapshot when it is cached: the records are the same).
    what = f"vault{len(MIGRATIONS)}i{INDEX_FORMAT}"
    earlier = CACHE / cache_key(n, seed, BENCH_MIX, BENCH_FIXED, what)
    what += f"s{DIRECTORY_FORMAT}d{SEGMENT_DOCS}"
    older_schema = [CACHE / cache_key(n, seed, BENCH_MIX, BENCH_FIXED, f"vault{k}i{INDEX_FORMAT}"
                                      f"s{DIRECTORY_FORMAT}d{SEGMENT_DOCS}")
                    for k in range(len(MIGRATIONS) - 1, 0, -1)]
    return cached_vault(cache_key(n, seed, BENCH_MIX, BENCH_FIXED, what), build, into)
