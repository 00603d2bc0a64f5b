"""The crash matrix: the real bot, killed with SIGKILL at seeded points, must leave every
story exactly one top-level message per channel and every development exactly one reply.

Each point replays the scenario's three cycles (`aiwatch run --once` each) against the
loopback feed, Discord and Slack servers, kills the bot once (at a crash point inside it, or
while a chat server has applied a request and never answers), restarts it until the cycle
completes, and finally runs a quiet cycle. What the channels hold is then compared with a
run that was never killed.

`make crash` runs every point: `python -m tests.crash.matrix [--seed N] [--points N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import re
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.faults import POINTS, VARIABLE
from bot.storage import Database
from bot.storage.destinations import ensure_destination
from bot.storage.outbox import pending_count
from bot.storage.subscriptions import subscribe
from tests.bot_process import start_bot, write_feeds
from tests.crash.scenario import CYCLES, OUTLETS, feeds_for
from tests.servers.discord import CHANNEL_ID, GUILD_ID, DiscordServer
from tests.servers.feeds import FeedServer
from tests.servers.slack import CHANNEL, TEAM_ID, SlackServer

HANGS = (
    "hang:discord:post",
    "hang:discord:edit",
    "hang:discord:reply",
    "hang:slack:chat.postMessage",
    "hang:slack:chat.update",
)
KINDS = (*POINTS, *HANGS)
RUN_SECONDS = 90
MARKER = re.compile(r"story \d+(?: · development \d+)?")
DISCORD_TOKEN = "crash-matrix-discord-token"  # noqa: S105 (fake, loopback only)
SLACK_BOT_TOKEN = "xoxb-crash-matrix"  # noqa: S105
SLACK_APP_TOKEN = "xapp-crash-matrix"  # noqa: S105


@dataclass(frozen=True)
class KillPoint:
    cycle: int  # 1..CYCLES: the cycle whose first run is killed
    where: str  # a crash point of bot/faults.py, or "hang:<platform>:<action>"
    occurrence: int = 1  # a crash point: the n-th time it is reached

    @property
    def label(self) -> str:
        return f"cycle {self.cycle} {self.where}#{self.occurrence}"


@dataclass
class Outcome:
    point: KillPoint | None
    reached: bool
    lost: int
    doubled: int
    top_level: int
    replies: int
    runs: int
    seconds: float


# Where the scenario reaches each kind of point: (cycles, how many times a cycle reaches it
# at least). Cycle 1 only posts; edits and replies come in cycles 2 and 3.
REACH = {
    "fetched": ((1, 2, 3), OUTLETS),
    "stored": ((1, 2, 3), 1),
    "placed": ((1, 2, 3), 2),
    "posted": ((1, 2, 3), 2),
    "edited": ((2, 3), 2),
    "replied": ((2, 3), 2),
    "hang:discord:post": ((1, 2, 3), 1),
    "hang:discord:edit": ((2, 3), 1),
    "hang:discord:reply": ((2, 3), 1),
    "hang:slack:chat.postMessage": ((1, 2, 3), 1),
    "hang:slack:chat.update": ((2, 3), 1),
}


def every_point() -> list[KillPoint]:
    """Each kind of point in each cycle that reaches it, at each occurrence it reaches."""
    return [
        KillPoint(cycle, kind, occurrence)
        for kind in KINDS
        for cycle in REACH[kind][0]
        for occurrence in range(1, REACH[kind][1] + 1)
    ]


def draw(seed: int, count: int) -> list[KillPoint]:
    """`count` distinct points in an order drawn from the seed (every point, at most)."""
    points = every_point()
    random.Random(seed).shuffle(points)
    return points[:count]


class Replay:
    """The loopback feed, Discord and Slack servers, a database whose Discord and Slack
    channels take every story, and the bot run once per cycle against them."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.start = datetime.now(UTC) - timedelta(days=3)
        self.feeds_server = FeedServer()
        self.discord = DiscordServer()
        self.slack = SlackServer()
        self.db_path = workdir / "bot.db"
        self.feeds = workdir / "feeds.yaml"

    async def __aenter__(self) -> Replay:
        await self.feeds_server.start()
        await self.discord.start()
        await self.slack.start()
        db = await Database.open(self.db_path)
        async with db.transaction() as tx:
            for destination in (f"discord:{GUILD_ID}/{CHANNEL_ID}", f"slack:{TEAM_ID}/{CHANNEL}"):
                await ensure_destination(tx, destination, destination.partition(":")[0], 0)
                await subscribe(tx, destination, ["ALL"], [], [])
        await db.close()
        outlets = [f"outlet{n}" for n in range(OUTLETS)]
        urls = [self.feeds_server.url(f"/feed/{name}") for name in outlets]
        write_feeds(self.feeds, [{"id": n, "url": u} for n, u in zip(outlets, urls, strict=True)])
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.slack.stop()
        await self.discord.stop()
        await self.feeds_server.stop()

    async def cycle(self, cycle: int, kill: KillPoint | None = None) -> int:
        """The scenario's `cycle` (0: nothing new), restarted until it completes after a
        kill; returns how many runs it took."""
        if cycle:
            self.feeds_server.feeds.update(feeds_for(cycle, self.start))
        runs, killed = 1, await self._run(kill)
        while killed:
            runs, killed = runs + 1, await self._run(None)
        return runs

    async def pending(self) -> int:
        db = await Database.open(self.db_path)
        try:
            return await pending_count(db)
        finally:
            await db.close()

    def tally(self) -> tuple[Counter[str], Counter[str]]:
        """How many top-level messages and replies each story and development has."""
        top: Counter[str] = Counter()
        replies: Counter[str] = Counter()
        for message in self.discord.top_level(CHANNEL_ID):
            top["discord " + _discord_marker(message)] += 1
            for reply in self.discord.replies_to(message["id"]):
                replies["discord " + _discord_marker(reply)] += 1
        for message in self.slack.top_level(CHANNEL):
            top["slack " + _slack_marker(message)] += 1
            for reply in self.slack.replies_to(message["ts"]):
                replies["slack " + _slack_marker(reply)] += 1
        return top, replies

    async def _run(self, kill: KillPoint | None) -> bool:
        """One `run --once`; returns whether it was killed."""
        extra = {
            "DISCORD_TOKEN": DISCORD_TOKEN,
            "DISCORD_API_BASE": self.discord.api_base,
            "DISCORD_GATEWAY_URL": self.discord.gateway_url,
            "SLACK_BOT_TOKEN": SLACK_BOT_TOKEN,
            "SLACK_APP_TOKEN": SLACK_APP_TOKEN,
            "SLACK_API_URL": self.slack.api_url,
        }
        hung_before = len(self.discord.hung) + len(self.slack.hung)
        if kill is not None and kill.where.startswith("hang:"):
            _, platform, action = kill.where.split(":", 2)
            if platform == "discord":
                self.discord.hang_next[CHANNEL_ID] = [action]
            else:
                self.slack.hang_next[CHANNEL] = [action]
        elif kill is not None:
            extra[VARIABLE] = f"{kill.where}:{kill.occurrence}"
        process = await start_bot("run", "--once", feeds=self.feeds, db=self.db_path,
                                  cwd=self.workdir, **extra)  # fmt: skip
        deadline = time.monotonic() + RUN_SECONDS
        try:
            while process.returncode is None:
                if len(self.discord.hung) + len(self.slack.hung) > hung_before:
                    process.kill()  # the chat server took it and will never answer
                if time.monotonic() > deadline:
                    process.kill()
                    raise TimeoutError("the bot did not finish a cycle in time")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(process.wait(), 0.05)
            _, err = await process.communicate()
        finally:
            self.discord.hang_next.clear()
            self.slack.hang_next.clear()
        if process.returncode not in (0, -signal.SIGKILL):
            raise RuntimeError(f"the bot failed ({process.returncode}): {err.decode()[-2000:]}")
        return process.returncode == -signal.SIGKILL


async def run_point(point: KillPoint | None, workdir: Path) -> Outcome:
    """Replay the scenario, killing the bot once at `point` (None: never), then count."""
    started = time.monotonic()
    async with Replay(workdir) as replay:
        runs, reached = 0, False
        for cycle in range(1, CYCLES + 1):
            kill = point if point is not None and point.cycle == cycle else None
            took = await replay.cycle(cycle, kill)
            runs, reached = runs + took, reached or took > 1
        runs += await replay.cycle(0)  # a quiet cycle
        pending = await replay.pending()
        top, replies = replay.tally()
    doubled = sum(n - 1 for n in (top + replies).values() if n > 1)
    return Outcome(point, reached, pending, doubled, len(top), len(replies), runs,
                   time.monotonic() - started)  # fmt: skip


def judge(outcome: Outcome, reference: Outcome) -> Outcome:
    """Lost: a message or reply the run that was never killed has and this one lacks, or a
    job still waiting."""
    missing = max(0, reference.top_level - outcome.top_level)
    missing += max(0, reference.replies - outcome.replies)
    outcome.lost += missing
    return outcome


def _discord_marker(message: dict[str, object]) -> str:
    embeds = message.get("embeds") or []
    footer = str(embeds[0].get("footer", {}).get("text", "")) if embeds else ""  # type: ignore[index,union-attr]
    found = MARKER.search(footer)
    return found.group(0) if found else f"unmarked {message.get('id')}"


def _slack_marker(message: dict[str, object]) -> str:
    metadata = message.get("metadata") or {}
    payload = metadata.get("event_payload", {}) if isinstance(metadata, dict) else {}
    marker = payload.get("marker") if isinstance(payload, dict) else None
    return str(marker) if marker else f"unmarked {message.get('ts')}"


async def matrix(seed: int, count: int) -> list[Outcome]:
    with tempfile.TemporaryDirectory() as scratch:
        reference = await run_point(None, Path(scratch) / "reference")
        outcomes = [reference]
        for number, point in enumerate(draw(seed, count)):
            workdir = Path(scratch) / f"point{number}"
            workdir.mkdir()
            outcome = judge(await run_point(point, workdir), reference)
            outcomes.append(outcome)
            print(_row(outcome), flush=True)
    return outcomes


def _row(outcome: Outcome) -> str:
    label = outcome.point.label if outcome.point else "reference (never killed)"
    state = "killed" if outcome.reached else "not reached"
    return (f"{label:42} {state:12} top-level {outcome.top_level:2} replies {outcome.replies:2}"
            f" lost {outcome.lost} doubled {outcome.doubled} runs {outcome.runs}"
            f" {outcome.seconds:5.1f} s")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--points", type=int, default=len(every_point()))
    args = parser.parse_args()
    outcomes = asyncio.run(matrix(args.seed, args.points))
    reference, killed = outcomes[0], [o for o in outcomes[1:] if o.reached]
    print(_row(reference))
    lost = sum(o.lost for o in outcomes[1:])
    doubled = sum(o.doubled for o in outcomes[1:])
    print(f"points: {len(outcomes) - 1}, killed: {len(killed)}, lost: {lost}, "
          f"doubled: {doubled}")  # fmt: skip
    return 0 if lost == 0 and doubled == 0 and reference.doubled == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
