"""What event kinds say about whether two reports are one episode.

Within an episode kinds change as it unfolds (the change, the how-tos, the pause, the
regulator's order, the court case), so a kind is no veto: agreeing is some evidence. What a
regulator publishes on its own is read as guidance, action or advice depending on the
outlet's words, so those agree; and only a platform's own change, pause or how-to is told
country by country (bot.stories.score, places).
"""

from __future__ import annotations

from bot.vocabulary import Event

# The Hamburg commissioner's discussion paper is "guidance" in English and action in German.
REGULATORS_OWN = frozenset({Event.GUIDANCE, Event.REGULATOR_ACTION, Event.OPT_OUT})

# A platform's change, pause or how-to, told country by country ("Meta will train AI on
# Germans' posts" the day after "... EU users' posts"); a regulator's or a court's action in
# one country is that country's (Spain's inquiry into ChatGPT beside the EDPB's task force).
PLATFORMS_OWN = frozenset({Event.POLICY_CHANGE, Event.PAUSE, Event.OPT_OUT})

KIND_SETS = (REGULATORS_OWN, PLATFORMS_OWN)  # every kind named here, for tests


def agreeing(item: str | None, story: str | None, platform_named: bool) -> str | None:
    """How the kinds agree, in words, or None: the same kind; or, when neither names a
    platform, two kinds a regulator's own publication is read as."""
    if item is not None and item == story:
        return f"kind {item}"
    if not platform_named and item in REGULATORS_OWN and story in REGULATORS_OWN:
        return f"a regulator's own {story} and {item}"
    return None
