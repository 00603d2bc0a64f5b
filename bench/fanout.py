"""Fan-out at the platforms' floor: one story posted to DESTINATIONS Discord channels and as
many Slack channels, then a development of it (an edit of each alert and a reply under it),
through the real outbox drain, discord.py and slack-sdk, against the loopback servers
enforcing the documented limits in their own process (bench/fanout_servers.py).

The floor is what those limits allow, computed from the servers' own figures: a limit of
`count` per `per` seconds counted in fixed windows lets the k-th request of a bucket go at
(ceil(k / count) - 1) * per seconds at the earliest. Discord: 50 requests a second for the
bot (its global limit), 5 messages per 5 s per channel. Slack: one post a second per channel,
so posting one alert to each channel is limited by nothing but the server's own time
(measured: the same posts from a bare slack-sdk client, no database, no pacing), and
chat.update is Tier 3, 50 a minute per workspace, so a development reaches at most 50
channels a minute: it is sent to SLACK_DEVELOPMENTS channels (100: two windows, a 60 s
floor), not to all 1,000 (19 minutes).

  python -m bench.fanout [--destinations N] [--slack-developments M]

prints what it measured and, last, one JSON line (for bench/run.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.discord import DiscordAdapter, use_endpoints
from bot.adapters.slack import SlackAdapter
from bot.adapters.slack.render import alert_message
from bot.commands import Commands
from bot.delivery import Destination, OutboxDrainer
from bot.delivery.alerts import AlertBuilder
from bot.optout.guide import Guide
from bot.settings import load_config
from bot.storage import Database
from bot.storage.destinations import ensure_destination
from bot.storage.outbox import enqueue
from tests.chat_helpers import add_development, add_story
from tests.servers.discord_faults import GLOBAL as DISCORD_GLOBAL
from tests.servers.discord_faults import MESSAGES as DISCORD_CHANNEL
from tests.servers.limits import Rate
from tests.servers.slack_faults import POST as SLACK_CHANNEL
from tests.servers.slack_faults import TIER_3

ROOT = Path(__file__).resolve().parent.parent
GUILD, TEAM = "800000000000000001", "T0BENCH"
FIRST_CHANNEL = 900000000000000000
TARGET_RATIO = 1.2


def earliest(requests: int, rate: Rate) -> float:
    """When the last of `requests` in one bucket may go, at the earliest."""
    return (math.ceil(requests / rate.count) - 1) * rate.per if requests else 0.0


@dataclass
class Phase:
    name: str
    platform: str
    jobs: int
    floor_s: float
    floor_why: str
    seconds: float = 0.0
    cpu_s: float = 0.0
    answers_429: int = 0
    violations: dict[str, Any] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)

    def ratio(self) -> float | None:
        """None when the limits allow it all at once (fewer than 51 Discord channels)."""
        return round(self.seconds / self.floor_s, 3) if self.floor_s > 0 else None

    def figures(self) -> dict[str, Any]:
        return {
            "jobs": self.jobs, "seconds": round(self.seconds, 2),
            "floor_s": round(self.floor_s, 2), "ratio": self.ratio(),
            "answers_429": self.answers_429, "bot_cpu_s": round(self.cpu_s, 2),
            "requests": self.requests, "floor_why": self.floor_why,
        }  # fmt: skip


class Servers:
    """The chat servers' process and what it counts."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.fanout_servers"], stdout=subprocess.PIPE, cwd=ROOT
        )
        assert self.process.stdout is not None
        ready = self.process.stdout.readline().decode().split()
        assert ready[:1] == ["ready"], f"the chat servers did not start: {ready}"
        self.discord_port, self.slack_port, self.stats_port = map(int, ready[1:])

    async def stats(self) -> dict[str, Any]:
        url = f"http://127.0.0.1:{self.stats_port}/stats"
        async with aiohttp.ClientSession() as http, http.get(url) as response:
            return dict(await response.json())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()


class Bench:
    def __init__(self, servers: Servers, db: Database, destinations: int, slack_devs: int):
        self.servers = servers
        self.db = db
        self.count = destinations
        self.slack_devs = slack_devs
        self.discord_ids = [f"discord:{GUILD}/{FIRST_CHANNEL + n}" for n in range(destinations)]
        self.slack_ids = [f"slack:{TEAM}/C{n:07d}" for n in range(destinations)]
        self.finished: dict[str, float] = {}

    async def setup(self) -> None:
        config = load_config(ROOT / "config")
        guide = Guide(config.optout, config.platforms, config.regions)
        self.alerts = AlertBuilder(self.db, guide)
        commands = Commands(self.db, config, guide)
        port = self.servers.discord_port
        use_endpoints(f"http://127.0.0.1:{port}/api/v10", f"ws://127.0.0.1:{port}/ws")
        self.discord = DiscordAdapter(commands, self.db, guild_ready_timeout=0.05)
        self.discord_task = asyncio.create_task(self.discord.start("bench-token"))
        await asyncio.wait_for(self.discord.wait_until_ready(), 10)
        self.slack_url = f"http://127.0.0.1:{self.servers.slack_port}/api/"
        self.slack = SlackAdapter(commands, token="xoxb-bench", api_url=self.slack_url)  # noqa: S106
        self.story = await add_story(self.db, self.discord_ids[0], "LinkedIn trains AI on UK data")
        async with self.db.transaction() as tx:
            for destination in self.discord_ids + self.slack_ids:
                await ensure_destination(tx, destination, destination.partition(":")[0], 0)

    async def close(self) -> None:
        await self.slack.close()
        await self.discord.close()
        self.discord_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.discord_task

    def _delivered(self, platform: str, result: str, jobs: int) -> None:
        if result == "ok":
            self.finished[platform] = time.perf_counter()

    async def _queue(self, destinations: list[str], action: str, development: int | None) -> None:
        now = int(time.time())
        async with self.db.transaction() as tx:
            for destination in destinations:
                await enqueue(tx, destination, self.story, action, 1 if development else 0, now,
                              development)  # fmt: skip

    async def run(self, phases: list[Phase], chats: dict[str, Destination]) -> None:
        """Drain what is queued for `chats`, timing each phase's platform to its last job."""
        before = await self.servers.stats()
        drainer = OutboxDrainer(self.db, chats, time.time, alerts=self.alerts,
                                on_delivery=self._delivered)  # fmt: skip
        self.finished.clear()
        cpu, start = time.process_time(), time.perf_counter()
        await drainer.drain_once()
        cpu = time.process_time() - cpu
        after = await self.servers.stats()
        for phase in phases:
            phase.seconds = self.finished.get(phase.platform, start) - start
            phase.cpu_s = cpu
            was, now = before[phase.platform], after[phase.platform]
            phase.answers_429 = now["answers_429"] - was["answers_429"]
            phase.violations = now["violations"]
            phase.requests = {route: count - was["by_route"].get(route, 0)
                              for route, count in now["by_route"].items()
                              if count - was["by_route"].get(route, 0)}  # fmt: skip

    async def bare_slack_posts(self) -> float:
        """The loopback Slack server's own time for the posts: the same messages from a bare
        slack-sdk client on one connection pool, all at once, no database, no pacing."""
        alert = await self.alerts.build(self.story, "post", self.slack_ids[0])
        assert alert is not None
        message = alert_message(alert)
        async with aiohttp.ClientSession() as session:
            client = AsyncWebClient(token="xoxb-bare", base_url=self.slack_url, session=session)  # noqa: S106
            start = time.perf_counter()
            await asyncio.gather(*(
                client.chat_postMessage(channel=f"CBARE{n:07d}", blocks=list(message.blocks),
                                        text=message.text, unfurl_links=False)
                for n in range(self.count)
            ))  # fmt: skip
            return time.perf_counter() - start

    async def measure(self) -> list[Phase]:
        n, m = self.count, self.slack_devs
        discord_post = Phase(
            "post", "discord", n, earliest(n, DISCORD_GLOBAL),
            f"{n} requests at Discord's global {DISCORD_GLOBAL} (each channel's one post is "
            f"within its {DISCORD_CHANNEL})",
        )  # fmt: skip
        await self._queue(self.discord_ids, "post", None)
        await self.run([discord_post], {"discord": self.discord})
        slack_post = Phase("post", "slack", n, 0.0, "")
        await self._queue(self.slack_ids, "post", None)
        await self.run([slack_post], {"slack": self.slack})
        await asyncio.sleep(max(DISCORD_GLOBAL.per, SLACK_CHANNEL.per))  # the windows close
        bare = await self.bare_slack_posts()
        slack_post.floor_s = max(earliest(1, SLACK_CHANNEL), bare)
        slack_post.floor_why = (
            f"{SLACK_CHANNEL} per channel allows every channel's one post at once; the floor is "
            f"the server's own time for them (a bare slack-sdk client: {bare:.2f} s)"
        )
        development = await add_development(self.db, self.story, "LinkedIn pauses for the UK")
        await self._queue(self.discord_ids, "development", development)
        await self._queue(self.slack_ids[:m], "development", development)
        discord_dev = Phase(
            "development", "discord", n, earliest(2 * n, DISCORD_GLOBAL),
            f"{2 * n} requests (an edit and a reply each) at {DISCORD_GLOBAL}",
        )  # fmt: skip
        slack_dev = Phase(
            "development", "slack", m, max(earliest(m, TIER_3), bare * m / max(n, 1)),
            f"{m} chat.update at Tier 3, {TIER_3} per workspace (to all {n} channels it "
            f"would be {earliest(n, TIER_3) / 60:.0f} min); the replies, {SLACK_CHANNEL} per "
            "channel, fit",
        )  # fmt: skip
        await self.run([discord_dev, slack_dev], {"discord": self.discord, "slack": self.slack})
        return [discord_post, slack_post, discord_dev, slack_dev]


async def bench(destinations: int, slack_devs: int) -> list[Phase]:
    servers = Servers()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = await Database.open(Path(tmp) / "bench.db")
            runner = Bench(servers, db, destinations, slack_devs)
            await runner.setup()
            try:
                return await runner.measure()
            finally:
                await runner.close()
                await db.close()
    finally:
        servers.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--destinations", type=int, default=1000)
    parser.add_argument("--slack-developments", type=int, default=100)
    args = parser.parse_args()
    slack_devs = min(args.slack_developments, args.destinations)
    phases = asyncio.run(bench(args.destinations, slack_devs))
    result: dict[str, Any] = {"destinations": args.destinations}
    for phase in phases:
        figures = phase.figures()
        result[f"{phase.platform}_{phase.name}"] = figures
        print(f"{phase.platform} {phase.name} to {phase.jobs}: {figures['seconds']} s, floor "
              f"{figures['floor_s']} s ({phase.floor_why}), ratio {figures['ratio']} (target "
              f"<= {TARGET_RATIO}), 429s {phase.answers_429} (target <= 1), requests "
              f"{phase.requests}, bot CPU {figures['bot_cpu_s']} s", file=sys.stderr)  # fmt: skip
        if phase.violations.get("count"):
            print(f"  violations so far: {phase.violations}", file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
