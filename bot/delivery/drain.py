"""Draining the outbox: each due job is delivered, then marked done in its own commit.

At least once: a crash between delivering and marking repeats that one job on restart, so
chat adapters pass the job's idempotency key where the API supports one. A failed job is kept
with its error and retried with backoff; it is never dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable, Mapping

from bot.delivery.alerts import build_alert
from bot.delivery.destination import DeliveryError, Destination
from bot.storage import Database
from bot.storage.outbox import Job, due_jobs, mark_destination_unhealthy, mark_done, mark_retry
from bot.storage.stories import load_story

log = logging.getLogger(__name__)
RETRY_CEILING = 3600


class OutboxDrainer:
    def __init__(
        self,
        db: Database,
        destinations: Mapping[str, Destination],
        clock: Callable[[], float],
        rng: random.Random | None = None,
    ) -> None:
        self._db = db
        self._destinations = destinations
        self._clock = clock
        self._rng = rng or random.Random()
        self.wake = asyncio.Event()
        # Two drains at once would both pick the same pending job and deliver it twice.
        self._draining = asyncio.Lock()

    async def drain_once(self) -> int:
        """Deliver every job due now; returns how many were delivered."""
        async with self._draining:
            return await self._drain_due()

    async def _drain_due(self) -> int:
        delivered = 0
        while True:
            jobs = await due_jobs(self._db, int(self._clock()))
            jobs = [j for j in jobs if j.destination_kind in self._destinations]
            stopped: set[str] = set()  # destinations that failed in this batch wait for later
            progress = False
            for job in jobs:
                if job.destination_id in stopped:
                    continue
                if await self._deliver(job):
                    delivered += 1
                    progress = True
                else:
                    stopped.add(job.destination_id)
            if not progress:
                return delivered

    async def run(self) -> None:
        """Drain whenever woken, and at least every few seconds for retries that fall due."""
        while True:
            await self.drain_once()
            self.wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=5)

    async def _deliver(self, job: Job) -> bool:
        destination = self._destinations[job.destination_kind]
        story = await load_story(self._db, job.story_id)
        if story is None:  # cannot happen through the pipeline; keep the job visible
            await self._retry(job, "the story is missing from the database", None)
            return False
        alert = build_alert(story, job.action)
        address = job.destination_id.partition(":")[2]
        try:
            external_id = await destination.deliver(address, alert, job.previous_external_id)
        except DeliveryError as exc:
            if exc.permanent:
                async with self._db.transaction() as tx:
                    await mark_destination_unhealthy(tx, job.destination_id, exc.reason)
                    await mark_retry(tx, job.id, exc.reason, int(self._clock()))
                log.warning("destination %s stopped: %s", job.destination_id, exc.reason)
            else:
                await self._retry(job, exc.reason, exc.retry_after)
            return False
        async with self._db.transaction() as tx:
            await mark_done(tx, job.id, external_id, int(self._clock()))
        return True

    async def _retry(self, job: Job, reason: str, retry_after: float | None) -> None:
        delay = min(2 ** min(job.attempts, 12) * 5, RETRY_CEILING) * self._rng.uniform(0.8, 1.2)
        if retry_after:
            delay = max(delay, retry_after)
        async with self._db.transaction() as tx:
            await mark_retry(tx, job.id, reason, int(self._clock() + delay))
        log.warning("delivery to %s failed, will retry: %s", job.destination_id, reason)
