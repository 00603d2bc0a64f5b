"""A command call: which command, and its options by name, as every chat hands it to the core.

Discord sends options already named; Slack and the console send one line of text, which
`parse_call` names the same way, so `Commands.run` is the one door for all of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.settings.regions import RegionBook


@dataclass(frozen=True)
class CommandCall:
    """`/aiwatch subscribe regions:UK,EU` is CommandCall("aiwatch", "subscribe", {"regions":
    "UK,EU"}); `/optout linkedin` is CommandCall("optout", "", {"platform": "linkedin"})."""

    command: str  # "optout" or "aiwatch"
    subcommand: str = ""  # the /aiwatch subcommand; "" for /optout
    options: Mapping[str, str] = field(default_factory=dict)  # an option left out is absent


def parse_call(text: str, regions: RegionBook) -> CommandCall | None:
    """A typed line such as '/aiwatch subscribe UK,EU platforms:linkedin' as a call; None when
    the text is not one of our commands. `name:value` words name an option; the other words
    fill the options each command expects first (see `_options_from_words`)."""
    words = text.strip().split()
    if not words:
        return None
    head = words[0].lower().lstrip("/")
    if head == "optout":
        command, subcommand, rest = "optout", "", words[1:]
    elif head == "aiwatch":
        subcommand = words[1].lower() if len(words) > 1 else "help"
        command, rest = "aiwatch", words[2:]
        if subcommand == "optout":  # typed `/aiwatch optout linkedin` has always meant /optout
            command, subcommand = "optout", ""
    else:
        return None
    positional, named = [], {}
    for word in rest:
        key, sep, value = word.partition(":")
        if sep and key.isalpha() and value and not value.startswith("//"):  # not a URL
            named[key.lower()] = value
        else:
            positional.append(word)
    by_position = _options_from_words(subcommand or command, tuple(positional), regions)
    options = {name: value for name, value in by_position.items() if value} | named
    return CommandCall(command, subcommand, options)


def _options_from_words(name: str, words: tuple[str, ...], regions: RegionBook) -> dict[str, str]:
    """What unnamed words stand for: `/optout linkedin United Kingdom` is a platform then a
    region, `/aiwatch subscribe UK EU` a list of regions, `/aiwatch digest 8` an hour."""
    first = words[0] if words else ""
    match name:
        case "optout":
            return {"platform": first, "region": " ".join(words[1:])}
        case "subscribe" | "unsubscribe":
            return {"regions": " ".join(words)}
        case "digest":
            return {"hour": first}
        case "recent":
            region, platform = _region_or_platform(words, regions)
            return {"region": region, "platform": platform}
    return {}


def _region_or_platform(words: tuple[str, ...], regions: RegionBook) -> tuple[str, str]:
    """`/aiwatch recent UK linkedin`: each word is a region if it names one."""
    region = platform = ""
    for word in words:
        if not region and regions.resolve(word):
            region = word
        else:
            platform = word
    return region, platform
