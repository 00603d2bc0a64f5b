"""What event kinds say about whether two reports are one episode.

Within an episode kinds change as it unfolds (the change, the how-tos, the pause, the
regulator's order, the court case), so a kind is no veto: agreeing is some evidence. What a
regulator publishes on its own is read as guidance, action or advice depending on the
outlet's words, so those agree; and what regulators do of their own accord stays in their
country, while all that follows a platform's change is told country by country
(bot.stories.score, places).
"""

from __future__ import annotations

from bot.vocabulary import Event

# The Hamburg commissioner's discussion paper is "guidance" in English and action in German.
REGULATORS_OWN = frozenset({Event.GUIDANCE, Event.REGULATOR_ACTION, Event.OPT_OUT})

# What a regulator does of its own accord: its country's, next to another regulator's.
REGULATORS_ACTS = frozenset({Event.GUIDANCE, Event.REGULATOR_ACTION})

# A platform's change, pause or how-to, told country by country ("Meta will train AI on
# Germans' posts" the day after "... EU users' posts"); a regulator's or a court's action in
# one country is that country's (Spain's inquiry into ChatGPT beside the EDPB's task force).
PLATFORMS_OWN = frozenset({Event.POLICY_CHANGE, Event.PAUSE, Event.OPT_OUT})

# A court case and its end are steps in law, whoever takes them: the DPC's case against X
# (read as a lawsuit) ends with the DPC's statement on it (read as its action).
LEGAL_STEPS = frozenset({Event.LAWSUIT, Event.REGULATOR_ACTION})

# Every set of kinds named here, for tests.
KIND_SETS = (REGULATORS_OWN, REGULATORS_ACTS, PLATFORMS_OWN, LEGAL_STEPS)


def told_locally(item: str | None, story_began: str | None) -> bool:
    """Whether a report in one country may join a story of the region holding it. Yes for
    all that follows a platform's change there (the change told country by country, a
    national regulator's statement on it, a complaint filed in nine countries); not for two
    regulators' own actions: Spain's inquiry into ChatGPT is Spain's, beside the EDPB's task
    force."""
    return not (item in REGULATORS_ACTS and story_began in REGULATORS_ACTS)


def same_step(item: str | None, story: str | None) -> bool:
    """The same kind, or both steps in law."""
    return item == story or (item in LEGAL_STEPS and story in LEGAL_STEPS)


def agreeing(item: str | None, story: str | None, platform_named: bool) -> str | None:
    """How the kinds agree, in words, or None: the same kind; or, when neither names a
    platform, two kinds a regulator's own publication is read as."""
    if item is not None and item == story:
        return f"kind {item}"
    if not platform_named and item in REGULATORS_OWN and story in REGULATORS_OWN:
        return f"a regulator's own {story} and {item}"
    return None
