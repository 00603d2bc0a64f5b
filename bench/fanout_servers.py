"""The fan-out bench's chat servers, in their own process so their CPU is not the bot's: the
loopback Discord and Slack servers of tests/servers with the platforms' documented limits
(tests/servers/discord_faults.py and slack_faults.py), which answer 429 past them.

  python -m bench.fanout_servers
      prints "ready DISCORD_PORT SLACK_PORT STATS_PORT"; GET /stats on STATS_PORT gives, per
      platform, the requests it was sent, its 429 answers and its limit violations so far
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from aiohttp import web

from tests.servers import serve_on_loopback
from tests.servers.discord import DiscordServer
from tests.servers.limits import Violation
from tests.servers.slack import SlackServer


def _violations(found: list[Violation]) -> dict[str, Any]:
    rules = Counter(v.rule.partition(":")[0] for v in found)
    return {"count": len(found), "rules": dict(rules)}


class ChatStats:
    def __init__(self, discord: DiscordServer, slack: SlackServer) -> None:
        self.discord = discord
        self.slack = slack

    async def stats(self, request: web.Request) -> web.Response:
        discord_routes = Counter(
            f"{r.method} {'reply' if (r.body or {}).get('message_reference') else 'message'}"
            for r in self.discord.records
            if r.path.startswith("channels/")
        )
        discord = {
            "requests": len(self.discord.records),
            "by_route": dict(discord_routes),
            "answers_429": sum(1 for r in self.discord.records if r.status == 429),
            "violations": _violations(self.discord.violations),
        }
        slack_methods = Counter(c.method for c in self.slack.calls)
        slack = {
            "requests": len(self.slack.calls),
            "by_route": dict(slack_methods),
            # Every 429 the loopback Slack server answers on its own is a violation.
            "answers_429": len(self.slack.violations),
            "violations": _violations(self.slack.violations),
        }
        return web.json_response({"discord": discord, "slack": slack})


async def serve() -> None:
    discord = await DiscordServer().start()
    slack = await SlackServer().start()
    app = web.Application()
    app.router.add_get("/stats", ChatStats(discord, slack).stats)
    _, stats_port = await serve_on_loopback(app)
    print(f"ready {discord.port} {slack.port} {stats_port}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(serve())
