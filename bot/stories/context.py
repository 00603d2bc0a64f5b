"""A report too brief to judge alone, read beside the stories open when it came.

"Udemy instructors are enrolled in its generative AI programme unless they leave by 12
September" names no use of anyone's data, so on its own it is not this bot's subject; the
day after "Udemy will use instructors' courses to train AI" it is plainly that story told
again. Such a report is relevant when it fits an open story far better than joining needs:
the platform its headline names, a kind read from its own words, the same days and place,
shared headline words. It can only join a story, never open one, so it never makes an alert
of its own.
"""

from __future__ import annotations

from dataclasses import replace

from bot.classify import Classifier, ItemText
from bot.models import Judgement
from bot.stories.grouping import OpenStories, best_story, decide_story, signature_of

# Joining needs 0.7 (JOIN_SCORE). In the tune set this finds 10 reports, each one of the
# story it joined, and none of the negatives; in sets sampled from it like a small
# hand-written set (20 draws), 13 of 13. Between 1.1 and 1.2 lay other news of the same
# platform and days (a fine over blue checks beside the Grok inquiry).
CONTEXT_SCORE = 1.2
# And its headline must share words with the story's: other news of the same platform, place
# and day (a fine over blue checks) shares one at most ("over").
MIN_SHARED_WORDS = 2
# Its own words must lean towards the subject: product news and publishers' copyright fights
# score below this.
MIN_OWN_SCORE = 0.5


def judged_in_context(
    classifier: Classifier,
    text: ItemText,
    judgement: Judgement,
    seen_at: int,
    stories: OpenStories,
) -> Judgement:
    """The judgement, made relevant when the item plainly continues an open story."""
    if judgement.relevant or not judgement.headline_platforms:
        return judgement
    if judgement.score < MIN_OWN_SCORE:
        return judgement
    event, event_reason, guessed = classifier.read_event(text)
    if guessed:
        return judgement
    candidate = replace(judgement, relevant=True, event=event)
    signature = signature_of(candidate, text.title, seen_at, classifier.common_words)
    best = best_story(signature, stories)
    if best is None or best[0] < CONTEXT_SCORE:
        return judgement
    if len(signature.words & stories.get(best[1]).words) < MIN_SHARED_WORDS:
        return judgement
    why = decide_story(signature, stories).why
    context = f"relevant beside an open story it continues: {why}"
    return replace(candidate, reasons=(*judgement.reasons, event_reason, context))
