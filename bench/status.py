"""What the status page, /healthz and /metrics cost on a big install: 2,000 sources (one in
ten failing), 500 destinations (five stopped), 100,000 stored items and 200 stories, the
last 20 sent to every destination (10,000 outbox rows of theirs, 100,000 in all).

Prints one JSON line: page_ms (read the view and render it), page_kib, healthz_ms (with its
committed write), metrics_ms; each the median CPU time of RUNS (the process's, so SQLite's
thread counts too), in process, no HTTP.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from bot.models import Entry, Feed, FeedState
from bot.status.checks import Liveness, check_health
from bot.status.metrics import Metrics
from bot.status.page import render
from bot.status.view import read_view
from bot.storage import Database
from bot.storage.destinations import ensure_destination, mark_destination_unhealthy
from bot.storage.feeds import save_feed_states
from bot.storage.items import NewEntry, store_entries
from tests.status.helpers import add_story

SOURCES, DESTINATIONS, ITEMS, STORIES = 2000, 500, 100_000, 200
RUNS = 10
NOW = 1_800_000_000


async def fill(db: Database) -> tuple[Feed, ...]:
    feeds = tuple(Feed(f"source-{n}", f"https://s{n}.example/feed") for n in range(SOURCES))
    states = [
        FeedState(f.id, first_polled_at=NOW - 86400, last_fetch_at=NOW - 60, last_status=200,
                  next_poll_at=NOW + 1800, entries_seen=50, last_success_at=NOW - 60)
        if n % 10 else
        FeedState(f.id, first_polled_at=NOW - 86400, last_fetch_at=NOW - 60, last_status=500,
                  failures=3, last_error="HTTP 500", next_poll_at=NOW + 7200)
        for n, f in enumerate(feeds)
    ]  # fmt: skip
    published = datetime.fromtimestamp(NOW - 86400, UTC)
    async with db.transaction() as tx:
        await save_feed_states(tx, states)
        for n in range(DESTINATIONS):
            await ensure_destination(tx, f"discord:1/{n}", "discord", 1)
            if n % 100 == 0:
                await mark_destination_unhealthy(tx, f"discord:1/{n}", "Missing Access (50001)")
    for start in range(0, ITEMS, 10_000):
        entries = [NewEntry(feeds[i % SOURCES].id,
                            Entry(f"k{i}", f"https://n.example/{i}", f"Headline {i}", "",
                                  published, "en" if i % 50 else "fi"), alertable=False)
                   for i in range(start, start + 10_000)]  # fmt: skip
        async with db.transaction() as tx:
            await store_entries(tx, entries, NOW)
    for n in range(STORIES):
        story = await add_story(db, f"Story {n}", at=NOW - 86400 + n)
        async with db.transaction() as tx:
            await tx.execute_many(
                "INSERT INTO outbox (destination_id, story_id, action, idem_key, state,"
                " next_attempt_at, created_at) VALUES (?, ?, 'post', ?, 'done', 1, 1)",
                ((f"discord:1/{d}", story, f"{story}:{d}") for d in range(DESTINATIONS)),
            )
    return feeds


async def median_cpu_ms(work: Callable[[], Awaitable[object]]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.process_time()
        await work()
        times.append((time.process_time() - started) * 1000)
    return round(statistics.median(times), 1)


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "status.db")
        feeds = await fill(db)
        liveness = Liveness(lambda: float(NOW))
        metrics = Metrics(["console", "discord"])
        health = await check_health(db, liveness, NOW, 7200, ["discord"])
        served = ["console", "discord"]

        def healthz() -> Awaitable[object]:
            return check_health(db, liveness, NOW, 7200, served)

        async def page() -> str:
            view = await read_view(db, feeds, frozenset({"en"}), health, NOW, NOW, served)
            return render(view)

        html = await page()
        assert html.count("FAILING") == SOURCES // 10, "every failing source is marked"
        result = {
            "sources": SOURCES, "destinations": DESTINATIONS, "items": ITEMS,
            "page_ms": await median_cpu_ms(page), "page_kib": len(html.encode()) // 1024,
            "healthz_ms": await median_cpu_ms(healthz),
            "metrics_ms": await median_cpu_ms(lambda: metrics.exposition(db, NOW, served)),
        }  # fmt: skip
        await db.close()
    print(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    asyncio.run(main())
