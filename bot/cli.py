"""Command line: subcommands -> core calls -> exit 0 (ok), 2 (bad input or config), 1 (other).

No SQL and no rules here; each subcommand reads its input, calls the core, prints.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from bot import __version__
from bot.batch import judge_in_order, read_items, story_lines, verdict_line
from bot.classify import Classifier
from bot.errors import AiWatchError, ConfigError, UsageError
from bot.health import feed_health_lines
from bot.models import FEED_KINDS, Feed
from bot.optout.guide import Guide
from bot.redaction import redact_logs
from bot.runner import RunOptions, run_bot
from bot.settings import Config, Environment, load_config, read_environment
from bot.storage.migrate import SchemaTooNew
from bot.trying import page_selectors, trial_lines, try_source

log = logging.getLogger("aiwatch")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="aiwatch: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("aiosqlite").setLevel(logging.WARNING)
    redact_logs()
    try:
        return int(args.handler(args))
    except (ConfigError, UsageError, SchemaTooNew) as exc:
        _error(exc)
        return 2
    except AiWatchError as exc:
        _error(exc)
        return 1
    except KeyboardInterrupt:
        return 130


def _error(exc: Exception) -> None:
    if isinstance(exc, ConfigError) and len(exc.problems) > 1:
        print(f"aiwatch: {len(exc.problems)} problems in the configuration:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return
    print(f"aiwatch: error: {exc}", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aiwatch",
        description="AI Data Watch: alerts when platforms use people's data for AI.",
    )
    parser.add_argument("--version", action="version", version=f"aiwatch {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="poll feeds, classify, post alerts")
    run.add_argument("--once", action="store_true", help="one poll cycle, drain, exit")
    run.add_argument("--json", action="store_true", help="one JSON line per alert action")
    run.add_argument("--since", metavar="DATE", help="never alert items published before DATE")
    _paths(run, feeds=True, db=True)
    run.set_defaults(handler=_run)

    check = commands.add_parser("check-config", help="validate every config file")
    _paths(check, feeds=True)
    check.set_defaults(handler=_check_config)

    classify = commands.add_parser("classify", help="classify JSON-line items from stdin")
    _paths(classify)
    classify.set_defaults(handler=_classify)

    stories = commands.add_parser("stories", help="group JSON-line items from stdin into stories")
    _paths(stories)
    stories.set_defaults(handler=_stories)

    optout = commands.add_parser("optout", help="how to opt out of AI training on a platform")
    optout.add_argument("platform", metavar="PLATFORM", help="a platform name, e.g. linkedin")
    optout.add_argument("--region", metavar="R", help="a region code or name, e.g. UK, EU, US")
    _paths(optout)
    optout.set_defaults(handler=_optout)

    feeds = commands.add_parser("feeds", help="feed health: last fetch, status, next poll")
    _paths(feeds, feeds=True, db=True)
    feeds.set_defaults(handler=_feeds)

    trial = commands.add_parser("try-source", help="what the bot would read from a page or feed")
    trial.add_argument("url", metavar="URL", help="the page or feed to read now")
    for name, meaning in _PAGE_OPTIONS.items():
        trial.add_argument(f"--page-{name}", metavar="CSS", help=meaning)
    trial.add_argument("--language", metavar="CODE", help="the source's language, e.g. de")
    trial.add_argument("--kind", choices=FEED_KINDS, default="news", help="the source's kind")
    trial.add_argument("--region", metavar="R", help="the region the publisher speaks for")
    _paths(trial)
    trial.set_defaults(handler=_try_source)
    return parser


_PAGE_OPTIONS = {
    "entries": "read URL as a news page: the selector of one entry",
    "title": "inside an entry: its title (default: the link's text)",
    "link": "inside an entry: its link (default a@href; selector@attribute)",
    "date": "inside an entry: its date (text, or selector@attribute)",
    "summary": "inside an entry: its summary",
}


def _paths(parser: argparse.ArgumentParser, *, feeds: bool = False, db: bool = False) -> None:
    parser.add_argument("--config", metavar="DIR", help="config directory (default ./config)")
    if feeds:
        parser.add_argument(
            "--feeds", metavar="FILE", help="feeds file (default config/feeds.yaml)"
        )
    if db:
        parser.add_argument("--db", metavar="PATH", help="database (default ./data/aiwatch.db)")


def _environment(args: argparse.Namespace) -> Environment:
    return read_environment(
        config_dir=args.config,
        db_path=getattr(args, "db", None),
        feeds_path=getattr(args, "feeds", None),
    )


def _config(env: Environment) -> Config:
    return load_config(env.config_dir, env.feeds_path)


def parse_since(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"--since {text!r}: expected an ISO date such as 2026-11-01 or 2026-11-01T08:00"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _run(args: argparse.Namespace) -> int:
    env = _environment(args)
    options = RunOptions(once=args.once, as_json=args.json, since=parse_since(args.since))
    config = _config(env)
    return asyncio.run(run_bot(env, config, options))


def _check_config(args: argparse.Namespace) -> int:
    env = _environment(args)
    _config(env)
    print("ok")
    return 0


def _feeds(args: argparse.Namespace) -> int:
    env = _environment(args)
    config = _config(env)
    for line in asyncio.run(feed_health_lines(env.db_path, config.feeds, config.rules.languages)):
        print(line)
    return 0


def _try_source(args: argparse.Namespace) -> int:
    """Exits 2 with one line when nothing matched, 1 when the source could not be fetched."""
    env = _environment(args)
    config = _config(env)
    fields = {name: getattr(args, f"page_{name}") for name in _PAGE_OPTIONS}
    region = args.region.upper() if args.region else None
    if region is not None and region not in config.regions.codes:
        raise UsageError(f"--region {args.region!r}: not a region code in regions.yaml")
    feed = Feed(id="try-source", url=args.url, kind=args.kind, region=region,
                language=args.language, page=page_selectors(fields))  # fmt: skip
    note, entries = asyncio.run(try_source(feed, config, env))
    for line in trial_lines(feed, note, entries):
        print(line)
    return 0


def _optout(args: argparse.Namespace) -> int:
    config = _config(_environment(args))
    reply = Guide(config.optout, config.platforms, config.regions).reply(args.platform, args.region)
    if not reply.ok:
        raise UsageError(f"{reply.title}. {reply.text}")
    print(reply.as_text())
    return 0


def _classifier(args: argparse.Namespace) -> tuple[Config, Classifier]:
    config = _config(_environment(args))
    return config, Classifier(config.rules, config.platforms, config.regions)


def _classify(args: argparse.Namespace) -> int:
    """Reads all of stdin first: a vague report is judged beside the stories it may continue,
    which `run` has open when it comes, whatever the input order."""
    config, classifier = _classifier(args)
    items = list(read_items(sys.stdin, config.regions))
    for placed in judge_in_order(items, classifier).placed:
        print(json.dumps(verdict_line(placed.item, placed.judgement), ensure_ascii=False))
    return 0


def _stories(args: argparse.Namespace) -> int:
    config, classifier = _classifier(args)
    items = list(read_items(sys.stdin, config.regions))
    for line in story_lines(judge_in_order(items, classifier)):
        print(json.dumps(line, ensure_ascii=False))
    return 0
