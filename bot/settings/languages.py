"""The start-up check that every source's language is one the classifier reads: a source
in a language without terms would be polled, stored and never understood."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bot.errors import ConfigProblem
from bot.models import Feed
from bot.yamlfile import FileChecks


def sources_not_read(
    feeds_path: Path, feeds: Iterable[Feed], languages: frozenset[str], rules_path: Path
) -> list[ConfigProblem]:
    """A problem for each source whose `language` has no classifier terms."""
    unread = [feed for feed in feeds if feed.language and feed.language not in languages]
    if not unread:
        return []
    checks = FileChecks(feeds_path)
    data = checks.load()
    key = "feeds" if isinstance(data, dict) else None
    labels = {str(raw.get("id")): label for label, raw in checks.entries(data, key)}
    listed = ", ".join(sorted(languages)) or "none"
    return [
        ConfigProblem(
            str(feeds_path),
            labels.get(feed.id, f"({feed.id})"),
            "language",
            f"'{feed.language}' has no classifier terms in {rules_path} (it reads: {listed});"
            " add terms for it there, or correct the code",
        )
        for feed in unread
    ]
