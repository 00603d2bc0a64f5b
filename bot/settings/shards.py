"""DISCORD_SHARD_IDS and DISCORD_SHARD_COUNT: which of the bot's Discord gateway shards this
process runs, so that several processes can split them.

Unset, one process runs every shard, as many as Discord recommends for the bot's size. Wrong
values do not stop the bot: they stop Discord alone, with `problem` saying what to fix (see
bot/adapters/chat.py), as a refused token does, and the console goes on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.errors import UsageError

IDS = "DISCORD_SHARD_IDS"
COUNT = "DISCORD_SHARD_COUNT"
# Discord's largest bots run some thousands of shards; a count beyond this is a typo that
# would open that many gateway sessions.
MAX_SHARD_COUNT = 65536


@dataclass(frozen=True)
class DiscordShards:
    ids: tuple[int, ...] | None = None  # None: every shard of `count`
    count: int | None = None  # None: as many as Discord recommends (GET /gateway/bot)
    problem: str = ""  # set when the settings are wrong: Discord stays off, saying this

    def describe(self) -> str:
        """For the log: which shards this process runs."""
        if self.count is None:
            return "the shards Discord recommends"
        ids = self.ids if self.ids is not None else range(self.count)
        return f"shard{'s' if len(ids) > 1 else ''} {','.join(map(str, ids))} of {self.count}"


def read_shards(env: Mapping[str, str]) -> DiscordShards:
    raw_ids = env.get(IDS, "").strip()
    raw_count = env.get(COUNT, "").strip()
    try:
        count = _count(raw_count) if raw_count else None
        if not raw_ids:
            return DiscordShards(None, count)
        if count is None:
            raise UsageError(
                f"{IDS}={raw_ids!r} needs {COUNT}, the number of shards all the bot's "
                f"processes split between them (e.g. {COUNT}=2 with {IDS}=0 on one process "
                f"and {IDS}=1 on the other)"
            )
        return DiscordShards(_ids(raw_ids, count), count)
    except UsageError as wrong:
        return DiscordShards(problem=str(wrong))


def _count(raw: str) -> int:
    if not raw.isdecimal() or not 1 <= int(raw) <= MAX_SHARD_COUNT:  # isdecimal: int() refuses "²"
        raise UsageError(
            f"{COUNT}={raw!r}: expected a whole number of shards from 1 to {MAX_SHARD_COUNT} "
            "(unset it to run as many as Discord recommends)"
        )
    return int(raw)


def _ids(raw: str, count: int) -> tuple[int, ...]:
    ids: list[int] = []
    for part in (p.strip() for p in raw.split(",")):
        if not part.isdecimal() or int(part) >= count:
            raise UsageError(
                f"{IDS}={raw!r}: {part!r} is not a shard id; expected shard ids from 0 to "
                f"{count - 1} ({COUNT}={count}) separated by commas, e.g. 0,1"
            )
        if int(part) in ids:
            raise UsageError(f"{IDS}={raw!r}: shard {part} is named twice")
        ids.append(int(part))
    return tuple(ids)
