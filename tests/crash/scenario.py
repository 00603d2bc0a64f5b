"""The news the crash matrix replays: three cycles of outlets' feeds, as they would arrive.

1. Start-up: seven reports of three stories in one cycle (Meta's EU pause, X's Grok opt-in,
   LinkedIn's opt-in), several outlets each: three posts, no reply.
2. The UK newly affected by Meta's pause (a development: an edit and a reply), the DPC's
   court case against X (a development of X's episode: a new kind of event), and Slack's
   own change (a new story: a post).
3. X suspending Grok training after the court case (a development), two more outlets on
   Meta (edits only), LinkedIn's change for North America (an edit: its episode, told
   worldwide before, already reaches every place) and Figma's change (a new story).

Times are relative to the run, so every report is recent enough to be alerted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tests.servers.feeds import FeedItem, make_rss

OUTLETS = 6


@dataclass(frozen=True)
class Report:
    cycle: int
    hours: int  # after the scenario's start, three days before now
    title: str
    summary: str = ""


REPORTS = (
    Report(1, 0, "Meta pauses plans to train AI on EU users' data after Irish DPC request"),
    Report(1, 1, "X quietly opts users in to training Grok AI on their posts",
           "A new setting lets users opt out."),
    Report(1, 2, "LinkedIn is training AI on your data by default: here is how to opt out",
           "Members are opted in to Data for Generative AI Improvement."),
    Report(1, 5, "LinkedIn uses members' posts to train generative AI without asking",
           "The setting is on by default."),
    Report(1, 6, "Irish DPC welcomes Meta's decision to pause AI training on EU users' posts"),
    Report(1, 7, "X is using your posts to train Grok by default: how to turn it off"),
    Report(1, 8, "Meta halts AI training on Europeans' Facebook and Instagram posts"),
    Report(2, 24, "UK's ICO asks Meta to pause AI training on UK users' posts too"),
    Report(2, 50, "Irish DPC takes X to court over using EU users' posts to train Grok"),
    Report(2, 40, "Slack trains its machine-learning models on customers' messages by default",
           "Workspace owners must email Slack to opt out."),
    Report(3, 26, "Meta also pauses AI training on UK users' data after ICO request"),
    Report(3, 29, "noyb says it will keep fighting Meta's AI training pause is not enough",
           "The complaints against Meta continue."),
    Report(3, 52, "LinkedIn opts members into AI training; Canadians, Americans affected",
           "LinkedIn uses data of US and Canadian members to train AI."),
    Report(3, 70, "X agrees to suspend Grok training on EU users' data after DPC court action"),
    Report(3, 60, "Figma will train its AI on users' designs unless teams switch it off"),
)  # fmt: skip
CYCLES = 3


def feeds_for(cycle: int, start: datetime) -> dict[str, bytes]:
    """Each outlet's feed as it stands in `cycle`: every report so far, newest first."""
    items: dict[str, list[FeedItem]] = {f"outlet{n}": [] for n in range(OUTLETS)}
    for number, report in enumerate(REPORTS):
        if report.cycle > cycle:
            continue
        published = start + timedelta(hours=report.hours)
        link = f"https://outlet{number % OUTLETS}.example/{number}"
        items[f"outlet{number % OUTLETS}"].append(
            FeedItem(report.title, link, report.summary, published=published)
        )
    return {name: make_rss(reversed(found), title=name) for name, found in items.items()}
