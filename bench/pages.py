"""What a news page costs to read against a feed of the same entries, and what dates cost.

Prints one JSON line:
  feed_ms          CPU ms to parse the RSS feed of 20 entries (feedparser, as the bot runs it)
  bare_page_ms     CPU ms for a page holding only those 20 entries, through the bot's parser
  real_page_ms     the same 20 entries in a real-sized page (bench/page_sample.py, ~330 KB)
  ratios           page / feed
  dateparser_import_ms, dateparser_first_parse_ms (loads a language's data),
  dateparser_parse_us (a French date, warm), iso_parse_us (the fast path, no dateparser)
The pages carry ISO `datetime` attributes, as most do; dateparser is measured on its own.
Run in a fresh process (bench/run.py does) so the import is measured cold.
"""

from __future__ import annotations

import json
import statistics
import time
from datetime import UTC, datetime

from bench.page_sample import NOW, feed, page
from bot.models import PageSelectors, Selector
from bot.parsing import parse_feed_sync, parse_page_sync
from bot.parsing.dates import parse_date

RUNS = 40
SELECTORS = PageSelectors(
    entries="div.view-content article", title=Selector("h2"), link=Selector("h2 a", "href"),
    date=Selector("time", "datetime"), summary=Selector("p"),
)  # fmt: skip
URL = "https://www.dataprotection.ie/en/news-media/latest-news"


def _cpu_ms(work: object) -> float:
    assert callable(work)
    times = []
    for _ in range(RUNS):
        started = time.process_time()
        work()
        times.append((time.process_time() - started) * 1000)
    return round(statistics.median(times), 2)


def _dates() -> dict[str, float]:
    started = time.perf_counter()
    import dateparser  # noqa: F401  (measured: what the first page with text dates pays)

    imported = (time.perf_counter() - started) * 1000
    now = datetime(2026, 11, 23, tzinfo=UTC)
    started = time.perf_counter()
    parse_date("20 septembre 2024", "fr", now)
    first = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    for _ in range(200):
        parse_date("20 septembre 2024", "fr", now)
    warm = (time.perf_counter() - started) / 200 * 1e6
    started = time.perf_counter()
    for _ in range(2000):
        parse_date("2024-09-20T10:00:00Z", "fr", now)
    iso = (time.perf_counter() - started) / 2000 * 1e6
    return {
        "dateparser_import_ms": round(imported, 1),
        "dateparser_first_parse_ms": round(first, 1),
        "dateparser_parse_us": round(warm),
        "iso_parse_us": round(iso, 1),
    }


def main() -> None:
    rss, bare, real = feed(), page(chrome=False), page()

    def read(body: bytes) -> object:
        return lambda: parse_page_sync(body, url=URL, selectors=SELECTORS, now=NOW)

    pages = (parse_page_sync(b, url=URL, selectors=SELECTORS, now=NOW) for b in (bare, real))
    counts = {len(parse_feed_sync(rss, url=URL, scope="s").entries)}
    counts |= {len(parsed.entries) for parsed in pages}
    assert counts == {20}, counts
    feed_ms = _cpu_ms(lambda: parse_feed_sync(rss, url=URL, scope="s"))
    bare_ms, real_ms = _cpu_ms(read(bare)), _cpu_ms(read(real))
    print(json.dumps({
        "entries": 20, "feed_kib": len(rss) // 1024, "real_page_kib": len(real) // 1024,
        "feed_ms": feed_ms, "bare_page_ms": bare_ms, "real_page_ms": real_ms,
        "bare_page_over_feed": round(bare_ms / feed_ms, 2),
        "real_page_over_feed": round(real_ms / feed_ms, 2),
        **_dates(),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
