"""developments rows: a story's timeline, from its opening report to each later step that
changed what it means for someone. The alert shows them all; each later one is a reply."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.models import Development
from bot.storage.db import Database, Transaction


async def record_development(
    tx: Transaction, story_id: int, item_id: int | None, step: Development
) -> int:
    row = await tx.fetch_one(
        "INSERT INTO developments (story_id, item_id, at, event, regions, left_out, title,"
        " link, opening) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (story_id, item_id, int(step.at.timestamp()), step.event, ",".join(step.regions),
         ",".join(step.left_out), step.title, step.link, int(step.opening)),
    )  # fmt: skip
    assert row is not None
    return int(row[0])


async def story_timeline(db: Database | Transaction, story_id: int) -> tuple[Development, ...]:
    """The story's steps, oldest first (the opening report first among equals)."""
    rows = await db.fetch_all(
        "SELECT id, at, event, regions, left_out, title, link, opening FROM developments"
        " WHERE story_id = ? ORDER BY at, opening DESC, id",
        (story_id,),
    )
    return tuple(
        Development(
            id=row["id"],
            at=datetime.fromtimestamp(row["at"], UTC),
            event=row["event"],
            regions=_split(row["regions"]),
            left_out=_split(row["left_out"]),
            title=row["title"],
            link=row["link"],
            opening=bool(row["opening"]),
        )
        for row in rows
    )


async def regions_left_out(tx: Transaction, story_id: int) -> frozenset[str]:
    """Every region the story's steps said was left out so far."""
    rows = await tx.fetch_all(
        "SELECT left_out FROM developments WHERE story_id = ? AND left_out != ''", (story_id,)
    )
    return frozenset(code for row in rows for code in _split(row[0]))


async def developing_stories(
    db: Database | Transaction, since: int
) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """The regions and platforms of each alertable story with a step (its opening or a
    development) at or after `since`: the stories still developing."""
    rows = await db.fetch_all(
        "SELECT s.regions, s.platforms FROM stories s WHERE s.alertable = 1 AND EXISTS"
        " (SELECT 1 FROM developments d WHERE d.story_id = s.id AND d.at >= ?)",
        (since,),
    )
    return [(_split(row["regions"]), _split(row["platforms"])) for row in rows]


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(part for part in (text or "").split(",") if part)
