"""Delivery: the outbox drain and the Destination protocol. Never imports discord or slack."""

from bot.delivery.destination import DeliveryError, Destination
from bot.delivery.drain import OutboxDrainer

__all__ = ["DeliveryError", "Destination", "OutboxDrainer"]
