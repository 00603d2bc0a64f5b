"""A report too brief to judge alone, read beside the stories open when it came.

"Udemy instructors are enrolled in its generative AI programme unless they leave by 12
September" names no use of anyone's data, so on its own it is not this bot's subject; the
day after "Udemy will use instructors' courses to train AI" it is plainly that story told
again. So is "X updates its privacy policy again" the day after X's policy lets others train
AI on posts; and "LinkedIn mění podmínky užití" while LinkedIn's change for Europe is news.
Such a report is relevant when it continues an open story in one of three ways: it fits the
story far better than joining needs (the platform its headline names, a kind read from its
own words, the same days and place, shared headline words, or instead of shared words the
story's platforms and kind in one of its countries, as a headline in another language tells
it); its headline names the
platform's rules for its users' data (signals marked `policy`) on the first days of that
platform's own change; or, while that story is open, its headline tells the platform
changing what is its users' (`change_subjects`: its terms, settings, their content). It can
only join a story, never open one, so it never makes an alert of its own.
"""

from __future__ import annotations

from dataclasses import replace

from bot.classify import Classifier, ItemText
from bot.models import Judgement, StorySignature
from bot.stories.grouping import OpenStories, decide_story, signature_of
from bot.stories.kinds import PLATFORMS_OWN
from bot.stories.weights import WEIGHTS
from bot.vocabulary import GLOBAL, Event

# The thresholds are WEIGHTS.context* (bot.stories.weights). A headline naming the platform's
# privacy policy, fine print or objecting counts on the first days (WEIGHTS.first_days) of
# that platform's change, pause or opt-out story: in the tune set 4 reports, sampled like a
# small set 8, in blind batches 8, all of their story, and no negative. Its terms and
# privacy settings are not enough: "updates its terms for advertisers" and "privacy settings:
# how to hide your friend list" took six negatives in two blind batches.
POLICY_KINDS = PLATFORMS_OWN


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
    if judgement.score < WEIGHTS.context_own_score:
        return judgement
    event, event_reason, guessed = classifier.read_event(text)
    signature = signature_of(
        replace(judgement, relevant=True, event=event), text.title, seen_at, classifier.common_words
    )
    decision = decide_story(signature, stories)  # joins only from WEIGHTS.join on
    if decision.story_id is None:
        return judgement
    story = stories.get(decision.story_id)
    close = not guessed and decision.score >= WEIGHTS.context
    if close and _shares_words(signature, story):
        how = "it continues"
    elif close and _agrees_in_full(signature, story, stories):
        how = "it continues, told as the story was, of its platform and place"
    elif _tells_its_policy(classifier, judgement, signature, story):
        how = "its headline names the platform's rules on the story's first days"
        if guessed:  # no kind of its own: it is told as the story's event
            event = story.event or event
            event_reason = f"event {event} from the story it continues"
            decision = decide_story(replace(signature, event=event), stories)
    elif not guessed and _tells_a_change(classifier, judgement, signature, story):
        how = "its headline tells the platform changing what is its users' while it is open"
    else:
        return judgement
    return replace(
        judgement,
        relevant=True,
        event=event,
        event_guessed=False,
        reasons=(
            *judgement.reasons,
            event_reason,
            f"relevant beside an open story, {how}: {decision.why}",
        ),
    )


def _shares_words(item: StorySignature, story: StorySignature) -> bool:
    return len(item.words & story.words) >= WEIGHTS.context_shared_words


def _agrees_in_full(item: StorySignature, story: StorySignature, stories: OpenStories) -> bool:
    """Told of the same platforms in the same countries, and of the kind its own words give
    the story: a headline in another language shares none of its words ("Italia stengjer ute
    DeepSeek" the day the Garante's order on DeepSeek is news). Countries only: the EU acts
    on a large platform for many reasons at once ("X fined by EU over blue checks" while the
    EU's questions on Grok's training are news), a country's regulator seldom does."""
    groups = frozenset().union(*stories.enclosing.values())
    return (
        item.event == story.event
        and item.platforms == story.platforms
        and bool(item.regions)
        and item.regions <= story.regions
        and item.regions.isdisjoint(groups | {GLOBAL})
    )


def _tells_its_policy(
    classifier: Classifier, judgement: Judgement, item: StorySignature, story: StorySignature
) -> bool:
    """The headline names the platform's rules for its users' data, on the first days of
    that same platform's change, pause or opt-out story (all its days, for advice on
    objecting)."""
    return (
        bool(classifier.rules.policy_signals.intersection(judgement.headline_signals))
        and judgement.score >= WEIGHTS.context_policy_score
        and story.event in POLICY_KINDS
        and item.platforms == story.platforms
        and 0 <= item.seen_at - story.started_at() <= _policy_window(item)
    )


def _tells_a_change(
    classifier: Classifier, judgement: Judgement, item: StorySignature, story: StorySignature
) -> bool:
    """A change of the platform's own (its words say so: not a guessed kind) to what is its
    users', while that same platform's change, pause or opt-out story is open: "Adobe
    își modifică din nou termenii de utilizare" days after Adobe's new terms."""
    return (
        item.event == Event.POLICY_CHANGE
        and judgement.score >= WEIGHTS.context_policy_score
        and bool(classifier.rules.change_subjects.intersection(judgement.headline_signals))
        and story.event in POLICY_KINDS
        and item.platforms == story.platforms
        and 0 <= item.seen_at - story.seen_at <= WEIGHTS.open_seconds
    )


def _policy_window(item: StorySignature) -> int:
    """Advice on objecting follows a change all the while it is open: "How to fill in Meta's
    objection form before June 26" three days after Meta's notices, "UK Facebook users get
    ... an objection form" three days after its restart (blind batch 83); no tune or blind
    negative was taken by it."""
    return WEIGHTS.open_seconds if item.event == Event.OPT_OUT else WEIGHTS.first_days_seconds
