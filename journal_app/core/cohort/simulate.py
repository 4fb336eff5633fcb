"""Simulated cohorts with a known truth: for the calibration test, ``make bench`` and the demo
programme (``--demo programme``). Every simulated answer goes through the real mechanism
(OpenDP's randomised response, one call per contribution) and the real tally."""

from __future__ import annotations

import random
from dataclasses import dataclass

from journal_app.core.cohort.estimate import Estimate
from journal_app.core.cohort.mechanism import randomise
from journal_app.core.cohort.service import tally
from journal_app.core.practice.pack import YES_NO, CohortItem, Rotation


@dataclass(frozen=True)
class Simulated:
    """A contribution as the tally counts it (no file, no card)."""

    rotation: str
    item: str
    value: str
    epsilon: float


def simulate(rotations: list[Rotation], truth: dict[str, float], students: int,
             rng: random.Random, contributing: float = 1.0,
             ) -> tuple[list[Simulated], dict[str, float]]:
    """Each student has a fixed true answer to each yes/no item (drawn with the item's rate in
    ``truth``); in each rotation, each student contributes with probability ``contributing``,
    reporting one item drawn uniformly, randomised with the rotation's epsilon. Returns the
    contributions and each item's true share in the cohort (the estimand)."""
    ids = list(truth)
    answers = [{i: rng.random() < truth[i] for i in ids} for _ in range(students)]
    shares = {i: sum(a[i] for a in answers) / students for i in ids}
    made: list[Simulated] = []
    for rotation in rotations:
        for student in answers:
            if rng.random() >= contributing:
                continue
            item = rotation.cohort_items[rng.randrange(len(rotation.cohort_items))]
            value = randomise("yes" if student[item.id] else "no", YES_NO, rotation.epsilon)
            made.append(Simulated(rotation.id, item.id, value, rotation.epsilon))
    return made, shares


def rotations_of(count: int, items: int, epsilon: float) -> list[Rotation]:
    from datetime import date, timedelta

    from journal_app.core.practice.pack import default_items

    chosen = default_items()[:items] if items <= 11 else tuple(
        CohortItem(f"item-{n}", f"Item {n}", "facet", "meaning") for n in range(items))
    start = date(2027, 1, 4)
    return [Rotation(f"rotation-{n + 1}", start + timedelta(days=28 * n),
                     start + timedelta(days=28 * (n + 1)), None, epsilon, tuple(chosen))
            for n in range(count)]


def simulate_cohort(students: int, items: int, epsilon: float, rotations: int = 1,
                    rng: random.Random | None = None,
                    ) -> list[tuple[float, float, Estimate]]:
    """One cohort with random true rates (uniform in [0.05, 0.95]): each item's true rate (what
    each student's answer was drawn with), its true share in this cohort of ``students``, and
    its estimate (one rotation's, or pooled over ``rotations``)."""
    rng = rng or random.Random()
    plan = rotations_of(rotations, items, epsilon)
    truth = {i.id: rng.uniform(0.05, 0.95) for i in plan[0].cohort_items}
    made, shares = simulate(plan, truth, students, rng)
    per_rotation, _total, pooled = tally(plan, made)
    rows = pooled if rotations > 1 else per_rotation[0].items
    return [(truth[row.id], shares[row.id], row) for row in rows]
