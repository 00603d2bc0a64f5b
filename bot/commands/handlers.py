"""The command logic, one method per command, on plain data; adapters only translate.

Everyone may read (optout, subscriptions, recent, feeds, help); only those who may manage the
server or workspace change what a channel receives.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.commands import arguments as args
from bot.commands.call import CommandCall, parse_call
from bot.commands.wording import HELP, describe_route, next_polls, not_allowed, story_line
from bot.delivery.platforms import platform_name
from bot.health import count_feeds, describe_failure, feeds_not_understood
from bot.optout.guide import Guide
from bot.replies import Field, Reply, problem
from bot.settings import Config
from bot.storage import Database
from bot.storage.destinations import (
    ensure_destination,
    mark_destination_healthy,
    unhealthy_destinations,
)
from bot.storage.feeds import load_feed_states
from bot.storage.items import items_by_language
from bot.storage.platforms import platform_health
from bot.storage.stories import load_story, recent_story_tags
from bot.storage.subscriptions import set_digest_hour, set_include_global, subscribe, unsubscribe
from bot.subscriptions import ALL, Route, Subscription, load_route
from bot.vocabulary import GLOBAL

RECENT_LIMIT = 8


@dataclass(frozen=True)
class Asker:
    """Who asks, where, and whether they may change that destination's subscriptions."""

    destination_id: str  # "discord:<guild>/<channel>", "slack:<team>/<channel>", "console:stdout"
    can_manage: bool
    user: str = ""

    @property
    def kind(self) -> str:
        return self.destination_id.partition(":")[0]

    def may_see(self, destination_id: str) -> bool:
        """A server or workspace sees its own channels only; the console operator sees all."""
        if self.kind == "console":
            return True
        server = self.destination_id.rpartition("/")[0]
        return destination_id.startswith(f"{server}/")


class Commands:
    def __init__(
        self, db: Database, config: Config, guide: Guide, clock: Callable[[], float] = time.time
    ) -> None:
        self.db = db
        self.config = config
        self.guide = guide
        self.clock = clock

    async def optout(self, asker: Asker, platform: str, region: str | None = None) -> Reply:
        """The region defaults to the channel's first subscribed region, else every region."""
        if not platform.strip():
            return problem("Name a platform", "For example: `/optout linkedin UK`.")
        if region is None:
            route = await load_route(self.db, asker.destination_id)
            named = [r for r in route.regions if r not in (ALL, GLOBAL)] if route else []
            region = named[0] if named else None
        return self.guide.reply(platform, region)

    async def subscribe(
        self, asker: Asker, regions: str, platforms: str = "", events: str = ""
    ) -> Reply:
        if not asker.can_manage:
            return not_allowed()
        codes = args.parse_regions(regions, self.config.regions)
        if isinstance(codes, Reply):
            return codes
        platform_ids = args.parse_platforms(platforms, self.config.platforms)
        if isinstance(platform_ids, Reply):
            return platform_ids
        kinds = args.parse_events(events)
        if isinstance(kinds, Reply):
            return kinds
        async with self.db.transaction() as tx:
            await ensure_destination(tx, asker.destination_id, asker.kind, int(self.clock()))
            await subscribe(tx, asker.destination_id, codes, platform_ids, kinds)
            await mark_destination_healthy(tx, asker.destination_id)  # a person is here now
            if GLOBAL in codes:
                await set_include_global(tx, asker.destination_id, True)
        route = await load_route(self.db, asker.destination_id)
        return Reply(
            title=f"Subscribed to {', '.join(codes)}",
            text=describe_route(route, self.config.regions),
            private=False,
        )

    async def unsubscribe(self, asker: Asker, regions: str = "") -> Reply:
        if not asker.can_manage:
            return not_allowed()
        codes = args.parse_regions(regions, self.config.regions) if regions.strip() else None
        if isinstance(codes, Reply):
            return codes
        async with self.db.transaction() as tx:
            removed = await unsubscribe(tx, asker.destination_id, codes)
            if codes is not None and GLOBAL in codes:  # a choice kept even with no regions yet
                await ensure_destination(tx, asker.destination_id, asker.kind, int(self.clock()))
                await set_include_global(tx, asker.destination_id, False)
                removed += 1
        if not removed:
            return problem(
                "Nothing to remove",
                f"This channel has no subscription to {', '.join(codes or ['any region'])}. "
                "See them with `/aiwatch subscriptions`.",
            )
        route = await load_route(self.db, asker.destination_id)
        what = ", ".join(codes) if codes else "every region"
        return Reply(
            title=f"Unsubscribed from {what}",
            text=describe_route(route, self.config.regions),
            private=False,
        )

    async def subscriptions(self, asker: Asker) -> Reply:
        route = await load_route(self.db, asker.destination_id)
        return Reply(
            title="This channel's subscriptions", text=describe_route(route, self.config.regions)
        )

    async def digest(self, asker: Asker, hour: str) -> Reply:
        if not asker.can_manage:
            return not_allowed()
        value = args.parse_hour(hour)
        if isinstance(value, Reply):
            return value
        async with self.db.transaction() as tx:
            await ensure_destination(tx, asker.destination_id, asker.kind, int(self.clock()))
            await set_digest_hour(tx, asker.destination_id, value)
        title = "Alerts as they happen" if value is None else f"Daily digest at {value:02d}:00 UTC"
        route = await load_route(self.db, asker.destination_id)
        return Reply(title=title, text=describe_route(route, self.config.regions), private=False)

    async def recent(self, asker: Asker, region: str = "", platform: str = "") -> Reply:
        code = args.parse_region(region, self.config.regions) if region.strip() else None
        if isinstance(code, Reply):
            return code
        platform_ids = args.parse_platforms(platform, self.config.platforms)
        if isinstance(platform_ids, Reply):
            return platform_ids
        filters = Route("query", (Subscription(code or ALL, frozenset(platform_ids)),))
        fields = []
        for tags in await recent_story_tags(self.db, 500):
            if not filters.wants(tags.regions, tags.platforms, tags.event, self.config.regions):
                continue
            story = await load_story(self.db, tags.id)
            if story is not None:
                fields.append(Field(story.title[:200], story_line(story)))
            if len(fields) == RECENT_LIMIT:
                break
        where = " ".join(x for x in (code, *platform_ids) if x) or "all regions and platforms"
        if not fields:
            return Reply(title=f"No stories yet for {where}", text="Try a wider filter.")
        return Reply(title=f"Latest stories: {where}", fields=tuple(fields))

    async def feeds(self, asker: Asker) -> Reply:
        feeds = self.config.feeds
        states = await load_feed_states(self.db)
        counts = count_feeds(feeds, states)
        fields = []
        if counts.failing:
            lines = [f"{f.id}: {describe_failure(s)}" for f, s in counts.failing[:15]]
            if len(counts.failing) > 15:
                lines.append(f"… and {len(counts.failing) - 15} more (`aiwatch feeds` lists all)")
            fields.append(Field("Failing", "\n".join(lines)))
        fields.append(Field("Next polls", next_polls(feeds, states)))
        unread = feeds_not_understood(feeds, await items_by_language(self.db),
                                      self.config.rules.languages)  # fmt: skip
        if unread:
            fields.append(Field("Not understood", "\n".join(unread[:15])))
        broken = [f"{d}: {note}" for d, note in await unhealthy_destinations(self.db)
                  if asker.may_see(d)]  # fmt: skip
        stopped = [f"{platform_name(p.name)} stopped: {p.reason}"
                   for p in await platform_health(self.db)
                   if not p.healthy and asker.kind in ("console", p.name)]  # fmt: skip
        delivery = "\n".join(stopped + broken) or "every channel reachable"
        fields.append(Field("Delivery", delivery))
        return Reply(
            title=f"Feeds: {counts.summary()}",
            fields=tuple(fields),
        )

    def help(self, asker: Asker | None = None) -> Reply:
        return Reply(title="AI Data Watch commands", text=HELP)

    async def run(self, asker: Asker, call: CommandCall) -> Reply:
        """The one door every chat and the console come in by; an unknown subcommand gets
        the command list."""
        options = call.options
        if call.command == "optout":
            return await self.optout(asker, options.get("platform", ""), options.get("region"))
        match call.subcommand:
            case "subscribe":
                regions, platforms = options.get("regions", ""), options.get("platforms", "")
                return await self.subscribe(asker, regions, platforms, options.get("events", ""))
            case "unsubscribe":
                return await self.unsubscribe(asker, options.get("regions", ""))
            case "subscriptions":
                return await self.subscriptions(asker)
            case "digest":
                return await self.digest(asker, options.get("hour", ""))
            case "recent":
                region, platform = options.get("region", ""), options.get("platform", "")
                return await self.recent(asker, region, platform)
            case "feeds":
                return await self.feeds(asker)
            case "help":
                return self.help(asker)
        return problem(f"'/{call.command} {call.subcommand}' is not a command", HELP)

    async def run_typed(self, asker: Asker, text: str) -> Reply | None:
        """A command typed as one line (the console, Slack) through the same door; None when
        the text is not a command."""
        call = parse_call(text, self.config.regions)
        return None if call is None else await self.run(asker, call)
