"""Turning what people type into checked values, or a Reply saying what to type instead.

Shared by every surface: console lines, Slack's text, Discord's options all arrive as text.
"""

from __future__ import annotations

import difflib
import re

from bot.optout.guide import unknown_region
from bot.replies import Reply, problem, unknown
from bot.settings.platforms import PlatformBook
from bot.settings.regions import RegionBook
from bot.subscriptions.router import ALL
from bot.vocabulary import EVENT_KINDS

MAX_REGIONS = 10
_SEPARATORS = re.compile(r"[,;]+|\s+")


def split_list(text: str) -> list[str]:
    """'UK, EU' and 'UK EU' and 'UK,EU' are the same list."""
    return [part for part in _SEPARATORS.split(text.strip()) if part]


def parse_regions(text: str, book: RegionBook) -> tuple[str, ...] | Reply:
    names = split_list(text)
    if not names:
        return problem("Name at least one region", "For example: UK, EU, US, BR, DE, or ALL.")
    if len(names) > MAX_REGIONS:
        return problem(
            f"Too many regions at once ({len(names)})",
            f"Name at most {MAX_REGIONS} per command, or use a group such as EU, EEA or ALL.",
        )
    codes: list[str] = []
    for name in names:
        code = ALL if name.upper() == ALL else book.resolve(name)
        if code is None:
            return unknown_region(book, name)
        codes.append(code)
    return tuple(dict.fromkeys(codes))


def parse_region(text: str, book: RegionBook) -> str | Reply:
    code = book.resolve(text)
    return unknown_region(book, text) if code is None else code


def parse_platforms(text: str, book: PlatformBook) -> tuple[str, ...] | Reply:
    ids: list[str] = []
    for name in split_list(text):
        platform_id = book.resolve(name)
        if platform_id is None:
            return unknown_platform(book, name)
        ids.append(platform_id)
    return tuple(dict.fromkeys(ids))


def unknown_platform(book: PlatformBook, name: str) -> Reply:
    examples = "a name such as linkedin, meta, x, reddit or openai"
    return unknown("platform", name, book.suggest(name), examples)


def parse_events(text: str) -> tuple[str, ...] | Reply:
    kinds: list[str] = []
    for name in split_list(text.lower().replace("-", "_")):
        if name not in EVENT_KINDS:
            close = difflib.get_close_matches(name, EVENT_KINDS, n=1, cutoff=0.5)
            hint = f"Did you mean {close[0]}? " if close else ""
            return problem(
                f"'{name}' is not an event kind",
                f"{hint}Event kinds: {', '.join(EVENT_KINDS)}.",
            )
        kinds.append(name)
    return tuple(dict.fromkeys(kinds))


def parse_hour(text: str) -> int | Reply | None:
    """A digest hour 0-23 (UTC), or None for 'off' (alerts as they happen)."""
    value = text.strip().lower().removesuffix("utc").removesuffix(":00").strip()
    if value in ("off", "none", "immediate"):
        return None
    # isdecimal, not isdigit: "²" is a digit that int() refuses; other scripts' digits
    # (Arabic-Indic, full-width) are decimals int() reads.
    if value.isdecimal() and 0 <= int(value) <= 23:
        return int(value)
    return problem(
        f"'{text}' is not an hour",
        "Give the hour (UTC) for the daily digest, 0 to 23, e.g. `/aiwatch digest 8`, "
        "or `/aiwatch digest off` for alerts as they happen.",
    )
