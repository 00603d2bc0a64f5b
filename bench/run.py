"""`make bench`: start the loopback feed server, run each measurement, print the results.

Numbers are CPU seconds and ratios measured side by side in one run; wall time is shown but
these machines are noisy.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FEEDS = int(os.environ.get("BENCH_FEEDS", "1000"))
STORED = int(os.environ.get("BENCH_STORED", "100000"))
PROCESS_FEEDS = int(os.environ.get("BENCH_PROCESS_FEEDS", "200"))
FANOUT = int(os.environ.get("BENCH_FANOUT", "1000"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_json(*args: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, *args], check=True, capture_output=True, env=env, cwd=ROOT
    )
    return dict(json.loads(out.stdout.decode().strip().splitlines()[-1]))


def main() -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.feed_server", str(port), str(FEEDS)],
        stdout=subprocess.PIPE, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    try:
        assert server.stdout is not None
        assert server.stdout.readline().strip() == b"ready"
        cycle = run_json("-m", "bench.cycle", str(port), str(FEEDS), str(STORED))
        processes = run_json("-m", "bench.processes", str(port), str(PROCESS_FEEDS))
    finally:
        server.terminate()
        server.wait()
    parsing = run_json("-m", "bench.parsing")
    understanding = run_json("-m", "bench.understanding")
    libraries = run_json("-m", "bench.html_libraries")
    pages = run_json("-m", "bench.pages")
    status = run_json("-m", "bench.status")
    fanout = run_json("-m", "bench.fanout", "--destinations", str(FANOUT))
    delay = run_json("-m", "bench.delay")
    full, unchanged, mixed = cycle["all_200"], cycle["all_304"], cycle["changed_50"]
    assert isinstance(full, dict)
    assert isinstance(unchanged, dict)
    assert isinstance(mixed, dict)
    print(f"poll cycle of {FEEDS} feeds, {STORED} items already stored")
    for name, result in (("all 200", full), ("all 304", unchanged), ("950x304 + 50", mixed)):
        print(f"  {name:13} {json.dumps(result)}")
    ratio = unchanged["cpu_s"] / full["cpu_s"]
    print(f"  304 cycle / 200 cycle CPU ratio: {ratio:.3f} (target <= 0.1)")
    print(f"  mostly-unchanged cycle CPU: {mixed['cpu_s']} s (target <= 5)")
    worst_lag = max(r["loop_delay_p99_ms"] for r in (full, unchanged, mixed))
    print(f"  event loop delay p99, worst cycle: {worst_lag} ms (target <= 100)")
    print(f"  bytes per stored item: {cycle['bytes_per_item']} (target <= 1024)")
    print(f"  peak memory: {cycle['peak_rss_mib']} MiB (target <= 150)")
    print(f"parsing: {json.dumps(parsing)} (target >= 1000 entries/s)")
    print(f"classifier and stories: {json.dumps(understanding)}")
    print(f"HTML libraries on a {libraries['page_kib']} KiB news page of 20 entries:")
    rows = libraries["libraries"]
    assert isinstance(rows, list)
    for row in rows:
        print(f"  {json.dumps(row)}")
    print(f"page vs feed of the same 20 entries, and dates: {json.dumps(pages)}")
    print(f"status page, /healthz and /metrics (CPU ms): {json.dumps(status)}")
    print("  targets: classify >= 5000 items/s; placement among 10,000 open stories < 5 ms")
    print(f"processes ({PROCESS_FEEDS} feeds polled, then 20 stories to 50 destinations, start-up"
          " included), PostgreSQL with 1, 2 and 4 processes against SQLite with 1:")  # fmt: skip
    for name, result in processes.items():
        print(f"  {name:13} {json.dumps(result)}")
    print_fanout(fanout)
    print_delay(delay)


def print_fanout(fanout: dict[str, object]) -> None:
    """One story to FANOUT channels of each platform, then a development of it (an edit and
    a reply), against the floor the loopback servers' limits allow (see bench/fanout.py)."""
    print(f"fan-out of one story to {fanout['destinations']} channels per platform:")
    for name in ("discord_post", "slack_post", "discord_development", "slack_development"):
        phase = fanout[name]
        assert isinstance(phase, dict)
        why = phase.pop("floor_why")
        print(f"  {name:19} {json.dumps(phase)}")
        print(f"  {'':19} floor: {why}")
    print("  targets: ratio <= 1.2 of the floor, at most one 429")


def print_delay(delay: dict[str, object]) -> None:
    """Publication to alert under today's fixed schedule and the adaptive one, side by side
    in one run (see bench/delay.py)."""
    print(f"delay to alert, a simulated day of {delay['sources']} sources (bench/delay.py):")
    print(f"  {'':11} {'median':>8} {'p95':>8} {'requests':>9} {'CPU s':>7}  median by kind")
    for name in ("fixed_60", "adaptive", "with_websub"):
        row = delay[name]
        assert isinstance(row, dict)
        kinds = ", ".join(f"{k} {v.get('median_min', '-')}" for k, v in row["by_kind"].items())
        print(f"  {name:11} {row['median_min']:>6} m {row['p95_min']:>6} m {row['requests']:>9}"
              f" {row['cpu_s']:>7}  {kinds}")  # fmt: skip
    print("  targets: adaptive median <= 10 min, requests <= fixed_60's")


if __name__ == "__main__":
    main()
