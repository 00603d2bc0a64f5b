"""What every destination (console, a Discord or Slack channel) implements."""

from __future__ import annotations

from typing import Protocol

from bot.models import Alert, Digest


class DeliveryError(Exception):
    """Sending failed. `permanent` means retrying cannot help until a person acts."""

    def __init__(
        self, reason: str, *, retry_after: float | None = None, permanent: bool = False
    ) -> None:
        self.reason = reason
        self.retry_after = retry_after
        self.permanent = permanent
        super().__init__(reason)


class Destination(Protocol):
    kind: str

    async def deliver(self, address: str, alert: Alert, previous_id: str | None) -> str | None:
        """Post (or, with previous_id, update) the alert; returns the message's id if any."""
        ...

    async def deliver_digest(self, address: str, digest: Digest) -> str | None:
        """Post one day's stories as one message; returns the message's id if any."""
        ...
