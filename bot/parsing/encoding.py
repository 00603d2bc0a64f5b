"""A page's bytes to text, and a note when the page lies about its encoding.

Order, as browsers do it: a byte-order mark, the HTTP charset, a `<meta charset>` in the
first 2 KB, else UTF-8. A page that is not valid in the encoding it claims (often Windows-1252
labelled UTF-8 by a CMS) is read as Windows-1252, which maps nearly every byte, rather than
filled with replacement characters; the note says so, so an operator can tell the publisher.
"""

from __future__ import annotations

import codecs
import re

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w:.]+)""", re.IGNORECASE)
_HEADER = re.compile(r"charset\s*=\s*[\"']?([-\w:.]+)", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip
FALLBACK = "windows-1252"
# Python's own codecs that read bytes as text but are no character set a page is written in:
# escapes (\u00e9 read as é, and a warning for \<) and domain-name encodings.
_NOT_CHARSETS = frozenset({"unicode-escape", "raw-unicode-escape", "idna", "punycode"})


def decode_page(body: bytes, content_type: str = "") -> tuple[str, str]:
    """(text, note); the note is empty when the page was what it said it was."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body.decode(name, errors="replace"), ""
    declared = _declared(body, content_type)
    known = _known(declared) if declared else "utf-8"
    note = "" if known else f"the page declares an unknown encoding ({declared!r})"
    name = known or "utf-8"
    try:
        return body.decode(name), note
    except UnicodeError:  # UnicodeDecodeError, or a plain UnicodeError ("undefined")
        pass
    if name != "utf-8":
        try:
            return body.decode("utf-8"), f"the page says it is {declared} but is UTF-8"
        except UnicodeError:
            pass
    said = f"says it is {declared}" if declared else "declares no encoding"
    return body.decode(FALLBACK, errors="replace"), (
        f"the page {said} but is not valid {name}; read it as {FALLBACK}"
    )


def _declared(body: bytes, content_type: str) -> str | None:
    header = _HEADER.search(content_type)
    if header:
        return header.group(1)
    meta = _META.search(body[:2048])
    return meta.group(1).decode("ascii", errors="replace") if meta else None


def _known(label: str) -> str | None:
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in _NOT_CHARSETS or not _decodes_text(name):
        return None
    # Browsers read "iso-8859-1" and "ascii" as Windows-1252 (WHATWG Encoding); so do we.
    return FALLBACK if name in ("latin-1", "iso8859-1", "ascii") else name


def _decodes_text(name: str) -> bool:
    """Whether the codec turns bytes into text: base64, zlib and rot13 are codecs too."""
    try:
        b"<".decode(name)
    except LookupError:
        return False
    except UnicodeError:  # a text encoding that cannot read "<" alone (UTF-16)
        pass
    return True
