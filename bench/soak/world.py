"""The soak's sources and what each serves at a given time: pure functions, no I/O.

2,000 sources by default, each on one of 100 loopback hosts (127.0.0.1-100, so the per-host
limit applies as it would to real publishers):
  good      RSS feeds; a new routine item every 2, 6 or 24 hours, or never
  page      news pages read through CSS selectors, with the same routine items
  slow      feeds that answer after 0.1-0.5 s
  failing   404, 410, 500, 429 with Retry-After, a dead port, no answer before the fetch
            timeout, garbage, HTML instead of a feed, a redirect loop
  flapping  503 on every other request, or down for 3 hours in every 6
Some good feeds and pages also carry the stories: a platform starting to train AI on one
region's users' posts, a second outlet confirming it, and for every third story a pause (a
development, told as a reply). Stories come hourly in the simulated day and every two minutes
in the real run, and never repeat a platform and region, so each stays its own story.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tests.servers.feeds import FeedItem, make_rss
from tests.servers.pages import PAGE_YAML, make_page

HOSTS = 100
ITEMS_SHOWN = 15  # entries in a feed or on a page, newest first
INTERVALS = ((5, 5), (15, 15), (30, 30), (60, 50))  # (minutes, share in 100)
KINDS = (("good", 55), ("page", 15), ("slow", 10), ("failing", 10), ("flapping", 10))
FAULTS = (
    ("404", 14),
    ("500", 14),
    ("429", 12),
    ("refused", 12),
    ("garbage", 12),
    ("html", 12),
    ("loop", 10),
    ("410", 10),
    ("timeout", 4),
)  # (fault, share in 100 failing sources)
CADENCE_HOURS = (2, 6, 24, 0)  # 0: nothing new, ever
ROUTINE = (
    "publishes its annual report on road maintenance",
    "announces new opening hours for the public library",
    "names a new chair of its advisory board",
    "reports the results of the consultation on parking",
    "publishes third-quarter statistics on complaints handled",
    "opens applications for its summer internship programme",
    "updates guidance on recycling collection days",
    "holds a public meeting on the harbour redevelopment",
)
PLATFORMS = ("LinkedIn", "Reddit", "Zoom", "Adobe", "Quora", "Tumblr", "WordPress", "Pinterest",
             "Medium", "Substack", "Snapchat", "Udemy", "Grammarly", "Figma", "Squarespace",
             "SoundCloud", "Slack", "Google", "Microsoft", "Bluesky", "Discord", "DeviantArt",
             "Perplexity", "Mistral", "WeTransfer", "TikTok", "Amazon", "Bumble", "Photobucket",
             "Otter", "Stack Overflow", "Anthropic")  # fmt: skip
REGIONS = (("UK", "UK", "the ICO"), ("BR", "Brazilian", "the ANPD"), ("US", "US", "the FTC"),
           ("CA", "Canadian", "Canada's privacy commissioner"), ("AU", "Australian", "the OAIC"),
           ("KR", "South Korean", "the PIPC"), ("JP", "Japanese", "regulators"),
           ("EU", "EU", "regulators"))  # fmt: skip
REGION_CODES = tuple(code for code, _, _ in REGIONS)
DAY_STORY_EVERY = 2 * 3600  # simulated: a story every two hours
REAL_STORY_EVERY = 120  # real run: every two minutes
DAY_FOLLOW_UPS = (0, 40 * 60, 3 * 3600)  # opening, confirmation, pause (simulated seconds)
REAL_FOLLOW_UPS = (30, 90, 210)  # the same, in the real run


@dataclass(frozen=True)
class Source:
    index: int
    kind: str
    interval: int  # minutes
    fault: str = ""  # failing: one of FAULTS; flapping: "alternate" or "outage"

    @property
    def id(self) -> str:
        return f"soak-{self.index:04d}"

    @property
    def host(self) -> str:
        return f"127.0.0.{self.index % HOSTS + 1}"

    @property
    def cadence(self) -> int:
        """Hours between routine items (0: none)."""
        return CADENCE_HOURS[(self.index // 7) % len(CADENCE_HOURS)] if self.kind != "page" else 6

    @property
    def carries_stories(self) -> bool:
        return self.kind in ("good", "page")


def _pick(index: int, table: tuple[tuple[Any, int], ...], salt: int) -> Any:
    """A stable choice by share, spread over the indexes (shares add up to 100)."""
    slot = (index * 37 + salt * 11) % 100
    for value, share in table:
        if slot < share:
            return value
        slot -= share
    return table[-1][0]


def sources(count: int) -> list[Source]:
    made = []
    for index in range(count):
        kind = _pick(index, KINDS, 0)
        fault = ""
        if kind == "failing":
            fault = _pick(index // 7, FAULTS, 1)
        elif kind == "flapping":
            fault = ("alternate", "outage")[index // 3 % 2]
        made.append(Source(index, kind, _pick(index // 3, INTERVALS, 2), fault))
    return made


def feeds_file(all_sources: list[Source], port: int, dead_port: int) -> list[dict[str, Any]]:
    """The feeds.yaml entries for the sources (the bot's own file format)."""
    entries: list[dict[str, Any]] = []
    for source in all_sources:
        served = dead_port if source.fault == "refused" else port
        entry: dict[str, Any] = {"id": source.id, "url": f"http://{source.host}:{served}/s/"
                                 f"{source.index}", "interval": source.interval}  # fmt: skip
        if source.index % 4:  # a quarter leave their language to be identified
            entry["language"] = "en"
        if source.index % 10 == 0:
            entry["kind"] = "regulator"
        if source.kind == "page":
            entry.update(type="page", page=dict(PAGE_YAML))
        entries.append(entry)
    return entries


@dataclass(frozen=True)
class StoryItem:
    source: int
    item: FeedItem


def story_items(number: int, opened: float, follow_ups: tuple[int, ...], carriers: list[int]
                ) -> list[StoryItem]:  # fmt: skip
    """Story `number`'s reports: each on its own carrier, at its time."""
    platform = PLATFORMS[number % len(PLATFORMS)]
    code, people, regulator = REGIONS[(number + number // len(PLATFORMS)) % len(REGIONS)]
    slug = f"{platform.lower()}-{code.lower()}-{number}"
    texts = [
        (f"{platform} to train AI on {people} users' posts by default",
         "Users are opted in unless they switch the setting off."),
        (f"{platform} confirms {people} users' data will train its AI models",
         "The company says users can object in their settings."),
        (f"{platform} pauses AI training on {people} users' data after {regulator} raised "
         "concerns", "The pause follows talks with the regulator."),
    ]  # fmt: skip
    if number % 3:
        texts = texts[:2]  # only every third story has a development
    made = []
    for step, ((title, summary), delay) in enumerate(zip(texts, follow_ups, strict=False)):
        carrier = carriers[(number * 31 + step * 17) % len(carriers)]
        when = datetime.fromtimestamp(opened + delay, UTC)
        link = f"https://news{carrier}.example/{slug}/{step}"
        made.append(StoryItem(carrier, FeedItem(title, link, summary, when, link)))
    return made


def routine_items(source: Source, now: float, base: float) -> tuple[int, list[FeedItem]]:
    """The latest routine items at `now`, and the newest one's number (its version)."""
    cadence = source.cadence * 3600
    phase = (source.index * 977) % max(cadence, 3600)
    newest = int((now - base - phase) // cadence) if cadence else 0
    items = []
    for number in range(newest, newest - ITEMS_SHOWN, -1):
        published = base + phase + number * cadence if cadence else base - 86400 * (1 - number)
        topic = ROUTINE[(source.index + number) % len(ROUTINE)]
        link = f"https://source{source.index}.example/notices/{number}"
        items.append(FeedItem(f"The council of town {source.index} {topic} (notice {number})",
                              link, f"Notice {number} from town {source.index}. " * 3,
                              datetime.fromtimestamp(published, UTC), link))  # fmt: skip
    return newest, items


def body(source: Source, routine: list[FeedItem], stories: list[FeedItem]) -> bytes:
    """The feed or page: its latest entries, newest first."""
    entries = sorted(routine + stories, key=_when, reverse=True)
    entries = entries[:ITEMS_SHOWN]
    if source.kind == "page":
        return make_page(entries, padding=2000)
    return make_rss(entries, title=f"Town {source.index}")


def _when(item: FeedItem) -> float:
    return item.published.timestamp() if item.published else 0.0
