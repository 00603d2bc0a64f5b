"""The config files as documents, and hypothesis strategies that change one thing in one of
them: a value of another type, a key taken away or added, an entry doubled, the text cut."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from functools import cache
from typing import Any

import yaml
from hypothesis import strategies as st

from tests.conftest import CONFIG_DIR

FILES = ("regions.yaml", "platforms.yaml", "classifier.yaml", "optout.yaml", "feeds.yaml")
# classifier.yaml keeps its shape with at most this many terms per language, and lists no
# inflected language: loading it whole takes about 1.5 s, and a word missing from the
# shipped table of forms costs a dictionary load of many seconds (bot.inflections), too slow
# to do hundreds of times. An empty list still has the whole file read for their words.
TERMS_KEPT = 2
Path_ = tuple[Any, ...]

# Values a hand-edited YAML file may hold where another was expected.
SCALARS = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.dates(
    min_value=date(1, 1, 1)
) | st.text(max_size=8) | st.sampled_from(
    ["", " ", "*", "**", "a*", "*daten", "Meta*", "EU", "eu", "XX", "xx", "ä", "1a", "ALL",
     "GLOBAL", "undated", "2025-02", "2025-02-30", "https://", "http://[::1", "ftp://x",
     "https://example.org/feed", "feed", "page", "regulator", "high", "div >", "a@href", "@",
     "@href", ":has(", "p:lang(en)", "h2 a@1x", "id-1", "Id", "-", "true", "~", "0", "99999"]
)  # fmt: skip
KEYS = st.sampled_from(["id", "code", "terms", "en", "url", "page", "typo"]) | st.text(max_size=4)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=6,
)
# What a cut or a stray keystroke leaves in a YAML file's text.
STRAY = st.sampled_from([":", "-", " ", "\n", "[", "{", "'", "&a", "*a", "\t", "\x00", "é"])


class Mutation:
    """What changed, and the whole file after the change. Not a dataclass: hypothesis would
    print the text (tens of KB) with a failing example; the file, path and kind say enough."""

    def __init__(self, file: str, path: Path_, kind: str, text: str) -> None:
        self.file = file
        self.path = path  # keys and indexes from the document's root to what changed
        self.kind = kind
        self.text = text

    def __repr__(self) -> str:
        return f"Mutation({self.file!r}, {self.path!r}, {self.kind!r}, <{len(self.text)} chars>)"


def _trimmed(node: Any, languages: frozenset[str]) -> Any:
    """Lists of terms (under a language code, or a region's `mentions`) cut short, and
    only those of `languages` kept."""
    if isinstance(node, dict):
        by_language = all(_is_term_list(k, v) for k, v in node.items())
        return {k: (v[:TERMS_KEPT] if _is_term_list(k, v) else _trimmed(v, languages))
                for k, v in node.items() if not by_language or k in languages}  # fmt: skip
    if isinstance(node, list):
        return [_trimmed(v, languages) for v in node]
    return node


def _is_term_list(key: Any, value: Any) -> bool:
    code = isinstance(key, str) and len(key) == 2 and key.islower()
    return (key == "mentions" or code) and isinstance(value, list)


@cache
def documents() -> dict[str, Any]:
    """Each config file as parsed, classifier.yaml with fewer terms."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, as the bot reads them
    docs = {name: yaml.load((CONFIG_DIR / name).read_text(encoding="utf-8"),
                            Loader=loader)  # noqa: S506 (a safe loader)
            for name in FILES}  # fmt: skip
    read = frozenset({"en"} | {f["language"] for f in docs["feeds.yaml"] if "language" in f})
    docs["classifier.yaml"] = _trimmed(docs["classifier.yaml"], read) | {"inflected_languages": []}
    docs["regions.yaml"] = _trimmed(docs["regions.yaml"], read)
    return docs


@cache
def texts() -> dict[str, str]:
    return {name: dump(doc) for name, doc in documents().items()}


def dump(doc: Any) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def _walk(node: Any, path: Path_) -> Iterator[Path_]:
    yield path
    if isinstance(node, dict):
        children = list(node.items())
    else:
        children = list(enumerate(node)) if isinstance(node, list) else []
    for key, child in children:
        yield from _walk(child, (*path, key))


@cache
def paths_by_depth(name: str) -> dict[int, tuple[Path_, ...]]:
    found: dict[int, list[Path_]] = {}
    for path in _walk(documents()[name], ()):
        found.setdefault(len(path), []).append(path)
    return {depth: tuple(paths) for depth, paths in found.items()}


def _at(doc: Any, path: Path_) -> Any:
    for key in path:
        doc = doc[key]
    return doc


@st.composite
def mutations(draw: st.DrawFn) -> Mutation:
    """One config file with one thing changed; a tenth of the time its text is also cut or
    has bytes changed."""
    name = draw(st.sampled_from(FILES))
    doc = copy.deepcopy(documents()[name])
    by_depth = paths_by_depth(name)
    path = draw(st.sampled_from(by_depth[draw(st.sampled_from(sorted(by_depth)))]))
    kind = draw(st.sampled_from(["replace", "swap", "delete", "add", "duplicate"]))
    parent, key = (_at(doc, path[:-1]), path[-1]) if path else (None, None)
    target = _at(doc, path)
    if kind == "replace" or (parent is None and kind != "add"):
        value = draw(VALUES)
        if parent is None:
            doc = value
        else:
            parent[key] = value
    elif kind == "swap":  # a value from elsewhere in the file: the right shape, wrong place
        other = draw(st.sampled_from(by_depth[draw(st.sampled_from(sorted(by_depth)))]))
        parent[key] = copy.deepcopy(_at(documents()[name], other))
    elif kind == "delete":
        del parent[key]
    elif kind == "add" and isinstance(target, dict):
        target[draw(KEYS)] = draw(VALUES)
    elif kind == "add" and isinstance(target, list):
        target.insert(draw(st.integers(0, len(target))), draw(VALUES))
    elif isinstance(parent, list):  # duplicate: the same entry twice
        parent.insert(key, copy.deepcopy(target))
    text = dump(doc)
    if draw(st.integers(0, 9)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
        for _ in range(draw(st.integers(0, 3))):
            at = draw(st.integers(0, max(0, len(text) - 1)))
            text = text[:at] + draw(STRAY) + text[at + 1 :]
        kind += "+text"
    return Mutation(name, path, kind, text)
