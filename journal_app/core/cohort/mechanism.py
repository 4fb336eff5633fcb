"""Randomised response through OpenDP (a well-kept library; the mechanism is not written here).

OpenDP gates its randomised-response constructors behind ``dp.enable_features("contrib")``
(they are contributed code whose proofs are reviewed but not yet vetted); this module turns
that on, in the contributing process only. OpenDP is imported here, lazily: only the contribute
path (and the simulations) load it.

The keep-probability is ``e^ε / (e^ε + k - 1)`` (:func:`journal_app.core.cohort.estimate.
keep_probability`); OpenDP's own privacy map must say the measurement spends at most ``ε``
(floating point can put the computed probability a hair over: it is moved down, by the smallest
steps, until OpenDP's map agrees). The report's estimator uses the same probability; the
difference is below 1e-15.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from journal_app.core.cohort.estimate import keep_probability


@lru_cache(maxsize=32)
def _measurement(categories: tuple[str, ...], epsilon: float) -> Callable[[Any], Any]:
    import opendp.prelude as dp

    dp.enable_features("contrib")
    k = len(categories)
    prob = keep_probability(epsilon, k)
    for _ in range(64):
        if k == 2:
            measurement = dp.m.make_randomized_response_bool(prob)
        else:
            measurement = dp.m.make_randomized_response(list(categories), prob)
        spends: float = measurement.map(1)  # type: ignore[no-untyped-call]
        if spends <= epsilon:
            return measurement
        prob = math.nextafter(prob, 0.0)
    raise RuntimeError("OpenDP's privacy map does not meet the budget")


def randomise(true_value: str, categories: Sequence[str], epsilon: float) -> str:
    """``true_value`` (one of ``categories``) through randomised response spending ``epsilon``:
    kept with probability ``e^ε / (e^ε + k - 1)``, else one of the others, uniformly."""
    cats = tuple(categories)
    if true_value not in cats:
        raise ValueError("not a category of the item")
    measurement = _measurement(cats, float(epsilon))
    if len(cats) == 2:
        # Yes/no: OpenDP's boolean mechanism; True stands for the first category ("yes").
        return cats[0] if measurement(true_value == cats[0]) else cats[1]
    out = measurement(true_value)
    if out not in cats:
        raise RuntimeError("randomised response gave a value outside the item's categories")
    return str(out)
