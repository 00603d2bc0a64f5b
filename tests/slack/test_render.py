"""Alert, digest and reply messages stay within Slack's limits and escape feed text."""

from __future__ import annotations

from bot.adapters.slack.render import (
    BLOCKS_MAX,
    SECTION_LIMIT,
    alert_message,
    digest_message,
    escape,
    reply_message,
)
from bot.models import Alert, Digest
from bot.replies import Field, Reply


def huge_alert() -> Alert:
    return Alert("post", 3, "<!channel> " + "long title " * 100, "word " * 3000, "pause",
                 tuple(f"p{i}" for i in range(50)), ("UK", "EU"),
                 tuple(f"https://news.example.org/{i}" for i in range(200)),
                 tuple("reason " * 100 for _ in range(20)), advice=("advice " * 1000,))  # fmt: skip


def sections(blocks: tuple[dict, ...]) -> list[str]:  # type: ignore[type-arg]
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]


def test_a_huge_alert_fits_slacks_limits():
    blocks = alert_message(huge_alert()).blocks
    assert len(blocks) <= BLOCKS_MAX
    assert all(len(text) <= SECTION_LIMIT for text in sections(blocks))
    assert len(blocks[0]["text"]["text"]) <= 150  # header
    assert all(len(b.get("elements", [])) <= 10 for b in blocks if b["type"] == "context")


def test_a_big_digest_and_reply_fit():
    digest = digest_message(Digest("2026-01-01", tuple(huge_alert() for _ in range(120)))).blocks
    assert len(digest) <= BLOCKS_MAX
    reply = reply_message(
        Reply("t", "x" * 9000, tuple(Field(str(i), "v" * 4000) for i in range(80)))
    ).blocks
    assert len(reply) <= BLOCKS_MAX
    assert all(len(text) <= SECTION_LIMIT for text in sections(reply))


def test_escaping_neutralises_mentions_and_links():
    assert escape("<!here> <@U1> <http://x|y> a&b") == (
        "&lt;!here&gt; &lt;@U1&gt; &lt;http://x|y&gt; a&amp;b"
    )
