"""Slack: slash commands and alerts through slack-bolt. Imported only when a token is set.

adapter.py (lifecycle, the destination), intake.py (slash commands in) and render.py (messages
out), the same three files and verbs as the Discord package."""

from bot.adapters.slack.adapter import EVENTS_PATH, SlackAdapter, connect_socket_mode, serve_http

__all__ = ["EVENTS_PATH", "SlackAdapter", "connect_socket_mode", "serve_http"]
