"""`make inflections`: store the forms of every word that config/classifier.yaml's inflected
languages use (bot/data/inflections.json.gz), so that start-up needs no dictionary."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path

from bot.inflections import TABLE, build_table, write_table
from bot.settings.inflected import FIELD, collect_words, foreign_languages
from bot.yamlfile import FileChecks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=Path("config"))
    args = parser.parse_args()
    checks = FileChecks(args.config / "classifier.yaml")
    data = checks.load()
    languages = data.get(FIELD) if isinstance(data, Mapping) else None
    if not isinstance(languages, list):
        raise SystemExit(f"{checks.path}: no {FIELD} list")
    words: dict[str, set[str]] = {str(code): set() for code in languages}
    collect_words(data, words)
    write_table(TABLE, build_table(words, foreign_languages(data, words)))
    print(f"{TABLE}: the forms of {sum(map(len, words.values()))} words in {len(words)} languages")


if __name__ == "__main__":
    main()
