"""Web addresses and phone numbers in a text: the one place each is found, for every detector, the
reports store and the server. A text unit finds them once (``links_in`` / ``phone_numbers_in`` cache
them on the unit); plain text uses ``find_links`` / ``find_phone_numbers``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

import phonenumbers

from .callerid.numbers import NumberInfo, parse_number
from .models import Span, _fast_new
from .preprocess import TextUnit

MAX_LINKS = 50  # per text unit: enough for any real message, bounded for link-stuffed input
MAX_NUMBERS = 20  # likewise for phone numbers
MAX_CANDIDATES = 200  # number-like strings examined per text unit, found or not

_TLDS = (
    "com|co\\.uk|org\\.uk|uk|net|org|info|biz|io|me|ly|co|app|xyz|top|icu|live|online|site|click|"
    "link|buzz|cfd|sbs|vip|shop|store|support|help|services|cc|tk|ml|ga|cf|gq|do|in|ru|cn|us|eu|to|gd|at|"
    "page|website|world|today|life|club|work|fun|pw|ws|su|mobi|tv|de|fr|es|it|nl|ie|ca|au|"
    # endings seen on throwaway phishing and spam hosts (catchingbudding.directory, cbdnews2.best)
    "best|boutique|directory|financial|finance|money|cash|loans?|credit|fund|claims|tax|id|gl|gg|sh|ai|im|la|fm|"
    "vc|bz|pro|asia|rest|bar|win|bid|men|date|review|trade|stream|download|racing|party|science|cricket|"
    "accountant|faith|cyou|monster|quest|lol|beauty|hair|skin|autos|homes|mom|pics|email|digital|network|"
    "solutions|group|company|agency|center|news|zone|host|space|tech|sale|deals|bond|delivery|express|tel|"
    # hosts that serve anyone's pages and short links (pages.dev, linktr.ee, forms.gle, rb.gy, 1drv.ms) and
    # more country endings; not ones that are English words ("so", "is", "no", "be", "my")
    "dev|ee|gle|gy|ms|cloud|nz|se|ch|pl|pt|dk|fi|br|mx|jp|za|sg|hk"
)
# Scripts written without spaces (Chinese, Japanese, Korean, Thai): a web address may follow one of their characters
# directly ("你自己上gov.uk" - go to gov.uk yourself, round 648), and none of them is part of it.
_UNSPACED = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef"
_URL = re.compile(
    rf"(?i)(?:(?:https?://|https?:/(?=[\w-]{{1,63}}\.\w))[^\s<>\"'()]+|www\.[^\s<>\"'()]+|(?:(?<=[{_UNSPACED}])|(?<![\w@.-]))(?:[^\W_{_UNSPACED}](?:[^\W{_UNSPACED}]|-){{0,61}}?(?<![_-])\.)+(?:{_TLDS})(?!(?![{_UNSPACED}])[\w@-])(?:/[^\s<>\"'()]*)?)"
)
# Every match of _URL holds one of these (":/", "www.", or a label's last letter, a dot and a TLD), so a
# text without any has no link and skips _URL (a costly scan) altogether.
# Written so every branch starts with a literal character (re then skips to those characters), with
# the TLDs case-insensitive as in _URL.
_MAYBE_URL = re.compile(rf":/|[wW]{{3}}\.|\.(?<=[^\W_]\.)(?i:{_TLDS})(?!(?![{_UNSPACED}])[\w-])")
_SCHEME = re.compile(r"(?i)^https?:/{1,2}")
_HOST_END = re.compile(r"[/?#]")


@_fast_new  # one or more for every text with a link: built without the frozen __init__ (models.py)
@dataclass(frozen=True, slots=True)
class Link:
    url: str
    host: str
    start: int
    end: int
    disguised: bool = False  # written to slip past filters ("royalmail . uk-fee . com", "evri[.]com", "hxxps://")
    # disguised only by spaced or spelt dots ("help dot coinbase dot com"): how an address is said aloud
    spoken: bool = False

    def host_is(self, domains: frozenset[str]) -> bool:
        """Whether the host is one of ``domains`` or under one of them."""
        return not suffixes(self.host).isdisjoint(domains)


def _url_matches(text: str) -> list[re.Match]:
    """``_URL.finditer(text)``, faster: _URL runs only over the whitespace-free runs holding a "." or
    ":" (a link holds no whitespace) where _MAYBE_URL finds something. The matches are the same:
    lookbehinds see the text before ``pos``, and at ``endpos``, as at the space that ends a run, no word
    or label goes on; a run is whole, so _MAYBE_URL finds in it what it finds there in the text."""
    # Every link holds a "." or ":" (see _MAYBE_URL); intent.in_link asks about single words, most with neither.
    if "." not in text and ":" not in text:
        return []
    out: list[re.Match] = []
    pos = 0
    maybe = _MAYBE_URL.search
    for word in text.split():  # str.split and \s agree on what whitespace is
        if "." in word or ":" in word:
            # the next occurrence is this run: whatever lies between has no "." or ":" or is whitespace
            start = text.find(word, pos)
            pos = start + len(word)
            if maybe(word):
                out.extend(_URL.finditer(text, start, pos))
    return out


def _host(url: str) -> str:
    rest = _SCHEME.sub("", url, count=1)
    host = _HOST_END.split(rest, maxsplit=1)[0].lower()
    return host.rsplit("@", 1)[-1].split(":")[0].strip(".")


# A web address written so that filters miss it: dots spaced out, in brackets or spelt "dot", "hxxp" for
# "http". Each repetition must take a dot and there are at most 8 (a host's labels), and a match starts
# only where a label can, so the pattern stays linear on hostile text. Spaced or spelt dots count
# only when the address cannot be prose or a screenshot's text recognition: a dot spaced on both sides (or
# spelt) twice, or once beside "www", a hyphen or digit in a label, or a path ("i'm at home . me and jo" is
# not a link); a space on one side only counts after "hxxp" ("www .shop.com" is how recognised screenshots
# read, and "the co-op. me too" is prose).
_DEFANGED = re.compile(
    rf"(?i)(?<![\w.@-])(?:hxxps?://\s?)?(?:[^\W_][\w-]{{0,61}}(?:\[\.\]|\(\.\)|\[dot\]|\(dot\)| dot | \. | \.|\.)){{1,8}}"
    rf"(?:{_TLDS})(?![\w-])(?:(?: / |/)[^\s<>\"'()]*)?"
)
_DEFANG_MARKS = (" .", "[.]", "(.)", "dot", "hxxp")  # one of these (lower-cased) before _DEFANGED runs
_SOFT_DOT = re.compile(r"(?i) dot | \. ?")
_SPACED_DOT = re.compile(r"(?i) dot | \. ")
_HARD_MARK = re.compile(r"(?i)\[\.\]|\(\.\)|\[dot\]|\(dot\)|^hxxps?://")


def _disguised_links(text: str) -> list[Link]:
    out = []
    for m in _DEFANGED.finditer(text):
        raw = m.group(0).rstrip(".,;:!?)")
        hard = _HARD_MARK.search(raw) is not None
        if not hard:
            spaced = len(_SPACED_DOT.findall(raw))
            if not spaced:
                continue  # a plain address (_URL finds it), or one spaced on one side only
            labels = _SOFT_DOT.split(raw.replace(" / ", "/").split("/")[0])
            if spaced < 2 and "/" not in raw and not raw.lower().startswith("www") and not any(
                    c.isdigit() or c == "-" for c in "".join(labels[:-1])):
                continue
        url = _SOFT_DOT.sub(".", raw).replace(" / ", "/").replace("[.]", ".").replace("(.)", ".")
        url = re.sub(r"(?i)\[dot\]|\(dot\)", ".", url)
        url = re.sub(r"(?i)^hxxp", "http", url).replace(" ", "")
        host = _host(url)
        if "." in host:
            out.append(Link(url, host, m.start(), m.start() + len(raw), disguised=True, spoken=not hard))
    return out


# What is left of a web address that find_links cannot read as one, with its TLD unknown or its "://" lost
# ("http //vk.sv/NOwr7b", "kortalankar.se/"): not a link to judge, but a sign that one was there.
_HOST_PATH = re.compile(r"(?i)\b[a-z0-9-]{1,63}\.[a-z]{2,6}/")


def has_link_remains(text: str) -> bool:
    """Whether ``text`` holds a web address or what is left of one (above), found or not by find_links."""
    lower = text.lower()
    return "http" in lower or "www." in lower or ("/" in text and _HOST_PATH.search(text) is not None)


def find_links(text: str) -> list[Link]:
    out = []
    for m in _url_matches(text):
        url = m.group(0).rstrip(".,;:!?)")
        host = _host(url)
        if "." not in host:
            continue
        out.append(Link(url, host, m.start(), m.start() + len(url)))
    low = text.lower()
    if " ." in low or "[.]" in low or "(.)" in low or "dot" in low or "hxxp" in low:  # _DEFANG_MARKS
        hidden = _disguised_links(text)
        if hidden:  # a plain match inside a disguised address is part of it
            out = [k for k in out if not any(h.start <= k.start < h.end for h in hidden)] + hidden
            out.sort(key=lambda k: k.start)
    return out




def suffixes(host: str) -> set[str]:
    """The host and every domain it is under: a.b.co.uk -> {a.b.co.uk, b.co.uk, co.uk, uk}. A host
    is on domain d exactly when d is one of these."""
    out = {host}
    i = host.find(".")
    while i >= 0:
        out.add(host[i + 1 :])
        i = host.find(".", i + 1)
    return out


# Endings under which the name before them is what a business registers ("iceland.co.uk" -> "iceland").
_SECOND_LEVEL = frozenset({"co.uk", "org.uk", "ltd.uk", "plc.uk", "me.uk", "net.uk", "com.au", "co.nz", "co.za",
                           "com.br", "co.in", "co.jp"})


def site_name(host: str) -> str:
    """The name a site is registered under, letters and digits only: www.screwfix.com -> "screwfix",
    offers.hellofresh.co.uk -> "hellofresh"."""
    labels = host.lower().strip(".").split(".")
    if len(labels) < 2:
        return ""
    n = 3 if len(labels) >= 3 and ".".join(labels[-2:]) in _SECOND_LEVEL else 2
    return re.sub(r"[^a-z0-9]", "", labels[-n]) if len(labels) >= n else ""


def is_senders_site(host: str, sender_site: str) -> bool:
    """Whether ``host`` is the site a sender ID names (``sender_site``: the ID as site_name gives it). Sender IDs
    are cut to 11 characters, so "ActiveSpine" sends to activespinephysio.co.uk and "HotelChoc" to
    hotelchocolat.com: a longer name counts when it only runs on in letters ("royalmail-update" and
    "evri2" do not)."""
    name = site_name(host)
    if name == sender_site:
        return True
    labels = host.lower().strip(".").split(".")
    n = 3 if len(labels) >= 3 and ".".join(labels[-2:]) in _SECOND_LEVEL else 2
    raw = labels[-n] if len(labels) >= n else ""
    rest = raw[len(sender_site):]
    return len(sender_site) >= 6 and raw.startswith(sender_site) and rest.isalpha() and len(rest) <= 12


def links_in(unit: TextUnit) -> list[Link]:
    """The web addresses of a text unit (at most MAX_LINKS), found once."""
    if unit.links is None:
        # every address holds a dot, written or spelt ("royalmail dot uk-fee dot com")
        unit.links = find_links(unit.text)[:MAX_LINKS] if "." in unit.text or "dot" in unit.norm else []
    return unit.links


# ----------------------------------------------------------------------------- phone numbers

# Seven or more digits, possibly spaced: the cheap test before running phonenumbers' matcher.
_DIGIT_RUN = re.compile(r"\d(?:[\s\-().]{0,3}\d){6,}")
# Words that make a digit string a reference, not a phone number ("order 0123 456 7890").
_REFERENCE_BEFORE = re.compile(
    r"\b(?:ref|reference|order|account|acct|a/c|tracking|parcel|utr|policy|invoice|booking|customer no|"
    r"customer number|membership|card ending|ending|sort code|serial|id|no\.?|number:?)(?:\s+is)?\s*[:#]?\s*$"
)
_CALL_BEFORE = re.compile(r"\b(?:call|ring|phone|contact|dial|tel|telephone|text|whatsapp|on|number)\b[^.!?\n]{0,25}$")


def find_phone_numbers(text: str, turn: int | None = None) -> list[tuple[NumberInfo, Span]]:
    """Phone numbers written in a text (at most MAX_NUMBERS), with their spans in it."""
    if not _DIGIT_RUN.search(text):
        return []
    found: list[tuple[NumberInfo, Span]] = []
    matcher = phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE, max_tries=50)
    # Each candidate costs a full parse (~0.5 ms): a text of thousands of number-like strings that are not
    # numbers we report (drama-range, too short) would otherwise be parsed to the end.
    for match in islice(matcher, MAX_CANDIDATES):
        if not _looks_like_phone_number(text, match.start, match.end, match.raw_string):
            continue
        info = parse_number(match.raw_string)
        if info.kind == "number" and info.length == "ok":  # "073444" in "MSG: 073444" is a code
            found.append((info, Span(match.raw_string, match.start, match.end, turn)))
        if len(found) >= MAX_NUMBERS:
            break
    return found


_YOUR_NUMBER = re.compile(r"\byour (?:mobile |phone |registered |new )?(?:number|mobile)\s*[:(]?\s*(?:is\s*)?$")


def _looks_like_phone_number(text: str, start: int, end: int, raw: str) -> bool:
    """A phone number as people write one (0..., +..., (0...)), standing on its own: not part of a
    code like "XY123456789GB", and not a reference ("order 0123 456 7890") unless a call word is near."""
    if not raw.lstrip("(").startswith(("0", "+")) or "/" in raw:  # "01/44281/25" is a crime reference
        return False
    if (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
        return False
    before = text[max(0, start - 40) : start].lower()
    if _YOUR_NUMBER.search(before):
        return False  # "a new SIM was activated on your number 07700 900512": the reader's own number, not one to ring
    return not (_REFERENCE_BEFORE.search(before) and not _CALL_BEFORE.search(before[-25:]))



def has_digit_run(text: str) -> bool:
    """Whether ``text`` could hold a phone number at all (seven or more digits close together)."""
    return _DIGIT_RUN.search(text) is not None


def phone_numbers_in(unit: TextUnit) -> list[tuple[NumberInfo, Span]]:
    """The phone numbers of a text unit, found once."""
    if unit.phones is None:
        unit.phones = find_phone_numbers(unit.text, unit.turn)
    return unit.phones
