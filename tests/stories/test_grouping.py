"""Grouping reports into stories, with signatures made by the real classifier."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.classify import Classifier, ItemText
from bot.settings import Config
from bot.stories import OpenStories, StorySignature, decide_story, signature_of


@pytest.fixture(scope="module")
def classifier(config: Config) -> Classifier:
    return Classifier(config.rules, config.platforms, config.regions)


def signature(classifier: Classifier, title: str, day: str) -> StorySignature:
    verdict = classifier.classify(ItemText(title))
    assert verdict.relevant, title
    seen_at = int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp())
    return signature_of(verdict, title, seen_at, classifier.common_words)


def group(classifier: Classifier, reports: list[tuple[str, str]]) -> list[int]:
    """The story index each report lands in, placing them one by one as the bot does."""
    stories = OpenStories(enclosing=classifier.enclosing_regions)
    placed = []
    for number, (title, day) in enumerate(reports):
        sig = signature(classifier, title, day)
        decision = decide_story(sig, stories)
        story_id = number if decision.story_id is None else decision.story_id
        stories.add(story_id, sig)
        placed.append(story_id)
    return placed


def test_five_outlets_reporting_one_event_make_one_story(classifier: Classifier):
    """Differently worded reports of Meta's EU pause over three days are one story."""
    reports = [
        ("Meta pauses plans to train AI on EU users' data after Irish DPC request", "2024-06-14"),
        ("Meta halts AI training on Europeans' Facebook and Instagram posts", "2024-06-14"),
        ("Facebook owner delays use of EU users' data for AI after regulator pushback",
         "2024-06-15"),
        ("Meta puts AI training on Europeans' posts on hold; DPC welcomes the pause", "2024-06-15"),
        ("Why Meta paused training its AI models on European users' posts", "2024-06-17"),
    ]  # fmt: skip
    assert len(set(group(classifier, reports))) == 1


@pytest.mark.parametrize(
    "reports",
    [
        pytest.param(
            [("Meta pauses plans to train AI on EU users' data", "2024-06-14"),
             ("Meta to resume training AI on UK users' public posts", "2024-09-13")],
            id="meta-eu-pause-then-uk-resume",
        ),
        pytest.param(
            [("LinkedIn quietly opts US members in to AI training on their data", "2024-09-18"),
             ("LinkedIn will train AI on EU and UK members' data from November", "2025-09-24")],
            id="linkedin-2024-then-2025",
        ),
        pytest.param(
            [("Brazil's ANPD suspends Meta's use of personal data to train AI", "2024-07-02"),
             ("ANPD lifts suspension, allowing Meta to use Brazilian users' data for AI",
              "2024-08-30")],
            id="regulator-suspends-then-lifts",
        ),
        pytest.param(
            [("Reddit to license user posts to train Google's AI models", "2024-02-22"),
             ("Tumblr to share user posts with OpenAI to train AI models", "2024-02-22")],
            id="two-platforms-same-day",
        ),
    ],
)  # fmt: skip
def test_different_events_stay_apart(classifier: Classifier, reports: list[tuple[str, str]]):
    """Alike words and one platform do not merge different events: Meta's EU pause and UK
    restart, LinkedIn's 2024 and 2025 changes, a suspension and its lifting, and two
    platforms on one day are each two stories."""
    first, second = group(classifier, reports)
    assert first != second


def test_join_explains_itself(classifier: Classifier):
    """A joining report says which signals made it join."""
    stories = OpenStories()
    first = signature(classifier, "Meta pauses AI training on EU users' data", "2024-06-14")
    stories.add(1, first)
    second = signature(classifier, "Meta halts EU AI training on users' posts", "2024-06-15")
    decision = decide_story(second, stories)
    assert decision.story_id == 1
    assert "meta" in decision.why
    assert "days apart" in decision.why


def test_placement_is_deterministic(classifier: Classifier):
    """The same reports in the same order always give the same stories."""
    reports = [
        ("Meta pauses AI training on EU users' data", "2024-06-14"),
        ("Meta halts EU AI training on users' posts", "2024-06-15"),
        ("Reddit to license user posts to train AI", "2024-06-15"),
    ]
    assert group(classifier, reports) == group(classifier, reports)


@pytest.mark.parametrize(
    ("second_day", "stories"), [("2024-06-10", 1), ("2024-06-16", 1), ("2024-06-24", 2)]
)
def test_a_regulators_notice_in_two_languages_is_one_story(
    classifier: Classifier, second_day: str, stories: int
):
    """Translations share no words; the same kind about the same place joins them within
    the story's ten days, not after."""
    reports = [
        ("La CNIL publie ses recommandations sur l'IA et les données personnelles", "2024-06-10"),
        ("CNIL publishes recommendations on AI systems and personal data", second_day),
    ]
    assert len(set(group(classifier, reports))) == stories


@pytest.mark.parametrize(("statement_day", "stories"), [("2024-09-13", 1), ("2024-09-20", 2)])
def test_a_regulators_same_day_answer_joins_the_change(
    classifier: Classifier, statement_day: str, stories: int
):
    """The ICO answering Meta's UK announcement that day is one story; a week later it is
    the regulator's own action."""
    reports = [
        ("Meta to resume training AI on UK users' public posts", "2024-09-13"),
        ("ICO statement on Meta's plans to process UK users' data to train generative AI",
         statement_day),
    ]  # fmt: skip
    assert len(set(group(classifier, reports))) == stories


def test_a_platforms_own_notice_that_does_not_name_it_joins_the_story(classifier: Classifier):
    reports = [
        ("LinkedIn to use EU and UK members' data to train generative AI from 3 November",
         "2025-09-19"),
        ("Updates to our terms: using member data from the EU and UK to train generative AI",
         "2025-09-19"),
        ("ICO publishes guidance on generative AI and people's data in the UK", "2025-09-19"),
    ]  # fmt: skip
    first, own_notice, guidance = group(classifier, reports)
    assert own_notice == first
    assert guidance != first


def test_a_new_partner_a_week_later_is_another_story(classifier: Classifier):
    """Reddit's content policy and its OpenAI deal a week later share a platform, not an
    event; two reports of the deal the same week are one story."""
    reports = [
        ("Reddit publishes public content policy: AI licensees must honour deleted posts",
         "2024-05-09"),
        ("OpenAI strikes deal to train ChatGPT on Reddit content", "2024-05-16"),
        ("Reddit and OpenAI partner to bring Reddit posts to ChatGPT", "2024-05-17"),
    ]  # fmt: skip
    policy, deal, deal_again = group(classifier, reports)
    assert deal != policy
    assert deal_again == deal


@pytest.mark.parametrize(("second_day", "stories"), [("2024-08-08", 1), ("2024-08-13", 2)])
def test_reports_of_one_day_join_though_outlets_name_the_event_differently(
    classifier: Classifier, second_day: str, stories: int
):
    """One outlet reports the court case, another the pause it brought: the same day, the
    same platform and region make them one story; days later the kinds must agree."""
    reports = [
        ("X faces Irish court case over Grok training on EU users' posts", "2024-08-08"),
        ("X suspends using Europeans' posts to train Grok", second_day),
    ]  # fmt: skip
    kinds = {signature(classifier, title, day).event for title, day in reports}
    assert kinds == {"lawsuit", "pause"}
    assert len(set(group(classifier, reports))) == stories


@pytest.mark.parametrize(
    ("second_time", "stories"), [("2025-07-16T20:00", 1), ("2025-07-18T12:00", 2)]
)
def test_the_next_day_still_counts_as_the_day_of_the_event(
    classifier: Classifier, second_time: str, stories: int
):
    """A clause reported one morning and a complaint about it the next evening, 36 hours on,
    in other words and another kind, are one story; three days on they are two. (Its
    removal days later is the same episode: see "a walk-back four days on".)"""
    reports = [
        ("WeTransfer's new terms would let it use uploaded files to train AI models",
         "2025-07-15T08:00"),
        ("WeTransfer users file privacy complaint over the AI training clause", second_time),
    ]  # fmt: skip
    first, second = (signature(classifier, title, day) for title, day in reports)
    assert (first.event, second.event) == ("policy_change", "lawsuit")
    assert not first.words & second.words
    assert len(set(group(classifier, reports))) == stories


@pytest.mark.parametrize(("deal_day", "stories"), [("2024-05-11", 1), ("2024-05-16", 2)])
def test_a_related_kind_joins_only_within_days(classifier: Classifier, deal_day: str, stories: int):
    """A change and a deal are one family: two days apart they read as one event, a week
    apart as the platform's next one, though both speak of 'access'."""
    reports = [
        ("Reddit tightens access to its users' posts for AI training", "2024-05-09"),
        ("Reddit and OpenAI deal gives ChatGPT access to Reddit posts", deal_day),
    ]
    kinds = [signature(classifier, title, day).event for title, day in reports]
    assert kinds == ["policy_change", "data_deal"]
    assert len(set(group(classifier, reports))) == stories


def test_a_storys_event_is_what_most_reports_say(classifier: Classifier):
    """The first report misreads a pause as a court case; three reports of the pause follow.
    The story is a pause, so noyb's complaints four days later start their own story."""
    reports = [
        ("Irish regulator goes to the High Court to stop X using Europeans' posts for Grok",
         "2024-08-07"),
        ("X agrees to suspend processing EU users' data for Grok", "2024-08-08"),
        ("X suspends Grok training on Europeans' posts", "2024-08-08"),
        ("X pauses training Grok on EU users' posts", "2024-08-09"),
        ("noyb files complaints in nine EU countries over X's Grok training", "2024-08-12"),
    ]  # fmt: skip
    kinds = [signature(classifier, title, day).event for title, day in reports]
    assert kinds == ["lawsuit", "pause", "pause", "pause", "lawsuit"]
    placed = group(classifier, reports)
    assert placed[:4] == [0, 0, 0, 0]
    assert placed[4] != 0


def test_a_kind_given_as_often_as_another_keeps_the_first():
    """On a tie the story keeps the kind its first report gave: deterministic."""
    stories = OpenStories()
    for event in ("pause", "lawsuit", "lawsuit", "pause"):
        stories.add(1, StorySignature(event, frozenset({"x"}), frozenset({"EU"}), frozenset(), 0))
    assert stories.get(1).event == "pause"
    assert stories.get(1).kinds == (("pause", 2), ("lawsuit", 2))


def test_a_story_whose_reports_disagree_on_the_kind_has_no_kind_to_share():
    """Three reports of noyb's complaints read as a pause, a complaint and a change: the
    story's kind is unsettled, so Meta's actual pause eight days later is not "the same
    event" by kind alone. A story most of whose reports say pause still takes it."""
    day = 86400

    def sig(event: str, at: int) -> StorySignature:
        return StorySignature(event, frozenset({"meta"}), frozenset({"EU"}), frozenset(), at)

    unsettled = OpenStories()
    for event in ("pause", "lawsuit", "policy_change"):
        unsettled.add(1, sig(event, 0))
    assert decide_story(sig("pause", 8 * day), unsettled).story_id is None
    settled = OpenStories()
    for event in ("pause", "pause", "lawsuit"):
        settled.add(1, sig(event, 0))
    assert decide_story(sig("pause", 8 * day), settled).story_id == 1


@pytest.mark.parametrize(("second_day", "stories"), [("2025-09-25", 1), ("2025-09-28", 2)])
def test_a_headline_without_its_country_joins_the_next_day(
    classifier: Classifier, second_day: str, stories: int
):
    """A Dutch outlet's "the regulator" names no country; the next day it is the Dutch
    regulator's story, days later it is not evidence enough."""
    reports = [
        ("Dutch privacy watchdog urges LinkedIn users to object to AI training", "2025-09-24"),
        ("Toezichthouder: LinkedIn-gebruikers moeten snel bezwaar maken tegen AI-training",
         second_day),
    ]  # fmt: skip
    first, second = (signature(classifier, title, day) for title, day in reports)
    assert (first.regions, second.regions) == ({"NL"}, {"GLOBAL"})
    assert len(set(group(classifier, reports))) == stories


def test_on_a_tie_the_story_reported_nearest_in_time_wins():
    """A DPC statement read as a change scores alike against the change four days before
    and the DPC's own story of the same day; it belongs with the one of its day."""
    day = 86400

    def sig(event: str, regions: set[str], at: int) -> StorySignature:
        return StorySignature(event, frozenset({"linkedin"}), frozenset(regions), frozenset(), at)

    stories = OpenStories([(1, sig("policy_change", {"EU"}, 0)),
                           (2, sig("regulator_action", {"EU", "IE"}, 3 * day))])  # fmt: skip
    item = sig("policy_change", {"EU", "IE"}, 3 * day)
    decision = decide_story(item, stories)
    assert decision.story_id == 2
    assert "score 0.90" in decision.why


def test_on_a_tie_in_time_too_the_story_that_began_nearest_wins():
    """Both stories have a report the same day; the one that began that day (the Dutch
    regulator's inquiry) wins over the one still drawing reports from days before."""
    day = 86400

    def sig(at: int, first: int | None = None) -> StorySignature:
        return StorySignature("regulator_action", frozenset({"deepseek"}), frozenset({"GLOBAL"}),
                              frozenset(), at, first_seen=first)  # fmt: skip

    stories = OpenStories([(1, sig(3 * day, first=0)), (2, sig(3 * day))])
    assert decide_story(sig(3 * day), stories).story_id == 2


def test_a_regional_pause_after_a_worldwide_change_is_news_of_its_own(classifier: Classifier):
    """LinkedIn opts members in worldwide; a day later the UK gets a pause. The UK report
    names its region and the story names none: that is not a headline leaving out the
    country, it is the next event."""
    reports = [
        ("LinkedIn opts members in to training its generative AI on their data", "2024-09-18"),
        ("How to stop LinkedIn using your data to train AI", "2024-09-19"),
        ("LinkedIn suspends AI training on UK members' data after ICO concerns", "2024-09-20"),
    ]
    kinds = [signature(classifier, title, day).event for title, day in reports]
    assert kinds == ["policy_change", "opt_out", "pause"]
    first, second, third = group(classifier, reports)
    assert first == second
    assert third != first


def partition(placed: list[int]) -> str:
    """Stories as letters in order of first report: [4, 4, 9] is "AAB"."""
    letters: dict[int, str] = {}
    return "".join(letters.setdefault(p, "ABCDEFGH"[len(letters)]) for p in placed)


# When the next event begins: (reports, the kinds the classifier gives them, the stories).
EVENT_BOUNDARIES = {
    # One complaint to the ICO joins LinkedIn's worldwide opt-in and names the UK, but most
    # reports do not: the UK's pause the next day, and the ICO's statement on it, are the
    # next event.
    "a complaint does not make a worldwide change regional": (
        [("LinkedIn opts members in to training its generative AI on their data", "2024-09-18"),
         ("LinkedIn quietly uses member posts to train AI by default", "2024-09-18"),
         ("LinkedIn trainiert KI standardmäßig mit Beiträgen seiner Mitglieder", "2024-09-19"),
         ("Privacy group files a complaint with the ICO as LinkedIn quietly trains AI on "
          "posts", "2024-09-19"),
         ("LinkedIn suspends AI training on UK members' data", "2024-09-20"),
         ("ICO statement on LinkedIn's AI training on UK users' data", "2024-09-20")],
        ["policy_change", "policy_change", "policy_change", "lawsuit", "pause",
         "regulator_action"],
        "AAAABB",
    ),
    # Follow-ups a week apart would carry one story on for weeks: a consumer group's letter,
    # its court bid nine days later and the ruling nine days after that.
    # An episode's last word can come twelve days on: Adobe's clarified terms, June 18, 2024,
    # after the outcry of June 6.
    # A platform dropping its own change days later, for the same places, is that episode's
    # end (Zoom, August 7 to 11, 2023).
    "a walk-back four days on": (
        [("Zoom's terms of service would let it use customer calls for AI training, users say",
          "2023-08-07"),
         ("Zoom drops AI training language from its terms after outcry", "2023-08-11")],
        ["policy_change", "pause"],
        "AA",
    ),
    "an episode's last word twelve days on": (
        [("Adobe's new terms spark fears it will train AI on users' work", "2024-06-06"),
         ("Adobe rewrites its terms to say it will never train AI on customer content",
          "2024-06-18")],
        ["policy_change", "policy_change"],
        "AA",
    ),
    "a story spans twelve days from its first report": (
        [("Consumer group sends Meta a warning letter over AI training in Germany",
          "2025-04-30"),
         ("After its warning letter, consumer group asks court to stop Meta's AI training in "
          "Germany", "2025-05-09"),
         ("German court rules Meta may train AI on public posts", "2025-05-18")],
        ["lawsuit", "lawsuit", "lawsuit"],
        "AAB",
    ),
    # A late follow-up on the Cologne ruling does not make Meta's start of training the next
    # day part of the ruling's story.
    "the next day counts from the first report": (
        [("Cologne court lets Meta train AI on Europeans' public posts", "2025-05-23"),
         ("After the Cologne ruling: what Meta users in Germany can still do about AI "
          "training", "2025-05-26"),
         ("Meta begins training AI on public posts of EU adults", "2025-05-27")],
        ["lawsuit", "lawsuit", "policy_change"],
        "AAB",
    ),
    # The ICO's statement five days after LinkedIn's European change shares one generic word
    # with it ('updates'); that alone does not join them.
    "one shared word is weak evidence": (
        [("LinkedIn to use members' data from the EU and UK to train AI from November",
          "2025-09-18"),
         ("Updates to LinkedIn's terms: member data from Europe will train generative AI",
          "2025-09-22"),
         ("ICO updates its statement on LinkedIn's use of UK data for AI", "2025-09-23")],
        ["policy_change", "policy_change", "regulator_action"],
        "AAB",
    ),
    # A follow-up two days after Meta's UK announcement does not make the ICO's statement the
    # day after it a prompt answer: it comes three days after the change.
    "a regulator's answer counts from the change's first report": (
        [("Meta to resume training AI on UK users' public posts", "2024-09-13"),
         ("Meta's UK AI training plan: what changes for Instagram users", "2024-09-15"),
         ("ICO statement on Meta's plans to process UK users' data to train generative AI",
          "2024-09-16")],
        ["policy_change", "policy_change", "regulator_action"],
        "AAB",
    ),
    # A follow-up with no event words gets the feed's default kind, a guess: three days
    # later it is no evidence of another event.
    "a guessed kind does not start another event": (
        [("Japan's privacy watchdog warns OpenAI over collecting sensitive data", "2023-06-02"),
         ("Sensitive data and ChatGPT: what Japanese users should know after the warning",
          "2023-06-05")],
        ["regulator_action", "policy_change"],
        "AA",
    ),
    # A regulator's guidance and a summary in another language five days later name no
    # platform and share no words: the same kind about the same country is one event.
    "a regulator's guidance and the press on it": (
        [("La CNIL publie ses recommandations sur l'intérêt légitime pour entraîner une IA",
          "2025-06-19"),
         ("CNIL-Empfehlungen: wann Firmen personenbezogene Daten für KI-Training nutzen dürfen",
          "2025-06-24")],
        ["guidance", "guidance"],
        "AA",
    ),
    # A change's deadline reminder, three weeks on, is still the change's story; a report
    # a month after a change that names the platform in passing, sharing none of its words,
    # is not.
    "a change's reminder weeks later": (
        [("Udemy will use instructors' courses to train AI unless they opt out", "2024-08-21"),
         ("Two days left for Udemy instructors to opt their courses out of AI training",
          "2024-09-10")],
        ["policy_change", "opt_out"],
        "AA",
    ),
    # A brief reminder four weeks on shares no word with the change, yet it is advice on
    # opting out of it; advice for one country's members then is news of its own.
    "a brief reminder four weeks later": (
        [("Anthropic now asks consumer users whether their chats may train Claude",
          "2025-08-28"),
         ("Two days left: how to keep your Claude chats out of training", "2025-09-26")],
        ["policy_change", "opt_out"],
        "AA",
    ),
    "advice for one country weeks later": (
        [("Anthropic now asks consumer users whether their chats may train Claude",
          "2025-08-28"),
         ("UK users: how to stop Claude from training on your chats", "2025-09-20")],
        ["policy_change", "opt_out"],
        "AB",
    ),
    "a month later, a mention in passing": (
        [("X's new terms let outside companies train AI on your posts", "2024-10-17"),
         ("As users flee X over AI training, Bluesky promises not to use their posts for AI",
          "2024-11-14")],
        ["policy_change", "policy_change"],
        "AB",
    ),
    # Days after a worldwide ChatGPT setting, its return to Italy is another place's news,
    # though it is a change of the same platform.
    "a country's news days after a worldwide change": (
        [("ChatGPT lets you turn off chat history so conversations aren't used for training",
          "2023-04-25"),
         ("ChatGPT: Neue Einstellung verhindert, dass Chats zum Training genutzt werden",
          "2023-04-26"),
         ("ChatGPT is available again in Italy after OpenAI meets the Garante's demands",
          "2023-04-28")],
        ["opt_out", "opt_out", "policy_change"],
        "AAB",
    ),
    # How to opt out of a change is the change's story all through its window: the guides
    # come a week later, in other words.
    "a how-to guide a week later is no new event": (
        [("Figma AI will train on Starter and Professional teams' files by default",
          "2024-06-27"),
         ("How to stop Figma using your team's designs to train its AI", "2024-07-04")],
        ["policy_change", "opt_out"],
        "AA",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", EVENT_BOUNDARIES)
def test_where_the_next_event_begins(classifier: Classifier, case: str):
    reports, kinds, stories = EVENT_BOUNDARIES[case]
    assert [signature(classifier, title, day).event for title, day in reports] == kinds
    assert partition(group(classifier, reports)) == stories


def test_a_story_counts_the_reports_naming_each_region():
    def report(regions: set[str]) -> StorySignature:
        return StorySignature("policy_change", frozenset({"x"}), frozenset(regions), frozenset(), 0)

    stories = OpenStories([(1, report({"GLOBAL"}))])
    stories.add(1, report({"GLOBAL"}))
    stories.add(1, report({"UK", "GLOBAL"}))
    assert stories.get(1).region_counts() == {"GLOBAL": 3, "UK": 1}
    assert stories.get(1).regions == frozenset({"GLOBAL", "UK"})


def test_a_report_naming_some_of_a_storys_platforms_can_join_it(classifier: Classifier):
    """A story collects partners as reports join; a later report that names only the main
    platform is not about other platforms."""
    reports = [
        ("Reddit sues Perplexity and data scrapers for harvesting its posts through Google",
         "2025-10-22"),
        ("Reddit's new lawsuit says scrapers stole user comments to sell to AI firms",
         "2025-10-23"),
    ]  # fmt: skip
    first = signature(classifier, *reports[0])
    assert {"reddit", "perplexity", "google"} <= first.platforms
    assert signature(classifier, *reports[1]).platforms == frozenset({"reddit"})
    lawsuit, new_report = group(classifier, reports)
    assert new_report == lawsuit


def test_sharing_one_partner_is_not_enough(classifier: Classifier):
    reports = [
        ("Reddit signs AI licensing deal with Google for its users' posts", "2024-02-22"),
        ("OpenAI signs AI licensing deal with Reddit for its users' posts", "2024-02-23"),
    ]
    assert len(set(group(classifier, reports))) == 2


def test_a_summarys_other_platforms_do_not_keep_a_report_from_its_story(
    classifier: Classifier,
):
    """The summary recalls Meta's and Google's earlier plans; the headline says it is X's
    pause, so it joins X's story. The story still covers every platform and place named."""
    stories = OpenStories()
    first = signature(
        classifier, "X agrees to pause training Grok on EU users' posts", "2024-08-08"
    )
    stories.add(1, first)
    text = ItemText(
        "X suspends Grok training on European users' data",
        "The Irish regulator went to court. Meta and Google paused similar plans earlier.",
    )
    verdict = classifier.classify(text)
    assert set(verdict.platforms) == {"x", "meta", "google"}
    seen_at = int(datetime(2024, 8, 9, tzinfo=UTC).timestamp())
    report = signature_of(verdict, text.title, seen_at, classifier.common_words)
    assert decide_story(report, stories).story_id == 1
    stories.add(1, report)
    story = stories.get(1)
    assert story.platforms == {"x"}
    assert story.covered_platforms() == {"x", "meta", "google"}
    assert "IE" in story.covered_regions()


def test_a_europe_wide_change_told_country_by_country_is_one_story(classifier: Classifier):
    """National press name their own country where the first report named the EU."""
    reports = [
        ("Meta to train AI on EU users' public posts from late May", "2025-04-14"),
        ("Meta gaat AI trainen met openbare berichten van Nederlanders", "2025-04-15"),
        ("Meta usará las publicaciones de los usuarios españoles para entrenar su IA",
         "2025-04-16"),
    ]  # fmt: skip
    assert len(set(group(classifier, reports))) == 1
    stories = OpenStories(enclosing=classifier.enclosing_regions)
    stories.add(1, signature(classifier, reports[0][0], reports[0][1]))
    decision = decide_story(signature(classifier, reports[1][0], reports[1][1]), stories)
    assert decision.story_id == 1
    assert "regions NL in EU" in decision.why


def test_a_countrys_regulator_and_the_eus_board_acting_the_same_day_are_two_stories(
    classifier: Classifier,
):
    """Spain's inquiry into ChatGPT and the EDPB's task force are separate actions."""
    reports = [
        ("EDPB launches a task force on ChatGPT after Italy's ban", "2023-04-13"),
        ("Spain's data protection agency opens preliminary inquiry into ChatGPT", "2023-04-13"),
    ]
    assert len(set(group(classifier, reports))) == 2


def test_a_change_told_first_by_neighbouring_countries_is_one_story(classifier: Classifier):
    """Outlets in each country report a Europe-wide change for their own readers on its first
    days, before any report names the EU: the British and the Swiss reports are one event."""
    reports = [
        ("LinkedIn will train AI on Swiss members' profiles from November", "2025-09-18"),
        ("LinkedIn to use British users' data for AI from 3 November", "2025-09-18"),
        ("LinkedIn wird ab November Daten österreichischer Nutzer für KI verwenden",
         "2025-09-19"),
    ]  # fmt: skip
    assert len(set(group(classifier, reports))) == 1
    stories = OpenStories(enclosing=classifier.enclosing_regions)
    stories.add(1, signature(classifier, reports[0][0], reports[0][1]))
    decision = decide_story(signature(classifier, reports[1][0], reports[1][1]), stories)
    assert "regions UK and CH in EEA_UK_CH" in decision.why


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # each regulator's own advice on objecting, the same week
        (
            ("So widersprechen deutsche LinkedIn-Nutzer dem KI-Training", "2025-10-01"),
            ("LinkedIn e l'IA: ecco come gli utenti italiani possono opporsi all'addestramento",
             "2025-10-02"),
        ),
        # a neighbour's change a week later is not the first days of this one
        (
            ("LinkedIn will train AI on Swiss members' profiles from November", "2025-09-18"),
            ("LinkedIn to use British users' data for AI from 3 November", "2025-09-25"),
        ),
    ],
)  # fmt: skip
def test_neighbours_are_one_event_only_for_a_change_or_pause_on_its_first_days(
    classifier: Classifier, first: tuple[str, str], second: tuple[str, str]
):
    assert len(set(group(classifier, [first, second]))) == 2


def test_a_report_told_locally_prefers_its_event_to_a_local_story_of_another_kind(
    classifier: Classifier,
):
    """Norway's pause report belongs to Meta's pause, not to the Norwegian regulator's call
    two days before: a country inside the story's region is some agreement on place."""
    reports = [
        ("Norway's data protection authority urges users to object to Meta's AI training",
         "2024-06-12"),
        ("Meta pauses AI training on EU users' data after Irish regulator request", "2024-06-14"),
        ("Meta's AI training pause also covers Norway and the rest of the EEA", "2024-06-15"),
    ]  # fmt: skip
    placed = group(classifier, reports)
    assert placed[2] == placed[1] != placed[0]


def test_a_settings_name_tells_a_changes_late_follow_up_apart(classifier: Classifier):
    """Gemini's change is called "Keep Activity": the day it goes live, three weeks
    on, joins the change though topic words alone would not link them."""
    reports = [
        ("Gemini's new Keep Activity setting lets Google train on a sample of your uploads",
         "2025-08-13"),
        ("Google's Keep Activity setting is now live for Gemini users", "2025-09-02"),
    ]  # fmt: skip
    assert len(set(group(classifier, reports))) == 1
    assert "activity" in signature(classifier, *reports[1]).words


def test_a_place_named_in_passing_makes_no_neighbours(classifier: Classifier):
    """Meta's Australian story names Europeans in passing; Meta resuming in the UK two days
    later is not its neighbour's news."""
    reports = [
        ("Meta admits scraping Australians' public photos and posts since 2007 to train its AI",
         "2024-09-11"),
        ("Australians cannot opt out of Meta's AI training the way Europeans can", "2024-09-12"),
        ("Meta to resume AI training on UK users' public posts", "2024-09-13"),
    ]  # fmt: skip
    placed = group(classifier, reports)
    assert placed[0] == placed[1] != placed[2]


@pytest.mark.parametrize(
    "reports",
    [
        # the Hamburg commissioner's discussion paper, read as action in German and as
        # guidance in English the next day
        [
            ("Hamburger Datenschutzbeauftragter: Large Language Models speichern keine "
             "personenbezogenen Daten", "2024-07-15"),
            ("Hamburg regulator's discussion paper says LLMs do not store personal data",
             "2024-07-16"),
        ],
        # the Garante's note on scraping, read as action, then as a how-to four days later
        [
            ("Web scraping: il Garante indica come difendere i dati personali pubblicati online "
             "dalla raccolta per l'IA", "2024-05-30"),
            ("Italy's privacy regulator tells website owners how to stop AI scrapers collecting "
             "personal data", "2024-06-03"),
        ],
    ],
)  # fmt: skip
def test_a_regulators_own_publication_read_as_another_kind_is_one_story(
    classifier: Classifier, reports: list[tuple[str, str]]
):
    assert len(set(group(classifier, reports))) == 1


def test_a_pause_beside_a_regulators_strategy_in_one_place_is_another_story(
    classifier: Classifier,
):
    """The ICO's AI strategy and the NHS pausing its AI model the next day, both the UK's."""
    reports = [
        ("ICO launches AI and biometrics strategy", "2025-06-05"),
        ("NHS AI model trained on GP data paused over privacy concerns", "2025-06-06"),
    ]
    assert len(set(group(classifier, reports))) == 2
