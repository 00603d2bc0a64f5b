"""Looking for secrets wherever the bot may have written them.

A test gathers what the bot left behind as named places (its stdout and stderr, every file in
its working directory, every row of its database, every body the chat servers received; later
its status page and metrics) and asks `leaks` where any secret shows. A secret counts as shown
when any `WINDOW` characters of it appear in any common encoding, so a token cut short with an
ellipsis, percent-encoded in a URL or base64'd in a header still counts.
"""

from __future__ import annotations

import base64
import json
import secrets
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

WINDOW = 16  # characters of a secret that identify it (fake tokens are random past this)


def fake_token(prefix: str) -> str:
    """A token no test or config holds by chance: `prefix` then 32 random hex digits."""
    return prefix + secrets.token_hex(16)


def _pieces(secret: str) -> set[bytes]:
    """Every WINDOW-long slice of the secret, as text, percent-encoded and base64 (aligned
    slices of the whole token's base64, which is what a header would carry)."""
    forms = {secret, quote(secret, safe=""), base64.b64encode(secret.encode()).decode()}
    found: set[bytes] = set()
    for form in forms:
        size = min(WINDOW, len(form))
        found |= {form[i : i + size].encode() for i in range(len(form) - size + 1)}
    return found


def leaks(secrets_by_name: Mapping[str, str], places: Mapping[str, bytes | str]) -> list[str]:
    """'NAME in PLACE' for every secret that shows in a place; [] when none does."""
    found = []
    for name, secret in secrets_by_name.items():
        pieces = _pieces(secret)
        for place, content in places.items():
            data = content.encode() if isinstance(content, str) else content
            if any(piece in data for piece in pieces):
                found.append(f"{name} in {place}")
    return found


def files_under(root: Path) -> dict[str, bytes]:
    """Every file below `root` (database, its WAL, log files...), by relative path."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def database_rows(path: Path) -> dict[str, str]:
    """Every row of every table, as text, by table: what a reader of the database sees."""
    with sqlite3.connect(path) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        )]  # fmt: skip
        return {
            f"table {table}": "\n".join(
                repr(row)
                for row in connection.execute(f'SELECT * FROM "{table}"')  # noqa: S608
            )
            for table in tables
        }


def as_text(items: Iterable[Any]) -> str:
    """What a chat server received (bodies, arguments), as one text to search."""
    return "\n".join(json.dumps(item, default=str, ensure_ascii=False) for item in items)
