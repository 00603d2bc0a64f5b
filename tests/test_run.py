"""`aiwatch run` as a real subprocess against the loopback feed server."""

from __future__ import annotations

import asyncio
import itertools
import json
import signal
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.feeds.schedule import first_poll
from bot.models import Feed
from bot.settings import Config
from tests.bot_process import peak_mb, start_bot, write_feeds
from tests.servers.feeds import FeedItem, FeedServer, dead_port, make_rss

pytestmark = pytest.mark.slow
RECENT = datetime.now(UTC) - timedelta(hours=2)


PLATFORMS = ["LinkedIn", "Reddit", "Zoom", "Slack", "Tumblr", "Quora", "Figma", "Udemy"]


def relevant_items(prefix: str, count: int, first: int = 0) -> list[FeedItem]:
    """Distinct events: each item is about another platform, so each is its own story."""
    return [
        FeedItem(
            title=f"{prefix} {i}: {PLATFORMS[first + i]} to train generative AI on UK users'"
            " data by default",
            link=f"https://news.example.org/{prefix}/{i}",
            summary="Users must switch off the setting to opt out.",
            published=RECENT,
        )
        for i in range(count)
    ]


def noise(prefix: str) -> FeedItem:
    return FeedItem(f"{prefix}: regulator fines shop over cookie banners",
                    f"https://news.example.org/{prefix}/cookies", published=RECENT)  # fmt: skip


def json_lines(text: bytes) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.decode().splitlines() if line.startswith("{")]


async def test_bad_feeds_are_reported_and_good_ones_alerted(
    feed_server: FeedServer, tmp_path: Path
):
    """One --once run over every kind of broken feed plus good ones: good entries alerted,
    each bad feed reported with a reason, within 60 s and 300 MB."""
    feed_server.feeds["good1"] = make_rss([*relevant_items("g1", 3), noise("g1")])
    feed_server.feeds["good2"] = make_rss(relevant_items("g2", 2, first=3))
    port = dead_port()
    bad = {
        "drip": "/drip", "huge": "/huge", "bomb": "/bomb", "loop": "/loop/0",
        "error500": "/status/500", "missing": "/status/404", "limited": "/status/429",
        "html": "/html", "garbage": "/garbage",
    }  # fmt: skip
    feeds = [
        {"id": "good1", "url": feed_server.url("/feed/good1"), "region": "UK"},
        {"id": "good2", "url": feed_server.url("/gzip/good2")},
        *({"id": k, "url": feed_server.url(v)} for k, v in bad.items()),
        {"id": "dead", "url": f"http://127.0.0.1:{port}/feed"},
    ]
    feeds_file = write_feeds(tmp_path / "feeds.yaml", feeds)
    db = tmp_path / "bot.db"
    started = time.monotonic()
    proc = await start_bot(
        "run", "--once", "--json", feeds=feeds_file, db=db, cwd=tmp_path, report_peak=True
    )
    out, err = await asyncio.wait_for(proc.communicate(), 90)
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, err.decode()
    assert elapsed < 60
    assert peak_mb(err) < 300
    alerts = json_lines(out)
    titles = sorted(str(a["title"]) for a in alerts)
    assert len(alerts) == 5, titles
    assert all("cookie" not in t for t in titles)

    health = await start_bot("feeds", feeds=feeds_file, db=db, cwd=tmp_path)
    report, _ = await health.communicate()
    text = report.decode()
    expected = {
        "drip": "no complete answer within 20 seconds",
        "huge": "larger than the 5.0 MB limit",
        "bomb": "once decompressed",
        "loop": "redirect loop",
        "error500": "HTTP 500",
        "missing": "HTTP 404",
        "limited": "wait 1.0 hours",
        "html": "HTML page, not a feed",
        "garbage": "not an RSS or Atom feed",
        "dead": "connection refused",
    }
    for feed_id, reason in expected.items():
        line = next(line for line in text.splitlines() if line.startswith(f"{feed_id}:"))
        assert "FAILING" in line
        assert reason in line, line
    assert "good1: ok" in text
    assert "2 fine, 10 failing" in text


async def test_items_in_a_language_not_read_are_counted_not_dropped(
    feed_server: FeedServer, tmp_path: Path
):
    """A feed that names no language mixes them: entries in a language the classifier has
    no terms for are stored and counted as not understood in `aiwatch feeds`."""
    turkish = [
        FeedItem(f"Meta, yapay zekâsını Türkiye'deki kullanıcıların paylaşımlarıyla eğitecek {i}",
                 f"https://news.example.org/tr/{i}", published=RECENT)
        for i in range(2)
    ]  # fmt: skip
    feed_server.feeds["mixed"] = make_rss([*turkish, *relevant_items("en", 1)])
    feeds_file = write_feeds(tmp_path / "feeds.yaml",
                             [{"id": "mixed", "url": feed_server.url("/feed/mixed")}])  # fmt: skip
    db = tmp_path / "bot.db"
    run = await start_bot("run", "--once", "--json", feeds=feeds_file, db=db, cwd=tmp_path)
    out, err = await asyncio.wait_for(run.communicate(), 90)
    assert run.returncode == 0, err.decode()
    assert len(json_lines(out)) == 1
    health = await start_bot("feeds", feeds=feeds_file, db=db, cwd=tmp_path)
    report, _ = await health.communicate()
    assert "3 entries read in all; 2 items not understood (tr 2)" in report.decode()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM items").fetchone()[0] == 3


async def test_killed_mid_cycle_then_restarted_alerts_each_story_once(
    feed_server: FeedServer, tmp_path: Path
):
    """SIGKILL while one feed is still being fetched; the restart alerts only what was left."""
    feed_server.feeds["fast1"] = make_rss(relevant_items("f1", 3))
    feed_server.feeds["fast2"] = make_rss([*relevant_items("f2", 2, 3), *relevant_items("f1", 1)])
    feed_server.feeds["held"] = make_rss([*relevant_items("h", 2, 5), *relevant_items("f2", 1, 3)])
    feeds_file = write_feeds(
        tmp_path / "feeds.yaml",
        [
            {"id": "fast1", "url": feed_server.url("/feed/fast1")},
            {"id": "fast2", "url": feed_server.url("/feed/fast2")},
            {"id": "held", "url": feed_server.url("/hold/held")},
        ],
    )
    db = tmp_path / "bot.db"
    first = await start_bot("run", "--once", "--json", feeds=feeds_file, db=db, cwd=tmp_path)
    assert first.stdout is not None
    seen = []
    while len(seen) < 5:
        line = await asyncio.wait_for(first.stdout.readline(), 30)
        seen.append(json.loads(line))
    await _wait_for_delivered(db, 5)
    assert feed_server.hits["/hold/held"] == 1  # the cycle is still waiting on this feed
    first.send_signal(signal.SIGKILL)
    await first.wait()

    feed_server.release.set()
    second = await start_bot("run", "--once", "--json", feeds=feeds_file, db=db, cwd=tmp_path)
    out, err = await asyncio.wait_for(second.communicate(), 60)
    assert second.returncode == 0, err.decode()
    titles = [str(a["title"]) for a in seen + json_lines(out)]
    assert sorted(titles) == sorted(set(titles))
    assert len(titles) == 7  # 3 + 2 from the fast feeds, 2 only the held feed carried


async def _wait_for_delivered(db: Path, count: int) -> None:
    for _ in range(100):
        with sqlite3.connect(db) as raw:
            done = raw.execute("SELECT count(*) FROM outbox WHERE state = 'done'").fetchone()[0]
        if done >= count:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the first run never marked its alerts delivered")


async def test_ctrl_c_stops_within_two_seconds_and_failures_are_reported_once(tmp_path: Path):
    """With nothing reachable the bot keeps running, says once why each feed failed, and
    stops cleanly on SIGINT."""
    ids = _polled_first(3)
    feeds_file = write_feeds(
        tmp_path / "feeds.yaml",
        [{"id": feed_id, "url": f"http://127.0.0.1:{dead_port()}/f"} for feed_id in ids],
    )
    proc = await start_bot("run", feeds=feeds_file, db=tmp_path / "bot.db", cwd=tmp_path)
    assert proc.stderr is not None
    log: list[str] = []
    while sum("failed" in line for line in log) < 3:
        log.append((await asyncio.wait_for(proc.stderr.readline(), 90)).decode())
    await asyncio.sleep(1.5)  # still running, not retrying in a tight loop
    assert proc.returncode is None
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, rest = await asyncio.wait_for(proc.communicate(), 10)
    assert time.monotonic() - started < 2
    assert proc.returncode == 0
    text = "".join(log) + rest.decode()
    for feed_id in ids:
        assert text.count(f"feed {feed_id} failed: connection refused") == 1


def _polled_first(count: int) -> list[str]:
    """Feed ids whose first poll falls in the first seconds of the start-up spread
    (bot.feeds.schedule.first_poll), so the test need not wait out its minute."""
    names = (f"offline{n}" for n in itertools.count())
    early = (name for name in names if first_poll(Feed(name, "http://x.example/"), 0) < 3)
    return list(itertools.islice(early, count))


async def test_since_stores_old_items_without_alerting(feed_server: FeedServer, tmp_path: Path):
    """Items published before --since are stored and judged but never alerted."""
    old = FeedItem("LinkedIn to train AI on UK members' data", "https://n.example/old",
                   published=datetime(2026, 1, 5, tzinfo=UTC))  # fmt: skip
    new = FeedItem("Meta to train AI on EU users' posts", "https://n.example/new",
                   published=datetime(2026, 3, 5, tzinfo=UTC))  # fmt: skip
    feed_server.feeds["f"] = make_rss([old, new])
    feeds_file = write_feeds(tmp_path / "f.yaml", [{"id": "f", "url": feed_server.url("/feed/f")}])
    db = tmp_path / "bot.db"
    proc = await start_bot(
        "run", "--once", "--json", "--since", "2026-02-01", feeds=feeds_file, db=db, cwd=tmp_path
    )
    out, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    assert [a["title"] for a in json_lines(out)] == [new.title]
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT count(*) FROM items WHERE relevant = 1").fetchone()[0] == 2


async def test_json_lines_follow_the_contract(feed_server: FeedServer, tmp_path: Path):
    """Each --json line has exactly the contract's keys and types."""
    feed_server.feeds["f"] = make_rss(relevant_items("j", 1))
    feeds_file = write_feeds(tmp_path / "f.yaml", [{"id": "f", "url": feed_server.url("/feed/f")}])
    proc = await start_bot("run", "--once", "--json", feeds=feeds_file, db=tmp_path / "b.db",
                           cwd=tmp_path)  # fmt: skip
    out, _ = await proc.communicate()
    (alert,) = json_lines(out)
    assert set(alert) == {"action", "story", "title", "event", "platforms", "regions", "links"}
    assert alert["action"] == "post"
    assert alert["platforms"] == ["linkedin"]
    assert alert["regions"] == ["UK"]
    assert alert["links"] == ["https://news.example.org/j/0"]


async def test_bad_since_and_bad_config_exit_2(tmp_path: Path):
    """Bad input exits 2 with a one-line error naming the argument or file."""
    feeds_file = write_feeds(tmp_path / "f.yaml", [{"id": "f", "url": "gopher://x"}])
    proc = await start_bot("run", "--once", feeds=feeds_file, db=tmp_path / "b.db", cwd=tmp_path)
    _, err = await proc.communicate()
    assert proc.returncode == 2
    assert f"{feeds_file}: entry #1 (f), field 'url'" in err.decode()
    good = write_feeds(tmp_path / "g.yaml", [{"id": "f", "url": "http://127.0.0.1:9/"}])
    proc = await start_bot("run", "--since", "yesterday", feeds=good, db=tmp_path / "b.db",
                           cwd=tmp_path)  # fmt: skip
    _, err = await proc.communicate()
    assert proc.returncode == 2
    assert "--since 'yesterday'" in err.decode()


def test_feed_fixture_types(config: Config):
    """The shipped feeds are all http(s) with known kinds (guards the contract format)."""
    assert all(isinstance(f, Feed) and f.url.startswith("http") for f in config.feeds)


async def test_five_outlets_in_one_cycle_make_one_post_with_every_link(
    feed_server: FeedServer, tmp_path: Path
):
    """One event in five feeds of one cycle: the updates fold into the one post, which shows
    every outlet's link; a second cycle with nothing new sends nothing."""
    headlines = [
        "Meta pauses plans to train AI on EU users' data after Irish DPC request",
        "Meta halts AI training on Europeans' Facebook and Instagram posts",
        "Facebook owner delays use of EU users' data for AI after regulator pushback",
        "Meta puts AI training on Europeans' posts on hold; DPC welcomes the pause",
        "Why Meta paused training its AI models on European users' posts",
    ]
    feeds = []
    for n, title in enumerate(headlines):
        link = f"https://outlet{n}.example/meta-pause"
        feed_server.feeds[f"o{n}"] = make_rss([FeedItem(title, link, published=RECENT)])
        feeds.append({"id": f"outlet{n}", "url": feed_server.url(f"/feed/o{n}")})
    feeds_file = write_feeds(tmp_path / "f.yaml", feeds)
    proc = await start_bot("run", "--once", "--json", feeds=feeds_file, db=tmp_path / "b.db",
                           cwd=tmp_path)  # fmt: skip
    out, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    (post,) = json_lines(out)
    assert post["action"] == "post"
    assert len(post["links"]) == 5  # type: ignore[arg-type]
    again = await start_bot("run", "--once", "--json", feeds=feeds_file, db=tmp_path / "b.db",
                            cwd=tmp_path)  # fmt: skip
    out, err = await again.communicate()
    assert again.returncode == 0, err.decode()
    assert json_lines(out) == []


async def test_regulator_notice_is_listed_first(feed_server: FeedServer, tmp_path: Path):
    """A regulator's own notice leads the sources even when the press reported first."""
    press = FeedItem("Meta pauses plans to train AI on EU users' data", "https://press.example/1",
                     published=RECENT - timedelta(hours=3))  # fmt: skip
    notice = FeedItem("DPC statement: Meta pauses training AI on EU users' posts",
                      "https://dpc.example/statement", published=RECENT)  # fmt: skip
    feed_server.feeds["press"] = make_rss([press])
    feed_server.feeds["dpc"] = make_rss([notice])
    press_feed = {"id": "press", "url": feed_server.url("/feed/press"), "kind": "news"}
    dpc_feed = {"id": "dpc", "url": feed_server.url("/feed/dpc"), "kind": "regulator"}
    db = tmp_path / "b.db"
    outputs = []
    for name, feeds in (("one", [press_feed]), ("two", [press_feed, dpc_feed])):
        feeds_file = write_feeds(tmp_path / f"{name}.yaml", feeds)
        proc = await start_bot("run", "--once", "--json", feeds=feeds_file, db=db, cwd=tmp_path)
        out, err = await proc.communicate()
        assert proc.returncode == 0, err.decode()
        outputs.append(json_lines(out))
    (post,) = outputs[0]
    (update,) = outputs[1]
    assert post["links"] == [press.link]
    assert update["action"] == "update"
    assert update["story"] == post["story"]
    assert update["links"] == [notice.link, press.link]


META_PAUSE = [
    "Meta pauses plans to train AI on EU users' data after Irish DPC request",
    "Irish DPC welcomes Meta's decision to pause AI training on EU users' posts",
    "Meta halts AI training on Europeans' Facebook and Instagram posts",
]
META_UK = "UK's ICO asks Meta to pause AI training on UK users' posts too"


async def _cycles(feed_server: FeedServer, tmp_path: Path, name: str, *flags: str
                  ) -> list[bytes]:  # fmt: skip
    """Two `run --once` cycles: Meta's EU pause from three outlets, then the UK newly
    affected, a development. Returns what each cycle printed."""
    start = datetime.now(UTC) - timedelta(days=2)
    first = [FeedItem(t, f"https://o{n}.example/{name}", published=start + timedelta(hours=n))
             for n, t in enumerate(META_PAUSE)]  # fmt: skip
    later = FeedItem(META_UK, f"https://o9.example/{name}", published=start + timedelta(days=1))
    feeds = write_feeds(tmp_path / f"{name}.yaml",
                        [{"id": name, "url": feed_server.url(f"/feed/{name}")}])  # fmt: skip
    printed = []
    for items in (first, [*first, later]):
        feed_server.feeds[name] = make_rss(reversed(items))
        proc = await start_bot("run", "--once", *flags, feeds=feeds, db=tmp_path / f"{name}.db",
                               cwd=tmp_path)  # fmt: skip
        out, err = await proc.communicate()
        assert proc.returncode == 0, err.decode()
        printed.append(out)
    return printed


async def test_a_development_is_told_after_the_update_of_its_story(
    feed_server: FeedServer, tmp_path: Path
):
    """DESIGN.md's --json contract: a development is one more line after its story's update;
    the text console prints it as [DEVELOPMENT]."""
    first, second = await _cycles(feed_server, tmp_path, "json", "--json")
    (post,) = json_lines(first)
    update, development = json_lines(second)
    assert post["action"] == "post"
    assert (update["action"], development["action"]) == ("update", "development")
    assert update["story"] == development["story"] == post["story"]
    assert development["development"] == {
        "event": "pause",
        "regions": ["UK"],
        "title": META_UK,
        "links": ["https://o9.example/json"],
    }
    _, text = await _cycles(feed_server, tmp_path, "text")
    assert text.decode().count("[DEVELOPMENT] story") == 1
    assert "timeline: " in text.decode()
