"""Links in a message: shorteners, lookalike and brand-plus-word domains, raw IP addresses, throwaway
top-level domains, and a "government" message whose link is not on gov.uk.

This is logic rather than a word list, so it has code; the lists it uses (shorteners, risky TLDs,
brands and their official domains) are data in rules/flags/links.yaml, under each flag's spec.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .. import intent, rules
from ..models import Finding, Span
from ..preprocess import TextUnit, normalise
from .prefilter import literal_conditions, whole_word_matches

_TLDS = (
    "com|co\\.uk|org\\.uk|uk|net|org|info|biz|io|me|ly|co|app|xyz|top|icu|live|online|site|click|"
    "link|buzz|cfd|sbs|vip|shop|store|support|help|services|cc|tk|ml|ga|cf|gq|do|in|ru|cn|us|eu|to|gd|at|"
    "page|website|world|today|life|club|work|fun|pw|ws|su|mobi|tv|de|fr|es|it|nl|ie|ca|au"
)
_URL = re.compile(
    rf"(?i)(?:https?://[^\s<>\"'()]+|www\.[^\s<>\"'()]+|(?<![\w@.-])(?:[^\W_](?:[\w-]{{0,61}}[^\W_])?\.)+(?:{_TLDS})(?![\w-])(?:/[^\s<>\"'()]*)?)"
)
# Every match of _URL holds one of these ("://", "www.", or a label's last letter, a dot and a TLD), so a
# text without any has no link and skips _URL (a costly scan) altogether.
# Written so every branch starts with a literal character (re then skips to those characters), with
# the TLDs case-insensitive as in _URL.
_MAYBE_URL = re.compile(rf"://|[wW]{{3}}\.|\.(?<=[^\W_]\.)(?i:{_TLDS})(?![\w-])")
_SCHEME = re.compile(r"(?i)^https?://")
_HOST_END = re.compile(r"[/?#]")
_IP = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?$")
# Digits standing in for letters in lookalike hosts ("amaz0n", "paypa1"): 1 may be an i or an l.
_LEET_DIGITS = (str.maketrans("013457", "oieast"), str.maketrans("013457", "oleast"))
MAX_LINKS = 50  # per text unit: enough for any real message, bounded for link-stuffed input


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    host: str
    start: int
    end: int

    def host_is(self, domains: frozenset[str]) -> bool:
        """Whether the host is one of ``domains`` or under one of them."""
        return not _suffixes(self.host).isdisjoint(domains)


def _url_matches(text: str) -> list[re.Match]:
    """``_URL.finditer(text)``, faster: _URL runs only over the whitespace-free runs holding a "." or
    ":" (a link holds no whitespace). The matches are the same: lookbehinds see the text before
    ``pos``, and at ``endpos``, as at the space that ends a run, no word or label goes on."""
    if not _MAYBE_URL.search(text):
        return []
    out: list[re.Match] = []
    pos = 0
    for word in text.split():  # str.split and \s agree on what whitespace is
        if "." in word or ":" in word:
            # the next occurrence is this run: whatever lies between has no "." or ":" or is whitespace
            start = text.find(word, pos)
            pos = start + len(word)
            out.extend(_URL.finditer(text, start, pos))
    return out


def has_link(text: str) -> bool:
    """Whether ``text`` holds a web address (cheap: most texts fail the first test)."""
    return "." in text and bool(_MAYBE_URL.search(text)) and bool(find_links(text))


def find_links(text: str) -> list[Link]:
    out = []
    for m in _url_matches(text):
        url = m.group(0).rstrip(".,;:!?)")
        rest = _SCHEME.sub("", url, count=1)
        host = _HOST_END.split(rest, maxsplit=1)[0].lower()
        host = host.rsplit("@", 1)[-1].split(":")[0].strip(".")
        if "." not in host:
            continue
        out.append(Link(url, host, m.start(), m.start() + len(url)))
    return out


_AMOUNT = re.compile(r"[£$€]\s?\d")


def _merchant(norm: str, link: Link, aligned: bool) -> bool:
    """Whether a web address is a merchant in a payment alert ("£312.00 at ZARA.COM"), not a link the
    message offers. (``aligned``: the link's offsets, found in the text, index the normalised text too.)"""
    if not aligned or not _AMOUNT.search(norm, max(0, link.start - 40), link.start):
        return False
    return intent.organisation_role(norm, link.start, link.end) == intent.MERCHANT


def _on_domain(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def _suffixes(host: str) -> set[str]:
    """The host and every domain it is under: a.b.co.uk -> {a.b.co.uk, b.co.uk, co.uk, uk}. A host
    is on domain d (``_on_domain``) exactly when d is one of these."""
    out = {host}
    i = host.find(".")
    while i >= 0:
        out.add(host[i + 1 :])
        i = host.find(".", i + 1)
    return out


@lru_cache(maxsize=4096)
def _clean_host(host: str) -> str:
    return normalise(host)[0]


class LinkDetector:
    name = "links"

    def __init__(self, specs: dict[str, dict], official: Sequence[str] = ()) -> None:
        self.shorteners = tuple(specs["LINK_SHORTENER"]["shorteners"])
        self.risky_tlds = tuple(specs["LINK_RISKY_TLD"]["tlds"])
        brands = specs["LINK_LOOKALIKE_DOMAIN"]["brands"]
        self.brands = {b: tuple(info["official"]) for b, info in brands.items()}
        self.gov_domains = tuple(specs["LINK_GOV_CLAIM_NOT_GOV_UK"]["official"])
        claim = specs["LINK_GOV_CLAIM_NOT_GOV_UK"]["claim"]
        self.gov_claim = re.compile(claim)
        # names of bodies, which count only when the message speaks as them (not "NHS dental care is free")
        self.gov_names = frozenset(specs["LINK_GOV_CLAIM_NOT_GOV_UK"].get("names", ()))
        # strings one of which every claim holds: a text with none of them needs no (slow) search
        conds = literal_conditions(claim)
        self._claim_words = tuple(sorted(conds[0])) if conds else None
        self.official = tuple(d for ds in self.brands.values() for d in ds) + self.gov_domains + tuple(official)
        self._shortener_set = frozenset(self.shorteners)
        self._official_set = frozenset(self.official)
        # any brand at all in a host: only then is the (ordered) brand loop run
        self._any_brand = re.compile("|".join(re.escape(b) for b in sorted(self.brands, key=len, reverse=True)))

    @classmethod
    def from_rules(cls) -> LinkDetector:
        defs = rules.flag_defs()
        specs = {fid: d.spec for fid, d in defs.items() if d.group == "links"}
        # organisations.yaml is the one home of official web domains: a brand's genuine addresses are its
        # own list plus those of the organisation of the same name.
        from ..organisations import load_organisations

        brands = dict(specs["LINK_LOOKALIKE_DOMAIN"]["brands"])
        for org in load_organisations():
            names = {org.id.replace("_", ""), *(a.replace(" ", "") for a in org.aliases)}
            for brand in names & brands.keys():
                brands[brand] = {"official": sorted({*brands[brand]["official"], *org.domains})}
        specs["LINK_LOOKALIKE_DOMAIN"] = {**specs["LINK_LOOKALIKE_DOMAIN"], "brands": brands}
        other = sorted({d for org in load_organisations() for d in org.domains} - {"gov.uk"})
        return cls(specs, other)

    def _claim(self, norm: str) -> tuple[int, int] | None:
        """The first words by which the message speaks as a government body ("HMRC:", "your tax
        refund"); a body it only mentions, points you to, or pays does not count ("NHS dental care is
        free", "report it to HMRC")."""
        for s, e in whole_word_matches(self.gov_claim, norm):
            role = intent.organisation_role(norm, s, e)
            if role == intent.SPEAKER or (role == intent.MENTION and norm[s:e] not in self.gov_names):
                return s, e  # a body speaking, or a topic ("tax refund", "government grant") it is about
        return None

    def analyze(self, unit: TextUnit) -> list[Finding]:
        text = unit.text
        if "." not in text:
            return []
        links = find_links(text)[:MAX_LINKS]
        if not links:
            return []
        out: list[Finding] = []
        official: list[Span] = []  # links to genuine websites; they reassure only when no other link is given
        gov_claim: tuple[int, int] | bool | None = False  # searched for when first needed
        norm = unit.norm
        followed = [x for x in links if not _merchant(norm, x, unit.offsets is None)]
        for link in followed:
            host = link.host
            span = (Span(link.url, link.start, link.end, unit.turn),)
            # A lookalike host (Cyrillic letters, zero-width characters) normalises differently.
            on = _suffixes(host)
            if not host.isascii():
                out.append(Finding("LINK_LOOKALIKE_DOMAIN", 1.0, span, f"'{host}' uses look-alike letters"))
            if _IP.match(host):
                out.append(Finding("LINK_IP_ADDRESS", 1.0, span))
                continue
            if not on.isdisjoint(self._shortener_set):
                out.append(Finding("LINK_SHORTENER", 1.0, span))
            if not on.isdisjoint(self._official_set):
                official.extend(span)
                continue
            tld = host.rsplit(".", 1)[-1]
            if tld in self.risky_tlds:
                out.append(Finding("LINK_RISKY_TLD", 1.0, span))
            squashed = _clean_host(host).replace("-", "").replace(".", "")
            raw = host.replace("-", "").replace(".", "")
            variants = {squashed, *(raw.translate(t) for t in _LEET_DIGITS)}
            any_brand = self._any_brand.search
            for brand in self.brands if any(any_brand(v) for v in variants) else ():
                if any(brand in v for v in variants):
                    out.append(
                        Finding("LINK_LOOKALIKE_DOMAIN", 1.0, span, f"'{host}' is not an official {brand} address")
                    )
                    break
            if gov_claim is False:
                norm = unit.norm
                words = self._claim_words
                maybe = words is None or any(w in norm for w in words)
                gov_claim = self._claim(norm) if maybe else None
            if gov_claim:
                ev = (*span, unit.span(*gov_claim))
                out.append(Finding("LINK_GOV_CLAIM_NOT_GOV_UK", 1.0, ev))
        if official and len(official) == len(followed):
            out.append(Finding("LINK_OFFICIAL_DOMAIN", 1.0, tuple(official[:3])))
        elif len(official) < len(followed):
            out.extend(self._not_the_speakers(unit, followed))
        return out

    def _not_the_speakers(self, unit: TextUnit, links: list[Link]) -> list[Finding]:
        """LINK_NOT_ORGS_WEBSITE: the message speaks as an organisation whose websites we know, and links
        somewhere that is none of them (nor any other genuine site we know)."""
        from ..callerid.detector import speaking_as

        for org, claim in speaking_as(unit):
            if not org.domains:
                continue
            for link in links:
                if link.host_is(self._official_set) or _IP.match(link.host):
                    continue
                span = Span(link.url, link.start, link.end, unit.turn)
                note = (f"It speaks as {org.name}, but {link.host} is not one of {org.name}'s websites "
                        f"({', '.join(org.domains[:3])}).")
                # bodies whose staff legitimately point to others' sites (police, NHS) count for less
                conf = 1.0 if org.caller_id_check else 0.5
                return [Finding("LINK_NOT_ORGS_WEBSITE", conf, (span, claim), note)]
        return []
