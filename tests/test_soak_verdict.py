"""The soak's verdict (bench/soak/verdict.py): which figure keeps growing past its tolerance.
`make soak` itself takes half an hour and is not part of the suite; its judgement is."""

from __future__ import annotations

from typing import Any

from bench.soak.verdict import judge


def samples(count: int, **growth: float) -> list[dict[str, Any]]:
    """A steady bot's samples (with a little noise), plus `growth` per sample on some figures."""
    rows = []
    for n in range(count):
        noise = (-1) ** n
        row: dict[str, Any] = {
            "rss_mib": 230.0 + noise, "peak_mib": 250.0, "py_kblocks": 900.0 + 3 * noise,
            "fds": 120 + 4 * noise, "cpu_ms_per_poll": 2.0 + 0.3 * noise, "outbox": 40 + 40 * noise,
            "db_bytes_per_row": 340.0, "wal_mib": 4.5,
        }  # fmt: skip
        for figure, step in growth.items():
            row[figure] += step * n
        rows.append(row)
    return rows


def growing(rows: list[dict[str, Any]]) -> list[str]:
    findings = judge(rows)
    assert findings is not None
    return [f.tolerance.figure for f in findings if f.growing]


def test_a_steady_bot_passes_every_figure():
    findings = judge(samples(25))
    assert findings is not None
    assert len(findings) == 8
    assert growing(samples(25)) == []


def test_a_leak_is_named_and_only_it():
    assert growing(samples(25, py_kblocks=6.0)) == ["py_kblocks"]
    assert growing(samples(25, fds=5)) == ["fds"]
    assert growing(samples(25, outbox=25)) == ["outbox"]
    assert growing(samples(25, rss_mib=4.0, peak_mib=4.0)) == ["rss_mib", "peak_mib"]


def test_cpu_per_poll_is_judged_on_means_not_one_slow_sample():
    rows = samples(25)
    rows[-1]["cpu_ms_per_poll"] = 9.0  # one sample while the machine was busy
    assert growing(rows) == []
    for row in rows[17:]:
        row["cpu_ms_per_poll"] *= 2  # a query that slows as its table grows
    assert growing(rows) == ["cpu_ms_per_poll"]


def test_a_sample_taken_in_a_burst_of_work_is_not_a_leak():
    rows = samples(25)
    rows[-1] |= {"py_kblocks": 1000.0, "outbox": 400, "fds": 200}  # a story fanning out
    assert growing(rows) == []


def test_growth_while_warming_up_is_not_held_against_it():
    rows = samples(25)
    for n, row in enumerate(rows[:9]):
        row["rss_mib"] = 130.0 + 10 * n  # the first full poll, the language model loading
        row["db_bytes_per_row"] = 100.0 + 30 * n
    assert growing(rows) == []


def test_too_few_samples_are_not_judged():
    assert judge(samples(5)) is None  # 4 after the start, 3 after warming up
    assert judge(samples(6)) is not None
