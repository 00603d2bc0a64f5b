"""Fuzzing slash-command arguments: typed lines (console, Slack) and named options
(Discord), through the argument parsers and the command handlers on a real database."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.commands import Asker, CommandCall, Commands, parse_call
from bot.commands import arguments as args
from bot.optout.guide import Guide
from bot.replies import Reply
from bot.settings import Config
from bot.storage import Database
from bot.vocabulary import EVENT_KINDS
from tests.fuzz.budget import fuzz_settings

SUBCOMMANDS = ["subscribe", "unsubscribe", "subscriptions", "digest", "recent", "feeds", "help",
               "optout", "SUBSCRIBE", "nope", ""]  # fmt: skip
OPTIONS = ["regions", "region", "platforms", "platform", "events", "hour", "other"]
# Any text, lone surrogates included (JSON carries "\ud800"), and the words commands take.
WORDS = st.text(st.characters(codec=None, categories=None), max_size=12) | st.sampled_from(
    ["UK", "EU,DE", "ALL", "GLOBAL", "linkedin", "fb", "pause", "policy-change", "8", "23",
     "24", "-1", "off", "8:00utc", "²", "٣", "0x8", "８", "regions:UK", "platforms:", ":x",
     "http://a:b", "events:pause,odd", "UK;EU", "e.u.", "United Kingdom", "\u00a0", ",,,"]
)  # fmt: skip
HEADS = st.sampled_from(["/aiwatch", "aiwatch", "/optout", "/AIWATCH", "/other", ""])
LINES = st.builds(
    lambda head, words: " ".join([head, *words]),
    HEADS,
    st.lists(WORDS | st.sampled_from(SUBCOMMANDS), max_size=6),
)
ASKERS = st.builds(
    Asker,
    st.sampled_from(["discord:1/2", "slack:T1/C2", "console:stdout", "discord:1/3"]),
    st.booleans(),
)


class _Bot:
    """The command handlers over a real SQLite file, on one event loop for all examples."""

    def __init__(self, config: Config, path: Path) -> None:
        self.runner = asyncio.Runner()
        self.db = self.runner.run(Database.open(path))
        guide = Guide(config.optout, config.platforms, config.regions,
                      today=lambda: date(2026, 1, 1))  # fmt: skip
        self.commands = Commands(self.db, config, guide, clock=lambda: 1_700_000_000)

    def close(self) -> None:
        self.runner.run(self.db.close())
        self.runner.close()


@pytest.fixture(scope="module")
def bot(config: Config, tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Bot]:
    """One for all of a test's examples (hypothesis runs many)."""
    started = _Bot(config, tmp_path_factory.mktemp("fuzz-commands") / "aiwatch.db")
    yield started
    started.close()


@fuzz_settings(300)
@given(LINES)
def test_a_typed_line_is_a_call_with_text_options_or_none(config: Config, line: str):
    """Whatever a person types: not a command (None), or a call naming a command."""
    call = parse_call(line, config.regions)
    if call is not None:
        assert call.command in ("aiwatch", "optout")
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in call.options.items())


@fuzz_settings(400)
@given(WORDS | LINES)
@example(text="²")  # a digit to str.isdigit that int() refuses: was a ValueError
def test_each_argument_parser_gives_a_checked_value_or_a_reply(config: Config, text: str):
    """Regions, platforms, event kinds and hours: known values, or a Reply saying what to
    type instead."""
    regions = args.parse_regions(text, config.regions)
    assert isinstance(regions, Reply) or set(regions) <= config.regions.codes | {"ALL"}
    region = args.parse_region(text, config.regions)
    assert isinstance(region, Reply) or region in config.regions.codes
    platforms = args.parse_platforms(text, config.platforms)
    assert isinstance(platforms, Reply) or set(platforms) <= config.platforms.ids
    events = args.parse_events(text)
    assert isinstance(events, Reply) or set(events) <= set(EVENT_KINDS)
    hour = args.parse_hour(text)
    assert hour is None or isinstance(hour, Reply) or 0 <= hour <= 23


@fuzz_settings(250)
@given(ASKERS, LINES)
@example(asker=Asker("discord:1/2", True), line="/aiwatch digest ²")
def test_a_typed_command_always_gets_a_reply(bot: _Bot, asker: Asker, line: str):
    """The console's and Slack's door: a Reply for every command line, stored or refused,
    never an exception."""
    reply = bot.runner.run(bot.commands.run_typed(asker, line))
    assert reply is None or (isinstance(reply, Reply) and reply.title)


@fuzz_settings(250)
@given(ASKERS, st.sampled_from(["aiwatch", "optout", "other"]), st.sampled_from(SUBCOMMANDS),
       st.dictionaries(st.sampled_from(OPTIONS), WORDS, max_size=4))  # fmt: skip
def test_named_options_always_get_a_reply(
    bot: _Bot, asker: Asker, command: str, subcommand: str, options: dict[str, str]
):
    """Discord's door: options arrive named, with any text in them."""
    reply = bot.runner.run(bot.commands.run(asker, CommandCall(command, subcommand, options)))
    assert isinstance(reply, Reply)
    assert reply.title
