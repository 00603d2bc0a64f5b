"""A word after a list of regions leaves out the whole list, read back over the same joining
words and articles as a list after "outside": "the EU, the EEA and Switzerland excluded"."""

from __future__ import annotations

import pytest

from bot.classify import Classifier, ItemText
from bot.classify.left_out import find_left_out
from bot.settings import Config
from bot.settings.left_out import LeftOut
from bot.terms import TermMatcher, Tokens


@pytest.fixture
def classifier(config: Config) -> Classifier:
    return Classifier(config.rules, config.platforms, config.regions)


@pytest.mark.parametrize(
    ("title", "left_out"),
    [
        ("LinkedIn gebruikt gegevens van leden voor AI-training, de EU en Zwitserland uitgezonderd",
         ("EU", "CH")),
        ("Meta entraînera son IA sur vos publications, l'UE et la Suisse exclues", ("EU", "CH")),
        ("Meta addestrerà l'IA sui post pubblici, UE, Regno Unito e Svizzera esclusi",
         ("EU", "UK", "CH")),
    ],
)  # fmt: skip
def test_an_after_word_leaves_out_the_list_before_it(
    classifier: Classifier, title: str, left_out: tuple[str, ...]
):
    verdict = classifier.classify(ItemText(title))
    assert verdict.regions_left_out == left_out
    assert verdict.regions == ("GLOBAL",)


def test_articles_alone_join_a_list_only_when_a_joining_word_follows(classifier: Classifier):
    """Read backwards as forwards: ", the EEA and" joins, ", the UK excluded" with no "and"
    after it is a clause of its own, so the EU where training begins stays tagged."""
    listed = classifier.classify(
        ItemText("Meta will train AI on public posts, the EU, the EEA and Switzerland excluded")
    )
    assert listed.regions_left_out == ("EU", "EEA", "CH")
    clause = classifier.classify(
        ItemText("Meta begins training AI on public posts in the EU, the UK excluded for now")
    )
    assert clause.regions_left_out == ("UK",)
    assert clause.regions == ("EU",)


def test_a_name_for_two_regions_leaves_out_both_in_a_list():
    """The DPC tags Ireland and the EU: named in a list after "except", it leaves out both,
    as it always did right before an `after` word."""
    regions = TermMatcher([("UK", "UK"), ("DPC", "IE"), ("DPC", "EU")])
    rule = LeftOut(
        TermMatcher([("except", "before")]), 16, 10, frozenset({"and"}), frozenset({"the"})
    )
    text = Tokens.of("Everyone's data, except where the UK and the DPC object")
    found = find_left_out(regions.find(text), text, rule)
    assert sorted(hit.value for hit in found) == ["EU", "IE", "UK"]


@pytest.mark.parametrize(
    ("title", "left_out", "words"),
    [
        ("LinkedIn trains AI on members' data; users in the EU and Switzerland are excluded",
         ("EU", "CH"), "are excluded"),
        ("Meta will train AI on public posts, but the UK is not affected", ("UK",),
         "is not affected"),
        ("LinkedIn uses your data to train AI; members in the EU, EEA and Switzerland are not "
         "included", ("EU", "EEA", "CH"), "are not included"),
        ("Meta trainiert KI mit öffentlichen Beiträgen, Nutzer in der EU und der Schweiz bleiben "
         "außen vor", ("EU", "CH"), "bleiben außen vor"),
        ("Meta entraînera son IA sur les publications, les utilisateurs de l'UE et de la Suisse "
         "sont exclus", ("EU", "CH"), "sont exclus"),
        ("Meta entraînera son IA sur les publications, la France et la Belgique sont exclues",
         ("FR", "BE"), "sont exclues"),
        ("LinkedIn usará los datos de sus miembros para entrenar su IA; la UE, el Reino Unido y "
         "Suiza quedan excluidos", ("EU", "UK", "CH"), "quedan excluidos"),
        ("Meta addestrerà l'IA sui post pubblici: gli utenti dell'UE e della Svizzera restano "
         "esclusi", ("EU", "CH"), "restano esclusi"),
        ("Meta vai treinar IA com as publicações dos usuários; a UE e o Reino Unido ficam de fora",
         ("EU", "UK"), "ficam de fora"),
        ("LinkedIn traint AI met gegevens van leden; gebruikers in de EU en Zwitserland zijn "
         "uitgezonderd", ("EU", "CH"), "zijn uitgezonderd"),
    ],
)  # fmt: skip
def test_phrases_that_leave_out_in_each_language(
    classifier: Classifier, title: str, left_out: tuple[str, ...], words: str
):
    """The words after the list, as written, are the reason each region is left out."""
    verdict = classifier.classify(ItemText(title))
    assert verdict.regions_left_out == left_out
    assert verdict.regions == ("GLOBAL",)
    for code in left_out:
        assert f"region {code} left out: '{words}'" in verdict.reasons


def test_an_after_word_about_something_else_leaves_its_region_tagged(classifier: Classifier):
    """In "EU users were not affected by the outage" the list would have to end right before
    the words, and "users" stands between; what EU users were spared is the outage,
    not the training the report is about, so the EU stays tagged. The UK, right before its
    own "is not affected", is left out."""
    verdict = classifier.classify(
        ItemText(
            "Meta resumes AI training on public posts; the UK is not affected",
            "EU users were not affected by the outage that halted it.",
        )
    )
    assert verdict.regions_left_out == ("UK",)
    assert verdict.regions == ("EU",)
    assert "region EU from 'EU'" in verdict.reasons


@pytest.mark.parametrize(
    ("title", "region", "name"),
    [
        ("Meta va entraîner son IA sur les publications des utilisateurs, la Cnil met en garde",
         "FR", "Cnil"),
        ("La Aepd investiga si Meta puede entrenar su IA con las publicaciones de los usuarios",
         "ES", "Aepd"),
        ("Anpd suspende a nova política de privacidade da Meta para treinar IA", "BR", "Anpd"),
        ("LinkedIn pauses AI training on members' data after the Ico raised concerns", "UK",
         "Ico"),
    ],
)  # fmt: skip
def test_a_regulator_written_as_a_word_tags_its_country(
    classifier: Classifier, title: str, region: str, name: str
):
    """French papers write "la Cnil": the regulator's acronym in Title case names its
    country as "la CNIL" does. Whole words only: "icons" and "iconic" name no one."""
    verdict = classifier.classify(ItemText(title))
    assert region in verdict.regions
    assert f"region {region} from '{name}'" in verdict.reasons
    inside_words = classifier.classify(ItemText("Apple's AI redraws iconic icons for Pico users"))
    assert inside_words.regions == ("GLOBAL",)


@pytest.mark.parametrize(
    ("title", "acronym", "word"),
    [
        ("La {} sanctionne Clearview AI pour la collecte de photos de visages", "CNIL", "Cnil"),
        ("La {} investiga a ChatGPT por el uso de datos personales", "AEPD", "Aepd"),
        ("{} suspende a nova política de privacidade da Meta para treinar IA", "ANPD", "Anpd"),
        ("LinkedIn stops AI training on UK members' data after {} concerns", "ICO", "Ico"),
    ],
)
def test_a_regulator_written_as_a_word_is_read_as_the_regulator(
    classifier: Classifier, title: str, acronym: str, word: str
):
    """A regulator named as a word ("La Cnil sanctionne") acts as its acronym does."""
    as_acronym = classifier.classify(ItemText(title.format(acronym)))
    as_word = classifier.classify(ItemText(title.format(word)))
    assert as_word.relevant == as_acronym.relevant
    assert as_word.score == as_acronym.score
    assert as_word.event == as_acronym.event
    assert as_word.regions == as_acronym.regions
