"""A loopback server speaking enough of Discord's REST API v10 and gateway for discord.py.

It logs the bot in, sends READY and GUILD_CREATE, accepts command syncs, pushes
INTERACTION_CREATE events, records every callback and channel message, and answers 429, 403
or 404 on demand. Only what discord.py 2.x reads is implemented (see
shared/reference/chat-testing.md); anything else answers 404 with the path, so a gap shows.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.servers import serve_on_loopback

APP_ID = "900000000000000001"
BOT_ID = "900000000000000002"
GUILD_ID = "800000000000000001"
CHANNEL_ID = "800000000000000002"
OTHER_CHANNEL_ID = "800000000000000003"
MANAGE_GUILD = 1 << 5
SEND_MESSAGES = 1 << 11
VIEW_CHANNEL = 1 << 10
EVERYONE_PERMISSIONS = VIEW_CHANNEL | SEND_MESSAGES | (1 << 14)  # + embed links
_ids = itertools.count(700000000000000001)


def snowflake() -> str:
    return str(next(_ids))


def user(user_id: str, name: str, bot: bool = False) -> dict[str, Any]:
    return {"id": user_id, "username": name, "discriminator": "0", "avatar": None,
            "global_name": name, "bot": bot}  # fmt: skip


BOT_USER = user(BOT_ID, "AI Data Watch", bot=True)


@dataclass
class Record:
    method: str
    path: str
    body: Any
    at: float


@dataclass
class DiscordServer:
    """Start with `await DiscordServer().start()`; `api_base` and `gateway_url` are loopback."""

    records: list[Record] = field(default_factory=list)
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> message
    commands: list[dict[str, Any]] = field(default_factory=list)
    created_at: list[float] = field(default_factory=list)  # when each message was accepted
    fail_next: dict[str, list[int]] = field(default_factory=dict)  # channel id -> statuses
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    guild_joined: asyncio.Event = field(default_factory=asyncio.Event)
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _callbacks: dict[str, asyncio.Future[dict[str, Any]]] = field(default_factory=dict)

    async def start(self) -> DiscordServer:
        app = web.Application()
        app.router.add_get("/ws", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner, self.port = await serve_on_loopback(app)
        return self

    async def stop(self) -> None:
        for socket in self._sockets:
            await socket.close()
        await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    # -- the test's controls -------------------------------------------------------------

    async def interact(
        self, command: str, options: list[dict[str, Any]] | None = None, *,
        permissions: int = EVERYONE_PERMISSIONS, channel_id: str = CHANNEL_ID,
        subcommand: str | None = None, kind: int = 2,
    ) -> dict[str, Any]:  # fmt: skip
        """Push an INTERACTION_CREATE as Discord sends it; return the bot's callback body."""
        interaction_id = snowflake()
        data_options = options or []
        if subcommand:
            data_options = [{"name": subcommand, "type": 1, "options": data_options}]
        registered = next((c for c in self.commands if c["name"] == command), None)
        payload = {
            "id": interaction_id, "application_id": APP_ID, "type": kind,
            "token": f"token-{interaction_id}", "version": 1,
            "attachment_size_limit": 8 * 1024 * 1024, "guild_id": GUILD_ID,
            "channel_id": channel_id,
            "channel": {"id": channel_id, "type": 0, "guild_id": GUILD_ID, "name": "alerts",
                        "position": 0, "permission_overwrites": []},
            "member": {"user": user("600000000000000001", "someone"), "roles": [], "flags": 0,
                       "permissions": str(permissions), "joined_at": "2024-01-01T00:00:00+00:00",
                       "deaf": False, "mute": False},
            "app_permissions": str(EVERYONE_PERMISSIONS), "locale": "en-US",
            "guild_locale": "en-US", "entitlements": [],
            "authorizing_integration_owners": {"0": GUILD_ID}, "context": 0,
            "data": {"id": registered["id"] if registered else snowflake(), "name": command,
                     "type": 1, "guild_id": GUILD_ID, "options": data_options},
        }  # fmt: skip
        answered: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._callbacks[interaction_id] = answered
        await self._dispatch("INTERACTION_CREATE", payload)
        return await asyncio.wait_for(answered, 10)

    async def join_guild(self, guild_id: str, system_channel: str | None) -> None:
        guild = self._guild(guild_id, system_channel)
        del guild["unavailable"]  # a join carries no `unavailable`; a reconnect says False
        await self._dispatch("GUILD_CREATE", guild)

    async def remove_from_guild(self, guild_id: str) -> None:
        await self._dispatch("GUILD_DELETE", {"id": guild_id})

    def posts(self, channel_id: str = CHANNEL_ID) -> list[Record]:
        path = f"channels/{channel_id}/messages"
        return [r for r in self.records if r.method == "POST" and r.path == path]

    def edits(self) -> list[Record]:
        return [r for r in self.records if r.method == "PATCH" and "/messages/" in r.path]

    # -- gateway ---------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": 41250}})
        async for message in socket:
            if message.type != WSMsgType.TEXT:
                continue
            frame = json.loads(message.data)
            if frame["op"] == 1:
                await socket.send_json({"op": 11})
            elif frame["op"] == 2:
                await self._identify(socket)
        return socket

    async def _identify(self, socket: web.WebSocketResponse) -> None:
        ready = {
            "v": 10, "user": BOT_USER, "guilds": [{"id": GUILD_ID, "unavailable": True}],
            "session_id": "session-1", "resume_gateway_url": self.gateway_url,
            "application": {"id": APP_ID, "flags": 0}, "shard": [0, 1],
        }  # fmt: skip
        await self._send(socket, "READY", ready)
        await self._send(socket, "GUILD_CREATE", self._guild(GUILD_ID, CHANNEL_ID))
        self.ready.set()

    def _guild(self, guild_id: str, system_channel: str | None) -> dict[str, Any]:
        channels = [
            {"id": cid, "type": 0, "name": name, "position": i, "guild_id": guild_id,
             "permission_overwrites": []}
            for i, (cid, name) in enumerate(
                [(CHANNEL_ID, "alerts"), (OTHER_CHANNEL_ID, "general")]
                if guild_id == GUILD_ID else [(system_channel or snowflake(), "welcome")]
            )
        ]  # fmt: skip
        return {
            "id": guild_id, "name": f"Guild {guild_id[-3:]}", "icon": None, "owner_id": "1",
            "unavailable": False, "member_count": 1, "large": False, "features": [],
            "channels": channels, "threads": [], "emojis": [], "stickers": [],
            "roles": [{"id": guild_id, "name": "@everyone",
                       "permissions": str(EVERYONE_PERMISSIONS), "position": 0, "color": 0,
                       "hoist": False, "managed": False, "mentionable": False, "flags": 0}],
            "members": [{"user": BOT_USER, "roles": [], "flags": 0,
                         "joined_at": "2024-01-01T00:00:00+00:00", "deaf": False, "mute": False}],
            "voice_states": [], "presences": [], "stage_instances": [],
            "guild_scheduled_events": [], "system_channel_id": system_channel,
            "verification_level": 0, "default_message_notifications": 0,
            "explicit_content_filter": 0, "mfa_level": 0, "premium_tier": 0,
            "preferred_locale": "en-US", "nsfw_level": 0, "afk_timeout": 300,
        }  # fmt: skip

    async def _dispatch(self, event: str, data: dict[str, Any]) -> None:
        for socket in self._sockets:
            if not socket.closed:
                await self._send(socket, event, data)

    async def _send(self, socket: web.WebSocketResponse, event: str, data: Any) -> None:
        await socket.send_json({"op": 0, "t": event, "s": next(self._seq), "d": data})

    # -- REST ------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = request.match_info["tail"]
        body = (
            await request.json()
            if request.can_read_body and request.content_type == "application/json"
            else None
        )
        if body is None and request.can_read_body:
            body = await _multipart_json(request)
        self.records.append(Record(request.method, path, body, time.monotonic()))
        handler = self._route(request.method, path)
        if handler is None:
            return _json({"message": f"loopback server: no route for {request.method} {path}",
                          "code": 0}, 404)  # fmt: skip
        return await handler(path, body)

    def _route(self, method: str, path: str) -> Any:
        parts = path.split("/")
        if path == "users/@me":
            return self._me
        if path == "oauth2/applications/@me":
            return self._application
        if method == "PUT" and parts[0] == "applications" and parts[-1] == "commands":
            return self._sync
        if method == "POST" and parts[0] == "interactions" and parts[-1] == "callback":
            return self._callback
        if parts[0] == "channels" and parts[2:3] == ["messages"]:
            return {"POST": self._post, "PATCH": self._edit}.get(method)
        return None

    async def _me(self, path: str, body: Any) -> web.Response:
        return _json(BOT_USER)

    async def _application(self, path: str, body: Any) -> web.Response:
        return _json({
            "id": APP_ID, "name": "AI Data Watch", "description": "", "icon": None,
            "bot_public": True, "bot_require_code_grant": False, "owner": user("1", "owner"),
            "verify_key": "0" * 64, "flags": 0, "interactions_endpoint_url": None,
        })  # fmt: skip

    async def _sync(self, path: str, body: Any) -> web.Response:
        self.commands = [{**c, "id": snowflake(), "application_id": APP_ID, "version": "1"}
                         for c in body]  # fmt: skip
        return _json(self.commands)

    async def _callback(self, path: str, body: Any) -> web.Response:
        interaction_id = path.split("/")[1]
        future = self._callbacks.pop(interaction_id, None)
        if future is not None and not future.done():
            future.set_result(body)
        message = {**self._message(CHANNEL_ID, body.get("data") or {}), "interaction": None}
        return _json({"interaction": {"id": interaction_id, "type": 2},
                      "resource": {"type": body.get("type", 4), "message": message}})  # fmt: skip

    async def _post(self, path: str, body: Any) -> web.Response:
        channel_id = path.split("/")[1]
        failure = self._failure(channel_id)
        if failure is not None:
            return failure
        message = self._message(channel_id, body)
        self.messages[message["id"]] = message
        self.created_at.append(time.monotonic())
        return _json(message)

    async def _edit(self, path: str, body: Any) -> web.Response:
        channel_id, message_id = path.split("/")[1], path.split("/")[3]
        failure = self._failure(channel_id)
        if failure is not None:
            return failure
        if message_id not in self.messages:
            return _json({"message": "Unknown Message", "code": 10008}, 404)
        self.messages[message_id] = {**self.messages[message_id], **body,
                                     "edited_timestamp": "2026-01-01T00:00:00+00:00"}  # fmt: skip
        return _json(self.messages[message_id])

    def _failure(self, channel_id: str) -> web.Response | None:
        queued = self.fail_next.get(channel_id)
        if not queued:
            return None
        status = queued.pop(0)
        if status == 429:  # as Discord sends it: JSON retry_after, via Cloudflare's edge
            limited = {
                "message": "You are being rate limited.",
                "retry_after": 0.2,
                "global": False,
            }
            return _json(limited, 429, {"Via": "1.1 google", "Retry-After": "1"})
        if status == 403:
            return _json({"message": "Missing Access", "code": 50001}, 403)
        return _json({"message": "Unknown Channel", "code": 10003}, 404)

    def _message(self, channel_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": snowflake(), "channel_id": channel_id, "guild_id": GUILD_ID, "type": 0,
            "content": body.get("content") or "", "author": BOT_USER,
            "embeds": body.get("embeds") or [], "attachments": [], "mentions": [],
            "mention_roles": [], "mention_everyone": False, "pinned": False, "tts": False,
            "timestamp": "2026-01-01T00:00:00+00:00", "edited_timestamp": None,
            "flags": body.get("flags", 0), "components": [],
        }  # fmt: skip

    def forget(self, message_id: str) -> None:
        """As if someone deleted the message in Discord."""
        self.messages.pop(message_id, None)


async def _multipart_json(request: web.Request) -> Any:
    """discord.py sends some requests as multipart with a `payload_json` part."""
    try:
        reader = await request.multipart()
    except (AssertionError, ValueError):
        return None
    async for part in reader:
        if getattr(part, "name", None) == "payload_json":
            return json.loads(await part.text())  # type: ignore[union-attr]
    return None


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # discord.py compares the content type for equality: no "; charset=utf-8".
    headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=json.dumps(data).encode(), status=status, headers=headers)
