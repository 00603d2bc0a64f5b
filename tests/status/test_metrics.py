"""/metrics: what the bot counts, read back through prometheus-client's own parser."""

from __future__ import annotations

import asyncio
import io
import time
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from bot.adapters.console import CONSOLE_ID, ConsoleDestination
from bot.delivery import DeliveryError, OutboxDrainer
from bot.judging import Judged
from bot.pipeline import CycleReport
from bot.status.metrics import Metrics
from bot.storage import Database
from tests.delivery.test_drain import _Refusing
from tests.status.helpers import add_destination, add_job, add_story

NOW = 1_800_000_000


def samples(text: bytes) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a scrape by name and labels."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text.decode())
        for s in family.samples
    }


async def test_a_cycle_report_and_deliveries_are_counted_by_their_labels(db_path: Path):
    """Polls by result, items, verdicts, stories, developments, deliveries, the cycle's
    duration and the outbox, each under its aiwatch_ name."""
    db = await Database.open(db_path)
    await add_destination(db, CONSOLE_ID, "console")
    story = await add_story(db, "Meta pauses AI training in the EU")
    await add_job(db, CONSOLE_ID, story, due=NOW - 90)
    metrics = Metrics(["console", "slack"])
    judged = Judged(relevant=3, not_relevant=5, stories=2, developments=1, queued=2)
    report = CycleReport(fetched=4, not_modified=6, failed=1, new_items=8, judged=judged)
    metrics.cycle_done(report, 2.5)
    metrics.delivered("slack", "retry", 2)
    scrape = samples(await metrics.exposition(db, NOW, ["console"]))
    await db.close()
    expected = {
        ("aiwatch_polls_total", (("result", "200"),)): 4,
        ("aiwatch_polls_total", (("result", "304"),)): 6,
        ("aiwatch_polls_total", (("result", "error"),)): 1,
        ("aiwatch_items_stored_total", ()): 8,
        ("aiwatch_judgements_total", (("verdict", "relevant"),)): 3,
        ("aiwatch_judgements_total", (("verdict", "not_relevant"),)): 5,
        ("aiwatch_stories_total", ()): 2,
        ("aiwatch_developments_total", ()): 1,
        ("aiwatch_deliveries_total", (("platform", "slack"), ("result", "retry"))): 2,
        ("aiwatch_deliveries_total", (("platform", "console"), ("result", "ok"))): 0,
        ("aiwatch_outbox_pending_jobs", ()): 1,
        ("aiwatch_outbox_oldest_job_age_seconds", ()): 90,
        ("aiwatch_cycle_duration_seconds_count", ()): 1,
        ("aiwatch_cycle_duration_seconds_sum", ()): 2.5,
    }
    assert {key: scrape.get(key) for key in expected} == expected
    assert ("aiwatch_event_loop_lag_seconds", ()) in scrape
    assert any(name == "aiwatch_process_resident_memory_bytes" for name, _ in scrape)
    assert not any(name.endswith("_created") for name, _ in scrape)


async def test_each_bot_counts_in_its_own_registry(db_path: Path):
    """Two bots in one process (as in the tests) never count into each other."""
    db = await Database.open(db_path)
    first, second = Metrics(["console"]), Metrics(["console"])
    first.cycle_done(CycleReport(fetched=5), 1.0)
    one = samples(await first.exposition(db, NOW, ["console"]))
    two = samples(await second.exposition(db, NOW, ["console"]))
    await db.close()
    key = ("aiwatch_polls_total", (("result", "200"),))
    assert (one[key], two[key]) == (5, 0)


async def test_the_drain_reports_sent_retried_and_stopped_jobs(db_path: Path):
    """The real drain tells the metrics what happened to each job, by platform."""
    db = await Database.open(db_path)
    await add_destination(db, CONSOLE_ID, "console")
    for n in range(3):
        await add_job(db, CONSOLE_ID, await add_story(db, f"Story {n}"), due=NOW - 5)
    metrics = Metrics(["console"])
    out = io.StringIO()
    refusing = _Refusing(DeliveryError("rate limited", retry_after=60))
    drainer = OutboxDrainer(db, {"console": refusing}, lambda: float(NOW),
                            on_delivery=metrics.delivered)  # fmt: skip
    await drainer.drain_once()  # fails once: the three jobs of one pass wait for later
    working = OutboxDrainer(db, {"console": ConsoleDestination(stream=out)},
                            lambda: float(NOW + 3600), on_delivery=metrics.delivered)  # fmt: skip
    await working.drain_once()
    scrape = samples(await metrics.exposition(db, NOW + 3600, ["console"]))
    await db.close()
    ok = ("aiwatch_deliveries_total", (("platform", "console"), ("result", "ok")))
    retry = ("aiwatch_deliveries_total", (("platform", "console"), ("result", "retry")))
    assert (scrape[ok], scrape[retry]) == (3, 1)
    assert out.getvalue().count("Story") >= 3


async def test_the_event_loop_lag_is_the_worst_since_the_last_scrape(db_path: Path):
    """A loop held for a second shows about half a second of lag (it held the probe's
    half-second sleep) in the next scrape, and not in the one after."""
    db = await Database.open(db_path)
    metrics = Metrics(["console"])
    watcher = asyncio.create_task(metrics.watch_loop_lag())
    await asyncio.sleep(0.1)
    time.sleep(1.0)  # noqa: ASYNC251 (the event loop held, as a parse run on it would be)
    await asyncio.sleep(0.6)
    held = samples(await metrics.exposition(db, NOW, []))[("aiwatch_event_loop_lag_seconds", ())]
    await asyncio.sleep(0.6)
    calm = samples(await metrics.exposition(db, NOW, []))[("aiwatch_event_loop_lag_seconds", ())]
    watcher.cancel()
    await db.close()
    assert held >= 0.4
    assert calm < 0.4
