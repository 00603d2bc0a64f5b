"""What every destination (console, a Discord or Slack channel) implements: the same verbs
on every platform, so a new one (Matrix, Teams) is a copy of either chat adapter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from bot.models import Alert, Digest
from bot.redaction import redact


class DeliveryError(Exception):
    """Sending failed. `permanent` means retrying cannot help until a person acts.

    The reason is kept in the outbox and shown to people, and a chat's error text may quote
    the bot's token: it is redacted here, once, for every platform."""

    def __init__(
        self, reason: str, *, retry_after: float | None = None, permanent: bool = False
    ) -> None:
        reason = redact(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.permanent = permanent
        super().__init__(reason)


class CredentialsRefused(DeliveryError):
    """The platform refused the bot's token: nothing can be sent there until a person puts a
    new one in the environment and restarts the bot (see platforms.py)."""


class NotConnectedYet(DeliveryError):
    """The adapter is still logging in: the jobs wait a moment, and the destination does not
    count it as a failure."""


class MessageGone(DeliveryError):
    """The living message was deleted in the channel: the story is posted anew."""


@dataclass(frozen=True)
class SendKey:
    """Names one message the bot sends, so a repeat is recognised: the nonce a platform
    checks within minutes, and what a later lookup matches in the channel's history."""

    job_id: int
    story_id: int
    development_id: int | None = None  # a reply telling this development

    @property
    def nonce(self) -> str:
        """At most 25 characters (Discord's limit), unique per job and kind of message: a
        job that posts a story anew and then replies under it sends two messages."""
        return f"aiwatch-{self.job_id}{'p' if self.development_id is None else 'r'}"

    @property
    def marker(self) -> str:
        return story_marker(self.story_id, self.development_id)


def story_marker(story_id: int, development_id: int | None = None) -> str:
    """What each message shows in its footer (and Slack's metadata): 'story 12', or
    'story 12 · development 5' for a reply. A lookup after a crash matches it."""
    if development_id is None:
        return f"story {story_id}"
    return f"story {story_id} · development {development_id}"


MARKER = re.compile(r"story \d+(?: · development \d+)?")


def marker_in(footer: str) -> str | None:
    """The marker a footer ('AI Data Watch · story 12 · First seen') carries, exactly:
    'story 1' is not 'story 12', and a development's is not its story's."""
    found = MARKER.search(footer)
    return found.group(0) if found else None


class Destination(Protocol):
    kind: str
    # Seconds within which sending again with the same key returns the first message
    # (Discord's enforce_nonce); 0 where the platform has no such rule (Slack, the console).
    dedup_window: float

    async def post(self, address: str, alert: Alert, key: SendKey) -> str | None:
        """A new top-level message; returns its id (None where there are no ids)."""
        ...

    async def edit(self, address: str, message_id: str | None, alert: Alert) -> None:
        """Show the story as it is now in its message; MessageGone if it was deleted."""
        ...

    async def reply(
        self, address: str, message_id: str | None, alert: Alert, key: SendKey
    ) -> str | None:
        """Tell `alert.development` under the living message; returns the reply's id."""
        ...

    async def find(self, address: str, key: SendKey, parent_id: str | None) -> str | None:
        """The message sent earlier under `key`, if the channel has it (a post, or with
        `parent_id` a reply under that message); None if it never arrived."""
        ...

    async def post_digest(self, address: str, digest: Digest) -> str | None:
        """One day's stories as one message; returns its id if any."""
        ...
