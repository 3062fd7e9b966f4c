"""Parse and classify a caller ID or text sender with ``phonenumbers``, and say what it proves.

``parse_number(raw)`` turns whatever a phone, a SIP server or a webhook gave us ("+443002003300",
"0300 200 3300", "tel:+44...;verstat=...", "sip:+44...@host;user=phone", "HMRC", "withheld", "")
into a ``NumberInfo``. ``numbering_findings(info, channel)`` returns the red flags that follow from
the number alone: numbers that can never be a genuine caller ID (short codes, impossible lengths,
ranges that do not exist, Ofcom's drama ranges), premium-rate and 070 "personal" numbers, and
withheld numbers. Both are cached: a number is parsed once however often it is seen.

What this cannot tell: whether a valid number is really the caller's. Caller ID is set by the
caller's equipment and is easy to fake; only the checks in ``inbound_only`` and STIR/SHAKEN say
more than "this number is possible".
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

import phonenumbers
from phonenumbers import PhoneNumberType as _T
from phonenumbers import ValidationResult as _V

from ..models import Finding
from .drama import drama_range
from .wording import note, tables

MAX_INPUT = 256  # longer than any phone number or SIP URI we accept; phonenumbers caps at 250

_TABLES = tables()
WITHHELD_WORDS = frozenset(_TABLES["withheld_words"])  # a caller ID reading as one of these: no number
SHORT_CODE_NAMES: dict[str, str] = _TABLES["short_codes"]  # short codes people know: what each really is
TEXTING_SHORT_CODES = frozenset(_TABLES["texting_short_codes"])  # named codes that genuinely text people

TYPE_NAMES: dict[int, str] = {
    _T.FIXED_LINE: "fixed_line",
    _T.MOBILE: "mobile",
    _T.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    _T.TOLL_FREE: "toll_free",
    _T.PREMIUM_RATE: "premium_rate",
    _T.SHARED_COST: "shared_cost",
    _T.VOIP: "voip",
    _T.PERSONAL_NUMBER: "personal",
    _T.PAGER: "pager",
    _T.UAN: "uan",
    _T.VOICEMAIL: "voicemail",
    _T.UNKNOWN: "unknown",
}
TYPE_LABELS: dict[str, str] = _TABLES["number_types"]  # each of TYPE_NAMES as a person reads it
UK_REGION_NAMES: dict[str, str] = _TABLES["uk_regions"]  # +44 is shared by the UK and the Crown Dependencies
_PARSE_ERRORS: dict[str, str] = _TABLES["parse_errors"]
_DISPLAY: dict[str, str] = _TABLES["display"]
_NPE = phonenumbers.NumberParseException
_PARSE_ERROR_NAMES = {getattr(_NPE, name): name for name in
                      ("INVALID_COUNTRY_CODE", "NOT_A_NUMBER", "TOO_SHORT_AFTER_IDD", "TOO_SHORT_NSN", "TOO_LONG")}

# '"Name" <sip:...>' -> 'sip:...'; each space can be read only one way, so matching stays linear
_SIP_DISPLAY = re.compile(r'^(?:\s*"[^"]*"\s*|[^<"]*)<([^>]*)>')
_URI_SCHEME = re.compile(r"^(?:sips?|tel):", re.IGNORECASE)
_LETTER = re.compile(r"[A-Za-z]")
_NON_DIGIT = re.compile(r"\D+")
_PHONEY_CHARS = re.compile(r"^[\d\s+()\-./]*$")


@dataclass(frozen=True, slots=True)
class NumberInfo:
    """What a caller ID or sender is, before asking who it belongs to.

    ``kind``: "number" (a dialable-looking number, valid or not), "short_code" (3 to 6 digits, like
    999 or 60599), "withheld" (hidden, anonymous or empty), "alphanumeric" (a text sender name such as
    "HMRC"), or "unparseable" (not a number at all). ``e164`` is set whenever phonenumbers could
    read the digits, even for invalid numbers, so they can be reported as typed.
    """

    raw: str
    kind: str
    e164: str | None = None
    national: str | None = None  # "0300 200 3300" for UK numbers, international format otherwise
    country_code: int | None = None
    national_number: str | None = None  # digits without the country code or leading 0
    valid: bool = False
    length: str = "ok"  # "ok" | "too_short" | "too_long" | "invalid_length" | "invalid_country_code"
    number_type: str = "unknown"
    region: str | None = None  # ISO region: GB, GG, JE, IM, US...
    drama: str | None = None  # the Ofcom drama range it falls in
    short_code: str | None = None
    sender_name: str | None = None  # for alphanumeric senders
    parse_error: str | None = None

    @property
    def is_uk(self) -> bool:
        return self.country_code == 44

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.number_type, TYPE_LABELS["unknown"])

    @property
    def region_name(self) -> str | None:
        if self.region is None:
            return None
        name = UK_REGION_NAMES.get(self.region)
        if name is None:
            name = _country_name(self.region)
        return name

    @property
    def display(self) -> str:
        """How to show the number to a person."""
        if self.kind == "withheld":
            return _DISPLAY["withheld"]
        if self.kind == "alphanumeric":
            return _DISPLAY["alphanumeric"].format(name=self.sender_name)
        if self.kind == "short_code":
            return self.short_code or self.raw
        return self.national or self.raw

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["type_label"] = self.type_label
        out["region_name"] = self.region_name
        return out


@lru_cache(maxsize=256)
def _country_name(region: str) -> str:
    from phonenumbers import geocoder  # loads a large table: only when a person asks

    example = phonenumbers.example_number(region)
    return geocoder.country_name_for_number(example, "en") if example else region


def strip_uri(value: str) -> str:
    """The user part of a SIP/tel URI or name-addr, without parameters; other text unchanged."""
    m = _SIP_DISPLAY.match(value)
    if m:
        value = m.group(1)
    value = value.strip()
    if _URI_SCHEME.match(value):
        value = value.split(":", 1)[1]
        value = value.split("@", 1)[0]  # sip:user@host
        value = value.split(";", 1)[0]  # tel:+44...;verstat=... or user;phone-context
    return value.strip()


def uri_param(value: str, name: str) -> str | None:
    """A ``;name=value`` parameter anywhere in a SIP/tel URI (e.g. verstat), or None."""
    key = f";{name.lower()}="
    low = value.lower()
    i = low.find(key)
    if i < 0:
        return None
    rest = value[i + len(key) :]
    for stop in (";", ">", "&", " ", "?"):
        rest = rest.split(stop, 1)[0]
    return rest or None


def set_fictional_numbers(on: bool) -> None:
    """Read Ofcom's drama-range numbers as ordinary lines of their kind (on) or as impossible ones (off,
    the default). Team-written training and dev data use drama numbers for every invented person and
    firm, as they must; without this, evaluating on that data would see every one as a faked caller ID.
    Never turn it on when screening real calls."""
    global _FICTIONAL
    _FICTIONAL = bool(on)
    _parse.cache_clear()
    numbering_findings.cache_clear()


_FICTIONAL = False
# Team data gives invented firms and people alike 07700 900xxx numbers, so a fictional mobile says nothing
# about who rang: read it as a valid number of no particular type.
_FICTION_TYPES = {"7": "unknown", "1": "fixed_line", "2": "fixed_line"}


def parse_number(raw: str | None, default_region: str = "GB") -> NumberInfo:
    """Read a caller ID or sender. Never raises: anything unreadable comes back as a NumberInfo
    whose ``kind`` and ``parse_error`` say why. Cached: each distinct string is parsed once."""
    if raw is None:
        return NumberInfo(raw="", kind="withheld")
    if not isinstance(raw, str):
        return NumberInfo(raw=repr(raw)[:MAX_INPUT], kind="unparseable", parse_error=_PARSE_ERRORS["not_text"])
    return _parse(raw, default_region)


@lru_cache(maxsize=8192)
def _parse(raw: str, default_region: str) -> NumberInfo:
    if len(raw) > MAX_INPUT:
        return NumberInfo(raw=raw[:40] + "...", kind="unparseable", parse_error=_PARSE_ERRORS["too_long_input"])
    text = strip_uri(raw)
    low = " ".join(text.lower().split())
    if low in WITHHELD_WORDS or low.startswith("anonymous"):
        return NumberInfo(raw=raw, kind="withheld")

    digits = _NON_DIGIT.sub("", text)
    if _LETTER.search(text) and not (len(digits) >= 3 and text.lstrip()[:1] in "+0123456789"):
        # A text sender name ("HMRC", "Amazon", "RoyalMail"): anyone can set one.
        return NumberInfo(raw=raw, kind="alphanumeric", sender_name=text.strip())
    if not digits:
        return NumberInfo(raw=raw, kind="unparseable", parse_error=_PARSE_ERRORS["no_digits"])
    if not _PHONEY_CHARS.match(text) and not _LETTER.search(text):
        return NumberInfo(raw=raw, kind="unparseable", parse_error=_PARSE_ERRORS["bad_characters"])

    if len(digits) <= 6 and not text.lstrip().startswith("+") and not digits.startswith("0"):
        if _LETTER.search(text):  # "123-reg", "24/7 Help": a sender name that starts with digits, not a short code
            return NumberInfo(raw=raw, kind="alphanumeric", sender_name=text.strip())
        return NumberInfo(raw=raw, kind="short_code", short_code=digits, country_code=44, region="GB")

    try:
        num = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException as exc:
        return NumberInfo(raw=raw, kind="unparseable", parse_error=_parse_error_text(exc))

    reason = phonenumbers.is_possible_number_with_reason(num)
    length = {
        _V.IS_POSSIBLE: "ok",
        _V.IS_POSSIBLE_LOCAL_ONLY: "ok",
        _V.TOO_SHORT: "too_short",
        _V.TOO_LONG: "too_long",
        _V.INVALID_LENGTH: "invalid_length",
        _V.INVALID_COUNTRY_CODE: "invalid_country_code",
    }.get(reason, "invalid_length")
    if num.extension:
        length = "too_long"  # "0123 456789 ext 12": a caller ID never carries an extension
    nsn = phonenumbers.national_significant_number(num)
    cc = num.country_code
    if cc == 44 and length == "ok" and not 9 <= len(nsn) <= 10:
        # Ofcom: a UK caller ID is 10 or 11 digits with the leading 0 (9 or 10 without it).
        length = "too_short" if len(nsn) < 9 else "too_long"
    if cc == 44 and nsn in SHORT_CODE_NAMES:
        # "+44 999" and the like: a short code written with a country code.
        return NumberInfo(raw=raw, kind="short_code", short_code=nsn, country_code=44, region="GB")
    valid = phonenumbers.is_valid_number(num)
    ntype = TYPE_NAMES.get(phonenumbers.number_type(num), "unknown") if valid else "unknown"
    if cc == 44 and ntype == "premium_rate" and nsn[:2] in ("84", "87"):
        ntype = "shared_cost"  # GB metadata files 084/087 under premium rate; Ofcom treats them apart
    region = phonenumbers.region_code_for_number(num) if valid else None
    if region is None:
        region = phonenumbers.region_code_for_country_code(cc)
        region = None if region == "ZZ" else region
    fmt = phonenumbers.PhoneNumberFormat.NATIONAL if cc == 44 else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    drama = drama_range(nsn) if cc == 44 else None
    if drama and _FICTIONAL:  # an invented ordinary line of the range's kind (see set_fictional_numbers)
        drama, valid, region = None, True, "GB"
        ntype = _FICTION_TYPES.get(nsn[0], "fixed_line") if nsn[:2] not in ("80", "90", "30") else (
            {"80": "toll_free", "90": "premium_rate", "30": "uan"}[nsn[:2]])
    return NumberInfo(
        raw=raw,
        kind="number",
        e164=phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164),
        national=phonenumbers.format_number(num, fmt) if valid or drama else " ".join(text.split()),
        country_code=cc,
        national_number=nsn,
        valid=valid,
        length=length,
        number_type=ntype,
        region=region,
        drama=drama,
    )


def _parse_error_text(exc: phonenumbers.NumberParseException) -> str:
    return _PARSE_ERRORS.get(_PARSE_ERROR_NAMES.get(exc.error_type, "other"), _PARSE_ERRORS["other"])


def range_holder(e164: str) -> str | None:
    """Where a number's range is and which network it was first given to ("London, range first given to
    BT"), for a person reading about one number; None when phonenumbers does not know."""
    from phonenumbers import carrier, geocoder  # large tables: loaded only when a person asks

    num = phonenumbers.parse(e164, None)
    place = geocoder.description_for_number(num, "en")
    holder = carrier.name_for_number(num, "en")
    parts = (place.rstrip("."), _TABLES["explain"]["range_holder"].format(holder=holder) if holder else "")
    return ", ".join(p for p in parts if p) or None


def canonical_tn(raw: str | None) -> str | None:
    """STIR/SHAKEN's canonical telephone number: digits with country code, no '+'."""
    if raw is None or len(raw) > MAX_INPUT:
        return None
    info = parse_number(raw)
    if info.kind == "number" and info.e164:
        return info.e164[1:]
    digits = _NON_DIGIT.sub("", strip_uri(raw)) if isinstance(raw, str) else ""
    return digits or None


# ----------------------------------------------------------------------------- findings

@lru_cache(maxsize=8192)
def numbering_findings(info: NumberInfo, channel: str = "call") -> tuple[Finding, ...]:
    """Red flags that follow from the number alone (not who owns it). ``channel``: "call" or "sms".

    Texts legitimately come from names ("HMRC") and short codes (banks use 5-digit codes), so those
    are only flagged on calls. What each finding says is its flag's ``notes`` (rules/flags/callerid.yaml)."""
    call = channel != "sms"
    shown = info.display
    if info.kind == "withheld":
        return (Finding("CLI_WITHHELD", 1.0, note=note("CLI_WITHHELD")),) if call else ()
    if info.kind == "alphanumeric":
        return ()
    if info.kind == "unparseable":
        return (Finding("CLI_INVALID", 0.9 if call else 0.6,
                        note=note("CLI_INVALID", "unparseable", raw=info.raw, why=info.parse_error)),)
    if info.kind == "short_code":
        code = info.short_code or ""
        name = SHORT_CODE_NAMES.get(code)
        if not call and (name is None or code in TEXTING_SHORT_CODES):
            return ()  # banks, delivery firms and charities text from short codes; 7726 replies by text
        what = note("CLI_SHORT_CODE", "named" if name else "unnamed", code=code, name=name)
        return (Finding("CLI_SHORT_CODE", 1.0 if name else 0.9,
                        note=note("CLI_SHORT_CODE", "call" if call else "sms", what=what)),)

    # kind == "number"
    if info.drama:
        return (Finding("CLI_DRAMA_RANGE", 1.0, note=note("CLI_DRAMA_RANGE", shown=shown, range=info.drama)),)
    if info.is_uk and info.national_number and info.national_number.startswith("8979"):
        return (Finding("CLI_INVALID", 1.0, note=note("CLI_INVALID", "network_internal", shown=shown)),)
    if info.length != "ok":
        why = note("CLI_INVALID", info.length if info.length in _LENGTH_WORDS else "invalid_length")
        return (Finding("CLI_INVALID", 1.0 if call else 0.7,
                        note=note("CLI_INVALID", "wrong_length", shown=shown, why=why)),)
    if not info.valid:
        return (Finding("CLI_INVALID", 0.9 if call else 0.6, note=note("CLI_INVALID", "no_such_range", shown=shown)),)
    if info.number_type == "premium_rate" and info.is_uk:
        return (Finding("CLI_PREMIUM_RATE", 1.0 if call else 0.8, note=note("CLI_PREMIUM_RATE", shown=shown)),)
    if info.number_type == "personal" and info.is_uk:
        return (Finding("CLI_PERSONAL_NUMBER", 1.0, note=note("CLI_PERSONAL_NUMBER", shown=shown)),)
    if info.number_type == "shared_cost" and info.is_uk:
        return (Finding("CLI_SERVICE_NUMBER", 1.0, note=note("CLI_SERVICE_NUMBER", shown=shown)),)
    return ()


_LENGTH_WORDS = ("too_short", "too_long", "invalid_country_code")  # NumberInfo.length values with words of their own
