"""A report too vague to judge alone, read beside the stories open when it came."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.batch import InputItem, judge_in_order
from bot.classify import Classifier, ItemText
from bot.settings import Config

CHANGE = ("2024-08-20", "Udemy will use instructors' courses to train AI unless they leave its "
          "generative AI programme")  # fmt: skip
FOLLOW_UP = ("2024-08-21", "Udemy instructors are enrolled in its generative AI programme "
             "unless they leave by 12 September")  # fmt: skip
SAME_DAYS_OTHER_NEWS = [
    ("2024-08-21", "Udemy launches an AI assistant to help learners pick courses"),
    ("2024-08-21", "Instructors can now use AI to generate course quizzes on Udemy"),
]


@pytest.fixture(scope="module")
def classifier(config: Config) -> Classifier:
    return Classifier(config.rules, config.platforms, config.regions)


def judged(classifier: Classifier, reports: list[tuple[str, str]]) -> list[tuple[bool, int | None]]:
    items = [
        InputItem(n, ItemText(title), datetime.fromisoformat(day).replace(tzinfo=UTC))
        for n, (day, title) in enumerate(reports)
    ]
    return [(p.judgement.relevant, p.story_id) for p in judge_in_order(items, classifier).placed]


def test_alone_a_vague_report_is_not_the_subject(classifier: Classifier):
    """ "Enrolled in its AI programme" says nothing of people's data on its own."""
    assert not classifier.classify(ItemText(FOLLOW_UP[1])).relevant
    assert judged(classifier, [FOLLOW_UP]) == [(False, None)]


def test_beside_the_story_it_continues_it_is_relevant_and_joins_it(classifier: Classifier):
    """The day after Udemy's change, the same programme, instructors and deadline: the same
    event, told more briefly. It joins that story and says why."""
    assert judged(classifier, [CHANGE, FOLLOW_UP]) == [(True, 1), (True, 1)]
    items = [
        InputItem(n, ItemText(title), datetime.fromisoformat(day).replace(tzinfo=UTC))
        for n, (day, title) in enumerate([CHANGE, FOLLOW_UP])
    ]
    reasons = judge_in_order(items, classifier).placed[1].judgement.reasons
    assert any(r.startswith("relevant beside an open story, it continues") for r in reasons)
    assert "event policy_change from 'unless they'" in reasons


def test_input_order_does_not_matter(classifier: Classifier):
    """Items are read in the order they were published, as `run` receives them."""
    assert judged(classifier, [FOLLOW_UP, CHANGE]) == [(True, 1), (True, 1)]


def test_other_news_of_the_platform_those_days_stays_out(classifier: Classifier):
    """A launch the same day shares the platform and a word at most: not the story."""
    verdicts = judged(classifier, [CHANGE, *SAME_DAYS_OTHER_NEWS])
    assert verdicts == [(True, 1), (False, None), (False, None)]


def test_a_vague_report_never_opens_a_story(classifier: Classifier):
    """Before the change is reported there is nothing it continues."""
    earlier = ("2024-08-19", FOLLOW_UP[1])
    assert judged(classifier, [earlier, CHANGE]) == [(False, None), (True, 1)]


X_CHANGE = ("2024-10-17", "X's new privacy policy lets third parties train AI on your posts")
X_AGAIN = "X updates its privacy policy again; here's what changes on November 15"


def test_naming_the_platforms_rules_on_its_changes_first_days_is_that_change(
    classifier: Classifier,
):
    """The day after X's policy lets others train AI on posts, "X updates its privacy policy
    again" is that change told again, though it names no AI and no use of data."""
    assert not classifier.classify(ItemText(X_AGAIN)).relevant
    assert judged(classifier, [X_CHANGE, ("2024-10-18", X_AGAIN)]) == [(True, 1), (True, 1)]


@pytest.mark.parametrize(
    "later",
    [
        ("2024-11-01", X_AGAIN),  # after the story closed (15 days on)
        ("2024-10-18", "Zoom updates its privacy policy again"),  # another platform
        ("2024-10-18", "X launches new terms for its creator programme"),  # a launch
        ("2024-10-18", "X adds a setting to hide your likes"),  # a new setting, not its rules
        ("2024-10-18", "X hit with a GDPR complaint"),  # a complaint, not its rules
        ("2024-10-18", "X updates its terms for advertisers"),  # terms on another matter
        ("2024-10-18", "X privacy settings: how to hide your likes"),  # a how-to for a setting
    ],
)
def test_the_platforms_rules_elsewhere_or_later_are_not_the_change(
    classifier: Classifier, later: tuple[str, str]
):
    assert judged(classifier, [X_CHANGE, later])[1] == (False, None)


ADOBE_CHANGE = ("2024-06-06", "Adobe's new terms let it access users' content to train AI")


@pytest.mark.parametrize(
    "brief",
    [
        ("2024-10-22", "X updates its privacy policy again; here's what changes on November 15"),
        ("2024-10-30", "X cambia di nuovo i termini di servizio"),
    ],
)
def test_a_brief_change_of_its_rules_while_the_story_is_open_continues_it(
    classifier: Classifier, brief: tuple[str, str]
):
    """Days into X's story, any report of X changing its rules, terms or settings is that
    story told again, in any language, though alone it names neither AI nor data. (Was: only
    on the first two days, and only its privacy policy or objecting.)"""
    assert not classifier.classify(ItemText(brief[1])).relevant
    assert judged(classifier, [X_CHANGE, brief]) == [(True, 1), (True, 1)]


@pytest.mark.parametrize(
    "brief",
    [
        "Adobe, con i nuovi termini potrà controllare i progetti degli utenti",
        "Adobe ändert seine Nutzungsbedingungen",
        "Adobe zmienia warunki korzystania z usług",
        "Adobe muuttaa käyttöehtoja",
    ],
)
def test_a_brief_report_of_the_platforms_change_in_another_language(
    classifier: Classifier, brief: str
):
    assert judged(classifier, [ADOBE_CHANGE, ("2024-06-10", brief)]) == [(True, 1), (True, 1)]


def test_the_platforms_rules_beside_a_regulators_action_are_not_that_action(
    classifier: Classifier,
):
    """A regulator's case is not the platform's rules: its privacy policy the next day may
    be news of its own."""
    case = ("2024-08-06", "Irish DPC takes X to court over Grok training on Europeans' posts")
    assert judged(classifier, [case, ("2024-08-07", X_AGAIN)]) == [(True, 1), (False, None)]


def test_an_undated_report_is_judged_alone(classifier: Classifier):
    """Without a date there are no days to share with a story: the report is judged on its
    own words, as before."""
    items = [
        InputItem("change", ItemText(CHANGE[1]), None),
        InputItem("brief", ItemText(FOLLOW_UP[1]), None),
    ]
    placed = judge_in_order(items, classifier).placed
    assert [p.judgement.relevant for p in placed] == [True, False]


def test_advice_on_objecting_follows_the_change_while_it_is_open(classifier: Classifier):
    """How-tos on objecting come days after a change, all the while it is open (fourteen
    days); after that they are left to their own words."""
    form = "How to fill in X's objection form"
    assert not classifier.classify(ItemText(form)).relevant
    assert judged(classifier, [X_CHANGE, ("2024-10-22", form)]) == [(True, 1), (True, 1)]
    assert judged(classifier, [X_CHANGE, ("2024-10-31", form)]) == [(True, 1), (True, 1)]
    assert judged(classifier, [X_CHANGE, ("2024-11-01", form)]) == [(True, 1), (False, None)]


GARANTE_ORDER = ("2025-01-30", "Italy's Garante orders DeepSeek to stop processing Italians' "
                 "personal data")  # fmt: skip


def test_a_headline_in_another_language_told_of_the_same_platform_country_and_kind(
    classifier: Classifier,
):
    """The same day, "Italy shuts DeepSeek out" in Nynorsk shares no word with the Garante's
    order, but names its platform, its country and, in its own words, its kind."""
    brief = ("2025-01-30", "Italia stengjer ute DeepSeek")
    assert judged(classifier, [brief]) == [(False, None)]
    assert judged(classifier, [GARANTE_ORDER, brief]) == [(True, 1), (True, 1)]


def test_a_union_wide_action_on_the_platform_needs_more_than_platform_place_and_kind(
    classifier: Classifier,
):
    """The EU acts on a large platform for many reasons at once: a fine over blue checks the
    days the EU questions X over Grok's training is another matter."""
    grok = ("2025-04-11", "EU privacy regulator opens inquiry into X's use of Europeans' posts "
            "to train Grok AI")  # fmt: skip
    fine = ("2025-04-12", "X fined by EU over misleading blue checks")
    assert judged(classifier, [grok, fine]) == [(True, 1), (False, None)]
