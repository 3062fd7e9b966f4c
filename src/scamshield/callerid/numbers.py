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

MAX_INPUT = 256  # longer than any phone number or SIP URI we accept; phonenumbers caps at 250

WITHHELD_WORDS = frozenset(
    {
        "",
        "withheld",
        "number withheld",
        "anonymous",
        "private",
        "private number",
        "unknown",
        "unknown number",
        "unavailable",
        "restricted",
        "blocked",
        "hidden",
        "no caller id",
        "no caller id available",
        "not available",
        "p",  # some networks send "P" (private) / "O" (out of area) as the CLI
        "o",
    }
)

# Short codes that people know: what each really is, for the explanation.
SHORT_CODE_NAMES: dict[str, str] = {
    "999": "the emergency number",
    "112": "the emergency number",
    "101": "the police non-emergency number",
    "111": "the NHS 111 helpline",
    "119": "an NHS helpline",
    "159": "the number people dial to reach their own bank safely (Stop Scams UK)",
    "105": "the power-cut helpline",
    "100": "the operator",
    "123": "the speaking clock",
    "7726": "the number for reporting scam texts and calls",
    "60599": "HMRC's number for reporting scam texts",
}

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

TYPE_LABELS: dict[str, str] = {
    "fixed_line": "a landline number",
    "mobile": "a mobile number",
    "fixed_line_or_mobile": "a landline or mobile number",
    "toll_free": "a free-to-call 080 number",
    "premium_rate": "a premium-rate 09 number, which is very expensive to ring",
    "shared_cost": "an 084 or 087 service number, which costs more to ring than a normal number",
    "voip": "an internet phone (056) number",
    "personal": "a 070 'personal' number: it looks like a mobile number but can cost a lot to ring",
    "pager": "a pager number",
    "uan": "a non-geographic 03 number, used by government, charities and big companies",
    "voicemail": "a voicemail number",
    "unknown": "a number of unknown type",
}

# +44 is shared by the UK and the Crown Dependencies; phonenumbers tells them apart.
UK_REGION_NAMES: dict[str, str] = {
    "GB": "United Kingdom",
    "GG": "Guernsey",
    "JE": "Jersey",
    "IM": "Isle of Man",
}

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
            return "a withheld number"
        if self.kind == "alphanumeric":
            return f'the name "{self.sender_name}"'
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
        return NumberInfo(raw=repr(raw)[:MAX_INPUT], kind="unparseable", parse_error="it is not text")
    return _parse(raw, default_region)


@lru_cache(maxsize=8192)
def _parse(raw: str, default_region: str) -> NumberInfo:
    if len(raw) > MAX_INPUT:
        return NumberInfo(raw=raw[:40] + "...", kind="unparseable", parse_error="far too long to be a phone number")
    text = strip_uri(raw)
    low = " ".join(text.lower().split())
    if low in WITHHELD_WORDS or low.startswith("anonymous"):
        return NumberInfo(raw=raw, kind="withheld")

    digits = _NON_DIGIT.sub("", text)
    if _LETTER.search(text) and not (len(digits) >= 3 and text.lstrip()[:1] in "+0123456789"):
        # A text sender name ("HMRC", "Amazon", "RoyalMail"): anyone can set one.
        return NumberInfo(raw=raw, kind="alphanumeric", sender_name=text.strip())
    if not digits:
        return NumberInfo(raw=raw, kind="unparseable", parse_error="there are no digits in it")
    if not _PHONEY_CHARS.match(text) and not _LETTER.search(text):
        return NumberInfo(raw=raw, kind="unparseable", parse_error="it contains characters a phone number cannot have")

    if len(digits) <= 6 and not text.lstrip().startswith("+") and not digits.startswith("0"):
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
    return {
        phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: "the country code does not exist",
        phonenumbers.NumberParseException.NOT_A_NUMBER: "it is not a phone number",
        phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: "it is too short after the international prefix",
        phonenumbers.NumberParseException.TOO_SHORT_NSN: "it is too short to be a phone number",
        phonenumbers.NumberParseException.TOO_LONG: "it is too long to be a phone number",
    }.get(exc.error_type, "it is not a phone number")


def e164_or_none(raw: str | None) -> str | None:
    """The E.164 form of a number when it can be read, else None (cheap: uses the parse cache)."""
    info = parse_number(raw)
    return info.e164 if info.kind == "number" else None


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
    are only flagged on calls."""
    call = channel != "sms"
    shown = info.display
    if info.kind == "withheld":
        if not call:
            return ()
        return (
            Finding(
                "CLI_WITHHELD",
                1.0,
                note=(
                    "The caller hid their number, so you cannot check who they are. Some genuine "
                    "callers do this too: if they say they are your bank or a government office, hang up "
                    "and call back on a number you already trust."
                ),
            ),
        )
    if info.kind == "alphanumeric":
        return ()
    if info.kind == "unparseable":
        return (
            Finding(
                "CLI_INVALID",
                0.9 if call else 0.6,
                note=f"The number shown ({info.raw!r}) is not a real phone number: {info.parse_error}. "
                "Genuine callers' numbers are always real numbers, so it was faked.",
            ),
        )
    if info.kind == "short_code":
        code = info.short_code or ""
        name = SHORT_CODE_NAMES.get(code)
        if not call and name is None:
            return ()  # banks, delivery firms and charities text from short codes
        what = f"{code} is {name}" if name else f"{code} is a short code"
        verb = "rings" if call else "texts"
        return (
            Finding(
                "CLI_SHORT_CODE",
                1.0 if name else 0.9,
                note=(
                    f"{what}. Nobody {verb} you from a number like this - you can only dial it. "
                    "A real caller ID is a full 10- or 11-digit number, so this one was faked."
                ),
            ),
        )

    # kind == "number"
    if info.drama:
        return (
            Finding(
                "CLI_DRAMA_RANGE",
                1.0,
                note=(
                    f"{shown} is one of the numbers Ofcom keeps for TV and radio dramas ({info.drama}). "
                    "These numbers are never given to a real phone line, so this one was faked."
                ),
            ),
        )
    if info.is_uk and info.national_number and info.national_number.startswith("8979"):
        return (
            Finding(
                "CLI_INVALID",
                1.0,
                note=(
                    f"{shown} starts with 08979, a range phone networks use internally when a call arrives "
                    "with no valid number. It can never be dialled and should never be shown to you."
                ),
            ),
        )
    if info.length != "ok":
        why = {
            "too_short": "too short",
            "too_long": "too long",
            "invalid_country_code": "for a country that does not exist",
        }.get(info.length, "the wrong length")
        return (
            Finding(
                "CLI_INVALID",
                1.0 if call else 0.7,
                note=f"{shown} is {why} to be a real phone number. A genuine caller ID is never like this, "
                "so it was faked or garbled.",
            ),
        )
    if not info.valid:
        return (
            Finding(
                "CLI_INVALID",
                0.9 if call else 0.6,
                note=f"{shown} is not in any range of numbers that exists, so no real phone line has it. "
                "The number was made up.",
            ),
        )
    if info.number_type == "premium_rate" and info.is_uk:
        return (
            Finding(
                "CLI_PREMIUM_RATE",
                1.0 if call else 0.8,
                note=(
                    f"{shown} is a premium-rate 09 number. UK networks are not allowed to show these as "
                    "caller IDs, and ringing one back can cost pounds a minute."
                ),
            ),
        )
    if info.number_type == "personal" and info.is_uk:
        return (
            Finding(
                "CLI_PERSONAL_NUMBER",
                1.0,
                note=(
                    f"{shown} is a 070 'personal' number. It looks like a mobile number but can cost a lot "
                    "to ring back, and scammers use these. Do not call it back."
                ),
            ),
        )
    if info.number_type == "shared_cost" and info.is_uk:
        return (
            Finding(
                "CLI_SERVICE_NUMBER",
                1.0,
                note=f"{shown} is an 084 or 087 service number, which costs more to ring back than a normal "
                "number. Be careful about calling it back.",
            ),
        )
    return ()
