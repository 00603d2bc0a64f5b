"""Classifier throughput against a plain keyword filter and against its own terms read as
written (no inflected forms), the rules' start-up cost with and without the forms, and
placing an item among 10,000 open stories. One process, side by side; one JSON object."""

from __future__ import annotations

import json
import random
import shutil
import tempfile
import time
from pathlib import Path

from bench.eval import LABELLED, keyword_baseline
from bot.classify import Classifier, ItemText
from bot.settings import Config, load_config
from bot.settings.inflected import FIELD
from bot.settings.rules import ClassifierRules, load_rules
from bot.stories import OpenStories, StorySignature, decide_story

ROOT = Path(__file__).resolve().parent.parent
OPEN_STORIES = 10_000
PASSES = 25


def _classify_seconds(rules: ClassifierRules, config: Config, texts: list[ItemText]) -> float:
    """CPU seconds to classify the labelled items PASSES times, each pass by a new classifier:
    its matchers remember the words they have read (bot.terms), and a feed brings new items,
    so a pass over items it has seen would flatter it."""
    seconds = 0.0
    for _ in range(PASSES):
        classifier = Classifier(rules, config.platforms, config.regions)
        cpu = time.process_time()
        for text in texts:
            classifier.classify(text)
        seconds += time.process_time() - cpu
    return seconds


def _rules_seconds(path: Path) -> float:
    cpu = time.process_time()
    rules, problems = load_rules(path)
    assert rules is not None, problems
    return time.process_time() - cpu


def main() -> None:
    config = load_config(ROOT / "config")
    with tempfile.TemporaryDirectory() as scratch:
        as_written = Path(scratch) / "classifier.yaml"
        shutil.copy(ROOT / "config" / "classifier.yaml", as_written)
        lines = as_written.read_text().splitlines()
        as_written.write_text("\n".join(x for x in lines if not x.startswith(f"{FIELD}:")))
        plain_rules, _ = load_rules(as_written)
        assert plain_rules is not None
        rules_with_forms = _rules_seconds(ROOT / "config" / "classifier.yaml")
        rules_as_written = _rules_seconds(as_written)
    rows = [json.loads(line) for line in LABELLED.read_text().splitlines() if line.strip()]
    texts = [ItemText(r["title"], r.get("summary", ""), r.get("feed_region")) for r in rows]
    read = len(texts) * PASSES
    ours = _classify_seconds(config.rules, config, texts)
    without_forms = _classify_seconds(plain_rules, config, texts)
    cpu = time.process_time()
    for text in texts * PASSES:
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
        "classify_items_per_cpu_s": round(read / ours),
        "classify_items_per_cpu_s_terms_as_written": round(read / without_forms),
        "classify_cost_vs_terms_as_written": round(ours / without_forms, 2),
        "rules_load_s_with_forms": round(rules_with_forms, 2),
        "rules_load_s_as_written": round(rules_as_written, 2),
        "keyword_items_per_cpu_s": round(read / keyword),
        "classify_cost_vs_keyword": round(ours / keyword, 1),
        "placement_ms_among_10000_open": round(placement * 1000, 3),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
