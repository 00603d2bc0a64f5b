"""Which feed links become links in a chat, and which text may stand for them."""

from __future__ import annotations

import pytest

from bot.links import honest_label, web_link


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "//evil.example/x",
        "/relative/path",
        "mailto:someone@example.org",
        "https://good.example@evil.example/",  # shows good.example, goes to evil.example
        "https://user:pw@evil.example/",
        "https:///no-host",
        "https://evil.example:99999/",  # no such port
        "https://evil.example/\x00x",
        "https://evil.example/\nx",
        "",
    ],
)
def test_what_may_never_be_a_link(url: str):
    assert web_link(url) is None


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://ico.org.uk/news/", "https://ico.org.uk/news/"),
        ("HTTPS://ICO.org.uk/News", "https://ico.org.uk/News"),
        ("http://news.example.org:8080/a?b=1&c=2#d", "http://news.example.org:8080/a?b=1&c=2#d"),
        # the characters chat markup uses cannot end a link early
        ("https://a.example/x) [click](https://evil.example",
         "https://a.example/x%29%20%5Bclick%5D%28https://evil.example"),
        ("https://a.example/a|b<c>d`e\\f\"g", "https://a.example/a%7Cb%3Cc%3Ed%60e%5Cf%22g"),
        ("https://a.example/already%20encoded", "https://a.example/already%20encoded"),
        ("https://a.example/café", "https://a.example/caf%C3%A9"),
        # a look-alike host shows as the name it really is
        ("https://gооgle.com/", "https://xn--ggle-55da.com/"),
    ],
)  # fmt: skip
def test_web_links_are_shown_in_a_form_no_markup_can_bend(url: str, shown: str):
    assert web_link(url) == shown


@pytest.mark.parametrize(
    ("label", "url"),
    [
        ("LinkedIn to train AI on UK members' data", "https://news.example.org/li"),
        ("read more", "https://evil.example/"),
        ("ICO statement on ico.org.uk", "https://ico.org.uk/news"),
        ("linkedin.com", "https://www.linkedin.com/help"),
        ("www.linkedin.com", "https://linkedin.com/help"),
        ("U.S. regulator, e.g. the FTC, fines Meta 5.2bn", "https://news.example.org/ftc"),
        ("https://news.example.org/other-page", "https://news.example.org/li"),
    ],
)
def test_text_that_names_no_other_site_may_stand_for_a_link(label: str, url: str):
    assert honest_label(label, url)


@pytest.mark.parametrize(
    "label",
    [
        "https://good.example",
        "[https://good.example](https://evil.example)",
        "Read it on good.example",
        "good\u3002example",  # an ideographic full stop reads as a dot
        "good\uff0eexample",
        "https://192.168.0.1/",
        "gооgle.com",  # Cyrillic o's: not google.com, and not evil.example either
        "evil.example.good.example",
    ],
)
def test_text_that_names_another_site_may_not(label: str):
    assert not honest_label(label, "https://evil.example/x")


def test_a_label_for_a_link_that_may_not_be_one_must_name_no_site():
    assert honest_label("source 1", "javascript:alert(1)")
    assert not honest_label("good.example", "javascript:alert(1)")
