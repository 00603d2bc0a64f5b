"""The labelled set `make eval` scores on: the shape issue #4 asks for, and labels that name
only what config knows, so a typo in a label cannot quietly lower a score."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.settings import Config
from bot.vocabulary import EVENT_KINDS

LABELLED = Path(__file__).resolve().parents[1] / "data" / "labelled.jsonl"


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in LABELLED.read_text().splitlines() if line.strip()]


def test_the_set_is_large_varied_and_split(rows: list[dict[str, Any]]):
    assert len(rows) >= 200
    assert len({row["id"] for row in rows}) == len(rows)
    assert sum(not row["relevant"] for row in rows) * 3 >= len(rows)
    assert sum(row["language"] != "en" for row in rows) >= 30
    assert {row["split"] for row in rows} == {"tune", "holdout"}


def test_labels_name_only_known_platforms_regions_and_events(
    rows: list[dict[str, Any]], config: Config
):
    for row in rows:
        if not row["relevant"]:
            assert (row["platforms"], row["regions"], row["event"], row["story"]) == (
                [],
                [],
                None,
                None,
            ), row["id"]
            continue
        assert set(row["platforms"]) <= config.platforms.ids, row["id"]
        assert all(code in config.regions.regions for code in row["regions"]), row["id"]
        assert row["event"] in EVENT_KINDS, row["id"]
        assert row["story"], row["id"]
