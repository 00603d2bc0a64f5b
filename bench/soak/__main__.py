"""`make soak`: 2,000 sources and 500 chat channels over loopback, for a simulated day and
then a real run of the bot itself; prints memory, descriptors, database size, CPU per cycle
and outbox depth as it goes, and exits 1 naming any figure that keeps growing.

Settings (environment): SOAK_SOURCES (2000), SOAK_DESTINATIONS (500), SOAK_HOURS (24, the
simulated day), SOAK_MINUTES (10, the real run), SOAK_TRACEMALLOC (0; 1 traces the simulated
day's Python heap too, at three times the CPU), SOAK_DIR (keep the database and logs there).

A cycle is 5 minutes of the bot's life (the shortest interval a source may have): one step
of the simulated day, five minutes of the real run. Sources: see world.py; the phases:
day.py (in its own process) and the real bot (`python -m bot run`) watched from here.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import yaml

from bench.soak.figures import database_figures, outcome, process_figures, tracebacks
from bench.soak.table import derive, headings, row_text
from bench.soak.verdict import judge
from bench.soak.world import feeds_file, sources

ROOT = Path(__file__).resolve().parents[2]
CYCLE = 300
SOURCES = int(os.environ.get("SOAK_SOURCES", "2000"))
DESTINATIONS = int(os.environ.get("SOAK_DESTINATIONS", "500"))
HOURS = float(os.environ.get("SOAK_HOURS", "24"))
MINUTES = float(os.environ.get("SOAK_MINUTES", "10"))
TRACEMALLOC = os.environ.get("SOAK_TRACEMALLOC", "0") == "1"
FETCH_TIMEOUT = 4.0  # seconds; sources that never answer are given up on after this


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get_json(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return dict(json.loads(answer.read()))


def start_server(*args: str) -> tuple[subprocess.Popen[bytes], list[str]]:
    server = subprocess.Popen([sys.executable, "-m", "bench.soak.servers", *args],
                              stdout=subprocess.PIPE, cwd=ROOT, env=python_env())  # fmt: skip
    assert server.stdout is not None
    words = server.stdout.readline().decode().split()
    assert words[:1] == ["ready"], f"server {args[0]} did not start"
    return server, words[1:]


def python_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIWATCH_", "DISCORD_"))}
    env = {k: v for k, v in env.items() if not k.startswith("SLACK_")}
    return env | {"PYTHONPATH": str(ROOT)} | extra


def chat_environ(discord_port: int, slack_port: int) -> dict[str, str]:
    """Fake tokens: the loopback servers take any."""
    return {
        "DISCORD_TOKEN": "soak-discord-token", "SLACK_BOT_TOKEN": "xoxb-soak",
        "SLACK_APP_TOKEN": "xapp-soak",
        "DISCORD_API_BASE": f"http://127.0.0.1:{discord_port}/api/v10",
        "DISCORD_GATEWAY_URL": f"ws://127.0.0.1:{discord_port}/ws",
        "SLACK_API_URL": f"http://127.0.0.1:{slack_port}/api/",
        "AIWATCH_FETCH_TIMEOUT": str(FETCH_TIMEOUT),
    }  # fmt: skip


def show(rows: list[dict[str, Any]], row: dict[str, Any]) -> None:
    print(row_text(derive(rows, row)), flush=True)


def run_day(settings: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    day = subprocess.Popen([sys.executable, "-m", "bench.soak.day", json.dumps(settings)],
                           stdout=subprocess.PIPE, cwd=ROOT, env=python_env())  # fmt: skip
    assert day.stdout is not None
    for line in day.stdout:
        show(rows, json.loads(line))
    if day.wait() != 0:
        sys.exit(f"the simulated day failed (exit {day.returncode}); see its stderr above")
    return rows


def run_real(settings: dict[str, Any], work: Path, sources_url: str) -> list[dict[str, Any]]:
    """The bot itself, `python -m bot run`, watched from outside through /proc."""
    rows: list[dict[str, Any]] = []
    with urllib.request.urlopen(f"{sources_url}/clock?real=1", timeout=30) as answer:
        answer.read()
    polls_before = get_json(f"{sources_url}/stats")["polls"]
    args = ["--feeds", settings["feeds"], "--db", settings["db"], "--config", settings["config"]]
    with (work / "real.out").open("wb") as out, (work / "real.log").open("wb") as log:
        blocks = work / "real.blocks"
        env = python_env(SOAK_BLOCKS=str(blocks), **settings["environ"])
        bot = subprocess.Popen([sys.executable, "-m", "bench.soak.watched", "run", *args],
                               stdin=subprocess.DEVNULL, stdout=out, stderr=log, cwd=work,
                               env=env)  # fmt: skip
        wait_for_start(work / "real.log", bot)
        started = time.monotonic()
        every = max(10.0, MINUTES * 60 / 20)
        ends = started + MINUTES * 60
        while True:
            elapsed = time.monotonic() - started
            polls = get_json(f"{sources_url}/stats")["polls"] - polls_before
            row = {"phase": "real", "at": f"{elapsed / 60:4.1f} m", "wall_s": elapsed,
                   "cycles": elapsed / CYCLE, "polls": polls,
                   "py_kblocks": int(blocks.read_text()) / 1000}  # fmt: skip
            row |= process_figures(bot.pid)
            show(rows, row | database_figures(Path(settings["db"])))
            if time.monotonic() >= ends or bot.poll() is not None:
                break
            time.sleep(min(every, max(0.0, ends - time.monotonic())))
        bot.send_signal(signal.SIGINT)
        try:
            code = bot.wait(60)
        except subprocess.TimeoutExpired:
            bot.kill()
            sys.exit(f"the bot did not stop within a minute of Ctrl-C; see {work / 'real.log'}")
    if code != 0:
        sys.exit(f"the bot exited with {code}; see {work / 'real.log'}")
    return rows


def wait_for_start(log: Path, bot: subprocess.Popen[bytes]) -> None:
    """Until the bot says it runs (config read, chat connected): the real run's start."""
    deadline = time.monotonic() + 120
    while "running until stopped" not in log.read_text(errors="replace"):
        if bot.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"the bot did not start; see {log}")
        time.sleep(0.5)


def summary(name: str, rows: list[dict[str, Any]]) -> bool:
    """Start and end figures, and each figure's trend; False if any keeps growing."""
    print(f"\n{name}: start and end")
    print(headings())
    print(row_text(rows[0]))
    print(row_text(rows[-1]))
    findings = judge(rows)
    if findings is None:
        print("  too few samples to judge growth (run longer)")
        return True
    for finding in findings:
        print(f"  {finding}")
    return not any(f.growing for f in findings)


def main() -> None:
    kept = os.environ.get("SOAK_DIR")
    work = Path(kept or tempfile.mkdtemp(prefix="aiwatch-soak-"))
    work.mkdir(parents=True, exist_ok=True)
    day_start = time.time() - HOURS * 3600
    port, dead = free_port(), free_port()
    feeds = work / "feeds.yaml"
    feeds.write_text(yaml.safe_dump(feeds_file(sources(SOURCES), port, dead), sort_keys=False))
    source_server, _ = start_server("sources", str(port), str(SOURCES), str(day_start),
                                    str(HOURS), str(FETCH_TIMEOUT))  # fmt: skip
    chat_server, (discord_port, slack_port, stats_port) = start_server("chat")
    try:
        settings = {
            "config": str(ROOT / "config"), "db": str(work / "soak.db"), "feeds": str(feeds),
            "environ": chat_environ(int(discord_port), int(slack_port)),
            "server": f"http://127.0.0.1:{port}", "day_start": day_start, "hours": HOURS,
            "destinations": DESTINATIONS, "tracemalloc": TRACEMALLOC,
            "log": str(work / "day.log"),
        }  # fmt: skip
        print(
            f"soak: {SOURCES} sources, {DESTINATIONS} channels (Discord and Slack), a "
            f"simulated day of {HOURS:g} h, then {MINUTES:g} min of the real bot; in {work}"
        )
        print(headings(), flush=True)
        day = run_day(settings)
        real = run_real(settings, work, settings["server"])
        chat = get_json(f"http://127.0.0.1:{stats_port}/stats")
        polls = get_json(f"{settings['server']}/stats")
    finally:
        for server in (source_server, chat_server):
            server.terminate()
            server.wait()
    print(f"\nchat servers were sent: {json.dumps(chat)}")
    print(f"source answers: {json.dumps(polls['answers'])}")
    print(f"in the database: {json.dumps(outcome(work / 'soak.db'))}")
    logs = {name: tracebacks(work / name) for name in ("day.log", "real.log")}
    print(f"tracebacks in the logs: {json.dumps(logs)}")
    steady = summary("simulated day", day) & summary("real run", real)
    if not kept:
        shutil.rmtree(work, ignore_errors=True)
    if not steady:
        sys.exit("soak: a figure keeps growing (GROWING above)")


if __name__ == "__main__":
    main()
