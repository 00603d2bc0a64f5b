"""Which links from a feed a chat may show as links, and which text may stand for them.

Feed links and titles are untrusted. The parser already keeps only absolute http(s) links,
but what a chat shows is read from the database, which may hold rows from before, so each
chat's render.py, and the commands that list stories, ask here for every link they show:

- `web_link`: an http(s) link with a host, and no user part (`https://good.example@evil.example`
  goes to evil.example); its host in ASCII (a look-alike written with Cyrillic letters shows as
  the `xn--` name it is) and the characters chat markup uses (space, brackets, `|`, `<`, `>`)
  percent-encoded, so it cannot end a link early. `javascript:`, `data:`, `file:` and
  protocol-relative links are None: never links.
- `honest_label`: whether a feed's text may be the visible text of a link. A title that
  names a web address ("https://good.example", "good.example") may not stand for a link to
  another site, where a reader would trust the name they see.
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import quote, urlsplit, urlunsplit

# Kept as they are: what a URL's reserved characters need, and % for what is encoded already.
URL_SAFE = ":/?#@!$&'*+,;=%"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Full stops that browsers and readers take for "." in a host name.
_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
# A host name as people write one: labels of letters or digits joined by dots, ending with
# a top-level name of two letters or more ("ico.org.uk", "good.example", and
# look-alikes in other scripts).
_HOST = re.compile(r"(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}")


def web_link(url: str) -> str | None:
    """`url` as a chat may show it as a link, or None if it must not be one."""
    url = url.strip()
    if _CONTROL.search(url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host or "@" in parts.netloc:
        return None
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    netloc = host if port is None else f"{host}:{port}"
    rest = urlunsplit(("", "", parts.path, parts.query, parts.fragment))
    return f"{scheme}://{netloc}{quote(rest, safe=URL_SAFE)}"


def honest_label(label: str, url: str) -> bool:
    """Whether `label` may be the text of a link to `url`: every web address it names is
    `url`'s own host or a domain above it ("linkedin.com" for www.linkedin.com)."""
    target = _host_of(url)
    named = _named_hosts(label)
    if target is None:
        return not named and "://" not in label
    if "://" in label and not named:
        return False  # an address with no host name we can read (an IP, a scheme alone)
    return all(target == host or target.endswith("." + host) for host in named)


def _named_hosts(text: str) -> list[str]:
    """The host names `text` names, in ASCII and without "www." (www.ico.org.uk is the
    ICO's site as much as ico.org.uk is)."""
    found = []
    for match in _HOST.finditer(text.translate(_DOTS)):
        name = match.group(0).lower()
        # A name that is no valid host is compared as written: it matches no link's host.
        with contextlib.suppress(UnicodeError):
            name = name.encode("idna").decode("ascii")
        found.append(name.removeprefix("www."))
    return found


def _host_of(url: str) -> str | None:
    link = web_link(url)
    return urlsplit(link).hostname if link else None
