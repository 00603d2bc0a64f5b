"""The loopback Discord server's gateway: sessions, shards and the IDENTIFY limit.

As Discord does: each IDENTIFY names its shard `[id, count]`, and a session is sent READY,
then the GUILD_CREATE of each server on its shard, `(guild id >> 22) % count`, and later only
those servers' events (slash commands, joins, removals). Shards may start `max_concurrency`
at a time: IDENTIFYs whose rate-limit key (`shard id % max_concurrency`) matches one accepted
in the last 5 seconds are answered with op 9 (Invalid Session, `d: false`), and discord.py
identifies again after waiting 5 s (its `before_identify_hook`). `GET /gateway/bot` tells the
bot the recommended shard count and this limit.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.servers.discord_payloads import APP_ID, BOT_USER, guild

IDENTIFY_WINDOW = 5.0  # seconds: Discord's window for `max_concurrency` IDENTIFYs per key
INVALID_SHARD = 4010
SHARDING_REQUIRED = 4011
AUTHENTICATION_FAILED = 4004
SESSION_STARTS = 1000  # Discord's daily session starts for most bots


def shard_of(guild_id: str, count: int) -> int:
    """The shard Discord sends a server's events to."""
    return (int(guild_id) >> 22) % count


@dataclass
class Session:
    socket: web.WebSocketResponse
    token: str = ""
    shard: tuple[int, int] | None = None  # [id, count] once identified
    guilds: list[str] = field(default_factory=list)  # sent in its GUILD_CREATEs
    events: list[tuple[str, str | None]] = field(default_factory=list)  # (event, guild id)


@dataclass
class Identify:
    shard: tuple[int, int]
    at: float
    accepted: bool  # False: answered op 9 for coming too soon after its key's last one


@dataclass
class Gateway:
    """The server's guilds (id -> the channel their GUILD_CREATE lists first) and sessions."""

    guilds: dict[str, str]
    url: str = ""
    bot_gateway_url: str = ""  # the address GET /gateway/bot names, if not this server's
    recommended_shards: int = 1
    max_concurrency: int = 1
    guilds_per_shard: int = 2500  # Discord's most; a session given more is closed with 4011
    identify_window: float = IDENTIFY_WINDOW
    revoked: set[str] = field(default_factory=set)
    sessions: list[Session] = field(default_factory=list)
    identifies: list[Identify] = field(default_factory=list)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _last_identify: dict[int, float] = field(default_factory=dict)  # rate-limit key -> at

    def bot_gateway(self) -> dict[str, Any]:
        """`GET /gateway/bot`, as Discord documents it."""
        used = sum(1 for i in self.identifies if i.accepted)
        limit = {"total": SESSION_STARTS, "remaining": SESSION_STARTS - used,
                 "reset_after": 86_400_000, "max_concurrency": self.max_concurrency}  # fmt: skip
        url = self.bot_gateway_url or self.url
        return {"url": url, "shards": self.recommended_shards, "session_start_limit": limit}

    def open_sessions(self) -> list[Session]:
        return [s for s in self.sessions if s.shard is not None and not s.socket.closed]

    def sessions_for(self, guild_id: str) -> list[Session]:
        """The open sessions whose shard receives the server's events: one, unless several
        processes run the same shard (then each gets every event, as on Discord)."""
        on_shard = [(s, s.shard) for s in self.open_sessions() if s.shard is not None]
        return [s for s, (shard, count) in on_shard if shard_of(guild_id, count) == shard]

    async def serve(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        session = Session(socket)
        self.sessions.append(session)
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": 41250}})
        async for message in socket:
            if message.type != WSMsgType.TEXT:
                continue
            frame = json.loads(message.data)
            if frame["op"] == 1:
                await socket.send_json({"op": 11})
            elif frame["op"] == 2:
                await self._identify(session, frame["d"])
        return socket

    async def dispatch(self, event: str, data: dict[str, Any], guild_id: str | None) -> bool:
        """Send a server's event to its shard's session (an event of no server to all);
        whether a session received it."""
        targets = self.open_sessions() if guild_id is None else self.sessions_for(guild_id)
        for session in targets:
            await self._send(session, event, data, guild_id)
        return bool(targets)

    async def close_sessions(self, token: str | None = None) -> None:
        """Close every session, or with 4004 those identified with `token` (revoked)."""
        for session in self.sessions:
            if session.socket.closed:
                continue
            if token is None:
                await session.socket.close()
            elif session.token == token:
                await session.socket.close(code=AUTHENTICATION_FAILED,
                                           message=b"Authentication failed.")  # fmt: skip

    async def _identify(self, session: Session, data: dict[str, Any]) -> None:
        session.token = str(data.get("token", "")).removeprefix("Bot ")
        if session.token in self.revoked:
            await session.socket.close(code=AUTHENTICATION_FAILED,
                                       message=b"Authentication failed.")  # fmt: skip
            return
        shard_id, count = data.get("shard") or [0, 1]
        if not 0 <= shard_id < count:
            await session.socket.close(code=INVALID_SHARD, message=b"Invalid shard.")
            return
        now = time.monotonic()
        key = shard_id % self.max_concurrency
        too_soon = now - self._last_identify.get(key, -self.identify_window) < self.identify_window
        self.identifies.append(Identify((shard_id, count), now, accepted=not too_soon))
        if too_soon:
            await session.socket.send_json({"op": 9, "d": False})
            return
        self._last_identify[key] = now
        session.shard = (shard_id, count)
        session.guilds = [g for g in self.guilds if shard_of(g, count) == shard_id]
        if len(session.guilds) > self.guilds_per_shard:
            await session.socket.close(code=SHARDING_REQUIRED, message=b"Sharding required.")
            return
        ready = {
            "v": 10, "user": BOT_USER, "session_id": f"session-{len(self.identifies)}",
            "guilds": [{"id": g, "unavailable": True} for g in session.guilds],
            "resume_gateway_url": self.url, "application": {"id": APP_ID, "flags": 0},
            "shard": [shard_id, count],
        }  # fmt: skip
        await self._send(session, "READY", ready, None)
        for guild_id in session.guilds:
            await self._send(session, "GUILD_CREATE", guild(guild_id, self.guilds[guild_id]),
                             guild_id)  # fmt: skip
        self.ready.set()

    async def _send(self, session: Session, event: str, data: Any, guild_id: str | None) -> None:
        session.events.append((event, guild_id))
        await session.socket.send_json({"op": 0, "t": event, "s": next(self._seq), "d": data})
