"""Adapters: translate core alerts and replies to one output (console, Discord, Slack)."""
