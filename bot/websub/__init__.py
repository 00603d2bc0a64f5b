"""WebSub (W3C): feeds that name a hub push their new items to the bot's status port, and are
polled only as a fallback while the subscription lives."""

from bot.websub.subscriber import WebSub

__all__ = ["WebSub"]
