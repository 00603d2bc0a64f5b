"""One story's waiting jobs at one destination, delivered as its living message.

The post shows the story as it is when it is sent, so the updates and developments queued
before it fold into it. Later, every waiting update and development is one edit of that
message, and each development is also one reply under it. A message is marked as maybe sent
before the chat API is called; after a crash it is looked up (or, within the platform's
window, sent again with the same nonce) instead of being posted a second time.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace

from bot.delivery.alerts import AlertBuilder
from bot.delivery.destination import DeliveryError, Destination, MessageGone, SendKey
from bot.faults import crash_point
from bot.models import Alert
from bot.storage import Database
from bot.storage.outbox import (
    DEVELOPMENT,
    POST,
    UPDATE,
    Job,
    StoryJobs,
    clear_sending,
    fold_waiting,
    mark_done,
    mark_sending,
    set_living_message,
)

MISSING_STORY = "the story is missing from the database"


class JobsFailed(Exception):
    """Sending failed; these jobs wait for a retry (or a person, if `error.permanent`)."""

    def __init__(self, jobs: Sequence[Job], error: DeliveryError) -> None:
        self.jobs = tuple(jobs)
        self.error = error
        super().__init__(error.reason)


class LivingMessages:
    def __init__(self, db: Database, alerts: AlertBuilder, clock: Callable[[], float]) -> None:
        self._db = db
        self._alerts = alerts
        self._clock = clock

    async def deliver(self, destination: Destination, jobs: StoryJobs) -> int:
        """Send what is due; returns how many jobs were done (0: nothing due). Raises
        JobsFailed with the jobs to retry."""
        now = self._now()
        if jobs.post is not None and jobs.post.state == "pending":
            if jobs.post.next_attempt_at > now:
                return 0  # updates wait for their post
            await self._post(destination, jobs, jobs.post)
            return 1
        updates = [job for job in jobs.waiting if job.action == UPDATE]
        # Replies go out in order: a development waiting for its retry holds the later ones.
        replies = list(
            itertools.takewhile(
                lambda job: job.next_attempt_at <= now,
                (job for job in jobs.waiting if job.action == DEVELOPMENT),
            )
        )
        if not replies and not any(job.next_attempt_at <= now for job in updates):
            return 0
        message_id = await self._edit(destination, jobs)
        for job in replies:
            await self._reply(destination, jobs, job, message_id)
        return len(updates) + len(replies)

    async def _post(self, destination: Destination, jobs: StoryJobs, job: Job) -> None:
        alert = await self._alert(jobs, POST, [job])
        message_id = await self._send_new(destination, jobs, job, alert)
        crash_point("posted")
        async with self._db.transaction() as tx:
            await mark_done(tx, job.id, message_id, self._now())
            await set_living_message(
                tx, jobs.destination_id, jobs.story_id, message_id, self._now()
            )
            await fold_waiting(tx, jobs.destination_id, jobs.story_id, jobs.newest, self._now())

    async def _edit(self, destination: Destination, jobs: StoryJobs) -> str | None:
        """One edit for every waiting update and development; a deleted message is posted
        anew, saying it continues the earlier alert. Returns the living message's id."""
        alert = await self._alert(jobs, UPDATE, jobs.waiting)
        message_id = jobs.message_id
        try:
            await destination.edit(jobs.address, message_id, alert)
        except MessageGone:
            first = jobs.waiting[0]
            continued = replace(alert, action=POST, continues=True)
            message_id = await self._send_new(destination, jobs, first, continued)
            async with self._db.transaction() as tx:
                now = self._now()
                await set_living_message(tx, jobs.destination_id, jobs.story_id, message_id, now)
                await clear_sending(tx, first.id)
        except DeliveryError as exc:
            raise JobsFailed(jobs.waiting, exc) from exc
        crash_point("edited")
        async with self._db.transaction() as tx:
            for job in jobs.waiting:
                if job.action == UPDATE:
                    await mark_done(tx, job.id, message_id, self._now())
        return message_id

    async def _reply(
        self, destination: Destination, jobs: StoryJobs, job: Job, message_id: str | None
    ) -> None:
        alert = await self._alert(jobs, DEVELOPMENT, [job], job.development_id)
        reply_id = None
        if alert.development is not None:  # else nothing is left to tell
            key = SendKey(job.id, jobs.story_id, job.development_id)
            reply_id, _ = await self._once(
                destination,
                job,
                key,
                send=lambda: destination.reply(jobs.address, message_id, alert, key),
                find=lambda: destination.find(jobs.address, key, message_id),
            )
            crash_point("replied")
        async with self._db.transaction() as tx:
            await mark_done(tx, job.id, reply_id, self._now())

    async def _send_new(
        self, destination: Destination, jobs: StoryJobs, job: Job, alert: Alert
    ) -> str | None:
        """A new top-level message for the story. One that may have gone out before is
        brought up to date instead of being posted again: found in the channel, or given
        back by the platform for the same nonce, it shows the story as it was then."""
        key = SendKey(job.id, jobs.story_id)
        message_id, in_doubt = await self._once(
            destination,
            job,
            key,
            send=lambda: destination.post(jobs.address, alert, key),
            find=lambda: destination.find(jobs.address, key, None),
        )
        if in_doubt:
            try:
                await destination.edit(jobs.address, message_id, alert)
            except DeliveryError as exc:
                raise JobsFailed([job], exc) from exc
        return message_id

    async def _once(
        self,
        destination: Destination,
        job: Job,
        key: SendKey,
        *,
        send: Callable[[], Awaitable[str | None]],
        find: Callable[[], Awaitable[str | None]],
    ) -> tuple[str | None, bool]:
        """Send at most once: (message id, whether an earlier try may have sent it). The
        mark stays until the job is done, whatever later tries answer: only a recorded
        message proves what went out."""
        in_doubt = job.sent_at is not None
        try:
            if in_doubt and self._now() - (job.sent_at or 0) >= destination.dedup_window:
                found = await find()
                if found is not None:
                    return found, True
            # within the window the platform answers a repeat with the first message
            async with self._db.transaction() as tx:
                await mark_sending(tx, job.id, self._now())
            return await send(), in_doubt
        except DeliveryError as exc:
            raise JobsFailed([job], exc) from exc

    async def _alert(
        self,
        jobs: StoryJobs,
        action: str,
        failing: Sequence[Job],
        development_id: int | None = None,
    ) -> Alert:
        alert = await self._alerts.build(jobs.story_id, action, jobs.destination_id, development_id)
        if alert is None:  # cannot happen through the pipeline; keep the jobs visible
            raise JobsFailed(failing, DeliveryError(MISSING_STORY))
        return alert

    def _now(self) -> int:
        return int(self._clock())
