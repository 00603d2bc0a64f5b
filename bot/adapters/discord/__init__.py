"""Discord: slash commands and alerts through discord.py. Imported only when a token is set.

adapter.py (lifecycle, the destination), intake.py (interactions in) and render.py (messages
out), the same three files and verbs as the Slack package; shards.py points discord.py at
its endpoints and starts and closes its sharded client, which the adapter is."""

from bot.adapters.discord.adapter import DiscordAdapter
from bot.adapters.discord.shards import use_endpoints

__all__ = ["DiscordAdapter", "use_endpoints"]
