"""What a report says happened: its event kind, read from its own words.

The title's event words win over the summary's (a summary tells the background); a title that
opens with a country acting, or names a regulator right before a pause word, is the
regulator's action rather than the platform's change or pause. With no event words at all,
the feed's default kind is only a guess, and the third value says so.
"""

from __future__ import annotations

from bot.settings.regions import RegionBook
from bot.settings.rules import ClassifierRules
from bot.terms import Hit, TermMatcher, Tokens
from bot.vocabulary import Event

# What a title opening with a state acting may have been read as: a platform's pause or change.
STATE_READINGS = frozenset({Event.PAUSE, Event.POLICY_CHANGE})


class EventReader:
    def __init__(self, rules: ClassifierRules, regions: RegionBook) -> None:
        self.rules = rules
        # A country's own names, for a title that opens with the state acting.
        self._state_names = TermMatcher(
            (name, r.code)
            for r in regions.regions.values()
            if not r.is_group
            for name in (r.name, *r.aliases)
            if len(name) > 3
        )
        self._pause_words = [matcher for event, matcher in rules.events if event == Event.PAUSE]

    def read(self, title: str, feed_kind: str | None, words: Tokens) -> tuple[str, str, bool]:
        """The kind, why, and whether it is only the feed's default. `words` is the whole text
        (title first) with look-alike names blanked."""
        event, reason, guessed = self._find_event(title, feed_kind, words)
        state = self._state_acting(title) if event in STATE_READINGS else None
        if state is not None:
            return (
                Event.REGULATOR_ACTION,
                f"event {Event.REGULATOR_ACTION}: the title opens with {state} acting",
                False,
            )
        acting = self._regulator_pausing(title) if event == Event.PAUSE else None
        if acting is not None:
            return (
                Event.REGULATOR_ACTION,
                f"event {Event.REGULATOR_ACTION}: '{acting}', the regulator acting",
                False,
            )
        return event, reason, guessed

    def _state_acting(self, title: str) -> str | None:
        """The country a title opens with as the one acting ("Brazil suspends Meta's new
        privacy policy"): its name then a lower-case word (a verb, in headlines), not its
        possessive, not a capitalised name ("Brazil ANPD ...") and not one of its people
        ("UK users too: ..."). See state_subject in the config."""
        opening = next((h for h in self._state_names.find(title) if h.start == 0), None)
        if opening is None:
            return None
        rest = title[opening.end :]
        if not rest.startswith(" ") or rest[1:2].isupper():
            return None
        after = self.rules.not_the_state.find(rest.lstrip())
        if any(h.start == 0 for h in after):
            return None
        return title[: opening.end]

    def _regulator_pausing(self, title: str) -> str | None:
        """A pause word right after a regulator's name ("Brazil's ANPD suspends Meta's
        policy"): the regulator suspends something itself. See acting_signals."""
        text = Tokens.of(title)
        acting = self.rules.acting_signals
        regulators = [h for h in self.rules.signals.find(text) if h.value in acting]
        pauses = (hit for matcher in self._pause_words for hit in matcher.find(text))
        for pause in pauses:
            for name in regulators:
                if 0 <= pause.start - name.end <= 1:
                    return f"{name.term} {pause.term}"
        return None

    def _find_event(self, title: str, feed_kind: str | None, text: Tokens) -> tuple[str, str, bool]:
        """The title says what happened; a summary tells the background ("noyb had filed
        complaints the week before", "the bots kept coming after it said it had stopped"),
        so its terms count only when the title has none. The text starts with the title.
        With no event words at all, the feed's default kind is a guess (the third value)."""
        from_summary: tuple[str, Hit] | None = None
        first = self.rules.event_entries.first_hits(text)
        for position, (event, _) in enumerate(self.rules.events):
            hit = first.get(str(position))
            if hit is not None and hit.start < len(title):
                return event, f"event {event} from {hit.quoted()}", False
            if hit is not None and from_summary is None:
                from_summary = (event, hit)
        if from_summary is not None:
            event, hit = from_summary
            return event, f"event {event} from {hit.quoted()}", False
        fallback = Event.REGULATOR_ACTION if feed_kind == "regulator" else Event.POLICY_CHANGE
        return fallback, f"event {fallback} by default for a {feed_kind or 'news'} feed", True
