"""The opt-out guide's data (config/optout.yaml): statuses, and per platform and region advice.

Every rule the guide relies on is checked here, so a wrong entry stops the bot at start-up
instead of telling someone something half-written: each advice has steps or a status that
needs no action, sources, and a date (or an explicit `undated`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bot.errors import ConfigProblem
from bot.settings.platforms import PlatformBook
from bot.settings.regions import RegionBook, normalise
from bot.vocabulary import GLOBAL
from bot.yamlfile import FileChecks

PLATFORM_FIELDS = ("id", "name", "aliases", "confidence", "unsure", "advice")
ADVICE_FIELDS = ("regions", "status", "setting", "link", "steps", "caveats", "sources", "checked")
STATUS_FIELDS = ("summary", "action")
CONFIDENCE = ("high", "medium", "low")
UNDATED = "undated"
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


@dataclass(frozen=True)
class Status:
    key: str
    summary: str
    action: bool  # False: "nothing to do" is the answer


@dataclass(frozen=True)
class Advice:
    regions: tuple[str, ...]
    status: Status
    steps: tuple[str, ...]
    caveats: tuple[str, ...]
    sources: tuple[str, ...]
    checked: date | None  # None: the sources carry no date
    checked_text: str
    setting: str = ""
    link: str = ""


@dataclass(frozen=True)
class GuideEntry:
    id: str
    name: str
    confidence: str
    advice: tuple[Advice, ...]
    unsure: str = ""


@dataclass(frozen=True)
class OptoutBook:
    entries: Mapping[str, GuideEntry]
    by_alias: Mapping[str, str]  # guide-only aliases; platforms.yaml aliases resolve too


def load_optout(
    path: Path, regions: RegionBook, platforms: PlatformBook
) -> tuple[OptoutBook, list[ConfigProblem]]:
    checks = FileChecks(path)
    data = checks.load()
    entries: dict[str, GuideEntry] = {}
    by_alias: dict[str, str] = {}
    if data is None:
        return OptoutBook(entries, by_alias), checks.problems
    statuses = _read_statuses(checks, data)
    for label, raw in checks.entries(data, "platforms"):
        entry = _read_entry(checks, label, raw, statuses, regions, platforms)
        if entry is None:
            continue
        if entry.id in entries:
            checks.add(label, "id", f"'{entry.id}' is in the guide twice")
        entries[entry.id] = entry
        for alias in checks.texts(label, raw, "aliases"):
            owner = platforms.by_alias.get(normalise(alias))
            if owner not in (None, entry.id):
                checks.add(label, "aliases", f"'{alias}' already names platform {owner}")
            by_alias[normalise(alias)] = entry.id
    return OptoutBook(entries, by_alias), checks.problems


def _read_statuses(checks: FileChecks, data: Any) -> dict[str, Status]:
    raw = data.get("statuses") if isinstance(data, Mapping) else None
    if not isinstance(raw, Mapping) or not raw:
        checks.add("", "statuses", "expected a mapping of status name to {summary, action}")
        return {}
    statuses = {}
    for key, value in raw.items():
        label = f"status {key}"
        if not isinstance(value, Mapping):
            checks.add(label, "", "expected summary and action")
            continue
        checks.unknown_fields(label, value, STATUS_FIELDS)
        summary = checks.text(label, value, "summary")
        action = value.get("action")
        if not isinstance(action, bool):
            checks.add(label, "action", "expected true (the person must act) or false")
        statuses[str(key)] = Status(str(key), summary or "", bool(action))
    return statuses


def _read_entry(
    checks: FileChecks,
    label: str,
    raw: Mapping[str, Any],
    statuses: Mapping[str, Status],
    regions: RegionBook,
    platforms: PlatformBook,
) -> GuideEntry | None:
    checks.unknown_fields(label, raw, PLATFORM_FIELDS)
    platform_id = checks.text(label, raw, "id")
    if platform_id is None:
        return None
    if platform_id not in platforms.ids:
        checks.add(label, "id", f"'{platform_id}' is not a platform id in platforms.yaml")
    confidence = checks.text(label, raw, "confidence") or "low"
    if confidence not in CONFIDENCE:
        checks.add(label, "confidence", f"expected one of {', '.join(CONFIDENCE)}")
    items = raw.get("advice")
    if not isinstance(items, list) or not items:
        checks.add(label, "advice", "expected a list with advice for at least GLOBAL")
        items = []
    advice = []
    for index, item in enumerate(items, start=1):
        read = _read_advice(checks, f"{label} advice #{index}", item, statuses, regions)
        if read is not None:
            advice.append(read)
    covered = [code for a in advice for code in a.regions]
    if advice and GLOBAL not in covered:
        checks.add(label, "advice", "no advice covers GLOBAL, the fallback for other regions")
    for code in {c for c in covered if covered.count(c) > 1}:
        checks.add(label, "advice", f"region {code} appears in two advice items")
    return GuideEntry(
        id=platform_id,
        name=checks.text(label, raw, "name") or platforms.name(platform_id),
        confidence=confidence,
        advice=tuple(advice),
        unsure=checks.text(label, raw, "unsure", required=False) or "",
    )


def _read_advice(
    checks: FileChecks,
    label: str,
    raw: Any,
    statuses: Mapping[str, Status],
    regions: RegionBook,
) -> Advice | None:
    if not isinstance(raw, Mapping):
        checks.add(label, "", "expected a mapping")
        return None
    checks.unknown_fields(label, raw, ADVICE_FIELDS)
    codes = checks.texts(label, raw, "regions")
    if not codes:
        checks.add(label, "regions", "name at least one region code")
    for code in codes:
        if code not in regions.codes:
            checks.add(label, "regions", f"unknown region code '{code}' (see regions.yaml)")
    status_key = checks.text(label, raw, "status") or ""
    status = statuses.get(status_key)
    if status is None and status_key:
        checks.add(label, "status", f"unknown status '{status_key}' (see statuses)")
    steps = checks.texts(label, raw, "steps")
    if status is not None and status.action and not steps:
        checks.add(label, "steps", f"status '{status_key}' needs steps (what should people do?)")
    sources = checks.texts(label, raw, "sources")
    if not sources:
        checks.add(label, "sources", "name at least one source link")
    for source in sources:
        if not source.startswith(("https://", "http://")):
            checks.add(label, "sources", f"'{source}' is not a link")
    checked_text, checked = _read_checked(checks, label, raw.get("checked"))
    if status is None:
        return None
    return Advice(
        regions=codes,
        status=status,
        steps=steps,
        caveats=checks.texts(label, raw, "caveats"),
        sources=sources,
        checked=checked,
        checked_text=checked_text,
        setting=checks.text(label, raw, "setting", required=False) or "",
        link=checks.text(label, raw, "link", required=False) or "",
    )


def _read_checked(checks: FileChecks, label: str, value: Any) -> tuple[str, date | None]:
    """YAML reads 2025-09-18 as a date; a year or month alone stays text; so does `undated`."""
    if isinstance(value, date):
        return value.isoformat(), value
    text = str(value) if isinstance(value, str | int) else ""
    if text == UNDATED:
        return text, None
    match = _PARTIAL_DATE.match(text)
    if match is None:
        checks.add(label, "checked", "expected YYYY-MM-DD, YYYY-MM, YYYY or 'undated'")
        return text, None
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        return text, date(year, month, day)
    except ValueError:
        checks.add(label, "checked", f"'{text}' is not a real date")
        return text, None
