"""Feed HTML to plain text, and links to one canonical form.

Alerts are plain text, so feedparser's sanitizer (half its parsing time) is switched off and
markup is dropped here instead: nothing from a feed ever reaches a chat app as HTML.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

_HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>|<!--.*?-->", re.DOTALL)
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid")
# Spaces and control characters in a link make chat apps refuse the message or cut the link
# short, and bidi and zero-width ones make it read as another; a browser percent-encodes
# them in the path, and no host may hold one. (Every character str.isspace() calls a space,
# the C0 and C1 controls, and those _CONTROL drops from text.)
_UNSAFE_IN_LINK = re.compile(
    r"[\x00-\x20\x7f-\xa0\u1680\u2000-\u200f\u2028-\u202f\u205f\u2066-\u2069\u3000]"
)


def to_plain_text(value: str) -> str:
    """Markup removed, entities decoded, control and bidi characters dropped, spaces folded."""
    if "<" in value:
        value = _TAG.sub(" ", _HIDDEN.sub(" ", value))
    if "&" in value:
        value = html.unescape(value)
    return _SPACE.sub(" ", _CONTROL.sub("", value)).strip()


def fold_text(value: str) -> str:
    """Text already free of markup (a page's text nodes): control characters dropped,
    spaces folded. Unlike to_plain_text, a literal "<" in it is kept."""
    return _SPACE.sub(" ", _CONTROL.sub("", value)).strip()


def canonical_link(link: str, base: str = "") -> str:
    """An absolute http(s) URL without fragment or tracking parameters, or '' if unusable."""
    link = link.strip()
    if not link:
        return ""
    try:
        parts = urlsplit(urljoin(base, link) if base else link)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not host or _UNSAFE_IN_LINK.search(host):
        return ""
    default_port = {"http": 80, "https": 443}[parts.scheme.lower()]
    netloc = host if port in (None, default_port) else f"{host}:{port}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
         if not k.lower().startswith(_TRACKING)]
    )  # fmt: skip
    path = _UNSAFE_IN_LINK.sub(lambda unsafe: quote(unsafe.group()), parts.path) or "/"
    return urlunsplit((parts.scheme.lower(), netloc, path, query, ""))
