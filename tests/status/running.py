"""A real bot (`aiwatch run`, a subprocess) with its status port on, over loopback sources:
a good feed, a good news page and a failing feed. The end-to-end and browser tests share it.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from bot.feeds.schedule import STARTUP_SPREAD, phase
from bot.models import Feed
from tests.bot_process import start_bot, write_feeds
from tests.servers.feeds import FeedItem, FeedServer, make_rss
from tests.servers.pages import PAGE_YAML, make_page

LISTENING = re.compile(r"status page on (http://127\.0\.0\.1:\d+/)")
FAILING_REASON = "HTTP 500"
# Markup to be shown as text, and one unbroken word wider than a phone.
HOSTILE_NAME = "Broken <b>wire</b> & co, " + "https://wire.example/" + "x" * 60


def prompt_id(prefix: str) -> str:
    """A feed id whose start-up slot is 0: the bot polls it in its first second instead of
    somewhere in its first minute (bot.feeds.schedule.first_poll)."""
    for n in itertools.count():
        candidate = f"{prefix}-{n}"
        if phase(Feed(candidate, "https://x.example/")) % STARTUP_SPREAD == 0:
            return candidate
    raise AssertionError("unreachable")


@dataclass
class RunningBot:
    url: str  # the status page, ending in /
    good: str  # the feeds' ids
    page: str
    failing: str
    process: asyncio.subprocess.Process

    async def stop(self) -> int:
        self.process.send_signal(2)  # SIGINT, as Ctrl-C
        await asyncio.wait_for(self.process.communicate(), 15)
        assert self.process.returncode is not None
        return self.process.returncode


async def start_status_bot(feed_server: FeedServer, tmp_path: Path) -> RunningBot:
    """Starts the bot and returns once its first cycle is counted and its alerts are sent."""
    recent = datetime.now(UTC) - timedelta(hours=2)
    news = [FeedItem(f"{name} to train generative AI on UK users' data by default",
                     f"https://news.example.org/{name}", published=recent)
            for name in ("LinkedIn", "Reddit")]  # fmt: skip
    regulator = [FeedItem("Zoom pauses AI training on EU users' calls after regulator request",
                          "https://dpc.example/zoom", published=recent)]  # fmt: skip
    feed_server.feeds["news"] = make_rss(news)
    feed_server.pages["dpc"] = (make_page(regulator), "text/html; charset=utf-8")
    good, page, failing = prompt_id("news"), prompt_id("dpc"), prompt_id("broken")
    feeds = write_feeds(tmp_path / "feeds.yaml", [
        {"id": good, "url": feed_server.url("/feed/news"), "kind": "news"},
        {"id": page, "url": feed_server.url("/page/dpc"), "type": "page", "kind": "regulator",
         "region": "IE", "language": "en", "page": PAGE_YAML},
        {"id": failing, "name": HOSTILE_NAME, "url": feed_server.url("/status/500")},
    ])  # fmt: skip
    process = await start_bot("run", feeds=feeds, db=tmp_path / "bot.db", cwd=tmp_path,
                              AIWATCH_STATUS_PORT="0")  # fmt: skip
    assert process.stderr is not None
    seen = ""
    while not (found := LISTENING.search(seen)):
        line = await asyncio.wait_for(process.stderr.readline(), 60)
        assert line, f"the bot exited before serving its status page:\n{seen}"
        seen += line.decode()
    bot = RunningBot(found.group(1), good, page, failing, process)
    await _wait_for_first_cycle(bot.url)
    return bot


async def scrape(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    async with aiohttp.ClientSession() as session, session.get(url + "metrics") as answer:
        text = await answer.text()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def _wait_for_first_cycle(url: str) -> None:
    """Until the three polls are counted and three alerts went to the console."""
    polls = ("aiwatch_polls_total", (("result", "200"),))
    errors = ("aiwatch_polls_total", (("result", "error"),))
    sent = ("aiwatch_deliveries_total", (("platform", "console"), ("result", "ok")))
    async with asyncio.timeout(60):
        while True:
            found = await scrape(url)
            if found[polls] >= 2 and found[errors] >= 1 and found[sent] >= 3:
                return
            await asyncio.sleep(0.2)
