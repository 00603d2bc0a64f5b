"""Hostile feed text reaches Discord inert: through discord.py to the loopback server, no
alert, update, development, digest or command reply pings anyone, links anywhere but http(s),
or shows one site's address on a link to another (see tests/hostile.py)."""

from __future__ import annotations

import time

from bot.delivery import OutboxDrainer
from bot.delivery.alerts import AlertBuilder
from bot.models import Digest
from tests.chat_helpers import add_development, add_links, add_story, queue
from tests.discord.conftest import DiscordRig
from tests.hostile import HOSTILE, HOSTILE_LINKS, discord_problems, discord_texts
from tests.servers.discord import CHANNEL_ID, GUILD_ID

DESTINATION = f"discord:{GUILD_ID}/{CHANNEL_ID}"


async def test_hostile_feed_text_pings_no_one_and_makes_no_misleading_link(rig: DiscordRig):
    story_id = await add_story(rig.db, DESTINATION, HOSTILE, HOSTILE)
    await add_links(rig.db, story_id, [*HOSTILE_LINKS, "https://news.example.org/li-uk"])
    drainer = OutboxDrainer(rig.db, {"discord": rig.client}, time.time,
                            alerts=AlertBuilder(rig.db))  # fmt: skip
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    await drainer.drain_once()
    for version, link in enumerate(HOSTILE_LINKS[:4], start=1):
        step = await add_development(rig.db, story_id, HOSTILE, link=link)
        await queue(rig.db, DESTINATION, story_id, "development", version, step)
    await drainer.drain_once()
    alerts = await AlertBuilder(rig.db).build_many([story_id], "post", DESTINATION)
    address = DESTINATION.partition(":")[2]  # as the drain gives it: the channel's pacer
    await rig.client.post_digest(address, Digest("2024-09-21", tuple(alerts)))
    await rig.server.interact("aiwatch", subcommand="recent")

    sent = [r.body for r in rig.server.records if r.method in ("POST", "PATCH") and r.body]
    messages = [body for body in sent if list(discord_texts(body))]
    assert len(messages) >= 8  # post, edit, four replies, digest, the command's reply
    assert any("innocent" in text for body in messages for text in discord_texts(body))
    problems = {problem for body in messages for problem in discord_problems(body)}
    assert not problems, "\n".join(sorted(problems))
