"""Slack: slash commands and alerts through slack-bolt. Imported only when a token is set."""

from bot.adapters.slack.adapter import SlackAdapter
from bot.adapters.slack.serve import EVENTS_PATH, connect_socket_mode, serve_http

__all__ = ["EVENTS_PATH", "SlackAdapter", "connect_socket_mode", "serve_http"]
