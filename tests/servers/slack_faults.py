"""What the loopback Slack server answers instead of doing a call, as Slack does.

- Rate limits, per method and workspace (the server is one workspace): chat.postMessage one
  message per second per channel; Tier 3 methods (chat.update, conversations.history and
  .replies) 50 a minute; Tier 4 (users.info) 100 a minute. Over a limit the answer is HTTP
  429 `{"ok": false, "error": "ratelimited"}` with an integer `Retry-After`, and the call is a
  violation (see limits.py), as is a call sent before that Retry-After is over.
- A revoked token: HTTP 200 `{"ok": false, "error": "token_revoked"}` for every call with it.
- A channel the bot cannot use from now on (`not_in_channel`, `channel_not_found`,
  `is_archived`): that error for every call to it.
- `fail_next`: one answer a test queues for a channel's next call: an error code,
  "ratelimited" (429, Retry-After: 1), "ratelimited:<seconds>", "500" (HTTP 500,
  internal_error) or "drop" (the connection closed unanswered, the call not applied); these
  are not counted against the limits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.servers import Dropped
from tests.servers.limits import Limiter, Rate, whole_seconds
from tests.servers.slack_messages import Refused

TIER_3 = Rate(50, 60.0)
TIER_4 = Rate(100, 60.0)
POST = Rate(1, 1.0)  # chat.postMessage, per channel


@dataclass(frozen=True)
class SlackLimits:
    post: Rate = POST
    tiers: tuple[tuple[str, Rate], ...] = (
        ("chat.update", TIER_3),
        ("conversations.history", TIER_3),
        ("conversations.replies", TIER_3),
        ("users.info", TIER_4),
    )


@dataclass
class SlackFaults:
    limits: SlackLimits = field(default_factory=SlackLimits)
    limiter: Limiter = field(default_factory=Limiter)
    fail_next: dict[str, list[str]] = field(default_factory=dict)  # channel -> answers
    revoked: set[str] = field(default_factory=set)  # bot tokens Slack no longer accepts
    channel_errors: dict[str, str] = field(default_factory=dict)  # channel -> error code

    def check_token(self, authorization: str) -> None:
        if authorization.removeprefix("Bearer ") in self.revoked:
            raise Refused("token_revoked")

    def check(self, method: str, channel: str | None) -> None:
        """Refuse the call as Slack would, or count it against its method's limit."""
        queued = self.fail_next.get(channel) if channel is not None else None
        if queued:
            raise self._injected(queued.pop(0), method, channel)
        if channel is not None and channel in self.channel_errors:
            raise Refused(self.channel_errors[channel])
        per_channel = method == "chat.postMessage"
        rate = self.limits.post if per_channel else dict(self.limits.tiers).get(method)
        if rate is None:
            return
        key = f"{method}:{channel}" if per_channel else method
        wait = self.limiter.admit(
            key, rate, f"{method} per {'channel' if per_channel else 'workspace'}"
        )
        if wait is not None:
            raise Refused("ratelimited", 429, {"Retry-After": whole_seconds(wait)})

    def _injected(self, answer: str, method: str, channel: str | None) -> Exception:
        if answer == "drop":
            return Dropped()
        if answer.startswith("ratelimited"):
            seconds = int(answer.partition(":")[2] or 1)
            key = f"{method}:{channel}" if method == "chat.postMessage" else method
            self.limiter.refused(key, seconds)
            return Refused("ratelimited", 429, {"Retry-After": str(seconds)})
        if answer == "500":
            return Refused("internal_error", 500)
        return Refused(answer)
