"""The soak's figures, read the same way in both phases: a process's memory, descriptors and
CPU from /proc, the database's size and outbox from the file (a read-only connection beside
the bot's, as WAL allows)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

MIB = 1024 * 1024
TICKS = os.sysconf("SC_CLK_TCK")
# Every table that grows with what the bot stores: the database may grow only with these.
TABLES = ("items", "stories", "story_items", "developments", "outbox", "living_messages",
          "digests", "feed_state", "destinations", "subscriptions")  # fmt: skip


def process_figures(pid: int) -> dict[str, float]:
    """Resident and peak memory (MiB), open descriptors, CPU seconds (user + system)."""
    status = Path(f"/proc/{pid}/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    stat = Path(f"/proc/{pid}/stat").read_text()
    ticks = stat.rpartition(")")[2].split()  # after the command name, which may hold spaces
    return {
        "rss_mib": round(int(fields["VmRSS"].split()[0]) / 1024, 1),
        "peak_mib": round(int(fields["VmHWM"].split()[0]) / 1024, 1),
        "fds": len(os.listdir(f"/proc/{pid}/fd")),
        "cpu_s": (int(ticks[11]) + int(ticks[12])) / TICKS,  # utime, stime
    }


def database_figures(path: Path) -> dict[str, float]:
    """The file's size and its write-ahead log's (MiB), pending outbox jobs, items, and rows
    in all tables."""
    wal = Path(f"{path}-wal")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        pending = connection.execute("SELECT count(*) FROM outbox WHERE state = 'pending'")
        outbox = int(pending.fetchone()[0])
        counts = {t: int(connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0])  # noqa: S608
                  for t in TABLES}  # fmt: skip
    finally:
        connection.close()
    return {
        "db_mib": round(path.stat().st_size / MIB, 2),
        "wal_mib": round(wal.stat().st_size / MIB, 2) if wal.exists() else 0.0,
        "outbox": outbox,
        "items": counts["items"],
        "rows": sum(counts.values()),
    }


def outcome(path: Path) -> dict[str, int]:
    """What the bot did, from its database: stories, developments, outbox jobs by state (and
    how many wait after an error), destinations marked unhealthy."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    queries = {
        "stories": "SELECT count(*) FROM stories",
        "developments": "SELECT count(*) FROM developments WHERE opening = 0",
        "jobs done": "SELECT count(*) FROM outbox WHERE state = 'done'",
        "jobs pending": "SELECT count(*) FROM outbox WHERE state = 'pending'",
        "jobs retrying": "SELECT count(*) FROM outbox WHERE state = 'pending' AND attempts > 0",
        "digests sent": "SELECT count(*) FROM digests WHERE state = 'done'",
        "unhealthy destinations": "SELECT count(*) FROM destinations WHERE healthy = 0",
    }
    try:
        return {name: int(connection.execute(sql).fetchone()[0]) for name, sql in queries.items()}
    finally:
        connection.close()


def tracebacks(path: Path) -> int:
    """Unexpected errors a log shows (warnings are the failing sources', by design)."""
    text = path.read_text(errors="replace") if path.exists() else ""
    return text.count("Traceback (most recent call last)")
