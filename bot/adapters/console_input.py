"""Commands typed at the console (`/optout linkedin UK`), so the whole bot can be tried
without chat tokens. The operator at the terminal may manage the console's subscriptions."""

from __future__ import annotations

import asyncio
import logging
import os
import stat
import sys

from bot.adapters.console import CONSOLE_ID, ConsoleDestination
from bot.commands.handlers import Asker, Commands

log = logging.getLogger(__name__)
CONSOLE_ASKER = Asker(CONSOLE_ID, can_manage=True, user="console")
NOT_A_COMMAND = "Not a command. Type /aiwatch help for the list, or /optout <platform> [region]."


def stdin_is_readable() -> bool:
    """Only pipes and terminals can be read without blocking the event loop."""
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode)


async def answer_console_commands(commands: Commands, console: ConsoleDestination) -> None:
    """Answer each line typed on stdin until it closes; the bot keeps running after that."""
    if not stdin_is_readable():
        return
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    try:
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    except (OSError, ValueError) as exc:
        log.info("console commands off: cannot read standard input (%s)", exc)
        return
    while line := await reader.readline():
        text = line.decode("utf-8", "replace").strip()
        if not text:
            continue
        try:
            reply = await commands.run_typed(CONSOLE_ASKER, text)
        except Exception:
            log.exception("the command %r failed", text)
            console.write_reply("That command failed unexpectedly; the bot keeps running.")
            continue
        console.write_reply(reply.as_text() if reply else NOT_A_COMMAND)
