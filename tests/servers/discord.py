"""A loopback server speaking enough of Discord's REST API v10 and gateway for discord.py.

It logs the bot in, tells it how many shards to run (`GET /gateway/bot`), sends each shard
session READY and its servers' GUILD_CREATE (see discord_gateway.py), accepts command syncs,
pushes INTERACTION_CREATE events to the shard of their server, records every callback and
channel message, keeps each channel's messages as Discord does (nonces, replies, history: see
discord_messages.py), enforces Discord's rate limits and answers its errors (a revoked token,
lost access, a deleted channel, 400s, 429s, 5xx: see discord_faults.py), quoting the
request's Authorization header if asked, and can apply a request and never answer it, as a
crash would. Only what discord.py 2.x reads is implemented (see
shared/reference/chat-testing.md); anything else answers 404 with the path, so a gap shows.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.servers import Dropped, Hangs, Hung, drop, serve_on_loopback, take
from tests.servers.discord_faults import DiscordFaults, DiscordLimits
from tests.servers.discord_gateway import Gateway, Session
from tests.servers.discord_messages import (
    ChannelMessages,
    Rejected,
    answer,
    multipart_json,
    snowflake,
)
from tests.servers.discord_payloads import (
    APP_ID,
    BOT_USER,
    CHANNEL_ID,
    EVERYONE_PERMISSIONS,
    GUILD_ID,
    MANAGE_GUILD,
    OTHER_CHANNEL_ID,
    SHARD0_CHANNEL_ID,
    SHARD0_GUILD_ID,
    guild,
    interaction,
    user,
)
from tests.servers.limits import Violation

ALREADY_ACKNOWLEDGED = {"code": 40060, "message": "Interaction has already been acknowledged."}

# What tests import from here (the ids and permissions live in discord_payloads.py).
__all__ = ["APP_ID", "BOT_USER", "CHANNEL_ID", "EVERYONE_PERMISSIONS", "GUILD_ID",
           "MANAGE_GUILD", "OTHER_CHANNEL_ID", "SHARD0_CHANNEL_ID", "SHARD0_GUILD_ID",
           "DiscordServer", "Record", "snowflake"]  # fmt: skip


@dataclass
class Record:
    method: str
    path: str
    body: Any
    at: float
    token: str | None = None  # the bot token the request carried
    status: int = 200  # the answer's status


@dataclass
class DiscordServer:
    """Start with `await DiscordServer().start()`; `api_base` and `gateway_url` are loopback."""

    records: list[Record] = field(default_factory=list)
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> message
    commands: list[dict[str, Any]] = field(default_factory=list)
    created_at: list[float] = field(default_factory=list)  # when each message was accepted
    limits: DiscordLimits = field(default_factory=DiscordLimits)
    # channel id -> actions ("post", "reply": a post with message_reference, "edit"): the
    # next such request there is applied and never answered (until stop()), and recorded in
    # `hung`; each entry serves the first request of its action, whatever the list's order
    hang_next: dict[str, list[str]] = field(default_factory=dict)
    hung: list[Hung] = field(default_factory=list)
    nonce_window: float = 300.0  # seconds an enforce_nonce post returns the original message
    # Every Authorization header the REST API was sent; with `echo_authorization`, an error
    # answer quotes the request's header in its message, as some proxies do.
    authorizations: set[str] = field(default_factory=set)
    echo_authorization: bool = False
    # The bot's servers (id -> its system channel, listed first); GUILD_ID has CHANNEL_ID and
    # OTHER_CHANNEL_ID. `recommended_shards` is what GET /gateway/bot tells a bot to run.
    guilds: dict[str, str] = field(default_factory=lambda: {GUILD_ID: CHANNEL_ID})
    recommended_shards: int = 1
    max_concurrency: int = 1
    acknowledged: set[str] = field(default_factory=set)  # interactions answered once
    _callbacks: dict[str, asyncio.Future[dict[str, Any]]] = field(default_factory=dict)
    _hangs: Hangs = field(default_factory=Hangs)

    def __post_init__(self) -> None:
        self._store = ChannelMessages(self.messages, BOT_USER, GUILD_ID)
        self.faults = DiscordFaults(self.limits)
        # channel id -> answers for its next requests (see discord_faults.py)
        self.fail_next = self.faults.fail_next
        self.gateway = Gateway(self.guilds, recommended_shards=self.recommended_shards,
                               max_concurrency=self.max_concurrency,
                               revoked=self.faults.revoked)  # fmt: skip

    async def start(self) -> DiscordServer:
        app = web.Application()
        app.router.add_get("/ws", self.gateway.serve)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner, self.port = await serve_on_loopback(app)
        self.gateway.url = self.gateway_url
        return self

    def drop_held(self) -> None:
        """Close the connections of every request held by hang_next, unanswered (it was
        applied); later hangs drop at once."""
        self._hangs.release()

    async def stop(self) -> None:
        self._hangs.release()
        await self.gateway.close_sessions()
        await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    # -- the test's controls -------------------------------------------------------------

    @property
    def ready(self) -> asyncio.Event:
        """Set once a session was sent READY and its servers."""
        return self.gateway.ready

    @property
    def sessions(self) -> list[Session]:
        """The gateway sessions identified for a shard and still open."""
        return self.gateway.open_sessions()

    @property
    def violations(self) -> list[Violation]:
        """Requests Discord would have refused for going over a rate limit."""
        return self.faults.limiter.violations

    @property
    def invalid_requests(self) -> list[float]:
        """401, 403 and 429 answers (Discord bans an IP past 10,000 in 10 minutes)."""
        return self.faults.invalid_requests

    async def revoke(self, token: str, *, gateway: bool = True) -> None:
        """As when the token is reset in the Developer Portal: REST answers 401 and the
        gateway sessions identified with it close with 4004 (with gateway=False they stay
        open a while, so REST finds out first)."""
        self.faults.revoked.add(token)
        if gateway:
            await self.gateway.close_sessions(token)

    def lose_access(self, channel_id: str) -> None:
        """The bot's View Channel was taken away: 403 Missing Access from now on."""
        self.faults.lost_access.add(channel_id)

    def delete_channel(self, channel_id: str) -> None:
        """The channel was deleted: 404 Unknown Channel from now on."""
        self.faults.deleted.add(channel_id)

    def requests_with(self, token: str) -> list[Record]:
        return [r for r in self.records if r.token == token]

    async def interact(
        self, command: str, options: list[dict[str, Any]] | None = None, *,
        permissions: int = EVERYONE_PERMISSIONS, channel_id: str = CHANNEL_ID,
        subcommand: str | None = None, kind: int = 2, guild_id: str = GUILD_ID,
    ) -> dict[str, Any]:  # fmt: skip
        """Push an INTERACTION_CREATE as Discord sends it, to the session of the server's
        shard; return the bot's callback body."""
        interaction_id = snowflake()
        data_options = options or []
        if subcommand:
            data_options = [{"name": subcommand, "type": 1, "options": data_options}]
        registered = next((c for c in self.commands if c["name"] == command), None)
        payload = interaction(
            interaction_id,
            command,
            data_options,
            permissions=permissions,
            channel_id=channel_id,
            kind=kind,
            command_id=registered["id"] if registered else snowflake(),
            guild_id=guild_id,
        )
        answered: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._callbacks[interaction_id] = answered
        if not await self.gateway.dispatch("INTERACTION_CREATE", payload, guild_id):
            raise AssertionError(f"no gateway session runs the shard of server {guild_id}")
        return await asyncio.wait_for(answered, 10)

    async def join_guild(self, guild_id: str, system_channel: str | None) -> None:
        joined = guild(guild_id, system_channel)
        del joined["unavailable"]  # a join carries no `unavailable`; a reconnect says False
        await self.gateway.dispatch("GUILD_CREATE", joined, guild_id)

    async def remove_from_guild(self, guild_id: str) -> None:
        await self.gateway.dispatch("GUILD_DELETE", {"id": guild_id}, guild_id)

    def posts(self, channel_id: str = CHANNEL_ID) -> list[Record]:
        path = f"channels/{channel_id}/messages"
        return [r for r in self.records if r.method == "POST" and r.path == path]

    def edits(self) -> list[Record]:
        return [r for r in self.records if r.method == "PATCH" and "/messages/" in r.path]

    def top_level(self, channel_id: str = CHANNEL_ID) -> list[dict[str, Any]]:
        """The channel's messages that reply to nothing, oldest first."""
        return [m for m in self._store.in_channel(channel_id) if "message_reference" not in m]

    def replies_to(self, message_id: str) -> list[dict[str, Any]]:
        """The messages replying to `message_id`, oldest first."""
        return [m for m in self.messages.values()
                if (m.get("message_reference") or {}).get("message_id") == message_id]  # fmt: skip

    def forget(self, message_id: str) -> None:
        """As if someone deleted the message in Discord."""
        self._store.forget(message_id)

    delete = forget

    # -- REST ------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = request.match_info["tail"]
        body = (
            await request.json()
            if request.can_read_body and request.content_type == "application/json"
            else None
        )
        if body is None and request.can_read_body:
            body = await multipart_json(request)
        if request.method == "GET":
            body = dict(request.query)
        authorization = request.headers.get("Authorization")
        token = authorization.removeprefix("Bot ") if authorization else None
        record = Record(request.method, path, body, time.monotonic(), token)
        self.records.append(record)
        self.authorizations.add(authorization or "")
        handler = self._route(request.method, path)
        if handler is None:
            return answer({"message": f"loopback server: no route for {request.method} {path}",
                           "code": 0}, 404)  # fmt: skip
        try:
            if authorization is not None:  # interaction callbacks carry none
                self.faults.check_token(authorization)
                self.faults.check_global()
            response = await handler(path, body)
        except Rejected as rejected:
            body = rejected.body
            if self.echo_authorization:
                body = {**body, "message": f"{body['message']} (Authorization: {authorization})"}
            response = answer(body, rejected.status, rejected.headers)
        except Dropped:
            return drop(request)
        record.status = response.status
        self.faults.count(response.status, dict(response.headers))
        return response

    def _route(self, method: str, path: str) -> Any:
        parts = path.split("/")
        if path == "users/@me":
            return self._me
        if path == "oauth2/applications/@me":
            return self._application
        if method == "GET" and path == "gateway/bot":
            return self._bot_gateway
        if method == "PUT" and parts[0] == "applications" and parts[-1] == "commands":
            return self._sync
        if method == "POST" and parts[0] == "interactions" and parts[-1] == "callback":
            return self._callback
        if parts[0] == "channels" and parts[2:3] == ["messages"]:
            if len(parts) == 3:
                return {"POST": self._post, "GET": self._history}.get(method)
            return {"PATCH": self._edit, "GET": self._fetch}.get(method)
        return None

    async def _me(self, path: str, body: Any) -> web.Response:
        return answer(BOT_USER)

    async def _application(self, path: str, body: Any) -> web.Response:
        return answer({
            "id": APP_ID, "name": "AI Data Watch", "description": "", "icon": None,
            "bot_public": True, "bot_require_code_grant": False, "owner": user("1", "owner"),
            "verify_key": "0" * 64, "flags": 0, "interactions_endpoint_url": None,
        })  # fmt: skip

    async def _bot_gateway(self, path: str, body: Any) -> web.Response:
        return answer(self.gateway.bot_gateway())

    async def _sync(self, path: str, body: Any) -> web.Response:
        self.commands = [{**c, "id": snowflake(), "application_id": APP_ID, "version": "1"}
                         for c in body]  # fmt: skip
        return answer(self.commands)

    async def _callback(self, path: str, body: Any) -> web.Response:
        interaction_id = path.split("/")[1]
        if interaction_id in self.acknowledged:  # a second answer, e.g. from another process
            raise Rejected(400, ALREADY_ACKNOWLEDGED)
        self.acknowledged.add(interaction_id)
        future = self._callbacks.pop(interaction_id, None)
        if future is not None and not future.done():
            future.set_result(body)
        # The deprecated `interaction` field is optional; discord.py reads it only if present.
        message = self._store.new(CHANNEL_ID, body.get("data") or {})
        return answer({"interaction": {"id": interaction_id, "type": 2},
                       "resource": {"type": body.get("type", 4), "message": message}})  # fmt: skip

    async def _post(self, path: str, body: Any) -> web.Response:
        channel_id = path.split("/")[1]
        limits = self.faults.check_channel(channel_id, "POST messages")
        body = body or {}
        message, created = self._store.create(channel_id, body, self.nonce_window)
        if created:
            self.created_at.append(time.monotonic())
            action = "reply" if body.get("message_reference") else "post"
            await self._hang(action, channel_id, message["id"])
        return answer(self._store.view(message, nonce=True), headers=limits)

    async def _edit(self, path: str, body: Any) -> web.Response:
        channel_id, message_id = path.split("/")[1], path.split("/")[3]
        limits = self.faults.check_channel(channel_id, "PATCH message")
        message = self._store.edit(channel_id, message_id, body or {})
        await self._hang("edit", channel_id, message_id)
        return answer(self._store.view(message), headers=limits)

    async def _history(self, path: str, query: dict[str, str]) -> web.Response:
        channel_id = path.split("/")[1]
        self.faults.check_channel(channel_id, None)
        return answer(self._store.history(channel_id, query))

    async def _fetch(self, path: str, query: dict[str, str]) -> web.Response:
        channel_id, message_id = path.split("/")[1], path.split("/")[3]
        self.faults.check_channel(channel_id, None)
        return answer(self._store.get(channel_id, message_id))

    async def _hang(self, action: str, channel_id: str, message_id: str) -> None:
        """Applied: if `hang_next` asks it, record it in `hung` and never answer."""
        if take(self.hang_next.get(channel_id), action):
            self.hung.append(Hung(action, channel_id, message_id))
            await self._hangs.hold()
