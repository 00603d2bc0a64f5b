"""Crash points: named places where a test may kill the bot, to prove a restart loses and
repeats nothing.

`AIWATCH_CRASH_AT=name` (or `name:n`, the n-th time that point is reached) makes the bot
SIGKILL itself there, as a power cut or the OOM killer would: no cleanup, no flush. Unset,
as in every real deployment, a point costs one dictionary lookup. The points are listed in
POINTS so a misspelt name is an error, not a test that silently never crashes.
"""

from __future__ import annotations

import os
import signal

POINTS = (
    "fetched",  # a feed answered; nothing of it is stored yet
    "stored",  # new items are committed; none is judged yet
    "placed",  # a story was opened or grown inside the judging transaction; no job queued
    "posted",  # the chat API took a post; its id is not recorded yet
    "edited",  # the chat API took an edit; the jobs it covers are not marked done
    "replied",  # the chat API took a development's reply; it is not recorded yet
)
VARIABLE = "AIWATCH_CRASH_AT"


class CrashPlan:
    def __init__(self, spec: str | None) -> None:
        self.point: str | None = None
        self.at = 1
        self._seen = 0
        if spec:
            name, _, count = spec.partition(":")
            if name not in POINTS:
                raise ValueError(f"{VARIABLE}: unknown crash point {name!r}; known: {POINTS}")
            self.point, self.at = name, int(count or 1)

    def reached(self, name: str) -> None:
        if name != self.point:
            return
        self._seen += 1
        if self._seen == self.at:
            os.kill(os.getpid(), signal.SIGKILL)


_plan = CrashPlan(os.environ.get(VARIABLE))


def crash_point(name: str) -> None:
    """Kill the process here if the test asked for this point (see the module's docstring)."""
    _plan.reached(name)
