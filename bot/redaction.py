"""Secrets blotted out of text the bot writes: log lines, and the errors it stores and shows.

A chat API, or a proxy in front of one, may quote the request's Authorization header in an
error ("invalid token Bot MTk4…"); the chat libraries log responses when verbose. So every
secret the process holds is registered here as it is read (bot.settings.env.Secret), and
`redact` replaces it, and its percent-encoded form, wherever it appears. `RedactingFilter`
applies it to every log record a handler writes, traceback included; `DeliveryError` applies
it to the reasons kept in the outbox, the destinations' health and `/aiwatch feeds`.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

MASK = "***"
MIN_SECRET = 8  # a shorter value would blot out ordinary words; no real token is this short

_secrets: set[str] = set()


def keep_secret(value: str) -> None:
    """From now on, `value` never appears in what `redact` returns."""
    if len(value) >= MIN_SECRET:
        _secrets.update({value, quote(value, safe="")})


def redact(text: str) -> str:
    """`text` with every registered secret replaced by ***, longest first (a token that
    contains another is masked whole)."""
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    return text


class RedactingFilter(logging.Filter):
    """Renders a record's message and traceback once, redacted, so no handler or formatter
    after it can write a secret that a library put in an argument or an exception."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not _secrets:
            return True
        record.msg, record.args = redact(record.getMessage()), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def redact_logs(logger: logging.Logger | None = None) -> None:
    """Put the filter on every handler of `logger` (the root's by default): a handler's
    filters see the records of every logger that propagates to it, a logger's do not."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
