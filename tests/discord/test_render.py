"""Alert, digest and reply messages stay within Discord's limits and never ping anyone."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.adapters.discord.render import alert_message, digest_message, reply_message
from bot.models import Alert, Digest
from bot.replies import Field, Reply


def huge_alert() -> Alert:
    return Alert(
        action="post",
        story_id=7,
        title="@everyone " + "very long headline " * 60,
        summary="word " * 3000,
        event="pause",
        platforms=tuple(f"platform{i}" for i in range(40)),
        regions=("UK", "EU", "US-CA", "DE-HH"),
        links=tuple(f"https://news.example.org/{i}/" + "x" * 80 for i in range(300)),
        reasons=tuple(f"reason {i} @here" for i in range(50)),
        first_seen=datetime(2026, 1, 1, tzinfo=UTC),
        advice=tuple(f"Advice line {i} " * 20 for i in range(4)),
    )


def test_a_huge_alert_fits_every_embed_limit():
    (embed,) = alert_message(huge_alert()).embeds
    assert len(embed.title or "") <= 256
    assert len(embed.description or "") <= 4096
    assert all(len(f.value or "") <= 1024 and len(f.name or "") <= 256 for f in embed.fields)
    assert len(embed.fields) <= 25
    assert len(embed) <= 6000
    assert (embed.description or "").endswith("[more](https://news.example.org/0/" + "x" * 80 + ")")
    assert "@everyone" not in (embed.title or "")
    assert all("@here" not in (f.value or "") for f in embed.fields)
    assert embed.timestamp == datetime(2026, 1, 1, tzinfo=UTC)


def test_a_big_digest_and_a_big_reply_fit():
    digest = Digest("2026-01-01", tuple(huge_alert() for _ in range(100)))
    for embed in digest_message(digest).embeds:
        assert len(embed) <= 6000
        assert len(embed.description or "") <= 4096
    reply = Reply("t" * 400, "x " * 5000, tuple(Field(f"f{i}", "v" * 2000) for i in range(40)))
    (embed,) = reply_message(reply).embeds
    assert len(embed) <= 6000
    assert len(embed.fields) <= 25


def test_markdown_in_feed_text_cannot_disguise_a_link():
    trick = "[Click](https://evil.example) **now**"
    (embed,) = alert_message(Alert("post", 1, trick, trick, None, (), (), ())).embeds
    for text in (embed.title or "", embed.description or ""):
        assert text.startswith("\\[Click]")
        assert "\\*\\*now" in text
