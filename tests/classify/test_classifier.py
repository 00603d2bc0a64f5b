"""The first classifier: terms from config/classifier.yaml, with reasons."""

from __future__ import annotations

import pytest

from bot.classify import Classifier, ItemText
from bot.settings import Config


@pytest.fixture(scope="module")
def classifier(config: Config) -> Classifier:
    return Classifier(config.rules, config.platforms, config.regions)


def test_training_on_user_data_is_relevant_with_reasons(classifier: Classifier):
    """A platform training AI on users' data is relevant, tagged, and explained."""
    verdict = classifier.classify(
        ItemText("LinkedIn will use members' data to train generative AI models by default")
    )
    assert verdict.relevant
    assert verdict.platforms == ("linkedin",)
    assert any("near" in reason for reason in verdict.reasons)
    assert "platform LinkedIn from 'LinkedIn'" in verdict.reasons


@pytest.mark.parametrize(
    "title",
    [
        "Meta releases a new Llama model",
        "ICO fines retailer over cookie banners",
        "Microsoft trains 1 million people in AI skills",
    ],
)
def test_hard_negatives_are_not_relevant(classifier: Classifier, title: str):
    """AI news without people's data, and privacy news without AI, are not alerts."""
    assert not classifier.classify(ItemText(title)).relevant


def test_feed_region_applies_when_text_names_none(classifier: Classifier):
    """An item in the ICO's feed is about the UK unless it says otherwise."""
    verdict = classifier.classify(
        ItemText(
            "Statement on Meta's plans to train AI on user data", feed_region="UK", feed_name="ICO"
        )
    )
    assert verdict.regions == ("UK",)
    assert "region UK from the feed (ICO)" in verdict.reasons


def test_french_item_is_classified(classifier: Classifier):
    """Regulators' own languages count: a CNIL item in French is relevant and tagged FR."""
    verdict = classifier.classify(
        ItemText("La CNIL rappelle le droit d'opposition à l'entraînement de l'IA sur les données")
    )
    assert verdict.relevant
    assert "FR" in verdict.regions


def test_lowercase_ai_inside_french_is_not_ai(classifier: Classifier):
    """ "j'ai" is not the term AI: short capital terms match only in capitals."""
    verdict = classifier.classify(ItemText("J'ai lu vos données et publications hier"))
    assert not verdict.relevant


def test_regulator_feed_implies_personal_data(classifier: Classifier):
    """A data protection authority's title-only item about an AI product is relevant; the
    same words from a news feed are not, and a regulator item without AI is not."""
    assert classifier.classify(
        ItemText("DPC statement on Meta AI", feed_kind="regulator", feed_name="DPC")
    ).relevant
    assert not classifier.classify(ItemText("Statement on Meta AI", feed_kind="news")).relevant
    assert not classifier.classify(
        ItemText("ICO fines retailer over marketing emails", feed_kind="regulator")
    ).relevant


def test_image_generation_news_is_not_about_peoples_data(classifier: Classifier):
    """An AI product's new feature is not an alert."""
    assert not classifier.classify(ItemText("Grok can now generate images for free users")).relevant


@pytest.mark.parametrize(
    ("title", "event"),
    [
        (
            "Dutch privacy watchdog urges LinkedIn users to opt out of AI training",
            "regulator_action",
        ),
        ("AP waarschuwt LinkedIn-gebruikers: maak bezwaar tegen AI-training", "regulator_action"),
        ("noyb files complaints in 11 countries over Meta's AI training on user data", "lawsuit"),
    ],
)
def test_who_acts_decides_the_event(classifier: Classifier, title: str, event: str):
    """A regulator warning users acts; an advocacy group's complaints are complaints."""
    assert classifier.classify(ItemText(title)).event == event


def test_noyb_complaints_concern_the_eu(classifier: Classifier):
    verdict = classifier.classify(
        ItemText("noyb files complaints over Meta's plan to train AI on user data")
    )
    assert "EU" in verdict.regions


@pytest.mark.parametrize(
    ("title", "region"),
    [
        ("U.S. members are opted in to generative AI training by LinkedIn", "US"),
        ("Brazilians can now object to Meta AI training on their data", "BR"),
        ("Quebec users' data used to train AI models", "CA"),
        ("British Columbia privacy commissioner probes use of user data to train AI", "CA"),
        ("X setzt KI-Training mit Daten europäischer Nutzer vorerst aus", "EU"),
        (
            "LinkedIn suspend l'entraînement de son IA avec les données des utilisateurs "
            "britanniques",
            "UK",
        ),
        (
            "Le commissaire à la protection de la vie privée enquête sur l'entraînement de Grok",
            "CA",
        ),
        ("Meta usará las conversaciones de usuarios estadounidenses para entrenar su IA", "US"),
        ("LinkedIn utilizzerà i messaggi degli utenti spagnoli per addestrare l'IA", "ES"),
        ("Meta vai treinar modelos com comentários de usuários suíços", "CH"),
        ("Google traint AI-modellen met foto's van Duitse gebruikers", "DE"),
        ("X entraînera ses algorithmes sur les commentaires des utilisateurs américains", "US"),
        (
            "Digital Omnibus would let firms train AI on personal data as a legitimate interest",
            "EU",
        ),
        ("Digital-Omnibus: Unternehmen sollen KI mit Nutzerdaten trainieren dürfen", "EU"),
        ("Irish watchdog asks the EU privacy board for an opinion on AI models", "IE"),
        ("Itália multa a OpenAI por treinar o ChatGPT com dados pessoais", "IT"),
        ("Brasilien verbietet Meta das KI-Training mit Nutzerdaten", "BR"),
        ("Le Japon met en garde OpenAI sur les données personnelles", "JP"),
        ("Norwegen: Datenschützer prüfen Metas KI-Training mit Nutzerdaten", "NO"),
        # German consumer advocates, and a German state by its short name
        ("Verbraucherschützer wollen Metas KI-Training mit Nutzerdaten stoppen", "DE"),
        ("Verbraucherzentrale NRW mahnt Meta wegen KI-Training mit Nutzerdaten ab", "DE-NW"),
        ("Berliner Datenschutzbeauftragte beanstandet Datenübermittlung von DeepSeek", "DE-BE"),
        ("Le Commissariat à la protection de la vie privée enquête sur l'IA de X", "CA"),
        ("NHS AI model trained on GP patients' data paused over privacy concerns", "UK"),
        # regulators by their initials: Hong Kong's and Singapore's
        ("PCPD publishes a personal data protection framework for AI", "HK"),
        ("PDPC sets out how firms may use personal data to train AI systems", "SG"),
        ("Irlands Datenschutzbehörde ermittelt gegen X wegen Grok-Training", "IE"),
        ("Rechter in Keulen wijst verzoek tegen AI-training van Meta af", "DE"),
    ],
)
def test_people_and_places_name_their_region(classifier: Classifier, title: str, region: str):
    verdict = classifier.classify(ItemText(title))
    assert verdict.relevant
    assert region in verdict.regions
    assert "UK" not in verdict.regions or region == "UK"


@pytest.mark.parametrize(
    ("people", "region"),
    [
        ("Germans", "DE"),
        ("Austrians", "AT"),
        ("des Belges", "BE"),
        ("der Österreicher", "AT"),
        ("degli svedesi", "SE"),
        ("de los polacos", "PL"),
        ("dos portugueses", "PT"),
        ("van Denen", "DK"),
        ("Finns", "FI"),
        ("der Niederländer", "NL"),
        ("van Ieren", "IE"),
        ("der Franzosen", "FR"),
        ("der Norweger", "NO"),
        ("Spaniards", "ES"),
    ],
)
def test_a_countrys_people_name_their_region(classifier: Classifier, people: str, region: str):
    """Outlets name a country by its people ("les publications des Belges"), in every language
    the feeds use."""
    verdict = classifier.classify(ItemText(f"Meta will train its AI on the posts of {people}"))
    assert verdict.regions == (region,)


def test_a_regulators_bare_title_about_ai_is_relevant(classifier: Classifier):
    """Many regulators' feeds give a title only; the authority implies personal data. The
    Irish DPC leads for the EU on most large platforms, so it speaks for both."""
    verdict = classifier.classify(ItemText("DPC statement on Meta AI"))
    assert verdict.relevant
    assert "regulator term 'DPC'" in verdict.reasons
    assert verdict.regions == ("EU", "IE")
    assert "region EU from 'DPC'" in verdict.reasons


@pytest.mark.parametrize(
    "title",
    [
        "OpenAI cuts off ChatGPT in Italy after regulator's order",
        "Meta pauses its AI plans for the EU and UK after regulators push back",
        "UK watchdog closes Snapchat My AI probe, warns firms on generative AI risks",
        "German consumer group sends Meta a cease-and-desist over AI plans",
    ],
)
def test_an_unnamed_regulator_acting_on_ai_is_relevant(classifier: Classifier, title: str):
    """Outlets often say only "regulator" or "watchdog"; in this field that is most often the
    data protection authority, weaker evidence than its name but enough beside an action. A
    consumer group taking a legal step against a platform is the same."""
    verdict = classifier.classify(ItemText(title))
    assert verdict.relevant, verdict.reasons


@pytest.mark.parametrize(
    "title",
    [
        "Italian competition watchdog opens probe into DeepSeek",
        "UK competition watchdog opens inquiry into Microsoft's OpenAI partnership",
        "Dutch regulator warns AI chatbots give biased voting advice",
        "Consumer group says AI chatbots give poor financial advice",
    ],
)
def test_other_regulators_and_a_watchdog_alone_are_not_enough(classifier: Classifier, title: str):
    """A competition regulator acts on markets, not people's data; a regulator's warning
    about what chatbots say names no data at all."""
    assert not classifier.classify(ItemText(title)).relevant


def test_a_breach_at_an_ai_company_is_not_an_alert(classifier: Classifier):
    title = "Chatbot provider: the Garante asks about customers' data after a cyberattack"
    assert not classifier.classify(ItemText(title)).relevant


@pytest.mark.parametrize(
    ("title", "event"),
    [
        ("Meta will resume AI training on EU data, after a year-long pause", "policy_change"),
        ("LinkedIn pauses AI training on UK members' data", "pause"),
        ("Meta no longer uses Brazilians' posts to train its AI", "pause"),
        ("Meta shelves plans to train its AI on Europeans' posts", "pause"),
        # a platform saying what it will not train on states its policy; nothing is paused
        ("Adobe clarifies: customer files will not train Firefly", "policy_change"),
        ("Apple says it won't train its AI on your emails", "policy_change"),
        # the objection a change allows is part of the change; a regulator calling on users
        # to object acts; a how-to is still a how-to
        ("Anthropic will Claude mit Chats der Nutzer trainieren: Widerspruch bis Ende September",
         "policy_change"),
        ("Toezichthouder: LinkedIn-gebruikers moeten snel bezwaar maken tegen AI-training",
         "regulator_action"),
        ("Zo maak je bezwaar tegen AI-training door Meta", "opt_out"),
        ("Three weeks left to stop LinkedIn training AI on your profile", "opt_out"),
        ("LinkedIn : comment refuser que vos données entraînent l'IA", "opt_out"),
        ("Dutch privacy authority urges LinkedIn users to opt out of AI training",
         "regulator_action"),
        # delays and holds in Spanish and Dutch; a platform allowed to resume is the
        # regulator's decision
        ("Meta pospone el entrenamiento de su IA con datos de europeos", "pause"),
        ("Meta zet AI-training met gegevens van Europeanen in de wacht", "pause"),
        ("Meta podrá volver a entrenar su IA con datos de usuarios brasileños",
         "regulator_action"),
        # a regulator's own court case is its action
        ("DPC ends High Court case against X and asks EDPB for an opinion on AI models",
         "regulator_action"),
        ("Irish DPC takes X to court over Grok training on Europeans' posts", "regulator_action"),
        ("Irish DPC goes to court to stop X using Europeans' posts to train Grok",
         "regulator_action"),
        ("Zoom drops AI training language from its terms after outcry", "pause"),
        # a deal facing a regulator's scrutiny is the regulator's action
        ("GEDI's deal to give OpenAI its archives faces scrutiny from the Garante over "
         "readers' personal data", "regulator_action"),
        # a platform barring AI firms from its users' work sets its policy; no regulator acts
        ("Medium verbietet KI-Firmen das Training mit Texten seiner Autoren", "policy_change"),
        ("Medium bars AI companies from training on its writers' stories", "policy_change"),
        ("X verbietet Entwicklern, Beiträge für das Training von KI-Modellen zu nutzen",
         "policy_change"),
        # letting people release their work for training is a setting of theirs
        ("YouTube erlaubt Creatorn, ihre Videos für das KI-Training Dritter freizugeben",
         "opt_out"),
        ("Meta hat das KI-Training mit Daten europäischer Nutzer vorerst gestoppt", "pause"),
        # a clause taken out of the terms is the use it allowed taken back
        ("WeTransfer drops the AI clause from its terms after a backlash", "pause"),
        ("Meta told to hold off on using EU users' data for its AI", "pause"),
        ("Meta legt KI-Training mit Nutzerdaten in Europa auf Eis", "pause"),
        ("X accetta di non usare i dati degli utenti per addestrare Grok", "pause"),
        ("Meta hits the brakes on AI training with Europeans' posts", "pause"),
        ("Meta to begin training AI on EU users' content despite noyb's letter", "policy_change"),
        ("LinkedIn : vos données serviront à entraîner l'IA, la CNIL s'inquiète", "policy_change"),
        ("ANPD determina suspensão do uso de dados pessoais pela Meta para treinar IA",
         "regulator_action"),
    ],
)  # fmt: skip
def test_resuming_is_a_change_and_stopping_a_pause(classifier: Classifier, title: str, event: str):
    assert classifier.classify(ItemText(title)).event == event


def test_the_title_says_what_happened_and_the_summary_the_background(classifier: Classifier):
    """A summary recalls earlier events ("said it had stopped", "filed complaints"); the
    title's event wins, and a title with no event word leaves it to the summary."""
    lawsuit = ItemText(
        "Reddit files lawsuit against Anthropic over scraping posts for AI training",
        "The bots kept visiting after Anthropic said it had stopped.",
    )
    assert classifier.classify(lawsuit).event == "lawsuit"
    pause = ItemText(
        "Meta puts AI training on EU users' posts on hold",
        "Privacy campaigners had filed complaints in 11 countries the week before.",
    )
    assert classifier.classify(pause).event == "pause"
    background = ItemText(
        "Meta and the data of Europeans: what now for its AI?",
        "Privacy campaigners have filed complaints in 11 countries.",
    )
    assert classifier.classify(background).event == "lawsuit"


@pytest.mark.parametrize(
    "title",
    [
        "Autoridade suspende nova política de privacidade da Meta para treinar inteligência "
        "artificial",
        "Datenschutzorganisation noyb beschwert sich in elf Ländern über Metas KI-Pläne",
        "noyb lodges complaints in nine EU countries against X's Grok training",
        "Italiaanse privacytoezichthouder legt OpenAI boete van 15 miljoen euro op",
        "Stack Overflow signs deal to give OpenAI access to its Q&A for training",
    ],
)
def test_who_speaks_can_stand_for_the_data_word(classifier: Classifier, title: str):
    """A privacy policy, a privacy group or a privacy regulator is about personal data, so a
    title without a data word is still relevant; so are users' questions and answers."""
    assert classifier.classify(ItemText(title)).relevant


@pytest.mark.parametrize(
    ("title", "event"),
    [
        ("How to stop Claude from training on your conversations", "opt_out"),
        ("LinkedIn stops training AI on UK users' data after watchdog concerns", "pause"),
        ("LinkedIn begins training AI on EU members' data; you can switch it off", "policy_change"),
        ("Brasil mantiene el veto a Meta para entrenar su IA con datos de usuarios",
         "regulator_action"),
        ("Reddit verklagt Anthropic wegen Nutzung von Beiträgen für KI-Training", "lawsuit"),
        ("Reddit verkauft Nutzerbeiträge an OpenAI für das KI-Training", "data_deal"),
        # accused is the plaintiffs' word; content licensed to a developer is sold to it
        ("Otter.ai accused of recording meetings without consent to improve its AI", "lawsuit"),
        ("Stack Overflow users protest as their answers are licensed to OpenAI", "data_deal"),
        ("Grok: Datenschützer reichen Beschwerden gegen X in neun Ländern ein", "lawsuit"),
        ("Asociaciones presentan reclamaciones contra Meta por entrenar su IA con datos",
         "lawsuit"),
        ("noyb wants Meta to ask for consent before AI training on EU data", "lawsuit"),
        ("Irish Data Protection Commission lets LinkedIn's AI training go ahead",
         "regulator_action"),
        ("Ab heute trainiert LinkedIn seine KI mit Profilen europäischer Nutzer", "policy_change"),
        # how-tos and deadlines are advice; rulings are the court's; Schrems is noyb
        ("Figma nutzt Ihre Entwürfe für KI-Training: so schalten Sie es ab", "opt_out"),
        ("Meta entrena su IA con tus fotos: cómo desactivarlo", "opt_out"),
        ("Three days left to keep your posts out of Meta's AI training", "opt_out"),
        ("Nach dem Urteil: Meta darf Nutzerdaten für KI-Training verwenden", "lawsuit"),
        ("Judge's ruling lets Meta keep training AI on public posts", "lawsuit"),
        ("Schrems gives Meta a week to drop its EU AI training plan", "lawsuit"),
        # teaming up is a deal; saying there is no opt-out reports a change, not a how-to
        ("Stack Overflow teams up with OpenAI to bring its answers to ChatGPT", "data_deal"),
        ("Quora s'allie à un laboratoire d'IA pour exploiter ses réponses", "data_deal"),
        ("Claude will learn from your chats and there is no opt-out", "policy_change"),
        ("Slack is using your messages to train models; only admins can opt out", "policy_change"),
        # investigating and fining, in more forms
        ("Canadá investiga a OpenAI por entrenar ChatGPT con datos personales",
         "regulator_action"),
        ("OpenAI multada en Italia por entrenar ChatGPT con datos personales",
         "regulator_action"),
        ("L'autorità irlandese indaga su X per l'addestramento di Grok con i post",
         "regulator_action"),
        # a court's compound names and an injunction are a lawsuit; 'fa causa' sues
        ("Landgericht: Meta darf Nutzerdaten für KI verwenden", "lawsuit"),
        ("Antrag auf einstweilige Verfügung gegen Metas KI-Training mit Nutzerdaten",
         "lawsuit"),
        ("Reddit fa causa ad Anthropic per i post usati per addestrare Claude", "lawsuit"),
        ("Meta will notify EU users and offer an objection form before its AI training starts",
         "policy_change"),
        # a new default setting is a change; adding a setting to opt out is advice
        ("Google's new history setting keeps your Lens photos to train its AI", "policy_change"),
        ("Pinterest adds a setting to keep your Pins out of AI training", "opt_out"),
        # a country blocking, forbidding or probing is a regulator acting
        ("L'Espagne bloque un chatbot entraîné sur des données personnelles", "regulator_action"),
        ("Meta é proibida de treinar IA com dados de usuários", "regulator_action"),
        ("State attorney general probes chatbot makers over kids' data used for training",
         "regulator_action"),
        # buying access is a deal; postponing is a pause; settling ends a lawsuit
        ("Anthropic gets access to Quora's answers to train Claude", "data_deal"),
        ("Google pagará a Quora para entrenar su IA con las respuestas de los usuarios",
         "data_deal"),
        ("Google postpones Gemini in the EU over data protection questions", "pause"),
        ("Google rinvia il lancio di Gemini in Europa per i dati personali", "pause"),
        ("Amazon agrees to settle claims Alexa kept children's voice recordings", "lawsuit"),
        ("Datenschutzbeschwerde gegen OpenAI wegen falscher Daten in ChatGPT", "lawsuit"),
        ("Meta treina IA com suas fotos; veja como recusar", "opt_out"),
        # a regulator looking into or lifting something acts; 'unless you' reports a change
        ("FTC is looking into Reddit's sale of user posts for AI training", "regulator_action"),
        ("Regulator lifts suspension, letting Meta train AI on users' data", "regulator_action"),
        ("Figma analyse vos maquettes avec son IA, sauf si vous désactivez l'option",
         "policy_change"),
        ("Figma entrenará su IA con los diseños de los usuarios", "policy_change"),
        # a country suspending downloads acts; setting out how to do something is guidance
        ("South Korea suspends downloads of DeepSeek over personal data", "regulator_action"),
        ("CNIL sets out how AI developers should handle personal data", "guidance"),
        # a regulator's own court case, and ending it, is its action; a pause it brought
        # is a pause
        ("Data watchdog drops High Court action against Meta over AI training",
         "regulator_action"),
        ("Regulator ends court case after X's promise on Grok training data",
         "regulator_action"),
        ("X stops using EU posts to train Grok after Irish court case", "pause"),
        # a regulator speaking acts, even about how to object
        ("Watchdog says Meta's new form makes it easier to object to AI training",
         "regulator_action"),
    ],
)  # fmt: skip
def test_events_are_read_in_every_language(classifier: Classifier, title: str, event: str):
    assert classifier.classify(ItemText(title)).event == event


@pytest.mark.parametrize(
    ("title", "platform", "region"),
    [
        ("Microsoft wird Copilot mit Kundendaten trainieren", "microsoft", "GLOBAL"),
        ("Grok wird mit Beiträgen britischer Nutzer trainiert", "x", "UK"),
        ("Meta wil AI-modellen trainen met klantgegevens van Nederlandse gebruikers", "meta", "NL"),
        ("Meta entraînera son IA avec les publications des utilisateurs brésiliens", "meta", "BR"),
        ("LinkedIn addestrerà l'IA con i dati degli utenti svizzeri", "linkedin", "CH"),
        ("Zoom verspricht, keine KI mit Gesprächen seiner Kunden zu trainieren", "zoom", "GLOBAL"),
    ],
)
def test_inflected_and_compound_words_are_read(
    classifier: Classifier, title: str, platform: str, region: str
):
    """German and Dutch compound their data words (Kundendaten, klantgegevens), and every
    language inflects verbs and adjectives (trainiert, entraînera, britischer, brésiliens):
    open-ended terms in config find them."""
    verdict = classifier.classify(ItemText(title))
    assert verdict.relevant, verdict.reasons
    assert platform in verdict.platforms
    assert region in verdict.regions


@pytest.mark.parametrize(
    ("title", "event"),
    [
        ("Quora veut faire payer les entreprises d'IA qui s'entraînent sur ses discussions",
         "policy_change"),
        ("Wix adds a toggle so AI crawlers do not scrape your website", "opt_out"),
        ("Grammarly may use your writing to improve its AI", "policy_change"),
        ("Tumblr vende i contenuti degli utenti a OpenAI per l'intelligenza artificiale",
         "data_deal"),
        ("News site files suit against Anthropic over Claude trained on its articles' comments",
         "lawsuit"),
        ("SoundCloud may use uploaded music to develop its AI", "policy_change"),
        ("Photobucket in talks to license users' photos to AI companies", "data_deal"),
        ("Bumble attaqué en justice pour avoir envoyé des profils à OpenAI", "lawsuit"),
        ("Facebook wants to upload your camera roll for AI suggestions", "policy_change"),
        # a regulator's paper is guidance; asking app stores to drop an app, or a Dutch or
        # German commissioner speaking, is its action
        ("Hamburg's discussion paper: language models hold no personal data", "guidance"),
        ("Data protection commissioner asks Apple and Google to drop DeepSeek from app stores",
         "regulator_action"),
        ("Nederlandse toezichthouder: gebruikers kunnen Meta's AI-training weigeren",
         "regulator_action"),
        ("Datenschutzbeauftragter sieht KI-Training mit Nutzerdaten kritisch",
         "regulator_action"),
        # a call for views, or regulators setting out how, is guidance; the EDPB in French
        # is the CEPD
        ("UK regulator asks for views on training generative AI on scraped data", "guidance"),
        ("Privacy regulators set out when AI developers may use personal data", "guidance"),
        ("Le CEPD rend ses conclusions sur ChatGPT et les données personnelles",
         "regulator_action"),
        ("Datenschutzbehörde gibt Empfehlungen zum KI-Training mit Nutzerdaten", "guidance"),
        # asking regulators to act is a complaint; a regulator telling users, or seeking a
        # court order, acts
        ("Privacy group asks regulators to stop Meta training AI on posts", "lawsuit"),
        ("Data protection authority tells users they can object to AI training on posts",
         "regulator_action"),
        ("Datatilsynet oppfordrer brukere til å reservere seg mot KI-trening på innlegg",
         "regulator_action"),
        ("Irish DPC seeks High Court order to stop X training Grok on posts",
         "regulator_action"),
        # switching a setting off, and a guide to it, is how to opt out
        ("I switched off LinkedIn's AI data setting", "opt_out"),
        ("Forum will license its community's answers to OpenAI", "data_deal"),
        ("La AEPD explica cómo impedir que Meta entrene su IA con tus datos", "opt_out"),
        # German splits 'aussetzen' around its object: 'setzt KI-Training ... aus'
        ("LinkedIn setzt KI-Training mit Daten britischer Nutzer aus", "pause"),
        ("Meta stelt AI-training met gegevens van Europese gebruikers uit", "pause"),
        # holding a launch back, or agreeing in court not to use data, is a pause; a
        # regulator approving a plan acts
        ("Bard won't launch in Europe yet: DPC says Google gave no data protection assessment",
         "pause"),
        ("X agrees in court not to use EU users' posts to train Grok for now", "pause"),
        # the fine print is a platform's terms, not a regulator's fine
        ("Zoom's AI terms: what the fine print says", "policy_change"),
        ("Italy fines OpenAI over ChatGPT", "regulator_action"),
        # climb-downs in the press's idioms are pauses
        ("WeTransfer backs down over AI clause in its terms", "pause"),
        ("WeTransfer rudert zurück: keine KI-Nutzung von Nutzerdateien", "pause"),
        ("Meta fa marcia indietro sull'addestramento dell'IA con i dati degli europei", "pause"),
        ("Meta da marcha atrás y no entrenará su IA con datos de europeos", "pause"),
        ("Zoom krabbelt terug: geen AI-training met gesprekken van klanten", "pause"),
        ("Brazil's ANPD approves Meta's plan and lets it train AI on local data again",
         "regulator_action"),
        ("Irish regulator says LinkedIn cut back the data it will use for AI",
         "regulator_action"),
        ("Discord puts back the privacy policy line it removed during its AI launch", "pause"),
        ("Korean privacy regulator clarifies rules for AI developers scraping public data",
         "guidance"),
        ("ChatGPT: Neue Einstellung verhindert, dass Chats zum Training genutzt werden",
         "opt_out"),
        ("Chatbot bloccato in Italia per l'uso dei dati personali", "regulator_action"),
        ("Grok, X and your tweets: a short privacy guide", "opt_out"),
        ("Meta, l'IA et vos publications : le mode d'emploi pour dire non", "opt_out"),
        ("Il Garante pubblica raccomandazioni sull'addestramento dell'IA con dati personali",
         "guidance"),
        # a regulator's framework is guidance; charges are settled with a regulator; a
        # setting that keeps chats away from AI, or prevents its use, is an opt-out
        ("Hong Kong privacy commissioner issues framework for firms using AI with personal data",
         "guidance"),
        ("Everalbum settles charges that it used people's photos to train facial recognition",
         "regulator_action"),
        ("WhatsApp's new setting keeps your chats away from Meta AI", "opt_out"),
        ("WhatsApp estrena una opción para impedir que Meta AI use los mensajes de tus chats",
         "opt_out"),
        # a penalty is a regulator's; 'processa' sues in Portuguese; spelling out or
        # 'préciser' the rules is guidance; saying no is how to opt out
        ("OpenAI hit with €15m Italian penalty over ChatGPT's handling of personal data",
         "regulator_action"),
        ("Reddit processa Anthropic por usar comentários de usuários sem permissão", "lawsuit"),
        ("EU privacy board spells out when AI models can rely on legitimate interest",
         "guidance"),
        ("Intérêt légitime et IA : la CNIL précise les conditions", "guidance"),
        ("X usa i tuoi post per addestrare Grok: ecco come dire di no", "opt_out"),
        ("LinkedIn entrena su IA con tus datos sin preguntar: así puedes evitarlo", "opt_out"),
        # the FTC's own words, a regulator letting or answering, suspended downloads in
        # Spanish are regulators acting; a regulator's guide or strategy is guidance
        ("Photo app settles FTC allegations over face recognition models built on users' photos",
         "regulator_action"),
        ("Brazil's data authority lets Meta resume training AI on local users' posts",
         "regulator_action"),
        ("ICO responds to Meta's decision to resume AI training on UK users' posts",
         "regulator_action"),
        ("Corea del Sur suspende las descargas de DeepSeek por la protección de datos",
         "regulator_action"),
        ("EU data protection board publishes guide to the privacy risks of large language models",
         "guidance"),
        ("ICO launches AI and biometrics strategy", "guidance"),
        # a platform blocking AI crawlers sets its policy; 'setzt Nutzung aus' pauses;
        # what a platform may use, or what will be used in Italian, is a change
        ("Medium blocks GPTBot and asks AI firms to pay writers", "policy_change"),
        ("X setzt Nutzung von EU-Daten für Grok vorerst aus", "pause"),
        ("Meta: i post pubblici saranno usati per l'intelligenza artificiale, salvo opposizione",
         "policy_change"),
        ("Gemini can use your messages even with its activity setting off: here is how to check",
         "policy_change"),
        # 'training dell'IA' in Italian press; a privacy group complaining complains; a
        # country pausing downloads acts
        ("LinkedIn sospende il training dell'IA nel Regno Unito", "pause"),
        ("ChatGPT told a man he murdered his children. Now a privacy group is complaining",
         "lawsuit"),
        ("South Korea pauses downloads of DeepSeek over personal data", "regulator_action"),
        # learning from people's chats is training on them, and a platform's privacy
        # principles are its policy; a deal that may breach the law is a regulator's warning,
        # not a data breach
        ("Slack users alarmed by privacy principles that let it learn from their chats",
         "policy_change"),
        ("Italian publisher GEDI told its OpenAI deal may breach privacy law",
         "regulator_action"),
        ("Tumblr users can now ask that their blogs be kept from AI companies", "opt_out"),
        ("WeTransfer retire la clause sur l'apprentissage automatique", "pause"),
        # an appeal won or lost is the court's; a platform that can resume was let by a
        # regulator, and so was one with its approval (visto bueno); 'hält an' stops
        ("Clearview AI wins appeal against UK privacy fine over scraped images", "lawsuit"),
        ("ICO: LinkedIn can resume AI training on UK data after improving its objection process",
         "regulator_action"),
        ("Meta vuelve a entrenar su IA en Brasil con el visto bueno del regulador",
         "regulator_action"),
        ("LinkedIn hält KI-Training mit britischen Nutzerdaten an", "pause"),
        # a regulator orders, or suspends a platform's policy; a switch to block crawlers,
        # a way to opt in or a setting for users is an opt-out kind; telling developers how
        # they may use data is guidance
        ("Brazil orders Meta to stop using Brazilians' posts to train its AI",
         "regulator_action"),
        ("Brasil suspende la política de Meta para entrenar IA con datos de usuarios",
         "regulator_action"),
        ("Squarespace sites can now block AI crawlers with one switch", "opt_out"),
        ("YouTube lets creators opt in to third-party AI training", "opt_out"),
        ("Bluesky floats a setting for users to say if their posts may train AI", "opt_out"),
        ("South Korea tells AI developers how they may use public personal data", "guidance"),
        # a privacy row is over people's data; what one can do about it is how to opt out;
        # 'causa per' is a lawsuit in Italian
        ("Slack's AI privacy row: what admins can do about it", "opt_out"),
        ("Reddit contro Anthropic: causa per lo scraping dei post degli utenti", "lawsuit"),
    ],
)  # fmt: skip
def test_more_ways_to_say_data_and_what_happened(classifier: Classifier, title: str, event: str):
    """Discussions, a website, people's writing, uploaded music and a camera roll are their
    data; 'vende' sells in Italian, Spanish and Portuguese; a suit is a lawsuit, and so is
    being taken to court ('en justice')."""
    verdict = classifier.classify(ItemText(title))
    assert verdict.relevant, verdict.reasons
    assert verdict.event == event


@pytest.mark.parametrize(
    ("title", "platform"),
    [
        ("SoundCloud's new terms let it train AI on uploaded music", "soundcloud"),
        ("Bumble attaqué en justice pour avoir envoyé des profils à OpenAI", "bumble"),
        ("Photobucket in talks to license users' photos to AI companies", "photobucket"),
        ("Garante orders DeepSeek to stop processing Italians' data", "deepseek"),
        ("CNIL fines Clearview AI for scraping people's faces", "clearview"),
        ("Replika maker Luka fined over how its chatbot was trained", "replika"),
        ("Otter.ai sued over recording meetings to train its AI", "otter"),
        ("Dropbox says files are not shared with OpenAI for training", "dropbox"),
        ("ICO issues preliminary enforcement notice against Snap over My AI", "snapchat"),
        ("Bluesky proposes letting users say whether their posts may train AI", "bluesky"),
        # the German genitive: the owner with a bare s
        ("Irische Behörde lässt LinkedIns KI-Training mit Auflagen zu", "linkedin"),
        ("Googles Gemini soll mit Nutzerdaten trainiert werden", "google"),
    ],
)
def test_smaller_platforms_are_named_too(classifier: Classifier, title: str, platform: str):
    assert platform in classifier.classify(ItemText(title)).platforms


def test_an_item_that_is_not_relevant_still_names_its_platforms_and_regions(
    classifier: Classifier,
):
    """What an item names is a fact of its text; only a relevant item gets an event."""
    verdict = classifier.classify(ItemText("Meta releases a new Llama model in the EU"))
    assert not verdict.relevant
    assert verdict.platforms == ("meta",)
    assert verdict.regions == ("EU",)
    assert verdict.event is None
    assert "platform Meta (Facebook, Instagram, WhatsApp, Threads) from 'Meta'" in verdict.reasons


@pytest.mark.parametrize(
    "title",
    [
        "Les utilisateurs de Reddit réagissent à l'accord avec OpenAI",
        "Os utilizadores do Reddit reagem ao acordo com a OpenAI",
    ],
)
def test_users_are_not_a_verb_of_use(classifier: Classifier, title: str):
    """'utilis-' and 'utiliz-' begin both 'to use' and 'users': only the verb's forms count."""
    verdict = classifier.classify(ItemText(title))
    assert not any(reason.startswith("use term") for reason in verdict.reasons)


@pytest.mark.parametrize(
    ("title", "regions"),
    [
        ("LinkedIn opts in members outside the EU to AI training", ("GLOBAL",)),
        ("LinkedIn trains AI on member data, except in the EU, EEA and Switzerland", ("GLOBAL",)),
        ("LinkedIn nutzt Mitgliederdaten für KI, Europäer ausgenommen", ("GLOBAL",)),
        ("Meta usará tus chats con su IA para anuncios, salvo en Europa y Reino Unido",
         ("GLOBAL",)),
        ("Outside the EU, the UK regulator says LinkedIn must stop AI training on user data",
         ("UK",)),
        ("Meta will train AI on all posts except those of teenagers in the EU", ("EU",)),
        ("Meta will use your AI chats for ads; this does not apply in the EU", ("GLOBAL",)),
        ("Meta will use what you say to its AI for ads, except in the EU, the UK or South Korea",
         ("GLOBAL",)),
        ("Meta utilisera vos échanges avec son IA, sauf l'UE, le Royaume-Uni et la Corée du Sud",
         ("GLOBAL",)),
        ("Meta will train AI on posts outside the EU, while the UK gets a pause", ("UK",)),
        ("Microsoft: Copilot lernt künftig aus Nutzerdaten, Europa vorerst ausgenommen",
         ("GLOBAL",)),
    ],
)  # fmt: skip
def test_a_region_the_text_leaves_out_is_not_tagged(
    classifier: Classifier, title: str, regions: tuple[str, ...]
):
    """LinkedIn's 2024 opt-in left out the EU, EEA and Switzerland: a channel subscribed to
    the EU must not get it as EU news. A region further off stays tagged."""
    verdict = classifier.classify(ItemText(title))
    assert verdict.relevant, verdict.reasons
    assert verdict.regions == regions


def test_a_place_inside_a_country_names_the_country_too(classifier: Classifier):
    """Hamburg's commissioner acts in Germany: subscribers to DE and to DE-HH both care."""
    verdict = classifier.classify(
        ItemText("Hamburger Datenschützer will Metas KI-Training mit Nutzerdaten stoppen")
    )
    assert verdict.relevant
    assert {"DE", "DE-HH"} <= set(verdict.regions)
    assert "region DE from 'Hamburger'" in verdict.reasons


def test_california_is_named_in_other_languages(classifier: Classifier):
    """A lawsuit filed in California is US news for a German outlet too."""
    verdict = classifier.classify(
        ItemText("Klage in Kalifornien: LinkedIn soll Nachrichten für KI-Training genutzt haben")
    )
    assert {"US", "US-CA"} <= set(verdict.regions)


def test_a_model_named_is_ai(classifier: Classifier):
    """PaLM 2 is Google's model: a regulator asking about its personal data is an alert."""
    verdict = classifier.classify(
        ItemText("DPC opens an inquiry into PaLM 2 over the personal data of EU users")
    )
    assert verdict.relevant
    assert verdict.event == "regulator_action"


# Which items are about AI use of people's data, by what makes them so (or not).
RELEVANCE_CASES = [
    # product launches mention AI and people's words without being about their data
    ("Quora rolls out AI-powered summaries of answers", False),
    ("Grok gains memory so it can remember past conversations", False),
    # a platform that breaches the law is no data breach; data breaches stay out
    ("ChatGPT breaches privacy law, Garante says", True),
    ("OpenAI confirms data breaches exposed ChatGPT users' chats", False),
    # an assistant that summarises, searches or remembers on request is a product's feature,
    # and so is a columnist's week with one; what people tell an AI, and their Gmail, are
    # their data
    ("ChatGPT's memory now references all your past chats", False),
    ("Slack AI now searches files and apps connected to your workspace", False),
    ("KI-Assistent von WhatsApp fasst ungelesene Nachrichten zusammen", False),
    ("I let an AI assistant read my inbox for a week. Here's what happened", False),
    ("Meta will use what you tell its AI to choose the ads you see", True),
    ("Class action claims Google quietly turned on Gemini's access to users' Gmail", True),
    # the settings platforms name for using people's data for AI, and ads made with a
    # user's face, need no AI or data word
    ("How to turn off Google's new 'Save media' setting for Search", True),
    ("Gemini's Keep Activity setting: what it shares and how to switch it off", True),
    ("Figma turns on content training for Starter and Professional teams", True),
    ("Snapchat can use your selfies to make ads featuring your face", True),
    # Pinterest's Canvas model is trained like Grok or Claude; newsletters are writers' work
    ("Pinterest explains why it trains Canvas on users' Pins", True),
    ("Substack adds setting to stop AI companies training on newsletters", True),
    # a platform's own terms, said with a possessive, in other languages
    ("Zoom cambia sus términos tras las críticas por la IA", True),
    # the AI Act regulates AI in general, not this bot's subject
    ("EDPB adopts statement on the AI Act's timeline", False),
    ("Claude can now search your past conversations", False),
    ("Slack launches AI recaps of channel messages", False),
    ("Copilot adds search across your past conversations", False),
    ("ChatGPT Plus gets faster answers", False),
    ("LinkedIn launches a setting that lets it train AI on your posts", True),
    ("Tumblr users can now keep their posts away from AI training", True),
    # a privacy policy or setting implies personal data where it stands; what people type is theirs
    ("Zoom rewrites its privacy policy after an outcry over AI features", True),
    ("Gemini returns to Italy with new privacy controls", True),
    ("Microsoft will train Copilot on what you type in Bing", True),
    # one objects to one's own data being used (an object detected is not an objection);
    # documents are people's data too
    ("Course creators object to Skillshare's generative AI opt-out window", True),
    ("Autoren widersprechen dem KI-Plan des Verlags", True),
    ("Microsoft says Office documents are not used to train large language models", True),
    ("Google releases an AI object detection model for phones", False),
    # files, answers and '<AI>-Training' compounds in other languages
    ("Italien verhängt Bußgeld gegen OpenAI wegen ChatGPT-Training", True),
    ("Gemini usará tus archivos para mejorar la IA de Google", True),
    ("Stack Overflow supprime les réponses effacées en protestation contre OpenAI", True),
    # a feed is a product, to feed is a use
    ("Threads app adds a Discover feed of friends' AI prompts", False),
    ("Your LinkedIn posts may now feed Microsoft's generative AI", True),
    ("Meta's new Vibes feed lets you make and remix AI videos", False),
    ("Office settings do not feed LLM training, Microsoft says", True),
    # voice assistants and algorithms are AI; recordings and emails are data
    ("FTC: the company used children's voice recordings to train its algorithms", True),
    ("Amazon will send Alexa voice recordings to the cloud to build new features", True),
    ("Alexa-Sprachaufnahmen landen künftig alle in Amazons Cloud für die KI", True),
    ("Class action says Gemini read users' private emails by default", True),
    # data protection complaints, regulators and AI makers by name; 'le chat' stays chats
    ("GDPR complaint against OpenAI over what ChatGPT says about people", True),
    ("Datenschutzbeschwerde gegen OpenAI: ChatGPT erfindet ein Geburtsdatum", True),
    ("UODO wszczyna postępowanie w sprawie ChatGPT", True),
    ("South Korea suspends downloads of DeepSeek over personal data concerns", True),
    ("Canada's privacy commissioners jointly investigate OpenAI", True),
    ("ChatGPT: come evitare che le chat addestrino il modello", True),
    # scraped images and datasets are data; Adobe Stock is a library; AI video making is not
    ("Clearview AI wins appeal against a privacy fine over scraped images", True),
    ("Adobe Stock-Fotografen bekommen Bonus für Firefly-Trainingsdaten", True),
    ("DeviantArt will keep art out of AI datasets by default", True),
    ("Meta brings AI video generation to Reels", False),
    # the bare word 'privacy' names people's data but adds no evidence by itself
    ("Italy fines OpenAI over privacy violations in ChatGPT", True),
    ("Datenschutz: Italien verhängt Bußgeld gegen OpenAI wegen ChatGPT", True),
    ("Microsoft delays its AI Recall feature over privacy concerns", False),
    ("DuckDuckGo launches a privacy-first AI chat", False),
    # 'faces' is often a verb; music the labels license is not users' data
    ("Clearview AI faces a lawsuit from its own investors", False),
    ("AI music start-ups in licensing talks with record labels", False),
    # tweets and posts in Spanish and Italian
    ("X entrena a Grok con los tuits de sus usuarios", True),
    ("Reddit e OpenAI: accordo per usare i post degli utenti in ChatGPT", True),
    # blogs and web pages are data; crawling is a use
    ("Tumblr users can ask that their blogs be kept away from AI training", True),
    ("Squarespace lets site owners stop AI crawlers crawling their pages", True),
    # calls and meetings are data, Kundendateien are files; a privacy fine is about data;
    # Pinterest Canvas is an AI model
    ("Webex terms seem to let it use customer calls to build AI", True),
    ("Dropbox: Wir nutzen Kundendateien nicht für KI", True),
    ("Clearview AI will appeal the Dutch privacy fine", True),
    ("Pinterest will use old Pins to improve Pinterest Canvas", True),
    ("Pinterest's AI now learns from your boards, old and new", True),
    # crawling a site takes what its people published, as scraping does
    ("Reddit accuses Anthropic of ignoring requests to stop crawling its site", True),
    # suspending or resuming "training on" people's data is a model's training
    ("LinkedIn suspends training on UK members' data after ICO engagement", True),
    # "startet" is a change starting as often as a launch
    ("Meta startet Werbung auf Basis von KI-Gesprächen", True),
    # German says "Training mit Patientendaten" for training a model on them
    ("Foresight: Training mit Patientendaten in England vorerst gestoppt", True),
    # Clearview's product is face recognition trained on scraped photos, like an AI firm's
    # name; 'gezichten' are faces
    ("Clearview krijgt boete van 30,5 miljoen van Nederlandse privacytoezichthouder", True),
    ("AP legt Clearview boete op voor database met foto's van gezichten", True),
    # a fine is a data protection fine even when nothing else says so; one for a breach or
    # for cookies names no AI
    ("Replika maker appeals Italy's €5 million fine", True),
    ("Multa de cinco millones a Replika en Italia", True),
    ("Facebook owner fined over a breach of user accounts", False),
    # Italian posts and Grok's training; 'échanges' are conversations
    ("X sfrutta il contenuto dei post per l'addestramento di Grok", True),
    ("Meta exploitera vos échanges avec son IA pour cibler ses publicités", True),
    # what AI makes is not what it learns from; searches and Lens images are people's data
    ("CNIL: Grok deepfakes of real people break the law", False),
    ("Italy's Garante warns about AI apps that undress people in photos", False),
    ("Google keeps your Lens images and voice searches to improve its AI models", True),
    ("Google speichert Sprachsuchen standardmäßig für KI-Verbesserungen", True),
    # Snapchat's My Selfie is an AI feature; a country examining is a probe
    ("Snapchat's My Selfie terms let it use your likeness in ads", True),
    ("Irland prüft, ob Google bei Gemini den Datenschutz beachtet", True),
    # blocking or stopping an AI over privacy (Datenschutz* compounds) is about data; videos
    # an AI makes are not people's data
    ("Italien sperrt ChatGPT wegen Datenschutzbedenken", True),
    ("Südkorea stoppt Downloads von DeepSeek wegen Datenschutzmängeln", True),
    ("South Korea suspends downloads of DeepSeek until it fixes privacy problems", True),
    ("OpenAI shows off Sora videos to film studios", False),
    # what an AI drafts from a prompt is its output; a product named Answers is a product,
    # and expanding it to more countries is a launch
    ("Figma's new AI drafts app designs from a text prompt", False),
    ("Reddit expands Reddit Answers, its AI search tool, to more countries", False),
    # what people post, their videos and scraped web data are people's data;
    # regulators in the plural speak about it too
    ("Everything you post may now train Google's AI", True),
    ("Creators can let AI companies train on their videos", True),
    ("Is web scraping to train generative AI lawful?", True),
    ("Privacy regulators question OpenAI over ChatGPT", True),
    # a platform's AI pause, opt-in or machine-learning policy is its policy on people's
    # data; a government's AI policy, or a company's AI plans, are not
    ("What LinkedIn's AI pause means for its members", True),
    ("Why users are angry about Slack's machine learning policy", True),
    ("Meta legt seine KI-Pläne in Europa auf Eis", True),
    ("Government publishes its AI policy for schools", False),
    ("Meta's AI plans include new smart glasses", False),
    # a security flaw in an AI app is a security story
    ("ChatGPT app kept conversations in plain text, researcher finds", False),
    # columnists' words: a career history, video calls in French, a consent pop-up or a dark
    # pattern are about people's data; best-of lists and chatbot match-ups are not
    ("Should you let LinkedIn use your career history for AI?", True),
    ("Zoom et l'IA : faut-il s'inquiéter pour vos visioconférences ?", True),
    ("Slack-Nachrichten als Trainingsmaterial für KI", True),
    ("X's Grok setting is a lesson in dark patterns", True),
    ("Anthropic's Claude consent pop-up: which button to press", True),
    ("The best AI note-takers for your meetings", False),
    ("Grok vs ChatGPT: which chatbot answers better?", False),
    # a way to keep one's posts from AI is an opt-out, not a product launch; a data centre
    # is not people's data
    ("Tumblr adds a way for users to keep their posts from AI companies", True),
    ("OpenAI and Microsoft in talks over new data centre deal", False),
    # recordings in other languages are people's data
    ("Apple paga 95 millones para cerrar la demanda por las grabaciones de Siri", True),
    ("Amazon: l'assistente vocale Alexa conserva le registrazioni dei bambini", True),
    ("Facebook will Zugriff auf die Kamerarolle für KI-Vorschläge", True),
    ("Reddit verklagt Perplexity wegen Datenabgriffs", True),
    # blocking AI crawlers is a policy on the use of what people wrote
    ("Medium blocks GPTBot and asks AI firms to pay writers", True),
    # the Swiss commissioner by its German initials speaks of personal data
    ("EDÖB: Das Datenschutzgesetz gilt auch für künstliche Intelligenz", True),
    # training on people's things needs no AI word, and neither does training facial
    # recognition; camera footage is people's data. Facial recognition in use (shops,
    # police) is surveillance, which the bot leaves out.
    ("Apple says it won't train on your emails but compares them on-device", True),
    ("Everalbum used people's photos to train facial recognition without consent", True),
    ("FTC: Ring used private camera footage to train algorithms without consent", True),
    ("Garante privacy: stop al riconoscimento facciale nei supermercati", False),
    # being opted in to training its AI; a forum is its people's posts, a recording theirs;
    # Otter.ai makes AI; 'bestraft' punishes and 'Zustimmung' is consent in German
    ("LinkedIn quietly opted you in to training its AI", True),
    ("Reddit takes Anthropic to court over Claude's appetite for its forums", True),
    ("Otter.ai accused of secretly recording Zoom calls to train its transcription AI", True),
    ("Sammelklage: Otter.ai soll Meetings ohne Zustimmung mitgeschnitten haben", True),
    ("15 Millionen Euro: Italien bestraft OpenAI wegen ChatGPT", True),
    # biometrics and privacy risks are about people's data
    ("Preventing harm, promoting trust: our AI and biometrics strategy", True),
    ("AI privacy risks and mitigations: a report on large language models", True),
    ("Snapchat may have failed to assess privacy risks of My AI, UK regulator says", True),
    # courses about AI teach people; they are not people's data
    ("Udemy reports rising demand for AI courses", False),
    # snooping and eavesdropping are on people's data; the Irish regulator is the DPC
    ("Google accused of letting Gemini snoop on Gmail", True),
    ("Apple settles Siri eavesdropping lawsuit", True),
    ("Irish regulator opens investigation into Grok", True),
    # a platform's terms, or a clause in them, are its rules for its users' data, in every
    # language; "in terms of" is no platform's terms
    ("WeTransfer past voorwaarden aan na ophef over AI", True),
    ("Artists threaten to leave SoundCloud over clause on machine learning", True),
    ("WeTransfer fait marche arrière sur l'IA dans ses conditions d'utilisation", True),
    ("In terms of AI, the new phone is a big step forward", False),
    # Echo speakers are voice assistants; what one says to them is one's data; getting
    # access to data is using it, not a product's news
    ("Amazon is ending the option to keep Echo voice recordings off its cloud", True),
    ("From tomorrow, everything you say to Echo goes to Amazon's cloud", True),
    ("OpenAI gets access to Reddit's data API in new partnership", True),
    # what a chatbot says about people is their data ("gets wrong" is no product news);
    # images for training are data; asking that one's blogs be kept from AI objects
    ("ChatGPT can't correct what it gets wrong about people, complaint says", True),
    ("Shutterstock extends OpenAI deal to license images for training", True),
    # learning from people's things is training only when the things are their data
    ("Kids learn from their parents' screen habits, study finds", False),
    # people's videos in French; a regulator's preliminary notice is about their data
    ("YouTube : les créateurs pourront autoriser l'entraînement d'IA sur leurs vidéos", True),
    ("UK regulator issues preliminary notice to Snap over My AI chatbot", True),
    # what one asks a voice assistant is what one says
    ("Amazon will send all Echo voice requests to the cloud from 28 March", True),
    # smart glasses are AI devices like Echo, whose recordings are their wearers' data
    ("Meta's Ray-Ban glasses will keep your voice recordings in the cloud by default", True),
    ("Ray-Ban-Brille von Meta: Sprachaufnahmen landen künftig in der Cloud", True),
    ("Meta's smart glasses sales triple as AI features drive demand", False),
    # scraping takes what people published; Gmail is people's mail
    ("Reddit sues Anthropic, saying its bots scraped the site despite promises", True),
    ("Google hit with lawsuit over Gemini's access to Gmail", True),
    # a launch that adds a privacy control or a way to object is privacy news
    ("ChatGPT back online in Italy: OpenAI adds age checks and an objection form", True),
    ("Discord quietly drops a privacy promise as it adds AI features", True),
    ("Gemini adds temporary chats and custom memory controls", False),
    # training on people's things is a model's training, though no AI word is said
    ("Slack's privacy principles allow training on customer messages unless admins email", True),
    ("Government sets aside funds for training nurses", False),
    # publishers' and authors' works are the copyright story, not people's data; breaches
    # and hacks at AI firms are security news
    ("New York Times sues OpenAI and Microsoft over use of its articles to train AI", False),
    ("News Corp signs deal letting OpenAI use its newspapers' content", False),
    ("Judge rules training AI on purchased books is fair use", False),
    ("Le Monde et OpenAI étendent leur partenariat sur les contenus journalistiques", False),
    ("News Corp signs multiyear content deal with OpenAI", False),
    ("DeepSeek left a database of chat logs exposed online, researchers find", False),
    ("OpenAI hack: attacker stole details of AI designs from internal forum", False),
    (
        "Italy's Garante warns publisher GEDI against handing its archive to OpenAI to train AI",
        True,
    ),
    ("Shutterstock extends deal giving OpenAI its contributors' images for training", True),
]


# The smaller episodes in the regulators' languages: selling and licensing, past participles,
# meetings, pins, courses and artists' music, accusations, a clause struck out, signing off.
LANGUAGE_CASES = [
    ("Stack Overflow cède les réponses de ses membres à OpenAI", "data_deal"),
    ("Photobucket will alte Fotos seiner Nutzer an KI-Firmen lizenzieren", "data_deal"),
    ("Tumblr y WordPress venderán publicaciones de usuarios a empresas de IA", "data_deal"),
    ("SoundCloud assicura di non aver mai usato la musica degli artisti per l'IA", "policy_change"),
    ("Pinterest usa los pines de sus usuarios para su IA, sin importar su antigüedad",
     "policy_change"),
    ("Otter.ai accusé d'enregistrer des réunions sans consentement", "lawsuit"),
    ("WeTransfer schrapt omstreden AI-clausule uit voorwaarden", "pause"),
    # a regulator's questions are its action
    ("Le gendarme italien de la vie privée interroge OpenAI sur les données de Sora",
     "regulator_action"),
    ("L'autorità italiana chiede chiarimenti a OpenAI sui dati usati per addestrare Sora",
     "regulator_action"),
    ("Udemy-docenten moeten zich afmelden als ze niet willen dat hun cursussen AI voeden",
     "opt_out"),
]  # fmt: skip


def test_a_restart_is_a_change_though_its_summary_says_how_to_object(classifier: Classifier):
    verdict = classifier.classify(
        ItemText(
            "Meta relance l'entraînement de son IA au Royaume-Uni",
            "Les utilisateurs britanniques pourront s'opposer via un formulaire simplifié.",
        )
    )
    assert verdict.event == "policy_change"


@pytest.mark.parametrize(
    ("title", "event"),
    [
        ("Brazil suspends Meta's new privacy policy over AI training on users' posts",
         "regulator_action"),
        ("Brazil lets Meta resume AI training after it accepts conditions", "regulator_action"),
        ("Italy asks OpenAI how it trains Sora and on whose data", "regulator_action"),
        ("Italien sperrt DeepSeek wegen Datenschutzbedenken", "regulator_action"),
        # a regulator suspending something itself acts; one welcoming a pause does not
        ("Brazil's ANPD suspends Meta's policy of training AI on Brazilians' posts",
         "regulator_action"),
        ("DPC welcomes Meta's decision to pause its plans to train its large language model",
         "pause"),
        # the country's people, not the state
        ("UK users too: Meta pauses AI training after ICO request", "pause"),
        ("Brazilian users can now object to Meta AI training on their data", "opt_out"),
    ],
)  # fmt: skip
def test_a_title_opening_with_a_state_acting_is_the_regulators_action(
    classifier: Classifier, title: str, event: str
):
    verdict = classifier.classify(ItemText(title))
    assert verdict.event == event
    if event == "regulator_action":
        assert any(
            r.startswith("event regulator_action:") and "acting" in r for r in verdict.reasons
        )


@pytest.mark.parametrize(
    "title",
    [
        "Meta vai usar publicações de europeus para treinar IA a partir de maio",
        "Meta utilizará las publicaciones de los europeos para entrenar su IA",
        "Meta utilisera les publications des Européens pour entraîner son IA",
        "Meta userà i post degli europei per addestrare la sua IA",
        "Claude: Anthropic nutzt künftig Chats für das KI-Training",
        "LinkedIn gaat gegevens van gebruikers gebruiken voor AI-training",
    ],
)
def test_a_change_told_in_the_future_tense_is_read_in_every_language(
    classifier: Classifier, title: str
):
    """ "Will use" is the change itself: read from the words, not the feed's default, so a
    country's report of it is matched as the change (bot.stories)."""
    verdict = classifier.classify(ItemText(title))
    assert verdict.relevant, verdict.reasons
    assert (verdict.event, verdict.event_guessed) == ("policy_change", False), verdict.reasons


@pytest.mark.parametrize(("title", "event"), LANGUAGE_CASES)
def test_smaller_episodes_are_read_in_every_language(
    classifier: Classifier, title: str, event: str
):
    verdict = classifier.classify(ItemText(title))
    assert verdict.relevant, verdict.reasons
    assert verdict.event == event


@pytest.mark.parametrize(("title", "relevant"), RELEVANCE_CASES)
def test_what_makes_an_item_about_ai_use_of_data(
    classifier: Classifier, title: str, relevant: bool
):
    """Each vocabulary rule the labelled set taught us, in every language: the data, AI
    and use words that make an item relevant, and the launches and look-alikes that do not."""
    assert classifier.classify(ItemText(title)).relevant is relevant, title


def test_a_kind_found_in_no_words_is_marked_as_a_guess(classifier: Classifier):
    """Grouping weighs a kind read from the words, not the feed's default."""
    read = classifier.classify(ItemText("Japan's privacy watchdog warns OpenAI over its data"))
    guessed = classifier.classify(ItemText("Sensitive data and ChatGPT: what users should know"))
    assert (read.event, read.event_guessed) == ("regulator_action", False)
    assert (guessed.event, guessed.event_guessed) == ("policy_change", True)
    assert "event policy_change by default for a news feed" in guessed.reasons


def test_a_platforms_own_feed_names_the_platform_its_text_leaves_out(classifier: Classifier):
    """'Updates to our User Agreement' on Meta's newsroom is Meta's; the same words in a news
    feed, or in a platform feed whose name names none, stay unattributed."""

    def platforms(kind: str | None, name: str | None) -> tuple[str, ...]:
        text = ItemText(
            "Updates to our terms and privacy policy",
            "We will use public posts to train our AI models. You can object in settings.",
            feed_kind=kind,
            feed_name=name,
        )
        return classifier.classify(text).platforms

    assert platforms("platform", "Meta Newsroom") == ("meta",)
    assert platforms("news", "Meta Newsroom") == ()
    assert platforms("platform", "Company blog") == ()
    verdict = classifier.classify(
        ItemText(
            "Updates to our terms",
            "We will train AI on your posts.",
            feed_kind="platform",
            feed_name="Slack blog",
        )
    )
    assert "platform Slack from the feed (Slack blog)" in verdict.reasons


def test_a_name_that_holds_a_term_is_not_that_term(classifier: Classifier):
    """The "Ban" of Ray-Ban is no ban, so no regulator acted; Meta is still named."""
    verdict = classifier.classify(
        ItemText("Lunettes Ray-Ban Meta : l'IA analysera par défaut vos photos")
    )
    assert verdict.relevant
    assert verdict.event == "policy_change"
    assert verdict.platforms == ("meta",)
    assert not any("'Ban'" in reason for reason in verdict.reasons)


@pytest.mark.parametrize(
    ("title", "platforms"),
    [
        ("Reddit hands its users' threads to Google to train AI", ("google", "reddit")),
        ("Meta will train its AI on public posts from Instagram and Threads", ("meta",)),
        ("Anthropic: le chat degli utenti di Claude addestreranno i modelli", ("anthropic",)),
        ("Mistral's Le Chat will train on your conversations unless you opt out",
         ("mistral",)),
    ],
)  # fmt: skip
def test_a_name_that_is_a_word_counts_only_with_its_capital(
    classifier: Classifier, title: str, platforms: tuple[str, ...]
):
    """ "threads" of comments are not Meta's Threads, nor "le chat" (the chats) Mistral's."""
    assert classifier.classify(ItemText(title)).platforms == platforms


def test_the_hamburg_urgency_procedure_is_the_regulators_action(classifier: Classifier):
    """The Hamburg commissioner's own word for its procedure; read even for a brief title
    that needs its story to be relevant (bot.stories.context)."""
    title = "Hamburger Datenschützer stellt Dringlichkeitsverfahren gegen Meta ein"
    event, reason, _ = classifier.read_event(ItemText(title))
    assert (event, reason) == (
        "regulator_action",
        "event regulator_action from 'Dringlichkeitsverfahren'",
    )


def test_a_chat_products_name_is_not_peoples_chats(classifier: Classifier):
    """ "Bing Chat" is a product: a feature coming to it says nothing of anyone's chats."""
    verdict = classifier.classify(
        ItemText("Microsoft brings OpenAI's image generator to Bing Chat")
    )
    assert not verdict.relevant, verdict.reasons
    assert verdict.platforms == ("microsoft", "openai")


def test_an_updated_agreement_is_a_change_though_its_summary_tells_how_to_opt_out(
    classifier: Classifier,
):
    """The title says what happened; the summary's opt-out is the background."""
    verdict = classifier.classify(
        ItemText(
            "Microsoft updates its services agreement",
            "Consumers will be able to opt out of having their Copilot and Bing conversations"
            " used to train generative AI models.",
        )
    )
    assert verdict.relevant
    assert verdict.event == "policy_change"


def test_the_headline_names_its_own_platforms_and_regions(classifier: Classifier):
    """What the title names, apart from what the summary adds; nothing when it names none."""
    verdict = classifier.classify(
        ItemText(
            "X suspends Grok training on EU users' data",
            "The Irish regulator went to court; Meta paused a similar plan in June.",
        )
    )
    assert verdict.platforms == ("meta", "x")
    assert verdict.regions == ("EU", "IE")
    assert (verdict.headline_platforms, verdict.headline_regions) == (("x",), ("EU",))
    bare = classifier.classify(ItemText("Updates to our terms", "Meta will train AI in the EU."))
    assert (bare.headline_platforms, bare.headline_regions) == ((), ())


@pytest.mark.parametrize(
    "title",
    ["Zoom endrar vilkåra etter storm av kritikk", "Zoom endrer vilkårene etter kritikk"],
)
def test_criticism_of_a_platform_is_not_a_regulators_act(classifier: Classifier, title: str):
    """Norwegian "kritikk" is anyone's criticism, so the change of terms it follows is the
    kind read (and a brief report of it can continue its open story, bot.stories.context)."""
    event, reason, guessed = classifier.read_event(ItemText(title))
    assert (event, guessed) == ("policy_change", False), reason


@pytest.mark.parametrize(
    "title",
    ["Italia stenger ute DeepSeek", "Italia stengjer ute DeepSeek", "Ítalía lokar á DeepSeek"],
)
def test_shutting_an_ai_out_is_blocking_it(classifier: Classifier, title: str):
    """Norwegian and Icelandic say "shuts out" where English says "blocks"."""
    assert "consent" in classifier.classify(ItemText(title)).headline_signals, title


@pytest.mark.parametrize(
    ("title", "region"),
    [
        ("Fiosrúchán ag an gCoimisiún um Chosaint Sonraí ar shamhail de chuid Google", "IE"),
        ("Álit Evrópska persónuverndarráðsins um notkun persónuupplýsinga", "EU"),
    ],
)
def test_a_regulators_name_is_read_in_its_grammatical_forms(
    classifier: Classifier, title: str, region: str
):
    """Irish eclipses a name after "ag an" (gCoimisiún), and Icelandic declines the EDPB's;
    each names its regulator's region as the plain form does."""
    assert region in classifier.classify(ItemText(title)).regions


def test_not_automatically_anonymous_is_no_change_of_settings(classifier: Classifier):
    """Czech "automaticky" alone is "automatically", not a setting switched on by default."""
    title = "Evropský sbor pro ochranu osobních údajů: modely AI nejsou automaticky anonymní"
    verdict = classifier.classify(ItemText(title))
    assert (verdict.event, verdict.event_guessed) != ("policy_change", False), verdict.reasons
