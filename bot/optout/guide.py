"""The opt-out guide: for a platform and a region, what people there should do, and how sure
we are. It only repeats config/optout.yaml; it never invents a step."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime

from bot.replies import Field, Reply, problem, unknown
from bot.settings.optout import Advice, GuideEntry, OptoutBook
from bot.settings.platforms import PlatformBook
from bot.settings.regions import RegionBook, normalise
from bot.vocabulary import GLOBAL

STALE_DAYS = 180


def _today() -> date:
    return datetime.now(UTC).date()


class Guide:
    def __init__(
        self,
        book: OptoutBook,
        platforms: PlatformBook,
        regions: RegionBook,
        today: Callable[[], date] = _today,
    ) -> None:
        self.book = book
        self.platforms = platforms
        self.regions = regions
        self._today = today

    def find(self, name: str) -> GuideEntry | None:
        """The entry a person meant: guide aliases, then platform names, aliases and typos."""
        key = normalise(name)
        platform_id = self.book.by_alias.get(key) or self.platforms.resolve(key)
        if platform_id is None:
            close = difflib.get_close_matches(key, list(self.book.by_alias), n=1, cutoff=0.8)
            platform_id = self.book.by_alias[close[0]] if close else None
        return self.book.entries.get(platform_id) if platform_id else None

    def closest(self, name: str) -> list[str]:
        """Guide entries whose names look like `name`, for "not in the guide" replies."""
        ids = [p for p in self.platforms.suggest(name, limit=6) if p in self.book.entries]
        close = difflib.get_close_matches(normalise(name), list(self.book.by_alias), n=3)
        ids += [self.book.by_alias[alias] for alias in close]
        return list(dict.fromkeys(ids))[:3]

    def advice_for(self, entry: GuideEntry, region: str) -> Advice:
        """The most specific advice whose regions contain `region`; GLOBAL otherwise."""
        best: tuple[int, Advice] | None = None
        fallback = entry.advice[0]
        for advice in entry.advice:
            for code in advice.regions:
                if code == GLOBAL:
                    fallback = advice
                    continue
                inside = self.regions.expand_down(code)
                if region in inside and (best is None or len(inside) < best[0]):
                    best = (len(inside), advice)
        return best[1] if best else fallback

    def is_stale(self, advice: Advice) -> bool:
        return advice.checked is None or (self._today() - advice.checked).days > STALE_DAYS

    def reply(self, platform: str, region: str | None) -> Reply:
        """`/optout`: the steps for one region, or every region's advice when none is given."""
        entry = self.find(platform)
        if entry is None:
            return self._not_in_guide(platform)
        if region is None:
            return self._all_regions(entry)
        code = self.regions.resolve(region)
        if code is None:
            return unknown_region(self.regions, region)
        return self._one_region(entry, code)

    def hint(self, platform_id: str, region: str) -> str | None:
        """One line for an alert: what the story means for people in `region`."""
        entry = self.book.entries.get(platform_id)
        if entry is None:
            return None
        advice = self.advice_for(entry, region)
        where = "worldwide" if region == GLOBAL else f"in {region}"
        line = f"{entry.name} {where}: {advice.status.summary}"
        if advice.status.action and advice.steps:
            line += f" {advice.steps[0]}"
        return f"{line} (/optout {platform_id})"

    def _one_region(self, entry: GuideEntry, code: str) -> Reply:
        advice = self.advice_for(entry, code)
        fields = [*self._advice_fields(advice)]
        elsewhere = [a for a in entry.advice if a is not advice and a.status != advice.status]
        if elsewhere:
            fields.append(Field("Elsewhere", "\n".join(self._summary_line(a) for a in elsewhere)))
        fields += self._trust_fields(entry, [advice])
        return Reply(
            title=f"{entry.name}: AI training in {self.regions.name(code)}",
            text=self._status_text(advice),
            fields=tuple(fields),
            links=advice.sources,
        )

    def _all_regions(self, entry: GuideEntry) -> Reply:
        fields = [Field(_region_list(a.regions), self._status_text(a)) for a in entry.advice]
        fields += self._trust_fields(entry, entry.advice)
        return Reply(
            title=f"{entry.name}: AI training by region",
            text="Name a region for the details, e.g. "
            f"`/optout {entry.id} UK` or `/optout {entry.id} US`.",
            fields=tuple(fields),
            links=tuple(dict.fromkeys(s for a in entry.advice for s in a.sources)),
        )

    def _status_text(self, advice: Advice) -> str:
        lines = [advice.status.summary]
        if advice.steps:
            lines += [f"{n}. {step}" for n, step in enumerate(advice.steps, start=1)]
        if advice.link:
            lines.append(f"Direct link: {advice.link}")
        return "\n".join(lines)

    def _advice_fields(self, advice: Advice) -> Iterable[Field]:
        if advice.setting:
            yield Field("Setting", advice.setting)
        if advice.caveats:
            yield Field("Good to know", "\n".join(f"- {c}" for c in advice.caveats))

    def _summary_line(self, advice: Advice) -> str:
        return f"{_region_list(advice.regions)}: {advice.status.summary}"

    def _trust_fields(self, entry: GuideEntry, shown: Iterable[Advice]) -> list[Field]:
        dates = []
        for advice in shown:
            dates.append(f"{_region_list(advice.regions)}: {self._age(advice)}")
        fields = [Field("Last checked", "\n".join(dates))]
        if entry.unsure:
            fields.append(Field("Not confirmed", entry.unsure))
        return fields

    def _age(self, advice: Advice) -> str:
        if advice.checked is None:
            return "the sources carry no date: check them before relying on this"
        days = (self._today() - advice.checked).days
        if days > STALE_DAYS:
            return f"{advice.checked_text}, {days} days ago: it may have changed, check the sources"
        return advice.checked_text

    def _not_in_guide(self, name: str) -> Reply:
        known = self.platforms.resolve(name)
        if known is not None:  # a platform we watch, with no verified steps yet
            return problem(
                f"{self.platforms.name(known)} is not in the opt-out guide yet",
                "We watch its news but have no verified steps. "
                f"Platforms in the guide: {', '.join(sorted(self.book.entries))}.",
            )
        closest = self.closest(name)
        hint = f"Did you mean: {', '.join(closest)}?" if closest else "See `/aiwatch help`."
        return problem(f"'{name}' is not in the opt-out guide", hint)


def unknown_region(regions: RegionBook, text: str) -> Reply:
    examples = "a code or name such as UK, EU, EEA, US, BR, DE or Germany"
    return unknown("region", text, regions.suggest(text), examples)


def _region_list(codes: Iterable[str]) -> str:
    return ", ".join("everywhere else" if c == GLOBAL else c for c in codes)
