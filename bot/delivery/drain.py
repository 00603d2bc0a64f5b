"""Draining the outbox: each story's due jobs for a destination go out together, as its
living message (see living.py), and are marked done in their own commit.

Each destination with due jobs has its own worker, so one that is slow to answer (up to the
request timeout) or rate limited delays nobody else. How fast they send is up to the
platforms' pacers (limits.py), not a cap on workers: one would fill with channels waiting
for their platform and hold up the others.
A failed job is kept with its error and retried with backoff; it is never dropped. A
destination that fails is left alone until its jobs' retries fall due.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
from collections.abc import Callable, Iterable, Mapping, Sequence

from bot.delivery.alerts import AlertBuilder
from bot.delivery.destination import (
    CredentialsRefused,
    DeliveryError,
    Destination,
    NotConnectedYet,
)
from bot.delivery.digest import queue_due_digests
from bot.delivery.living import JobsFailed, LivingMessages
from bot.delivery.platforms import PlatformGate
from bot.models import Digest
from bot.settings.env import DEFAULT_LEASE_SECONDS
from bot.settings.regions import RegionBook
from bot.storage import DATABASE_ERRORS, Database
from bot.storage.destinations import (
    failing_destinations,
    mark_destination_unhealthy,
    note_delivery_failure,
    note_delivery_success,
)
from bot.storage.digests import DigestJob, due_digests, mark_digest_done, mark_digest_retry
from bot.storage.leases import Leases
from bot.storage.outbox import Job, due_destinations, due_stories, mark_retry, story_jobs

log = logging.getLogger(__name__)
RETRY_CEILING = 3600
# Destinations reading their due jobs at once. The database serves one query at a time, in
# turn, so with all of a fan-out's workers reading together each one's next query waits
# behind every other's, and the first message goes out only once all have read; a few at a
# time, the first are sending while the rest read. Sending is not capped (see above).
READING_AT_ONCE = 8
DIGESTS = "digests"  # the lease on queueing and sending the daily digests


def _lease(destination_id: str) -> str:
    return f"destination:{destination_id}"


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
        on_delivery: Callable[[str, str, int], None] = lambda platform, result, jobs: None,
        gate: PlatformGate | None = None,
        leases: Leases | None = None,
    ) -> None:
        self._db = db
        self.gate = gate or PlatformGate(db, clock)  # platforms stopped by a refused token
        self._destinations = destinations
        self._clock = clock
        self._rng = rng or random.Random()
        self._alerts = alerts or AlertBuilder(db)
        self._living = LivingMessages(db, self._alerts, clock)
        self._regions = regions  # None: no digests (tests of the outbox alone)
        # (platform, "ok" | "retry" | "stopped", jobs): what the metrics count
        self._on_delivery = on_delivery
        self.wake = asyncio.Event()
        # Two digest drains at once would both send the same digest.
        self._draining = asyncio.Lock()
        self._workers: dict[str, asyncio.Task[int]] = {}  # destination id -> its worker
        self._failing: set[str] | None = None  # destinations retried after failures
        self._reading = asyncio.Semaphore(READING_AT_ONCE)
        # Several processes on one database: a destination's deliveries and the digests are
        # leased, so two processes never send the same job.
        self._leases = leases or Leases(db, DEFAULT_LEASE_SECONDS, clock)
        self._renewed: dict[str, float] = {}  # destination lease -> when last taken or renewed

    async def drain_once(self) -> int:
        """Deliver every job due now, and wait for it; returns how many messages and edits
        went out."""
        delivered = 0
        while True:  # a destination's jobs may fall due again as its others are sent
            self._start_workers(await self._due_destinations())
            working = [worker for worker in self._workers.values() if not worker.done()]
            sent = sum(await asyncio.gather(*working))
            delivered += sent
            if not sent:
                break
        delivered += await self._digests()
        return delivered

    async def run(self) -> None:
        """Start delivering wherever jobs are due whenever woken, and at least every few
        seconds for retries that fall due; a destination that is slow to answer holds up
        only its own jobs."""
        try:
            while True:
                self._start_workers(await self._due_destinations())
                await self._digests()
                self.wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), timeout=5)
        finally:
            workers = list(self._workers.values())
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)

    async def _digests(self) -> int:
        """Queue and send the digests due, unless another process is doing so."""
        if self._regions is None:
            return 0
        async with self._draining:
            if not await self._leases.take_one(DIGESTS):
                return 0
            try:
                await queue_due_digests(self._db, self._regions, int(self._clock()))
                return await self._drain_digests()
            finally:
                await self._leases.release((DIGESTS,))

    async def _due_destinations(self) -> list[str]:
        if self._failing is None:
            self._failing = await failing_destinations(self._db)
        kinds = self.gate.running(self._destinations)
        due = await due_destinations(self._db, int(self._clock()), kinds)
        # Those without a worker here, whose lease this process takes (all at once: one
        # statement, not one each); another process delivers the rest.
        fresh = [destination_id for destination_id in due if destination_id not in self._workers]
        taken = await self._leases.take(map(_lease, fresh))
        self._renewed.update(dict.fromkeys(taken, self._clock()))
        return [destination_id for destination_id in fresh if _lease(destination_id) in taken]

    def _start_workers(self, destination_ids: Iterable[str]) -> None:
        """One worker per destination with jobs due, unless it has one already: two would
        pick the same pending job and deliver it twice."""
        for destination_id in destination_ids:
            if destination_id not in self._workers:
                worker = asyncio.create_task(self._work(destination_id))
                self._workers[destination_id] = worker
                worker.add_done_callback(functools.partial(self._worker_done, destination_id))

    def _worker_done(self, destination_id: str, worker: asyncio.Task[int]) -> None:
        if self._workers.get(destination_id) is worker:
            del self._workers[destination_id]

    async def _work(self, destination_id: str) -> int:
        """Deliver one destination's due stories under its lease, then hand it back."""
        lease = _lease(destination_id)
        try:
            return await self._deliver_due(destination_id, lease)
        finally:
            self._renewed.pop(lease, None)
            with contextlib.suppress(*DATABASE_ERRORS):
                await self._leases.release((lease,))

    async def _deliver_due(self, destination_id: str, lease: str) -> int:
        """Deliver one destination's due stories, oldest first, until none is due or a send
        fails (its jobs then wait for their retry); returns how many went out."""
        delivered = 0
        try:
            while True:
                kinds = self.gate.running(self._destinations)
                async with self._reading:
                    stories = await due_stories(self._db, int(self._clock()), kinds,
                                                destination_id=destination_id)  # fmt: skip
                progress = False
                for _, story_id in stories:
                    async with self._reading:
                        if not await self._still_mine(lease):
                            return delivered
                        jobs = await story_jobs(self._db, destination_id, story_id)
                    destination = self._destinations.get(jobs.destination_kind)
                    if destination is None or self.gate.stopped(jobs.destination_kind):
                        return delivered  # its adapter stopped meanwhile
                    try:
                        sent = await self._living.deliver(destination, jobs)
                    except JobsFailed as failure:
                        await self._failed(destination_id, failure.jobs, failure.error)
                        return delivered
                    if sent:
                        self._on_delivery(jobs.destination_kind, "ok", sent)
                        await self._succeeded(destination_id)
                    delivered += sent
                    progress = progress or sent > 0
                if not progress:
                    return delivered
        except Exception:  # a bug at one destination must not stop the others
            log.exception("delivery to %s failed unexpectedly; its jobs wait", destination_id)
            return delivered

    async def _still_mine(self, lease: str) -> bool:
        """Checked before each story, renewed once half of it has run: a lease that expired
        (sends took longer than it) and was taken over is not ours to send under."""
        now = self._clock()
        if now - self._renewed.get(lease, 0.0) < self._leases.seconds / 2:
            return True
        async with self._db.transaction() as tx:
            mine = await self._leases.renew(tx, lease)
        self._renewed[lease] = now
        return mine

    async def _succeeded(self, destination_id: str) -> None:
        if self._failing is not None and destination_id in self._failing:
            self._failing.discard(destination_id)
            async with self._db.transaction() as tx:
                await note_delivery_success(tx, destination_id)
            log.info("delivery to %s works again", destination_id)

    async def _failed(
        self, destination_id: str, jobs: Sequence[Job | DigestJob], exc: DeliveryError
    ) -> None:
        platform = destination_id.partition(":")[0]
        refused = isinstance(exc, CredentialsRefused)
        self._on_delivery(platform, "stopped" if exc.permanent or refused else "retry", len(jobs))
        if refused:  # the platform's, not the destination's
            await self.gate.refused(platform, exc.reason)
        if self.gate.stopped(platform):  # sends cut short as its adapter closed count for nothing
            return  # its jobs stay due, untouched, for a restart with a new token
        if isinstance(exc, NotConnectedYet):
            for job in jobs:
                await self._retry(job, exc.reason, exc.retry_after)
            return
        if exc.permanent:
            async with self._db.transaction() as tx:
                await mark_destination_unhealthy(tx, destination_id, exc.reason)
            log.warning("destination %s stopped: %s", destination_id, exc.reason)
        else:
            async with self._db.transaction() as tx:
                await note_delivery_failure(tx, destination_id, exc.reason, int(self._clock()))
            if self._failing is not None:
                self._failing.add(destination_id)
        for job in jobs:
            await self._retry(job, exc.reason, None if exc.permanent else exc.retry_after)
        log.warning("delivery to %s failed, will retry: %s", destination_id, exc.reason)

    async def _drain_digests(self) -> int:
        sent = 0
        for job in await due_digests(self._db, int(self._clock())):
            destination = self._destinations.get(job.destination_kind)
            if destination is None or self.gate.stopped(job.destination_kind):
                continue
            alerts = await self._alerts.build_many(job.story_ids, "post", job.destination_id)
            digest = Digest(job.day, tuple(alerts))
            try:
                external_id = await destination.post_digest(
                    job.destination_id.partition(":")[2], digest
                )
            except DeliveryError as exc:
                await self._failed(job.destination_id, [job], exc)
                continue
            async with self._db.transaction() as tx:
                await mark_digest_done(tx, job.id, external_id)
            self._on_delivery(job.destination_kind, "ok", 1)
            await self._succeeded(job.destination_id)
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
