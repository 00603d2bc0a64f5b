"""The channel messages of the loopback Discord server, kept as Discord keeps them.

POST /channels/{id}/messages with `nonce` and `enforce_nonce` (a nonce reused in the window
returns the original message), `message_reference` (replies, type 19, with the parent as
`referenced_message`), and GET /channels/{id}/messages (newest first, before/after/around).
The errors are Discord's: 400 Invalid Form Body (code 50035) with the offending field.
Also the server's JSON answers.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

NONCE_MAX = 25
REPLY = 19  # message type of a reply
_ids = itertools.count(700000000000000001)
# What an edit cannot change: who, where, when and what kind the message is.
FIXED = frozenset({"id", "channel_id", "guild_id", "type", "author", "timestamp", "nonce",
                   "message_reference"})  # fmt: skip


def snowflake() -> str:
    """A fresh id; ids grow with time, as Discord's snowflakes do."""
    return str(next(_ids))


class Rejected(Exception):
    """An error answer: the server answers `body` with `status` (and `headers`)."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
                 ) -> None:  # fmt: skip
        super().__init__(status, body)
        self.status, self.body, self.headers = status, body, headers


def invalid_form(name: str, code: str, message: str) -> Rejected:
    """Discord's 400 for a bad field: {"code": 50035, "errors": {name: {"_errors": [...]}}}."""
    errors = {name: {"_errors": [{"code": code, "message": message}]}}
    return Rejected(400, {"code": 50035, "message": "Invalid Form Body", "errors": errors})


@dataclass
class ChannelMessages:
    messages: dict[str, dict[str, Any]]  # id -> message: the server's `messages`, shared
    author: dict[str, Any]  # the bot's user
    guild_id: str
    order: dict[str, list[str]] = field(default_factory=dict)  # channel -> ids, oldest first
    nonces: dict[tuple[str, str], tuple[str, float]] = field(default_factory=dict)

    def create(self, channel_id: str, body: dict[str, Any], window: float
               ) -> tuple[dict[str, Any], bool]:  # fmt: skip
        """The message a POST answers, and whether it is new (False: enforce_nonce matched)."""
        nonce = body.get("nonce")
        if nonce is not None and len(str(nonce)) > NONCE_MAX:
            raise invalid_form("nonce", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        key = (channel_id, str(nonce))
        if nonce is not None and body.get("enforce_nonce") and key in self.nonces:
            original, at = self.nonces[key]
            if original in self.messages and time.monotonic() - at < window:
                return self.messages[original], False
        parent = self._parent(channel_id, body.get("message_reference"))
        message = self.new(channel_id, body)
        if nonce is not None:
            message["nonce"] = nonce
            self.nonces[key] = (message["id"], time.monotonic())
        if parent is not None:
            message["type"] = REPLY
            message["message_reference"] = {"type": 0, "message_id": parent["id"],
                                            "channel_id": channel_id,
                                            "guild_id": parent.get("guild_id")}  # fmt: skip
        self.messages[message["id"]] = message
        self.order.setdefault(channel_id, []).append(message["id"])
        return message, True

    def new(self, channel_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """A message the bot posts with `body`, as Discord builds it (not stored)."""
        return {
            "id": snowflake(), "channel_id": channel_id, "guild_id": self.guild_id, "type": 0,
            "content": body.get("content") or "", "author": self.author,
            "embeds": body.get("embeds") or [], "attachments": [], "mentions": [],
            "mention_roles": [], "mention_everyone": False, "pinned": False, "tts": False,
            "timestamp": "2026-01-01T00:00:00+00:00", "edited_timestamp": None,
            "flags": body.get("flags", 0), "components": [],
        }  # fmt: skip

    def _parent(self, channel_id: str, reference: dict[str, Any] | None) -> dict[str, Any] | None:
        if reference is None:
            return None
        if reference.get("type", 0) != 0:
            raise Rejected(400, {"message": "loopback server: only replies (type 0)", "code": 0})
        parent = self.messages.get(str(reference.get("message_id")))
        # Simplification: a reply's parent must be in the same channel.
        same = str(reference.get("channel_id") or channel_id) == channel_id
        if parent is not None and same and parent["channel_id"] == channel_id:
            return parent
        if reference.get("fail_if_not_exists", True):
            raise invalid_form("message_reference", "REPLIES_UNKNOWN_MESSAGE", "Unknown message")
        return None  # posted as a plain message, with no reference

    def edit(self, channel_id: str, message_id: str, body: dict[str, Any]) -> dict[str, Any]:
        message = self.messages.get(message_id)
        if message is None or message["channel_id"] != channel_id:
            raise Rejected(404, {"message": "Unknown Message", "code": 10008})
        changes = {k: v for k, v in body.items() if k not in FIXED}
        self.messages[message_id] = {**message, **changes,
                                     "edited_timestamp": "2026-01-01T00:00:00+00:00"}  # fmt: skip
        return self.messages[message_id]

    def get(self, channel_id: str, message_id: str) -> dict[str, Any]:
        message = self.messages.get(message_id)
        if message is None or message["channel_id"] != channel_id:
            raise Rejected(404, {"message": "Unknown Message", "code": 10008})
        return self.view(message)

    def view(self, message: dict[str, Any], *, nonce: bool = False) -> dict[str, Any]:
        """The message as Discord answers it: only a create's answer carries the nonce, and
        a reply carries its parent as `referenced_message` (null once the parent is deleted)."""
        shown = {k: v for k, v in message.items() if nonce or k != "nonce"}
        reference = message.get("message_reference")
        if reference is not None:
            parent = self.messages.get(reference["message_id"])
            shown["referenced_message"] = (
                None if parent is None else {k: v for k, v in parent.items() if k != "nonce"}
            )
        return shown

    def in_channel(self, channel_id: str) -> list[dict[str, Any]]:
        return [self.messages[i] for i in self.order.get(channel_id, []) if i in self.messages]

    def history(self, channel_id: str, query: Mapping[str, str]) -> list[dict[str, Any]]:
        """GET /channels/{id}/messages: up to `limit` messages, newest first. Of before,
        after and around, one applies (around, then before, then after); around gives the
        limit // 2 older messages and the rest from the pivot on (Discord's split may differ)."""
        limit = _number("limit", query.get("limit", "50"))
        if limit > 100:
            raise invalid_form(
                "limit", "NUMBER_TYPE_MAX", "int value should be less than or equal to 100."
            )
        if limit < 1:
            raise invalid_form(
                "limit", "NUMBER_TYPE_MIN", "int value should be greater than or equal to 1."
            )
        ids = [m["id"] for m in self.in_channel(channel_id)]
        if "around" in query:
            pivot = _number("around", query["around"])
            older = [i for i in ids if int(i) < pivot]
            older = older[max(0, len(older) - limit // 2) :]
            chosen = older + [i for i in ids if int(i) >= pivot][: limit - len(older)]
        elif "before" in query:
            before = _number("before", query["before"])
            chosen = [i for i in ids if int(i) < before][-limit:]
        elif "after" in query:
            after = _number("after", query["after"])
            chosen = [i for i in ids if int(i) > after][:limit]
        else:
            chosen = ids[-limit:]
        return [self.view(self.messages[i]) for i in reversed(chosen)]

    def forget(self, message_id: str) -> None:
        self.messages.pop(message_id, None)
        for ids in self.order.values():
            if message_id in ids:
                ids.remove(message_id)


def _number(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise invalid_form(name, "NUMBER_TYPE_COERCE", f'Value "{value}" is not int.') from None


async def multipart_json(request: web.Request) -> Any:
    """discord.py sends some requests as multipart with a `payload_json` part."""
    try:
        reader = await request.multipart()
    except (AssertionError, ValueError):
        return None
    async for part in reader:
        if getattr(part, "name", None) == "payload_json":
            return json.loads(await part.text())  # type: ignore[union-attr]
    return None


def answer(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # discord.py compares the content type for equality: no "; charset=utf-8".
    headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=json.dumps(data).encode(), status=status, headers=headers)
