"""SQLite storage: one connection, WAL, numbered migrations; no business rules here."""

from bot.storage.db import Database, Transaction

__all__ = ["Database", "Transaction"]
