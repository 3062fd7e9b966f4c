"""Caller-ID detectors for the engine.

``CallerIdDetector`` (a MessageDetector) checks the number a call or text came from: numbering
(impossible, drama, premium, 070, withheld), our inbound-only list, STIR/SHAKEN (``identity``) and a
carrier's ``verstat``; and whether an organisation the caller names fits that number.

``CallbackNumberDetector`` (an AccumulatingDetector) reads the words: a message that names an
organisation and gives a phone number that is not one of that organisation's published numbers.
It keeps a small state, so a number in turn 9 still meets the "this is HMRC" of turn 1.

For ``direction == "outgoing"`` the user dialled the number themselves: nothing about it can be a
spoof, so no caller-ID flag is raised (ringing HMRC on 0300 200 3300 is exactly right).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..mentions import has_digit_run, links_in, phone_numbers_in
from ..models import Finding, Message, Span
from ..organisations import Organisation, OrganisationIndex, organisation_index
from ..preprocess import TextUnit
from .checks import default_verifier, info_findings, stir_findings
from .claims import CLAIMING_ROLES, claims_in, sender_org, unit_mentions
from .numbers import NumberInfo, parse_number, uri_param
from .stir_shaken import StirVerifier
from .verstat import parse_verstat, verstat_findings
from .wording import note

_MAX_NUMBERS = 20  # per message or call: enough for any real message, bounded for hostile input
# A number the message says a call will come FROM ("an officer will call you from 0345 ..."): a caller ID
# to expect, which anyone can fake, not a number to ring - so it neither reassures nor is a call-back.
_CALLS_FROM = re.compile(
    r"(?:(?:call|ring|phone|contact|text)(?:s|ing)? you(?: \w+){0,4} from|(?:calling|ringing) (?:you )?from"
    r"|(?:will|should|may) (?:appear|show|display) as|(?:come|comes|coming) from)(?: (?:the )?(?:number|line))?:?\s*$")


def _caller_id_to_expect(unit: TextUnit, span: Span) -> bool:
    return _CALLS_FROM.search(unit.text[max(0, span.start - 60) : span.start].lower()) is not None


# "call Apple Support on 0808 ...", "ring Barclays' fraud team at 0306 ...": the words say whose number it is, so a
# number that is not that organisation's is the call-back scam even where the message does not speak as it (an
# "Apple Pay was added" alert, round 691). Only a number that follows the name at once counts.
_CALL_THE_ORG = re.compile(r"\b(?:call|ring|phone|contact|dial)(?: the| your)?\s*$")
_ORG_ON_NUMBER = re.compile(
    r"(?:.s|s.)?(?: (?:customer )?(?:support|services?|care|helpline|help ?desk|help line|fraud (?:team|department|line)"
    r"|security (?:team|department)|team|department|hotline|billing|technical support))?(?: (?:now|urgently|immediately|today))?"
    r" (?:on|at)(?: freephone| free)?:? ?\+?\d")


def _number_named_for(unit: TextUnit, start: int, end: int) -> bool:
    """Whether the organisation named at unit.norm[start:end] is the one to ring on the number that follows."""
    norm = unit.norm
    return (_CALL_THE_ORG.search(norm[max(0, start - 16) : start]) is not None
            and _ORG_ON_NUMBER.match(norm, end) is not None)


class CallerIdDetector:
    """MessageDetector: what the number a call or text came from shows (see the module docstring).
    ``organisations``: the analyzer's organisations (default: ``organisation_index()``)."""

    name = "callerid"

    def __init__(self, verifier: StirVerifier | None = None, organisations: OrganisationIndex | None = None) -> None:
        self._verifier = verifier
        self.index = organisations or organisation_index()

    @property
    def verifier(self) -> StirVerifier:
        return self._verifier or default_verifier()

    def analyze_message(self, message: Message, units: list[TextUnit]) -> list[Finding]:
        if message.direction == "outgoing":
            return self._dialled_findings(message, units)
        channel = "sms" if message.channel == "sms" else "call"
        out: list[Finding] = []
        first = not units or any(u.turn in (None, 0) for u in units)
        if message.sender is None:
            # No caller ID given at all (a pasted transcript, a recording) is unknown, not withheld:
            # only an explicit "withheld"/"anonymous"/"" counts as a hidden number.
            if first and channel == "call":
                out.extend(self._signature_findings(message))
            return out
        info = parse_number(message.sender)
        # The analyzer calls us once at call set-up (no units) and again per batch of turns. The
        # number and its signature are judged at set-up (or with the first/only batch); later turns
        # only add claims, so a signature is never re-checked minutes later and called stale.
        if first:
            out.extend(info_findings(info, channel, self.index))
            if channel == "call":
                out.extend(self._signature_findings(message))
        out.extend(self._claim_findings(info, channel, claims_in(units, info.sender_name, self.index)))
        if info.sender_name and channel == "sms":
            out.extend(self._sender_callback_findings(info.sender_name, units))
        return out

    def _sender_callback_findings(self, sender_name: str, units: list[TextUnit]) -> list[Finding]:
        """A text from the sender name "Santander" that says "call us on <number>": the name is the claim
        (anyone can set it), so a number that is not Santander's is the call-back scam, as when the words
        name the bank (CallbackNumberDetector)."""
        org = sender_org(sender_name, self.index)
        # Police and NHS staff give their own direct lines; a text that names the organisation itself is
        # CallbackNumberDetector's (one finding per number).
        if org is None or not org.caller_id_check or any(o.id == org.id for o, _ in claims_in(units, index=self.index)):
            return []
        out: list[Finding] = []
        own: list[Span] = []  # numbers that are the sender's own published ones
        given = 0
        for unit in units:
            if unit.role not in CLAIMING_ROLES or not has_digit_run(unit.text):
                continue
            for info, span in phone_numbers_in(unit)[:_MAX_NUMBERS]:
                given += 1  # (a number it says it will ring you from counts: only the sender's own lines reassure)
                if _caller_id_to_expect(unit, span):
                    continue
                if org.has_number(info.e164 or ""):
                    own.append(span)
                finding = callback_finding(info, span, [org], self.index, by_sender=True)
                if finding is not None:
                    out.append(finding)
        if not out and own and len(own) == given:
            # "Santander: ... please call us on 0800 9 123 123": every number given is the sender's own published
            # line, so ringing it reaches the real bank, whoever sent the text
            out.append(Finding("OFFICIAL_NUMBER_GIVEN", 1.0, tuple(own[:3]), note=note("OFFICIAL_NUMBER_GIVEN", names=org.name)))
        return out

    def _dialled_findings(self, message: Message, units: list[TextUnit]) -> list[Finding]:
        """The user rang this number, so it cannot be a spoof. What matters is whose number it is: an
        organisation's own official line reassures; someone answering as an organisation on a number that
        is not one of its lines (one from a pop-up, an email or an advert) is the call-back scam."""
        first = not units or any(u.turn in (None, 0) for u in units)
        made = [Finding("USER_MADE_THE_CALL", 1.0, note=note("USER_MADE_THE_CALL"))] if first else []
        if not message.dialled:
            return made
        info = parse_number(message.dialled)
        number = info.e164 if info.kind == "number" else info.short_code if info.kind == "short_code" else None
        owners = self.index.owners(number)
        if owners:
            if not first:
                return []
            org, entry = owners[0]
            who = note("DIALLED_OFFICIAL_NUMBER", "fraud_line") if entry.universal and org.kind != "police" else org.name
            return [Finding("DIALLED_OFFICIAL_NUMBER", 1.0,
                            note=note("DIALLED_OFFICIAL_NUMBER", number=entry.national, who=who, label=entry.label))]
        out = made
        shown = info.display if info.kind in ("number", "short_code") else message.dialled
        if info.kind == "number" and info.is_uk and (info.national_number or "").startswith("9") and first:
            # an 09 line earns by the minute: a missed call, a "helpline" advert or a parcel card that gets you
            # to ring one (and hold) is how the money is made, however ordinary whoever answers sounds
            out = [Finding("DIALLED_PREMIUM_RATE", 1.0, note=note("DIALLED_PREMIUM_RATE", shown=shown))]
        for org, span in claims_in(units, index=self.index):
            if not org.caller_id_check:
                continue
            known = org.phone_numbers()
            conf = 0.9 if known else 0.6
            listed = note("ANSWERED_AS_ORG_ON_OTHER_NUMBER", "listed", number=known[0].national) if known else ""
            out.append(Finding("ANSWERED_AS_ORG_ON_OTHER_NUMBER", conf, (span,),
                               note=note("ANSWERED_AS_ORG_ON_OTHER_NUMBER", shown=shown, org=org.name, listed=listed)))
        return out

    def _signature_findings(self, message: Message) -> tuple[Finding, ...]:
        found: tuple[Finding, ...] = ()
        if message.identity:
            result = self.verifier.verify(message.identity, orig=message.sender, dest=message.recipient)
            found = stir_findings(result)
        verstat = message.verstat or (uri_param(message.sender, "verstat") if message.sender else None)
        if verstat and not found:  # our own verification, when there is one, outranks the carrier's
            found = verstat_findings(parse_verstat(verstat))
        return found

    def _claim_findings(
        self, info: NumberInfo, channel: str, claims: list[tuple[Organisation, Span]]
    ) -> list[Finding]:
        if not claims or info.kind != "number" or not info.valid or info.drama:
            return []  # no number to compare, or the number itself is already flagged
        owners = [org for org, entry in self.index.owners(info.e164) if not entry.universal]
        who = "caller" if channel == "call" else "sender"
        out: list[Finding] = []
        for org, span in claims:
            if org.has_number(info.e164 or ""):
                continue  # its own number (an inbound-only one is flagged as a spoof elsewhere)
            if org.uk_only and not info.is_uk:
                where = info.region_name or note("CLI_UK_ORG_FROM_ABROAD", "somewhere")
                out.append(Finding("CLI_UK_ORG_FROM_ABROAD", 0.9, (span,), note=note(
                    "CLI_UK_ORG_FROM_ABROAD", who=who, org=org.name, shown=info.display, where=where)))
                continue
            # Banks, shops, networks and payment firms text from a name or a short code, never from a personal
            # mobile; their staff may ring from anywhere, hence caller_id_check (delivery drivers, police
            # officers and NHS staff do text from their own phones).
            texted_from_mobile = (channel == "sms" and info.number_type in ("mobile", "personal")
                                  and org.kind in _NAMED_SENDER_KINDS)
            if not org.caller_id_check and not texted_from_mobile:
                continue
            other = next((o for o in owners if o.id != org.id), None)
            if other is not None:
                conf, why = 0.9, "other_org"
            elif info.number_type in ("mobile", "personal"):
                conf, why = 0.8, "personal"
            elif not org.cold_calls and channel == "call":
                conf, why = 0.9, "never_cold_calls"
            else:
                conf, why = 0.3, "unknown"
            fields = {"org": org.name, "other": other.name if other else "", "shown": info.display,
                      "type": info.type_label}
            out.append(Finding("CLI_ORG_MISMATCH", conf, (span,), note=note(
                "CLI_ORG_MISMATCH", who=who, why=note("CLI_ORG_MISMATCH", why, **fields), **fields)))
        return out


# ----------------------------------------------------------------------------- callback numbers

_MAX_PENDING = 50  # units with digits seen before any organisation was claimed (a long call's last 50)


@dataclass(slots=True)
class _CallbackState:
    orgs: dict[str, tuple[Organisation, Span]] = field(default_factory=dict)
    numbers: list[tuple[NumberInfo, Span]] = field(default_factory=list)
    findings: dict[str, Finding] = field(default_factory=dict)
    pending: list[TextUnit] = field(default_factory=list)  # not yet searched for numbers
    named: set[str] = field(default_factory=set)  # every organisation the words name, claimed or not
    sites: set[str] = field(default_factory=set)  # organisations whose own website the message links to


def callback_finding(info: NumberInfo, span: Span, orgs: list[Organisation],
                     index: OrganisationIndex | None = None, *, by_sender: bool = False,
                     named: frozenset[str] | set[str] = frozenset(),
                     sites: frozenset[str] | set[str] = frozenset(), clear_only: bool = False) -> Finding | None:
    """A CALLBACK_NUMBER_MISMATCH finding when ``info`` (a number written in a message naming
    ``orgs``, or sent under their name when ``by_sender``) is not one of their published numbers, else None.
    ``named``: the ids of every organisation the message names; ``sites``: those whose own website it links to.
    ``clear_only``: not a number merely missing from our list, unless the organisation is one whose every line we
    list (a bank, HMRC: ``caller_id_check``)."""
    owners = (index or organisation_index()).owners(info.e164)
    if any(entry.universal for _, entry in owners):
        return None  # 159, 101, Report Fraud...: fine in any message
    if any(org.has_number(info.e164 or "") for org in orgs):
        return None
    # Another organisation's own number, and the message names that organisation ("Victim Support:
    # 0808 ..."): it refers you on, as police and councils do.
    if any(o.id in named for o, _ in owners):
        return None
    org = orgs[0]
    # We know none of its numbers, and the message links to its own website: nothing says the number
    # is not its own ("Sky: call 0808 ... or visit sky.com/deals").
    if not org.phone_numbers() and org.id in sites and info.valid and not info.drama \
            and info.number_type not in ("mobile", "personal", "premium_rate"):
        return None
    shown = info.display
    other = next((o for o, _ in owners if o.id not in {g.id for g in orgs}), None)
    lookalike = next(
        (n for g in orgs for n in g.phone_numbers() if info.e164 and n.number[:-4] == info.e164[:-4]), None
    )
    kind = ""
    if other is not None:
        conf, why = 0.9, "other_org"
    elif not info.valid or info.drama or info.number_type in ("mobile", "personal", "premium_rate"):
        kind = note(_CALLBACK, "no_such_number") if not info.valid or info.drama else info.type_label
        conf, why = 1.0, "not_a_line"
    elif org.uk_only and not info.is_uk:
        conf, why = 0.9, "foreign"
    elif lookalike is not None:
        conf, why = 0.8, "lookalike"
    elif not org.phone_line:  # Google, Meta...: no line to ring at all ("call Google Account Support on 0306 ...", round 503)
        conf, why = 1.0, "no_phone_line"
    elif not org.phone_numbers():
        conf, why = 0.4, "no_number"
    else:
        conf, why = 0.6, "unknown"
    if clear_only and (why == "no_number" or (why == "unknown" and not org.caller_id_check)):
        return None
    if not org.caller_id_check and org.phone_line:
        conf *= 0.5  # police and NHS staff legitimately give direct lines
    fields = {"org": org.name, "shown": shown, "other": other.name if other else "", "kind": kind,
              "real": lookalike.national if lookalike else ""}
    key = "sender_note" if by_sender else "note"
    return Finding(_CALLBACK, conf, (span,), note=note(_CALLBACK, key, why=note(_CALLBACK, why, **fields), **fields))


_CALLBACK = "CALLBACK_NUMBER_MISMATCH"
# Kinds of organisation that text only from a sender name or a short code (see _claim_findings).
_NAMED_SENDER_KINDS = frozenset({"bank", "payments", "tax", "telecom", "retail", "tech"})


class CallbackNumberDetector:
    """Organisation named + a phone number that is not one of its numbers (see module docstring)."""

    name = "callback_numbers"

    def __init__(self, organisations: OrganisationIndex | None = None) -> None:
        self.index = organisations or organisation_index()

    def new_state(self) -> _CallbackState:
        return _CallbackState()

    def feed(self, state: _CallbackState, unit: TextUnit) -> None:
        if unit.role not in CLAIMING_ROLES:
            return
        changed = False
        for org, span in claims_in([unit], index=self.index):
            if org.id not in state.orgs:
                state.orgs[org.id] = (org, span)
                changed = True
        mentions = unit_mentions(unit, self.index)
        state.named.update(org.id for org, _, _, _ in mentions)
        for org, start, end, claim in mentions:
            if not claim and org.id not in state.orgs and _number_named_for(unit, start, end):
                self._named_number(state, unit, org, unit.span(start, end).end)
        if state.orgs:
            for link in links_in(unit):
                state.sites.update(oid for oid, (org, _) in state.orgs.items()
                                   if org.domains and link.host_is(frozenset(org.domains)))
        if has_digit_run(unit.text):
            state.pending.append(unit)
            del state.pending[:-_MAX_PENDING]
        if state.orgs and state.pending:
            # Numbers matter only once someone claims to be an organisation, so the (slower)
            # phone-number matcher runs only then, over the units held back until now.
            for held in state.pending:
                room = _MAX_NUMBERS - len(state.numbers)
                if room <= 0:
                    break
                new = [(i, sp) for i, sp in phone_numbers_in(held)[:room] if not _caller_id_to_expect(held, sp)]
                if new:
                    state.numbers.extend(new)
                    changed = True
            state.pending.clear()
        if changed and state.orgs and state.numbers:
            orgs = [org for org, _ in state.orgs.values()]
            for info, span in state.numbers:
                key = info.e164 or info.raw
                if key in state.findings:
                    continue
                finding = callback_finding(info, span, orgs, self.index, named=state.named, sites=state.sites)
                if finding is not None:
                    state.findings[key] = finding

    def _named_number(self, state: _CallbackState, unit: TextUnit, org: Organisation, after: int) -> None:
        """The number given right after "call <organisation> ... on": checked against that organisation's numbers."""
        for info, span in phone_numbers_in(unit)[:_MAX_NUMBERS]:
            if span.start < after or span.start > after + 40:
                continue
            key = info.e164 or info.raw
            if key not in state.findings:
                # the text only names the organisation: a number merely missing from our list ("call British Gas on
                # 0333 ...") says nothing, only one that is surely not its line
                finding = callback_finding(info, span, [org], self.index, named=state.named, sites=state.sites,
                                           clear_only=True)
                if finding is not None:
                    state.findings[key] = finding
            return

    def findings(self, state: _CallbackState) -> list[Finding]:
        if state.findings or not state.numbers:
            return list(state.findings.values())
        # Every number the message gives is the named organisation's own (or 159, 101...): ringing it
        # reaches the real organisation, whatever the message says.
        orgs = [org for org, _ in state.orgs.values()]
        index = self.index
        spans = [span for info, span in state.numbers
                 if any(org.has_number(info.e164 or "") for org in orgs)
                 or any(entry.universal for _, entry in index.owners(info.e164))]
        if len(spans) != len(state.numbers):
            return []
        names = " / ".join(org.name for org in orgs[:2])
        return [Finding("OFFICIAL_NUMBER_GIVEN", 1.0, tuple(spans[:3]), note=note("OFFICIAL_NUMBER_GIVEN", names=names))]
