"""Subscriptions: which destinations want a story. Knows no chat API."""

from bot.subscriptions.router import ALL, Route, Subscription, wants_story

__all__ = ["ALL", "Route", "Subscription", "wants_story"]
