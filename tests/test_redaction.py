"""Secrets read from the environment are blotted out of log lines, tracebacks and the errors
the outbox keeps, whichever library wrote them."""

from __future__ import annotations

import io
import logging

from bot.delivery.destination import DeliveryError
from bot.redaction import MASK, RedactingFilter, redact, redact_logs
from bot.settings import read_environment
from tests.leaks import fake_token


def test_a_token_read_from_the_environment_is_redacted_wherever_it_appears():
    token = fake_token("xoxb-with/slash+")
    read_environment(environ={"SLACK_BOT_TOKEN": token})
    text = f"Bearer {token}; in a URL ?t={token.replace('/', '%2F').replace('+', '%2B')}"
    assert redact(text) == f"Bearer {MASK}; in a URL ?t={MASK}"


def test_short_values_are_not_secrets_worth_blotting_out():
    read_environment(environ={"SLACK_SIGNING_SECRET": "abc"})
    assert redact("abc def") == "abc def"


def test_a_delivery_error_keeps_no_token_in_its_reason():
    token = fake_token("discord.")
    read_environment(environ={"DISCORD_TOKEN": token})
    error = DeliveryError(f"Discord answered 401: bad token Bot {token}")
    assert error.reason == f"Discord answered 401: bad token Bot {MASK}"
    assert token not in str(error)


def test_log_lines_and_tracebacks_from_any_logger_are_redacted():
    token = fake_token("xapp-1-")
    read_environment(environ={"SLACK_APP_TOKEN": token})
    stream = io.StringIO()
    root = logging.getLogger("redaction-test")
    root.propagate = False
    handler = logging.StreamHandler(stream)
    root.addHandler(handler)
    try:
        redact_logs(root)
        redact_logs(root)  # once is enough: a second call adds no second filter
        assert sum(isinstance(f, RedactingFilter) for f in handler.filters) == 1
        library = logging.getLogger("redaction-test.some_sdk")
        library.warning("response %s", {"error": f"invalid_auth {token}"})
        try:
            raise RuntimeError(f"rejected {token}")
        except RuntimeError:
            library.exception("call failed with %d%%", 401)
    finally:
        root.removeHandler(handler)
    written = stream.getvalue()
    assert token not in written
    assert f"invalid_auth {MASK}" in written
    assert "call failed with 401%" in written
    assert f"RuntimeError: rejected {MASK}" in written
