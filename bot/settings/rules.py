"""config/classifier.yaml read and validated into compiled rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.errors import ConfigProblem
from bot.inflections import Inflections
from bot.models import FEED_KINDS
from bot.settings.inflected import load_inflections
from bot.settings.left_out import LeftOut, load_left_out
from bot.settings.rule_fields import by_language, listings, name_endings, number, signal_names
from bot.terms import Listed, TermMatcher, term_words
from bot.vocabulary import EVENT_KINDS
from bot.yamlfile import FileChecks


@dataclass(frozen=True)
class Pair:
    first: str
    second: str
    bonus: float


@dataclass(frozen=True)
class ClassifierRules:
    threshold: float
    proximity: int
    required: tuple[str, ...]
    weights: Mapping[str, float]
    implies: Mapping[str, tuple[str, ...]]  # finding this signal counts as finding those too
    # A signal's weight does not count when one of these signals is found too: a launch
    # that adds an objection form is privacy news, not product news.
    waived_by: Mapping[str, tuple[str, ...]]
    feed_kinds: Mapping[str, tuple[float, tuple[str, ...]]]  # kind -> (weight, implied signals)
    signals: TermMatcher  # term -> signal name
    # Signals marked `policy`: the words a platform's rules for its users' data go by (its
    # privacy policy, its fine print, objecting). A headline naming them beside the platform's
    # change is that change told again (bot.stories.context).
    policy_signals: frozenset[str]
    # Terms of the signals not marked `distinctive`: topic words every relevant item shares,
    # which story grouping does not count as evidence that two reports are one event.
    generic_terms: tuple[str, ...]
    pairs: tuple[Pair, ...]
    events: tuple[tuple[str, TermMatcher], ...]
    # Every event entry's terms in one matcher, each standing for its entry's position
    # ("0", "1", ...): the classifier reads all entries in one pass.
    event_entries: TermMatcher
    left_out: LeftOut
    # Names that hold a term but mean none ("Ray-Ban" is no ban): read past by signals and
    # events, still seen by platforms and regions.
    lookalikes: TermMatcher
    # Words after a title's opening country name that make it the country's people rather
    # than the state acting ("UK users too: ..."); see state_subject in the config.
    not_the_state: TermMatcher
    # Signals that name regulators: a pause word right after one is the regulator acting.
    acting_signals: frozenset[str] = frozenset()
    # What a platform changes that is its users' (its terms, settings, their content): a
    # brief report of such a change continues that platform's open story.
    change_subjects: frozenset[str] = frozenset()
    # A platform's own rules for its users (its terms, its privacy policy) and its users'
    # reaction: a headline naming the platform, one of each, is relevant alone.
    own_rules: frozenset[str] = frozenset()
    reaction_signals: frozenset[str] = frozenset()
    # The languages the classifier reads: those with terms for every required signal.
    languages: frozenset[str] = frozenset()
    # Endings a capitalised name takes in inflected languages ("Grokin"): bot.names.
    name_endings: frozenset[str] = frozenset()


def load_rules(path: Path) -> tuple[ClassifierRules | None, list[ConfigProblem]]:
    checks = FileChecks(path)
    data = checks.load()
    if data is None:
        return None, checks.problems
    if not isinstance(data, Mapping):
        checks.add("", "", "expected a mapping with threshold, signals, pairs and events")
        return None, checks.problems
    threshold = number(checks, data, "threshold")
    proximity = number(checks, data, "proximity")
    inflections = load_inflections(checks, data)
    endings = name_endings(checks, data.get("name_endings"))
    signals = _signals(checks, data.get("signals"), inflections)
    required = _names(checks, "", data, "required")
    for name in required:
        if name not in signals.weights:
            checks.add("required", name, "names no signal in 'signals'")
    languages = _languages_read(signals, required)
    pairs = _pairs(checks, data.get("pairs") or [], signals.weights)
    feed_kinds = _feed_kinds(checks, data.get("feed_kinds") or {}, signals.weights)
    events, event_entries = _events(checks, data.get("events"), inflections)
    left_out = load_left_out(checks, data.get("left_out"), inflections)
    lookalikes = _optional_terms(checks, "lookalikes", data.get("lookalikes"), inflections)
    not_the_state = _optional_terms(checks, "state_subject", data.get("state_subject"), inflections)
    named = {
        key: signal_names(checks, key, data.get(key), signals.weights)
        for key in ("acting_signals", "change_subjects", "own_rules", "reaction_signals")
    }
    if checks.problems:
        return None, checks.problems
    rules = ClassifierRules(
        threshold=threshold,
        proximity=int(proximity),
        required=required,
        weights=signals.weights,
        implies=signals.implies,
        waived_by=signals.waived_by,
        feed_kinds=feed_kinds,
        signals=TermMatcher(signals.listings, name_endings=endings),
        policy_signals=frozenset(signals.policy),
        generic_terms=tuple(signals.generic_terms),
        pairs=pairs,
        events=events,
        event_entries=event_entries,
        left_out=left_out,
        lookalikes=lookalikes,
        not_the_state=not_the_state,
        acting_signals=named["acting_signals"],
        change_subjects=named["change_subjects"],
        own_rules=named["own_rules"],
        reaction_signals=named["reaction_signals"],
        languages=languages,
        name_endings=endings,
    )
    return rules, []


@dataclass
class _Signals:
    """What the `signals` section says, signal by signal."""

    weights: dict[str, float] = field(default_factory=dict)
    implies: dict[str, tuple[str, ...]] = field(default_factory=dict)
    waived_by: dict[str, tuple[str, ...]] = field(default_factory=dict)
    terms: list[tuple[str, str]] = field(default_factory=list)  # (term, signal)
    listings: list[tuple[str, str] | Listed] = field(default_factory=list)  # for the matcher
    # The words of signals not `distinctive`, and their other forms in inflected languages
    generic_terms: list[str] = field(default_factory=list)
    policy: set[str] = field(default_factory=set)  # signals marked `policy`
    languages: dict[str, frozenset[str]] = field(default_factory=dict)  # with terms, per signal


def _signals(checks: FileChecks, raw: Any, inflections: Inflections) -> _Signals:
    signals = _Signals()
    if not isinstance(raw, Mapping) or not raw:
        checks.add("", "signals", "expected a mapping of signal name -> weight and terms")
        return signals
    for name, spec in raw.items():
        entry = f"signal {name}"
        if not isinstance(spec, Mapping):
            checks.add(entry, "", "expected weight and terms")
            continue
        signals.weights[str(name)] = number(checks, spec, "weight")
        signals.implies[str(name)] = _names(checks, entry, spec, "implies")
        signals.waived_by[str(name)] = _names(checks, entry, spec, "waived_by")
        own = by_language(checks, entry, spec.get("terms"))
        signals.languages[str(name)] = frozenset(language for language, _ in own)
        signals.terms.extend((t, str(name)) for _, t in own)
        signals.listings.extend(listings(checks, entry, spec.get("terms"), str(name), inflections))
        if not _flag(checks, entry, spec, "distinctive"):
            signals.generic_terms.extend(_with_forms(own, inflections))
        if _flag(checks, entry, spec, "policy"):
            signals.policy.add(str(name))
    for field_name in ("implies", "waived_by"):
        for name, others in getattr(signals, field_name).items():
            for other in others:
                if other not in raw:
                    checks.add(f"signal {name}", field_name, f"'{other}' names no signal")
    _check_shared_terms(checks, signals.terms)
    return signals


def _languages_read(signals: _Signals, required: tuple[str, ...]) -> frozenset[str]:
    """The languages with terms for every required signal (with none required, any)."""
    per_signal = [signals.languages.get(name, frozenset()) for name in required]
    if not per_signal:
        return frozenset().union(*signals.languages.values())
    return frozenset.intersection(*per_signal)


def _flag(checks: FileChecks, entry: str, spec: Mapping[str, Any], field_name: str) -> bool:
    """An optional true/false key of a signal; false when absent or wrong (and said)."""
    value = spec.get(field_name, False)
    if not isinstance(value, bool):
        checks.add(entry, field_name, f"expected true or false, got {value!r}")
        return False
    return value


def _names(
    checks: FileChecks, entry: str, spec: Mapping[str, Any], field_name: str
) -> tuple[str, ...]:
    """A list of signal names (required, implies, waived_by); empty when absent."""
    names = spec.get(field_name) or []
    if not isinstance(names, list):
        checks.add(entry, field_name, "expected a list of signal names")
        return ()
    return tuple(str(name) for name in names)


def _with_forms(own: list[tuple[str, str]], inflections: Inflections) -> list[str]:
    """The terms, and every form of their words in inflected languages."""
    found = [term for _, term in own]
    for language, term in own:
        if (forms := inflections.for_language(language)) is not None:
            found.extend(form for word in term_words(term) for form in forms.of(word))
    return found


def _check_shared_terms(checks: FileChecks, terms: list[tuple[str, str]]) -> None:
    """A term in two signals would add both weights for one word (a term listed for two
    values stands for both), a double count no one would see: say so instead."""
    owner: dict[str, str] = {}
    for term, signal in terms:
        first = owner.setdefault(term.casefold(), signal)
        if first != signal:
            checks.add(f"signal {signal}", "terms", f"'{term}' is also a term of signal {first}")


def _feed_kinds(
    checks: FileChecks, raw: Any, weights: Mapping[str, float]
) -> dict[str, tuple[float, tuple[str, ...]]]:
    kinds: dict[str, tuple[float, tuple[str, ...]]] = {}
    if not isinstance(raw, Mapping):
        checks.add("", "feed_kinds", "expected a mapping of feed kind -> weight and implies")
        return kinds
    for kind, spec in raw.items():
        entry = f"feed kind {kind}"
        if kind not in FEED_KINDS:
            checks.add(entry, "", f"expected one of {list(FEED_KINDS)}")
            continue
        if not isinstance(spec, Mapping):
            checks.add(entry, "", "expected weight and implies")
            continue
        implied = _names(checks, entry, spec, "implies")
        for name in implied:
            if name not in weights:
                checks.add(entry, "implies", f"'{name}' names no signal")
        kinds[str(kind)] = (number(checks, spec, "weight"), implied)
    return kinds


def _pairs(checks: FileChecks, raw: Any, weights: Mapping[str, float]) -> tuple[Pair, ...]:
    pairs = []
    for index, spec in enumerate(raw if isinstance(raw, list) else [], start=1):
        names = spec.get("signals") if isinstance(spec, Mapping) else None
        if not (
            isinstance(names, list)
            and len(names) == 2
            and all(isinstance(n, str) and n in weights for n in names)  # [a] is no name
        ):
            checks.add(f"pair #{index}", "signals", "expected two signal names from 'signals'")
            continue
        pairs.append(Pair(names[0], names[1], number(checks, spec, "bonus")))
    return tuple(pairs)


def _events(
    checks: FileChecks, raw: Any, inflections: Inflections
) -> tuple[tuple[tuple[str, TermMatcher], ...], TermMatcher]:
    if not isinstance(raw, list):
        checks.add("", "events", "expected an ordered list of {event, terms}")
        return (), TermMatcher(())
    events = []
    entries: list[tuple[str, str] | Listed] = []
    for index, spec in enumerate(raw, start=1):
        entry = f"event #{index}"
        event = spec.get("event") if isinstance(spec, Mapping) else None
        if event not in EVENT_KINDS:
            checks.add(entry, "event", f"expected one of {list(EVENT_KINDS)}, got {event!r}")
            continue
        words = listings(checks, f"{entry} ({event})", spec.get("terms"), event, inflections)
        events.append((str(event), TermMatcher(words)))
        position = str(len(events) - 1)
        entries.extend(
            Listed(w.text, position, w.forms) if isinstance(w, Listed) else (w[0], position)
            for w in words
        )
    return tuple(events), TermMatcher(entries)


def _optional_terms(
    checks: FileChecks, section: str, raw: Any, inflections: Inflections
) -> TermMatcher:
    """An optional section of terms per language (lookalikes, state_subject); empty
    without it: then every term is read where it occurs."""
    if raw is None:
        return TermMatcher(())
    return TermMatcher(listings(checks, section, raw, section, inflections))
