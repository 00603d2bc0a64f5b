"""discord.py's AutoShardedClient, launched past a gateway proxy and closed for good.

Each gateway connection heartbeats from its own thread from Discord's first message on.
discord.py's close closes the connections its shards hold; a shard being launched or
re-identifying at that moment (waiting its 5 s turn to IDENTIFY, say) holds a newer one, which
then stays open with its heartbeat thread beating a stopped platform, and a shard that fails
to launch is retried every 5 s for ever. So a closed client launches no shard and closes every
gateway connection it opened."""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

import discord
import yarl

# discord.py's own gateway address, read before use_endpoints can point it at a proxy
DISCORD_GATEWAY = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY


def use_endpoints(api_base: str, gateway_url: str | None) -> None:
    """REST and gateway proxies (DESIGN.md contract). Both are process-wide in discord.py."""
    discord.http.Route.BASE = api_base.rstrip("/")
    if gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


class ShardedClient(discord.AutoShardedClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # discord.py hands each gateway connection it opens to the connection state before
        # the connection's first message: the one place that sees them all
        self._gateways: weakref.WeakSet[discord.gateway.DiscordWebSocket] = weakref.WeakSet()
        opened = self._connection._update_references

        def track(ws: discord.gateway.DiscordWebSocket) -> None:
            self._gateways.add(ws)
            opened(ws)

        self._connection._update_references = track  # type: ignore[method-assign]

    async def launch_shards(self) -> None:
        """With a gateway proxy (DISCORD_GATEWAY_URL), take only the shard count from
        GET /gateway/bot: discord.py would connect to the address it names, Discord's own."""
        proxied = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY != DISCORD_GATEWAY
        if self.shard_count is None and proxied:
            self.shard_count, _, _ = await self.http.get_bot_gateway()
        await super().launch_shards()

    async def launch_shard(self, gateway: yarl.URL, shard_id: int, *, initial: bool = False
                           ) -> None:  # fmt: skip
        """Closed while the shards launch: the rest are not launched, nor the one that
        failed retried (every 5 s, for ever, with the client's HTTP session closed)."""
        if self.is_closed():
            return
        await super().launch_shard(gateway, shard_id, initial=initial)

    async def close(self) -> None:
        """After discord.py's close (whose HTTP session's end cuts every gateway connection
        still opening, so none can start a heartbeat later), close the connections it
        missed; each stops its heartbeat thread first."""
        await super().close()
        # a connection that cannot send its close frame is cut all the same
        await asyncio.gather(*(ws.close(code=1000) for ws in list(self._gateways)),
                             return_exceptions=True)  # fmt: skip
