"""Links in a message: shorteners, lookalike and brand-plus-word domains, raw IP addresses, throwaway
top-level domains, and a "government" message whose link is not on gov.uk.

This is logic rather than a word list, so it has code; the lists it uses are data: shorteners and risky
TLDs under each flag's spec in rules/flags/red_flags.yaml, and the genuine web domains and the names a
look-alike address spells (``link_names``) in rules/organisations.yaml, the one home of organisations.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace

from .. import intent, rules
from ..callerid.claims import speaking_as
from ..errors import RulesError
from ..mentions import Link, links_in, suffixes
from ..models import Finding, Span
from ..organisations import OrganisationIndex, organisation_index
from ..preprocess import TextUnit
from .hostnames import SUFFIX_WORDS, TYPO_MIN, made_of, one_slip, squashed_variants, without_suffix
from .patterns import split_alternatives
from .wordmatch import literal_gate, whole_word_matches

_IP = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?$")
_AMOUNT = re.compile(r"[£$€]\s?\d")

# Straight before a web address, where money went rather than where to go: an amount set off by a comma
# or opening a sentence ("£89.00, SHEIN.COM", "this payment: £340.00 at AO.COM", "Is this you? £620.00 at
# VERY.CO.UK"), a payment made there ("a card payment at WISH.COM", "was used for £59.00 at NIKE.COM",
# "your passcode for ASOS.COM", "the online payment of £62.18 to ASOS.COM", "your debit card ending 4471 for
# £62.99 at ASOS.COM", "did you authorise £960 to APPLE.COM?"). Not "pay £1.45 at ..." or
# "upgrade for £0.99 at ...": those send you there.
_PAID_JUST_BEFORE = re.compile(
    r"(?:[£$€]\s?[\d,.]+\s*[,\-–]|(?:^|[:?!.]\s*)[£$€]\s?[\d,.]+ (?:at|to|with)"
    r"|\b(?:payment|purchase|transaction|spend|charge)s?(?: attempts?)? (?:of [£$€]\s?[\d,.]+ )?(?:at|to|with|from)"
    r"|\b(?:code|passcode|otp) for"
    r"|\b(?:card|ending(?: in)? \d{4}) (?:for|of) [£$€]\s?[\d,.]+ (?:at|to|with)"
    r"|\b(?:used|spent|paid|charged|spend|spending|authori[sz]ed|(?:did|have) (?:you|u) (?:just )?(?:authori[sz]e|approve))"
    r"(?: for| of)? [£$€]\s?[\d,.]+ (?:at|to|with))\s*$")
# Every match of _PAID_JUST_BEFORE and of _AMOUNT holds one of these, so an address with none in the 40
# characters before it is no merchant (keep this in step with both).
_PAID_MARK = re.compile(r"[£$€]|payment|purchase|transaction|spend|charge|code|otp")


# Sending the reader to pay there ("update payment at ...", "please make a payment at ..."): not a merchant.
# "Confirm" also opens genuine alerts ("please confirm your card was used for £59.00 at NIKE.COM"): it
# counts only straight before the address ("confirm payment at ...").
# ("order at <shop>" in an advert sends you there too, round 562; "your order at ASOS.COM" asks nothing)
_PAY_THERE = ("pay", "make", "update", "complete", "settle", "renew", "upgrade", "reschedule", "rebook", "submit", "reconfirm",
              "re-confirm", "retry", "re-enter", "reenter", "order", "buy", "shop")
_CONFIRM_THERE = ("confirm", "verify")
# ... and the same told as the way out: "avoid a fine up to £1,000 by updating payment at <link>" (round 573)
_BY_PAYING = re.compile(r"\bby (?:updating|paying|renewing|completing|settling|confirming|verifying|making|re-?entering)\b[^.\n]{0,30}$")


def _merchant(unit: TextUnit, link: Link, aligned: bool) -> bool:
    """Whether a web address is a merchant in a payment alert ("£312.00 at ZARA.COM", "a card payment at
    WISH.COM"), not a link the message offers. (``aligned``: the link's offsets, found in the text, index
    the normalised text too; otherwise they are carried over through the unit's offset map.)"""
    norm = unit.norm
    if not aligned:
        offs = unit.offsets
        if not offs:
            return False
        # normalising shortened the text before the address ("GBP 62.18" -> "£62.18"): find it in norm
        start = bisect_left(offs, link.start)
        end = start + (link.end - link.start)
        if end > len(norm) or offs[start] != link.start or norm[start:end] != link.url.lower():
            return False
        link = replace(link, start=start, end=end)
    if _PAID_MARK.search(norm, max(0, link.start - 40), link.start) is None:
        return False
    # Payment words or an amount just before the address first: most links have neither, and then the
    # request checks below (costly regexes, about 40 us a link) need not run. Same answer in any order.
    paid = _PAID_JUST_BEFORE.search(norm, max(0, link.start - 32), link.start) is not None or (
        _AMOUNT.search(norm, max(0, link.start - 40), link.start) is not None
        and intent.organisation_role(norm, link.start, link.end) == intent.MERCHANT)
    if not paid:
        return False
    if intent.request(unit, link.start, link.end, _PAY_THERE) or _BY_PAYING.search(norm, max(0, link.start - 50), link.start):
        return False
    confirm = intent.request(unit, link.start, link.end, _CONFIRM_THERE)
    return not (confirm and confirm[1] >= link.start - 30)


# "Your parcel from Very.co.uk is out for delivery", "your booking through Booking.com": the shop or site a
# purchase was made on, named by its address; and "the Booking.com app"
_FROM_SHOP = re.compile(r"\b(?:(?:parcels?|orders?|packages?|deliver(?:y|ies)|items?|purchases?|returns?|refunds?)\s{1,3}from"
                        r"|(?:booking|booked|reservation|reserved|ordered|bought|paid|order|stay)\s{1,3}(?:through|via|on|with))\s{1,3}$",
                        re.I)
_NAME_BEFORE = re.compile(r"\s{1,3}(?:app\b|e-?mail (?:address|account)\b|(?:charges?|takes?|keeps?|wants?|says|said|won.t|doesn.t|can.t|will not|does not|cannot)\s)", re.I)


def _as_a_name(text: str, link: Link) -> bool:
    """Whether a bare address is written as a name, not offered as a link: opening the message before a
    colon or a capitalised word ("Booking.com: your stay...", "GOV.UK ALERT"), written in capitals
    before a capitalised word anywhere ("your GOV.UK One Login code"), the shop a parcel or order is from
    ("your parcel from Very.co.uk"), or a site named as an app, an email service or the subject of a verb ("the
    Booking.com app", "your plus.net email address", "Booking.com charges a big fee"). "Visit GOV.UK for more",
    "at booking.com." and "1cardapp.page.link Team OneCard" still offer it."""
    if "/" in link.url or link.url[:4].lower() == "www." or link.disguised:
        return False
    if _FROM_SHOP.search(text, max(0, link.start - 30), link.start) or _NAME_BEFORE.match(text, link.end):
        return True
    after = text[link.end : link.end + 2]
    capital_next = len(after) == 2 and after[0] == " " and after[1].isupper()
    if not text[: link.start].strip():
        return after[:1] == ":" or capital_next
    return capital_next and link.url.isupper()


def _offered(unit: TextUnit, links: list[Link]) -> list[Link]:
    """The links a unit offers the reader: all but the merchants of a payment alert and names."""
    aligned = len(unit.norm) == len(unit.text)  # one character for one: link offsets index norm too
    return [x for x in links if not _as_a_name(unit.text, x) and not _merchant(unit, x, aligned)]


_LETTERS = re.compile(r"[^a-z0-9]+")


def _named_elsewhere(norm: str, host: str, speaker_names: tuple[str, ...]) -> bool:
    """Whether the message names the site's owner itself, someone other than the sender: "Victim Support
    can help: victimsupport.org.uk" in a police text points to that charity, not to a fake police site."""
    label = host.split(".")[0] if not host.startswith("www.") else host.split(".")[1]
    label = _LETTERS.sub("", label)
    if len(label) < 4 or any(name in label for name in speaker_names):
        return False
    rest = norm.replace(host, " ")
    if len(label) < 6:  # a short name ("LNER") only as a word of its own, not inside another ("vulnerable")
        return re.search(rf"(?<![a-z0-9]){label}(?![a-z0-9])", rest) is not None
    return label in _LETTERS.sub("", rest)


class LinkDetector:
    name = "links"

    def __init__(self, specs: dict[str, dict], official: Sequence[str] = (),
                 organisations: OrganisationIndex | None = None, open_hosts: Sequence[str] = ()) -> None:
        self.index = organisations  # whose websites and names count (None: organisation_index())
        self.shorteners = tuple(specs["LINK_SHORTENER"]["shorteners"])
        self.risky_tlds = tuple(specs["LINK_RISKY_TLD"]["tlds"])
        brands = specs["LINK_LOOKALIKE_DOMAIN"]["brands"]
        self.brands = {b: tuple(info["official"]) for b, info in brands.items()}
        # organisations' own hosts that serve anyone's pages (instagram.com): not look-alikes of the brand,
        # but no proof of who wrote the message, so never "official" either
        self._open_set = frozenset(d for info in brands.values() for d in info.get("open", ())) | frozenset(open_hosts)
        self.gov_domains = tuple(specs["LINK_GOV_CLAIM_NOT_GOV_UK"].get("official", ()))
        claim = specs["LINK_GOV_CLAIM_NOT_GOV_UK"]["claim"]
        self.gov_claim = re.compile(claim)
        self._claim_gate = literal_gate(self.gov_claim, split_alternatives(claim))  # where it finds nothing, the claim matches nothing
        # names of bodies, which count only when the message speaks as them (not "NHS dental care is free")
        self.gov_names = frozenset(specs["LINK_GOV_CLAIM_NOT_GOV_UK"].get("names", ()))
        # the bodies that never send you to a page anyone can make (a form, a free site, a link page)
        open_claim = specs["LINK_GOV_CLAIM_NOT_GOV_UK"].get("open_host_claim")
        self.gov_open_claim = re.compile(open_claim) if open_claim else None
        never = specs["LINK_NOT_ORGS_WEBSITE"].get("never_on_open_hosts") or {}
        self._never_open_kinds = frozenset(never.get("kinds", ()))
        self._never_open_ids = frozenset(never.get("ids", ()))
        self.official = tuple(d for ds in self.brands.values() for d in ds) + self.gov_domains + tuple(official)
        self._shortener_set = frozenset(self.shorteners)
        self._official_set = frozenset(self.official)
        # any brand at all in a host: only then is the (ordered) brand loop run
        self._any_brand = re.compile("|".join(re.escape(b) for b in sorted(self.brands, key=len, reverse=True)))
        self._hosts: dict[str, tuple] = {}  # host -> _host_facts(host), remembered
        self._typo_names = tuple(b for b in self.brands if len(b) >= TYPO_MIN and b.isalpha())
        # card-reader and invoicing firms' hosts (squareup.com): a small firm's own payment page, LINK_PAYMENT_PAGE
        self._payment_hosts = frozenset((specs.get("LINK_PAYMENT_PAGE") or {}).get("hosts", ()))
        generic = specs.get("LINK_GENERIC_NAME") or {}
        self.generic_words = frozenset(generic.get("generic_words", ()))
        self.shared_words = re.compile(generic.get("shared_words") or "(?!)")

    def _spoken_host(self, text: str, link: Link) -> Link:
        """A recogniser may split a name said as one word ("tv licensing dot co dot uk" for
        tvlicensing.co.uk): the link with the word or two before it joined on, where that makes an
        official address; else the link as found."""
        before = text[max(0, link.start - 40) : link.start]
        words = before.split()[-2:]
        for n in (1, 2):
            if len(words) >= n and all(w.isalnum() for w in words[-n:]):
                joined = "".join(words[-n:]).lower() + link.host
                if self._host_facts(joined)[3]:
                    start = link.start - len(before) + before.rindex(words[-n])
                    return replace(link, host=joined, start=start)
        return link

    def _host_facts(self, host: str) -> tuple[bool, bool, bool, bool, bool, bool, str | None]:
        """What the host alone says, as the link loop in ``analyze`` reads it: look-alike letters, an IP
        address, a shortener, official, open to anyone, a risky TLD, and the brand it is not an official
        address of (None). Past an IP address, an official or an open host the loop reads nothing more."""
        facts = self._hosts.get(host)
        if facts is not None:
            return facts
        on = suffixes(host)
        ip = _IP.match(host) is not None
        # an open host inside an official domain (forms.office.com under office.com) serves anyone's pages
        open_ = not ip and not on.isdisjoint(self._open_set)
        official = not (ip or open_) and not on.isdisjoint(self._official_set)
        risky, brand = False, None
        if not (ip or official or open_):
            risky = host.rsplit(".", 1)[-1] in self.risky_tlds
            variants = squashed_variants(host)
            # a name may not run on into the address's ending: "northgateestates.co.uk" spells no "tesco" (round 552);
            # names that end in one ("govuk", "acuk") are looked for in the whole address
            named = squashed_variants(without_suffix(host))
            any_brand = self._any_brand.search
            for name in self.brands if any(any_brand(v) for v in variants) else ():
                if any(name in v for v in (variants if name.endswith(SUFFIX_WORDS) else named)):
                    brand = name
                    break
            if brand is None:
                brand = self._typo_squat(host)
        shortener = not ip and not on.isdisjoint(self._shortener_set)
        facts = (not host.isascii(), ip, shortener, official, open_, risky, brand)
        if len(self._hosts) >= 4096:  # a stream of distinct hosts: start again rather than grow
            self._hosts = {}
        self._hosts[host] = facts
        return facts

    def _typo_squat(self, host: str) -> str | None:
        """The brand whose name a part of ``host`` (a label or a hyphen-separated piece, the top-level
        domain left out) misspells by one slip, or None."""
        labels = host.split(".")
        parts = {p for label in labels[:-1] for p in label.split("-") if len(p) >= TYPO_MIN}
        for name in self._typo_names if parts else ():
            if any(one_slip(p, name) for p in parts):
                return name
        return None

    @classmethod
    def from_rules(cls, organisations: OrganisationIndex | None = None) -> LinkDetector:
        """The shipped link rules over ``organisations`` (default: ``organisation_index()``), the one home
        of official web domains: each organisation's ``link_names`` are brands whose genuine addresses are
        its domains; the flag's own ``brands`` add only names that are no single organisation."""
        index = organisation_index() if organisations is None else organisations
        orgs = index.organisations
        defs = rules.flag_defs()
        specs = {fid: d.spec for fid, d in defs.items() if d.group == "links"}
        brands = {name: {"official": list(org.domains), "open": list(org.open_hosts)} for org in orgs
                  for name in org.link_names}
        listed = specs["LINK_LOOKALIKE_DOMAIN"].get("brands") or {}
        if twice := sorted(brands.keys() & listed.keys()):
            raise RulesError(f"LINK_LOOKALIKE_DOMAIN brands {twice} are organisations' link_names already")
        specs["LINK_LOOKALIKE_DOMAIN"] = {**specs["LINK_LOOKALIKE_DOMAIN"], "brands": {**brands, **listed}}
        if "LINK_PAYMENT_PAGE" in specs:
            payers = set(specs["LINK_PAYMENT_PAGE"].get("organisations") or ())
            hosts = sorted({d for org in orgs if org.id in payers for d in org.open_hosts})
            specs["LINK_PAYMENT_PAGE"] = {**specs["LINK_PAYMENT_PAGE"], "hosts": hosts}
        return cls(specs, sorted({d for org in orgs for d in org.domains}), index,
                   sorted({d for org in orgs for d in org.open_hosts}))

    def _claim(self, norm: str, claim: re.Pattern | None = None) -> tuple[int, int] | None:
        """The first words by which the message speaks as a government body ("HMRC:", "your tax
        refund"); a body it only mentions, points you to, or pays does not count ("NHS dental care is
        free", "report it to HMRC"). ``claim``: a narrower list of bodies than the flag's own."""
        if self._claim_gate is not None and self._claim_gate.search(norm) is None:
            return None
        for s, e in whole_word_matches(claim or self.gov_claim, norm):
            role = intent.organisation_role(norm, s, e)
            if role == intent.SPEAKER or (role == intent.MENTION and norm[s:e] not in self.gov_names):
                return s, e  # a body speaking, or a topic ("tax refund", "government grant") it is about
        return None

    def analyze(self, unit: TextUnit) -> list[Finding]:
        links = links_in(unit)
        if not links:
            return []
        out: list[Finding] = []
        official: list[Span] = []  # links to genuine websites; they reassure only when no other link is given
        paying: list[Span] = []  # links to small firms' payment pages (squareup.com): the same, for LINK_PAYMENT_PAGE
        gov_claim: tuple[int, int] | bool | None = False  # searched for when first needed
        open_claim: tuple[int, int] | bool | None = False  # the same for links on open hosts
        followed = _offered(unit, links)
        for link in followed:
            # No genuine sender hides its address from filters, even its own; on a call every address is
            # said with "dot" and a recogniser may space its dots, so there only brackets and "hxxp" hide one.
            said = link.spoken and unit.channel == "call"
            if said:
                link = self._spoken_host(unit.text, link)
            host = link.host
            span = (Span(unit.text[link.start : link.end], link.start, link.end, unit.turn),)
            disguised = link.disguised and not said
            if disguised:
                out.append(Finding("LINK_DISGUISED", 1.0, span, f"written to dodge filters; it is {link.host}"))
            lookalike, ip, shortener, on_official, on_open, risky, brand = self._host_facts(host)
            if lookalike:  # a lookalike host (Cyrillic letters, zero-width characters) normalises differently
                out.append(Finding("LINK_LOOKALIKE_DOMAIN", 1.0, span, f"'{host}' uses look-alike letters"))
            if ip:
                out.append(Finding("LINK_IP_ADDRESS", 1.0, span))
                continue
            if shortener:
                out.append(Finding("LINK_SHORTENER", 1.0, span))
            if on_official:
                if not disguised:
                    official.extend(span)
                continue
            if on_open:
                if not disguised and not suffixes(host).isdisjoint(self._payment_hosts):
                    paying.extend(span)
                # anyone can make a page there: no proof either way, except for the bodies that only ever
                # send you to their own site (HMRC on a free form or link page)
                if open_claim is False:
                    open_claim = self.gov_open_claim is not None and self._claim(unit.norm, self.gov_open_claim)
                if open_claim:
                    out.append(Finding("LINK_GOV_CLAIM_NOT_GOV_UK", 1.0, (*span, unit.span(*open_claim))))
                continue
            if risky:
                out.append(Finding("LINK_RISKY_TLD", 1.0, span))
            if brand is not None:
                out.append(Finding("LINK_LOOKALIKE_DOMAIN", 1.0, span, f"'{host}' is not an official {brand} address"))
            elif self.generic_words and made_of(host, self.generic_words):
                conf = 1.0 if self.shared_words.search(unit.norm) else 0.6
                out.append(Finding("LINK_GENERIC_NAME", conf, span, f"'{host}' is made only of everyday words and names no business"))
            if gov_claim is False:
                gov_claim = self._claim(unit.norm)
            if gov_claim:
                ev = (*span, unit.span(*gov_claim))
                out.append(Finding("LINK_GOV_CLAIM_NOT_GOV_UK", 1.0, ev))
        # (on a call, the user naming the real website - "isn't your website thameswater.co.uk?" - says nothing
        # of where the caller sends them)
        if official and len(official) == len(followed) and not (unit.channel == "call" and unit.role == "user"):
            out.append(Finding("LINK_OFFICIAL_DOMAIN", 1.0, tuple(official[:3])))
        elif len(official) < len(followed):
            out.extend(self._not_the_speakers(unit, followed))
        if paying and len(paying) == len(followed):
            out.append(Finding("LINK_PAYMENT_PAGE", 1.0, tuple(paying[:3])))
        return out

    def _not_the_speakers(self, unit: TextUnit, links: list[Link]) -> list[Finding]:
        """LINK_NOT_ORGS_WEBSITE: the message speaks as an organisation whose websites we know, and links
        somewhere that is none of them (nor any other genuine site we know)."""
        for org, claim in speaking_as(unit, self.index):
            link = self.off_site(org, unit, links)
            if link is not None:
                span = Span(unit.text[link.start : link.end], link.start, link.end, unit.turn)
                note = (f"It speaks as {org.name}, but {link.host} is not one of {org.name}'s websites "
                        f"({', '.join(org.domains[:3])}).")
                return [Finding("LINK_NOT_ORGS_WEBSITE", _claim_confidence(org), (span, claim), note)]
        return []

    def off_site(self, org, unit: TextUnit, links: list[Link]) -> Link | None:
        """The first of ``links`` that is none of ``org``'s websites nor any other genuine site we know
        (None when ``org`` has no known websites)."""
        if not org.domains:
            return None
        names = tuple(_LETTERS.sub("", a) for a in (org.id, *org.aliases, *org.speaker_aliases))
        for link in links:
            _, ip, _, on_official, on_open, _, _ = self._host_facts(link.host)
            if ip or on_official:
                continue
            if on_open and (org.kind not in self._never_open_kinds and org.id not in self._never_open_ids):
                continue  # a school's form, a club's payment page: anyone's, and many bodies use them
            # (even its own: "Microsoft 365: verify at forms.office.com/..." is the commonest use of that host)
            if _named_elsewhere(unit.norm, link.host, names):
                continue
            if _NAMES_A_SHOP.match(unit.text, link.end):
                continue  # "your Very.co.uk parcel": the shop it came from, not a page to open
            return link
        return None


_NAMES_A_SHOP = re.compile(r" (?:parcel|order|package|delivery|item|purchase|return)s?\b", re.IGNORECASE)

# bodies whose staff legitimately point to others' sites (the police to Action Fraud, a surgery to its booking
# service, a charity to a campaign site) count for less; a bank, a courier, a shop or a streaming service does not
_OTHERS_SITES_KINDS = frozenset({"police", "health", "charity"})


def _claim_confidence(org) -> float:
    return 0.5 if org.kind in _OTHERS_SITES_KINDS else 1.0
