"""stories and story_items rows: one event, the items that report it, and why each joined."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, NamedTuple

from bot.models import StorySignature
from bot.storage.db import Database, Transaction


@dataclass(frozen=True)
class StoredStory:
    id: int
    created_at: int
    title: str
    summary: str
    event: str | None
    platforms: tuple[str, ...]
    regions: tuple[str, ...]
    reasons: tuple[str, ...]
    alertable: bool
    links: tuple[str, ...] = ()


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(p for p in (text or "").split(",") if p)


async def create_story(
    tx: Transaction, story: StoredStory, signature: StorySignature, now: int
) -> int:
    row = await tx.fetch_one(
        "INSERT INTO stories (created_at, updated_at, title, summary, event, platforms, regions,"
        " reasons, alertable, words, seen_at, first_seen, kinds, region_counts,"
        " match_platforms, match_regions)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (now, now, story.title, story.summary, story.event,
         _joined(signature.covered_platforms()), _joined(signature.covered_regions()),
         json.dumps(story.reasons, ensure_ascii=False),
         int(story.alertable), " ".join(sorted(signature.words)), signature.seen_at,
         signature.started_at(), _counts_text(signature.kind_counts()),
         _counts_text(signature.region_counts()), _joined(signature.platforms),
         _joined(signature.regions)),
    )  # fmt: skip
    assert row is not None
    return int(row[0])


async def grow_story(
    tx: Transaction, story_id: int, signature: StorySignature, alertable: bool, now: int
) -> None:
    """A report joined: the story now covers its merged platforms, regions and words, and
    its event is what most of its reports say."""
    await tx.execute(
        "UPDATE stories SET updated_at = ?, platforms = ?, regions = ?, words = ?, seen_at = ?,"
        " first_seen = ?, event = ?, kinds = ?, region_counts = ?,"
        " alertable = CASE WHEN ? = 1 THEN 1 ELSE alertable END,"
        " match_platforms = ?, match_regions = ?"
        " WHERE id = ?",
        (now, _joined(signature.covered_platforms()), _joined(signature.covered_regions()),
         " ".join(sorted(signature.words)), signature.seen_at, signature.started_at(),
         signature.event,
         _counts_text(signature.kind_counts()), _counts_text(signature.region_counts()),
         int(alertable), _joined(signature.platforms), _joined(signature.regions), story_id),
    )  # fmt: skip


async def next_version(tx: Transaction, story_id: int) -> int:
    """Each update of a story's alert gets a new version, part of its idempotency key."""
    await tx.execute("UPDATE stories SET version = version + 1 WHERE id = ?", (story_id,))
    row = await tx.fetch_one("SELECT version FROM stories WHERE id = ?", (story_id,))
    assert row is not None
    return int(row[0])


async def open_stories(tx: Transaction, since: int) -> list[tuple[int, StorySignature]]:
    rows = await tx.fetch_all(
        "SELECT id, event, platforms, regions, words, seen_at, first_seen, kinds, region_counts,"
        " match_platforms, match_regions FROM stories"
        " WHERE seen_at >= ? ORDER BY id",
        (since,),
    )
    return [
        (
            row["id"],
            StorySignature(
                event=row["event"],
                platforms=frozenset(_split(row["match_platforms"])),
                regions=frozenset(_split(row["match_regions"])),
                words=frozenset(row["words"].split()),
                seen_at=row["seen_at"],
                first_seen=row["first_seen"],
                kinds=_counts_of(row["kinds"]),
                region_reports=_counts_of(row["region_counts"]),
                all_platforms=frozenset(_split(row["platforms"])),
                all_regions=frozenset(_split(row["regions"])),
            ),
        )
        for row in rows
    ]


def _joined(codes: frozenset[str]) -> str:
    return ",".join(sorted(codes))


def _counts_text(counts: dict[str, int]) -> str:
    """'pause=9 lawsuit=1': how many reports gave each kind or named each region."""
    return " ".join(f"{key}={count}" for key, count in counts.items())


def _counts_of(text: str) -> tuple[tuple[str, int], ...]:
    pairs = (part.partition("=") for part in text.split())
    return tuple((key, int(count)) for key, _, count in pairs)


async def link_item(
    tx: Transaction, story_id: int, item_id: int, why: str, *, primary: bool = False
) -> None:
    await tx.execute(
        "INSERT OR IGNORE INTO story_items (story_id, item_id, why, is_primary)"
        " VALUES (?, ?, ?, ?)",
        (story_id, item_id, why, int(primary)),
    )


async def load_story(db: Database | Transaction, story_id: int) -> StoredStory | None:
    row = await db.fetch_one("SELECT * FROM stories WHERE id = ?", (story_id,))
    if row is None:
        return None
    links = await db.fetch_all(
        "SELECT i.link FROM story_items s JOIN items i ON i.id = s.item_id"
        " WHERE s.story_id = ? ORDER BY s.is_primary DESC, i.id",
        (story_id,),
    )
    return StoredStory(
        id=row["id"],
        created_at=row["created_at"],
        title=row["title"],
        summary=row["summary"],
        event=row["event"],
        platforms=_split(row["platforms"]),
        regions=_split(row["regions"]),
        reasons=tuple(json.loads(row["reasons"])),
        alertable=bool(row["alertable"]),
        links=tuple(r["link"] for r in links if r["link"]),
    )


class StoryTags(NamedTuple):
    """What the router and filters look at, without loading a whole story."""

    id: int
    regions: tuple[str, ...]
    platforms: tuple[str, ...]
    event: str | None


async def recent_story_tags(db: Database, limit: int) -> list[StoryTags]:
    """The latest stories, newest first."""
    rows = await db.fetch_all(
        "SELECT id, regions, platforms, event FROM stories ORDER BY updated_at DESC, id DESC"
        " LIMIT ?",
        (limit,),
    )
    return [_tags(row) for row in rows]


async def alertable_story_tags_between(
    db: Database | Transaction, start: int, end: int
) -> list[StoryTags]:
    """Stories first seen after `start` up to `end` that may be alerted, oldest first."""
    rows = await db.fetch_all(
        "SELECT id, regions, platforms, event FROM stories"
        " WHERE alertable = 1 AND created_at > ? AND created_at <= ? ORDER BY id",
        (start, end),
    )
    return [_tags(row) for row in rows]


def _tags(row: Any) -> StoryTags:
    return StoryTags(row["id"], _split(row["regions"]), _split(row["platforms"]), row["event"])
