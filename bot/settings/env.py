"""Environment variables and paths. The only module that reads os.environ.

Precedence: an explicit flag beats an environment variable beats the default. Secrets come
from the environment or an untracked `.env` file, and are never logged.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bot.redaction import keep_secret
from bot.settings.shards import DiscordShards, read_shards

DEFAULT_CONFIG_DIR = Path("config")
DEFAULT_DB_PATH = Path("data/aiwatch.db")
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
DEFAULT_DISCORD_API_BASE = "https://discord.com/api/v10"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_STATUS_HOST = "127.0.0.1"
MAX_PORT = 65535
# Longer than a feed's whole fetch (AIWATCH_FETCH_TIMEOUT) and a chat request's timeout (60 s),
# so work is only taken over from a process that died; at most a day.
DEFAULT_LEASE_SECONDS = 120
MAX_LEASE_SECONDS = 86400
# A body is held in memory whole; beyond a gigabyte a limit is a typo (and zlib refuses it).
MAX_BODY_LIMIT = 1024**3


@dataclass(frozen=True)
class Secret:
    """A token that prints as ***, and that bot.redaction blots out of every log line and
    stored error, so it never reaches a log, a database or a chat by accident."""

    value: str = field(repr=False)

    def __post_init__(self) -> None:
        keep_secret(self.value)

    def __repr__(self) -> str:
        return "Secret('***')" if self.value else "Secret('')"

    def __bool__(self) -> bool:
        return bool(self.value)


@dataclass(frozen=True)
class Environment:
    config_dir: Path
    db_path: Path | str  # a SQLite file, or a postgresql:// URL (str)
    feeds_path: Path
    discord_token: Secret
    slack_bot_token: Secret
    slack_app_token: Secret
    slack_signing_secret: Secret
    discord_api_base: str
    discord_gateway_url: str | None
    discord_dev_guild: int | None  # sync slash commands to this guild instantly (development)
    slack_api_url: str
    slack_port: int  # HTTP mode (SLACK_SIGNING_SECRET without SLACK_APP_TOKEN) listens here
    fetch_timeout: float
    body_limit: int
    # The status page, /healthz and /metrics: off (None) unless AIWATCH_STATUS_PORT is set;
    # 0 takes a free port (logged). Loopback by default: the page names every channel.
    status_port: int | None = None
    status_host: str = DEFAULT_STATUS_HOST
    # DISCORD_SHARD_IDS / DISCORD_SHARD_COUNT (see shards.py): every recommended shard if unset
    discord_shards: DiscordShards = field(default_factory=DiscordShards)
    # Where WebSub hubs reach the status port from outside (AIWATCH_PUBLIC_URL): the bot
    # subscribes to feeds that name a hub only when it is set.
    public_url: str | None = None
    # How long a process holds a feed's poll, a destination's deliveries or the judging
    # before another may take it over (several processes on one PostgreSQL database).
    lease_seconds: int = DEFAULT_LEASE_SECONDS


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a .env file; comments and blank lines skipped, quotes removed."""
    values: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return values
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        values[key.strip()] = value.strip().strip("'\"")
    return values


def read_environment(
    *,
    config_dir: str | None = None,
    db_path: str | None = None,
    feeds_path: str | None = None,
    environ: Mapping[str, str] | None = None,
    dotenv: Path = Path(".env"),
) -> Environment:
    env = {**read_dotenv(dotenv), **(os.environ if environ is None else environ)}

    def pick(flag: str | None, name: str, default: Path) -> Path:
        return Path(flag) if flag else Path(env[name]) if env.get(name) else default

    config = pick(config_dir, "AIWATCH_CONFIG", DEFAULT_CONFIG_DIR)
    return Environment(
        config_dir=config,
        db_path=_database(db_path or env.get("AIWATCH_DB") or None),
        feeds_path=pick(feeds_path, "AIWATCH_FEEDS", config / "feeds.yaml"),
        discord_token=Secret(env.get("DISCORD_TOKEN", "")),
        slack_bot_token=Secret(env.get("SLACK_BOT_TOKEN", "")),
        slack_app_token=Secret(env.get("SLACK_APP_TOKEN", "")),
        slack_signing_secret=Secret(env.get("SLACK_SIGNING_SECRET", "")),
        discord_api_base=env.get("DISCORD_API_BASE") or DEFAULT_DISCORD_API_BASE,
        discord_gateway_url=env.get("DISCORD_GATEWAY_URL") or None,
        discord_dev_guild=_guild_id(env),
        # slack_sdk joins the method name to this URL, so it must end with a slash.
        slack_api_url=(env.get("SLACK_API_URL") or DEFAULT_SLACK_API_URL).rstrip("/") + "/",
        slack_port=_whole(env, "SLACK_PORT", 3000, MAX_PORT),
        fetch_timeout=_positive(env, "AIWATCH_FETCH_TIMEOUT", 20.0),
        body_limit=_whole(env, "AIWATCH_BODY_LIMIT", 5 * 1024 * 1024, MAX_BODY_LIMIT),
        status_port=_port(env, "AIWATCH_STATUS_PORT"),
        status_host=env.get("AIWATCH_STATUS_HOST", "").strip() or DEFAULT_STATUS_HOST,
        discord_shards=read_shards(env),
        public_url=_public_url(env),
        lease_seconds=_whole(
            env, "AIWATCH_LEASE_SECONDS", DEFAULT_LEASE_SECONDS, MAX_LEASE_SECONDS
        ),
    )


def _public_url(env: Mapping[str, str]) -> str | None:
    raw = env.get("AIWATCH_PUBLIC_URL", "").strip()
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        from bot.errors import UsageError

        raise UsageError(
            f"AIWATCH_PUBLIC_URL={raw!r}: expected the http(s) address at which WebSub hubs"
            " reach the status port, e.g. https://aiwatch.example.org"
        )
    if not env.get("AIWATCH_STATUS_PORT", "").strip():
        from bot.errors import UsageError

        raise UsageError(
            "AIWATCH_PUBLIC_URL is set but AIWATCH_STATUS_PORT is not: WebSub pushes arrive"
            " on the status port; set both, or unset AIWATCH_PUBLIC_URL"
        )
    return raw.rstrip("/")


def _database(value: str | None) -> Path | str:
    """A postgresql:// URL stays a string, its password registered as a secret; anything
    else is the path of a SQLite file."""
    if value is None:
        return DEFAULT_DB_PATH
    if value.startswith(POSTGRES_SCHEMES):
        password = urlsplit(value).password
        if password:
            keep_secret(password)
            keep_secret(unquote(password))
        return value
    return Path(value)


def _guild_id(env: Mapping[str, str]) -> int | None:
    raw = env.get("DISCORD_DEV_GUILD", "").strip()
    if not raw:
        return None
    if not raw.isdecimal():  # not isdigit: "²" is a digit that int() refuses
        from bot.errors import UsageError

        raise UsageError(f"DISCORD_DEV_GUILD={raw!r}: expected a server id (digits only)")
    return int(raw)


def _port(env: Mapping[str, str], name: str) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdecimal() or int(raw) > MAX_PORT:  # not isdigit: int() refuses "²"
        from bot.errors import UsageError

        raise UsageError(f"{name}={raw!r}: expected a port number, 0 to 65535 (0: any free port)")
    return int(raw)


def _positive(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not (math.isfinite(value) and value > 0):  # "nan" and "inf" are floats too
        from bot.errors import UsageError

        raise UsageError(f"{name}={raw!r}: expected a positive number (unset it for {default})")
    return value


def _whole(env: Mapping[str, str], name: str, default: int, most: int) -> int:
    """A whole number from 1 to `most`: a port, a number of bytes."""
    value = _positive(env, name, default)
    if value != int(value) or value > most:
        from bot.errors import UsageError

        raise UsageError(
            f"{name}={env.get(name)!r}: expected a whole number from 1 to {most}"
            f" (unset it for {default})"
        )
    return int(value)
