"""Debiased estimates from randomised response, with 95% intervals (pure arithmetic, no I/O).

A contribution reports one item; its true category is kept with probability
``p = e^ε / (e^ε + k - 1)`` and replaced by each of the ``k - 1`` others with probability
``q = 1 / (e^ε + k - 1)`` (OpenDP's ``make_randomized_response``; for a yes/no item ``k = 2``,
``make_randomized_response_bool``). For a category ``c`` whose true share among the students
is ``π``, a report says ``c`` with probability ``λ = π p + (1 - π) q``, so from ``x`` of ``n``
reports saying ``c``::

    π̂ = (x / n - q) / (p - q)            (unbiased)
    Var(π̂) = λ (1 - λ) / (n (p - q)^2)

The 95% interval is Wilson's score interval for ``λ``, carried through the same straight line
(``(λ - q) / (p - q)`` is increasing, so it covers ``π`` exactly when Wilson's covers ``λ``);
Wilson's keeps its coverage at the 10 to 20 reports an item gets in one rotation, where the
plain ``π̂ ± 1.96 sd`` does not. Reports made under different epsilons (a pack changed between
versions) are pooled by averaging each report's own unbiased value ``(1[y = c] - q_i) /
(p_i - q_i)``, with the normal interval of that mean.

The estimate and the interval may fall outside [0, 1] (a debiased proportion is noisy); they are
kept so in :attr:`Estimate.raw_estimate` and clipped to [0, 1] for the report and the screen.
Fewer than :data:`MIN_REPORTS` reports: suppressed (no estimate, no interval).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: Fewer reports than this: the item is suppressed (its estimate would be noise).
MIN_REPORTS = 10
Z95 = 1.959963984540054


def keep_probability(epsilon: float, k: int) -> float:
    """The probability that randomised response keeps the true category (``k`` categories)."""
    e = math.exp(epsilon)
    return e / (e + k - 1)


def p_and_q(epsilon: float, k: int) -> tuple[float, float]:
    p = keep_probability(epsilon, k)
    return p, (1 - p) / (k - 1)


def _clip(value: float) -> float:
    return min(1.0, max(0.0, value))


@dataclass(frozen=True)
class Estimate:
    """One row of a report: an item (or one category of it), its reports and its estimate."""

    id: str
    label: str
    reports: int
    #: Unclipped debiased estimate and interval (None: suppressed).
    raw_estimate: float | None = None
    raw_low: float | None = None
    raw_high: float | None = None

    @property
    def suppressed(self) -> bool:
        return self.raw_estimate is None

    @property
    def estimate(self) -> float | None:
        return None if self.raw_estimate is None else _clip(self.raw_estimate)

    @property
    def low(self) -> float | None:
        return None if self.raw_low is None else _clip(self.raw_low)

    @property
    def high(self) -> float | None:
        return None if self.raw_high is None else _clip(self.raw_high)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "estimate": _round(self.estimate),
                "low": _round(self.low), "high": _round(self.high), "reports": self.reports,
                "suppressed": self.suppressed}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def wilson(hits: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval for a binomial proportion (``n`` > 0)."""
    phat = hits / n
    denom = 1 + z * z / n
    centre = (phat + z * z / (2 * n)) / denom
    half = z * math.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / denom
    return centre - half, centre + half


def estimate(item_id: str, label: str, reports: Sequence[tuple[bool, float, int]]) -> Estimate:
    """The estimate of one category from ``reports``: each (said this category, epsilon, k)."""
    n = len(reports)
    if n < MIN_REPORTS:
        return Estimate(item_id, label, n)
    kinds = {(eps, k) for _hit, eps, k in reports}
    if len(kinds) == 1:
        (eps, k), = kinds
        p, q = p_and_q(eps, k)
        hits = sum(1 for hit, _e, _k in reports if hit)
        lo, hi = wilson(hits, n)
        return Estimate(item_id, label, n, (hits / n - q) / (p - q), (lo - q) / (p - q),
                        (hi - q) / (p - q))
    values = []
    for hit, eps, k in reports:
        p, q = p_and_q(eps, k)
        values.append(((1.0 if hit else 0.0) - q) / (p - q))
    mean = sum(values) / n
    var = sum((v - mean) ** 2 for v in values) / (n - 1) / n
    half = Z95 * math.sqrt(var)
    return Estimate(item_id, label, n, mean, mean - half, mean + half)
