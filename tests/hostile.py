"""Hostile feed text, and what a chat would make of a message that carries it.

`HOSTILE` packs every trick into one title: broadcast and user, role and channel mentions
in both chats' syntax, a Slack link with innocent text, and a markdown link whose text is
another site's address. `HOSTILE_LINKS` are the links a feed could hold. The readers below
read a message body as it arrived at the loopback server, the way each chat's client reads
it, and name every problem: a mention that would ping, a link that is not http(s), or a link
whose visible text names another site. The parsing is deliberately independent of the bot's
own render code, so a test cannot pass by sharing its mistake.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

HOSTILE = (
    "LinkedIn to train AI on UK members' data @everyone @here @channel <!channel> <!here> "
    "<!everyone> <@U123> <#C123> <!subteam^S123> <@123> <@!123456789012345678> <@&123> "
    "<@&123456789012345678> <https://evil.example|innocent> "
    "[https://good.example](https://evil.example) [trusted [site] here](https://evil.example) "
    "a] (https://evil.example) & more"
)
HOSTILE_LINKS = (
    "https://good.example@evil.example/",  # first: what a story's first link would show
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "//evil.example/x",
    "https://news.example.org/x) [click](https://evil.example",
    "https://news.example.org/a|<!channel>",
)
GOOD_HOST = "good.example"  # named in HOSTILE's link texts; no link may go elsewhere under it
# The texts of the links HOSTILE and HOSTILE_LINKS try to make: none may become a link.
INJECTED = ("innocent", "trusted", "click")

# -- Discord ------------------------------------------------------------------------------

# A masked link as Discord reads it: an unescaped "[", a label (brackets nest), "](", target.
_DISCORD_LINK = re.compile(
    r"(?<!\\)(?:\\\\)*\[((?:\[[^\]]*\]|[^\[\]]|\](?=[^\[]*\]))*)\]\(\s*<?([^\s)>]*)>?\s*\)"
)
# A bare address, which both chats make a link of by themselves.
_BARE_URL = re.compile(r"(?<![(<|])\bhttps?://[^\s<>|()\[\]]+")
_DISCORD_MENTION = re.compile(r"@(?:everyone|here)\b|<@[!&]?\d+>")


def discord_texts(body: Any) -> Iterator[str]:
    """Every text of a message (content, embed titles, descriptions, fields, footers)."""
    data = body.get("data", body) if isinstance(body, dict) else {}
    if data.get("content"):
        yield str(data["content"])
    for embed in data.get("embeds") or []:
        for key in ("title", "description"):
            if embed.get(key):
                yield str(embed[key])
        for field in embed.get("fields") or []:
            yield str(field.get("name", ""))
            yield str(field.get("value", ""))
        if (embed.get("footer") or {}).get("text"):
            yield str(embed["footer"]["text"])


def discord_problems(body: Any) -> list[str]:
    """What would ping or mislead in one message the bot sent to Discord."""
    data = body.get("data", body) if isinstance(body, dict) else {}
    if not data.get("content") and not data.get("embeds"):
        return []
    problems = []
    allowed = data.get("allowed_mentions") or {}
    if (
        allowed.get("parse") != []
        or allowed.get("users")
        or allowed.get("roles")
        or (allowed.get("replied_user"))
    ):
        problems.append(f"allowed_mentions is {data.get('allowed_mentions')}")
    for embed in data.get("embeds") or []:
        if embed.get("url"):
            problems += _link_problems(str(embed.get("title", "")), str(embed["url"]))
    for text in discord_texts(body):
        problems += [f"live mention {m!r}" for m in _DISCORD_MENTION.findall(text)]
        for label, target in _DISCORD_LINK.findall(text):
            problems += _link_problems(label, target)
        problems += _bare_link_problems(text)
    return problems


# -- Slack --------------------------------------------------------------------------------

_SLACK_CONTROL = re.compile(r"<([^<>]*)>")
_SLACK_BROADCAST = re.compile(r"(?<![\w@])@(?:channel|here|everyone)\b", re.IGNORECASE)


def slack_texts(args: dict[str, Any]) -> Iterator[str]:
    """The message's text and every mrkdwn text of its blocks: what Slack parses for
    mentions and links (plain_text is shown as it is)."""
    if args.get("text"):
        yield str(args["text"])
    yield from _mrkdwn(args.get("blocks") or [])


def _mrkdwn(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        if value.get("type") == "mrkdwn":
            yield str(value.get("text", ""))
        else:
            for item in value.values():
                yield from _mrkdwn(item)
    elif isinstance(value, list):
        for item in value:
            yield from _mrkdwn(item)


def slack_problems(args: dict[str, Any]) -> list[str]:
    """What would ping or mislead in one message the bot sent to Slack."""
    problems = []
    for text in slack_texts(args):
        problems += [f"broadcast {m!r}" for m in _SLACK_BROADCAST.findall(text)]
        for inside in _SLACK_CONTROL.findall(text):
            if inside[:1] in ("!", "@", "#"):
                problems.append(f"mention <{inside}>")
                continue
            target, _, label = inside.partition("|")
            problems += _link_problems(label or target, target.replace("&amp;", "&"))
        problems += _bare_link_problems(_SLACK_CONTROL.sub(" ", text))
    return problems


# -- both -----------------------------------------------------------------------------------


def _bare_link_problems(text: str) -> list[str]:
    """A bare address is shown as it is, so it only misleads with a user part."""
    return [f"bare link {url!r}" for url in _BARE_URL.findall(text) if "@" in urlsplit(url).netloc]


def _link_problems(label: str, target: str) -> list[str]:
    """A link must be http(s), feed text must not make one, and text naming good.example must
    lead there."""
    shows_itself = label.replace("&amp;", "&") == target
    if not shows_itself and any(word in label for word in INJECTED):
        return [f"feed text made a link {label!r} to {target!r}"]
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        return [f"link to {target!r}"]
    if GOOD_HOST in label and parts.hostname != GOOD_HOST:
        return [f"link {label!r} leads to {parts.hostname}"]
    return []
