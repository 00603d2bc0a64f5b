"""A stored story turned into the Alert every destination renders."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.models import Alert
from bot.storage.stories import StoredStory


def build_alert(story: StoredStory, action: str) -> Alert:
    return Alert(
        action=action,
        story_id=story.id,
        title=story.title,
        summary=story.summary,
        event=story.event,
        platforms=story.platforms,
        regions=story.regions,
        links=story.links,
        reasons=story.reasons,
        first_seen=datetime.fromtimestamp(story.created_at, UTC),
    )
