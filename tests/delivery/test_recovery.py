"""Recovering from failures mid-delivery: the drain never spins, never shows less than it
marks done, and never forgets that a message may have gone out. The destinations fail the
way chat APIs do (answers lost after the message was taken); only the drain is under test."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from bot.delivery import DeliveryError, OutboxDrainer
from bot.delivery.destination import marker_in
from bot.models import Alert, Development
from bot.storage import Database
from bot.storage.destinations import ensure_destination
from bot.storage.developments import record_development
from bot.storage.outbox import enqueue
from bot.storage.stories import StoredStory, create_story
from bot.stories import StorySignature

DEST = "discord:1/2"


class Fake:
    kind = "discord"
    dedup_window = 60.0

    def __init__(self) -> None:
        self.posts: list[tuple[str, Alert]] = []
        self.edits: list[str] = []
        self.replies: list[int] = []
        self.fail_reply_once: set[int] = set()
        self.nonce_store: dict[str, tuple[str, Alert]] = {}
        self.fail_post_after_apply = False

    async def post(self, address, alert, key):
        if key.nonce in self.nonce_store:  # enforce_nonce: the first message comes back
            return self.nonce_store[key.nonce][0]
        mid = str(100 + len(self.posts))
        self.posts.append((mid, alert))
        self.nonce_store[key.nonce] = (mid, alert)
        if self.fail_post_after_apply:
            self.fail_post_after_apply = False
            raise DeliveryError("Discord answered 503")
        return mid

    async def edit(self, address, message_id, alert):
        self.edits.append(message_id)

    async def reply(self, address, message_id, alert, key):
        dev = key.development_id
        if dev in self.fail_reply_once:
            self.fail_reply_once.discard(dev)
            raise DeliveryError("Discord answered 500")
        self.replies.append(dev)
        return str(900 + len(self.replies))

    async def find(self, address, key, parent_id):
        return None

    async def post_digest(self, address, digest):
        return None


async def _story(db: Database) -> int:
    async with db.transaction() as tx:
        await ensure_destination(tx, DEST, "discord", 1)
        story = StoredStory(0, 1, "Story", "", "pause", ("meta",), ("EU",), (), True)
        sig = StorySignature("pause", frozenset({"meta"}), frozenset({"EU"}), frozenset(), 1)
        story_id = await create_story(tx, story, sig, 1)
        await record_development(
            tx,
            story_id,
            None,
            Development(
                0, datetime.fromtimestamp(1, UTC), "pause", ("EU",), (), "open", "https://a", True
            ),
        )
        await enqueue(tx, DEST, story_id, "post", 0, 1)
    return story_id


async def _dev(db: Database, story_id: int, n: int, now: int) -> int:
    async with db.transaction() as tx:
        dev = await record_development(
            tx,
            story_id,
            None,
            Development(
                0,
                datetime.fromtimestamp(2 + n, UTC),
                "lawsuit",
                ("UK",),
                (),
                f"dev {n}",
                "https://b",
                False,
            ),
        )
        await enqueue(tx, DEST, story_id, "development", n, now, dev)
    return dev


async def test_a_development_waiting_for_its_retry_holds_the_next_without_spinning(db_path: Path):
    db = await Database.open(db_path)
    story_id = await _story(db)
    fake = Fake()
    clock = [1000.0]
    drainer = OutboxDrainer(db, {"discord": fake}, lambda: clock[0])
    await drainer.drain_once()
    assert len(fake.posts) == 1
    d1 = await _dev(db, story_id, 1, 1000)
    d2 = await _dev(db, story_id, 2, 1000)
    fake.fail_reply_once.add(d1)
    await drainer.drain_once()  # edit, reply d1 fails -> d1 retry later; d2 left due
    edits_before = len(fake.edits)
    task = asyncio.create_task(drainer.drain_once())
    await asyncio.sleep(0.5)
    spinning = not task.done()
    task.cancel()
    edits = len(fake.edits) - edits_before
    await db.close()
    assert not spinning
    assert edits == 0  # the development waiting for its retry holds the later one
    assert d2 not in fake.replies


async def test_a_post_given_back_for_its_nonce_is_brought_up_to_date(db_path: Path):
    """Post applied but answered 503; an update is queued; the retry within 60 s gets the
    first message back (enforce_nonce) and folds the update that message does not show."""
    db = await Database.open(db_path)
    story_id = await _story(db)
    fake = Fake()
    fake.fail_post_after_apply = True
    clock = [1000.0]
    drainer = OutboxDrainer(db, {"discord": fake}, lambda: clock[0])
    await drainer.drain_once()
    async with db.transaction() as tx:
        await tx.execute("UPDATE stories SET title = 'Story, updated' WHERE id = ?", (story_id,))
        await enqueue(tx, DEST, story_id, "update", 1, 1000)
    clock[0] = 1030.0
    await drainer.drain_once()
    rows = await db.fetch_all("SELECT action, state FROM outbox ORDER BY id")
    await db.close()
    assert [tuple(r) for r in rows] == [("post", "done"), ("update", "folded")]
    shown = fake.posts[-1][1].title
    assert shown == "Story, updated" or fake.edits, "update folded, never shown"


class SlackLike(Fake):
    kind = "discord"
    dedup_window = 0.0

    def __init__(self) -> None:
        super().__init__()
        self.find_error: DeliveryError | None = None
        self.edit_error: DeliveryError | None = None
        self.reply_timeout_once: set[int] = set()
        self.posts_made = 0
        self.reply_parents: set = set()

    async def post(self, address, alert, key):
        self.posts_made += 1
        if self.fail_post_after_apply:
            self.fail_post_after_apply = False
            raise DeliveryError("no answer")
        return str(100 + self.posts_made)

    async def edit(self, address, message_id, alert):
        if self.edit_error is not None:
            error, self.edit_error = self.edit_error, None
            raise error
        self.edits.append(message_id)

    async def reply(self, address, message_id, alert, key):
        self.replies.append(key.development_id)
        self.reply_parents.add((key.development_id, message_id))
        if key.development_id in self.reply_timeout_once:
            self.reply_timeout_once.discard(key.development_id)
            raise DeliveryError("no answer from Slack (TimeoutError)")
        return str(900 + len(self.replies))

    async def find(self, address, key, parent_id):
        if self.find_error is not None:
            raise self.find_error
        if key.development_id is not None:
            hit = (key.development_id, parent_id) in self.reply_parents
            return "found-reply" if hit else None
        return str(100 + self.posts_made) if self.posts_made else None


async def test_a_failed_lookup_keeps_the_post_marked_as_maybe_sent(db_path: Path):
    db = await Database.open(db_path)
    await _story(db)
    fake = SlackLike()
    fake.fail_post_after_apply = True  # the post went out; the answer was lost
    clock = [1000.0]
    drainer = OutboxDrainer(db, {"discord": fake}, lambda: clock[0])
    await drainer.drain_once()
    before = await db.fetch_one("SELECT sent_at FROM outbox")
    fake.find_error = DeliveryError("cannot read history", permanent=True)
    clock[0] = 2000.0
    await drainer.drain_once()
    after = await db.fetch_one("SELECT sent_at FROM outbox")
    assert before is not None
    assert after is not None
    assert after[0] == before[0]  # still maybe sent
    # a person fixes the permission
    async with db.transaction() as tx:
        await tx.execute("UPDATE destinations SET healthy = 1")
    fake.find_error = None
    clock[0] = 9000.0
    await drainer.drain_once()
    await db.close()
    assert fake.posts_made == 1


async def test_a_failed_edit_keeps_a_reply_marked_as_maybe_sent(db_path: Path):
    db = await Database.open(db_path)
    story_id = await _story(db)
    fake = SlackLike()
    clock = [1000.0]
    drainer = OutboxDrainer(db, {"discord": fake}, lambda: clock[0])
    await drainer.drain_once()
    d1 = await _dev(db, story_id, 1, 1000)
    fake.reply_timeout_once.add(d1)  # Slack posted the reply; the answer was lost
    await drainer.drain_once()
    fake.edit_error = DeliveryError("Slack asked us to slow down", retry_after=30)
    clock[0] = 1100.0
    await drainer.drain_once()
    clock[0] = 1200.0
    await drainer.drain_once()
    state = await db.fetch_one("SELECT state FROM outbox WHERE development_id = ?", (d1,))
    await db.close()
    assert state is not None
    assert state[0] == "done"
    assert fake.replies.count(d1) == 1


async def test_a_reply_after_a_repost_is_marked_before_it_is_sent(db_path: Path):
    from bot.delivery.destination import MessageGone

    db = await Database.open(db_path)
    story_id = await _story(db)
    fake = SlackLike()
    clock = [1000.0]
    drainer = OutboxDrainer(db, {"discord": fake}, lambda: clock[0])
    await drainer.drain_once()  # post -> "101"
    d1 = await _dev(db, story_id, 1, 1000)
    fake.edit_error = MessageGone("message_not_found")  # a person deleted the alert
    fake.fail_post_after_apply = True  # the repost goes out, answer lost
    await drainer.drain_once()
    fake.edit_error = MessageGone("message_not_found")  # old id still stored: gone again
    fake.reply_timeout_once.add(d1)  # reply goes out, answer lost
    clock[0] = 1100.0
    await drainer.drain_once()  # repost found, reply timed out
    clock[0] = 1300.0
    await drainer.drain_once()
    await db.close()
    assert fake.replies.count(d1) == 1


def test_a_footer_carries_exactly_one_marker():
    assert marker_in("AI Data Watch · story 12 · First seen") == "story 12"
    assert marker_in("AI Data Watch · story 12 · development 5 · development") == (
        "story 12 · development 5"
    )
    assert marker_in("AI Data Watch · story 1 · Updated") != "story 12"
    assert marker_in("a footer of someone else's") is None
