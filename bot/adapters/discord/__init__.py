"""Discord: slash commands and alerts through discord.py. Imported only when a token is set."""

from bot.adapters.discord.adapter import DiscordAdapter, use_endpoints

__all__ = ["DiscordAdapter", "use_endpoints"]
