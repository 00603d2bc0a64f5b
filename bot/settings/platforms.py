"""Platforms (config/platforms.yaml): canonical ids, display names, aliases, text mentions."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.errors import ConfigProblem
from bot.settings.regions import normalise
from bot.terms import term_problems
from bot.yamlfile import SLUG, FileChecks

FIELDS = ("id", "name", "aliases", "mentions", "capitalised", "owner")


@dataclass(frozen=True)
class Platform:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    # Mentions that are ordinary words in lower case ("threads", "slack"): found only as
    # written, with their capital.
    capitalised: tuple[str, ...] = ()
    owner: str = ""


@dataclass(frozen=True)
class PlatformBook:
    platforms: Mapping[str, Platform]
    by_alias: Mapping[str, str]

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(self.platforms)

    def resolve(self, text: str) -> str | None:
        """The platform id a person meant, forgiving case, aliases and small typos."""
        key = normalise(text)
        if key in self.by_alias:
            return self.by_alias[key]
        close = difflib.get_close_matches(key, list(self.by_alias), n=1, cutoff=0.8)
        return self.by_alias[close[0]] if close else None

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Known names closest to `text`, for a "did you mean" reply."""
        close = difflib.get_close_matches(normalise(text), list(self.by_alias), n=8, cutoff=0.5)
        ids = list(dict.fromkeys(self.by_alias[name] for name in close))
        return ids[:limit]

    def name(self, platform_id: str) -> str:
        platform = self.platforms.get(platform_id)
        return platform.name if platform else platform_id


def load_platforms(path: Path) -> tuple[PlatformBook, list[ConfigProblem]]:
    checks = FileChecks(path)
    data = checks.load()
    platforms: dict[str, Platform] = {}
    by_alias: dict[str, str] = {}
    if data is not None:
        for entry, raw in checks.entries(data, "platforms"):
            checks.unknown_fields(entry, raw, FIELDS)
            platform_id = checks.text(entry, raw, "id")
            if platform_id is None:
                continue
            if not SLUG.match(platform_id):
                checks.add(entry, "id", "use lowercase letters, digits and dashes")
            if platform_id in platforms:
                checks.add(entry, "id", f"'{platform_id}' is defined twice")
            mentions = checks.texts(entry, raw, "mentions")
            for problem in term_problems(mentions):
                checks.add(entry, "mentions", problem)
            capitalised = checks.texts(entry, raw, "capitalised")
            for name in capitalised:
                if name not in mentions:
                    checks.add(entry, "capitalised", f"'{name}' is not one of its mentions")
            name = checks.text(entry, raw, "name") or platform_id
            for problem in term_problems([name]):  # the classifier finds it in text too
                checks.add(entry, "name", problem)
            platform = Platform(
                id=platform_id,
                name=name,
                aliases=tuple(normalise(a) for a in checks.texts(entry, raw, "aliases")),
                mentions=mentions,
                capitalised=capitalised,
                owner=checks.text(entry, raw, "owner", required=False) or "",
            )
            platforms[platform_id] = platform
            for alias in (platform_id, normalise(platform.name), *platform.aliases):
                owner = by_alias.setdefault(alias, platform_id)
                if owner != platform_id:
                    checks.add(entry, "aliases", f"'{alias}' already names platform {owner}")
    return PlatformBook(platforms, by_alias), checks.problems
