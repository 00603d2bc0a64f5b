"""Each command, permission case and wrong input, through a real database file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from bot.commands import Asker, CommandCall, Commands, parse_call
from bot.models import Entry, FeedState
from bot.optout.guide import Guide
from bot.settings import Config
from bot.storage import Database
from bot.storage.destinations import ensure_destination, mark_destination_unhealthy
from bot.storage.feeds import save_feed_states
from bot.storage.items import NewEntry, store_entries
from bot.storage.stories import StoredStory, create_story
from bot.stories import StorySignature
from bot.subscriptions import load_route

CHANNEL = "discord:100/200"
MANAGER = Asker(CHANNEL, can_manage=True, user="mod")
MEMBER = Asker(CHANNEL, can_manage=False, user="member")


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(db_path)
    yield database
    await database.close()


@pytest.fixture
def commands(db: Database, config: Config) -> Commands:
    guide = Guide(config.optout, config.platforms, config.regions, today=lambda: date(2026, 1, 1))
    return Commands(db, config, guide, clock=lambda: 1_700_000_000)


async def test_a_manager_subscribes_and_the_rows_are_stored(commands: Commands, db: Database):
    reply = await commands.subscribe(MANAGER, "UK, EU", "linkedin,fb", "pause")
    assert reply.ok
    assert not reply.private
    route = await load_route(db, CHANNEL)
    assert route is not None
    assert route.regions == ("UK", "EU") or set(route.regions) == {"UK", "EU"}
    assert {s.platforms for s in route.subscriptions} == {frozenset({"linkedin", "meta"})}
    assert "linkedin" in (await commands.subscriptions(MEMBER)).text


async def test_a_member_cannot_change_subscriptions_but_can_read(commands: Commands, db: Database):
    for attempt in (
        commands.subscribe(MEMBER, "UK"),
        commands.unsubscribe(MEMBER, "UK"),
        commands.digest(MEMBER, "8"),
    ):
        reply = await attempt
        assert not reply.ok
        assert "Manage Server" in reply.text
    assert await load_route(db, CHANNEL) is None  # nothing was written
    assert (await commands.subscriptions(MEMBER)).ok
    assert (await commands.recent(MEMBER)).ok
    assert (await commands.feeds(MEMBER)).ok
    assert (await commands.optout(MEMBER, "linkedin", "UK")).ok


@pytest.mark.parametrize(
    ("regions", "platforms", "events", "says"),
    [
        ("Narnia", "", "", "not a region we know"),
        ("UK", "myspace", "", "not a platform we know"),
        ("UK", "", "paused", "Did you mean pause"),
        (",".join(["UK", "FR", "DE", "IT", "ES", "PT", "NL", "BE", "IE", "AT", "PL"]), "", "",
         "Too many regions"),
        ("", "", "", "Name at least one region"),
    ],
)  # fmt: skip
async def test_wrong_subscribe_input_says_what_to_type(
    commands: Commands, db: Database, regions: str, platforms: str, events: str, says: str
):
    reply = await commands.subscribe(MANAGER, regions, platforms, events)
    assert not reply.ok
    assert says in reply.title + reply.text
    assert await load_route(db, CHANNEL) is None


async def test_unsubscribe_removes_what_exists_and_explains_what_does_not(commands: Commands):
    await commands.subscribe(MANAGER, "UK,EU")
    missing = await commands.unsubscribe(MANAGER, "FR")
    assert not missing.ok
    assert "no subscription to FR" in missing.text
    assert (await commands.unsubscribe(MANAGER, "EU")).ok
    remaining = await commands.subscriptions(MEMBER)
    assert "UK" in remaining.text
    assert "EU (" not in remaining.text
    assert (await commands.unsubscribe(MANAGER, "")).ok
    assert "No subscriptions" in (await commands.subscriptions(MEMBER)).text
    assert not (await commands.unsubscribe(MANAGER, "")).ok


async def test_unsubscribing_global_stops_stories_that_name_no_region(
    commands: Commands, db: Database
):
    await commands.subscribe(MANAGER, "UK")
    await commands.unsubscribe(MANAGER, "GLOBAL")
    route = await load_route(db, CHANNEL)
    assert route is not None
    assert not route.include_global
    await commands.subscribe(MANAGER, "GLOBAL")
    route = await load_route(db, CHANNEL)
    assert route is not None
    assert route.include_global


async def test_digest_hour_is_checked_and_stored(commands: Commands, db: Database):
    assert not (await commands.digest(MANAGER, "25")).ok
    assert not (await commands.digest(MANAGER, "soon")).ok
    assert (await commands.digest(MANAGER, "08:00")).ok
    route = await load_route(db, CHANNEL)
    assert route is not None
    assert route.digest_hour == 8
    assert (await commands.digest(MANAGER, "off")).ok
    route = await load_route(db, CHANNEL)
    assert route is not None
    assert route.digest_hour is None


async def test_optout_defaults_to_the_channels_first_region(commands: Commands):
    assert "by region" in (await commands.optout(MEMBER, "linkedin")).title
    await commands.subscribe(MANAGER, "UK")
    assert "United Kingdom" in (await commands.optout(MEMBER, "linkedin")).title
    assert "United States" in (await commands.optout(MEMBER, "linkedin", "US")).title


async def _story(db: Database, title: str, platforms: tuple[str, ...], regions: tuple[str, ...],
                 event: str, at: int) -> int:  # fmt: skip
    story = StoredStory(0, at, title, "", event, platforms, regions, (), True)
    signature = StorySignature(event, frozenset(platforms), frozenset(regions), frozenset(), at)
    async with db.transaction() as tx:
        return await create_story(tx, story, signature, at)


async def test_recent_filters_by_region_groups_and_platform(commands: Commands, db: Database):
    await _story(db, "CNIL on Meta", ("meta",), ("FR",), "regulator_action", 100)
    await _story(db, "ICO on LinkedIn", ("linkedin",), ("UK",), "regulator_action", 200)
    await _story(db, "X everywhere", ("x",), ("GLOBAL",), "policy_change", 300)
    eu = await commands.recent(MEMBER, "EU")
    titles = [f.name for f in eu.fields]
    assert "CNIL on Meta" in titles
    assert "ICO on LinkedIn" not in titles
    assert titles[0] == "X everywhere"  # newest first; global stories concern everyone
    only_li = await commands.recent(MEMBER, "", "linkdin")
    assert [f.name for f in only_li.fields] == ["ICO on LinkedIn"]
    assert not (await commands.recent(MEMBER, "Atlantis")).ok
    assert not (await commands.recent(MEMBER, "", "myspace")).ok
    assert "No stories yet" in (await commands.recent(MEMBER, "BR", "linkedin")).title


async def test_feeds_shows_failures_and_unreachable_channels(
    commands: Commands, db: Database, config: Config
):
    first, second = config.feeds[0], config.feeds[1]
    async with db.transaction() as tx:
        await save_feed_states(tx, [
            FeedState(first.id, 1, 2, 200, next_poll_at=1_700_003_600),
            FeedState(second.id, 1, 2, None, failures=3, last_error="connection refused",
                      next_poll_at=1_700_007_200),
        ])  # fmt: skip
        await ensure_destination(tx, CHANNEL, "discord", 1)
        await mark_destination_unhealthy(tx, CHANNEL, "the bot lost access to this channel")
        entries = [Entry(f"k{n}", f"https://x.org/{n}", "Başlık", "", None, code)
                   for n, code in enumerate(["tr", "tr", "ja", "en", None])]  # fmt: skip
        await store_entries(tx, [NewEntry(first.id, e, alertable=False) for e in entries], 1)
    reply = await commands.feeds(MEMBER)
    fields = {f.name: f.value for f in reply.fields}
    assert reply.title.startswith("Feeds: 1 fine, 1 failing")
    assert fields["Not understood"] == f"{first.id}: 3 items not understood (ja 1, tr 2)"
    assert f"{second.id}: connection refused (3 failures in a row" in fields["Failing"]
    assert first.id in fields["Next polls"]
    assert "lost access" in fields["Delivery"]
    other_server = Asker("discord:999/1", can_manage=False)
    assert (
        "lost access"
        not in {f.name: f.value for f in (await commands.feeds(other_server)).fields}["Delivery"]
    )


@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("/optout linkedin United Kingdom", "LinkedIn: AI training in United Kingdom"),
        ("/optout platform:twitter region:DE", "X (formerly Twitter) and Grok: AI training in"),
        ("/aiwatch subscribe UK, EU platforms:linkedin", "Subscribed to UK, EU"),
        ("/aiwatch help", "AI Data Watch commands"),
        ("aiwatch", "AI Data Watch commands"),
        ("/aiwatch frobnicate", "'/aiwatch frobnicate' is not a command"),
        ("/aiwatch recent UK linkedin", "No stories yet for UK linkedin"),
    ],
)
async def test_typed_commands_reach_the_same_logic(commands: Commands, typed: str, title: str):
    reply = await commands.run_typed(MANAGER, typed)
    assert reply is not None
    assert reply.title.startswith(title)


async def test_text_that_is_not_a_command_is_left_alone(commands: Commands):
    assert await commands.run_typed(MANAGER, "hello there") is None


@pytest.mark.parametrize(
    ("typed", "call"),
    [
        ("/optout linkedin United Kingdom",
         CommandCall("optout", "", {"platform": "linkedin", "region": "United Kingdom"})),
        ("/optout platform:x", CommandCall("optout", "", {"platform": "x"})),
        ("/aiwatch optout meta", CommandCall("optout", "", {"platform": "meta"})),
        ("/aiwatch subscribe UK EU events:pause",
         CommandCall("aiwatch", "subscribe", {"regions": "UK EU", "events": "pause"})),
        ("/aiwatch recent linkedin UK",
         CommandCall("aiwatch", "recent", {"region": "UK", "platform": "linkedin"})),
        ("/aiwatch digest 8", CommandCall("aiwatch", "digest", {"hour": "8"})),
        ("aiwatch", CommandCall("aiwatch", "help")),
    ],
)  # fmt: skip
def test_typed_text_names_options_as_discord_does(config: Config, typed: str, call: CommandCall):
    """Typed words become the same named options a Discord interaction carries."""
    assert parse_call(typed, config.regions) == call


async def test_an_unknown_subcommand_is_answered_with_the_command_list(commands: Commands):
    """A call the door does not know gets the help text, not an error."""
    reply = await commands.run(MEMBER, CommandCall("aiwatch", "frobnicate"))
    assert not reply.ok
    assert reply.title == "'/aiwatch frobnicate' is not a command"
    assert reply.text == commands.help().text


async def test_aiwatch_feeds_on_the_command_line_lists_stopped_channels(
    db: Database, db_path: Path, config: Config
):
    from bot.health import feed_health_lines

    async with db.transaction() as tx:
        await ensure_destination(tx, CHANNEL, "discord", 1)
        await mark_destination_unhealthy(tx, CHANNEL, "the bot lost access to this channel")
    lines = await feed_health_lines(db_path, config.feeds[:2], config.rules.languages)
    assert lines[-1] == f"delivery to {CHANNEL} stopped: the bot lost access to this channel"


async def test_leaving_out_global_stories_is_kept_before_any_region(
    commands: Commands, db: Database
):
    assert (await commands.unsubscribe(MANAGER, "GLOBAL")).ok
    route = await load_route(db, CHANNEL)
    assert route is not None
    assert not route.include_global


async def test_aiwatch_feeds_on_the_command_line_lists_failing_channels(
    db: Database, db_path: Path, config: Config
):
    from bot.health import feed_health_lines
    from bot.storage.destinations import note_delivery_failure, note_delivery_success

    async with db.transaction() as tx:
        await ensure_destination(tx, CHANNEL, "discord", 1)
        for reason in ("no answer from Discord (TimeoutError)", "Discord answered 500"):
            await note_delivery_failure(tx, CHANNEL, reason, 100)
    lines = await feed_health_lines(db_path, config.feeds[:2], config.rules.languages)
    assert lines[-1] == (
        f"delivery to {CHANNEL} retrying after 2 failed tries in a row: Discord answered 500"
    )
    async with db.transaction() as tx:
        await note_delivery_success(tx, CHANNEL)
    lines = await feed_health_lines(db_path, config.feeds[:2], config.rules.languages)
    assert not lines[-1].startswith("delivery to")


async def test_aiwatch_feeds_on_the_command_line_names_a_stopped_platform(
    db: Database, db_path: Path, config: Config
):
    from bot.health import feed_health_lines
    from bot.storage.platforms import mark_platform_running, mark_platform_stopped

    async with db.transaction() as tx:
        await mark_platform_stopped(tx, "discord", "Discord refused the bot token", 100)
        await mark_platform_running(tx, "slack", 100)
    lines = await feed_health_lines(db_path, config.feeds[:2], config.rules.languages)
    assert lines[-1] == "Discord stopped: Discord refused the bot token"
    async with db.transaction() as tx:
        await mark_platform_running(tx, "discord", 200)  # restarted with a new token
    lines = await feed_health_lines(db_path, config.feeds[:2], config.rules.languages)
    assert "stopped" not in lines[-1]
