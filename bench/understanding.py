"""Classifier throughput against a plain keyword filter, and placing an item among 10,000
open stories. One process, side by side; prints one JSON object."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

from bench.eval import LABELLED, keyword_baseline
from bot.classify import Classifier, ItemText
from bot.settings import load_config
from bot.stories import OpenStories, StorySignature, decide_story

ROOT = Path(__file__).resolve().parent.parent
OPEN_STORIES = 10_000


def main() -> None:
    config = load_config(ROOT / "config")
    classifier = Classifier(config.rules, config.platforms, config.regions)
    rows = [json.loads(line) for line in LABELLED.read_text().splitlines() if line.strip()]
    texts = [ItemText(r["title"], r.get("summary", ""), r.get("feed_region")) for r in rows] * 25
    cpu = time.process_time()
    for text in texts:
        classifier.classify(text)
    ours = time.process_time() - cpu
    cpu = time.process_time()
    for text in texts:
        keyword_baseline(text.title, text.summary)
    keyword = time.process_time() - cpu

    rng = random.Random(7)
    platforms = sorted(config.platforms.ids)
    vocabulary = [f"word{n}" for n in range(5000)]
    stories = OpenStories(
        (n, StorySignature(rng.choice(["pause", "policy_change", "regulator_action"]),
                           frozenset({rng.choice(platforms)}), frozenset({"EU"}),
                           frozenset(rng.sample(vocabulary, 8)), 1_700_000_000 + n * 60))
        for n in range(OPEN_STORIES)
    )  # fmt: skip
    probes = [
        StorySignature("pause", frozenset({rng.choice(platforms)}), frozenset({"EU"}),
                       frozenset(rng.sample(vocabulary, 8)), 1_700_000_000 + OPEN_STORIES * 30)
        for _ in range(200)
    ]  # fmt: skip
    cpu = time.process_time()
    for probe in probes:
        decide_story(probe, stories)
    placement = (time.process_time() - cpu) / len(probes)
    print(json.dumps({
        "classify_items_per_cpu_s": round(len(texts) / ours),
        "keyword_items_per_cpu_s": round(len(texts) / keyword),
        "classify_cost_vs_keyword": round(ours / keyword, 1),
        "placement_ms_among_10000_open": round(placement * 1000, 3),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
