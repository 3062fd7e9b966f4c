"""A text in a language of UK communities, with none of bulk sending's signs (detectors/language.py): the learned
model's "marketing" reading, learned from adverts only, is set aside; warning signs still count."""

from __future__ import annotations

import pytest

from flag_cases import FIRES, SILENT, check_row, check_verdict, row, verdict_row
from scamshield.detectors.language import LanguageDetector, language_of

POLISH_FAMILY = "Mamo, wylądowałam w Stansted, autobus do Luton o 14:20. Nie musisz po mnie wyjeżdżać, Kuba"
ROWS = [
    row(POLISH_FAMILY, "WRITTEN_IN_ANOTHER_LANGUAGE", FIRES, "Mamo, wylądowałam w Stansted, autobus do", 0,
        id="language-polish-family"),
    row("Bore da Eric. Cyfarfod y capel nos Fercher am 7. Ydych chi eisiau lifft? Dai", "WRITTEN_IN_ANOTHER_LANGUAGE",
        FIRES, "Bore da Eric. Cyfarfod y capel nos", 0, id="language-welsh-chapel"),
    # a price, a long number or a link is a sign of bulk sending, in any language
    row("Polski Sklep Ealing: PROMOCJA! Kiełbasa krakowska 2 za £6, pączki świeże w sobotę. Zapraszamy!",
        "WRITTEN_IN_ANOTHER_LANGUAGE", SILENT, id="language-polish-shop-price"),
    row("Mamo, zobacz zdjęcia z wesela tutaj: photos-wesele.com/ania", "WRITTEN_IN_ANOTHER_LANGUAGE", SILENT,
        id="language-polish-link"),
    row("Mamo, zadzwoń do mnie na +48 512 345 678 jak będziesz mogła, kocham cię", "WRITTEN_IN_ANOTHER_LANGUAGE", SILENT,
        id="language-polish-foreign-phone-number"),
    # ... but not an ordinary UK line (a surgery's, HMRC's: round 727), and an opt-out in Latin letters is one
    row("Mamo, zadzwoń do urzędu skarbowego na 0300 200 3300 jak będziesz mogła, kocham cię", "WRITTEN_IN_ANOTHER_LANGUAGE",
        FIRES, "Mamo, zadzwoń do urzędu skarbowego na", 0, id="language-polish-uk-phone-number"),
    row("曼彻斯特华人社区中心：本周六上午举办免费讲座，欢迎参加。退订回复STOP", "WRITTEN_IN_ANOTHER_LANGUAGE", SILENT,
        id="language-chinese-opt-out"),
    # Urdu, Punjabi, Tamil... in Latin letters, which the detector cannot place: their commonest small words do
    row("Bhai committee ki is mahine ki 200 pounds maine Sajid ko de di hai, tumhari baari agle mahine hai",
        "WRITTEN_IN_ANOTHER_LANGUAGE", FIRES, "Bhai committee ki is mahine ki 200", 0, id="language-urdu-in-latin-letters"),
    row("Amma idhu en pudhu number. Three la pudhu contract eduthen. Save pannunga, appa kitta sollunga",
        "WRITTEN_IN_ANOTHER_LANGUAGE", FIRES, "Amma idhu en pudhu number. Three la", 0, id="language-tamil-in-latin-letters"),
    row("Ordered the naan and a mere two curries, the tame one for you", "WRITTEN_IN_ANOTHER_LANGUAGE", SILENT,
        id="language-english-with-borrowed-words"),
    # English, and a language the model learned from thousands of bulk texts, keep its reading
    row("Mum I landed at Stansted, the bus to Luton is at 14:20, no need to pick me up", "WRITTEN_IN_ANOTHER_LANGUAGE",
        SILENT, id="language-english"),
    row("Mamá, ya llegué a Stansted, el autobús a Luton sale a las dos, no hace falta que vengas", "WRITTEN_IN_ANOTHER_LANGUAGE",
        SILENT, id="language-spanish-learned-from-bulk"),
]


@pytest.mark.parametrize(("text", "flag", "expect", "span", "at"), ROWS)
def test_language_rows(text, flag, expect, span, at):
    check_row(LanguageDetector.from_rules(), text, flag, expect, span, at)


VERDICTS = [
    verdict_row(POLISH_FAMILY, "safe", id="polish-family-safe"),
    verdict_row("Dragi frați și surori, duminică după Sfânta Liturghie avem masă de pomenire pentru familia Popescu. "
                "Cine poate aduce colivă să anunțe pe grupul parohiei. Părintele Vasile", "safe", id="romanian-parish-safe"),
    # the "new number" opener in Polish still counts: a warning sign keeps the model's readings (not_spam_when)
    verdict_row("Cześć mamo, to mój nowy numer, stary telefon wpadł mi do wody. Zapisz ten. Masz chwilę? Muszę dziś "
                "zapłacić rachunek", ("suspicious", "scam"), id="polish-new-number-still-flagged"),
]


@pytest.mark.parametrize(("text", "verdicts"), VERDICTS)
def test_language_verdicts(text, verdicts):
    check_verdict(text, verdicts)


def test_language_of_is_sure_or_silent():
    assert language_of(POLISH_FAMILY) == ("pl", "Polish")
    assert language_of("Ammi ye mera naya number hai, save kar lein")[0] == "south-asian-latin"
    # English the detector is sure of needs three of those words, not two ("Abhi" and "Kal" are names here)
    assert language_of("Abhi and Kal coming round tonight, bring dessert") is None
    assert language_of("ok see you at 8 then, I'll bring the cake and the candles for your mum") is None
    assert language_of("") is None
    assert language_of("\ud800 lone surrogate") is None  # no opinion, no error


def test_a_call_in_another_language_sets_the_call_models_ordinary_reading_aside():
    """The call model learnt from calls in English only (round 600: a fake Polish officer's whole call in Polish)."""
    from scamshield import Analyzer, Message, Turn

    turns = [
        Turn(speaker="caller", text="Dzień dobry, czy rozmawiam z panią Haliną Kowalską? Tu komisarz z wydziału do walki z "
                                    "przestępczością gospodarczą. Współpracujemy z brytyjską policją."),
        Turn(speaker="callee", text="Tak, to ja. O co chodzi? Coś się stało?"),
        Turn(speaker="caller", text="Musimy zabezpieczyć pani oszczędności. Jutro pójdzie pani do oddziału i wypłaci całą kwotę "
                                    "gotówką. Nie może pani nikomu mówić o akcji, nawet rodzinie."),
    ]
    verdict = Analyzer.default().analyze(Message(channel="call", turns=turns, direction="incoming"))
    status = {f.id: f.status for f in verdict.flags}
    assert "WRITTEN_IN_ANOTHER_LANGUAGE" in status
    assert status.get("MODEL_CALL_LEGIT", "cancelled") == "cancelled"
    assert verdict.verdict in ("suspicious", "scam")


def test_a_call_in_english_is_not_another_language():
    from scamshield import Analyzer, Message, Turn

    turns = [Turn(speaker="caller", text="Hello, it's the surgery here, just ringing to say your blood test results are back and "
                                         "they're all normal, nothing for you to do.")]
    verdict = Analyzer.default().analyze(Message(channel="call", turns=turns, direction="incoming"))
    assert "WRITTEN_IN_ANOTHER_LANGUAGE" not in {f.id for f in verdict.flags}


def test_a_call_turn_the_detector_cannot_place_is_another_language_when_it_has_no_english_in_it():
    """Kurmanji mixed with English nouns, which the detector cannot place (round 685: a fake council's rebate call asking
    for the card and the code was "safe" on the call model's ordinary reading); telegraphic English is not."""
    from scamshield.detectors.language import LanguageDetector
    from scamshield.preprocess import make_unit

    detector = LanguageDetector(())
    kurmanji = ("tu salê çûyî zêde council tax dayî ji ber vê yekê rebate sed û pêncî pound ji te re heye lê divê îro em "
                "kartê te verify bikin")
    (found,) = detector.analyze(make_unit(kurmanji, turn=0, speaker="caller", channel="call"))
    assert found.flag == "WRITTEN_IN_ANOTHER_LANGUAGE" and "could not name" in found.note
    for english in ("Good afternoon, Santander Home Finance, mortgage retention team, Jasmine speaking.",
                    "Sort code 30-96-26, account ending 4418, account name Carmody Webb LLP Client Account.",
                    "metropolitan police fraud unit detective constable hughes speaking regarding suspicious transactions"):
        assert not list(detector.analyze(make_unit(english, turn=0, speaker="caller", channel="call"))), english
