"""stories and story_items rows: one event, the items that report it, and why each joined."""

from __future__ import annotations

import json
from dataclasses import dataclass

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


async def create_story(tx: Transaction, story: StoredStory, now: int) -> int:
    rowid = await tx.execute(
        "INSERT INTO stories (created_at, updated_at, title, summary, event, platforms, regions,"
        " reasons, alertable) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (now, now, story.title, story.summary, story.event, ",".join(story.platforms),
         ",".join(story.regions), json.dumps(story.reasons, ensure_ascii=False),
         int(story.alertable)),
    )  # fmt: skip
    assert rowid is not None
    return rowid


async def update_story(tx: Transaction, story: StoredStory, now: int) -> None:
    await tx.execute(
        "UPDATE stories SET updated_at = ?, platforms = ?, regions = ?, alertable = ? WHERE id = ?",
        (now, ",".join(story.platforms), ",".join(story.regions), int(story.alertable), story.id),
    )


async def link_item(tx: Transaction, story_id: int, item_id: int, why: str) -> None:
    await tx.execute(
        "INSERT OR IGNORE INTO story_items (story_id, item_id, why) VALUES (?, ?, ?)",
        (story_id, item_id, why),
    )


async def load_story(db: Database | Transaction, story_id: int) -> StoredStory | None:
    row = await db.fetch_one("SELECT * FROM stories WHERE id = ?", (story_id,))
    if row is None:
        return None
    links = await db.fetch_all(
        "SELECT i.link FROM story_items s JOIN items i ON i.id = s.item_id"
        " WHERE s.story_id = ? ORDER BY i.id",
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
