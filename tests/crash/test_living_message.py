"""The bot as a user runs it (`aiwatch run --once`, one cycle at a time) against loopback
feeds, Discord and Slack: one top-level message per story, a reply per development, edits
for everything else, and nothing at all from a cycle with no news."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crash.matrix import Replay

pytestmark = pytest.mark.slow


def counts(replay: Replay) -> tuple[int, int, int, int]:
    """Top-level messages and replies, on Discord and on Slack."""
    top, replies = replay.tally()
    assert all(n == 1 for n in (top + replies).values()), f"sent twice: {top + replies}"
    return (
        sum(1 for key in top if key.startswith("discord")),
        sum(1 for key in replies if key.startswith("discord")),
        sum(1 for key in top if key.startswith("slack")),
        sum(1 for key in replies if key.startswith("slack")),
    )


async def test_each_story_is_one_message_and_each_development_one_reply(tmp_path: Path):
    async with Replay(tmp_path) as replay:
        await replay.cycle(1)  # seven reports of three stories at start-up
        assert counts(replay) == (3, 0, 3, 0)
        assert replay.discord.edits() == []
        assert replay.slack.called("chat.update") == []

        # a development of two stories (Meta's newly reaches the UK, X's reaches a court),
        # and a new story
        await replay.cycle(2)
        assert counts(replay) == (4, 2, 4, 2)
        edits = len(replay.discord.edits()), len(replay.slack.called("chat.update"))
        assert edits == (2, 2)

        # a development, two more outlets on a story, LinkedIn's episode told again, and a
        # new story
        await replay.cycle(3)
        assert counts(replay) == (5, 3, 5, 3)

        before = len(replay.discord.records), len(replay.slack.calls)
        await replay.cycle(0)  # nothing new
        sent = [r for r in replay.discord.records[before[0]:] if r.method in ("POST", "PATCH")
                and "/messages" in r.path]  # fmt: skip
        chat = [c for c in replay.slack.calls[before[1] :] if c.method.startswith("chat.")]
        assert (sent, chat) == ([], [])
        assert await replay.pending() == 0
