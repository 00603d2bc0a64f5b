"""One configured term, compiled: its tokens, where a matcher files it, and how it compares.

A term is split into the same tokens as the text it is looked for in (bot.tokens). Short
all-capital terms stay case-sensitive; a term of an inflected language carries each word's
forms; `*` at either end opens it (bot.terms explains the matching these serve).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise

from bot.tokens import SHORT_CAPS, TOKEN, WILDCARD, Forms, Tokens


@dataclass(frozen=True)
class Term:
    tokens: tuple[str, ...]  # exact for case-sensitive terms, case-folded otherwise
    spaced: tuple[bool, ...]  # whether each pair of neighbouring tokens had space between
    case_sensitive: bool
    open_end: bool  # the last token may continue ("britisch*")
    values: tuple[str, ...] = ()  # a term listed for two values stands for both
    # Each token's forms, for a term of an inflected language; None: as written.
    forms: tuple[frozenset[str], ...] | None = None
    listed: str = ""  # the term as configured, named in reasons when a form matched

    # The words the second token may be, for a cheap check before the whole term is
    # compared (most terms that share a first word, "a", "to", differ at once); None: no
    # such check (one word, an open end, or capitals that count).
    second: frozenset[str] | None = None


def with_second(term: Term) -> Term:
    """The term with its second word's check set (see Term.second)."""
    if len(term.tokens) < 2 or term.case_sensitive or (term.open_end and len(term.tokens) == 2):
        return term
    second = term.forms[1] if term.forms is not None else frozenset({term.tokens[1]})
    return replace(term, second=second)


def parse_term(term: str, as_written: bool = False) -> Term | None:
    """A configured term as tokens: '*daten' keeps its one word, 'britisch*' opens its last."""
    open_start, open_end = term.startswith(WILDCARD), term.endswith(WILDCARD)
    body = term.strip(WILDCARD)
    parts = list(TOKEN.finditer(body))
    tokens = tuple(p.group(0) for p in parts)
    if not tokens:
        return None
    sensitive = (as_written or is_short_caps(body)) and not (open_start or open_end)
    return Term(
        tokens=tokens if sensitive else tuple(t.casefold() for t in tokens),
        spaced=tuple(b.start() > a.end() for a, b in pairwise(parts)),
        case_sensitive=sensitive,
        open_end=open_end,
    )


def place_of(parsed: Term, term: str) -> tuple[str, tuple[str, ...], bool, bool]:
    """Where a term is filed, and what makes two listings the same term."""
    if term.startswith(WILDCARD):
        place = "ending"
    elif parsed.open_end and len(parsed.tokens) == 1:
        place = "stem"
    else:
        place = "first"
    return place, parsed.tokens, parsed.case_sensitive, parsed.open_end


def with_forms(parsed: Term, forms: Forms, term: str) -> Term:
    """A term of an inflected language: each word that inflects matches its forms."""
    alternatives = tuple(forms.of(t) if t.isalpha() else frozenset({t}) for t in parsed.tokens)
    if all(len(a) == 1 for a in alternatives) or parsed.case_sensitive or parsed.open_end:
        return parsed
    return replace(parsed, forms=alternatives, listed=term)


def same_tokens(words: tuple[str, ...], term: Term) -> bool:
    if term.forms is not None:
        return all(word in forms for word, forms in zip(words, term.forms, strict=True))
    if not term.open_end:
        return words == term.tokens
    return words[:-1] == term.tokens[:-1] and words[-1].startswith(term.tokens[-1])


def spaced_alike(tokens: Tokens, start: int, term: Term) -> bool:
    """Spacing around punctuation must be the term's: "opt-out" is not "opt - out", and
    between two words any spacing will do."""
    for offset, spaced in enumerate(term.spaced):
        i = start + offset
        if tokens.words[i].isalnum() and tokens.words[i + 1].isalnum():
            continue
        if (tokens.starts[i + 1] > tokens.ends[i]) != spaced:
            return False
    return True


def is_short_caps(term: str) -> bool:
    letters = term.replace(".", "")
    return len(letters) <= SHORT_CAPS and letters.isalpha() and letters.isupper()
