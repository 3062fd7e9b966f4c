"""WRITTEN_IN_ANOTHER_LANGUAGE: a text in another language that shows none of bulk sending's signs.

Why: the learned text model met other languages only in the shared training data's bulk texts (thousands of
Indonesian, Spanish, Dutch... adverts and no genuine message), so it reads any Polish family text or Welsh
school notice as marketing. This says when that reading is no evidence: the text is in another language
(pycld2, Google's compact language detector, sure of it) and has no link, no price or percentage, no "STOP"
and no long number (a short code, an account) other than an ordinary UK phone number. The cancel rule in
rules/scores.yaml then sets the model's "marketing" reading aside; the red flags, and the model's scam reading,
still count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .. import rules
from ..mentions import has_link_remains, links_in, phone_numbers_in
from ..models import Finding, Span
from ..preprocess import TextUnit

try:  # a compiled extension from PyPI; without it, no text is judged to be in another language
    import pycld2
except ImportError:  # pragma: no cover - installed with the package
    pycld2 = None

# Three of these words in its opening and the text is English enough that the detector need not be asked (it
# costs ~8 us a text; this ~3).
_ENGLISH = frozenset("the and you your to is are for of in on it this that have we i my me be will with at can please "
                     "not if our from was just so get do".split())
# Signs of bulk sending, in any language: a price, a percentage, a long number (a short code to text, a phone
# number, an account; "XXXX" where anonymised data hid one), a link or what is left of one (mentions.py, the one
# home of links).
_NUMBER = re.compile(r"\d{4}|\d[\s.-]?\d{3}[\s.-]?\d{3}")
_EVERYDAY_LINES = frozenset({"fixed_line", "mobile", "fixed_line_or_mobile", "uan", "toll_free"})
_MASKED = re.compile(r"(?<![a-z])XX+(?![a-z])")
MIN_SHARE = 80  # per cent of the text the detector finds in the one language
# Urdu, Hindi, Punjabi, Gujarati, Bengali and Tamil as UK families text them, in Latin letters ("Ammi ye mera naya
# number hai"): the detector has no model of these and answers "unknown", so their commonest small words, none of
# them an English word, say it instead - two different ones in a text the detector could not place, three where it
# heard English (it does, for these: "Amma idhu en pudhu number ... pannunga" is 98 % English to it).
ROMANISED_SOUTH_ASIAN = "south-asian-latin"
_ROMANISED_WORDS = frozenset(
    # Urdu and Hindi
    "hai hain mera meri tera teri tumhara tumhari tumhe mujhe aap aapka aapki apna apni nahi nahin kya kyun karo "
    "karna karein kardo raha rahi rahe gaya gayi hoon tha thi bhi bahut abhi aaj kal wala wali liye baad pehle mein "
    "yeh woh acha achha theek thik jaldi paise "
    # Punjabi
    "mainu tuhanu tusi sanu assi hega vich kithe kiven ohna "
    # Gujarati
    "chhe maro tamne nathi kem aavjo "
    # Bengali and Sylheti
    "ami tumi apni ache achhe kori koro ekhon ajke amar tomar kemon bhalo hobe korbo "
    # Tamil
    "enna illa irukku pannunga sollunga unga enga romba vaanga kitta".split())
_WORD = re.compile(r"[a-z]+")
# A call turn the detector cannot place (Kurmanji, Tigrinya in Latin letters, a language mixed with English nouns: "divê îro
# em kartê te verify bikin", round 685): ten words or more and none of these - English cannot be spoken without them.
_FUNCTION_WORDS = _ENGLISH | frozenset(
    "a an i he she they them their there here what who why how when where which yes yeah no ok okay oh hello hi thanks "
    "thank sorry but or as by about up out all any some one two three four five six seven eight nine ten hundred "
    "thousand was were has had would could should did does been am um uh er erm yep hmm well right just now then "
    # and what a call's telegraphic English turns are made of: "Good afternoon, Aviva home insurance claims, Craig speaking"
    "good morning afternoon evening speaking calling call dash dot sort account name ending postcode surname".split())
_ANY_WORD = re.compile(r"[^\W\d_]+")
MIN_UNPLACED_WORDS = 10

EVIDENCE_CHARS = 40
MIN_CALL_TURN = 40  # characters: a shorter turn ("Tak, to ja.") is too little for the detector to place


def _looks_english(text: str) -> bool:
    return len(_ENGLISH.intersection(text[:240].lower().split())) >= 3


def _bulk(unit: TextUnit) -> bool:
    """Whether ``unit``'s text shows a sign of bulk sending (above), cheapest tests first. An ordinary UK phone number
    is not one: the adverts the model learnt other languages from gave foreign numbers, while a surgery's or a
    community centre's number is everyday (round 727). A price still is: UK shops' offers in Arabic or Polish, and
    money asked for in any language, are where the model's "marketing" reading earns its keep."""
    text = unit.text
    if any(ch in text for ch in "£$€%") or "STOP" in text:  # "STOP" in Latin letters: an opt-out in any language
        return True
    if has_link_remains(text):
        return True
    if "XX" in text and _MASKED.search(text) is not None:
        return True
    if _NUMBER.search(text) is None:
        return False
    for info, span in phone_numbers_in(unit):
        if info.is_uk and info.number_type in _EVERYDAY_LINES:
            text = text[:span.start] + " " * (span.end - span.start) + text[span.end:]
    return _NUMBER.search(text) is not None


def language_of(text: str) -> tuple[str, str] | None:
    """(ISO 639-1 code, name) of the language ``text`` is written in when the detector is sure it is not
    English, else None."""
    return None if _looks_english(text) else _detected(text)


def _detected(text: str) -> tuple[str, str] | None:
    """language_of without the cheap English test (the caller made it)."""
    if pycld2 is None:
        return None
    try:
        reliable, _, details = pycld2.detect(text)
    except (pycld2.error, UnicodeEncodeError):  # bytes the detector cannot read (a lone surrogate): no opinion
        return None
    name, code, share, _ = details[0]
    if reliable and code not in ("en", "un", "xxx") and share >= MIN_SHARE:
        return code, name.capitalize().replace("_", " ")
    if reliable and code != "en" and code != "un":
        return None  # placed, but not surely enough
    # not placed, or heard as English - which the detector does with these (names, loanwords): three words then
    return _romanised(text, 3 if reliable and code == "en" else 2)


def _romanised(text: str, need: int = 2) -> tuple[str, str] | None:
    """A South Asian language in Latin letters: ``need`` of _ROMANISED_WORDS, for a text the detector could not place
    (or placed in English, which it does with these; then ``need`` is higher)."""
    if len(_ROMANISED_WORDS.intersection(_WORD.findall(text.lower()))) >= need:
        return ROMANISED_SOUTH_ASIAN, "a South Asian language in Latin letters"
    return None


def _unplaced(text: str) -> bool:
    """Whether a call turn the detector could not place is still surely not English (_FUNCTION_WORDS)."""
    words = _ANY_WORD.findall(text.lower())
    return len(words) >= MIN_UNPLACED_WORDS and _FUNCTION_WORDS.isdisjoint(words)


class LanguageDetector:
    name = "language"

    def __init__(self, languages: Iterable[str]) -> None:
        self.languages = frozenset(languages)  # the languages it speaks for (rules: the flag's ``languages``)

    @classmethod
    def from_rules(cls) -> LanguageDetector:
        return cls(rules.flag_defs()["WRITTEN_IN_ANOTHER_LANGUAGE"].spec.get("languages") or ())

    def analyze(self, unit: TextUnit) -> Iterable[Finding]:
        if unit.channel != "sms":
            return self._call_turn(unit)
        if _looks_english(unit.text) or _bulk(unit) or links_in(unit):
            return ()
        found = _detected(unit.text)
        if found is None or found[0] not in self.languages:
            return ()
        return self._finding(unit, found[1])

    def _call_turn(self, unit: TextUnit) -> Iterable[Finding]:
        """A call's turn spoken in any other language: the call model learnt from calls in English only, so its reading of
        such a call as ordinary is no evidence (rules/scores.yaml sets it aside). Bulk sending's signs mean nothing here."""
        if len(unit.text) < MIN_CALL_TURN or _looks_english(unit.text):
            return ()
        found = _detected(unit.text)
        if found is None and _unplaced(unit.text):
            return self._finding(unit, "a language the detector could not name")
        return () if found is None else self._finding(unit, found[1])

    def _finding(self, unit: TextUnit, language: str) -> Iterable[Finding]:
        # the opening words as evidence, ending on a whole word
        text = unit.text
        cut = text.rfind(" ", 0, EVIDENCE_CHARS + 1) if len(text) > EVIDENCE_CHARS else len(text)
        start, end = 0, min(len(text), cut if cut > 0 else EVIDENCE_CHARS)
        while end > start and not text[end - 1].isalnum():
            end -= 1
        while start < end and not text[start].isalnum():
            start += 1
        if start >= end:
            return ()
        span = Span(text[start:end], start, end, unit.turn)
        return (Finding("WRITTEN_IN_ANOTHER_LANGUAGE", 1.0, (span,), f"written in {language}"),)
