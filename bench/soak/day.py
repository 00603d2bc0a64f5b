"""The simulated day: the bot's own parts (pipeline, outbox drain, digests, the Discord and
Slack adapters against the loopback chat servers) on an injected clock that moves 5 minutes a
step, started as bot/runner.py starts them. Each step polls the sources that are due, as the
runner's schedule loop does, waits at most STEP_WAIT real seconds for them (a slow or silent
source stays in flight into later steps, as it would), and drains the outbox.

Prints one JSON line per sample (every simulated hour, and at the start and the end).
Run by bench/soak/__main__.py: python -m bench.soak.day SETTINGS_JSON
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import random
import sys
import time
import tracemalloc
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.soak.figures import MIB, database_figures, process_figures
from bench.soak.world import REGION_CODES
from bot.adapters.chat import start_chat_adapters, stop_chat_adapters, wait_until_ready
from bot.commands import Commands
from bot.delivery import Destination, OutboxDrainer
from bot.delivery.alerts import AlertBuilder
from bot.feeds import Fetcher, create_session, schedule
from bot.models import Feed
from bot.optout.guide import Guide
from bot.pipeline import CycleReport, Pipeline
from bot.settings import load_config, read_environment
from bot.storage import Database
from bot.storage.destinations import ensure_destination
from bot.storage.subscriptions import set_digest_hour, subscribe
from tests.servers.discord import GUILD_ID
from tests.servers.slack import TEAM_ID

STEP = 300  # simulated seconds per step: the shortest interval a source may have
SAMPLE_EVERY = 12  # steps: one sample per simulated hour
# Real seconds a step waits for its polls before the clock moves on. Each poll ends within the
# fetch timeout, so steps wait for them all: a first poll of 2,000 sources takes a minute, and
# moving the clock 5 minutes a second meanwhile would poll nothing else for hours.
STEP_WAIT = 60.0


@dataclass
class Clock:
    now: float

    def __call__(self) -> float:
        return self.now


def destination_ids(count: int) -> list[str]:
    """Half Discord channels of the loopback guild, half Slack channels of its workspace."""
    discord = [f"discord:{GUILD_ID}/{810000000000000000 + i}" for i in range(count // 2)]
    slack = [f"slack:{TEAM_ID}/C{i:08d}" for i in range(count - count // 2)]
    return [d for pair in zip(discord, slack, strict=False) for d in pair] + slack[len(discord) :]


async def subscribe_destinations(db: Database, count: int, now: int) -> None:
    """Each listens to one region, every fifth to a second; every tenth takes a digest."""
    async with db.transaction() as tx:
        for i, destination in enumerate(destination_ids(count)):
            await ensure_destination(tx, destination, destination.partition(":")[0], now)
            regions = {REGION_CODES[i // 2 % len(REGION_CODES)]}
            if i % 5 == 0:
                regions.add(REGION_CODES[(i // 2 + 3) % len(REGION_CODES)])
            await subscribe(tx, destination, sorted(regions), [], [])
            if i % 10 == 9:
                await set_digest_hour(tx, destination, i % 24)


class Day:
    def __init__(self, pipeline: Pipeline, drainer: OutboxDrainer, feeds: tuple[Feed, ...],
                 clock: Clock, server: str) -> None:  # fmt: skip
        self.pipeline, self.drainer, self.feeds = pipeline, drainer, feeds
        self.clock, self.server = clock, server
        self.next_poll: dict[str, float] = {}
        self.in_flight: set[str] = set()
        self.cycles: set[asyncio.Task[None]] = set()
        self.report = CycleReport()

    async def start(self) -> None:
        states = await self.pipeline.states()
        now = int(self.clock())
        self.next_poll = {f.id: states[f.id].next_poll_at or schedule.first_poll(f, now)
                          for f in self.feeds}  # fmt: skip

    async def step(self) -> None:
        """Tell the sources the time, start a cycle for the due ones, drain the outbox."""
        await asyncio.to_thread(_get, f"{self.server}/clock?now={self.clock()}")
        now = self.clock()
        due = [f for f in self.feeds if f.id not in self.in_flight and self.next_poll[f.id] <= now]
        if due:
            self.in_flight.update(f.id for f in due)
            task = asyncio.create_task(self._cycle(due))
            self.cycles.add(task)
            task.add_done_callback(self.cycles.discard)
        if self.cycles:
            await asyncio.wait(set(self.cycles), timeout=STEP_WAIT)
        await self.drainer.drain_once()

    async def _cycle(self, batch: list[Feed]) -> None:
        try:
            report = await self.pipeline.run_cycle(batch, await self.pipeline.states())
            done = await self.pipeline.states()
            for feed in batch:
                self.next_poll[feed.id] = done[feed.id].next_poll_at or self.clock() + 60
            for name in ("fetched", "not_modified", "failed", "new_items", "alerts_queued"):
                setattr(self.report, name, getattr(self.report, name) + getattr(report, name))
        finally:
            self.in_flight.difference_update(f.id for f in batch)

    async def finish(self) -> None:
        if self.cycles:
            await asyncio.wait(set(self.cycles))
        while await self.drainer.drain_once():
            pass

    @property
    def polls(self) -> int:
        return self.report.fetched + self.report.not_modified + self.report.failed


def _get(url: str) -> None:
    with urllib.request.urlopen(url, timeout=10) as answer:
        answer.read()


def sample(day: Day, db_path: Path, step: int, started: float) -> dict[str, Any]:
    row: dict[str, Any] = {"phase": "day", "at": f"{step * STEP / 3600:4.1f} h",
                           "cycles": step, "polls": day.polls}  # fmt: skip
    row |= process_figures(os.getpid()) | {"py_kblocks": sys.getallocatedblocks() / 1000}
    row |= database_figures(db_path)
    if tracemalloc.is_tracing():
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        row |= {"heap_mib": round(current / MIB, 1), "heap_peak_mib": round(peak / MIB, 1)}
    row |= {"new_items": day.report.new_items, "alerts_queued": day.report.alerts_queued,
            "wall_s": round(time.monotonic() - started, 1)}  # fmt: skip
    return row


async def run(settings: dict[str, Any]) -> None:
    logging.basicConfig(filename=settings["log"], level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")  # fmt: skip
    if settings["tracemalloc"]:
        tracemalloc.start(1)
    env = read_environment(
        config_dir=settings["config"], db_path=settings["db"], feeds_path=settings["feeds"],
        environ=settings["environ"], dotenv=Path(os.devnull),
    )  # fmt: skip
    config = load_config(env.config_dir, env.feeds_path)
    clock = Clock(float(settings["day_start"]))
    db = await Database.open(env.db_path)
    await subscribe_destinations(db, settings["destinations"], int(clock()))
    guide = Guide(config.optout, config.platforms, config.regions)
    destinations: dict[str, Destination] = {}
    drainer = OutboxDrainer(db, destinations, clock, rng=random.Random(3),
                            alerts=AlertBuilder(db, guide), regions=config.regions)  # fmt: skip
    chat = await start_chat_adapters(
        env, Commands(db, config, guide, clock), db, destinations, drainer.gate
    )
    session = create_session(env.fetch_timeout)
    try:
        await wait_until_ready(chat, 30)
        fetcher = Fetcher(session, body_limit=env.body_limit)
        pipeline = Pipeline(db, config, fetcher, clock=clock, rng=random.Random(5),
                            on_queued=drainer.wake.set)  # fmt: skip
        day = Day(pipeline, drainer, config.feeds, clock, settings["server"])
        await day.start()
        started = time.monotonic()
        steps = int(settings["hours"] * 3600 // STEP)
        for step in range(steps + 1):
            clock.now = settings["day_start"] + step * STEP
            if step % SAMPLE_EVERY == 0:
                print(json.dumps(sample(day, env.db_path, step, started)), flush=True)
            if step < steps:
                await day.step()
        await day.finish()
        print(json.dumps(sample(day, env.db_path, steps, started) | {"at": "end"}), flush=True)
    finally:
        await stop_chat_adapters(chat)
        with contextlib.suppress(Exception):
            await session.close()
        await db.close()


if __name__ == "__main__":
    asyncio.run(run(json.loads(sys.argv[1])))
