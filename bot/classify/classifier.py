"""Decides whether an item is about AI use of people's data, and says why.

Pure: text and config in, a Judgement out. No network, no database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.classify.events import EventReader
from bot.classify.left_out import find_left_out
from bot.models import Judgement
from bot.settings.platforms import PlatformBook
from bot.settings.regions import RegionBook
from bot.settings.rules import ClassifierRules
from bot.terms import Hit, TermMatcher, Tokens
from bot.vocabulary import GLOBAL


@dataclass(frozen=True)
class ItemText:
    """What the classifier reads: the item's text and what its feed says about it."""

    title: str
    summary: str = ""
    feed_region: str | None = None
    feed_kind: str | None = None
    feed_name: str | None = None


class Classifier:
    def __init__(
        self, rules: ClassifierRules, platforms: PlatformBook, regions: RegionBook
    ) -> None:
        self.rules = rules
        self._platforms = TermMatcher(
            ((m, p.id) for p in platforms.platforms.values() for m in (p.name, *p.mentions)),
            exact=[m for p in platforms.platforms.values() for m in p.capitalised],
            name_endings=rules.name_endings,
        )
        self._regions = TermMatcher(
            (m, r.code) for r in regions.regions.values() for m in r.mentions
        )
        self._platform_names = {p.id: p.name for p in platforms.platforms.values()}
        # A place inside a country names the country too: Hamburg is in Germany.
        self._parents = {r.code: r.parent for r in regions.regions.values() if r.parent}
        # For grouping: the regions that contain each region (DE -> EU, EEA, ...).
        self.enclosing_regions = regions.enclosing()
        self._events = EventReader(rules, regions)
        self.common_words = _words_of(
            [
                rules.generic_terms,
                self._platforms.terms(),
                self._regions.terms(),
                *(m.terms() for _, m in rules.events),
            ]
        )

    def classify(self, item: ItemText) -> Judgement:
        text = Tokens.of(f"{item.title}. {item.summary}" if item.summary else item.title)
        words = _without_lookalikes(text, self.rules.lookalikes)
        hits = self.rules.signals.find(words)
        found = {h.value for h in hits}
        score, reasons = self._score(hits, found)
        implied = {other for name in found for other in self.rules.implies.get(name, ())}
        feed_rule = self.rules.feed_kinds.get(item.feed_kind or "")
        if feed_rule is not None:
            weight, from_feed = feed_rule
            score += weight
            implied.update(from_feed)
            reasons.append(f"from a {item.feed_kind} feed ({item.feed_name or 'unnamed'})")
        relevant = score >= self.rules.threshold and all(
            name in found or name in implied for name in self.rules.required
        )
        # Which platforms and regions an item names is a fact of its text, relevant or not;
        # only a relevant item has an event.
        in_title = len(item.title)
        platform_hits = self._platforms.find(text)
        platforms, platform_reasons = self._platform_ids(platform_hits)
        headline_platforms, _ = self._platform_ids([h for h in platform_hits if h.start < in_title])
        if not platforms:
            platforms, platform_reasons = self._feed_platforms(item)
        named, left_out, left_out_reasons = self._named_regions(text)
        regions, region_reasons = self._regions_of(named, item)
        headline_regions = tuple(sorted({code for code, hit in named if hit.start < in_title}))
        reasons += platform_reasons + left_out_reasons + region_reasons
        if not relevant and headline_platforms:
            alone = self._reaction_to_its_rules(len(item.title), hits, found)
            relevant = alone is not None
            reasons += [alone] if alone else []
        event, guessed = None, False
        if relevant:
            event, event_reason, guessed = self._events.read(item.title, item.feed_kind, words)
            reasons.append(event_reason)
        return Judgement(
            relevant=relevant,
            score=round(score, 3),
            platforms=platforms,
            regions=regions,
            event=event,
            reasons=tuple(reasons),
            event_guessed=guessed,
            headline_platforms=headline_platforms,
            headline_regions=headline_regions,
            headline_signals=tuple(sorted({h.value for h in hits if h.start < in_title})),
            regions_left_out=left_out,
        )

    def _score(self, hits: list[Hit], found: set[str]) -> tuple[float, list[str]]:
        weights = self.rules.weights
        waived = self.rules.waived_by
        score = sum(weights[name] for name in found if not found.intersection(waived.get(name, ())))
        reasons = []
        for name in sorted(found):
            first = next(h for h in hits if h.value == name)
            reasons.append(f"{name} term {first.quoted()}")
        # A term stands where it is for what it implies: "privacy policy" is the data word
        # next to "AI features".
        standing = hits + [
            Hit(h.term, h.start, other, h.listed)
            for h in hits
            for other in self.rules.implies.get(h.value, ())
        ]
        for pair in self.rules.pairs:
            near = _nearest(standing, pair.first, pair.second, self.rules.proximity)
            if near is not None:
                score += pair.bonus
                reasons.append(f"{near[0].quoted()} near {near[1].quoted()}")
        return score, reasons

    def _reaction_to_its_rules(self, in_title: int, hits: list[Hit], found: set[str]) -> str | None:
        """Why the item is relevant alone, if its headline names the platform's own rules for
        its users and their reaction (see own_rules in the config), with nothing taken off its
        score (another topic, product news). The caller has seen a platform in the headline."""
        rules = self.rules
        if any(rules.weights[name] < 0 for name in found):
            return None
        headline = [h for h in hits if h.start < in_title]
        rule = next((h for h in headline if h.value in rules.own_rules), None)
        reaction = next((h for h in headline if h.value in rules.reaction_signals), None)
        if rule is None or reaction is None:
            return None
        return (
            f"relevant alone: its headline names the platform's rules {rule.quoted()} and a"
            f" reaction {reaction.quoted()}"
        )

    def read_event(self, item: ItemText) -> tuple[str, str, bool]:
        """What happened, if the item is about the subject: the kind, why, and whether it is
        only the feed's default. `classify` reads it for relevant items; a vague report read
        beside an open story (bot.stories.context) needs it too."""
        text = Tokens.of(f"{item.title}. {item.summary}" if item.summary else item.title)
        words = _without_lookalikes(text, self.rules.lookalikes)
        return self._events.read(item.title, item.feed_kind, words)

    def _platform_ids(self, hits: list[Hit]) -> tuple[tuple[str, ...], list[str]]:
        ids: dict[str, str] = {}
        for hit in hits:
            ids.setdefault(hit.value, hit.term)
        reasons = [f"platform {self._platform_names[p]} from '{t}'" for p, t in ids.items()]
        return tuple(sorted(ids)), reasons

    def _feed_platforms(self, item: ItemText) -> tuple[tuple[str, ...], list[str]]:
        """A platform's own feed speaks of "our terms" and "our members": the platform its
        name gives (Meta Newsroom, Slack blog) is the item's when the text names none, as a
        regulator's feed gives its region."""
        if item.feed_kind != "platform" or not item.feed_name:
            return (), []
        ids = sorted({hit.value for hit in self._platforms.find(Tokens.of(item.feed_name))})
        names = ", ".join(self._platform_names[p] for p in ids)
        return tuple(ids), [f"platform {names} from the feed ({item.feed_name})"] if ids else []

    def _named_regions(
        self, text: Tokens
    ) -> tuple[list[tuple[str, Hit]], tuple[str, ...], list[str]]:
        """Each region the text names, with the words that named it (a place names its
        country too); the regions it leaves out, and why."""
        named: list[tuple[str, Hit]] = []
        reasons: list[str] = []
        hits = self._regions.find(text)
        left_out = find_left_out(hits, text, self.rules.left_out)
        for hit in hits:
            if hit in left_out:
                reasons.append(f"region {hit.value} left out: '{left_out[hit]}'")
                continue
            named.append((hit.value, hit))
            parent = self._parents.get(hit.value)
            if parent:
                named.append((parent, hit))
        left_codes = tuple(dict.fromkeys(hit.value for hit in hits if hit in left_out))
        return named, left_codes, reasons

    def _regions_of(
        self, named: list[tuple[str, Hit]], item: ItemText
    ) -> tuple[tuple[str, ...], list[str]]:
        """The regions named; else the feed's region; else worldwide (GLOBAL)."""
        codes: dict[str, str] = {}
        for code, hit in named:
            codes.setdefault(code, hit.term)
        if codes:
            return tuple(sorted(codes)), [f"region {c} from '{t}'" for c, t in codes.items()]
        if item.feed_region:
            source = f" ({item.feed_name})" if item.feed_name else ""
            return (item.feed_region,), [f"region {item.feed_region} from the feed{source}"]
        return (GLOBAL,), ["no region named: global"]


def _without_lookalikes(text: Tokens, lookalikes: TermMatcher) -> Tokens:
    """The text with look-alike names blanked out, offsets kept: "Ray-Ban" is not "ban"."""
    blanked = text.text
    for hit in lookalikes.find(text):
        blanked = blanked[: hit.start] + " " * len(hit.term) + blanked[hit.end :]
    return text if blanked == text.text else Tokens.of(blanked)


def _words_of(term_lists: list[Iterable[str]]) -> frozenset[str]:
    """Every word of the generic terms: shared by all relevant items, so story grouping does
    not count them as evidence that two reports describe one event. A setting's name
    (signals marked `distinctive`) is kept: "Keep Activity" tells Gemini's change apart."""
    words: set[str] = set()
    for terms in term_lists:
        for term in terms:
            words.update(w.casefold() for w in re.findall(r"[^\W\d_]+", term))
    return frozenset(words)


def _nearest(hits: list[Hit], first: str, second: str, proximity: int) -> tuple[Hit, Hit] | None:
    """The closest pair of hits of two signals within `proximity` characters, if any."""
    best: tuple[int, Hit, Hit] | None = None
    for a in (h for h in hits if h.value == first):
        for b in (h for h in hits if h.value == second):
            if a.start == b.start:
                continue
            distance = abs(a.start - b.start)
            if distance <= proximity and (best is None or distance < best[0]):
                best = (distance, a, b)
    return (best[1], best[2]) if best else None
