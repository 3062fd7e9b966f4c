"""LINK_NOT_ORGS_WEBSITE for a text sent under an organisation's name whose words do not name it (the sender ID
is the claim). The link facts and the official-site test are links.py's; this module only reads the sender."""

from __future__ import annotations

from ..callerid.claims import speaking_as
from ..mentions import links_in
from ..models import Finding, Span
from ..organisations import organisation_index
from ..preprocess import TextUnit
from .links import LinkDetector, _claim_confidence, _offered


class SenderLinkDetector:
    """LINK_NOT_ORGS_WEBSITE for a text sent under an organisation's name ("RoyalMail") whose words do not
    name it: the sender name is the claim (anyone can set it), as the words are for LinkDetector."""

    name = "sender_links"

    def __init__(self, links: LinkDetector) -> None:
        self.links = links

    def analyze_message(self, message, units: list[TextUnit]) -> list[Finding]:
        if message.channel != "sms" or not message.sender or not units:
            return []
        from ..callerid.numbers import parse_number

        name = parse_number(message.sender).sender_name
        hits = (self.links.index or organisation_index()).mentions(name.lower()) if name else ()
        if not hits:
            return []
        org = hits[0][0]
        for unit in units:
            links = links_in(unit)
            if not links:
                continue
            if any(o.id == org.id for o, _ in speaking_as(unit, self.links.index)):
                return []  # the words name it too: LinkDetector's finding
            link = self.links.off_site(org, unit, _offered(unit, links))
            if link is not None:
                span = Span(unit.text[link.start : link.end], link.start, link.end, unit.turn)
                note = (f"It is sent under the name {name}, but {link.host} is not one of {org.name}'s websites "
                        f"({', '.join(org.domains[:3])}).")
                return [Finding("LINK_NOT_ORGS_WEBSITE", _claim_confidence(org), (span,), note)]
        return []
