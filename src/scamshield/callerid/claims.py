"""Who a message or call speaks as: the organisations named in it that are the speaker (not a merchant, a
payee or a body only mentioned), found once per text unit and shared by every detector."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..detectors.wordmatch import trie_regex
from ..intent import SPEAKER, organisation_role
from ..models import Span
from ..organisations import Organisation, OrganisationIndex, organisation_index
from ..preprocess import TextUnit
from ..quoted import received_quotes

# Claims count from the other party (or an unlabelled transcript), never from the user repeating them.
CLAIMING_ROLES = (None, "other")


def is_claim(norm: str, start: int, end: int) -> bool:
    """Whether the organisation named at norm[start:end] is the one speaking or writing (intent.py)."""
    return organisation_role(norm, start, end) == SPEAKER


def speaking_as(unit: TextUnit, index: OrganisationIndex | None = None) -> list[tuple[Organisation, Span]]:
    """The organisations a text unit speaks as (not ones it mentions), with where it says so. ``index``:
    the analyzer's organisations (default: ``organisation_index()``)."""
    if unit.role not in CLAIMING_ROLES:
        return []
    return [(org, unit.span(s, e)) for org, s, e, claim in unit_mentions(unit, index) if claim]


def sender_org(sender_name: str, index: OrganisationIndex | None = None) -> Organisation | None:
    """The organisation a text's sender name ("HMRC", "RoyalMail") names, if any."""
    hits = (index or organisation_index()).mentions(sender_name.lower())
    return hits[0][0] if hits else None


def claims_in(units: Iterable[TextUnit], sender_name: str | None = None,
            index: OrganisationIndex | None = None) -> list[tuple[Organisation, Span]]:
    """Organisations the sender or caller speaks as (not ones they mention, nor the callee's words)."""
    org = sender_org(sender_name, index) if sender_name else None
    sender_id = org.id if org else None
    seen: dict[str, tuple[Organisation, Span]] = {}
    for unit in units:
        if unit.role not in CLAIMING_ROLES:
            continue
        quotes = None  # quoted messages someone received ("got this 'HMRC: ...' is it real?"): not the sender's claim
        for org, start, end, claim in unit_mentions(unit, index):
            if org.id not in seen and (claim or org.id == sender_id):
                span = unit.span(start, end)
                if quotes is None:
                    quotes = received_quotes(unit.text)
                if any(a <= span.start and span.end <= b for a, b in quotes):
                    continue
                seen[org.id] = (org, span)
    return list(seen.values())


_SCANNERS: dict[int, tuple[OrganisationIndex, re.Pattern]] = {}


def _alias_scanner(index: OrganisationIndex) -> re.Pattern:
    """``index.alias_re`` as a trie: the same matches (at each place the longest alias that ends a
    word), found about twice as fast, since a place is ruled out by its first character."""
    found = _SCANNERS.get(id(index))
    if found is None or found[0] is not index:
        owners = index.alias_owner
        rx = re.compile(rf"(?<![a-z0-9]){trie_regex(set(owners))}(?![a-z0-9])") if owners else index.alias_re
        found = _SCANNERS[id(index)] = (index, rx)
    return found[1]


def _mentions(norm: str, index: OrganisationIndex) -> list[tuple[Organisation, int, int]]:
    """``index.mentions(norm)``, with the faster scanner."""
    owner = index.alias_owner
    return [(owner[m.group(0)], m.start(), m.end()) for m in _alias_scanner(index).finditer(norm)]


def unit_mentions(unit: TextUnit, index: OrganisationIndex | None = None) -> list[tuple[Organisation, int, int, bool]]:
    """Organisation mentions in a unit with whether each is a claim; found once per unit and shared by
    every detector of the analyzer (``TextUnit.organisations``; they share one ``index``)."""
    cached = unit.organisations
    if cached is None:
        index = index or organisation_index()
        norm, only_speaking = unit.norm, index.speaker_only
        cached = []
        for o, s, e in _mentions(norm, index):
            claim = is_claim(norm, s, e)
            if claim or norm[s:e] not in only_speaking:  # "sky", "three": the org only when it speaks
                cached.append((o, s, e, claim))
        unit.organisations = cached
    return cached
