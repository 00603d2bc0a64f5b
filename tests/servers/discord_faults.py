"""What the loopback Discord server answers instead of doing a request, as Discord does.

- Rate limits: a bucket per route and channel (creating messages, editing them: 5 per 5 s
  each, the figure Discord's headers give bots for a channel) announced in X-RateLimit-*
  headers on every answer, and the global limit of 50 requests per second per bot token
  (interaction callbacks and webhooks are outside it). Over a limit the answer is Discord's
  429: JSON `retry_after` and `global`, `Retry-After`, `X-RateLimit-Scope` and Cloudflare's
  `Via`. Every such request is a violation (see limits.py).
- A revoked token: 401 `{"message": "401: Unauthorized", "code": 0}`, and the gateway closes
  with 4004 (Authentication failed).
- Lost access (403 Missing Access, 50001) and a deleted channel (404 Unknown Channel, 10003),
  for every request to that channel from then on.
- `fail_next`: one answer a test queues for a channel's next request (429 for 0.2 s,
  "429:<seconds>", "429-global" for 0.3 s, 401, 403, 404, 500, 502, 503, or "drop": the
  connection closed unanswered, the request not applied); these are not counted in the
  buckets.

Discord counts 401, 403 and 429 answers as invalid requests: 10,000 in 10 minutes get the
bot's IP banned by Cloudflare. `invalid_requests` counts them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from tests.servers import Dropped
from tests.servers.discord_messages import Rejected
from tests.servers.limits import Limiter, Rate, whole_seconds

INVALID_STATUSES = (401, 403, 429)
INVALID_REQUEST_LIMIT = Rate(10_000, 600.0)  # then a Cloudflare ban
UNAUTHORIZED = {"message": "401: Unauthorized", "code": 0}
MISSING_ACCESS = {"message": "Missing Access", "code": 50001}
UNKNOWN_CHANNEL = {"message": "Unknown Channel", "code": 10003}
VIA = {"Via": "1.1 google"}  # Discord's answers come through Cloudflare


MESSAGES = Rate(5, 5.0)  # per channel, for creating and (separately) editing messages
GLOBAL = Rate(50, 1.0)  # every request of one bot


@dataclass(frozen=True)
class DiscordLimits:
    messages: Rate = MESSAGES
    everything: Rate = GLOBAL


@dataclass
class DiscordFaults:
    limits: DiscordLimits = field(default_factory=DiscordLimits)
    limiter: Limiter = field(default_factory=Limiter)
    fail_next: dict[str, list[int | str]] = field(default_factory=dict)  # channel -> answers
    revoked: set[str] = field(default_factory=set)  # bot tokens Discord no longer accepts
    lost_access: set[str] = field(default_factory=set)  # channels answering 403
    deleted: set[str] = field(default_factory=set)  # channels answering 404 Unknown Channel
    invalid_requests: list[float] = field(default_factory=list)  # when each was answered

    def count(self, status: int, headers: dict[str, str] | None = None) -> None:
        shared = (headers or {}).get("X-RateLimit-Scope") == "shared"
        if status in INVALID_STATUSES and not shared:
            self.invalid_requests.append(time.monotonic())

    def check_token(self, authorization: str | None) -> None:
        """Bot requests carry `Bot <token>`; a revoked token gets 401."""
        token = (authorization or "").removeprefix("Bot ")
        if token in self.revoked:
            raise Rejected(401, UNAUTHORIZED)

    def check_global(self) -> None:
        wait = self.limiter.admit("global", self.limits.everything, "global limit")
        if wait is not None:
            raise rate_limited(wait, scope="global")

    def check_channel(self, channel_id: str, bucket: str | None) -> dict[str, str]:
        """Refuse the request as Discord would, or count it in its bucket (None: a route
        without one here); returns the X-RateLimit headers its answer carries."""
        queued = self.fail_next.get(channel_id)
        if queued:
            raise self._injected(queued.pop(0), channel_id, bucket)
        if channel_id in self.deleted:
            raise Rejected(404, UNKNOWN_CHANNEL)
        if channel_id in self.lost_access:
            raise Rejected(403, MISSING_ACCESS)
        if bucket is None:
            return {}
        key = f"{bucket}:{channel_id}"
        wait = self.limiter.admit(key, self.limits.messages, f"{bucket} per channel")
        headers = self._bucket_headers(key, bucket)
        if wait is not None:
            raise rate_limited(wait, scope="user", extra=headers)
        return headers

    def _bucket_headers(self, key: str, bucket: str) -> dict[str, str]:
        window = self.limiter.window(key)
        if window is None:
            return {}
        reset_after = window.reset_after(self.limiter.clock())
        return {
            "X-RateLimit-Limit": str(window.rate.count),
            "X-RateLimit-Remaining": str(window.remaining()),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": f"loopback-{bucket.replace(' ', '-').lower()}",
        }

    def _injected(self, answer: int | str, channel_id: str, bucket: str | None) -> Exception:
        if answer == "drop":
            return Dropped()
        if answer == 429 or str(answer).startswith("429:"):
            seconds = 0.2 if answer == 429 else float(str(answer).partition(":")[2])
            self.limiter.refused(f"{bucket}:{channel_id}", seconds)
            return rate_limited(seconds, scope="user")
        if answer == "429-global":
            self.limiter.refused("global", 0.3)
            return rate_limited(0.3, scope="global")
        if answer == 401:
            return Rejected(401, UNAUTHORIZED)
        if answer == 400:
            return Rejected(400, {"message": "Invalid Form Body", "code": 50035, "errors": {}})
        if answer == 403:
            return Rejected(403, MISSING_ACCESS)
        if answer in (500, 502, 503):
            return Rejected(int(answer), {"message": "Internal Server Error", "code": 0})
        return Rejected(404, UNKNOWN_CHANNEL)


def rate_limited(seconds: float, *, scope: str, extra: dict[str, str] | None = None) -> Rejected:
    """Discord's 429: discord.py reads `retry_after` and `global` from the JSON body, and
    takes a 429 without `Via` for a Cloudflare ban."""
    is_global = scope == "global"
    body = {"message": "You are being rate limited.", "retry_after": round(seconds, 3),
            "global": is_global}  # fmt: skip
    headers = {**(extra or {}), **VIA, "Retry-After": whole_seconds(seconds),
               "X-RateLimit-Scope": scope}  # fmt: skip
    if is_global:
        headers["X-RateLimit-Global"] = "true"
    else:
        headers["X-RateLimit-Remaining"] = "0"
    return Rejected(429, body, headers)
