"""The /optout and /aiwatch logic on plain data. A chat adapter builds an `Asker` and a
`CommandCall` and awaits `Commands.run(asker, call)`, the one door in; a `Reply` comes out."""

from bot.commands.call import CommandCall, parse_call
from bot.commands.handlers import Asker, Commands

__all__ = ["Asker", "CommandCall", "Commands", "parse_call"]
