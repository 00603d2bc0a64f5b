"""A part of the crash matrix in every test run: the bot killed at one point of each kind,
in the cycle where that point is sure to be reached. `make crash` runs them all, seeded."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crash.matrix import KillPoint, run_point

pytestmark = pytest.mark.slow

# Where each kind of point is reached: cycle 1 posts, cycle 2 edits and replies.
POINTS = (
    KillPoint(1, "fetched", 2),
    KillPoint(1, "stored"),
    KillPoint(1, "placed", 3),
    KillPoint(1, "posted", 2),
    KillPoint(2, "edited"),
    KillPoint(2, "replied"),
    KillPoint(1, "hang:discord:post"),
    KillPoint(2, "hang:discord:edit"),
    KillPoint(2, "hang:discord:reply"),
    KillPoint(1, "hang:slack:chat.postMessage"),
    KillPoint(2, "hang:slack:chat.update"),
)
EXPECTED_TOP_LEVEL = 10  # five stories (episodes), on Discord and on Slack
EXPECTED_REPLIES = 6  # three developments, on both


@pytest.mark.parametrize("point", POINTS, ids=lambda p: p.label)
async def test_a_kill_loses_nothing_and_doubles_nothing(point: KillPoint, tmp_path: Path):
    outcome = await run_point(point, tmp_path)
    assert outcome.reached, f"{point.label} was never reached"
    assert (outcome.top_level, outcome.replies) == (EXPECTED_TOP_LEVEL, EXPECTED_REPLIES)
    assert outcome.doubled == 0
    assert outcome.lost == 0  # no job left waiting
