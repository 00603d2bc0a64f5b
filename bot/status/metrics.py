"""The bot's metrics in Prometheus's text format, through prometheus-client.

Counters move as the bot works (the pipeline's cycle reports, the drain's deliveries);
the outbox's depth and oldest job are read from the database at each scrape, so they are
true after a restart too. Each bot has its own registry: nothing is global, and two bots in
one test process do not count into each other.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.process_collector import ProcessCollector

from bot import __version__
from bot.judging import Judged
from bot.pipeline import CycleReport
from bot.storage import DATABASE_ERRORS, Database
from bot.storage.status import outbox_state

POLL_RESULTS = ("200", "304", "error")
VERDICTS = ("relevant", "not_relevant")
DELIVERY_RESULTS = ("ok", "retry", "stopped")  # stopped: the destination needs a person
CYCLE_BUCKETS = (0.1, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300)
LAG_INTERVAL = 0.5

log = logging.getLogger(__name__)


class Metrics:
    """The counters and gauges of one bot, in a registry of its own."""

    def __init__(self, platforms: Iterable[str]) -> None:
        # A *_created series per counter only doubles the scrape. The switch is the library's
        # own and process-wide; the bot is its only user in its process.
        disable_created_metrics()  # type: ignore[no-untyped-call]
        self.registry = CollectorRegistry()
        registry = self.registry
        ProcessCollector(namespace="aiwatch", registry=registry)  # memory, CPU, open files
        Gauge("aiwatch_build_info", "The running version", ["version"],
              registry=registry).labels(__version__).set(1)  # fmt: skip
        self.polls = Counter(
            "aiwatch_polls",
            "Feed polls by result: 200 (content read), 304 (not modified), error",
            ["result"],
            registry=registry,
        )
        self.items = Counter("aiwatch_items_stored", "New items stored", registry=registry)
        self.judgements = Counter(
            "aiwatch_judgements", "Items judged, by verdict", ["verdict"], registry=registry
        )
        self.stories = Counter("aiwatch_stories", "Stories opened", registry=registry)
        self.developments = Counter(
            "aiwatch_developments", "Developments recorded in open stories", registry=registry
        )
        self.deliveries = Counter(
            "aiwatch_deliveries",
            "Outbox jobs by platform and result: ok (sent), retry (failed, will retry),"
            " stopped (failed until a person acts)",
            ["platform", "result"],
            registry=registry,
        )
        self.outbox_pending = Gauge(
            "aiwatch_outbox_pending_jobs",
            "Jobs waiting in the outbox: alerts and daily digests not sent yet",
            registry=registry,
        )
        self.outbox_oldest = Gauge(
            "aiwatch_outbox_oldest_job_age_seconds",
            "Age of the oldest waiting job (0 when none waits)",
            registry=registry,
        )
        self.cycle = Histogram(
            "aiwatch_cycle_duration_seconds",
            "How long one poll cycle took, from the first fetch to its last commit",
            buckets=CYCLE_BUCKETS,
            registry=registry,
        )
        self.lag = Gauge(
            "aiwatch_event_loop_lag_seconds",
            f"How late the event loop woke from a {LAG_INTERVAL} s sleep: the worst since"
            " the previous scrape",
            registry=registry,
        )
        self._worst_lag = 0.0
        # Every series exists from the start at 0, so a rate() has a first point.
        for result in POLL_RESULTS:
            self.polls.labels(result)
        for verdict in VERDICTS:
            self.judgements.labels(verdict)
        for platform in platforms:
            for result in DELIVERY_RESULTS:
                self.deliveries.labels(platform, result)

    def cycle_done(self, report: CycleReport, seconds: float) -> None:
        self.polls.labels("200").inc(report.fetched)
        self.polls.labels("304").inc(report.not_modified)
        self.polls.labels("error").inc(report.failed)
        self.items.inc(report.new_items)
        self.judged(report.judged)
        self.cycle.observe(seconds)

    def judged(self, judged: Judged) -> None:
        self.judgements.labels("relevant").inc(judged.relevant)
        self.judgements.labels("not_relevant").inc(judged.not_relevant)
        self.stories.inc(judged.stories)
        self.developments.inc(judged.developments)

    def delivered(self, platform: str, result: str, jobs: int) -> None:
        self.deliveries.labels(platform, result).inc(jobs)

    async def exposition(self, db: Database, now: int, kinds: Iterable[str]) -> bytes:
        """The text a scrape gets, the outbox read fresh (or as last read, when the database
        cannot be read: /healthz says why)."""
        try:
            outbox = await outbox_state(db, now, kinds)
        except DATABASE_ERRORS as exc:
            log.warning("metrics: the outbox could not be read (%s)", exc)
        else:
            self.outbox_pending.set(outbox.pending)
            oldest = outbox.oldest_created_at
            self.outbox_oldest.set(max(0, now - oldest) if oldest is not None else 0)
        self.lag.set(self._worst_lag)
        self._worst_lag = 0.0
        return generate_latest(self.registry)

    async def watch_loop_lag(self) -> None:
        """Runs until cancelled. A late wake-up means something held the event loop: a
        parse or a query run on it instead of in a thread, and every answer waits as long."""
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            await asyncio.sleep(LAG_INTERVAL)
            late = max(0.0, loop.time() - started - LAG_INTERVAL)
            self._worst_lag = max(self._worst_lag, late)
