"""The JSON the loopback Discord server sends over its gateway: users, guilds (GUILD_CREATE)
and interactions (INTERACTION_CREATE), with the fields discord.py reads."""

from __future__ import annotations

from typing import Any

from tests.servers.discord_messages import snowflake

APP_ID = "900000000000000001"
BOT_ID = "900000000000000002"
GUILD_ID = "800000000000000001"
CHANNEL_ID = "800000000000000002"
OTHER_CHANNEL_ID = "800000000000000003"
# A second server, on shard 0 of 2 (GUILD_ID is on shard 1: see discord_gateway.shard_of).
SHARD0_GUILD_ID = "800000000004194305"
SHARD0_CHANNEL_ID = "800000000004194306"
MANAGE_GUILD = 1 << 5
SEND_MESSAGES = 1 << 11
VIEW_CHANNEL = 1 << 10
EVERYONE_PERMISSIONS = VIEW_CHANNEL | SEND_MESSAGES | (1 << 14)  # + embed links


def user(user_id: str, name: str, bot: bool = False) -> dict[str, Any]:
    return {"id": user_id, "username": name, "discriminator": "0", "avatar": None,
            "global_name": name, "bot": bot}  # fmt: skip


BOT_USER = user(BOT_ID, "AI Data Watch", bot=True)


def interaction(
    interaction_id: str, command: str, options: list[dict[str, Any]], *, permissions: int,
    channel_id: str, kind: int, command_id: str, guild_id: str = GUILD_ID,
) -> dict[str, Any]:  # fmt: skip
    """An INTERACTION_CREATE for a slash command in a loopback guild."""
    return {
        "id": interaction_id, "application_id": APP_ID, "type": kind,
        "token": f"token-{interaction_id}", "version": 1,
        "attachment_size_limit": 8 * 1024 * 1024, "guild_id": guild_id,
        "channel_id": channel_id,
        "channel": {"id": channel_id, "type": 0, "guild_id": guild_id, "name": "alerts",
                    "position": 0, "permission_overwrites": []},
        "member": {"user": user("600000000000000001", "someone"), "roles": [], "flags": 0,
                   "permissions": str(permissions), "joined_at": "2024-01-01T00:00:00+00:00",
                   "deaf": False, "mute": False},
        "app_permissions": str(EVERYONE_PERMISSIONS), "locale": "en-US",
        "guild_locale": "en-US", "entitlements": [],
        "authorizing_integration_owners": {"0": guild_id}, "context": 0,
        "data": {"id": command_id, "name": command, "type": 1, "guild_id": guild_id,
                 "options": options},
    }  # fmt: skip


def guild(guild_id: str, system_channel: str | None) -> dict[str, Any]:
    channels = [
        {"id": cid, "type": 0, "name": name, "position": i, "guild_id": guild_id,
         "permission_overwrites": []}
        for i, (cid, name) in enumerate(
            [(CHANNEL_ID, "alerts"), (OTHER_CHANNEL_ID, "general")]
            if guild_id == GUILD_ID else [(system_channel or snowflake(), "welcome")]
        )
    ]  # fmt: skip
    return {
        "id": guild_id, "name": f"Guild {guild_id[-3:]}", "icon": None, "owner_id": "1",
        "unavailable": False, "member_count": 1, "large": False, "features": [],
        "channels": channels, "threads": [], "emojis": [], "stickers": [],
        "roles": [{"id": guild_id, "name": "@everyone",
                   "permissions": str(EVERYONE_PERMISSIONS), "position": 0, "color": 0,
                   "hoist": False, "managed": False, "mentionable": False, "flags": 0}],
        "members": [{"user": BOT_USER, "roles": [], "flags": 0,
                     "joined_at": "2024-01-01T00:00:00+00:00", "deaf": False, "mute": False}],
        "voice_states": [], "presences": [], "stage_instances": [],
        "guild_scheduled_events": [], "system_channel_id": system_channel,
        "verification_level": 0, "default_message_notifications": 0,
        "explicit_content_filter": 0, "mfa_level": 0, "premium_tier": 0,
        "preferred_locale": "en-US", "nsfw_level": 0, "afk_timeout": 300,
    }  # fmt: skip
