"""Commands typed at the console (`/optout linkedin UK`), so the whole bot can be tried
without chat tokens. The operator at the terminal may manage the console's subscriptions."""

from __future__ import annotations

import asyncio
import enum
import logging
import os
import selectors
import stat
import sys
from collections.abc import AsyncIterator

from bot.adapters.console import CONSOLE_ID, ConsoleDestination
from bot.commands.handlers import Asker, Commands

log = logging.getLogger(__name__)
CONSOLE_ASKER = Asker(CONSOLE_ID, can_manage=True, user="console")
NOT_A_COMMAND = "Not a command. Type /aiwatch help for the list, or /optout <platform> [region]."
COMMANDS_OFF = (
    "typed commands are off: standard input is /dev/null or cannot be watched;"
    " use chat or run in a terminal"
)


class StdinKind(enum.Enum):
    """How standard input can deliver typed commands, if at all."""

    WATCHED = "watched"  # a terminal, pipe or socket the event loop's selector can watch
    FILE = "file"  # a regular file: its reads never wait, so a worker thread reads it
    OFF = "off"  # /dev/null, closed, or a descriptor the selector cannot watch


def stdin_kind() -> StdinKind:
    """Ask the event loop's kind of selector whether it can watch standard input, rather than
    guess from the file type: epoll refuses /dev/null and regular files (PermissionError),
    and connect_read_pipe would then fail inside a loop callback, where no try sees it."""
    try:
        fd = sys.stdin.fileno()
        mode = os.fstat(fd).st_mode
    except (AttributeError, OSError, ValueError):  # None when closed; pytest's has no fd
        return StdinKind.OFF
    if stat.S_ISREG(mode):
        return StdinKind.FILE
    with selectors.DefaultSelector() as selector:
        try:
            selector.register(fd, selectors.EVENT_READ)
        except (OSError, ValueError):  # PermissionError from epoll for /dev/null
            return StdinKind.OFF
    return StdinKind.WATCHED


async def answer_console_commands(commands: Commands, console: ConsoleDestination) -> None:
    """Answer each line on standard input until it ends; the bot keeps running after that.

    - A terminal, pipe or socket (`make run`, `printf '/aiwatch help\\n' | aiwatch run`) is
      read as lines arrive.
    - A regular file (`aiwatch run < commands.txt`) is read line by line in a worker thread,
      so a script of commands still runs: the selector cannot watch a file, but its reads
      never wait.
    - Anything else, above all /dev/null (Docker without -i, systemd, `make run < /dev/null`),
      turns typed commands off, and the log says so once."""
    kind = stdin_kind()
    if kind is StdinKind.OFF:
        log.info(COMMANDS_OFF)
        return
    lines = _file_lines() if kind is StdinKind.FILE else _watched_lines()
    async for line in lines:
        await _answer(commands, console, line)


async def _watched_lines() -> AsyncIterator[bytes]:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    try:
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    except (OSError, ValueError) as exc:
        log.info("%s (%s)", COMMANDS_OFF, exc)
        return
    while line := await reader.readline():
        yield line


async def _file_lines() -> AsyncIterator[bytes]:
    while line := await asyncio.to_thread(sys.stdin.buffer.readline):
        yield line


async def _answer(commands: Commands, console: ConsoleDestination, line: bytes) -> None:
    text = line.decode("utf-8", "replace").strip()
    if not text:
        return
    try:
        reply = await commands.run_typed(CONSOLE_ASKER, text)
    except Exception:
        log.exception("the command %r failed", text)
        console.write_reply("That command failed unexpectedly; the bot keeps running.")
        return
    console.write_reply(reply.as_text() if reply else NOT_A_COMMAND)
