"""Whether a soak's figures keep growing: each phase's samples after the first third (warm-up:
the first full poll, caches filling) are split in two, and a figure whose last part rises
above its middle part by more than its stated tolerance is named.

Figures that hold a level (memory, descriptors, outbox depth, database bytes per row) compare
the parts' medians: a sample may land in the middle of a burst of work (a story fanning out to
80 channels), while a leak raises the whole part. CPU per poll compares means.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean, median
from typing import Any


@dataclass(frozen=True)
class Tolerance:
    figure: str
    name: str
    unit: str
    relative: float  # of the middle part's level
    absolute: float
    mean: bool = False  # compare means (CPU) rather than medians

    def allowed(self, middle: float) -> float:
        return middle * (1 + self.relative) + self.absolute


TOLERANCES = (
    # The allocator keeps freed pages and Python grows its arenas in steps (a steady soak
    # holds within 1 MiB once its first full poll is done).
    Tolerance("rss_mib", "resident memory", "MiB", 0.05, 8.0),
    Tolerance("peak_mib", "peak memory", "MiB", 0.05, 8.0),
    # Python's small objects, without the allocator's slack: a leak of objects shows here.
    # (A steady soak holds them within 2,000 of 1.36 million.)
    Tolerance("py_kblocks", "Python allocated blocks", "thousand", 0.02, 10.0),
    Tolerance("heap_mib", "Python heap (tracemalloc)", "MiB", 0.05, 4.0),
    # Connections come and go: feeds keep up to 2 idle per host (200 on the soak's 100
    # hosts) for 15 s, and each Slack call opens its own; none may be kept for good.
    Tolerance("fds", "open file descriptors", "", 0.10, 16.0),
    Tolerance("cpu_ms_per_poll", "CPU per poll", "ms", 0.5, 0.5, mean=True),
    # A story fans out to ~80 channels at once; jobs must not pile up beyond that.
    Tolerance("outbox", "outbox depth", "jobs", 0.0, 100.0),
    # Rows are stored for good (items, jobs); the file may grow with them, not beyond.
    Tolerance("db_bytes_per_row", "database bytes per row", "B", 0.20, 64.0),
    # SQLite checkpoints the log every 1,000 pages (4 MiB) and then reuses it.
    Tolerance("wal_mib", "write-ahead log", "MiB", 0.0, 4.0),
)


@dataclass(frozen=True)
class Finding:
    tolerance: Tolerance
    middle: float
    last: float

    @property
    def growing(self) -> bool:
        return self.last > self.tolerance.allowed(self.middle)

    def __str__(self) -> str:
        t = self.tolerance
        how = "mean" if t.mean else "median"
        word = "GROWING" if self.growing else "ok"
        return (f"{word:8} {t.name}: {how} {self.middle:.2f} -> {self.last:.2f} {t.unit}"
                f" (allowed up to {t.allowed(self.middle):.2f}: +{t.relative:.0%}"
                f" +{t.absolute:g})")  # fmt: skip


def judge(rows: Sequence[dict[str, Any]]) -> list[Finding] | None:
    """One phase's samples, oldest first (the first is its start); None if too few to judge."""
    settled = list(rows[1:])
    settled = settled[len(settled) // 3 :]
    if len(settled) < 4:
        return None
    middle, last = settled[: len(settled) // 2], settled[len(settled) // 2 :]
    findings = []
    for tolerance in TOLERANCES:
        before = [r[tolerance.figure] for r in middle if r.get(tolerance.figure) is not None]
        after = [r[tolerance.figure] for r in last if r.get(tolerance.figure) is not None]
        if not before or not after:
            continue
        pick = fmean if tolerance.mean else median
        findings.append(Finding(tolerance, pick(before), pick(after)))
    return findings
