"""Alerts, digests and command replies as Discord messages (embeds), within Discord's limits.

The verbs match slack/render.py: `alert_message`, `repost_message`, `development_message`,
`digest_message` and `reply_message` each return a `DiscordMessage` for adapter.py or
intake.py to send. Every alert's footer carries its story marker, so a lookup finds it.

Feed text is untrusted: mentions are broken (`@everyone`, `<@id>`, `<@&id>` can never ping),
markdown is escaped, no "[" is left to open a masked link, and every message is also sent with
`allowed_mentions` none. Links are only those bot/links.py allows, and a title is the text of a
link only where it names no other site.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import discord

from bot.adapters.text import cut_with_more, event_words, short_timeline, step_line
from bot.delivery.destination import story_marker
from bot.links import honest_label, web_link
from bot.models import Alert, Digest
from bot.replies import Reply
from bot.vocabulary import GLOBAL, Event

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_LIMIT = 1024
FIELDS_MAX = 25
TOTAL_LIMIT = 6000
SUMMARY_LIMIT = 1500

EVENT_COLOURS: dict[str, int] = {
    Event.POLICY_CHANGE: 0xE67E22,
    Event.OPT_OUT: 0x2ECC71,
    Event.PAUSE: 0x3498DB,
    Event.REGULATOR_ACTION: 0xE74C3C,
    Event.LAWSUIT: 0x9B59B6,
    Event.GUIDANCE: 0x1ABC9C,
    Event.DATA_DEAL: 0xF1C40F,
}
NO_MENTIONS = discord.AllowedMentions.none()
# "<@id>", "<@!id>", "<@&id>", "<#id>" of any length (escape_mentions breaks real-sized ids).
_MENTION_SYNTAX = re.compile(r"<(?=[@#])")
# A "[" not escaped (after an even run of backslashes), which could open a masked link.
_OPEN_BRACKET = re.compile(r"(?<!\\)((?:\\\\)*)\[")
# The same, where a "](" follows somewhere: a masked link could start there.
_OPEN_LINK = re.compile(r"(?<!\\)((?:\\\\)*)\[(?=[\s\S]*\]\()")


@dataclass(frozen=True)
class DiscordMessage:
    """What one message carries: plain content above (None for none), then embeds."""

    content: str | None = None
    embeds: tuple[discord.Embed, ...] = ()


def alert_message(alert: Alert) -> DiscordMessage:
    return DiscordMessage(embeds=(_alert_embed(alert),))


def repost_message(alert: Alert) -> DiscordMessage:
    """The story posted anew because its message was deleted, with a line saying so."""
    notice = f"This continues an earlier alert (story {alert.story_id}) whose message was deleted."
    return DiscordMessage(notice, (_alert_embed(alert),))


def development_message(alert: Alert) -> DiscordMessage:
    """One development, told as a reply under the story's alert."""
    step = alert.development
    assert step is not None, "a development message needs its development"
    where = ", ".join(map(_flag, step.regions)) or GLOBAL
    if step.left_out:
        where += f"; left out: {', '.join(map(_flag, step.left_out))}"
    link = web_link(step.link)
    embed = discord.Embed(
        title=cut_with_more(f"{event_words(step.event).capitalize()} · {where}", TITLE_LIMIT),
        url=link,
        description=cut_with_more(_safe(step.title), DESCRIPTION_LIMIT),
        colour=EVENT_COLOURS.get(step.event or "", 0x95A5A6),
        timestamp=step.at,
    )
    marker = story_marker(alert.story_id, step.id)
    embed.set_footer(text=f"AI Data Watch · {marker} · development")
    return DiscordMessage(embeds=(_within_total(embed),))


def digest_message(digest: Digest) -> DiscordMessage:
    return DiscordMessage(embeds=(_digest_embed(digest),))


def reply_message(reply: Reply) -> DiscordMessage:
    return DiscordMessage(embeds=(_reply_embed(reply),))


def _safe(text: str) -> str:
    """Feed text made inert: no pings, no markdown, and every "[" escaped, so no masked link
    can start in it (escape_markdown misses nested brackets and links across lines)."""
    escaped = discord.utils.escape_markdown(_no_mentions(text))
    return _OPEN_BRACKET.sub(r"\1\\[", escaped)


def _label(text: str) -> str:
    """Feed text as the text of our own masked link: inert, and its "]" escaped too, so it
    cannot close our label early and start a link of its own."""
    return _safe(text).replace("]", "\\]")


def _no_mentions(text: str) -> str:
    return _MENTION_SYNTAX.sub("<\u200b", discord.utils.escape_mentions(text))


def _inert(text: str) -> str:
    """Our replies' text, which may quote feed titles or what the asker typed: no pings, and
    no masked link, with the rest of its markdown (our `code`) left as it is."""
    return _OPEN_LINK.sub(r"\1\\[", _no_mentions(text))


def _web_links(links: Iterable[str]) -> list[str]:
    return [link for link in map(web_link, links) if link]


def _flag(code: str) -> str:
    """A flag emoji for two-letter country codes (UK shows as GB's flag); codes otherwise."""
    letters = "GB" if code == "UK" else code
    if len(letters) == 2 and letters.isalpha():
        return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in letters.upper()) + f" {code}"
    return code


def _alert_embed(alert: Alert) -> discord.Embed:
    primary = next(iter(_web_links(alert.links)), None)
    embed = discord.Embed(
        title=cut_with_more(_safe(alert.title), TITLE_LIMIT),
        url=primary if primary and honest_label(alert.title, primary) else None,
        description=cut_with_more(
            _safe(alert.summary), SUMMARY_LIMIT, f"[more]({primary})" if primary else ""
        ),
        colour=EVENT_COLOURS.get(alert.event or "", 0x95A5A6),
        timestamp=alert.first_seen,
    )
    embed.add_field(name="Platforms", value=", ".join(alert.platforms) or "none named")
    embed.add_field(name="Regions", value=", ".join(map(_flag, alert.regions)) or GLOBAL)
    embed.add_field(name="Event", value=(alert.event or "unknown").replace("_", " "))
    if alert.left_out:
        embed.add_field(name="Left out", value=", ".join(map(_flag, alert.left_out)))
    if alert.developed:
        steps = _safe("\n".join(short_timeline(alert.timeline)))
        embed.add_field(name="Timeline", value=cut_with_more(steps, FIELD_LIMIT), inline=False)
    embed.add_field(name="Sources", value=_sources(alert.links), inline=False)
    if alert.reasons:
        why = cut_with_more(_safe("; ".join(alert.reasons[:4])), FIELD_LIMIT)
        embed.add_field(name="Why this was flagged", value=why, inline=False)
    hint = "\n".join(alert.advice) or "\n".join(f"/optout {p}" for p in alert.platforms[:3])
    if hint:
        embed.add_field(
            name="What it means here", value=cut_with_more(_safe(hint), FIELD_LIMIT), inline=False
        )
    label = "Updated with new reports" if alert.action == "update" else "First seen"
    embed.set_footer(text=f"AI Data Watch · {story_marker(alert.story_id)} · {label}")
    return _within_total(embed)


def _digest_embed(digest: Digest) -> discord.Embed:
    """One embed listing the day's stories, each once, with its developments under it."""
    lines = []
    for alert in digest.alerts:
        link = next(iter(_web_links(alert.links)), None)
        tags = ", ".join(alert.regions) or GLOBAL
        if link and honest_label(alert.title, link):
            lines.append(f"• [{cut_with_more(_label(alert.title), 200)}]({link}) — {tags}")
        else:  # a title naming another site is no link's text: the link shows itself
            title = cut_with_more(_safe(alert.title), 200)
            lines.append(f"• {title} — {tags}" + (f"\n  {link}" if link else ""))
        steps = [step for step in alert.timeline if not step.opening]
        lines += [f"  ↳ {cut_with_more(_safe(step_line(step)), 200)}" for step in steps]
    embed = discord.Embed(
        title=f"AI Data Watch digest, {digest.day}: {len(digest.alerts)} stories",
        description=cut_with_more("\n".join(lines), DESCRIPTION_LIMIT),
        colour=0x95A5A6,
    )
    return embed


def _reply_embed(reply: Reply) -> discord.Embed:
    """Command replies are our own text, but may quote feed titles or what the user typed."""
    text = reply.text
    if reply.links:
        text += "\n\n" + "\n".join(reply.links)
    embed = discord.Embed(
        title=cut_with_more(_inert(reply.title), TITLE_LIMIT),
        description=cut_with_more(_inert(text), DESCRIPTION_LIMIT),
        colour=0x2ECC71 if reply.ok else 0xE74C3C,
    )
    for field in reply.fields[:FIELDS_MAX]:
        embed.add_field(
            name=cut_with_more(_inert(field.name), TITLE_LIMIT),
            value=cut_with_more(_inert(field.value), FIELD_LIMIT),
            inline=False,
        )
    return _within_total(embed)


def _sources(links: tuple[str, ...]) -> str:
    """The web links, numbered; a link that may not be one is left out."""
    lines: list[str] = []
    links = tuple(_web_links(links))
    for number, link in enumerate(links, start=1):
        line = f"{number}. {link}"
        if sum(len(x) + 1 for x in lines) + len(line) > FIELD_LIMIT - 30:
            lines.append(f"… and {len(links) - number + 1} more")
            break
        lines.append(line)
    return "\n".join(lines) or "none"


def _within_total(embed: discord.Embed) -> discord.Embed:
    """Drop fields from the end until the whole embed fits Discord's 6,000 characters."""
    while len(embed) > TOTAL_LIMIT and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    if len(embed) > TOTAL_LIMIT and embed.description:
        embed.description = cut_with_more(
            embed.description, len(embed.description) - (len(embed) - TOTAL_LIMIT)
        )
    return embed
