"""Hostile feed text reaches Slack inert: through slack_sdk and slack-bolt to the loopback
server, no alert, update, development, digest or command reply pings anyone, links anywhere
but http(s), or shows one site's address on a link to another (see tests/hostile.py)."""

from __future__ import annotations

import time

from bot.delivery import OutboxDrainer
from bot.delivery.alerts import AlertBuilder
from bot.models import Digest
from tests.chat_helpers import add_development, add_links, add_story, queue
from tests.hostile import HOSTILE, HOSTILE_LINKS, slack_problems, slack_texts
from tests.servers.slack import CHANNEL, MEMBER, TEAM_ID
from tests.slack.conftest import SlackRig

DESTINATION = f"slack:{TEAM_ID}/{CHANNEL}"


async def test_hostile_feed_text_pings_no_one_and_makes_no_misleading_link(rig: SlackRig):
    story_id = await add_story(rig.db, DESTINATION, HOSTILE, HOSTILE)
    await add_links(rig.db, story_id, [*HOSTILE_LINKS, "https://news.example.org/li-uk"])
    drainer = OutboxDrainer(rig.db, {"slack": rig.adapter}, time.time,
                            alerts=AlertBuilder(rig.db))  # fmt: skip
    await queue(rig.db, DESTINATION, story_id, "post", 0)
    await drainer.drain_once()
    for version, link in enumerate(HOSTILE_LINKS, start=1):
        step = await add_development(rig.db, story_id, HOSTILE, link=link)
        await queue(rig.db, DESTINATION, story_id, "development", version, step)
    await drainer.drain_once()
    alerts = await AlertBuilder(rig.db).build_many([story_id], "post", DESTINATION)
    address = DESTINATION.partition(":")[2]  # as the drain gives it: the channel's pacer
    await rig.adapter.post_digest(address, Digest("2024-09-21", tuple(alerts)))
    await rig.command("/aiwatch", "recent", MEMBER)
    await rig.server.next_response()

    sent = [c.args for c in rig.server.calls if c.method in ("chat.postMessage", "chat.update")]
    messages = sent + rig.server.responses
    assert len(messages) >= 11  # post, edit, seven replies, digest, the command's reply
    assert any("innocent" in text for args in messages for text in slack_texts(args))
    problems = {problem for args in messages for problem in slack_problems(args)}
    assert not problems, "\n".join(sorted(problems))
