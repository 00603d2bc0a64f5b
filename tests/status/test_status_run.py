"""`aiwatch run` with AIWATCH_STATUS_PORT, one of its loopback feeds failing: /healthz,
/metrics and the page as an operator's tools read them."""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp
import pytest

from bot import __version__
from tests.servers.feeds import FeedServer
from tests.status.running import FAILING_REASON, scrape, start_status_bot

pytestmark = pytest.mark.slow


async def test_a_running_bot_serves_its_health_metrics_and_status_page(
    feed_server: FeedServer, tmp_path: Path
):
    """One failing feed does not make the bot unhealthy: the page shows it failing with its
    reason, the metrics count its poll as an error, and the good sources' alerts went out."""
    bot = await start_status_bot(feed_server, tmp_path)
    async with aiohttp.ClientSession() as session:
        async with session.get(bot.url + "healthz") as answer:
            health = json.loads(await answer.text())
            assert answer.status == 200
        async with session.get(bot.url) as answer:
            assert answer.status == 200
            page = await answer.text()
    assert health["status"] == "ok"
    assert health["version"] == __version__
    assert health["outbox_pending"] == 0

    found = await scrape(bot.url)
    assert found[("aiwatch_polls_total", (("result", "200"),))] == 2
    assert found[("aiwatch_polls_total", (("result", "error"),))] == 1
    assert found[("aiwatch_items_stored_total", ())] == 3
    assert found[("aiwatch_judgements_total", (("verdict", "relevant"),))] == 3
    assert found[("aiwatch_stories_total", ())] == 3
    assert found[("aiwatch_outbox_pending_jobs", ())] == 0
    assert found[("aiwatch_cycle_duration_seconds_count", ())] >= 1
    assert ("aiwatch_event_loop_lag_seconds", ()) in found

    failing = page[page.index(f"data-source='{bot.failing}'") :]
    failing = failing[: failing.index("</li>")]
    assert "FAILING" in failing
    assert FAILING_REASON in failing
    assert "Broken &lt;b&gt;wire&lt;/b&gt; &amp; co, https://wire.example/xxx" in failing
    assert f"data-source='{bot.page}'><span class=tag>OK</span>" in page
    assert "regulator news page" in page
    assert page.count("console:stdout: sent") == 3
    assert "1 failing" in page
    assert await bot.stop() == 0
