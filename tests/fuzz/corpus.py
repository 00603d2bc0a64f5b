"""The feedparser project's ~2,100 test feeds, cut short and with bytes flipped, from a seed.

Each mutation is described (file, seed, round, where it cut and what it flipped) so a
failure can be replayed with `mutate` and kept as a regression example.
"""

from __future__ import annotations

import random
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "data" / "feedparser-tests.tar.gz"
# Bytes that change what a parser sees: markup, entities, quotes, NUL, a UTF-8 lead byte,
# bytes invalid in UTF-8; besides these a flip may set any byte.
SHARP_BYTES = b"<>&;\"'/=![]?\x00\xc3\xe2\xef\xfe\xff\x80\n"


@dataclass(frozen=True)
class Mutation:
    cut: int | None  # keep this many bytes; None: keep them all
    flips: tuple[tuple[int, int], ...]  # (offset, new byte), applied after the cut

    def apply(self, body: bytes) -> bytes:
        data = bytearray(body if self.cut is None else body[: self.cut])
        for offset, value in self.flips:
            if offset < len(data):
                data[offset] = value
        return bytes(data)


@cache
def corpus_files() -> tuple[tuple[str, bytes], ...]:
    """(name, body) of every feed in the archive, read once per process."""
    with tarfile.open(CORPUS) as archive:
        files = []
        for member in archive:
            handle = archive.extractfile(member) if member.isfile() else None
            if handle is not None and member.name != "LICENSE":
                files.append((member.name, handle.read()))
    return tuple(files)


def mutate(body: bytes, rng: random.Random) -> Mutation:
    """A random cut (two times in three) and one to eight flipped bytes."""
    cut = rng.randrange(len(body) + 1) if body and rng.random() < 2 / 3 else None
    length = len(body) if cut is None else cut
    flips: list[tuple[int, int]] = []
    for _ in range(rng.randint(1, 8) if length else 0):
        value = rng.choice(SHARP_BYTES) if rng.random() < 0.6 else rng.randrange(256)
        flips.append((rng.randrange(length), value))
    return Mutation(cut, tuple(flips))


def mutated_corpus(seed: int, rounds: int) -> Iterator[tuple[str, Mutation, bytes]]:
    """Every corpus file `rounds` times, each time differently mutated; the same seed gives
    the same mutations."""
    rng = random.Random(seed)
    for round_number in range(rounds):
        for name, body in corpus_files():
            mutation = mutate(body, rng)
            yield f"{name} (seed {seed}, round {round_number})", mutation, mutation.apply(body)
