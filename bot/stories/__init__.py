"""Stories: which story a relevant item belongs to. Pure; storage is handed in by the caller."""

from bot.models import StorySignature
from bot.stories.context import judged_in_context
from bot.stories.grouping import (
    OPEN_SECONDS,
    OpenStories,
    StoryDecision,
    decide_story,
    headline_words,
    signature_of,
)

__all__ = [
    "OPEN_SECONDS",
    "OpenStories",
    "StoryDecision",
    "StorySignature",
    "decide_story",
    "headline_words",
    "judged_in_context",
    "signature_of",
]
