"""One placement loop: `run`'s judging stage and `aiwatch classify`/`stories` give the same
verdicts and the same stories for the same reports, undated ones and feed kinds included."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.batch import InputItem, judge_in_order
from bot.classify import Classifier, ItemText
from bot.judging import judge_pending
from bot.models import Entry, Feed
from bot.settings import Config
from bot.storage import Database
from bot.storage.items import NewEntry, store_entries
from tests.conftest import CONFIG_DIR, ROOT

START = datetime(2024, 6, 14, 9, tzinfo=UTC)
REPORTS = (  # (feed, hours after START or None for undated, title)
    ("press", 0, "Meta pauses plans to train AI on EU users' data after Irish DPC request"),
    ("dpc", 3, "DPC welcomes Meta's decision to pause AI training on EU users' data"),
    ("press", 5, "Meta halts AI training on Europeans' Facebook and Instagram posts"),
    ("press", None, "Meta updates its privacy policy again"),
    ("press", 30, "UK's ICO asks Meta to pause AI training on UK users' posts too"),
    ("press", 31, "Apple unveils a new iPad"),
)
FEEDS = {
    "press": Feed("press", "https://press.example/feed", kind="news"),
    "dpc": Feed("dpc", "https://dpc.example/feed", kind="regulator", region="IE"),
}


def _published(hours: int | None) -> datetime | None:
    return None if hours is None else START + timedelta(hours=hours)


async def _run_stage(config: Config, db_path: Path) -> tuple[list[bool], list[set[int]]]:
    """Verdicts and stories (as sets of report numbers) from `run`'s judging stage."""
    db = await Database.open(db_path)
    now = int((START + timedelta(days=2)).timestamp())
    async with db.transaction() as tx:
        entries = [
            NewEntry(feed, Entry(f"k{n}", f"https://x.example/{n}", title, "",
                                 _published(hours), "en"), alertable=True)
            for n, (feed, hours, title) in enumerate(REPORTS)
        ]  # fmt: skip
        await store_entries(tx, entries, now)
    classifier = Classifier(config.rules, config.platforms, config.regions)
    await judge_pending(db, classifier, FEEDS, config.regions, now)
    rows = await db.fetch_all("SELECT link, relevant, story_id FROM items")
    await db.close()
    by_number = {
        int(r["link"].rsplit("/", 1)[1]): (bool(r["relevant"]), r["story_id"]) for r in rows
    }
    return _shape([by_number[n] for n in range(len(REPORTS))])


def _offline(config: Config) -> tuple[list[bool], list[set[int]]]:
    items = [
        InputItem(n, ItemText(title, "", feed_region=FEEDS[feed].region,
                              feed_kind=FEEDS[feed].kind, feed_name=FEEDS[feed].label),
                  _published(hours))
        for n, (feed, hours, title) in enumerate(REPORTS)
    ]  # fmt: skip
    classifier = Classifier(config.rules, config.platforms, config.regions)
    placed = judge_in_order(items, classifier).placed
    return _shape([(p.judgement.relevant, p.story_id) for p in placed])


def _shape(found: list[tuple[bool, int | None]]) -> tuple[list[bool], list[set[int]]]:
    stories: dict[int, set[int]] = {}
    for number, (_, story) in enumerate(found):
        if story is not None:
            stories.setdefault(story, set()).add(number)
    return [relevant for relevant, _ in found], sorted(stories.values(), key=min)


async def test_run_and_the_offline_commands_place_reports_alike(config: Config, tmp_path: Path):
    online = await _run_stage(config, tmp_path / "bot.db")
    offline = _offline(config)
    assert online == offline
    relevant, stories = online
    assert relevant[-1] is False  # the iPad
    assert {0, 1, 2} <= next(s for s in stories if 0 in s)


def test_classify_weighs_the_feed_kind_it_is_given():
    item = {"id": 1, "title": "Statement on Meta's plans for AI training", "feed_kind": "regulator",
            "source": "DPC"}  # fmt: skip
    verdict = _classify([item, {**item, "id": 2, "feed_kind": None}])
    assert any("from a regulator feed" in reason for reason in verdict[0]["reasons"])
    assert not any("from a" in reason for reason in verdict[1]["reasons"])


def test_an_unknown_feed_kind_is_a_clear_error():
    done = subprocess.run(
        [sys.executable, "-m", "bot", "classify", "--config", str(CONFIG_DIR)],
        input=json.dumps({"id": 1, "title": "x", "feed_kind": "blog"}), capture_output=True,
        text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "stdin line 1: unknown feed_kind 'blog'" in done.stderr


def _classify(items: list[dict[str, object]]) -> list[dict[str, list[str]]]:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "classify", "--config", str(CONFIG_DIR)],
        input="\n".join(json.dumps(i) for i in items), capture_output=True, text=True, cwd=ROOT,
        check=True,
    )  # fmt: skip
    return [json.loads(line) for line in done.stdout.splitlines()]
