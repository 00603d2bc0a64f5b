"""The soak's table: one row per sample, the same columns in both phases."""

from __future__ import annotations

from typing import Any

from bench.soak.figures import MIB

# (figure, heading, decimals); each column is as wide as its heading
COLUMNS = (
    ("phase", "phase", None),
    ("at", "     at", None),
    ("wall_s", "wall s", 0),
    ("rss_mib", "RSS MiB", 1),
    ("peak_mib", "peak MiB", 1),
    ("py_kblocks", "py kblocks", 0),
    ("heap_mib", "heap MiB", 1),
    ("fds", "  fds", 0),
    ("db_mib", " db MiB", 1),
    ("wal_mib", "WAL MiB", 1),
    ("outbox", "outbox", 0),
    ("items", "  items", 0),
    ("polls", "  polls", 0),
    ("cpu_s_per_cycle", "CPU s/cycle", 2),
    ("cpu_ms_per_poll", "CPU ms/poll", 2),
)


def headings() -> str:
    return " ".join(heading for _, heading, _ in COLUMNS)


def row_text(row: dict[str, Any]) -> str:
    cells = []
    for figure, heading, decimals in COLUMNS:
        value = row.get(figure)
        if value is None:
            text = "-"
        elif decimals is None:
            text = str(value)
        else:
            text = f"{value:.{decimals}f}"
        cells.append(text.rjust(len(heading)) if decimals is not None else text.ljust(len(heading)))
    return " ".join(cells)


def derive(rows: list[dict[str, Any]], row: dict[str, Any]) -> dict[str, Any]:
    """Add CPU per cycle and per poll since the previous sample, and bytes per database row;
    append the row to `rows` and return it."""
    row["db_bytes_per_row"] = round(row["db_mib"] * MIB / max(1, row["rows"]), 1)
    if rows:
        before = rows[-1]
        cpu = row["cpu_s"] - before["cpu_s"]
        cycles, polls = row["cycles"] - before["cycles"], row["polls"] - before["polls"]
        row["cpu_s_per_cycle"] = cpu / cycles if cycles > 0 else None
        row["cpu_ms_per_poll"] = cpu * 1000 / polls if polls > 0 else None
    rows.append(row)
    return row
