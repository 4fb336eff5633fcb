"""Calibration of the cohort report's 95% intervals (issue 25), run by ``make bench``.

    .venv/bin/python benchmarks/bench_cohort.py              # 1,000 cohorts
    .venv/bin/python benchmarks/bench_cohort.py --cohorts 100

Each simulated cohort: 150 students, 11 yes/no items (the facets of competency 4), epsilon 2,
true rates drawn uniformly in [0.05, 0.95]; each student's answers drawn with those rates; one
contribution per student per rotation, one item drawn uniformly, randomised through OpenDP (the
real mechanism) and tallied by the real report. Printed: the share of intervals holding the
true rate and the cohort's own share (goal 93-97%: for one rotation, the rate the
answers were drawn with; pooled, the same 150 students answer again each rotation, so the pooled
interval is about this cohort's share), the half-widths (mean and median) and the
reports per item, for one rotation and pooled over four; the load average; and the results in
``benchmarks/out/cohort.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from journal_app.core.cohort.simulate import simulate_cohort  # noqa: E402


def run(cohorts: int, rotations: int) -> dict[str, float]:
    rate = share = total = suppressed = 0
    halves: list[float] = []
    reports: list[int] = []
    started = time.perf_counter()
    for _ in range(cohorts):
        for truth, cohort_share, row in simulate_cohort(150, 11, 2.0, rotations=rotations):
            reports.append(row.reports)
            if row.suppressed or row.raw_low is None or row.raw_high is None:
                suppressed += 1
                continue
            total += 1
            rate += row.raw_low <= truth <= row.raw_high
            share += row.raw_low <= cohort_share <= row.raw_high
            halves.append((row.raw_high - row.raw_low) / 2)
    return {"rotations": rotations, "cohorts": cohorts, "intervals": total,
            "suppressed": suppressed, "coverage_rate": rate / total,
            "coverage_share": share / total, "half_width_mean": statistics.mean(halves),
            "half_width_median": statistics.median(halves),
            "reports_mean": statistics.mean(reports), "seconds": time.perf_counter() - started}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cohorts", type=int, default=1000)
    args = parser.parse_args()
    results = [run(args.cohorts, 1), run(args.cohorts, 4)]
    load = os.getloadavg()
    print(f"Cohort report calibration: {args.cohorts} cohorts of 150 students, 11 items,"
          f" epsilon 2 (load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f})")
    ok = True
    for r in results:
        where = "one rotation" if r["rotations"] == 1 else "pooled over 4 rotations"
        key = "coverage_rate" if r["rotations"] == 1 else "coverage_share"
        inside = 0.93 <= r[key] <= 0.97
        ok &= inside
        print(f"  {where}: true rate inside the 95% interval in {100 * r['coverage_rate']:.1f}%"
              f" of {r['intervals']:.0f} intervals; the cohort's own share in"
              f" {100 * r['coverage_share']:.1f}% (goal 93-97%, {key[9:]}:"
              f" {'met' if inside else 'NOT met'});"
              f" half-width mean +-{r['half_width_mean']:.2f}, median"
              f" +-{r['half_width_median']:.2f}; {r['reports_mean']:.1f} reports an item;"
              f" {r['suppressed']:.0f} suppressed; {r['seconds']:.0f} s")
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "cohort.json").write_text(json.dumps({"load": load, "results": results}, indent=1))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
