"""SQLite connections a test left open, found and closed when the session ends.

aiosqlite runs each connection in a thread that is not a daemon, so one left open keeps the
interpreter from exiting: pytest prints its summary and then hangs until CI's time runs out.
Closing them lets the run end, and the run fails naming how many there were.
"""

from __future__ import annotations

import gc

import aiosqlite


def close_leaked_connections() -> int:
    leaked = [
        obj
        for obj in gc.get_objects()
        if isinstance(obj, aiosqlite.Connection) and obj._thread.is_alive()
    ]
    for connection in leaked:
        connection.stop()
    for connection in leaked:
        connection._thread.join(5)
    return len(leaked)


def leak_note(count: int) -> str:
    return (
        f"{count} aiosqlite connection(s) left open by the tests were closed at the end; "
        "a test or the code it ran does not close its database"
    )
