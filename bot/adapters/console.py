"""The console destination: every alert on stdout, as text or as one JSON line."""

from __future__ import annotations

import json
import sys
from typing import TextIO

from bot.adapters.text import clip
from bot.models import Alert, Digest

CONSOLE_ID = "console:stdout"
SUMMARY_LIMIT = 300


class ConsoleDestination:
    kind = "console"

    def __init__(self, *, as_json: bool = False, stream: TextIO | None = None) -> None:
        self._as_json = as_json
        self._stream = stream or sys.stdout

    async def deliver(self, address: str, alert: Alert, previous_id: str | None) -> str | None:
        text = to_json_line(alert) if self._as_json else to_text(alert)
        self._write(text)
        return None

    async def deliver_digest(self, address: str, digest: Digest) -> str | None:
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
    return json.dumps(
        {
            "action": alert.action,
            "story": alert.story_id,
            "title": alert.title,
            "event": alert.event,
            "platforms": list(alert.platforms),
            "regions": list(alert.regions),
            "links": list(alert.links),
        },
        ensure_ascii=False,
    )


def to_text(alert: Alert) -> str:
    label = "NEW" if alert.action == "post" else "UPDATE"
    lines = [f"[{label}] {alert.title}"]
    if alert.summary:
        lines.append(f"  {clip(alert.summary, SUMMARY_LIMIT)}")
    tags = [
        f"event: {alert.event or 'unknown'}",
        f"platforms: {', '.join(alert.platforms) or 'none named'}",
        f"regions: {', '.join(alert.regions) or 'GLOBAL'}",
    ]
    lines.append("  " + " | ".join(tags))
    lines.extend(f"  source: {link}" for link in alert.links)
    if alert.reasons:
        lines.append(f"  why: {'; '.join(alert.reasons[:4])}")
    lines.extend(f"  for you: {line}" for line in alert.advice)
    if not alert.advice:
        lines.extend(f"  opt out: /optout {platform}" for platform in alert.platforms[:3])
    return "\n".join(lines)
