"""What a report is linked by: the phone numbers and link domains in it, and its wording.

Numbers are stored in E.164 so "07700 900123", "+44 7700 900123" and "447700900123" are one number.
Domains are reduced to the registrable part ("secure.hmrc-refund.co.uk" -> "hmrc-refund.co.uk").
Wording is reduced to a "script": numbers, links and amounts become placeholders, so the same
scam sent with a different call-back number or amount still reads as the same script.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from ..callerid.numbers import parse_number
from ..mentions import find_links, find_phone_numbers
from ..organisations import Organisation, load_organisations
from ..preprocess import normalise

DEFAULT_REGION = "GB"
MAX_LINKS = 50  # per report: enough for any real message, bounded for link-stuffed text
MAX_NUMBERS = 50

# Hosts that appear in scam and genuine messages alike: they neither link reports into one campaign
# nor go on a blocklist. Link shorteners hide the real destination; the others are genuine services
# that scam texts mention or imitate in their wording.
SHARED_DOMAINS = frozenset(
    {
        "bit.ly", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "cutt.ly", "rb.gy", "shorturl.at",
        "tiny.cc", "buff.ly", "rebrand.ly", "t.ly", "s.id", "lnkd.in",
        "gov.uk", "nhs.uk", "police.uk", "google.com", "apple.com", "microsoft.com", "amazon.co.uk",
        "amazon.com", "paypal.com", "royalmail.com", "facebook.com", "whatsapp.com", "wa.me",
        "instagram.com", "youtube.com", "ofcom.org.uk", "reportfraud.police.uk",
    }
)


def protected_numbers(organisations: Iterable[Organisation]) -> frozenset[str]:
    """Genuine numbers that scams spoof or quote, and reporting lines: never a campaign link, never
    blocked. From rules/organisations.yaml: the inbound-only helplines scammers fake as a caller ID
    (HMRC's 0300 200 3300) and the numbers fine in any message (Report Fraud's 0300 123 2040)."""
    return frozenset(n.number for org in organisations for n in org.phone_numbers() if n.inbound_only or n.universal)


PROTECTED_NUMBERS = protected_numbers(load_organisations())

# Second-level labels under which the registrable domain has three labels (example.co.uk).
_SECOND_LEVEL = frozenset({"co", "org", "gov", "ac", "net", "ltd", "plc", "me", "nhs", "police", "com", "sch"})

# Amounts. A bare amount starts only where no digit, comma or letter comes before it: with a plain
# ``\b`` every digit after a comma was a new start, and "1,1,1,..." cost quadratic time (issue 13).
_MONEY = re.compile(r"[£$€]\s?\d[\d,]*+(?:\.\d+)?|(?<![\w,])\d[\d,]*+(?:\.\d+)?\s?(?:gbp|pounds?|p)\b")
_DIGITS = re.compile(r"\d+")
_UK_NO_PLUS = re.compile(r"44\d{9,10}")
_IP_HOST = re.compile(r"[\d.]+")
_WORD = re.compile(r"[a-z<>#]+(?:'[a-z]+)?")


def e164(raw: str, region: str = DEFAULT_REGION) -> str | None:
    """The E.164 form of a phone number, or None when ``raw`` is not a possible number."""
    raw = raw.strip()
    if raw.lower().startswith("tel:"):
        raw = raw[4:]
    raw = raw.split(";", 1)[0]  # SIP URI parameters such as ;verstat=...
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    elif _UK_NO_PLUS.fullmatch(raw):
        raw = "+" + raw
    info = parse_number(raw, region)  # the one place a number is parsed
    return info.e164 if info.kind == "number" and info.length == "ok" else None


def numbers_in(text: str) -> list[str]:
    """E.164 numbers written in a text, in order of first appearance (at most MAX_NUMBERS), found by the
    engine's own phone-number finder (``mentions.find_phone_numbers``): one finder for the code base."""
    out: dict[str, None] = {}
    for info, _ in find_phone_numbers(text):
        if info.e164:
            out[info.e164] = None
        if len(out) >= MAX_NUMBERS:
            break
    return list(out)


def domain_of(url: str) -> str | None:
    """The registrable domain of a URL or bare host, lower-case, or None when there is none."""
    url = url.strip().strip(".,;:!?)(")
    if not url:
        return None
    if "://" not in url:
        url = "http://" + url
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    host = host.rstrip(".")
    if _IP_HOST.fullmatch(host):
        return host  # a bare IP address is its own "domain"
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def links_in(text: str) -> list[str]:
    """URLs and bare web addresses written in a text (at most MAX_LINKS), found by the engine's own
    link finder (``mentions.find_links``, linear in the text): one link finder for the code base."""
    out: dict[str, None] = {}
    for link in find_links(text):
        if link.start and text[link.start - 1] == "@":
            continue  # the domain of an e-mail address
        out[link.url] = None
        if len(out) >= MAX_LINKS:
            break
    return list(out)


def script_words(text: str) -> list[str]:
    """The wording of a message with the parts that vary between copies replaced by placeholders."""
    norm, _ = normalise(text)
    parts, pos = [], 0
    for link in find_links(norm):
        parts.append(norm[pos : link.start])
        parts.append(" <link> ")
        pos = link.end
    parts.append(norm[pos:])
    norm = "".join(parts)
    norm = _MONEY.sub(" <money> ", norm)
    norm = _DIGITS.sub("#", norm)
    return _WORD.findall(norm)


def shingles(text: str, k: int = 3) -> set[bytes]:
    """Word k-grams of a message's script: the set MinHash estimates overlap on."""
    words = script_words(text)
    if len(words) < k:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + k]).encode() for i in range(len(words) - k + 1)}
