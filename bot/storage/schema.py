"""The tables, as numbered migration steps (bot.storage.migrate applies them in order): the
first ten, feeds to living messages; bot.storage.schema_operations has the later ones.

Never edit a released step; add a new one, and list it in bot.storage.migrate.MIGRATIONS.
"""

from __future__ import annotations

from bot.storage.statements import Statements


async def _v1_feeds_items_stories(tx: Statements) -> None:
    # Times are unix seconds (UTC). Items keep 16-byte hashes of their key and canonical link
    # so dedup across feeds is an index lookup and a stored item stays under 1 KiB.
    await tx.execute("""
        CREATE TABLE feed_state (
            feed_id TEXT PRIMARY KEY,
            first_polled_at INTEGER,
            last_fetch_at INTEGER,
            last_status INTEGER,
            etag TEXT,
            last_modified TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            last_note TEXT,
            next_poll_at INTEGER,
            entries_seen INTEGER NOT NULL DEFAULT 0
        )""")
    await tx.execute("""
        CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            key_hash BLOB NOT NULL UNIQUE,
            link_hash BLOB,
            feed_id TEXT NOT NULL,
            link TEXT NOT NULL,
            title TEXT NOT NULL,
            summary TEXT NOT NULL,
            published INTEGER,
            language TEXT,
            stored_at INTEGER NOT NULL,
            alertable INTEGER NOT NULL,  -- 0: older than --since, grouped but never alerted
            judged INTEGER NOT NULL DEFAULT 0,
            relevant INTEGER,
            score REAL,
            platforms TEXT,
            regions TEXT,
            event TEXT,
            reasons TEXT,
            story_id INTEGER
        )""")
    await tx.execute("CREATE UNIQUE INDEX items_link ON items(link_hash)")
    await tx.execute("CREATE INDEX items_unjudged ON items(id) WHERE judged = 0")
    await tx.execute("""
        CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            title TEXT NOT NULL,
            summary TEXT NOT NULL,
            event TEXT,
            platforms TEXT NOT NULL,
            regions TEXT NOT NULL,
            reasons TEXT NOT NULL,
            alertable INTEGER NOT NULL
        )""")


async def _v2_destinations_outbox(tx: Statements) -> None:
    # Delivery: each destination (console, a chat channel) gets durable jobs; a job's
    # idempotency key makes a retry after a crash a no-op rather than a second post.
    await tx.execute("""
        CREATE TABLE destinations (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            healthy INTEGER NOT NULL DEFAULT 1,
            health_note TEXT
        )""")
    await tx.execute("""
        CREATE TABLE subscriptions (
            destination_id TEXT NOT NULL REFERENCES destinations(id) ON DELETE CASCADE,
            region TEXT NOT NULL,
            platforms TEXT NOT NULL DEFAULT '',
            events TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (destination_id, region)
        )""")
    await tx.execute("""
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            destination_id TEXT NOT NULL REFERENCES destinations(id) ON DELETE CASCADE,
            story_id INTEGER NOT NULL REFERENCES stories(id),
            action TEXT NOT NULL,
            idem_key TEXT NOT NULL UNIQUE,
            state TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            last_error TEXT,
            created_at INTEGER NOT NULL,
            done_at INTEGER
        )""")
    await tx.execute(
        "CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE state = 'pending'"
    )


async def _v3_story_links(tx: Statements) -> None:
    # Why each item joined its story, and the message a destination posted for a story, so an
    # update edits that message instead of posting again.
    await tx.execute("""
        CREATE TABLE story_items (
            story_id INTEGER NOT NULL REFERENCES stories(id),
            item_id INTEGER NOT NULL REFERENCES items(id),
            why TEXT NOT NULL,
            PRIMARY KEY (story_id, item_id)
        )""")
    await tx.execute("ALTER TABLE outbox ADD COLUMN external_id TEXT")


async def _v4_story_grouping(tx: Statements) -> None:
    # Grouping reports of one event across outlets: each story keeps its distinctive headline
    # words and when it was last reported, and counts the alert versions it has been sent in.
    await tx.execute("ALTER TABLE stories ADD COLUMN words TEXT NOT NULL DEFAULT ''")
    await tx.execute("ALTER TABLE stories ADD COLUMN seen_at INTEGER NOT NULL DEFAULT 0")
    await tx.execute("ALTER TABLE stories ADD COLUMN version INTEGER NOT NULL DEFAULT 0")
    await tx.execute("UPDATE stories SET seen_at = updated_at")
    await tx.execute("CREATE INDEX stories_seen ON stories(seen_at)")
    # A regulator's or platform's own notice is the primary source, listed before press reports.
    await tx.execute("ALTER TABLE story_items ADD COLUMN is_primary INTEGER NOT NULL DEFAULT 0")


async def _v5_destination_settings(tx: Statements) -> None:
    # What each channel chose: global stories or not, immediate alerts or a daily digest at an
    # hour (UTC); a digest is one row per destination and day, so a restart never sends two.
    await tx.execute(
        "ALTER TABLE destinations ADD COLUMN include_global INTEGER NOT NULL DEFAULT 1"
    )
    await tx.execute("ALTER TABLE destinations ADD COLUMN digest_hour INTEGER")
    await tx.execute("""
        CREATE TABLE digests (
            id INTEGER PRIMARY KEY,
            destination_id TEXT NOT NULL REFERENCES destinations(id) ON DELETE CASCADE,
            day TEXT NOT NULL,
            story_ids TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            last_error TEXT,
            created_at INTEGER NOT NULL,
            external_id TEXT,
            UNIQUE (destination_id, day)
        )""")


async def _v6_story_kinds(tx: Statements) -> None:
    # A story's event follows what most of its reports say, so it counts the kinds they gave
    # ("pause=9 lawsuit=1", in the order first given); existing stories count their items.
    await tx.execute("ALTER TABLE stories ADD COLUMN kinds TEXT NOT NULL DEFAULT ''")
    rows = await tx.fetch_all(
        "SELECT s.story_id, i.event, count(*) AS n FROM story_items s"
        " JOIN items i ON i.id = s.item_id WHERE i.event IS NOT NULL"
        " GROUP BY s.story_id, i.event ORDER BY s.story_id, min(i.id)"
    )
    kinds: dict[int, list[str]] = {}
    for row in rows:
        kinds.setdefault(row["story_id"], []).append(f"{row['event']}={row['n']}")
    for story_id, counted in kinds.items():
        await tx.execute("UPDATE stories SET kinds = ? WHERE id = ?", (" ".join(counted), story_id))


async def _v7_story_region_counts(tx: Statements) -> None:
    # A story counts how many reports named each region ("GLOBAL=12 UK=2"), so a region few
    # of them name does not make it that region's story; existing stories count their items.
    await tx.execute("ALTER TABLE stories ADD COLUMN region_counts TEXT NOT NULL DEFAULT ''")
    rows = await tx.fetch_all(
        "SELECT s.story_id, i.regions FROM story_items s JOIN items i ON i.id = s.item_id"
        " WHERE i.event IS NOT NULL ORDER BY s.story_id, i.id"
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        story = counts.setdefault(row["story_id"], {})
        for region in (row["regions"] or "").split(","):
            if region:
                story[region] = story.get(region, 0) + 1
    for story_id, counted in counts.items():
        text = " ".join(f"{region}={count}" for region, count in counted.items())
        await tx.execute("UPDATE stories SET region_counts = ? WHERE id = ?", (text, story_id))


async def _v8_story_first_seen(tx: Statements) -> None:
    # A story spans ten days from its first report (seen_at is its latest); existing stories
    # take the earliest time among their items, or their latest if they have none.
    await tx.execute("ALTER TABLE stories ADD COLUMN first_seen INTEGER")
    await tx.execute(
        "UPDATE stories SET first_seen = coalesce((SELECT min(coalesce(i.published, i.stored_at))"
        " FROM story_items s JOIN items i ON i.id = s.item_id WHERE s.story_id = stories.id),"
        " seen_at)"
    )


async def _v9_story_match_sets(tx: Statements) -> None:
    # Stories are matched on the platforms and regions their headlines name, apart from the
    # ones their summaries add, which still route alerts; existing stories match on all.
    for column in ("match_platforms", "match_regions"):
        await tx.execute(f"ALTER TABLE stories ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
    await tx.execute("UPDATE stories SET match_platforms = platforms, match_regions = regions")


async def _v10_living_messages(tx: Statements) -> None:
    # One living message per story and destination: its id is kept apart from the jobs that
    # edit it, and each development (a story's new kind of event, or a region newly affected
    # or left out) is a row, told in the alert's timeline and as a reply under it. A job's
    # sent_at is written before the chat API is called: set on a pending job, it says the
    # message may have gone out, so it is looked up before it is sent again.
    await tx.execute("""
        CREATE TABLE developments (
            id INTEGER PRIMARY KEY,
            story_id INTEGER NOT NULL REFERENCES stories(id),
            item_id INTEGER REFERENCES items(id),
            at INTEGER NOT NULL,
            event TEXT,
            regions TEXT NOT NULL DEFAULT '',
            left_out TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL,
            link TEXT NOT NULL,
            opening INTEGER NOT NULL DEFAULT 0
        )""")
    await tx.execute("CREATE INDEX developments_story ON developments(story_id, at)")
    await tx.execute("""
        CREATE TABLE living_messages (
            destination_id TEXT NOT NULL REFERENCES destinations(id) ON DELETE CASCADE,
            story_id INTEGER NOT NULL REFERENCES stories(id),
            message_id TEXT NOT NULL,
            posted_at INTEGER NOT NULL,
            PRIMARY KEY (destination_id, story_id)
        )""")
    await tx.execute("ALTER TABLE outbox ADD COLUMN development_id INTEGER")
    await tx.execute("ALTER TABLE outbox ADD COLUMN sent_at INTEGER")
    await tx.execute("CREATE INDEX outbox_story ON outbox(destination_id, story_id)")
    # What older versions posted: the latest message each destination has for a story, and
    # each story's first report as the opening of its timeline.
    await tx.execute(
        "INSERT INTO living_messages (destination_id, story_id, message_id, posted_at)"
        " SELECT destination_id, story_id, external_id, coalesce(done_at, created_at)"
        " FROM outbox o WHERE external_id IS NOT NULL AND id = (SELECT max(p.id) FROM outbox p"
        "  WHERE p.destination_id = o.destination_id AND p.story_id = o.story_id"
        "  AND p.external_id IS NOT NULL)"
    )
    await tx.execute(
        "INSERT INTO developments (story_id, item_id, at, event, regions, title, link, opening)"
        " SELECT s.story_id, i.id, coalesce(i.published, i.stored_at), i.event,"
        " coalesce(i.regions, ''), i.title, i.link, 1"
        " FROM story_items s JOIN items i ON i.id = s.item_id"
        " WHERE i.id = (SELECT min(f.item_id) FROM story_items f WHERE f.story_id = s.story_id)"
    )
