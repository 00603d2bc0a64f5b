"""Page selectors as operators write them (`h2 a@href`), read and checked once.

The check compiles each selector with the same engine that later reads the pages
(selectolax's Lexbor), so a selector the config accepts is one the parser can run: an
invalid one is a config error at start-up, not a page that silently yields nothing.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, SelectolaxError

from bot.models import Selector

# An attribute name after the last "@": `a[href*="x@y"]` keeps its "@" inside the CSS.
_ATTRIBUTE = re.compile(r"^(?P<css>.*?)\s*@(?P<attribute>[A-Za-z_][-\w:.]*)$", re.DOTALL)
_EMPTY = LexborHTMLParser("<html><body></body></html>")


def read_selector(text: str) -> Selector:
    """`h2 a@href` -> Selector('h2 a', 'href'); `@datetime` reads the entry element itself."""
    text = text.strip()
    match = _ATTRIBUTE.match(text)
    if match is None:
        return Selector(text)
    return Selector(match["css"].strip(), match["attribute"].lower())


def selector_problem(css: str) -> str | None:
    """Why `css` is not a selector the page parser can run, or None when it is."""
    if not css.strip():
        return "an empty selector matches nothing"
    try:
        _EMPTY.css(css)
    except (SelectolaxError, UnicodeEncodeError):  # a lone surrogate, "\ud800" in YAML
        return f"{css!r} is not a valid CSS selector"
    return None
