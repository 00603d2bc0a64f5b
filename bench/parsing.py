"""Parser throughput: entries per CPU-second, ours vs feedparser with its HTML sanitizer on."""

from __future__ import annotations

import io
import json
import time

import feedparser

from bench.feed_server import feed_body
from bot.parsing import parse_feed_sync

ROUNDS = 40


def main() -> None:
    bodies = [feed_body(i, 0) for i in range(ROUNDS)]
    cpu = time.process_time()
    entries = sum(len(parse_feed_sync(b, url="http://x/", scope="s").entries) for b in bodies)
    ours = time.process_time() - cpu
    cpu = time.process_time()
    for body in bodies:
        feedparser.parse(io.BytesIO(body), sanitize_html=True, resolve_relative_uris=True)
    default = time.process_time() - cpu
    print(json.dumps({
        "entries": entries,
        "ours_entries_per_cpu_s": round(entries / ours),
        "feedparser_defaults_entries_per_cpu_s": round(entries / default),
        "speedup_vs_defaults": round(default / ours, 2),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
