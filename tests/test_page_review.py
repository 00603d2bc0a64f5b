"""What one page poll may alert (bot.pages): first-seen dates and the cap on new entries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.models import Entry
from bot.pages import review_page_poll

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
CUTOFF = NOW - timedelta(days=7)


def entry(n: int, published: datetime | None = None) -> Entry:
    link = f"https://dpc.example/{n}"
    return Entry(f"link:{link}", link, f"Statement {n}", "", published, "en")


def test_undated_entries_are_dated_now_and_wait_on_a_first_poll():
    """On a source's first poll an undated entry is stored dated now, without alerting."""
    review = review_page_poll([entry(1)], set(), now=NOW, cutoff=CUTOFF, first_poll=True)
    ((stored, alertable),) = review.entries
    assert (stored.published, alertable, review.note) == (NOW, False, "")


def test_dated_entries_follow_the_since_rule():
    """A dated entry alerts when it is newer than the cutoff, whatever the poll."""
    old, new = entry(1, NOW - timedelta(days=30)), entry(2, NOW - timedelta(hours=2))
    review = review_page_poll([old, new], set(), now=NOW, cutoff=CUTOFF, first_poll=True)
    assert [a for _, a in review.entries] == [False, True]


def test_only_the_first_never_seen_entries_up_to_the_cap_alert():
    """Known entries do not count against the cap; past it, entries are held back, noted."""
    entries = [entry(n) for n in range(6)]
    review = review_page_poll(entries, {entries[0].link}, now=NOW, cutoff=CUTOFF,
                              first_poll=False, cap=3)  # fmt: skip
    assert [a for _, a in review.entries] == [True, True, True, True, False, False]
    assert review.note.startswith("the page showed 5 entries never seen before; only the first 3")
    assert "2 stored without alerting" in review.note


def test_a_first_poll_past_the_cap_is_noted_without_blaming_the_selectors():
    """A new page's recent news is capped too (a wrong selector may be new), but the note does
    not call it a layout change: a soak's new pages read as false alarms."""
    entries = [entry(n, NOW - timedelta(hours=n)) for n in range(5)]
    review = review_page_poll(entries, set(), now=NOW, cutoff=CUTOFF, first_poll=True, cap=3)
    assert [a for _, a in review.entries] == [True, True, True, False, False]
    assert review.note == (
        "first poll: the page showed 5 recent entries; the first 3 were alerted"
        " and 2 stored without alerting"
    )
