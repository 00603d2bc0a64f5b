"""Everything the bot is configured with, read once at start-up into frozen objects.

`load_config` reads every file in the config directory and the feeds file, collects every
problem (file, entry, field) and raises one ConfigError listing them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.errors import ConfigError, ConfigProblem
from bot.models import Feed
from bot.settings.env import Environment, Secret, read_environment
from bot.settings.feeds import load_feeds
from bot.settings.languages import sources_not_read
from bot.settings.optout import OptoutBook, load_optout
from bot.settings.platforms import Platform, PlatformBook, load_platforms
from bot.settings.regions import Region, RegionBook, load_regions
from bot.settings.rules import ClassifierRules, load_rules

__all__ = [
    "Config",
    "Environment",
    "OptoutBook",
    "Platform",
    "PlatformBook",
    "Region",
    "RegionBook",
    "Secret",
    "load_config",
    "read_environment",
]


@dataclass(frozen=True)
class Config:
    feeds: tuple[Feed, ...]
    regions: RegionBook
    platforms: PlatformBook
    rules: ClassifierRules
    optout: OptoutBook


def load_config(config_dir: Path, feeds_path: Path | None = None) -> Config:
    """Read and validate all config; raise ConfigError naming every problem found."""
    problems: list[ConfigProblem] = []
    if not config_dir.is_dir():
        problems.append(ConfigProblem(str(config_dir), "", "", "config directory not found"))
        raise ConfigError(problems)
    regions, found = load_regions(config_dir / "regions.yaml")
    problems += found
    platforms, found = load_platforms(config_dir / "platforms.yaml")
    problems += found
    rules_file = config_dir / "classifier.yaml"
    rules, found = load_rules(rules_file)
    problems += found
    optout, found = load_optout(config_dir / "optout.yaml", regions, platforms)
    problems += found
    feeds_file = feeds_path or config_dir / "feeds.yaml"
    feeds, found = load_feeds(feeds_file, regions.codes)
    problems += found
    if rules is not None:
        problems += sources_not_read(feeds_file, feeds, rules.languages, rules_file)
    if problems or rules is None:
        raise ConfigError(problems)
    return Config(feeds=feeds, regions=regions, platforms=platforms, rules=rules, optout=optout)
