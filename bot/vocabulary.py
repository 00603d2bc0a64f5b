"""The bot's vocabulary: the kinds of event a story can be, and GLOBAL. Named once here.

Config files spell these as text and are checked against this list when loaded; stored
stories and JSON output carry the same text, which is each member's value.
"""

from __future__ import annotations

from enum import StrEnum


class Event(StrEnum):
    """What a report says happened. The order is the one shown to people."""

    POLICY_CHANGE = "policy_change"
    OPT_OUT = "opt_out"
    PAUSE = "pause"
    REGULATOR_ACTION = "regulator_action"
    LAWSUIT = "lawsuit"
    GUIDANCE = "guidance"
    DATA_DEAL = "data_deal"


# Every event kind as text, in order: what config and commands accept, and help lists.
EVENT_KINDS: tuple[str, ...] = tuple(event.value for event in Event)

# The region of a story that names none: it concerns everyone.
GLOBAL = "GLOBAL"
