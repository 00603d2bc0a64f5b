"""The house stays layered: no two parts of bot/ import each other, directly or round a
loop, and nothing outside the chat adapters imports a chat library."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"
CHAT_LIBRARIES = ("discord", "slack_bolt", "slack_sdk")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _part(module: str) -> str:
    """bot.storage.outbox -> bot.storage; bot.models -> bot.models."""
    return ".".join(module.split(".")[:2])


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in BOT.rglob("*.py"):
        here = _part(".".join(path.relative_to(BOT.parent).with_suffix("").parts))
        for module in _imports(path):
            if module.startswith("bot.") and _part(module) != here:
                graph[here].add(_part(module))
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import loop between parts, if any (depth-first search)."""
    state: dict[str, int] = {}
    trail: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        trail.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*trail[trail.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        trail.pop()
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_no_part_of_bot_imports_another_round_a_loop():
    assert _cycle(_graph()) == []


def test_the_loop_finder_finds_a_loop():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_only_the_chat_adapters_import_a_chat_library():
    for path in BOT.rglob("*.py"):
        if path.is_relative_to(BOT / "adapters"):
            continue
        chat = {m for m in _imports(path) if m.split(".")[0] in CHAT_LIBRARIES}
        assert not chat, f"{path.relative_to(BOT.parent)} imports {sorted(chat)}"


def test_only_the_runner_imports_the_status_package():
    """bot/status reads every part (storage, pipeline, health); a part that imported it back
    would close a loop, so only the runner, which starts it, may."""
    for path in BOT.rglob("*.py"):
        if path.is_relative_to(BOT / "status") or path == BOT / "runner.py":
            continue
        status = {m for m in _imports(path) if _part(m) == "bot.status"}
        assert not status, f"{path.relative_to(BOT.parent)} imports {sorted(status)}"
