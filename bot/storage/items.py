"""items rows: every entry ever seen, once, however many feeds carried it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.models import Entry, Item, Judgement
from bot.storage.db import Database, Transaction

# Stored text is capped so an item stays under 1 KiB on disk; alerts need a headline and a
# sentence or two, not the article.
TITLE_LIMIT = 200
SUMMARY_LIMIT = 480


@dataclass(frozen=True)
class NewEntry:
    """An entry to store, with whether it may be alerted (it is newer than --since)."""

    feed_id: str
    entry: Entry
    alertable: bool


def digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


async def store_entries(tx: Transaction, entries: Iterable[NewEntry], now: int) -> int:
    """Insert entries not seen before (by key or canonical link); returns how many were new."""
    rows = []
    seen_keys: set[bytes] = set()
    seen_links: set[bytes] = set()
    for new in entries:
        entry = new.entry
        key, link = digest(entry.key), digest(entry.link) if entry.link else None
        if key in seen_keys or (link is not None and link in seen_links):
            continue
        seen_keys.add(key)
        if link is not None:
            seen_links.add(link)
        published = int(entry.published.timestamp()) if entry.published else None
        rows.append(
            (key, link, new.feed_id, entry.link, _clip(entry.title, TITLE_LIMIT),
             _clip(entry.summary, SUMMARY_LIMIT), published, entry.language, now,
             int(new.alertable))
        )  # fmt: skip
    if not rows:
        return 0
    # OR IGNORE: an entry already stored (any feed, by key or by link) is skipped, not updated.
    return await tx.execute_many(
        "INSERT OR IGNORE INTO items (key_hash, link_hash, feed_id, link, title, summary,"
        " published, language, stored_at, alertable) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


async def unjudged_items(db: Database, limit: int = 5000) -> list[Item]:
    rows = await db.fetch_all(
        "SELECT id, feed_id, link, title, summary, published, language, alertable"
        " FROM items WHERE judged = 0 ORDER BY id LIMIT ?",
        (limit,),
    )
    return [
        Item(
            id=row["id"],
            feed_id=row["feed_id"],
            link=row["link"],
            title=row["title"],
            summary=row["summary"],
            published=datetime.fromtimestamp(row["published"], UTC) if row["published"] else None,
            language=row["language"],
            alertable=bool(row["alertable"]),
        )
        for row in rows
    ]


async def save_judgements(
    tx: Transaction, verdicts: Iterable[tuple[int, Judgement, int | None]]
) -> None:
    """One statement for the whole batch; reasons are kept for relevant items only."""
    await tx.execute_many(
        "UPDATE items SET judged = 1, relevant = ?, score = ?, platforms = ?, regions = ?,"
        " event = ?, reasons = ?, story_id = ? WHERE id = ?",
        (
            (
                int(j.relevant),
                j.score,
                ",".join(j.platforms),
                ",".join(j.regions),
                j.event,
                json.dumps(j.reasons, ensure_ascii=False) if j.relevant else None,
                story_id,
                item_id,
            )
            for item_id, j, story_id in verdicts
        ),
    )


async def count_items(db: Database) -> int:
    row = await db.fetch_one("SELECT count(*) FROM items")
    return int(row[0]) if row else 0


async def items_by_language(db: Database) -> dict[str, dict[str, int]]:
    """feed id -> language -> items stored (declared by the feed or identified from the
    text): the health views count those in languages the classifier does not read."""
    rows = await db.fetch_all(
        "SELECT feed_id, language, count(*) AS n FROM items"
        " WHERE language IS NOT NULL GROUP BY feed_id, language"
    )
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["feed_id"], {})[row["language"]] = row["n"]
    return counts


async def known_links(db: Database, links: Iterable[str]) -> set[str]:
    """Which of these canonical links are stored already (from any feed or page)."""
    wanted = {digest(link): link for link in links if link}
    if not wanted:
        return set()
    hashes = list(wanted)
    found: set[str] = set()
    for start in range(0, len(hashes), 500):  # SQLite's bound-parameter limit
        chunk = hashes[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        rows = await db.fetch_all(
            f"SELECT link_hash FROM items WHERE link_hash IN ({marks})",  # noqa: S608
            tuple(chunk),
        )
        found.update(wanted[bytes(row[0])] for row in rows)
    return found
