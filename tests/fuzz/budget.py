"""How hard the fuzz tests try: a fixed, reproducible budget in `make test`, more on demand.

In `make test` every fuzz test runs a set number of examples drawn from a seed derived from
the test itself (hypothesis' `derandomize`), and the corpus mutations from a fixed seed, so
a failure in CI is the same failure on a laptop. `make fuzz` (AIWATCH_FUZZ_SCALE=20) tries
twenty times as many, drawn afresh each run, and AIWATCH_FUZZ_SEED picks other corpus
mutations; hypothesis prints the failing example, and the corpus tests the file, seed and
mutation, to keep as a regression example.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

SCALE = max(1, int(os.environ.get("AIWATCH_FUZZ_SCALE", "1")))
SEED = int(os.environ.get("AIWATCH_FUZZ_SEED", "23"))
LONG_RUN = SCALE > 1


def fuzz_settings(examples: int) -> settings:
    """`examples` in CI, SCALE times as many in a long run; never a per-example deadline
    (the machine is shared: speed is measured in `make bench`, not here)."""
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        derandomize=not LONG_RUN,
        database=None if not LONG_RUN else settings.default.database,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
