"""The status service as the runner sees it: a `Watch` the loop reports to, and the server
with its event-loop probe, started when AIWATCH_STATUS_PORT is set and stopped with the bot.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.errors import UsageError
from bot.judging import Judged
from bot.pipeline import CycleReport
from bot.settings import Config, Environment
from bot.status.checks import Liveness
from bot.status.metrics import Metrics
from bot.storage import Database

if TYPE_CHECKING:
    from aiohttp import web


@dataclass(frozen=True)
class Watch:
    """What the status reads of the running loop: its progress and its counts. Kept whether
    or not the server runs, so the loop reports the same way either way."""

    liveness: Liveness
    metrics: Metrics
    clock: Callable[[], float]

    @classmethod
    def start(cls, env: Environment, clock: Callable[[], float]) -> Watch:
        return cls(Liveness(clock), Metrics(_platforms(env)), clock)

    def cycle_done(self, report: CycleReport, started: float) -> None:
        self.metrics.cycle_done(report, max(0.0, self.clock() - started))
        self.liveness.progressed()

    def idle(self) -> None:
        """Nothing due and nothing in flight: every feed is polled on time."""
        self.liveness.progressed()

    def judged(self, judged: Judged) -> None:
        self.metrics.judged(judged)


def _platforms(env: Environment) -> list[str]:
    """The destinations' kinds that may deliver in this run, for the metrics' labels."""
    tokens = {"discord": env.discord_token, "slack": env.slack_bot_token}
    return ["console", *(kind for kind, token in tokens.items() if token)]


class StatusService:
    """The running server and the event-loop probe; `close` stops both."""

    def __init__(self, runner: web.AppRunner, lag: asyncio.Task[None]) -> None:
        self._runner = runner
        self._lag = lag

    @property
    def port(self) -> int:
        """The port it listens on (the one given, or the free one taken for 0)."""
        return int(self._runner.addresses[0][1])

    async def close(self) -> None:
        self._lag.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._lag
        await self._runner.cleanup()


async def start_status(
    env: Environment,
    config: Config,
    db: Database,
    watch: Watch,
    kinds: Callable[[], Iterable[str]],
    routes: Iterable[web.RouteDef] = (),
) -> StatusService | None:
    """None when AIWATCH_STATUS_PORT is unset. `kinds` are the destinations served now (the
    chat adapters add theirs as they start). A port that cannot be had is a usage error."""
    if env.status_port is None:
        return None
    # Imported here: a bot without the status port does not pay for aiohttp's server and
    # the page at start-up (about 45 ms of imports).
    from bot.status.server import StatusSources, serve_status

    sources = StatusSources(
        db=db,
        feeds=config.feeds,
        languages=config.rules.languages,
        liveness=watch.liveness,
        metrics=watch.metrics,
        kinds=kinds,
        clock=watch.clock,
    )
    try:
        runner = await serve_status(sources, env.status_host, env.status_port, routes)
    except OSError as exc:
        raise UsageError(
            f"AIWATCH_STATUS_PORT={env.status_port}: cannot listen on"
            f" {env.status_host}:{env.status_port} ({exc.strerror or exc});"
            " choose a free port, or unset it to run without the status page"
        ) from None
    return StatusService(runner, asyncio.create_task(watch.metrics.watch_loop_lag()))
