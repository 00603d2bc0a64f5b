"""Compiled term lists: find which configured words occur in a text, and where.

Text and terms are split into the same tokens (runs of letters and digits, and single
punctuation marks), and terms are looked up by their first token, so the cost grows with the
text, not with the number of terms. Short all-capital terms (AI, KI, IA, EU, X) match only in
capitals, so ordinary words ("j'ai") do not trigger them.

Languages that inflect and compound need open ends: a term ending in `*` also matches longer
words ("britisch*" finds "britischer", "Beiträge*" finds "Beiträgen"), and a one-word term
starting with `*` matches the end of a compound ("*daten" finds "Verbraucherdaten").
Languages that inflect still more list terms with their word forms (bot.inflections): each
word of such a term matches any of its forms ("tekoälyn" for "tekoäly").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from bot.compiled_terms import (
    Term,
    parse_term,
    place_of,
    same_tokens,
    spaced_alike,
    with_forms,
    with_second,
)
from bot.names import NameEndings, is_name
from bot.tokens import (
    MIN_STEM,
    QUOTES,
    WILDCARD,
    Forms,
    Hit,
    Listed,
    Tokens,
    term_problem,
    term_problems,
    term_words,
)

# How many distinct words a matcher remembers having read (under 1 MiB); then it starts
# afresh, so a long-running bot's memory stays bounded whatever its feeds write. One pass over
# the 3,868 labelled items reads about 11,000 distinct words.
WORDS_REMEMBERED = 10_000

__all__ = [
    "MIN_STEM",
    "WILDCARD",
    "Forms",
    "Hit",
    "Listed",
    "TermMatcher",
    "Tokens",
    "term_problem",
    "term_problems",
    "term_words",
]


class TermMatcher:
    """Finds whole-word occurrences of many terms, each mapped to one or more values."""

    def __init__(
        self,
        terms: Iterable[tuple[str, str] | Listed],
        exact: Iterable[str] = (),
        name_endings: Iterable[str] = (),
    ) -> None:
        """`exact` terms match only as written: names that are ordinary words in lower case
        ("Threads", "Slack"). A `Listed` term matches its words' other forms too, and a name
        with one of `name_endings` ("Grokin") matches the name (bot.names)."""
        as_written = {t.strip().translate(QUOTES) for t in exact}
        self._terms: list[str] = []
        compiled: dict[tuple[str, tuple[str, ...], bool, bool], Term] = {}
        for listing in terms:
            raw, value = (listing.text, listing.value) if isinstance(listing, Listed) else listing
            term = raw.strip().translate(QUOTES)
            problem = term_problem(term)
            if problem is not None:
                raise ValueError(problem)  # config validation reports it first, by file
            parsed = parse_term(term, term in as_written)
            if parsed is None:
                continue
            if isinstance(listing, Listed):
                parsed = with_forms(parsed, listing.forms, term)
            where = place_of(parsed, term)
            entry = compiled.get(where) or parsed
            if entry.forms is None and parsed.forms is not None:
                # listed in English and again in Swedish: the Swedish forms count too
                entry = replace(entry, forms=parsed.forms, listed=parsed.listed)
            if where not in compiled:
                self._terms.append(term)
            if value not in entry.values:
                entry = replace(entry, values=(*entry.values, value))
            compiled[where] = entry
        by_first: defaultdict[str, list[Term]] = defaultdict(list)
        # One-word open terms, filed by their first (stems) or last (endings) MIN_STEM
        # letters so that a word costs one look-up: "brit" -> [britisch*].
        self._stems: defaultdict[str, list[Term]] = defaultdict(list)
        self._endings: defaultdict[str, list[Term]] = defaultdict(list)
        for (place, *_), entry in compiled.items():
            word = entry.tokens[0]
            if place == "ending":
                self._endings[word[-MIN_STEM:]].append(entry)
            elif place == "stem":
                self._stems[word[:MIN_STEM]].append(entry)
            else:
                checked = with_second(entry)
                for form in entry.forms[0] if entry.forms else (word.casefold(),):
                    by_first[form].append(checked)
        for candidates in (*by_first.values(), *self._stems.values(), *self._endings.values()):
            candidates.sort(key=lambda t: (len(t.tokens), len(t.tokens[-1])), reverse=True)
        self._by_first = dict(by_first)  # longest first: "generative AI" beats "AI"
        self._open = bool(self._stems or self._endings)
        names: list[tuple[str, Term]] = []
        for listed in filter(is_name, self._terms):
            single = self._single(listed)
            if single is not None:
                names.append((listed, single))
        self._names = NameEndings(names, name_endings)
        self._words_read: dict[str, tuple[Term | None, str]] = {}

    def _single(self, term: str) -> Term | None:
        """The compiled one-word term listed as `term`."""
        for entry in self._by_first.get(term.casefold(), ()):
            if len(entry.tokens) == 1 and not entry.open_end:
                return entry
        return None

    def terms(self) -> list[str]:
        return list(self._terms)

    def find(self, text: str | Tokens) -> list[Hit]:
        tokens = text if isinstance(text, Tokens) else Tokens.of(text)
        hits: list[Hit] = []
        by_first, folded = self._by_first, tokens.folded
        count = len(folded)
        index = 0
        while index < count:
            # Most words start no term: one dict look-up, and no call, for them.
            candidates = by_first.get(folded[index])
            term = self._match_at(tokens, index, candidates) if candidates else None
            if term is not None:
                last = index + len(term.tokens) - 1
                found = tokens.text[tokens.starts[index] : tokens.ends[last]]
                listed = term.listed if found.casefold() != term.listed.casefold() else ""
            else:
                last, found = index, tokens.words[index]
                term, listed = self._one_word(found, folded[index])
            if term is not None:
                hits.extend(
                    Hit(found, tokens.starts[index], value, listed) for value in term.values
                )
            index = last + 1
        return hits

    def first_hits(self, text: Tokens) -> dict[str, Hit]:
        """Each value's earliest hit (its longest term there): what `find` would report first
        for a matcher of that value's terms alone, in one pass for all values."""
        first: dict[str, Hit] = {}
        for index, word in enumerate(text.folded):
            after = text.folded[index + 1] if index + 1 < len(text.folded) else ""
            spans = [(t, index + len(t.tokens) - 1) for t in self._by_first.get(word, ())
                     if (t.second is None or after in t.second)
                     and self._fits(text, index, t)]  # fmt: skip
            spans += [(t, index) for t in self._affix_matches(word)] if self._open else []
            for term, last in spans:
                found = text.text[text.starts[index] : text.ends[last]]
                listed = term.listed if found.casefold() != term.listed.casefold() else ""
                for value in term.values:
                    first.setdefault(value, Hit(found, text.starts[index], value, listed))
        return first

    def _fits(self, tokens: Tokens, index: int, term: Term) -> bool:
        end = index + len(term.tokens)
        if end > len(tokens.words):
            return False
        source = tokens.words if term.case_sensitive else tokens.folded
        return same_tokens(source[index:end], term) and spaced_alike(tokens, index, term)

    def _match_at(self, tokens: Tokens, index: int, candidates: list[Term]) -> Term | None:
        after = tokens.folded[index + 1] if index + 1 < len(tokens.folded) else ""
        for term in candidates:
            if term.second is not None and after not in term.second:
                continue
            end = index + len(term.tokens)
            if end > len(tokens.words):
                continue
            source = tokens.words if term.case_sensitive else tokens.folded
            if same_tokens(source[index:end], term) and spaced_alike(tokens, index, term):
                return term
        return None

    def _one_word(self, word: str, folded: str) -> tuple[Term | None, str]:
        """A word no term starts: an open term's stem or ending, or a name with a case
        ending; and the term as listed when it differs from the word. Remembered: most words
        of a feed recur from item to item, and each is read by every matcher."""
        known = self._words_read.get(word)
        if known is None:
            if len(self._words_read) >= WORDS_REMEMBERED:
                self._words_read.clear()
            known = self._words_read[word] = self._read_one_word(word, folded)
        return known

    def _read_one_word(self, word: str, folded: str) -> tuple[Term | None, str]:
        term = self._affix_match(folded) if self._open else None
        if term is not None:
            return term, term.listed if folded != term.listed.casefold() else ""
        named = self._names.match(word) if self._names else None
        return (named[1], named[0]) if named is not None else (None, "")

    def _affix_match(self, word: str) -> Term | None:
        """The open term that speaks for the word: a compound's last part names what it is
        (Nutzerdaten is data), so endings come first; then stems, longest first."""
        for term in self._endings.get(word[-MIN_STEM:], ()):
            if len(term.tokens[0]) < len(word) and word.endswith(term.tokens[0]):
                return term
        for term in self._stems.get(word[:MIN_STEM], ()):
            if word.startswith(term.tokens[0]):
                return term
        return None

    def _affix_matches(self, word: str) -> list[Term]:
        endings = [t for t in self._endings.get(word[-MIN_STEM:], ())
                   if len(t.tokens[0]) < len(word) and word.endswith(t.tokens[0])]  # fmt: skip
        stems = [t for t in self._stems.get(word[:MIN_STEM], ()) if word.startswith(t.tokens[0])]
        return endings + stems
