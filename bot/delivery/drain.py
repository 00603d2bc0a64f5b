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

from bot.delivery.alerts import AlertBuilder
from bot.delivery.destination import DeliveryError, Destination
from bot.delivery.digest import queue_due_digests
from bot.models import Digest
from bot.settings.regions import RegionBook
from bot.storage import Database
from bot.storage.destinations import mark_destination_unhealthy
from bot.storage.digests import DigestJob, due_digests, mark_digest_done, mark_digest_retry
from bot.storage.outbox import Job, due_jobs, mark_done, mark_retry

log = logging.getLogger(__name__)
RETRY_CEILING = 3600


class OutboxDrainer:
    def __init__(
        self,
        db: Database,
        destinations: Mapping[str, Destination],
        clock: Callable[[], float],
        rng: random.Random | None = None,
        *,
        alerts: AlertBuilder | None = None,
        regions: RegionBook | None = None,
    ) -> None:
        self._db = db
        self._destinations = destinations
        self._clock = clock
        self._rng = rng or random.Random()
        self._alerts = alerts or AlertBuilder(db)
        self._regions = regions  # None: no digests (tests of the outbox alone)
        self.wake = asyncio.Event()
        # Two drains at once would both pick the same pending job and deliver it twice.
        self._draining = asyncio.Lock()

    async def drain_once(self) -> int:
        """Deliver every job due now; returns how many were delivered."""
        async with self._draining:
            delivered = await self._drain_due()
            if self._regions is not None:
                await queue_due_digests(self._db, self._regions, int(self._clock()))
                delivered += await self._drain_digests()
            return delivered

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
        alert = await self._alerts.build(job.story_id, job.action, job.destination_id)
        if alert is None:  # cannot happen through the pipeline; keep the job visible
            await self._retry(job, "the story is missing from the database", None)
            return False
        address = job.destination_id.partition(":")[2]
        try:
            external_id = await destination.deliver(address, alert, job.previous_external_id)
        except DeliveryError as exc:
            await self._failed(job, exc)
            return False
        async with self._db.transaction() as tx:
            await mark_done(tx, job.id, external_id, int(self._clock()))
        return True

    async def _failed(self, job: Job | DigestJob, exc: DeliveryError) -> None:
        if not exc.permanent:
            await self._retry(job, exc.reason, exc.retry_after)
            return
        async with self._db.transaction() as tx:
            await mark_destination_unhealthy(tx, job.destination_id, exc.reason)
        await self._retry(job, exc.reason, None)
        log.warning("destination %s stopped: %s", job.destination_id, exc.reason)

    async def _drain_digests(self) -> int:
        sent = 0
        for job in await due_digests(self._db, int(self._clock())):
            destination = self._destinations.get(job.destination_kind)
            if destination is None:
                continue
            alerts = await self._alerts.build_many(job.story_ids, "post", job.destination_id)
            digest = Digest(job.day, tuple(alerts))
            try:
                external_id = await destination.deliver_digest(
                    job.destination_id.partition(":")[2], digest
                )
            except DeliveryError as exc:
                await self._failed(job, exc)
                continue
            async with self._db.transaction() as tx:
                await mark_digest_done(tx, job.id, external_id)
            sent += 1
        return sent

    async def _retry(self, job: Job | DigestJob, reason: str, retry_after: float | None) -> None:
        delay = min(2 ** min(job.attempts, 12) * 5, RETRY_CEILING) * self._rng.uniform(0.8, 1.2)
        if retry_after:
            delay = max(delay, retry_after)
        retry_at = int(self._clock() + delay)
        async with self._db.transaction() as tx:
            if isinstance(job, DigestJob):
                await mark_digest_retry(tx, job.id, reason, retry_at)
            else:
                await mark_retry(tx, job.id, reason, retry_at)
        log.warning("delivery to %s failed, will retry: %s", job.destination_id, reason)
