"""The words of the commands' answers: what a channel receives, a story's line, the polls
due, the refusal and the command list. Plain text; each adapter renders it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from bot.health import when
from bot.links import web_link
from bot.models import Feed, FeedState
from bot.replies import Reply, problem
from bot.settings.regions import RegionBook
from bot.storage.stories import StoredStory
from bot.subscriptions import ALL, Route, Subscription
from bot.vocabulary import EVENT_KINDS, GLOBAL


def describe_route(route: Route | None, regions: RegionBook) -> str:
    """What a channel receives, in the words the subscription commands answer with."""
    if route is None or not route.subscriptions:
        return (
            "No subscriptions: this channel receives no alerts. "
            "Start with `/aiwatch subscribe UK,EU` (or any regions, or ALL)."
        )
    lines = [_subscription_line(s, regions) for s in route.subscriptions]
    if not route.include_global:
        lines.append("Stories that name no region: not sent here.")
    mode = (
        "alerts as they happen"
        if route.digest_hour is None
        else f"one digest a day at {route.digest_hour:02d}:00 UTC"
    )
    lines.append(f"Delivery: {mode}.")
    return "\n".join(lines)


def _subscription_line(sub: Subscription, regions: RegionBook) -> str:
    if sub.region == ALL:
        where = "ALL (every region)"
    elif sub.region == GLOBAL:
        where = "GLOBAL (stories that name no region)"
    else:
        where = f"{sub.region} ({regions.name(sub.region)})"
    platforms = ", ".join(sorted(sub.platforms)) or "every platform"
    events = ", ".join(sorted(sub.events)) or "every event kind"
    return f"- {where}: {platforms}; {events}"


def story_line(story: StoredStory) -> str:
    """A story's kind, platforms, regions and day, and its first web link."""
    seen = datetime.fromtimestamp(story.created_at, UTC).strftime("%Y-%m-%d")
    tags = " · ".join(
        x
        for x in (
            story.event or "",
            ", ".join(story.platforms),
            ", ".join(story.regions),
            seen,
        )
        if x
    )
    link = next(filter(None, map(web_link, story.links)), None)
    return f"{tags}\n{link}" if link else tags


def next_polls(feeds: tuple[Feed, ...], states: Mapping[str, FeedState]) -> str:
    """The five polls due soonest."""
    upcoming = sorted(
        (states[f.id].next_poll_at, f.id)
        for f in feeds
        if f.id in states and states[f.id].next_poll_at
    )
    return "\n".join(f"{fid}: {when(at)}" for at, fid in upcoming[:5]) or "not scheduled yet"


def not_allowed() -> Reply:
    return problem(
        "Only server or workspace managers can change subscriptions",
        "On Discord that needs the Manage Server permission; on Slack, a workspace admin or "
        "owner. Everyone may read: try `/aiwatch subscriptions` or `/aiwatch recent`.",
    )


HELP = "\n".join(
    [
        "/optout <platform> [region]: how to stop a platform using your data for AI,"
        " e.g. `/optout linkedin UK`",
        "/aiwatch subscribe <regions> [platforms:<ids>] [events:<kinds>]: alerts in this"
        " channel, e.g. `/aiwatch subscribe UK,EU platforms:linkedin,meta`",
        "/aiwatch unsubscribe [regions]: stop some regions, or all of them",
        "/aiwatch subscriptions: what this channel receives",
        "/aiwatch digest <hour|off>: one digest a day at that hour (UTC) instead of alerts",
        "/aiwatch recent [region] [platform]: the latest stories",
        "/aiwatch feeds: which feeds work, which fail and why",
        "/aiwatch help: this list",
        "",
        "Regions: codes or names (UK, EU, EEA, US, BR, DE, Germany…). EU covers its member"
        " states, EEA adds IS, LI and NO, ALL is everything; GLOBAL is stories that name no"
        " region (`/aiwatch unsubscribe GLOBAL` stops them).",
        f"Event kinds: {', '.join(EVENT_KINDS)}.",
        "Subscribing, unsubscribing and the digest need Manage Server (Discord) or a"
        " workspace admin or owner (Slack); everyone may read.",
    ]
)
