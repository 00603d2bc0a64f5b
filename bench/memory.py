"""A process's own peak memory, for the bench and for tests that bound the bot's.

Linux carries a parent's resident size into a child's ru_maxrss across fork and exec, so a
process started late in a long session (pytest, the bench runner) would report its parent's
size. The high-water mark of the process's own address space (VmHWM) is read where /proc has
it; ru_maxrss elsewhere.
"""

from __future__ import annotations

import resource


def peak_rss_kib() -> int:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
