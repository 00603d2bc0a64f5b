"""Subscriptions: which destinations want a story. Knows no chat API."""

from bot.models import Subscription
from bot.subscriptions.router import ALL, Route, wants_story
from bot.subscriptions.routes import load_route, load_routes

__all__ = ["ALL", "Route", "Subscription", "load_route", "load_routes", "wants_story"]
