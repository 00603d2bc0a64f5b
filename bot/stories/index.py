"""The open stories, filed so that a report meets only the few it could join."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from bot.models import StorySignature
from bot.stories.signature import merged
from bot.vocabulary import GLOBAL


class OpenStories:
    """Recent stories indexed by platform, place and word, so a report meets few of them.

    `enclosing` gives, for a region code, the regions that contain it (DE -> EU, EEA, ...),
    from config/regions.yaml: a country's report of a Europe-wide change is that change.
    """

    def __init__(
        self,
        stories: Iterable[tuple[int, StorySignature]] = (),
        enclosing: Mapping[str, frozenset[str]] | None = None,
    ) -> None:
        self.enclosing: Mapping[str, frozenset[str]] = enclosing or {}
        self._stories: dict[int, StorySignature] = {}
        self._by_key: defaultdict[str, set[int]] = defaultdict(set)
        for story_id, signature in stories:
            self.add(story_id, signature)

    def __len__(self) -> int:
        return len(self._stories)

    def add(self, story_id: int, signature: StorySignature) -> None:
        old = self._stories.get(story_id)
        if old is not None:
            signature = merged(old, signature)
        self._stories[story_id] = signature
        for key in _filed_under(signature):
            self._by_key[key].add(story_id)

    def get(self, story_id: int) -> StorySignature:
        return self._stories[story_id]

    def candidates(self, item: StorySignature) -> list[int]:
        """Stories the item could join, in id order (oldest first)."""
        found: set[int] = set()
        for key in _looked_up(item):
            found.update(self._by_key.get(key, ()))
        return sorted(found)


def _places(signature: StorySignature) -> list[str]:
    return [r for r in signature.regions if r != GLOBAL]


def _filed_under(story: StorySignature) -> list[str]:
    """A story naming platforms is filed under each and, for reports naming none, under its
    headline words; one naming none under its places and its words."""
    if story.platforms:
        return [f"p:{p}" for p in story.platforms] + [f"pw:{w}" for w in story.words]
    return [f"r:{r}" for r in _places(story)] + [f"w:{w}" for w in story.words]


def _looked_up(item: StorySignature) -> list[str]:
    """A report meets the stories of its platforms, the stories naming none that share a
    headline word, and, naming none itself, the stories of its places and every story
    sharing a word. Where only one of the two names a platform, joining needs a shared word
    (Weights.check), so no other story could take it."""
    words = [f"w:{w}" for w in item.words]
    if item.platforms:
        return [f"p:{p}" for p in item.platforms] + words
    return words + [f"pw:{w}" for w in item.words] + [f"r:{r}" for r in _places(item)]
