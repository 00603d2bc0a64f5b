"""The status server on 127.0.0.1 over a real SQLite file, asked as a browser, Docker's
healthcheck and Prometheus would ask it."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from bot.models import Entry, Feed, FeedState, PageSelectors
from bot.redaction import keep_secret
from bot.status.checks import Liveness
from bot.status.metrics import Metrics
from bot.status.server import StatusSources, serve_status
from bot.storage import Database
from bot.storage.destinations import note_delivery_failure
from bot.storage.feeds import save_feed_states
from bot.storage.items import NewEntry, store_entries
from bot.storage.platforms import mark_platform_stopped
from tests.conftest import ROOT
from tests.servers.feeds import dead_port
from tests.status.helpers import add_destination, add_job, add_story, mark_done
from tests.status.test_checks import Clock

NOW = 1_800_000_000
TOKEN = "xoxb-0000-secret-token"  # noqa: S105 (a fake, to see that it is redacted)
HOSTILE = "<script>alert('x')</script> & <b>bold</b>"
FEEDS = (
    Feed("ico", "https://ico.example/feed", name="ICO <i>news</i>", kind="regulator"),
    Feed("broken", "https://broken.example/feed", kind="news"),
    Feed("dpc", "https://dpc.example/news", kind="regulator", page=PageSelectors("article")),
)


@dataclass
class Status:
    url: str
    clock: Clock
    db: Database
    session: aiohttp.ClientSession

    async def get(self, path: str) -> tuple[int, dict[str, str], str]:
        async with self.session.get(self.url + path) as answer:
            return answer.status, dict(answer.headers), await answer.text()


@pytest.fixture
async def status(db_path: Path) -> AsyncIterator[Status]:
    keep_secret(TOKEN)  # as reading it from the environment does
    db = await Database.open(db_path)
    clock = Clock(NOW)
    await _fill(db)
    sources = StatusSources(db=db, feeds=FEEDS, languages=frozenset({"en"}),
                            liveness=Liveness(clock), metrics=Metrics(["console"]),
                            kinds=lambda: ["console"], clock=clock)  # fmt: skip
    runner = await serve_status(sources, "127.0.0.1", 0)
    host, port = runner.addresses[0][:2]
    async with aiohttp.ClientSession() as session:
        yield Status(f"http://{host}:{port}", clock, db, session)
    await runner.cleanup()
    await db.close()


async def _fill(db: Database) -> None:
    """A fine feed with items in a language not read, a failing one whose error carries
    markup and a token, a page not polled yet; a stopped destination; a hostile story."""
    states = [
        FeedState("ico", first_polled_at=NOW - 7200, last_fetch_at=NOW - 600, last_status=200,
                  next_poll_at=NOW + 3000, last_success_at=NOW - 600),
        FeedState("broken", first_polled_at=NOW - 7200, last_fetch_at=NOW - 60, last_status=500,
                  failures=4, last_error=f"HTTP 500 {HOSTILE} token={TOKEN}",
                  next_poll_at=NOW + 7200, last_success_at=NOW - 7200),
    ]  # fmt: skip
    published = datetime.fromtimestamp(NOW - 3600, UTC)
    finnish = [Entry(f"k{n}", f"https://ico.example/{n}", "Uutinen", "", published, "fi")
               for n in range(2)]  # fmt: skip
    entries = [NewEntry("ico", entry, alertable=True) for entry in finnish]
    async with db.transaction() as tx:
        await save_feed_states(tx, states)
        await store_entries(tx, entries, NOW)
    await add_destination(db, "console:stdout", "console")
    await add_destination(db, "slack:T1/C9", "slack", stopped=f"channel_not_found {HOSTILE}")
    story = await add_story(db, f"Meta {HOSTILE}", at=NOW - 300, link="javascript:alert(1)")
    await add_job(db, "console:stdout", story, due=NOW - 300)
    await mark_done(db, "console:stdout", story)
    await add_job(db, "slack:T1/C9", story, due=NOW - 300, error="channel_not_found")


def _card(page: str, attribute: str, end: str = "</li>") -> str:
    start = page.index(attribute)
    return page[start : page.index(end, start) + len(end)]


async def test_the_page_marks_failing_things_in_words_and_escapes_what_came_from_outside(
    status: Status,
):
    """FAILING and STOPPED with their reasons; feed, error and story text shown as text;
    the token redacted; no script anywhere; a javascript: link is not a link."""
    code, headers, page = await status.get("/")
    assert code == 200
    assert headers["Content-Type"].startswith("text/html")
    assert "script-src" not in headers["Content-Security-Policy"]  # default-src 'none'
    assert "<script" not in page
    assert TOKEN not in page
    broken = _card(page, "data-source='broken'")
    assert "FAILING" in broken
    assert "HTTP 500 &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;" in broken
    assert "token=***" in broken
    assert "<dt>failures in a row</dt><dd>4</dd>" in broken
    ico = _card(page, "data-source='ico'")
    assert "OK" in ico
    assert "ICO &lt;i&gt;news&lt;/i&gt;" in ico
    assert "2 items not understood (fi 2)" in ico
    dpc = _card(page, "data-source='dpc'")
    assert "NOT POLLED YET" in dpc
    assert "regulator news page" in dpc
    slack = _card(page, "data-destination='slack:T1/C9'")
    assert "STOPPED" in slack
    assert "channel_not_found &lt;script&gt;" in slack
    assert "1 (held until it is fixed)" in slack
    assert "Meta &lt;script&gt;" in page
    assert "href='javascript" not in page
    assert "console:stdout: sent, slack:T1/C9: waiting (last error: channel_not_found)" in page
    assert '<meta http-equiv=refresh content="30">' in page
    assert page.index("data-source='broken'") < page.index("data-source='ico'")


async def test_a_failing_channel_and_a_platform_stopped_by_its_token_stand_out(status: Status):
    """A channel retried after failures is FAILING with its tries and reason; every channel
    of a platform that refused the bot's token is STOPPED with what to do."""
    await add_destination(status.db, "discord:1/2", "discord")
    await add_destination(status.db, "slack:T1/C2", "slack")
    async with status.db.transaction() as tx:
        for reason in ("no answer from Discord (TimeoutError)", "Discord answered 503: down"):
            await note_delivery_failure(tx, "discord:1/2", reason, NOW - 60)
        await mark_platform_stopped(tx, "slack", "Slack refused the bot token (token_revoked):"
                                    " reinstall the app", NOW - 30)  # fmt: skip
    _, _, page = await status.get("/")

    discord = _card(page, "data-destination='discord:1/2'")
    assert "FAILING" in discord
    assert "retrying after 2 failed tries in a row: Discord answered 503: down" in discord
    slack = _card(page, "data-destination='slack:T1/C2'")
    assert "STOPPED" in slack
    assert "Slack stopped: Slack refused the bot token (token_revoked): reinstall the app" in slack
    assert "2 stopped, 1 failing" in page  # slack:T1/C9 was stopped already


async def test_healthz_is_ok_then_names_the_reason_when_the_loop_goes_quiet(status: Status):
    """200 and {"status": "ok"} while the loop progresses; 503 and the reason past twice the
    shortest interval (60 minutes here)."""
    code, headers, body = await status.get("/healthz")
    answer = json.loads(body)
    assert (code, answer["status"]) == (200, "ok")
    assert headers["Content-Type"].startswith("application/json")
    assert answer["outbox_pending"] == 1
    status.clock.now = NOW + 7201
    code, _, body = await status.get("/healthz")
    answer = json.loads(body)
    assert (code, answer["status"]) == (503, "unhealthy")
    assert answer["reason"] == (
        "the poll loop has not completed a cycle for 2.0 hours (expected within 2.0 hours)"
    )
    _, _, page = await status.get("/")
    assert "UNHEALTHY</span> the poll loop has not completed a cycle" in page


async def test_metrics_are_prometheus_text_with_aiwatch_names(status: Status):
    """The exposition parses with prometheus-client's parser; every family is aiwatch_."""
    code, headers, body = await status.get("/metrics")
    assert code == 200
    assert headers["Content-Type"].startswith("text/plain; version=0.0.4")
    families = {f.name: f for f in text_string_to_metric_families(body)}
    assert all(name.startswith("aiwatch_") for name in families)
    assert families["aiwatch_outbox_pending_jobs"].samples[0].value == 1
    assert families["aiwatch_outbox_oldest_job_age_seconds"].samples[0].value == 300


async def test_a_story_sent_to_many_destinations_is_counted_not_listed(status: Status):
    """Past eight destinations the page gives counts and names only those not reached."""
    story = await add_story(status.db, "Many channels", at=NOW)
    for n in range(12):
        await add_destination(status.db, f"discord:1/{n}", "discord")
        await add_job(status.db, f"discord:1/{n}", story, due=NOW)
        if n >= 2:
            await mark_done(status.db, f"discord:1/{n}", story)
    _, _, page = await status.get("/")
    card = _card(page, f"data-story='{story}'", end="</div></li>")
    assert "Went to: 10 sent, 2 waiting. discord:1/0: waiting, discord:1/1: waiting</div>" in card


async def test_the_compose_healthcheck_passes_on_200_and_fails_on_503(status: Status):
    """docker-compose.yml's own command, run against this server: exit 0 while healthy,
    non-zero once /healthz answers 503, and non-zero with nothing listening."""
    command = _compose_healthcheck()
    port = status.url.rsplit(":", 1)[1]
    assert await _exit_code(command, port) == 0
    status.clock.now = NOW + 7201
    assert await _exit_code(command, port) != 0
    assert await _exit_code(command, str(dead_port())) != 0


def _compose_healthcheck() -> list[str]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    test = compose["services"]["aiwatch"]["healthcheck"]["test"]
    assert test[:2] == ["CMD", "python"]
    return [sys.executable, *test[2:]]


async def _exit_code(command: list[str], port: str) -> int:
    """Run it as the container would, with the status port in its environment."""
    process = await asyncio.create_subprocess_exec(
        *command, env={"AIWATCH_STATUS_PORT": port, "PATH": os.environ.get("PATH", "")},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    return await asyncio.wait_for(process.wait(), 30)
