"""Several bot processes on one PostgreSQL database against one on SQLite, measured side by
side in one run: `python -m bench.processes PORT FEEDS` (bench/run.py starts the feed server).

Poll: N real `aiwatch run --once` processes poll FEEDS loopback feeds (50 items each) on a
new database, sharing them by leases, store and judge the items; throughput is feeds polled
a second of wall time, start-up included. Fan-out: STORIES stories, each queued to
DESTINATIONS console destinations, delivered by N processes (`run --once` again: its feeds
now answer 304); throughput is alert jobs a second. PostgreSQL figures need a server:
AIWATCH_BENCH_POSTGRES (or AIWATCH_TEST_POSTGRES); without one only SQLite is measured.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bot.storage import Database
from bot.storage.destinations import ensure_destination
from bot.storage.outbox import enqueue, pending_count
from bot.storage.stories import StoredStory, create_story
from bot.stories import StorySignature
from tests.bot_process import start_bot, write_feeds
from tests.postgres import _admin, with_search_path

STORIES = int(os.environ.get("BENCH_FANOUT_STORIES", "20"))
DESTINATIONS = int(os.environ.get("BENCH_FANOUT_DESTINATIONS", "50"))
HOSTS = 50


async def run_processes(count: int, feeds: Path, db: str | Path, workdir: Path) -> float:
    """Wall seconds for `count` processes of `run --once` to finish."""
    started = time.perf_counter()
    bots = [await start_bot("run", "--once", "--since", "2026-01-01", feeds=feeds,
                            db=db, cwd=workdir) for _ in range(count)]  # type: ignore[arg-type]  # fmt: skip
    results = await asyncio.gather(*(bot.communicate() for bot in bots))
    for bot, (_, err) in zip(bots, results, strict=True):
        assert bot.returncode == 0, err.decode()[-2000:]
    return time.perf_counter() - started


async def seed_fanout(db_target: str | Path) -> None:
    db = await Database.open(db_target)
    async with db.transaction() as tx:
        ids = [f"console:bench{n}" for n in range(DESTINATIONS)]
        for destination in ids:
            await ensure_destination(tx, destination, "console", 1)
        signature = StorySignature("pause", frozenset({"meta"}), frozenset({"EU"}), frozenset(), 1)
        for n in range(STORIES):
            story = StoredStory(0, 1, f"Bench story {n}", "", "pause", ("meta",), ("EU",), (), True)
            story_id = await create_story(tx, story, signature, 1)
            for destination in ids:
                await enqueue(tx, destination, story_id, "post", 0, 1)
    await db.close()


async def pending(db_target: str | Path) -> int:
    db = await Database.open(db_target)
    try:
        return await pending_count(db)
    finally:
        await db.close()


async def measure(
    count: int, db: str | Path, feeds: Path, feeds_count: int, work: Path
) -> dict[str, float]:
    poll = await run_processes(count, feeds, db, work)
    await seed_fanout(db)
    jobs = await pending(db)
    fanout = await run_processes(count, feeds, db, work)
    assert await pending(db) == 0, "jobs left undelivered"
    return {"feeds_per_s": round(feeds_count / poll, 1), "jobs_per_s": round(jobs / fanout, 1),
            "poll_s": round(poll, 2), "fanout_s": round(fanout, 2)}  # fmt: skip


async def main(port: int, feeds_count: int) -> None:
    server = os.environ.get("AIWATCH_BENCH_POSTGRES") or os.environ.get("AIWATCH_TEST_POSTGRES")
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        urls = [f"http://127.0.0.{i % HOSTS + 1}:{port}/feed/{i}" for i in range(feeds_count)]
        feeds = write_feeds(work / "feeds.yaml", [{"id": f"f{i}", "url": u}
                                                  for i, u in enumerate(urls)])  # fmt: skip
        base = await measure(1, work / "bench.db", feeds, feeds_count, work)
        results["sqlite_1"] = base
        for count in (1, 2, 4) if server else ():
            schema = f"bench_{uuid.uuid4().hex[:8]}"
            await _admin(server, f"CREATE SCHEMA {schema}")
            try:
                got = await measure(
                    count, with_search_path(server, schema), feeds, feeds_count, work
                )
            finally:
                await _admin(server, f"DROP SCHEMA {schema} CASCADE")
            got["poll_vs_sqlite"] = round(got["feeds_per_s"] / base["feeds_per_s"], 2)
            got["fanout_vs_sqlite"] = round(got["jobs_per_s"] / base["jobs_per_s"], 2)
            results[f"postgresql_{count}"] = got
    if not server:
        results["note"] = "PostgreSQL NOT measured: set AIWATCH_BENCH_POSTGRES"
    print(json.dumps(results))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
