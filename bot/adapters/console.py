"""The console destination: every alert on stdout, as text or as one JSON line."""

from __future__ import annotations

import json
import sys
from typing import TextIO

from bot.adapters.text import clip, step_line
from bot.delivery.destination import SendKey
from bot.models import Alert, Digest
from bot.vocabulary import GLOBAL

CONSOLE_ID = "console:stdout"
SUMMARY_LIMIT = 300


class ConsoleDestination:
    """Prints each alert once; the console keeps no messages, so an edit prints the story
    again as an update and a reply prints the development."""

    kind = "console"
    dedup_window = 0.0

    def __init__(self, *, as_json: bool = False, stream: TextIO | None = None) -> None:
        self._as_json = as_json
        self._stream = stream or sys.stdout

    async def post(self, address: str, alert: Alert, key: SendKey) -> str | None:
        self._write(to_json_line(alert) if self._as_json else to_text(alert))
        return None

    async def edit(self, address: str, message_id: str | None, alert: Alert) -> None:
        self._write(to_json_line(alert) if self._as_json else to_text(alert))

    async def reply(
        self, address: str, message_id: str | None, alert: Alert, key: SendKey
    ) -> str | None:
        self._write(to_json_line(alert) if self._as_json else development_text(alert))
        return None

    async def find(self, address: str, key: SendKey, parent_id: str | None) -> str | None:
        return None  # what was printed cannot be read back

    async def post_digest(self, address: str, digest: Digest) -> str | None:
        if self._as_json:
            lines = [to_json_line(alert) for alert in digest.alerts]
        else:
            count = len(digest.alerts)
            lines = [f"[DIGEST {digest.day}] {count} stor{'y' if count == 1 else 'ies'}"]
            lines += [to_text(alert) for alert in digest.alerts]
        self._write("\n".join(lines))
        return None

    def write_reply(self, text: str) -> None:
        """A command's answer. With --json, stdout carries only alert lines, so answers go to
        stderr."""
        if self._as_json:
            sys.stderr.write(text + "\n")
            sys.stderr.flush()
        else:
            self._write(text)

    def _write(self, text: str) -> None:
        self._stream.write(text + "\n")
        self._stream.flush()


def to_json_line(alert: Alert) -> str:
    line: dict[str, object] = {
        "action": alert.action,
        "story": alert.story_id,
        "title": alert.title,
        "event": alert.event,
        "platforms": list(alert.platforms),
        "regions": list(alert.regions),
        "links": list(alert.links),
    }
    step = alert.development
    if step is not None:
        line["development"] = {
            "event": step.event,
            "regions": list(step.regions),
            "title": step.title,
            "links": [step.link] if step.link else [],
        }
    return json.dumps(line, ensure_ascii=False)


LABELS = {"post": "NEW", "update": "UPDATE", "development": "DEVELOPMENT"}


def to_text(alert: Alert) -> str:
    label = LABELS.get(alert.action, alert.action.upper())
    lines = [f"[{label}] {alert.title}"]
    if alert.continues:
        lines.append("  (continues an earlier alert whose message is gone)")
    if alert.summary:
        lines.append(f"  {clip(alert.summary, SUMMARY_LIMIT)}")
    tags = [
        f"event: {alert.event or 'unknown'}",
        f"platforms: {', '.join(alert.platforms) or 'none named'}",
        f"regions: {', '.join(alert.regions) or GLOBAL}",
    ]
    if alert.left_out:
        tags.append(f"left out: {', '.join(alert.left_out)}")
    lines.append("  " + " | ".join(tags))
    if alert.developed:
        lines.extend(f"  timeline: {step_line(step)}" for step in alert.timeline)
    lines.extend(f"  source: {link}" for link in alert.links)
    if alert.reasons:
        lines.append(f"  why: {'; '.join(alert.reasons[:4])}")
    lines.extend(f"  for you: {line}" for line in alert.advice)
    if not alert.advice:
        lines.extend(f"  opt out: /optout {platform}" for platform in alert.platforms[:3])
    return "\n".join(lines)


def development_text(alert: Alert) -> str:
    step = alert.development
    if step is None:
        return to_text(alert)
    lines = [f"[DEVELOPMENT] story {alert.story_id}: {step_line(step)}"]
    if step.link:
        lines.append(f"  source: {step.link}")
    return "\n".join(lines)
