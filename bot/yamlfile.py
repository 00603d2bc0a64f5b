"""Reading one YAML file and collecting every problem in it, located by entry and field.

Validation never stops at the first problem: an operator fixing a file wants the whole list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from bot.errors import ConfigProblem

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# libyaml's safe loader when PyYAML was built with it (its wheels are): the same documents,
# read about ten times faster; classifier.yaml holds terms in 27 languages.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FileChecks:
    """Problems found in one file; entries are named by id when they have one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[ConfigProblem] = []

    def add(self, entry: str, field: str, message: str) -> None:
        self.problems.append(ConfigProblem(str(self.path), entry, field, message))

    def load(self, empty: str = "the file is empty") -> Any:
        """The parsed YAML, or None with a problem recorded when it cannot be read or holds
        nothing (`empty` says what it should hold)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.add("", "", "file not found")
            return None
        except (OSError, UnicodeDecodeError) as exc:
            self.add("", "", f"cannot read the file ({exc})")
            return None
        try:
            document = yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 (a safe loader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark is not None else ""
            self.add("", "", f"not valid YAML{where}: {getattr(exc, 'problem', exc)}")
            return None
        except ValueError as exc:  # e.g. a date that does not exist, such as 2025-02-30
            self.add("", "", f"a value cannot be read ({exc}); check the dates in this file")
            return None
        if document is None:
            self.add("", "", empty)
        return document

    def entries(self, data: Any, key: str | None) -> list[tuple[str, Mapping[str, Any]]]:
        """The list under `key` (or the document itself), each entry named for messages."""
        items = data.get(key) if key is not None and isinstance(data, Mapping) else data
        if key is not None and not isinstance(data, Mapping):
            self.add("", key, "expected a mapping with a list under this key")
            return []
        if not isinstance(items, list):
            self.add("", key or "", "expected a list of entries")
            return []
        named = []
        for index, raw in enumerate(items, start=1):
            label = f"#{index}"
            if not isinstance(raw, Mapping):
                self.add(label, "", "expected a mapping (key: value pairs)")
                continue
            ident = raw.get("id", raw.get("code"))
            if isinstance(ident, str | int) and ident != "":
                label = f"#{index} ({ident})"
            named.append((label, raw))
        return named

    def text(
        self, entry: str, raw: Mapping[str, Any], field: str, *, required: bool = True
    ) -> str | None:
        value = raw.get(field)
        if value is None:
            if required:
                self.add(entry, field, "is required")
            return None
        if not isinstance(value, str) or not value.strip():
            self.add(entry, field, f"expected non-empty text, got {value!r}")
            return None
        return value.strip()

    def texts(self, entry: str, raw: Mapping[str, Any], field: str) -> tuple[str, ...]:
        value = raw.get(field, [])
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            self.add(entry, field, "expected a list of text")
            return ()
        return tuple(str(v).strip() for v in value if str(v).strip())

    def unknown_fields(self, entry: str, raw: Mapping[str, Any], known: Iterable[str]) -> None:
        """Typos in field names would silently be ignored otherwise."""
        allowed = set(known)
        for field in raw:
            if field not in allowed:
                self.add(entry, str(field), f"unknown field (expected one of {sorted(allowed)})")
