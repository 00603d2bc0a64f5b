"""`make eval`: the classifier and story grouping scored on tests/data/labelled.jsonl.

Prints, for the part we tune on and the held-out part (never tuned on), relevance precision,
recall and F1 (next to a plain keyword filter: "AI" and "train" in the text), platform and
region recall, event accuracy and story B-cubed F1.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Score this checkout's code, not whichever checkout the virtualenv installed (a git worktree
# sharing one venv would otherwise be measured with another tree's bot/).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.batch import InputItem, judge_in_order, story_lines
from bot.classify import Classifier, ItemText
from bot.settings import load_config

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "data" / "labelled.jsonl"


def keyword_baseline(title: str, summary: str) -> bool:
    text = f"{title} {summary}"
    return bool(re.search(r"\bAI\b", text)) and "train" in text.lower()


def prf(pairs: list[tuple[bool, bool]]) -> tuple[float, float, float]:
    tp = sum(1 for gold, guess in pairs if gold and guess)
    fp = sum(1 for gold, guess in pairs if not gold and guess)
    fn = sum(1 for gold, guess in pairs if gold and not guess)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def bcubed(gold: dict[str, str], guess: dict[str, str]) -> float:
    """B-cubed F1 of a clustering `guess` against `gold`, both item -> cluster."""
    by_gold, by_guess = defaultdict(set), defaultdict(set)
    for item, cluster in gold.items():
        by_gold[cluster].add(item)
    for item, cluster in guess.items():
        by_guess[cluster].add(item)
    precision = recall = 0.0
    for item in gold:
        same_gold, same_guess = by_gold[gold[item]], by_guess[guess[item]]
        common = len(same_gold & same_guess)
        precision += common / len(same_guess)
        recall += common / len(same_gold)
    precision, recall = precision / len(gold), recall / len(gold)
    return 2 * precision * recall / (precision + recall)


def _inputs(rows: list[dict[str, Any]]) -> list[InputItem]:
    return [
        InputItem(
            r["id"],
            ItemText(r["title"], r.get("summary", ""), r.get("feed_region")),
            datetime.fromisoformat(r["published"]).replace(tzinfo=UTC),
        )
        for r in rows
    ]


def evaluate(rows: list[dict[str, Any]], classifier: Classifier) -> dict[str, float]:
    """The figures of one part, from the verdicts and stories `aiwatch classify` and
    `aiwatch stories` give for the part as one input."""
    items = _inputs(rows)
    judged = judge_in_order(items, classifier)
    relevance, baseline, events = [], [], []
    platforms_found = platforms_total = regions_found = regions_total = 0
    missing_reasons = 0
    for row, placed in zip(rows, judged.placed, strict=True):
        verdict = placed.judgement
        relevance.append((row["relevant"], verdict.relevant))
        baseline.append((row["relevant"], keyword_baseline(row["title"], row.get("summary", ""))))
        if row["relevant"]:
            platforms_total += len(row["platforms"])
            platforms_found += len(set(row["platforms"]) & set(verdict.platforms))
            regions_total += len(row["regions"])
            regions_found += len(set(row["regions"]) & set(verdict.regions))
            if verdict.relevant:
                events.append(row["event"] == verdict.event)
                missing_reasons += not verdict.reasons
    precision, recall, f1 = prf(relevance)
    gold = {row["id"]: row["story"] for row in rows if row["relevant"]}
    guess = {item: f"s{line['story']}" for line in story_lines(judged)
             for item in line["items"]}  # fmt: skip
    guess.update({item: f"alone-{item}" for item in gold if item not in guess})
    return {
        "items": len(rows),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "keyword_f1": prf(baseline)[2],
        "platform_recall": platforms_found / max(1, platforms_total),
        "region_recall": regions_found / max(1, regions_total),
        "event_accuracy": sum(events) / max(1, len(events)),
        "story_bcubed_f1": bcubed(gold, guess),
        "relevant_without_reasons": missing_reasons,
    }


def per_language(
    rows: list[dict[str, Any]], classifier: Classifier
) -> dict[str, tuple[int, float, float, float]]:
    """Relevance (items, precision, recall, F1) per language, each judged in its part."""
    judged = judge_in_order(_inputs(rows), classifier)
    by_language: dict[str, list[tuple[bool, bool]]] = {}
    for row, placed in zip(rows, judged.placed, strict=True):
        by_language.setdefault(row["language"], []).append(
            (row["relevant"], placed.judgement.relevant)
        )
    return {lang: (len(pairs), *prf(pairs)) for lang, pairs in sorted(by_language.items())}


def _language_cells(figures: tuple[int, float, float, float] | None) -> str:
    if figures is None:
        return " " * 34
    items, precision, recall, f1 = figures
    return f"{items:>16}{precision:>6.2f}{recall:>6.2f}{f1:>6.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labelled", type=Path, default=LABELLED, help="a labelled JSONL file")
    parser.add_argument("--config", type=Path, default=ROOT / "config", help="a config directory")
    args = parser.parse_args()
    config = load_config(args.config)
    classifier = Classifier(config.rules, config.platforms, config.regions)
    rows = [json.loads(line) for line in args.labelled.read_text().splitlines() if line.strip()]
    parts = list(dict.fromkeys(r["split"] for r in rows))
    print(f"{'':26}" + "".join(f"{part:>10}" for part in parts))
    results = [evaluate([r for r in rows if r["split"] == part], classifier) for part in parts]
    for key in results[0]:
        values = "".join(f"{r[key]:>10.3f}" if isinstance(r[key], float) else f"{r[key]:>10}"
                         for r in results)  # fmt: skip
        print(f"{key:26}{values}")
    print(
        "\nrelevance per language"
        + "".join(f"{part + ': items    P     R    F1':>34}" for part in parts)
    )
    languages = [
        per_language([r for r in rows if r["split"] == part], classifier) for part in parts
    ]
    for lang in sorted({code for figures in languages for code in figures}):
        print(f"{lang:22}" + "".join(_language_cells(figures.get(lang)) for figures in languages))


if __name__ == "__main__":
    main()
