"""The regions a text leaves out: those listed after a `before` word ("outside the EU, EEA
and Switzerland") and the one right before an `after` word ("Europäer ausgenommen"). Pure:
hits and text in, hits out.
"""

from __future__ import annotations

import re

from bot.settings.rules import LeftOut
from bot.terms import Hit, Tokens

# Characters at most between a region's name and an `after` word: a space, or ", ".
AFTER_GAP = 2


def find_left_out(regions: list[Hit], text: Tokens, rule: LeftOut) -> dict[Hit, str]:
    """Region hits that a nearby word leaves out, with that word as written."""
    found: dict[Hit, str] = {}
    ordered = sorted(regions, key=lambda h: h.start)
    for word in rule.words.find(text):
        if word.value == "after":
            found.update((h, word.term) for h in ordered if 0 <= word.start - _end(h) <= AFTER_GAP)
            continue
        found.update((h, word.term) for h in _listed_after(_end(word), ordered, text, rule))
    return found


def _listed_after(start: int, ordered: list[Hit], text: Tokens, rule: LeftOut) -> list[Hit]:
    """The regions listed from `start` on. A gap of articles alone (", the UK") joins only
    when the list goes on past it, as "the EU, the UK or South Korea" does and "outside the
    EU, the UK regulator says" does not."""
    listed: list[tuple[Hit, bool]] = []  # (region, reached over articles alone)
    checked = bool(rule.joining or rule.articles)  # an older config: any short gap joins
    end, reach = start, rule.reach
    for hit in ordered:
        if hit.start < end:
            continue
        gap = text.text[end : hit.start]
        if len(gap) > reach:
            break
        words = [w.casefold() for w in re.findall(r"[^\W\d_]+'?", gap)]
        if (
            listed
            and checked
            and (
                re.sub(r"[^\W\d_]+'?|[\s,;/&]", "", gap)
                or not all(w in rule.joining or w in rule.articles for w in words)
            )
        ):
            break
        articles_alone = bool(listed and words) and not any(w in rule.joining for w in words)
        listed.append((hit, checked and articles_alone))
        end, reach = _end(hit), rule.list_gap
    while listed and listed[-1][1]:
        listed.pop()
    return [hit for hit, _ in listed]


def _end(hit: Hit) -> int:
    return hit.start + len(hit.term)
