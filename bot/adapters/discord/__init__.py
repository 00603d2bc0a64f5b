"""Discord: slash commands and alerts through discord.py. Imported only when a token is set.

adapter.py (lifecycle, the destination), intake.py (interactions in) and render.py (messages
out), the same three files and verbs as the Slack package; shards.py starts and closes
discord.py's sharded client, which the adapter is."""

from bot.adapters.discord.adapter import DiscordAdapter, use_endpoints

__all__ = ["DiscordAdapter", "use_endpoints"]
