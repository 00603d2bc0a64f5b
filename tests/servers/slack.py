"""A loopback server speaking the Slack Web API methods the bot uses, the response_url of
slash commands, and Socket Mode (apps.connections.open and its WebSocket).

It records every call, keeps messages as Slack does (ts, metadata, threads, history and
replies: see slack_messages.py), enforces Slack's rate limits and answers its errors (a
revoked token, a channel the bot cannot use, `ratelimited`, HTTP 500: see slack_faults.py),
quoting the request's Authorization header if asked,
can apply a call and never answer it, as a crash would, and forgets messages as if someone
deleted them.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aiohttp import WSMsgType, web

from tests.servers import Dropped, Hangs, Hung, drop, serve_on_loopback, take
from tests.servers.limits import Violation
from tests.servers.slack_faults import SlackFaults, SlackLimits
from tests.servers.slack_messages import Refused, SlackMessages

TEAM_ID = "T0LOOPBACK"
CHANNEL = "C0ALERTS"
ADMIN = "U0ADMIN"
MEMBER = "U0MEMBER"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    at: float
    token: str = ""  # the token the call carried
    connection: str = ""  # the client's address and port: one per TCP connection


@dataclass
class SlackServer:
    calls: list[Call] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)  # bodies sent to response_url
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)  # ts -> message
    limits: SlackLimits = field(default_factory=SlackLimits)
    # channel -> methods ("chat.postMessage", "chat.update"): the next such call there is
    # applied and never answered (until stop()), and recorded in `hung`; each entry serves
    # the first call of its method, whatever the list's order
    hang_next: dict[str, list[str]] = field(default_factory=dict)
    hung: list[Hung] = field(default_factory=list)
    users: dict[str, dict[str, Any]] = field(default_factory=lambda: {
        ADMIN: {"id": ADMIN, "is_admin": True, "is_owner": False},
        MEMBER: {"id": MEMBER, "is_admin": False, "is_owner": False},
    })  # fmt: skip
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    # Every Authorization header the Web API was sent; with `echo_authorization`, an error
    # answer quotes the request's header in its error, as some proxies do.
    authorizations: set[str] = field(default_factory=set)
    echo_authorization: bool = False
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _socket_ready: asyncio.Event = field(default_factory=asyncio.Event)
    _hangs: Hangs = field(default_factory=Hangs)

    def __post_init__(self) -> None:
        self._store = SlackMessages(self.messages)
        self.faults = SlackFaults(self.limits)
        self.fail_next = self.faults.fail_next  # channel -> answers (see slack_faults.py)

    @property
    def violations(self) -> list[Violation]:
        """Calls Slack would have refused for going over a rate limit."""
        return self.faults.limiter.violations

    def revoke(self, token: str) -> None:
        """As when the app is uninstalled or its token revoked: token_revoked from now on."""
        self.faults.revoked.add(token)

    def refuse_channel(self, channel: str, error: str) -> None:
        """Every call to `channel` answers `error` from now on (not_in_channel when the bot
        is removed, channel_not_found once it is deleted, is_archived)."""
        self.faults.channel_errors[channel] = error

    def calls_with(self, token: str) -> list[Call]:
        return [c for c in self.calls if c.token == token]

    async def start(self) -> SlackServer:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/response/{id}", self._response)
        app.router.add_get("/socket", self._socket)
        self._runner, self.port = await serve_on_loopback(app)
        return self

    def drop_held(self) -> None:
        """Close the connections of every call held by hang_next, unanswered (the call was
        applied); later hangs drop at once."""
        self._hangs.release()

    async def stop(self) -> None:
        self._hangs.release()
        for socket in self._sockets:
            await socket.close()
        await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def called(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def forget(self, ts: str) -> None:
        """As if someone deleted the message (its thread's parent then counts one reply less)."""
        self._store.forget(ts)

    def top_level(self, channel: str = CHANNEL) -> list[dict[str, Any]]:
        """The channel's messages outside threads, and thread parents, oldest first."""
        return self._store.top_level(channel)

    def replies_to(self, ts: str) -> list[dict[str, Any]]:
        """The replies in the thread of the message `ts`, oldest first."""
        return self._store.replies_to(ts)

    # -- slash commands over HTTP, signed as Slack signs them -----------------------------

    def command_fields(self, command: str, text: str, user: str, channel: str = CHANNEL
                       ) -> dict[str, str]:  # fmt: skip
        return {
            "token": "unused", "team_id": TEAM_ID, "team_domain": "loopback",
            "channel_id": channel, "channel_name": "alerts", "user_id": user,
            "user_name": user.lower(), "command": command, "text": text,
            "response_url": f"http://127.0.0.1:{self.port}/response/{uuid.uuid4().hex}",
            "trigger_id": "1.2.3", "api_app_id": "A0LOOPBACK",
        }  # fmt: skip

    def slash_command(self, command: str, text: str, user: str, *, channel: str = CHANNEL
                      ) -> bytes:  # fmt: skip
        return urlencode(self.command_fields(command, text, user, channel)).encode()

    async def ack_of(self, envelope_id: str, seconds: float = 10) -> dict[str, Any]:
        """The acknowledgement of one envelope, which may come after the answer: the SDK
        acks and answers concurrently."""
        deadline = time.monotonic() + seconds
        while True:
            found = [ack for ack in self.socket_acks if ack.get("envelope_id") == envelope_id]
            if found:
                return found[0]
            assert time.monotonic() < deadline, f"envelope {envelope_id} was never acked"
            await asyncio.sleep(0.02)

    async def next_response(self, count: int = 1, seconds: float = 10) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        while len(self.responses) < count:
            assert time.monotonic() < deadline, "no answer reached response_url"
            await asyncio.sleep(0.02)
        return self.responses[count - 1]

    # -- Socket Mode ------------------------------------------------------------------------

    async def push_command(self, command: str, text: str, user: str) -> str:
        """Send a slash command envelope over the socket; returns its envelope id."""
        await asyncio.wait_for(self._socket_ready.wait(), 10)
        envelope_id = uuid.uuid4().hex
        payload = self.command_fields(command, text, user)
        await self._sockets[-1].send_json({
            "envelope_id": envelope_id, "type": "slash_commands", "payload": payload,
            "accepts_response_payload": True,
        })  # fmt: skip
        return envelope_id

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"type": "hello", "num_connections": 1})
        self._socket_ready.set()
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                self.socket_acks.append(json.loads(message.data))
        return socket

    # -- Web API ----------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        elif request.can_read_body:
            args.update(await request.post())
        authorization = request.headers.get("Authorization", "")
        peer = request.transport.get_extra_info("peername") if request.transport else None
        token = authorization[len("Bearer ") :]
        self.calls.append(Call(method, args, time.monotonic(), token, str(peer)))
        self.authorizations.add(authorization)
        if not authorization.startswith("Bearer "):
            return _answer({"ok": False, "error": "not_authed"})
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return _answer({"ok": False, "error": "unknown_method", "method": method})
        try:
            self.faults.check_token(authorization)
            channel = args.get("channel")
            self.faults.check(method, None if channel is None else str(channel))
            return await handler(args)
        except Refused as refused:
            error = refused.error
            if self.echo_authorization:
                error += f" (Authorization: {authorization})"
            return _answer({"ok": False, "error": error}, refused.status, refused.headers)
        except Dropped:
            return drop(request)

    async def _auth_test(self, args: dict[str, Any]) -> web.Response:
        return _answer({"ok": True, "url": "https://loopback.slack.com/", "team": "Loopback",
                        "user": "aiwatch", "team_id": TEAM_ID, "user_id": "U0BOT",
                        "bot_id": "B0BOT"})  # fmt: skip

    async def _users_info(self, args: dict[str, Any]) -> web.Response:
        user = self.users.get(str(args.get("user")))
        if user is None:
            return _answer({"ok": False, "error": "user_not_found"})
        return _answer({"ok": True, "user": user})

    async def _apps_connections_open(self, args: dict[str, Any]) -> web.Response:
        return _answer({"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"})

    async def _chat_postMessage(self, args: dict[str, Any]) -> web.Response:
        channel = str(args.get("channel"))
        message = self._store.post(args)
        await self._hang("chat.postMessage", channel, message["ts"])
        return _answer({"ok": True, "channel": channel, "ts": message["ts"],
                        "message": self._store.shown(message)})  # fmt: skip

    async def _chat_update(self, args: dict[str, Any]) -> web.Response:
        channel = str(args.get("channel"))
        message = self._store.update(args)
        await self._hang("chat.update", channel, message["ts"])
        shown = self._store.shown(message)
        return _answer({"ok": True, "channel": channel, "ts": message["ts"],
                        "text": shown["text"], "message": shown})  # fmt: skip

    async def _conversations_history(self, args: dict[str, Any]) -> web.Response:
        return _answer(self._store.history(args))

    async def _conversations_replies(self, args: dict[str, Any]) -> web.Response:
        return _answer(self._store.replies(args))

    async def _hang(self, method: str, channel: str, ts: str) -> None:
        """Applied: if `hang_next` asks it, record it in `hung` and never answer."""
        if take(self.hang_next.get(channel), method):
            self.hung.append(Hung(method, channel, ts))
            await self._hangs.hold()

    async def _response(self, request: web.Request) -> web.Response:
        self.responses.append(await request.json())
        return web.Response(text="ok")


def sign(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack adds: v0 HMAC-SHA256 over 'v0:{timestamp}:{body}'."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    base = b"v0:" + stamp.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": "application/x-www-form-urlencoded",
    }


def _answer(data: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
            ) -> web.Response:  # fmt: skip
    return web.json_response(data, status=status, headers=headers)
