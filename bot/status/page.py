"""The status page: plain HTML that reads well on a phone and needs no JavaScript.

Every text shown is escaped: feed titles, error messages and channel names come from
outside and may carry markup. A failing source or destination says FAILING or STOPPED in
words as well as in red, so it stands out without colour too. The page reloads itself
(a meta refresh), so an open tab stays current.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from html import escape
from urllib.parse import urlsplit

from bot.delivery.platforms import platform_name
from bot.models import Development
from bot.status.checks import Health, span
from bot.status.view import FAILING, NOT_POLLED, SourceRow, StatusView
from bot.storage.status import Delivery, DestinationHealth, RecentStory

REFRESH_SECONDS = 30
LISTED = 8  # destinations named under a story before they are counted instead

STYLE = """
*{box-sizing:border-box}
body{font:16px/1.45 system-ui,sans-serif;margin:0 auto;padding:12px;max-width:60em;
color:#1a1a1a;background:#fff;overflow-wrap:anywhere}
h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.15em;margin:1.4em 0 .4em}
ul{list-style:none;padding:0;margin:0}
.card{border:1px solid #ccc;border-left:6px solid #2e7d32;border-radius:4px;
padding:8px 10px;margin:8px 0}
.card.bad{border-left-color:#c62828;background:#fdecea}
.card.idle{border-left-color:#9e9e9e}
.tag{display:inline-block;font-weight:700;font-size:.85em;padding:0 6px;border-radius:3px;
background:#2e7d32;color:#fff}
.bad .tag,.tag.bad{background:#c62828}
.idle .tag{background:#616161}
.muted{color:#555;font-size:.9em}
.summary{padding:8px 10px;border-radius:4px;background:#e8f5e9}
.summary.bad{background:#fdecea;border:2px solid #c62828}
dl{display:grid;grid-template-columns:max-content 1fr;gap:0 .8em;margin:.3em 0 0}
dt{color:#555}dd{margin:0}
ol{margin:.3em 0;padding-left:1.2em}
a{color:#0b57d0}
"""


def render(view: StatusView) -> str:
    sections = [
        _summary(view),
        _section("Sources", [_source(row, view.now) for row in view.sources]),
        _section(
            "Destinations",
            [_destination(d, view.served, _stopped(view)) for d in view.destinations],
        ),
        _section(
            f"Last {len(view.stories)} stories" if view.stories else "Stories",
            [_story(story) for story in view.stories],
            empty="No stories yet.",
        ),
    ]
    return _document(view.health.ok, "".join(sections))


def render_unreadable(health: Health) -> str:
    """What the page says when the database cannot be read: the health check's reasons."""
    reasons = "; ".join(health.reasons) or "the database cannot be read"
    state = f"<span class='tag bad'>UNHEALTHY</span> {escape(reasons)}"
    return _document(False, f"<h1>AI Data Watch</h1><p class='summary bad'>{state}</p>")


def _document(ok: bool, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width, initial-scale=1">'
        f'<meta http-equiv=refresh content="{REFRESH_SECONDS}">'
        '<link rel=icon href="data:,">'
        f"<title>AI Data Watch: {'ok' if ok else 'UNHEALTHY'}</title>"
        f"<style>{STYLE}</style></head><body>{body}"
        f"<p class=muted>Refreshes every {REFRESH_SECONDS} seconds."
        " Also: <a href=healthz>/healthz</a>, <a href=metrics>/metrics</a>.</p>"
        "</body></html>\n"
    )


def _stopped(view: StatusView) -> dict[str, str]:
    """Chat platforms stopped for this run (a refused token, wrong shard settings), with the
    reason."""
    return {p.name: p.reason for p in view.stopped_platforms}


def _summary(view: StatusView) -> str:
    failing = sum(row.failing for row in view.sources)
    platforms = _stopped(view)
    stopped = sum(not d.healthy or d.kind in platforms for d in view.destinations)
    retrying = sum(d.healthy and d.kind not in platforms and d.failures > 0
                   for d in view.destinations)  # fmt: skip
    if view.health.ok:
        state = "<span class=tag>OK</span> polling and delivering"
    else:
        reasons = "; ".join(view.health.reasons)
        state = f"<span class='tag bad'>UNHEALTHY</span> {escape(reasons)}"
    return (
        "<h1>AI Data Watch</h1>"
        f"<p class='summary{'' if view.health.ok else ' bad'}'>{state}</p>"
        f"<p>Version {escape(view.version)}, up {span(view.now - view.started_at)}"
        f" (since {_when(view.started_at)}). Page made {_when(view.now)}.<br>"
        f"{_count(len(view.sources), 'source')}, {failing} failing;"
        f" {_count(len(view.destinations), 'destination')}, {stopped} stopped,"
        f" {retrying} failing.</p>"
    )


def _section(title: str, cards: list[str], empty: str = "None.") -> str:
    body = f"<ul>{''.join(cards)}</ul>" if cards else f"<p class=muted>{empty}</p>"
    return f"<section><h2>{escape(title)}</h2>{body}</section>"


def _source(row: SourceRow, now: int) -> str:
    if row.failing:
        css, word = "card bad", "FAILING"
    elif row.state == NOT_POLLED:
        css, word = "card idle", "NOT POLLED YET"
    else:
        css, word = "card", "OK"
    name = f" <span class=muted>{escape(row.name)}</span>" if row.name else ""
    kind = f"{row.kind} {'news page' if row.is_page else 'feed'}"
    facts = [
        ("reason" if row.state == FAILING else "status", escape(row.reason)),
        ("failures in a row", str(row.failures)),
        ("last success", _when(row.last_success_at, now)),
        ("next poll", _when(row.next_poll_at, now) if row.next_poll_at else "soon (first poll)"),
    ]
    if row.note:
        facts.append(("note", escape(row.note)))
    return (
        f"<li class='{css}' data-source='{escape(row.id)}'><span class=tag>{word}</span>"
        f" <strong>{escape(row.id)}</strong>{name} <span class=muted>({escape(kind)})</span>"
        f"{_facts(facts)}</li>"
    )


def _destination(dest: DestinationHealth, served: frozenset[str], stopped: dict[str, str]
                 ) -> str:  # fmt: skip
    held = not dest.healthy or dest.kind in stopped
    if not dest.healthy:
        css, word, reason = "card bad", "STOPPED", dest.reason or "no reason recorded"
    elif dest.kind in stopped:
        css, word = "card bad", "STOPPED"
        reason = f"{platform_name(dest.kind)} stopped: {stopped[dest.kind]}"
    elif dest.failures:
        tries = "try" if dest.failures == 1 else "tries"
        css, word = "card bad", "FAILING"
        reason = f"retrying after {dest.failures} failed {tries} in a row: {dest.reason}"
    elif dest.kind not in served:
        css, word = "card idle", "NOT SERVED"
        reason = f"this bot runs no {dest.kind} adapter (its token is not set); jobs wait"
    else:
        css, word, reason = "card", "OK", ""
    kept = "held until it is fixed" if held else "kept and retried"
    failed = f"{dest.failed} ({kept})" if dest.failed else "0"
    facts = [("pending jobs", str(dest.pending)), ("failed jobs", failed)]
    if reason:
        facts.insert(0, ("reason", escape(reason)))
    if dest.last_error:
        facts.append(("last error", escape(dest.last_error)))
    return (
        f"<li class='{css}' data-destination='{escape(dest.id)}'><span class=tag>{word}</span>"
        f" <strong>{escape(dest.id)}</strong>{_facts(facts)}</li>"
    )


def _story(story: RecentStory) -> str:
    tags = ", ".join([story.event or "event not named", *story.platforms, *story.regions])
    steps = "".join(f"<li>{_development(step)}</li>" for step in story.timeline)
    return (
        f"<li class=card data-story='{story.id}'><strong>{escape(story.title)}</strong>"
        f"<br><span class=muted>story {story.id} · {escape(tags)} · updated"
        f" {_when(story.updated_at)}</span>"
        + (f"<ol>{steps}</ol>" if steps else "")
        + f"<div>Went to: {_went(story.deliveries)}</div></li>"
    )


def _went(deliveries: tuple[Delivery, ...]) -> str:
    """Each destination and how far the story got there; past LISTED destinations, the
    counts and only those it has not fully reached, so a page for 500 channels stays short."""
    if not deliveries:
        return "no destination (none subscribed, or too old to alert)"
    shown = list(deliveries)
    prefix = ""
    if len(deliveries) > LISTED:
        counts = Counter(d.state for d in deliveries)
        prefix = ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) + ". "
        shown = [d for d in deliveries if d.state != "sent"]
    more = len(shown) - LISTED
    items = ", ".join(
        f"{escape(d.destination_id)}: {escape(d.state)}"
        + (f" (last error: {escape(d.last_error)})" if d.last_error else "")
        for d in shown[:LISTED]
    )
    return prefix + items + (f", and {more} more not sent" if more > 0 else "")


def _development(step: Development) -> str:
    what = step.event or "report"
    where = ", ".join(step.regions)
    left = f"; not {', '.join(step.left_out)}" if step.left_out else ""
    title = escape(step.title)
    if urlsplit(step.link).scheme in ("http", "https"):
        title = f"<a href='{escape(step.link)}' rel='noopener noreferrer'>{title}</a>"
    stamp = step.at.strftime("%Y-%m-%d")
    return f"{stamp} {escape(what)}{' in ' + escape(where) if where else ''}{escape(left)}: {title}"


def _facts(pairs: list[tuple[str, str]]) -> str:
    """Already-escaped values under their labels."""
    return "<dl>" + "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in pairs) + "</dl>"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _when(stamp: int | None, now: int | None = None) -> str:
    if stamp is None:
        return "never"
    text = datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M UTC")
    if now is None:
        return text
    delta = stamp - now
    return f"{text} ({'in ' + span(delta) if delta >= 0 else span(-delta) + ' ago'})"
