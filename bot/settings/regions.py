"""Regions and groups (config/regions.yaml): the codes people type and group membership.

Group semantics live here because both the router and the commands need them: a subscription
to EU matches an item tagged FR, and a subscription to FR matches an item tagged EU (an
EU-wide decision concerns France too).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.errors import ConfigProblem
from bot.terms import term_problems
from bot.vocabulary import GLOBAL
from bot.yamlfile import FileChecks

FIELDS = ("code", "name", "aliases", "members", "mentions", "parent", "iso3166_1")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    aliases: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    parent: str | None = None

    @property
    def is_group(self) -> bool:
        return bool(self.members) or self.code == GLOBAL


@dataclass(frozen=True)
class RegionBook:
    """Every region and group by code, with alias lookup and group expansion."""

    regions: Mapping[str, Region]
    by_alias: Mapping[str, str]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self.regions)

    def resolve(self, text: str) -> str | None:
        """The code a person meant by `text` (a code, name or alias), or None."""
        key = normalise(text)
        if not key:
            return None
        if key.upper() in self.regions:
            return key.upper()
        return self.by_alias.get(key)

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Codes whose names or aliases are closest to `text`, for a "did you mean" reply."""
        close = difflib.get_close_matches(normalise(text), list(self.by_alias), n=8, cutoff=0.6)
        return list(dict.fromkeys(self.by_alias[name] for name in close))[:limit]

    def name(self, code: str) -> str:
        region = self.regions.get(code)
        return region.name if region else code

    @functools.cached_property
    def _inside(self) -> dict[str, tuple[str, ...]]:
        """Each code -> what lies directly inside it: its members and the regions naming it
        their parent. Built once: every alert's advice expands regions."""
        inside: dict[str, list[str]] = {}
        for code, region in self.regions.items():
            inside.setdefault(code, []).extend(region.members)
            if region.parent is not None:
                inside.setdefault(region.parent, []).append(code)
        return {code: tuple(codes) for code, codes in inside.items()}

    def expand_down(self, code: str) -> frozenset[str]:
        """The code and everything inside it (EEA -> EEA, EU, FR, ..., NO)."""
        seen: set[str] = set()
        stack = [code]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            stack.extend(self._inside.get(current, ()))
        return frozenset(seen)

    def expand_up(self, code: str) -> frozenset[str]:
        """The code and every group or country that contains it (DE-HH -> DE, EU, EEA, ...)."""
        return frozenset(c for c in self.regions if code in self.expand_down(c))

    def enclosing(self) -> dict[str, frozenset[str]]:
        """Each code that lies inside others -> those others (DE -> EU, EEA, DACH, ...): the
        same as expand_up, for every code at once."""
        outer: dict[str, set[str]] = {}
        for code in self.regions:
            for inner in self.expand_down(code) - {code}:
                outer.setdefault(inner, set()).add(code)
        return {code: frozenset(groups) for code, groups in outer.items()}

    def overlaps(self, subscribed: str, tagged: str) -> bool:
        """Whether a subscription to `subscribed` wants an item tagged `tagged`."""
        return tagged in self.expand_down(subscribed) or subscribed in self.expand_down(tagged)


def normalise(text: str) -> str:
    return " ".join(text.strip().lower().split())


def load_regions(path: Path) -> tuple[RegionBook, list[ConfigProblem]]:
    checks = FileChecks(path)
    data = checks.load()
    regions: dict[str, Region] = {}
    if isinstance(data, Mapping):
        for key in ("groups", "regions"):
            for entry, raw in checks.entries(data, key):
                region = _read_region(checks, f"{key} {entry}", raw)
                if region is None:
                    continue
                if region.code in regions:
                    checks.add(f"{key} {entry}", "code", f"'{region.code}' is defined twice")
                regions[region.code] = region
    elif data is not None:
        checks.add("", "", "expected a mapping with 'groups' and 'regions' lists")
    _check_references(checks, regions)
    by_alias = _alias_index(checks, regions)
    return RegionBook(regions, by_alias), checks.problems


def _read_region(checks: FileChecks, entry: str, raw: Mapping[str, Any]) -> Region | None:
    checks.unknown_fields(entry, raw, FIELDS)
    code = raw.get("code")
    if not isinstance(code, str) or not code.strip():
        checks.add(entry, "code", "is required (a region code such as UK or FR)")
        return None
    name = checks.text(entry, raw, "name") or code
    parent = checks.text(entry, raw, "parent", required=False)
    mentions = checks.texts(entry, raw, "mentions")
    aliases = checks.texts(entry, raw, "aliases")
    # A country's name and aliases are terms too: the classifier finds a title opening with
    # the state acting by them.
    for field, terms in (("name", [name]), ("aliases", aliases), ("mentions", mentions)):
        for problem in term_problems(terms):
            checks.add(entry, field, problem)
    return Region(
        code=code.strip().upper(),
        name=name,
        aliases=tuple(normalise(a) for a in aliases),
        mentions=mentions,
        members=tuple(m.upper() for m in checks.texts(entry, raw, "members")),
        parent=parent.upper() if parent else None,
    )


def _check_references(checks: FileChecks, regions: Mapping[str, Region]) -> None:
    for region in regions.values():
        for member in region.members:
            if member not in regions:
                checks.add(region.code, "members", f"'{member}' is not defined in this file")
        if region.parent and region.parent not in regions:
            checks.add(region.code, "parent", f"'{region.parent}' is not defined in this file")


def _alias_index(checks: FileChecks, regions: Mapping[str, Region]) -> dict[str, str]:
    index: dict[str, str] = {}
    for region in regions.values():
        for alias in (normalise(region.name), *region.aliases):
            owner = index.setdefault(alias, region.code)
            if owner != region.code and alias in region.aliases and alias.upper() not in regions:
                checks.add(region.code, "aliases", f"'{alias}' already names {owner}")
    return index
