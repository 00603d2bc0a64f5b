"""Alerts, digests and command replies as Slack messages (Block Kit), within Slack's limits.

The verbs match discord/render.py: `alert_message`, `repost_message`, `development_message`,
`digest_message` and `reply_message` each return a `SlackMessage` for adapter.py or
intake.py to send.

Feed text is escaped (&, <, >), so it can never form `<!channel>`, `<!here>`, a user mention
or a disguised `<url|text>` link, and the words Slack's automatic parsing turns into
broadcasts (@channel, @here, @everyone) are broken with an invisible joiner. Our own links
are built after escaping, only to links bot/links.py allows, and a title is the text of a link
only where it names no other site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.adapters.text import cut, event_words, short_timeline, step_line
from bot.delivery.destination import story_marker
from bot.links import honest_label, web_link
from bot.models import Alert, Digest
from bot.replies import Reply
from bot.vocabulary import GLOBAL

BLOCKS_MAX = 50
SECTION_LIMIT = 3000
HEADER_LIMIT = 150
CONTEXT_ELEMENTS_MAX = 10
FALLBACK_LIMIT = 3000

Block = dict[str, Any]
# Words Slack may turn into a broadcast when it parses a message's text by itself.
_BROADCAST = re.compile(r"@(?=(?:channel|here|everyone)\b)", re.IGNORECASE)
WORD_JOINER = "\u2060"


@dataclass(frozen=True)
class SlackMessage:
    """What one message carries: `text` is the notification and the fallback where blocks
    cannot show, `blocks` what people read."""

    text: str
    blocks: tuple[Block, ...]


def alert_message(alert: Alert) -> SlackMessage:
    return SlackMessage(_alert_fallback(alert), tuple(_alert_blocks(alert)))


def repost_message(alert: Alert) -> SlackMessage:
    """The story posted anew because its message was deleted, with a line saying so."""
    notice = _context("This continues an earlier alert whose message was deleted.")
    return SlackMessage(_alert_fallback(alert), (notice, *_alert_blocks(alert)))


def development_message(alert: Alert) -> SlackMessage:
    """One development, told as a reply in the alert's thread."""
    step = alert.development
    assert step is not None, "a development message needs its development"
    where = ", ".join(step.regions) or GLOBAL
    if step.left_out:
        where += f"; left out: {', '.join(step.left_out)}"
    what = f"*{escape(event_words(step.event).capitalize())}* ({escape(where)})"
    title = _link(step.link, step.title)
    marker = story_marker(alert.story_id, step.id)
    blocks = (
        _section(f"{what}: {title}"),
        _context(f"{step.at.date().isoformat()} · AI Data Watch · {marker} · development"),
    )
    fallback = cut(escape(f"{event_words(step.event).capitalize()} ({where}): {step.title}"),
                   FALLBACK_LIMIT)  # fmt: skip
    return SlackMessage(fallback, blocks)


def digest_message(digest: Digest) -> SlackMessage:
    text = f"AI Data Watch digest, {digest.day}: {len(digest.alerts)} stories"
    return SlackMessage(text, tuple(_digest_blocks(digest)))


def reply_message(reply: Reply) -> SlackMessage:
    """Replies may quote what the user typed: escaped like feed text."""
    return SlackMessage(cut(escape(reply.title), FALLBACK_LIMIT), tuple(_reply_blocks(reply)))


def escape(text: str) -> str:
    """Slack's three control characters, and its broadcast words; after this, text is only
    text."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub("@" + WORD_JOINER, text)


def _link(url: str, label: str) -> str:
    """`label` as a link to `url`, escaped. A link that may not be one leaves the label as
    text; a label naming another site is shown beside the link, which shows its address."""
    link = web_link(url)
    if link is None:
        return escape(label)
    if not honest_label(label, link):
        return f"{escape(label)} <{escape(link)}>"
    return f"<{escape(link)}|{escape(label).replace('|', '¦')}>"


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": cut(text, SECTION_LIMIT)}}


def _context(*texts: str) -> Block:
    elements = [{"type": "mrkdwn", "text": cut(t, SECTION_LIMIT)} for t in texts if t]
    return {"type": "context", "elements": elements[:CONTEXT_ELEMENTS_MAX]}


def _header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": cut(text, HEADER_LIMIT)}}


def _alert_blocks(alert: Alert) -> list[Block]:
    title = escape(alert.title)
    links = [link for link in alert.links if web_link(link)]
    primary = links[0] if links else None
    blocks = [_header(alert.title)]
    what = escape(alert.summary) or title
    if primary:
        what = f"{cut(what, SECTION_LIMIT - 200)} {_link(primary, 'read more')}"
    blocks.append(_section(what))
    tags: tuple[str, ...] = (
        f"*Platforms:* {', '.join(alert.platforms) or 'none named'}",
        f"*Regions:* {', '.join(alert.regions) or GLOBAL}",
        f"*Event:* {(alert.event or 'unknown').replace('_', ' ')}",
    )
    if alert.left_out:
        tags = (*tags, f"*Left out:* {', '.join(alert.left_out)}")
    blocks.append(_context(*tags))
    if alert.developed:
        steps = "\n".join(escape(line) for line in short_timeline(alert.timeline))
        blocks.append(_section(f"*Timeline*\n{steps}"))
    sources = [_link(url, f"source {n}") for n, url in enumerate(links[:8], start=1)]
    if len(links) > 8:
        sources.append(f"and {len(links) - 8} more")
    if sources:
        blocks.append(_context("*Sources:* " + " · ".join(sources)))
    hints = alert.advice or tuple(f"/optout {p}" for p in alert.platforms[:3])
    if hints:
        blocks.append(_section("*What it means here*\n" + "\n".join(escape(h) for h in hints)))
    if alert.reasons:
        blocks.append(_context("*Why this was flagged:* " + escape("; ".join(alert.reasons[:4]))))
    label = "Updated with new reports" if alert.action == "update" else "First seen"
    blocks.append(_context(f"AI Data Watch · {story_marker(alert.story_id)} · {label}"))
    return blocks[:BLOCKS_MAX]


def _alert_fallback(alert: Alert) -> str:
    """The notification text: plain, escaped, short."""
    prefix = "Update: " if alert.action == "update" else ""
    regions = ", ".join(alert.regions) or GLOBAL
    return cut(escape(f"{prefix}{alert.title} ({regions})"), FALLBACK_LIMIT)


def _digest_blocks(digest: Digest) -> list[Block]:
    blocks = [_header(f"AI Data Watch digest, {digest.day}: {len(digest.alerts)} stories")]
    for alert in digest.alerts[: BLOCKS_MAX - 2]:
        primary = next((link for link in alert.links if web_link(link)), "")
        title = _link(primary, alert.title)
        steps = [f"↳ {escape(step_line(s))}" for s in alert.timeline if not s.opening]
        text = "\n".join([title, ", ".join(alert.regions) or GLOBAL, *steps])
        blocks.append(_section(text))
    if len(digest.alerts) > BLOCKS_MAX - 2:
        blocks.append(_context(f"and {len(digest.alerts) - (BLOCKS_MAX - 2)} more"))
    return blocks


def _reply_blocks(reply: Reply) -> list[Block]:
    blocks = [_section(f"*{escape(reply.title)}*\n{escape(reply.text)}")]
    blocks += [_section(f"*{escape(f.name)}*\n{escape(f.value)}") for f in reply.fields]
    if reply.links:
        blocks.append(_context(" · ".join(_link(url, url) for url in reply.links[:10])))
    return blocks[:BLOCKS_MAX]
