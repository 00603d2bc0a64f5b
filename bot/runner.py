"""The long-running bot: schedule polls, run cycles, drain the outbox, stop cleanly.

Sessions and the database are created here once, passed in, and closed here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import aiohttp

from bot import __version__
from bot.adapters.chat import (
    ChatAdapter,
    start_chat_adapters,
    stop_chat_adapters,
    wait_until_ready,
)
from bot.adapters.console import CONSOLE_ID, ConsoleDestination
from bot.adapters.console_input import answer_console_commands
from bot.commands.handlers import Commands
from bot.delivery import Destination, OutboxDrainer
from bot.delivery.alerts import AlertBuilder
from bot.delivery.platforms import PlatformGate
from bot.feeds import Fetcher, create_session, schedule
from bot.models import Feed
from bot.optout.guide import Guide
from bot.pipeline import Pipeline
from bot.settings import Config, Environment
from bot.status.service import StatusService, Watch, start_status
from bot.storage import Database
from bot.storage.destinations import ensure_destination
from bot.storage.leases import Leases

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger(__name__)
IDLE_TICK = 1.0
CHAT_READY_SECONDS = 30.0


@dataclass(frozen=True)
class RunOptions:
    once: bool = False
    as_json: bool = False
    since: datetime | None = None


async def run_bot(
    env: Environment,
    config: Config,
    options: RunOptions,
    *,
    clock: Callable[[], float] = time.time,
    stop: asyncio.Event | None = None,
) -> int:
    stop = stop or _stop_on_signals()
    db = await Database.open(env.db_path)
    chat: list[ChatAdapter] = []
    session = create_session(env.fetch_timeout)
    status: StatusService | None = None
    try:
        async with db.transaction() as tx:
            await ensure_destination(tx, CONSOLE_ID, "console", int(clock()))
        console = ConsoleDestination(as_json=options.as_json)
        destinations: dict[str, Destination] = {"console": console}
        watch = Watch.start(env, clock)
        guide = Guide(config.optout, config.platforms, config.regions)
        alerts = AlertBuilder(db, guide)
        gate = PlatformGate(db, clock)
        leases = Leases(db, env.lease_seconds, clock)  # shared work, when processes share a db
        await leases.start()
        drainer = OutboxDrainer(db, destinations, clock, alerts=alerts, regions=config.regions,
                                on_delivery=watch.metrics.delivered, gate=gate,
                                leases=leases)  # fmt: skip
        commands = Commands(db, config, guide, clock)
        pipeline = Pipeline(
            db,
            config,
            Fetcher(session, body_limit=env.body_limit),
            clock=clock,
            since=options.since,
            on_queued=drainer.wake.set,
            leases=leases,
        )
        routes = await _websub(env, db, session, config, pipeline, clock)
        # served: the kinds still delivered to (a platform that refused its token is not)
        status = await start_status(env, config, db, watch, lambda: gate.running(destinations),
                                    routes)  # fmt: skip
        chat = await start_chat_adapters(env, commands, db, destinations, gate)
        _announce(env, config, options)
        watch.judged(await pipeline.judge_pending())  # what a crashed run stored, unjudged
        if options.once:
            await wait_until_ready(chat, CHAT_READY_SECONDS)
            await _run_once(pipeline, drainer, list(config.feeds), stop, watch)
        else:
            typed = asyncio.create_task(answer_console_commands(commands, console))
            try:
                await _run_forever(pipeline, drainer, config.feeds, watch, stop)
            finally:
                typed.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await typed
    finally:
        if status is not None:
            await status.close()
        await stop_chat_adapters(chat)
        await session.close()
        await db.close()
    return 0


async def _websub(
    env: Environment,
    db: Database,
    session: aiohttp.ClientSession,
    config: Config,
    pipeline: Pipeline,
    clock: Callable[[], float],
) -> list[web.RouteDef]:
    """With AIWATCH_PUBLIC_URL set, feeds that name a hub push to the status port."""
    if env.public_url is None:
        return []
    from bot.websub import WebSub  # the callback's server parts load only when asked for
    from bot.websub.routes import websub_routes

    websub = WebSub(db, session, env.public_url, config.feeds, pipeline.pacer, clock)
    await websub.start()
    websub.on_push = pipeline.take_push
    pipeline.on_hub = websub.discovered
    return websub_routes(websub, env.body_limit)


async def _run_once(
    pipeline: Pipeline,
    drainer: OutboxDrainer,
    feeds: list[Feed],
    stop: asyncio.Event,
    watch: Watch,
) -> None:
    async def cycle() -> None:
        started = watch.clock()
        watch.cycle_done(await pipeline.run_cycle(feeds, await pipeline.states()), started)
        await drainer.drain_once()

    await _with_drainer(drainer, cycle(), stop)


async def _run_forever(
    pipeline: Pipeline,
    drainer: OutboxDrainer,
    feeds: tuple[Feed, ...],
    watch: Watch,
    stop: asyncio.Event,
) -> None:
    await _with_drainer(drainer, _schedule_loop(pipeline, feeds, watch), stop)


async def _with_drainer(
    drainer: OutboxDrainer, work: Coroutine[Any, Any, None], stop: asyncio.Event
) -> None:
    """Alerts go out as soon as they are queued, while slower feeds are still polled."""
    drain_task = asyncio.create_task(drainer.run())
    try:
        await _until_stopped(work, stop)
    finally:
        drain_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await drain_task


async def _schedule_loop(pipeline: Pipeline, feeds: tuple[Feed, ...], watch: Watch) -> None:
    """Start a cycle for the feeds that are due; feeds in flight are not started twice.
    Each completed cycle, and each tick with nothing due and nothing in flight, is progress
    for the health check: only a loop that died or hangs on a cycle stops making it."""
    clock = watch.clock
    in_flight: set[str] = set()
    cycles: set[asyncio.Task[None]] = set()
    states = await pipeline.states()
    next_poll: dict[str, float] = {
        f.id: states[f.id].next_poll_at or schedule.first_poll(f, int(clock())) for f in feeds
    }

    async def cycle(batch: list[Feed]) -> None:
        try:
            started = clock()
            report = await pipeline.run_cycle(batch, await pipeline.states(), due_only=True)
            watch.cycle_done(report, started)
            done = await pipeline.states()
            for feed in batch:
                next_poll[feed.id] = done[feed.id].next_poll_at or clock() + 60
            for feed_id, due in pipeline.pacer.hot_polls(done, int(clock())).items():
                next_poll[feed_id] = min(next_poll[feed_id], due)  # a story is developing
        finally:
            in_flight.difference_update(f.id for f in batch)

    try:
        while True:
            now = clock()
            due = [f for f in feeds if f.id not in in_flight and next_poll[f.id] <= now]
            if due:
                in_flight.update(f.id for f in due)
                task = asyncio.create_task(cycle(due))
                cycles.add(task)
                task.add_done_callback(cycles.discard)
            elif not in_flight:
                watch.idle()
            await asyncio.sleep(IDLE_TICK)  # slots are whole seconds; checking 1,000 is cheap
    finally:
        for task in cycles:
            task.cancel()
        await asyncio.gather(*cycles, return_exceptions=True)


async def _until_stopped(work: Coroutine[Any, Any, None], stop: asyncio.Event) -> None:
    """Run `work` until it ends or `stop` is set; on stop, cancel it and wait for it."""
    task = asyncio.create_task(work)
    stopper = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    stopper.cancel()
    if task not in done:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        log.info("stopped")
        return
    task.result()


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    return stop


def _announce(env: Environment, config: Config, options: RunOptions) -> None:
    mode = "one cycle" if options.once else "until stopped (Ctrl-C)"
    log.info(
        "AI Data Watch %s: %d feeds, database %s, alerts on this console; running %s",
        __version__,
        len(config.feeds),
        env.db_path,
        mode,
    )
    if not env.discord_token:
        log.info("Discord: off (set DISCORD_TOKEN to post to Discord)")
    else:
        log.info("Discord: connecting to %s", env.discord_api_base)
    if not env.slack_bot_token:
        log.info("Slack: off (set SLACK_BOT_TOKEN and SLACK_APP_TOKEN to post to Slack)")
    if not options.once and sys.stdin is not None and sys.stdin.isatty():  # None: closed
        log.info("Type commands here, e.g. /optout linkedin UK or /aiwatch help")
