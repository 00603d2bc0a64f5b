"""The regions a text leaves out: those listed after a `before` word ("outside the EU, EEA
and Switzerland") and those listed before an `after` word ("users in the EU and Switzerland
are excluded"). Both read a list the same way: regions a short gap apart, joined by the
configured joining words and articles. Pure: hits and text in, hits out.
"""

from __future__ import annotations

import re

from bot.settings.left_out import LeftOut
from bot.terms import Hit, Tokens

# Characters at most between the last region listed and an `after` word: a space, or a
# comma and a space. Words between ("EU users are excluded") make the list something else's.
AFTER_GAP = 2
_WORD = re.compile(r"[^\W\d_]+'?")
_NOT_A_LIST_GAP = re.compile(r"[^\W\d_]+'?|[\s,;/&]")


def find_left_out(regions: list[Hit], text: Tokens, rule: LeftOut) -> dict[Hit, str]:
    """Region hits that a word leaves out, with that word as written."""
    found: dict[Hit, str] = {}
    ordered = sorted(regions, key=lambda h: h.start)
    for word in rule.words.find(text):
        if word.value == "after":
            listed = _listed_before(word.start, ordered, text, rule)
        else:
            listed = _listed_after(word.end, ordered, text, rule)
        # A name that stands for two regions (the DPC: IE and EU) leaves out both.
        spans = {(h.start, h.term) for h in listed}
        found.update((h, word.term) for h in ordered if (h.start, h.term) in spans)
    return found


def _listed_after(start: int, ordered: list[Hit], text: Tokens, rule: LeftOut) -> list[Hit]:
    """The regions listed from `start` on, the first within `reach`. A gap of articles alone
    (", the UK") joins only when the list goes on past it, as "the EU, the UK or South Korea"
    does and "outside the EU, the UK regulator says" does not."""
    listed: list[tuple[Hit, bool]] = []  # (region, reached over articles alone)
    end, reach = start, rule.reach
    for hit in ordered:
        if hit.start < end:
            continue
        gap = text.text[end : hit.start]
        if len(gap) > reach:
            break
        joins = _joins(gap, rule) if listed else "plain"
        if joins is None:
            break
        listed.append((hit, joins == "articles"))
        end, reach = hit.end, rule.list_gap
    while listed and listed[-1][1]:
        listed.pop()
    return [hit for hit, _ in listed]


def _listed_before(start: int, ordered: list[Hit], text: Tokens, rule: LeftOut) -> list[Hit]:
    """The regions listed up to `start`, the last right before it, read backwards: "the EU,
    the EEA and Switzerland are excluded". As after a `before` word, a gap of articles alone
    joins only when a joining word follows it in the list: "in the EU; the UK is excluded"
    leaves out the UK alone."""
    listed: list[Hit] = []
    joined = False  # a joining word stands between the regions listed so far
    end, reach = start, AFTER_GAP
    for hit in reversed(ordered):
        if hit.end > end:
            continue
        gap = text.text[hit.end : end]
        if len(gap) > reach:
            break
        joins = _joins(gap, rule) if listed else "plain"
        if joins is None or (joins == "articles" and not joined):
            break
        joined = joined or joins == "joining"
        listed.append(hit)
        end, reach = hit.start, rule.list_gap
    return listed[::-1]


def _joins(gap: str, rule: LeftOut) -> str | None:
    """How a gap joins two regions of a list: with a joining word (" and the "), with
    articles alone (", the "), plainly (", "); None when it ends the list (", while ").
    An older config with neither joining words nor articles: any short gap joins plainly."""
    if not (rule.joining or rule.articles):
        return "plain"
    words = [w.casefold() for w in _WORD.findall(gap)]
    if _NOT_A_LIST_GAP.sub("", gap) or not all(
        w in rule.joining or w in rule.articles for w in words
    ):
        return None
    if any(w in rule.joining for w in words):
        return "joining"
    return "articles" if words else "plain"
