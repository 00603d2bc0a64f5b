"""The real bot, `python -m bot ARGS`, with one addition for the soak: a thread that writes
the interpreter's allocated block count (sys.getallocatedblocks: Python's small objects, what
a leak of objects grows) to the file named by SOAK_BLOCKS twice a second. Reading a counter
from a thread changes nothing the bot does.
"""

from __future__ import annotations

import os
import runpy
import sys
import threading
import time
from pathlib import Path


def report(path: Path) -> None:
    written = path.with_suffix(".new")
    while True:
        written.write_text(str(sys.getallocatedblocks()))
        written.replace(path)  # whole, never half-written
        time.sleep(0.5)


if __name__ == "__main__":
    threading.Thread(target=report, args=(Path(os.environ["SOAK_BLOCKS"]),), daemon=True).start()
    sys.argv[0] = "bot"
    runpy.run_module("bot", run_name="__main__", alter_sys=True)
