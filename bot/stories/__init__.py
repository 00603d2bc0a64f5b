"""Stories: which story a relevant item belongs to. Pure; storage is handed in by the caller."""

from bot.stories.grouping import StoryDecision, decide_story

__all__ = ["StoryDecision", "decide_story"]
