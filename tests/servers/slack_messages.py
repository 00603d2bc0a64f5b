"""The messages of the loopback Slack server, kept as Slack keeps them.

chat.postMessage gives each message a ts that grows strictly ("1700000000.000123"), keeps its
`metadata` and files a message with `thread_ts` as a reply in that thread (its parent then
shows `thread_ts`, `reply_count` and `latest_reply`); conversations.history lists a
channel's top-level messages newest first, and conversations.replies a thread, parent first.
Errors are Slack's: HTTP 200 {"ok": false, "error": ...} (rate limits and outages: slack_faults.py).
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

BOT = {"user": "U0BOT", "bot_id": "B0BOT", "app_id": "A0LOOPBACK"}
THREAD = ("thread_ts", "reply_count", "reply_users_count", "latest_reply", "reply_users",
          "parent_user_id", "edited")  # fmt: skip
FIXED = frozenset({"ts", "channel", "thread_ts"})  # what chat.update cannot change


class Refused(Exception):
    """An error answer: {"ok": false, "error": error}, with `status` and `headers`."""

    def __init__(self, error: str, status: int = 200, headers: dict[str, str] | None = None
                 ) -> None:  # fmt: skip
        super().__init__(error)
        self.error, self.status, self.headers = error, status, headers


@dataclass
class SlackMessages:
    messages: dict[str, dict[str, Any]]  # ts -> message: the server's `messages`, shared
    _last: int = 0  # the last ts given, in microseconds

    def post(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel"))
        fields = _decoded(args)
        root = None
        if args.get("thread_ts"):
            # Simplification: Slack may still post into an unknown thread; this answers
            # thread_not_found, so a test sees a reply that lost its parent.
            parent = self.messages.get(str(args["thread_ts"]))
            if parent is None or parent.get("channel") != channel:
                raise Refused("thread_not_found")
            root = str(parent.get("thread_ts") or parent["ts"])  # a reply's ts: its thread
        ts = self._next_ts()
        message = {"ts": ts, **fields}
        if root is not None:
            message.update(thread_ts=root, parent_user_id=BOT["user"])
        self.messages[ts] = message
        if root is not None:
            self._thread(root)
        return message

    def update(self, args: dict[str, Any]) -> dict[str, Any]:
        message = self.messages.get(str(args.get("ts")))
        if message is None or message.get("channel") != str(args.get("channel")):
            raise Refused("message_not_found")
        changes = {k: v for k, v in _decoded(args).items() if v is not None and k not in FIXED}
        message.update(changes, edited={"user": BOT["user"], "ts": self._next_ts()})
        return message  # metadata the update does not name stays, as on Slack

    def forget(self, ts: str) -> None:
        message = self.messages.pop(ts, None)
        if message is not None and message.get("thread_ts") not in (None, ts):
            self._thread(message["thread_ts"])

    def top_level(self, channel: str) -> list[dict[str, Any]]:
        in_channel = [m for m in self.messages.values() if m.get("channel") == channel]
        return [m for m in in_channel if m.get("thread_ts") in (None, m["ts"])]

    def replies_to(self, ts: str) -> list[dict[str, Any]]:
        return [m for m in self.messages.values() if m.get("thread_ts") == ts != m["ts"]]

    def history(self, args: dict[str, Any]) -> dict[str, Any]:
        """conversations.history: top-level messages only (replies are not in history, as on
        Slack; reply_broadcast is not modelled), newest first, `limit` (default 100, at
        most 999) a page, between `oldest` and `latest` (exclusive unless `inclusive`)."""
        oldest, latest = _ts(args, "oldest"), _ts(args, "latest")
        inclusive = _flag(args.get("inclusive"))
        below = _cursor(args.get("cursor"))  # the next page: from this ts down

        def in_page(ts: Decimal) -> bool:
            newer = oldest is None or ts > oldest or (inclusive and ts == oldest)
            older = latest is None or ts < latest or (inclusive and ts == latest)
            return newer and older and (below is None or ts <= below)

        channel = str(args.get("channel"))
        listed = [m for m in self.top_level(channel) if in_page(Decimal(m["ts"]))]
        limit = _limit(args.get("limit"), 100, 999)
        metadata = _flag(args.get("include_all_metadata"))
        answer: dict[str, Any] = {
            "ok": True, "messages": [self.shown(m, metadata) for m in reversed(listed[-limit:])],
            "has_more": len(listed) > limit, "pin_count": 0,
        }  # fmt: skip
        if len(listed) > limit:
            next_ts = listed[-limit - 1]["ts"].replace(".", "")
            cursor = base64.b64encode(f"next_ts:{next_ts}".encode()).decode()
            answer["response_metadata"] = {"next_cursor": cursor}
        return answer

    def replies(self, args: dict[str, Any]) -> dict[str, Any]:
        """conversations.replies: the thread of `ts` (its parent's ts, or a reply's), parent
        first, then the replies oldest first; `limit` (default 1000) a page, no cursor."""
        message = self.messages.get(str(args.get("ts")))
        if message is None or message.get("channel") != str(args.get("channel")):
            raise Refused("thread_not_found")
        root = self.messages.get(str(message.get("thread_ts") or message["ts"]))
        if root is None:
            raise Refused("thread_not_found")
        thread = [root, *self.replies_to(root["ts"])]
        limit = _limit(args.get("limit"), 1000, 1000)
        metadata = _flag(args.get("include_all_metadata"))
        return {"ok": True, "messages": [self.shown(m, metadata) for m in thread[:limit]],
                "has_more": len(thread) > limit}  # fmt: skip

    def shown(self, message: dict[str, Any], metadata: bool = True) -> dict[str, Any]:
        """The message as Slack's answers show it; `metadata` only when asked for."""
        text = str(message.get("text") or "")
        shown = {"type": "message", "ts": message["ts"], "text": text, **BOT,
                 "blocks": message.get("blocks") or _rich_text(message["ts"], text)}  # fmt: skip
        shown.update({k: message[k] for k in THREAD if k in message})
        if metadata and message.get("metadata"):
            shown["metadata"] = message["metadata"]
        return shown

    def _thread(self, root: str) -> None:
        """Show the thread on its parent, as Slack does (or nothing once it has no replies)."""
        parent = self.messages.get(root)
        if parent is None:
            return
        replies = self.replies_to(root)
        for key in ("thread_ts", "reply_count", "reply_users_count", "latest_reply",
                    "reply_users"):  # fmt: skip
            parent.pop(key, None)
        if replies:
            parent.update(thread_ts=root, reply_count=len(replies), reply_users_count=1,
                          latest_reply=replies[-1]["ts"], reply_users=[BOT["user"]])  # fmt: skip

    def _next_ts(self) -> str:
        self._last = max(time.time_ns() // 1000, self._last + 1)
        return f"{self._last // 1_000_000}.{self._last % 1_000_000:06d}"


def _decoded(args: dict[str, Any]) -> dict[str, Any]:
    """The call's fields, with blocks and metadata parsed if they came form-encoded."""
    fields = dict(args)
    for key in ("blocks", "attachments", "metadata"):
        if isinstance(fields.get(key), str):
            try:
                fields[key] = json.loads(fields[key])
            except ValueError:
                raise Refused(f"invalid_{key}" if key != "metadata" else "invalid_metadata_format"
                              ) from None  # fmt: skip
    metadata = fields.get("metadata")
    if metadata is not None and not (
        isinstance(metadata, dict)
        and isinstance(metadata.get("event_type"), str)
        and isinstance(metadata.get("event_payload"), dict)
    ):
        raise Refused("invalid_metadata_schema")
    return fields


def _rich_text(ts: str, text: str) -> list[dict[str, Any]]:
    """The block Slack makes of a message posted with text only."""
    block_id = hashlib.sha256(ts.encode()).hexdigest()[:5]
    section = {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
    return [{"type": "rich_text", "block_id": block_id, "elements": [section]}]


def _flag(value: Any) -> bool:
    """A boolean argument: slack_sdk sends "1"/"0" in a query, true/false in JSON."""
    return value in (True, 1, "1", "true", "True")


def _ts(args: dict[str, Any], name: str) -> Decimal | None:
    if args.get(name) in (None, ""):
        return None
    try:
        return Decimal(str(args[name]))
    except InvalidOperation:
        raise Refused(f"invalid_ts_{name}") from None


def _limit(value: Any, default: int, most: int) -> int:
    try:
        limit = int(value) if value not in (None, "") else default
    except ValueError:
        raise Refused("invalid_limit") from None
    return min(max(limit, 1), most)


def _cursor(value: Any) -> Decimal | None:
    if not value:
        return None
    try:
        kind, _, ts = base64.b64decode(str(value)).decode().partition(":")
        if kind != "next_ts":
            raise ValueError(kind)
        return Decimal(ts) / 1_000_000
    except (ValueError, InvalidOperation):
        raise Refused("invalid_cursor") from None
