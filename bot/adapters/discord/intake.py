"""Interactions in, answers out: `/optout` and the `/aiwatch` group become an `Asker` and a
`CommandCall` for the core's one door, and its Reply goes back to the interaction. The verbs
match slack/intake.py: `register`, `asker_of`, `destination_of`, `answer`.

Discord lets `default_member_permissions` hide only whole top-level commands. `/aiwatch` mixes
reading (everyone) and managing subcommands, so the core checks Manage Server on each change;
server admins can hide single subcommands in Server Settings → Integrations.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.adapters.discord.render import NO_MENTIONS, reply_message
from bot.commands import Asker, CommandCall, Commands
from bot.replies import FAILED, Reply
from bot.settings import Config
from bot.vocabulary import EVENT_KINDS

CHOICES_MAX = 25
log = logging.getLogger(__name__)


def destination_of(interaction: discord.Interaction) -> str:
    return f"discord:{interaction.guild_id or 'dm'}/{interaction.channel_id}"


def asker_of(interaction: discord.Interaction) -> Asker:
    """Manage Server as Discord computed it for this member in this channel."""
    permissions = interaction.permissions
    can_manage = interaction.guild_id is not None and (
        permissions.manage_guild or permissions.administrator
    )
    return Asker(destination_of(interaction), can_manage, str(interaction.user.id))


async def answer(interaction: discord.Interaction, reply: Reply) -> None:
    """Replies that concern only the asker (and every mistake) are ephemeral."""
    message = reply_message(reply)
    await interaction.response.send_message(
        message.content,
        embeds=list(message.embeds),
        ephemeral=reply.private or not reply.ok,
        allowed_mentions=NO_MENTIONS,
    )


def register(tree: app_commands.CommandTree[discord.Client], commands: Commands) -> None:
    """Put the commands on the tree; adapter.py syncs it with Discord when it connects."""
    config = commands.config
    platform_choices = _platform_names(config)
    region_choices = _region_names(config)

    async def run(interaction: discord.Interaction, call: CommandCall) -> None:
        await answer(interaction, await commands.run(asker_of(interaction), call))

    async def platforms(_: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return _complete(platform_choices, current)

    async def regions(_: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return _complete(region_choices, current.split(",")[-1].strip(), prefix=current)

    async def events(_: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return _complete([(e, e) for e in EVENT_KINDS], current)

    @tree.command(name="optout", description="How to stop a platform using your data for AI")
    @app_commands.describe(platform="e.g. linkedin, instagram, x", region="e.g. UK, EU, US")
    @app_commands.autocomplete(platform=platforms, region=regions)
    async def optout(
        interaction: discord.Interaction, platform: str, region: str | None = None
    ) -> None:
        options = {"platform": platform} | ({} if region is None else {"region": region})
        await run(interaction, CommandCall("optout", "", options))

    group = app_commands.Group(name="aiwatch", description="AI Data Watch alerts in this channel")

    @group.command(name="subscribe", description="Send this channel alerts for these regions")
    @app_commands.describe(regions="e.g. UK,EU or ALL", platforms="only these, e.g. linkedin,meta",
                           events="only these kinds, e.g. pause,regulator_action")  # fmt: skip
    @app_commands.autocomplete(regions=regions, platforms=platforms, events=events)
    async def subscribe(
        interaction: discord.Interaction,
        regions: str,
        platforms: str = "",
        events: str = "",
    ) -> None:
        options = {"regions": regions, "platforms": platforms, "events": events}
        await run(interaction, CommandCall("aiwatch", "subscribe", options))

    @group.command(name="unsubscribe", description="Stop some regions, or all of them")
    @app_commands.autocomplete(regions=regions)
    async def unsubscribe(interaction: discord.Interaction, regions: str = "") -> None:
        await run(interaction, CommandCall("aiwatch", "unsubscribe", {"regions": regions}))

    @group.command(name="subscriptions", description="What this channel receives")
    async def subscriptions(interaction: discord.Interaction) -> None:
        await run(interaction, CommandCall("aiwatch", "subscriptions"))

    @group.command(name="digest", description="One digest a day at an hour (UTC), or off")
    @app_commands.describe(hour="0-23 (UTC), or off for alerts as they happen")
    async def digest(interaction: discord.Interaction, hour: str) -> None:
        await run(interaction, CommandCall("aiwatch", "digest", {"hour": hour}))

    @group.command(name="recent", description="The latest stories")
    @app_commands.autocomplete(region=regions, platform=platforms)
    async def recent(
        interaction: discord.Interaction, region: str = "", platform: str = ""
    ) -> None:
        options = {"region": region, "platform": platform}
        await run(interaction, CommandCall("aiwatch", "recent", options))

    @group.command(name="feeds", description="Which feeds work, which fail and why")
    async def feeds(interaction: discord.Interaction) -> None:
        await run(interaction, CommandCall("aiwatch", "feeds"))

    @group.command(name="help", description="The commands and their syntax")
    async def help_(interaction: discord.Interaction) -> None:
        await run(interaction, CommandCall("aiwatch", "help"))

    tree.add_command(group)

    @tree.error
    async def on_error(
        interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """A failure inside a command is logged and told to the asker; the bot runs on."""
        log.error("Discord: /%s failed", interaction.command and interaction.command.qualified_name,
                  exc_info=error)  # fmt: skip
        if not interaction.response.is_done():
            await answer(interaction, FAILED)


def _platform_names(config: Config) -> list[tuple[str, str]]:
    """(shown, value) pairs: every name and alias, so 'instagram' completes to meta."""
    names = [(p.name, p.id) for p in config.platforms.platforms.values()]
    names += [(f"{alias} ({pid})", pid) for alias, pid in config.platforms.by_alias.items()]
    return names


def _region_names(config: Config) -> list[tuple[str, str]]:
    names = [(f"{r.code}: {r.name}", r.code) for r in config.regions.regions.values()]
    return [("ALL: every region", "ALL"), *names]


def _complete(
    names: list[tuple[str, str]], current: str, prefix: str = ""
) -> list[app_commands.Choice[str]]:
    """Names starting with what was typed first, then names containing it."""
    typed = current.casefold()
    starts = [n for n in names if n[0].casefold().startswith(typed)]
    contains = [n for n in names if typed in n[0].casefold() and n not in starts]
    head = prefix[: len(prefix) - len(current)] if prefix else ""
    picked = list(dict.fromkeys((shown[:100], head + value) for shown, value in starts + contains))
    return [app_commands.Choice(name=s, value=v[:100]) for s, v in picked[:CHOICES_MAX]]
