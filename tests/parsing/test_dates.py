"""Dates as news pages print them, in every language the feeds file uses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.parsing.dates import parse_date
from tests.conftest import CONFIG_DIR

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

# One printed date per language: month names as each language writes them.
PRINTED = {
    "cs": ("3. listopadu 2025", datetime(2025, 11, 3, tzinfo=UTC)),
    "de": ("3. November 2025", datetime(2025, 11, 3, tzinfo=UTC)),
    "el": ("3 Νοεμβρίου 2025", datetime(2025, 11, 3, tzinfo=UTC)),
    "en": ("20 September 2024", datetime(2024, 9, 20, tzinfo=UTC)),
    "es": ("5 de marzo de 2025", datetime(2025, 3, 5, tzinfo=UTC)),
    "et": ("3. november 2025", datetime(2025, 11, 3, tzinfo=UTC)),
    "fr": ("20 septembre 2024", datetime(2024, 9, 20, tzinfo=UTC)),
    "hr": ("3. studenoga 2025.", datetime(2025, 11, 3, tzinfo=UTC)),
    "it": ("12 luglio 2024", datetime(2024, 7, 12, tzinfo=UTC)),
    "ja": ("2024年9月20日", datetime(2024, 9, 20, tzinfo=UTC)),
    "ko": ("2024. 9. 20.", datetime(2024, 9, 20, tzinfo=UTC)),
    "nb": ("3. november 2025", datetime(2025, 11, 3, tzinfo=UTC)),
    "nl": ("14 oktober 2025", datetime(2025, 10, 14, tzinfo=UTC)),
    "pt": ("2 de julho de 2024", datetime(2024, 7, 2, tzinfo=UTC)),
    "ro": ("3 noiembrie 2025", datetime(2025, 11, 3, tzinfo=UTC)),
    "sv": ("3 november 2025", datetime(2025, 11, 3, tzinfo=UTC)),
}


def feed_languages() -> set[str]:
    text = (CONFIG_DIR / "feeds.yaml").read_text()
    return {line.split(":", 1)[1].strip() for line in text.splitlines()
            if line.strip().startswith("language:")}  # fmt: skip


def test_every_language_of_the_feeds_file_has_a_date_test():
    """A language added to the feeds file needs a line here, so its dates are known to read."""
    assert feed_languages() <= set(PRINTED)


@pytest.mark.parametrize("language", sorted(PRINTED))
def test_a_date_printed_in_the_sources_language_is_read(language: str):
    """Month names in the source's language give the day, in UTC."""
    text, expected = PRINTED[language]
    assert parse_date(text, language, NOW) == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("2 days ago", "en", datetime(2026, 11, 21, 12, 0, tzinfo=UTC)),
        ("il y a 3 jours", "fr", datetime(2026, 11, 20, 12, 0, tzinfo=UTC)),
        ("vor 2 Tagen", "de", datetime(2026, 11, 21, 12, 0, tzinfo=UTC)),
    ],
)
def test_relative_dates_count_back_from_now(text: str, language: str, expected: datetime):
    """ "2 days ago" is two days before the poll, not a failure to read."""
    assert parse_date(text, language, NOW) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-09-20", datetime(2024, 9, 20, tzinfo=UTC)),
        ("2024-09-20T10:30:00Z", datetime(2024, 9, 20, 10, 30, tzinfo=UTC)),
        ("2024-09-20T12:30:00+02:00", datetime(2024, 9, 20, 10, 30, tzinfo=UTC)),
        ("  2026-07-07 ", datetime(2026, 7, 7, tzinfo=UTC)),
    ],
)
def test_iso_dates_and_datetime_attributes_are_read_to_utc(text: str, expected: datetime):
    """A `datetime` attribute is read as written, offsets converted to UTC."""
    assert parse_date(text, None, NOW) == expected


def test_a_date_inside_other_words_is_found():
    """A byline such as "Published 20 September 2024 | Press release" still gives its date."""
    found = parse_date("Published 20 September 2024 | Press release", "en", NOW)
    assert found == datetime(2024, 9, 20, tzinfo=UTC)


@pytest.mark.parametrize("text", ["Press release", "", "1970-01-01", "2031-01-01", "x" * 300])
def test_no_date_or_an_impossible_one_gives_none(text: str):
    """Words, dates before 1995 and dates years ahead are not publication times."""
    assert parse_date(text, "en", NOW) is None
