"""DISCORD_SHARD_IDS and DISCORD_SHARD_COUNT: read, checked, and every mistake named with the
variable and what to write instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import read_environment
from bot.settings.shards import MAX_SHARD_COUNT, DiscordShards, read_shards


def shards(**env: str) -> DiscordShards:
    return read_environment(environ=env, dotenv=Path("/nonexistent/.env")).discord_shards


@pytest.mark.parametrize(
    ("env", "ids", "count"),
    [
        ({}, None, None),  # every shard Discord recommends
        ({"DISCORD_SHARD_COUNT": "4"}, None, 4),  # all four in this process
        ({"DISCORD_SHARD_IDS": "0,1", "DISCORD_SHARD_COUNT": "4"}, (0, 1), 4),
        ({"DISCORD_SHARD_IDS": " 3 , 1 ", "DISCORD_SHARD_COUNT": " 4 "}, (3, 1), 4),
        ({"DISCORD_SHARD_IDS": "0", "DISCORD_SHARD_COUNT": "1"}, (0,), 1),
        ({"DISCORD_SHARD_IDS": "", "DISCORD_SHARD_COUNT": ""}, None, None),
    ],
)
def test_shard_settings_are_read(env: dict[str, str], ids: tuple[int, ...] | None,
                                 count: int | None) -> None:  # fmt: skip
    assert shards(**env) == DiscordShards(ids, count)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DISCORD_SHARD_IDS": "0,1"}, "DISCORD_SHARD_IDS='0,1' needs DISCORD_SHARD_COUNT"),
        ({"DISCORD_SHARD_COUNT": "0"}, "DISCORD_SHARD_COUNT='0': expected a whole number of "
                                       f"shards from 1 to {MAX_SHARD_COUNT}"),
        ({"DISCORD_SHARD_COUNT": "two"}, "DISCORD_SHARD_COUNT='two': expected a whole number"),
        ({"DISCORD_SHARD_COUNT": "-2"}, "DISCORD_SHARD_COUNT='-2': expected a whole number"),
        ({"DISCORD_SHARD_COUNT": "2.5"}, "DISCORD_SHARD_COUNT='2.5': expected a whole number"),
        ({"DISCORD_SHARD_COUNT": "²"}, "DISCORD_SHARD_COUNT='²': expected a whole number"),
        ({"DISCORD_SHARD_COUNT": str(MAX_SHARD_COUNT + 1)}, "DISCORD_SHARD_COUNT='65537'"),
        ({"DISCORD_SHARD_IDS": "2", "DISCORD_SHARD_COUNT": "2"},
         "DISCORD_SHARD_IDS='2': '2' is not a shard id; expected shard ids from 0 to 1 "
         "(DISCORD_SHARD_COUNT=2)"),
        ({"DISCORD_SHARD_IDS": "0,,1", "DISCORD_SHARD_COUNT": "2"},
         "DISCORD_SHARD_IDS='0,,1': '' is not a shard id"),
        ({"DISCORD_SHARD_IDS": "0-1", "DISCORD_SHARD_COUNT": "2"},
         "DISCORD_SHARD_IDS='0-1': '0-1' is not a shard id"),
        ({"DISCORD_SHARD_IDS": "1,1", "DISCORD_SHARD_COUNT": "2"},
         "DISCORD_SHARD_IDS='1,1': shard 1 is named twice"),
        ({"DISCORD_SHARD_IDS": "0", "DISCORD_SHARD_COUNT": "0"}, "DISCORD_SHARD_COUNT='0'"),
    ],
)  # fmt: skip
def test_wrong_shard_settings_are_named_and_start_nothing(env: dict[str, str],
                                                         expected: str) -> None:  # fmt: skip
    read = read_shards(env)
    assert read.problem.startswith(expected)
    assert (read.ids, read.count) == (None, None)


def test_a_problem_with_the_shards_does_not_stop_reading_the_environment() -> None:
    """The rest of the bot starts; only Discord stays off (bot/adapters/chat.py)."""
    env = read_environment(
        environ={"DISCORD_SHARD_IDS": "5", "AIWATCH_DB": "/x.db"}, dotenv=Path("/nope/.env")
    )
    assert env.db_path == Path("/x.db")
    assert "DISCORD_SHARD_COUNT" in env.discord_shards.problem


def test_the_log_says_which_shards_run() -> None:
    assert DiscordShards().describe() == "the shards Discord recommends"
    assert DiscordShards(None, 3).describe() == "shards 0,1,2 of 3"
    assert DiscordShards((1,), 2).describe() == "shard 1 of 2"
