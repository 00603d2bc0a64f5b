"""Subscriptions: which destinations want a story. Knows no chat API."""

from bot.subscriptions.router import Subscription, wants_story

__all__ = ["Subscription", "wants_story"]
