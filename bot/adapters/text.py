"""Cutting and checking text the same way in every chat; only the limits differ per platform.

No chat library is imported here: escaping is each platform's own syntax and stays in its
render.py, which cuts with these (and asks bot/links.py which links it may make).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.models import Development
from bot.vocabulary import GLOBAL

ELLIPSIS = "…"
TIMELINE_STEPS = 6  # an alert's timeline shows the latest steps; the rest are counted


def cut(text: str, limit: int) -> str:
    """At most `limit` characters, ending at a word with an ellipsis."""
    if len(text) <= limit:
        return text
    return _words_within(text, limit - 1) + ELLIPSIS


def cut_with_more(text: str, limit: int, more: str = "") -> str:
    """Like `cut`, but `more` (a link to the rest) is kept whole after the ellipsis. Room for
    the space before `more` is kept even when there is none, so the result is a character
    shorter than `cut`'s; Discord's embeds have always been cut this way."""
    if len(text) <= limit:
        return text
    head = _words_within(text, limit - len(more) - 2)
    return f"{head}{ELLIPSIS}{' ' + more if more else ''}"[:limit]


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, cut mid-word: a terminal line's width matters more than
    its last word."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def _words_within(text: str, room: int) -> str:
    """The words of `text` that fit in `room` characters (a single long word is split)."""
    head = text[:room]
    if " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip()


def event_words(event: str | None) -> str:
    """'policy_change' as people say it: 'policy change'."""
    return (event or "report").replace("_", " ")


def step_line(step: Development) -> str:
    """One step of a story's timeline, as plain text (each platform escapes it):
    '2024-09-20 pause (UK): LinkedIn suspends training…', with the places it leaves out."""
    where = ", ".join(step.regions) or GLOBAL
    left = f"; left out: {', '.join(step.left_out)}" if step.left_out else ""
    return f"{step.at.date().isoformat()} {event_words(step.event)} ({where}{left}): {step.title}"


def short_timeline(steps: Sequence[Development], most: int = TIMELINE_STEPS) -> list[str]:
    """The latest `most` steps as lines, oldest first, and how many earlier ones were left
    out, so a long story's alert stays short."""
    lines = [step_line(step) for step in steps[-most:]]
    if len(steps) > most:
        lines.insert(0, f"… {len(steps) - most} earlier")
    return lines
