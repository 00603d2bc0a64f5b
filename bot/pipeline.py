"""One poll cycle, in order: fetch, parse, store, judge, queue alerts. Decides nothing itself.

Each stage commits before the next acts (the database is the spine): feed states and new
items are stored in one transaction per batch, then judgements, stories and outbox rows in
another. Results are committed in batches as feeds answer, so a slow feed delays nobody and
a crash loses at most the batch in flight, which the next poll fetches again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.classify import Classifier
from bot.faults import crash_point
from bot.feeds import Fetcher, FetchResult
from bot.feeds.cadence import CADENCE, Cadence
from bot.feeds.pacer import Pacer
from bot.judging import Judged, judge_pending
from bot.models import Feed, FeedState, ParsedFeed
from bot.outcome import FeedOutcome, poll_outcome
from bot.parsing.source import parse_source
from bot.settings import Config
from bot.settings.env import DEFAULT_LEASE_SECONDS
from bot.storage import DATABASE_ERRORS, Database
from bot.storage.developments import developing_stories
from bot.storage.feeds import load_feed_states, save_feed_states
from bot.storage.items import known_links, store_entries
from bot.storage.leases import Leases

log = logging.getLogger(__name__)

BACKLOG = timedelta(days=7)  # a new install's backlog: stored and grouped, not alerted
FLUSH_FEEDS = 100
FLUSH_SECONDS = 2.0
JUDGING = "judging"  # the lease on judging stored items
JUDGING_WAIT = 0.2  # seconds between asking for it while another process judges


@dataclass
class CycleReport:
    fetched: int = 0
    not_modified: int = 0
    failed: int = 0
    new_items: int = 0
    alerts_queued: int = 0
    judged: Judged = field(default_factory=Judged)


class Pipeline:
    def __init__(
        self,
        db: Database,
        config: Config,
        fetcher: Fetcher,
        *,
        clock: Callable[[], float],
        since: datetime | None = None,
        rng: random.Random | None = None,
        on_queued: Callable[[], None] = lambda: None,
        cadence: Cadence = CADENCE,
        on_hub: Callable[[Feed, str, str], Awaitable[None]] | None = None,
        leases: Leases | None = None,
    ) -> None:
        self._db = db
        self._config = config
        self._fetcher = fetcher
        self._clock = clock
        self._since = since
        self._rng = rng or random.Random()
        self._on_queued = on_queued
        self._classifier = Classifier(config.rules, config.platforms, config.regions)
        self._feeds = {feed.id: feed for feed in config.feeds}
        self.pacer = Pacer(config.feeds, cadence)
        self.on_hub = on_hub  # WebSub's discovered, when the bot subscribes
        self._heated_at = float("-inf")
        # feedparser is pure Python: parallel parses only fight the event loop for the GIL.
        self._parsing = asyncio.Semaphore(1)
        # Cycles overlap (a slow feed's batch commits while the next cycle's does): two
        # judgings at once would read the same unjudged items and open their stories twice.
        self._judging = asyncio.Lock()
        # Several processes on one database: each feed's poll and the judging are leased.
        self._leases = leases or Leases(db, DEFAULT_LEASE_SECONDS, clock)

    async def states(self) -> dict[str, FeedState]:
        stored = await load_feed_states(self._db)
        return {fid: stored.get(fid, FeedState(fid)) for fid in self._feeds}

    async def run_cycle(
        self, feeds: list[Feed], states: dict[str, FeedState], *, due_only: bool = False
    ) -> CycleReport:
        """Poll `feeds` concurrently, committing results in batches as they arrive: those
        whose lease this process takes (and, `due_only`, that are still due in the database:
        another process may have polled them since `states` was read)."""
        report = CycleReport()
        feeds, states = await self._take(feeds, states, due_only)
        self.pacer.know(states)
        if self._clock() - self._heated_at >= self.pacer.cadence.cool_check_every:
            await self._heat()  # stories whose day is over cool down
        unsaved = {_lease(feed) for feed in feeds}  # leases held, their polls not committed
        try:
            await self._poll_all(feeds, states, report, unsaved)
        finally:
            if unsaved:  # stopped mid-cycle: let another process poll them now
                with contextlib.suppress(*DATABASE_ERRORS):
                    await self._leases.release(unsaved)
        return report

    async def _take(
        self, feeds: list[Feed], states: dict[str, FeedState], due_only: bool
    ) -> tuple[list[Feed], dict[str, FeedState]]:
        taken = await self._leases.take(_lease(feed) for feed in feeds)
        mine = [feed for feed in feeds if _lease(feed) in taken]
        if not due_only:
            return mine, states
        states = await self.states()
        now = int(self._clock())
        hot = self.pacer.hot_polls(states, now)  # a developing story brings polls forward
        slots = {f.id: states[f.id].next_poll_at or 0 for f in mine}
        due = [f for f in mine if min(slots[f.id], hot.get(f.id, slots[f.id])) <= now]
        await self._leases.release(_lease(f) for f in mine if f not in due)
        return due, states

    async def _poll_all(self, feeds: list[Feed], states: dict[str, FeedState],
                        report: CycleReport, unsaved: set[str]) -> None:  # fmt: skip
        queue: asyncio.Queue[FeedOutcome] = asyncio.Queue()

        async def poll_one(feed: Feed) -> None:
            await queue.put(await self._poll(feed, states[feed.id]))

        tasks = [asyncio.create_task(poll_one(feed)) for feed in feeds]
        loop = asyncio.get_running_loop()
        try:
            batch: list[FeedOutcome] = []
            remaining = len(tasks)
            deadline = loop.time() + FLUSH_SECONDS
            while remaining:
                try:
                    timeout = max(0.0, deadline - loop.time())
                    batch.append(await asyncio.wait_for(queue.get(), timeout))
                    remaining -= 1
                except TimeoutError:
                    pass
                due = loop.time() >= deadline
                if batch and (due or len(batch) >= FLUSH_FEEDS or not remaining):
                    await self._commit(batch, report, unsaved)
                    batch = []
                if due or not batch:
                    deadline = loop.time() + FLUSH_SECONDS
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _poll(self, feed: Feed, state: FeedState) -> FeedOutcome:
        known: set[str] = set()
        try:
            result = await self._fetcher.fetch(feed, state)
            crash_point("fetched")
            parsed = None
            if result.body is not None:
                async with self._parsing:
                    parsed = await self._parse(feed, result)
            if feed.page and parsed is not None:
                known = await known_links(self._db, (e.link for e in parsed.entries))
        except Exception as exc:  # a bug for one feed must not stop the others
            log.exception("unexpected error polling %s", feed.id)
            result, parsed = FetchResult(error=f"internal error ({type(exc).__name__})"), None
        return self._outcome(feed, state, result, parsed, known)

    async def _parse(self, feed: Feed, result: FetchResult) -> ParsedFeed:
        assert result.body is not None
        now = datetime.fromtimestamp(self._clock(), UTC)
        return await parse_source(feed, result.body, now=now, content_type=result.content_type,
                                  final_url=result.final_url)  # fmt: skip

    def _outcome(self, feed: Feed, state: FeedState, result: FetchResult,
                 parsed: ParsedFeed | None, known: set[str]) -> FeedOutcome:  # fmt: skip
        now = int(self._clock())
        cutoff = self._cutoff(state.first_polled_at or now)
        return poll_outcome(feed, state, result, parsed, known, now=now, cutoff=cutoff,
                            pacer=self.pacer, rng=self._rng)  # fmt: skip

    async def take_push(self, feed: Feed, body: bytes, content_type: str) -> CycleReport:
        """A feed's new items pushed by its WebSub hub, taken as a poll that read them."""
        state = (await self.states())[feed.id]
        result = FetchResult(status=200, body=body, content_type=content_type,
                             etag=state.etag, last_modified=state.last_modified)  # fmt: skip
        async with self._parsing:
            parsed = await self._parse(feed, result)
        report = CycleReport()
        await self._commit([self._outcome(feed, state, result, parsed, set())], report, set())
        return report

    def _cutoff(self, first_polled_at: int) -> datetime:
        """Items older than this are stored and grouped, never alerted (a new install's backlog)."""
        if self._since is not None:
            return self._since
        return datetime.fromtimestamp(first_polled_at, UTC) - BACKLOG

    async def _commit(
        self, batch: list[FeedOutcome], report: CycleReport, unsaved: set[str]
    ) -> None:
        now = int(self._clock())
        async with self._db.transaction() as tx:
            await save_feed_states(tx, [o.state for o in batch])
            await self._leases.release_in(tx, [_lease(o.feed) for o in batch])
            report.new_items += await store_entries(tx, (e for o in batch for e in o.entries), now)
        crash_point("stored")
        unsaved.difference_update(_lease(o.feed) for o in batch)
        for outcome in batch:
            if outcome.state.last_error:
                report.failed += 1
            elif outcome.state.last_status == 304:
                report.not_modified += 1
            else:
                report.fetched += 1
        judged = await self.judge_pending()
        report.judged.add(judged)
        report.alerts_queued += judged.queued
        for outcome in batch:  # WebSub subscribes, or renews at a fallback poll
            if self.on_hub is not None and outcome.state.last_error is None:
                await self.on_hub(outcome.feed, outcome.hub, outcome.topic)

    async def judge_pending(self) -> Judged:
        """Classify stored, unjudged items; open stories and queue alerts. One process
        judges at a time: another waits for the lease, then judges what is left."""
        async with self._judging:
            # Another process's lease lives in the database: no event here says it ended.
            while not await self._leases.take_one(JUDGING):  # noqa: ASYNC110
                await asyncio.sleep(JUDGING_WAIT)
            try:
                judged = await judge_pending(
                    self._db, self._classifier, self._feeds, self._config.regions,
                    int(self._clock()), keep=lambda tx: self._leases.renew(tx, JUDGING),
                )  # fmt: skip
            finally:
                with contextlib.suppress(*DATABASE_ERRORS):
                    await self._leases.release((JUDGING,))
        if judged.queued:
            self._on_queued()
        if judged.stories or judged.developments:
            await self._heat()
        return judged

    async def _heat(self) -> None:
        """Which sources the stories developing now make hot (bot.feeds.hot)."""
        since = int(self._clock()) - self.pacer.cadence.hot_window
        stories = await developing_stories(self._db, since)
        self.pacer.heat(stories, self._config.regions.overlaps)
        self._heated_at = self._clock()


def _lease(feed: Feed) -> str:
    return f"feed:{feed.id}"
