"""Only workspace admins and owners change what a Slack channel receives: each command that
changes it, sent through slack-bolt by a member (or by someone Slack cannot tell us about), is
refused in words and leaves every row of the database as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.storage.destinations import ensure_destination
from bot.storage.subscriptions import subscribe
from tests.leaks import database_rows
from tests.servers.slack import ADMIN, CHANNEL, MEMBER, TEAM_ID
from tests.slack.conftest import SlackRig

DESTINATION = f"slack:{TEAM_ID}/{CHANNEL}"
OWNER = "U0OWNER"
STRANGER = "U0UNKNOWN"  # users.info answers user_not_found
REFUSED = "Only server or workspace managers can change subscriptions"
# Every command that changes a channel's subscriptions or delivery.
CHANGES = ["subscribe EU", "unsubscribe UK", "digest 8"]


async def subscribed_to_uk(rig: SlackRig) -> None:
    async with rig.db.transaction() as tx:
        await ensure_destination(tx, DESTINATION, "slack", 0)
        await subscribe(tx, DESTINATION, ["UK"], [], [])


@pytest.mark.parametrize("text", CHANGES)
@pytest.mark.parametrize("user", [MEMBER, STRANGER])
async def test_a_member_is_refused_and_nothing_changes(
    rig: SlackRig, tmp_path: Path, text: str, user: str
):
    await subscribed_to_uk(rig)
    before = database_rows(tmp_path / "bot.db")
    await rig.command("/aiwatch", text, user)
    answer = await rig.server.next_response()
    assert answer["response_type"] == "ephemeral"  # told to the asker alone
    assert answer["text"] == REFUSED
    assert "workspace admin or owner" in str(answer["blocks"])
    assert database_rows(tmp_path / "bot.db") == before


@pytest.mark.parametrize("text", CHANGES)
@pytest.mark.parametrize("user", [ADMIN, OWNER])
async def test_an_admin_or_owner_may_make_each_change(
    rig: SlackRig, tmp_path: Path, text: str, user: str
):
    rig.server.users[OWNER] = {"id": OWNER, "is_admin": False, "is_owner": True}
    await subscribed_to_uk(rig)
    before = database_rows(tmp_path / "bot.db")
    await rig.command("/aiwatch", text, user)
    answer = await rig.server.next_response()
    assert answer["text"] != REFUSED
    assert database_rows(tmp_path / "bot.db") != before
