"""One bot process polling 1,000 loopback feeds: CPU, loop delay, commits, memory, size.

Cycles: all 200 (first poll), all 304 (nothing changed), 950 x 304 + 50 changed.
Run by bench/run.py, which starts the feed server; prints one JSON object.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
import urllib.request
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bench.memory import peak_rss_kib
from bot.feeds import Fetcher, create_session
from bot.models import Entry, Feed
from bot.pipeline import Pipeline
from bot.settings import load_config
from bot.storage import Database
from bot.storage.items import NewEntry, count_items, store_entries
from bot.storage.sqlite import SqliteDatabase

ROOT = Path(__file__).resolve().parent.parent


class CountingDatabase(SqliteDatabase):
    """The embedded database, counting its transactions."""

    commits = 0

    def transaction(self):  # type: ignore[no-untyped-def]
        CountingDatabase.commits += 1
        return super().transaction()


async def loop_lag(samples: list[float], stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        before = loop.time()
        await asyncio.sleep(0.01)
        samples.append(loop.time() - before - 0.01)


async def prefill(db: Database, count: int) -> None:
    published = datetime(2026, 1, 1, tzinfo=UTC)
    for start in range(0, count, 10_000):
        entries = [
            NewEntry("old", Entry(f"guid:https://old.example/{i}", f"https://old.example/{i}",
                                  f"An older headline number {i} about something",
                                  "A summary sentence of moderate length. " * 4, published, "en"),
                     False)
            for i in range(start, min(count, start + 10_000))
        ]  # fmt: skip
        async with db.transaction() as tx:
            await store_entries(tx, entries, 1)


async def run_cycle(pipeline: Pipeline, feeds: list[Feed]) -> dict[str, float]:
    samples: list[float] = []
    stop = asyncio.Event()
    monitor = asyncio.create_task(loop_lag(samples, stop))
    commits_before = CountingDatabase.commits
    cpu = time.process_time()
    wall = time.perf_counter()
    report = await pipeline.run_cycle(feeds, await pipeline.states())
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    stop.set()
    await monitor
    samples.sort()
    return {
        "cpu_s": round(cpu, 3),
        "wall_s": round(wall, 3),
        "loop_delay_p99_ms": round(samples[int(len(samples) * 0.99) - 1] * 1000, 1),
        "commits": CountingDatabase.commits - commits_before,
        "fetched": report.fetched,
        "not_modified": report.not_modified,
        "failed": report.failed,
        "new_items": report.new_items,
    }


async def main(port: int, feeds_count: int, stored: int) -> None:
    config = load_config(ROOT / "config")
    feeds = [
        Feed(id=f"bench-{i}", url=f"http://127.0.0.{i % 50 + 1}:{port}/feed/{i}")
        for i in range(feeds_count)
    ]
    config = replace(config, feeds=tuple(feeds))
    with tempfile.TemporaryDirectory() as tmp:
        db = await CountingDatabase.connect(Path(tmp) / "bench.db")
        await prefill(db, stored)
        session = create_session(timeout=30)
        pipeline = Pipeline(
            db, config, Fetcher(session, body_limit=5 * 1024 * 1024), clock=time.time
        )
        results = {"all_200": await run_cycle(pipeline, feeds)}
        results["all_304"] = await run_cycle(pipeline, feeds)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/bump?count=50") as answer:
            answer.read()
        results["changed_50"] = await run_cycle(pipeline, feeds)
        await session.close()
        items = await count_items(db)
        await db.close()
        size = sum(p.stat().st_size for p in Path(tmp).glob("bench.db*"))
    results["stored_items"] = items
    results["bytes_per_item"] = round(size / items, 1)
    results["peak_rss_mib"] = round(peak_rss_kib() / 1024, 1)
    print(json.dumps(results))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])))
