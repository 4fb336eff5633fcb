"""Print the de-identification figures: per-category recall and precision on the labelled test
set (tests/unit/core/deid_corpus.py), its misses, and the time for a 5,000-word entry.

Run: .venv/bin/python scripts/deid_report.py
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from journal_app.core.deid import find_identifiers  # noqa: E402
from tests.unit.core.deid_corpus import (  # noqa: E402
    CORPUS,
    HOLDOUT,
    Passage,
    format_table,
    misses,
    score,
)


def long_entry(words: int = 5000, seed: int = 3) -> str:
    """About ``words`` words of test-set passages, 15% of them carrying identifiers."""
    rng = random.Random(seed)
    plain = [p.text for p in CORPUS if not p.spans]
    marked = [p.text for p in CORPUS if p.spans]
    parts: list[str] = []
    count = 0
    while count < words:
        part = rng.choice(marked) if rng.random() < 0.15 else rng.choice(plain)
        parts.append(part)
        count += len(part.split())
    return "\n\n".join(parts)


def timing(text: str, runs: int = 20) -> tuple[float, float]:
    find_identifiers(text)
    times = []
    for _ in range(runs):
        start = time.process_time()
        find_identifiers(text)
        times.append(time.process_time() - start)
    times.sort()
    return times[0], times[len(times) // 2]


def section(title: str, passages: list[Passage]) -> None:
    print(f"\n## {title} ({len(passages)} passages, "
          f"{sum(1 for p in passages if not p.spans)} without identifiers)\n")
    print(format_table(score(passages)))
    problems = misses(passages)
    if problems:
        print("\n" + "\n".join(f"- {line}" for line in problems))


def main() -> int:
    section("Tuning set", CORPUS)
    section("Holdout set (written after tuning)", HOLDOUT)
    section("Both", CORPUS + HOLDOUT)
    text = long_entry()
    best, median = timing(text)
    print(f"\n## Speed\n\n{len(text.split())} words, {len(text)} characters: "
          f"best {best * 1000:.1f} ms, median {median * 1000:.1f} ms (CPU time).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
