"""The rarity audit of 100,000 sampled tokens, against plain vectorised sampling.

Baseline measured in the same run: `artgen.traits.sample_columns` for the same tokens (the
draws alone, no uniqueness, no statistics). Then the sampler audit (unique sampling, trait
statistics, rarity scores and ranks, identical trait sets), the report site on top, and the
same audit in exact mode. Prints each time, its ratio to the baseline, and the largest
deviation the audit found.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

from artgen.traits import sample_columns
from collection.audit import audit, from_sampler
from collection.config import load_config
from collection.report import write_site

SIZE, SEED = 100_000, 2023
OUT = Path(__file__).resolve().parent / "out" / "audit"


def best_of(fn, repeat: int = 3) -> tuple[float, object]:
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


def main() -> int:
    weighted = load_config(size=SIZE, seed=SEED)
    exact = dataclasses.replace(weighted, rarity="exact")
    base, _ = best_of(lambda: sample_columns(SEED, 0, SIZE, weighted.tables))
    t_audit, result = best_of(lambda: audit(from_sampler(weighted)))
    t_report, _ = best_of(lambda: write_site(result, OUT), 1)
    t_exact, exact_result = best_of(lambda: audit(from_sampler(exact)))
    print(f"{SIZE:,} tokens, seed {SEED}")
    print(f"baseline, vectorised sampling alone:  {base:6.2f} s")
    print(f"sampler audit, weighted:              {t_audit:6.2f} s  ({t_audit / base:.1f}x)")
    print(f"  + writing the report site:          {t_report:6.2f} s  ({t_report / base:.1f}x)")
    print(f"sampler audit, exact:                 {t_exact:6.2f} s  ({t_exact / base:.1f}x)")
    for name, r in (("weighted", result), ("exact", exact_result)):
        d = r.largest_deviation()
        flagged = ", ".join(r.flagged) or "none"
        print(
            f"{name}: largest deviation {d['trait']} {d['value']!r}: {d['observed']} tokens, "
            f"expected {d['expected']:g} ({d['deviation_pp']:+.3f} percentage points); "
            f"flagged: {flagged}; Spearman {r.scores.spearman:.4f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
