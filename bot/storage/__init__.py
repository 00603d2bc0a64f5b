"""Storage: SQLite (embedded default) or PostgreSQL behind one interface, numbered
migrations; no business rules here."""

from bot.storage.db import DATABASE_ERRORS, Database, Transaction, is_postgres_url

__all__ = ["DATABASE_ERRORS", "Database", "Transaction", "is_postgres_url"]
