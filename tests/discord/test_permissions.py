"""Only members with Manage Server change what a Discord channel receives: each command that
changes it, sent through discord.py by a member without that permission, is refused in words
and leaves every row of the database as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.storage.destinations import ensure_destination
from bot.storage.subscriptions import subscribe
from tests.discord.conftest import DiscordRig
from tests.leaks import database_rows
from tests.servers.discord import (
    CHANNEL_ID,
    EVERYONE_PERMISSIONS,
    GUILD_ID,
    MANAGE_GUILD,
)

DESTINATION = f"discord:{GUILD_ID}/{CHANNEL_ID}"
EPHEMERAL = 64
ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4
REFUSED = "Only server or workspace managers can change subscriptions"
# Every command that changes a channel's subscriptions or delivery, with its options.
CHANGES = {
    "subscribe": [{"name": "regions", "type": 3, "value": "EU"}],
    "unsubscribe": [{"name": "regions", "type": 3, "value": "UK"}],
    "digest": [{"name": "hour", "type": 3, "value": "8"}],
}


async def subscribed_to_uk(rig: DiscordRig) -> None:
    async with rig.db.transaction() as tx:
        await ensure_destination(tx, DESTINATION, "discord", 0)
        await subscribe(tx, DESTINATION, ["UK"], [], [])


async def send(rig: DiscordRig, sub: str, permissions: int) -> dict[str, Any]:
    return await rig.server.interact("aiwatch", CHANGES[sub], subcommand=sub,
                                     permissions=permissions)  # fmt: skip


@pytest.mark.parametrize("sub", sorted(CHANGES))
@pytest.mark.parametrize(
    "permissions",
    [EVERYONE_PERMISSIONS, EVERYONE_PERMISSIONS | MANAGE_CHANNELS],
    ids=["member", "channel-manager"],
)
async def test_a_member_without_manage_server_is_refused_and_nothing_changes(
    rig: DiscordRig, tmp_path: Path, sub: str, permissions: int
):
    await subscribed_to_uk(rig)
    before = database_rows(tmp_path / "bot.db")
    callback = await send(rig, sub, permissions)
    embed = callback["data"]["embeds"][0]
    assert callback["data"]["flags"] & EPHEMERAL  # told to the asker alone
    assert embed["title"] == REFUSED
    assert "Manage Server permission" in embed["description"]
    assert database_rows(tmp_path / "bot.db") == before


@pytest.mark.parametrize("sub", sorted(CHANGES))
@pytest.mark.parametrize("permissions", [MANAGE_GUILD, ADMINISTRATOR],
                         ids=["manage-server", "administrator"])  # fmt: skip
async def test_a_manager_may_make_each_change(
    rig: DiscordRig, tmp_path: Path, sub: str, permissions: int
):
    await subscribed_to_uk(rig)
    before = database_rows(tmp_path / "bot.db")
    callback = await send(rig, sub, EVERYONE_PERMISSIONS | permissions)
    assert callback["data"]["embeds"][0]["title"] != REFUSED
    assert database_rows(tmp_path / "bot.db") != before
