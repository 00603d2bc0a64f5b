"""`aiwatch try-source`: what the bot would read from one page or feed right now.

It fetches once with the bot's own fetcher, parses with the bot's own parser and judges each
entry with the bot's classifier, so an operator can see the titles, links, dates and
verdicts a source would give before adding it to the feeds file. Nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.classify import Classifier
from bot.classify.classifier import ItemText
from bot.errors import FetchError, UsageError
from bot.feeds import Fetcher, create_session
from bot.models import Entry, Feed, FeedState, Judgement, PageSelectors, Selector
from bot.parsing.selectors import read_selector, selector_problem
from bot.parsing.source import parse_source
from bot.settings import Config, Environment


@dataclass(frozen=True)
class TrialEntry:
    entry: Entry
    judgement: Judgement


def page_selectors(fields: dict[str, str | None]) -> PageSelectors | None:
    """Selectors from --page-entries, --page-title, ...; UsageError naming a bad one."""
    if fields.get("entries") is None:
        if any(fields.values()):
            raise UsageError("--page-title, --page-link, --page-date and --page-summary need"
                             " --page-entries (the CSS selector of one news entry)")  # fmt: skip
        return None
    read: dict[str, Selector | None] = {}
    for name, text in fields.items():
        selector = read_selector(text) if text is not None else None
        problem = selector_problem(selector.css) if selector and selector.css else None
        if problem is not None or (name == "entries" and selector and selector.attribute):
            reason = problem or "selects elements; it reads no attribute"
            raise UsageError(f"--page-{name} {text!r}: {reason}")
        read[name] = selector
    entries = read["entries"]
    assert entries is not None
    return PageSelectors(entries=entries.css, title=read.get("title"),
                         link=read.get("link") or Selector("a", "href"),
                         date=read.get("date"), summary=read.get("summary"))  # fmt: skip


async def try_source(feed: Feed, config: Config, env: Environment) -> tuple[str, list[TrialEntry]]:
    """(health note, entries with verdicts); FetchError when nothing arrived, UsageError
    when nothing could be read from what did."""
    session = create_session(env.fetch_timeout)
    try:
        result = await Fetcher(session, body_limit=env.body_limit).fetch(feed, FeedState(feed.id))
    finally:
        await session.close()
    if result.error is not None or result.body is None:
        raise FetchError(f"{feed.url}: {result.error or 'no body'}")
    parsed = await parse_source(feed, result.body, now=datetime.now(UTC),
                                content_type=result.content_type,
                                final_url=result.final_url)  # fmt: skip
    if not parsed.entries:
        hint = "" if feed.page else " (a news page? give --page-entries CSS)"
        raise UsageError(f"nothing matched at {feed.url}: {parsed.note or 'no entries'}{hint}")
    classifier = Classifier(config.rules, config.platforms, config.regions)
    judged = []
    for entry in parsed.entries:
        text = ItemText(entry.title, entry.summary, feed.region, feed.kind, feed.label)
        judged.append(TrialEntry(entry, classifier.classify(text)))
    return parsed.note, judged


def trial_lines(feed: Feed, note: str, entries: list[TrialEntry]) -> list[str]:
    kind = "page" if feed.page else "feed"
    lines = [f"{feed.url}: {len(entries)} entries read as a {kind}"]
    if note:
        lines.append(f"note: {note}")
    for number, trial in enumerate(entries, start=1):
        entry, verdict = trial.entry, trial.judgement
        when = (entry.published.strftime("%Y-%m-%d %H:%M UTC") if entry.published
                else "no date (dated when first seen)")  # fmt: skip
        lines += [f"{number}. {entry.title}", f"   {entry.link}", f"   {when}",
                  f"   {_verdict(verdict)}"]  # fmt: skip
    return lines


def _verdict(verdict: Judgement) -> str:
    if not verdict.relevant:
        return f"not relevant (score {verdict.score:.2f})"
    tags = [f"event {verdict.event or '-'}"]
    tags.append(f"platforms {', '.join(verdict.platforms) or '-'}")
    tags.append(f"regions {', '.join(verdict.regions) or '-'}")
    why = f"; why: {'; '.join(verdict.reasons[:4])}" if verdict.reasons else ""
    return f"RELEVANT (score {verdict.score:.2f}): {'; '.join(tags)}{why}"
