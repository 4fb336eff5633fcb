"""The programme lead's demo journal (``journal-app --demo programme``): a programme led from the
journal, 150 invented students enrolled, a pack of four past rotations whose twelve items cover
competency 4 (facets reflected on, encounters met, a self-assessed level), and a folder of
contributions simulated through the real mechanism and the real files (OpenDP's randomised
response, signed by each invented student's throwaway keys, encrypted to the programme), with
a replayed and an altered file among them, so the cohort report shows estimates, suppressed
items and refusals. Seeded: the same students and true rates every time (OpenDP's noise is
its own)."""

from __future__ import annotations

import base64
import json
import random
from datetime import date, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from journal_app.core.cohort.contribution import Contribution, seal_contribution
from journal_app.core.cohort.mechanism import randomise
from journal_app.core.demo.entries import demo_entries
from journal_app.core.practice.pack import Rotation, pack_of, rotations
from journal_app.core.records.model import Identity, ProgrammeLead, Record
from journal_app.core.sharing.cards import card_of, identity_keys

PROGRAMME_NAME = "Palliative Care Clerkship (demo)"
STUDENT_COUNT = 150
#: Of the students, the share who contribute in a rotation.
TAKING_PART = 0.85
_FIRST = ("Amira", "Ben", "Chloe", "Dev", "Elena", "Felix", "Grace", "Hugo", "Ines", "Jonah",
          "Kira", "Leo", "Maya", "Nico", "Olu", "Priya", "Quinn", "Rosa", "Sami", "Tess")
_LAST = ("Adler", "Brooks", "Costa", "Dube", "Evans", "Fischer", "Garcia", "Hale", "Ito",
         "Jensen")

_ITEMS = [
    ("naming-emotions", "Reflected on naming emotions", "facet", "naming-emotions", 0.8),
    ("attitudes", "Reflected on attitudes and assumptions", "facet", "attitudes", 0.55),
    ("uncertainty", "Reflected on living with uncertainty", "facet", "uncertainty", 0.45),
    ("coping", "Reflected on coping", "facet", "coping", 0.7),
    ("support", "Reflected on support from others", "facet", "support", 0.4),
    ("meaning", "Reflected on meaning and purpose", "facet", "meaning", 0.3),
    ("boundaries", "Reflected on boundaries", "facet", "boundaries", 0.2),
    ("patient-death", "Met a patient's death", "encounter", "patient-death", 0.6),
    ("bad-news", "Was there when bad news was given", "encounter", "bad-news", 0.75),
    ("goals-of-care", "Took part in a goals-of-care talk", "encounter", "goals-of-care", 0.35),
    ("own-emotions", "Own emotions, self-assessed", "assessment", "own-emotions", 0.0),
]
#: The self-assessed band's share in each rotation (not rated, 1-2, 3, 4-5): moving up.
_BANDS = [(0.3, 0.4, 0.25, 0.05), (0.25, 0.3, 0.3, 0.15), (0.2, 0.2, 0.35, 0.25),
          (0.2, 0.1, 0.35, 0.35)]


def _pack(first: date) -> dict[str, str]:
    text = "version = 1\nlifetime_epsilon = 16\n"
    for n in range(4):
        start = first + timedelta(days=28 * n)
        text += (f'\n[[rotation]]\nid = "rotation-{n + 1}"\nstart = {start.isoformat()}\n'
                 f"end = {(start + timedelta(days=28)).isoformat()}\nepsilon = 2\n")
        for item_id, label, kind, source, _rate in _ITEMS:
            text += (f'\n[[rotation.item]]\nid = "{item_id}"\nlabel = "{label}"\n'
                     f'{kind} = "{source}"\n')
    return {"rotations.toml": text}


def _identity(rng: random.Random, name: str, role: str) -> Identity:
    def key() -> str:
        return base64.b64encode(rng.randbytes(32)).decode("ascii")

    return Identity(name=name, role=role, x25519_private=key(), ed25519_private=key())


def _students(rng: random.Random) -> list[Identity]:
    names = [f"{f} {last}" for last in _LAST for f in _FIRST][:STUDENT_COUNT]
    return [_identity(rng, name, "student") for name in names]


def programme_demo(folder: Path, seed: int = 23,
                   end: datetime | None = None) -> list[Record]:
    """The lead's records (its identity, the programme it leads, a few entries of its own),
    and ``folder`` filled with the cohort's contribution files."""
    end = end or datetime.now().astimezone()
    today = end.date()
    first = today - timedelta(days=4 * 28 + 10)
    rng = random.Random(seed)
    lead = _identity(rng, "Dr Ruth Okafor", "mentor")
    signing = Ed25519PrivateKey.from_private_bytes(rng.randbytes(32))
    cohort_key = X25519PrivateKey.from_private_bytes(rng.randbytes(32))
    students = _students(rng)
    files = _pack(first)
    record = ProgrammeLead(
        name=PROGRAMME_NAME,
        signing_key=base64.b64encode(signing.private_bytes_raw()).decode("ascii"),
        founded=first.isoformat(), version=3,
        students=tuple(json.dumps(card_of(s).to_json(), sort_keys=True, separators=(",", ":"))
                       for s in students),
        pack=files,
        cohort_key=base64.b64encode(cohort_key.private_bytes_raw()).decode("ascii"),
        created=end - timedelta(days=4 * 28 + 12))
    _contributions(folder, rng, students, rotations(pack_of(files), first), cohort_key)
    return [lead, record, *demo_entries(20, seed + 3, end)]


def _contributions(folder: Path, rng: random.Random, students: list[Identity],
                   plan: tuple[Rotation, ...], key: X25519PrivateKey) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    public = key.public_key()
    programme = base64.b64encode(public.public_bytes_raw()).decode("ascii")
    written: list[Path] = []
    for n, rotation in enumerate(plan):
        for student in students:
            if rng.random() >= TAKING_PART:
                continue
            item = rotation.cohort_items[rng.randrange(len(rotation.cohort_items))]
            rate = next(r for i, _l, _k, _s, r in _ITEMS if i == item.id)
            if item.kind == "assessment":
                truth = rng.choices(item.categories, weights=_BANDS[n % len(_BANDS)])[0]
            else:  # the facets are reached more often as the rotations go on
                truth = "yes" if rng.random() < min(0.95, rate + 0.05 * n) else "no"
            value = randomise(truth, item.categories, rotation.epsilon)
            made = Contribution(rng.randbytes(16).hex(), programme, rotation.id, item.id,
                                value, rotation.epsilon, card_of(student))
            path = folder / f"contribution-{rng.randbytes(8).hex()}.jcc"
            path.write_bytes(seal_contribution(made, identity_keys(student)[1], public))
            written.append(path)
    # Two that the report refuses: the same file under another name, and one altered.
    (folder / "copy-of-a-contribution.jcc").write_bytes(written[0].read_bytes())
    altered = bytearray(written[1].read_bytes())
    altered[len(altered) // 2] ^= 0x20
    (folder / "contribution-altered.jcc").write_bytes(bytes(altered))
