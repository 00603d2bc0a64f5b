"""The chat platforms' limits the bot keeps, in one place, each checked when it is built.

Discord documents a global limit of 50 requests a second per bot, and gives each channel's
message routes a bucket (5 per 5 s) in its X-RateLimit headers; 10,000 invalid requests (401,
403, 429) in 10 minutes get the bot's address banned. Slack documents one message a second
per channel for chat.postMessage and "Tier 3" (50 a minute, per workspace) for chat.update,
conversations.history and conversations.replies. The bot paces itself below each, so a
burst of stories waits here instead of collecting 429s.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rate:
    """At most `count` requests in any `per` seconds."""

    count: int
    per: float

    def __post_init__(self) -> None:
        if self.count < 1 or self.per <= 0:
            raise ValueError(f"a rate needs a count >= 1 and a window > 0, not {self}")

    def __str__(self) -> str:
        return f"{self.count} per {self.per:g} s"

    def share(self, part: int, whole: int) -> Rate:
        """`part` of `whole` equal shares of this rate (at least 1 request a window): what one
        of several processes keeps to when the limit is the bot's, not the process's."""
        if not 0 < part <= whole:
            raise ValueError(f"a share needs 0 < part <= whole, not {part} of {whole}")
        return Rate(max(1, self.count * part // whole), self.per)


@dataclass(frozen=True)
class ChatLimits:
    """What one platform allows, and how long the bot waits for it."""

    channel: Rate  # in one channel: Discord's messages, edits and lookups; Slack's posts
    app: Rate | None  # every request the bot makes there (Discord's global limit)
    methods: tuple[tuple[str, Rate], ...]  # per API method and workspace (Slack's tiers)
    # No answer within this many seconds: the request failed, though it may have arrived
    # (a post in doubt is looked up before it is sent again). It covers the library's own
    # waits: Discord's retries of a 5xx (16 s) and a 429 it waits out (up to longest_wait).
    request_timeout: float
    # A 429 asking for a longer wait is not waited out in place: the job goes back to the
    # outbox, due when the platform said, and the channel's other work is not held up.
    longest_wait: float

    def __post_init__(self) -> None:
        if self.request_timeout <= 0 or self.longest_wait <= 0:
            raise ValueError("request_timeout and longest_wait must be > 0 seconds")

    def method(self, name: str) -> Rate | None:
        return dict(self.methods).get(name)


TIER_3 = Rate(50, 60.0)

DISCORD_GLOBAL = Rate(50, 1.0)  # documented, per bot token

DISCORD_LIMITS = ChatLimits(
    channel=Rate(5, 5.0),
    # every request discord.py sends with the bot token is paced, the outbox's and its own
    # (logging in, syncing commands, greeting a server): the outbox may use all 50, or a
    # process running k of n shards its k/n share
    app=DISCORD_GLOBAL,
    methods=(),
    request_timeout=60.0,
    longest_wait=30.0,  # discord.py's max_ratelimit_timeout, which it raises to at least 30 s
)

SLACK_LIMITS = ChatLimits(
    channel=Rate(1, 1.0),
    app=None,
    methods=(
        ("chat.update", TIER_3),
        ("conversations.history", TIER_3),
        ("conversations.replies", TIER_3),
    ),
    request_timeout=30.0,
    longest_wait=10.0,
)
