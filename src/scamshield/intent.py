"""What a matched phrase is doing in its sentence: asked for, denied, or only mentioned; and whether an
organisation it names is the one speaking.

A message is judged on what it asks of the reader and who it speaks as, not on the words it mentions:
"confirm your date of birth" is a request, "knowing the patient's date of birth" is not; "we will never
ask for your PIN" denies a request; "a payment to Amazon" names a merchant, not the sender. This is one
mechanism, used by every pattern flag according to its ``act`` (detectors/patterns.py) and by the
caller-ID claim checks (callerid/detector.py). The cue words are data: rules/intent.yaml.

Everything works on ``TextUnit.norm`` offsets and looks only inside the clause of the phrase.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from . import contractions, rules
from .detectors.wordmatch import trie_regex
from .errors import RulesError
from .mentions import find_links
from .preprocess import TextUnit

SPEAKER, MENTION, MERCHANT, REFERRAL = "speaker", "mention", "merchant", "referral"


@dataclass(frozen=True, slots=True)
class Cues:
    clause_break: re.Pattern
    negation: re.Pattern
    negation_window: int
    negation_list_window: int
    scam_notice: re.Pattern
    scam_notice_window: int
    negation_max_words: int
    asking: re.Pattern
    comma_restarts: re.Pattern
    list_goes_on: re.Pattern
    conditional: re.Pattern
    denies_asking: re.Pattern
    denies_asking_before: re.Pattern
    restart: re.Pattern
    negation_after: re.Pattern
    hypothetical: re.Pattern  # hypotheticals and reported speech
    reported: re.Pattern  # reported speech alone
    warned_of: re.Pattern  # what a warning says scammers tell you ("if anyone has told you to...")
    done: re.Pattern
    request_before: int
    request_after: int
    merchant_before: re.Pattern
    product_after: re.Pattern
    referral_before: re.Pattern
    impersonated_before: re.Pattern
    owned_before: re.Pattern
    speaker_before: re.Pattern
    speaker_after: re.Pattern
    your_before: re.Pattern
    your_after: re.Pattern
    role_window: int
    negated_request_flag: str


def _verb_regex(verbs) -> str:
    """One regex group for the request verbs: a trie (detectors/wordmatch.py), so a position is ruled out
    by its first letter instead of by trying every verb. At a position the verbs that match are each a
    prefix of the next, and the trie tries them longest first, as a list sorted longest first does, so
    every regex it stands in matches exactly as with the list."""
    return "(?:" + trie_regex(set(verbs)) + ")"


def _compile(where: str, pattern: str) -> re.Pattern:
    try:
        return re.compile(contractions.in_regex(pattern))
    except re.error as exc:
        raise RulesError(f"intent.yaml: {where} is not a valid regex: {exc}") from exc


@lru_cache(maxsize=1)
def cues() -> Cues:
    data = rules.load_yaml(rules.RULES_DIR / "intent.yaml")
    try:
        neg, req, role = data["negation"], data["request"], data["organisation_role"]
        verb = _verb_regex(req["verbs"])
        return Cues(
            clause_break=_compile("clause_break", data["clause_break"]),
            negation=_compile("negation.cue", f"(?:{neg['cue']})(?!{neg['not_after']})"),
            negation_window=int(neg["window"]),
            negation_list_window=int(neg["list_window"]),
            scam_notice=_compile("negation.scam_notice", neg["scam_notice"]),
            scam_notice_window=int(neg["scam_notice_window"]),
            negation_max_words=int(neg["max_words"]),
            asking=_compile("negation.asking", neg["asking"]),
            comma_restarts=_compile("negation.comma_restarts", neg["comma_restarts"].replace("{verb}", verb)),
            list_goes_on=_compile("negation.list_goes_on", neg["list_goes_on"].replace("{verb}", verb)),
            conditional=_compile("negation.conditional", neg["conditional"]),
            denies_asking=_compile("negation.denies_asking", neg["denies_asking"]),
            denies_asking_before=_compile("negation.denies_asking_before", neg["denies_asking_before"]),
            restart=_compile("negation.restart", neg["restart"]),
            negation_after=_compile("negation.after", neg["after"]),
            hypothetical=_compile("negation.hypothetical", f"(?:{neg['hypothetical']})|(?:{neg['reported']})"),
            reported=_compile("negation.reported", neg["reported"]),
            warned_of=_compile("negation.warned_of", neg["warned_of"]),
            done=_compile("done", data["done"]),
            request_before=int(req["window_before"]),
            request_after=int(req["window_after"]),
            merchant_before=_compile("organisation_role.merchant_before", role["merchant_before"]),
            product_after=_compile("organisation_role.product_after", role["product_after"]),
            referral_before=_compile("organisation_role.referral_before", role["referral_before"]),
            impersonated_before=_compile("organisation_role.impersonated_before", role["impersonated_before"]),
            owned_before=_compile("organisation_role.owned_before", role["owned_before"]),
            speaker_before=_compile("organisation_role.speaker_before", role["speaker_before"]),
            speaker_after=_compile("organisation_role.speaker_after", role["speaker_after"]),
            your_before=_compile("organisation_role.your_before", role["your_before"]),
            your_after=_compile("organisation_role.your_after", role["your_after"]),
            role_window=int(role["window"]),
            negated_request_flag=str(data["negated_request_flag"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise RulesError(f"intent.yaml is missing or has a bad field: {exc}") from exc


def _breaks(unit: TextUnit) -> tuple[list[int], list[int]]:
    """Starts and ends of the clause breaks in ``unit.norm``, found once per unit."""
    if unit.breaks is None:
        starts, ends = [], []
        for m in cues().clause_break.finditer(unit.norm):
            starts.append(m.start())
            ends.append(m.end())
        unit.breaks = (starts, ends)
    return unit.breaks


def clause(unit: TextUnit, start: int, end: int) -> tuple[int, int]:
    """The [lo, hi) range of the clause holding norm[start:end] (breaks inside the phrase are ignored)."""
    starts, ends = _breaks(unit)
    i = bisect_right(ends, start)
    lo = ends[i - 1] if i else 0
    j = bisect_left(starts, end)
    hi = starts[j] if j < len(starts) else len(unit.norm)
    return lo, hi


_WORDS = re.compile(r"\w+")


def warned_of(unit: TextUnit, start: int, end: int) -> bool:
    """Whether norm[start:end] is what a warning says someone may have told you ("if anyone has told you to
    keep this secret, stop"): even a phrase that is its own act is then the warning's, not the sender's."""
    c = cues()
    norm = unit.norm
    lo, _ = clause(unit, start, end)
    told = None
    for m in c.warned_of.finditer(norm, max(lo, start - c.negation_window), start):
        told = m
    return told is not None and not (c.comma_restarts.search(norm, told.end(), end)
                                     or c.restart.search(norm, told.end(), start))


def negation(unit: TextUnit, start: int, end: int, *, of_request: bool = False) -> tuple[int, int] | None:
    """The denial covering norm[start:end], as the (start, end) range from its cue to the phrase's end, or
    None when the phrase is asserted. A statement is denied by a cue a few words before it ("you won't be
    fined"); a request (``of_request``) only by a cue that denies the asking or handing over itself
    ("we will never ask for your PIN", "do not share this code")."""
    c = cues()
    norm = unit.norm
    lo, hi = clause(unit, start, end)
    cue = None
    for m in c.negation.finditer(norm, max(lo, start - c.negation_window), start):
        cue = m
    if cue is None and _OR_BEFORE.search(norm, max(lo, start - 4), start):
        cue = _denial_of_a_list(c, norm, lo, start)
    if cue is not None:
        between = norm[cue.end() : start]
        # the new instruction may be the phrase itself ("Not you, click cesbc.us to cancel")
        if "," in between and ((c.comma_restarts.search(norm[cue.end() : end]) and not _denies_a_list(c, norm, cue, hi))
                               or c.conditional.search(norm, lo, cue.start())):
            cue = None
        elif c.restart.search(between):
            cue = None
        elif not of_request and c.conditional.search(norm, max(lo, norm.rfind(",", lo, cue.start()) + 1), cue.start()) and (
                not (c.denies_asking.match(norm, cue.end(), start)
                     and c.denies_asking_before.search(norm, max(lo, cue.start() - 12), cue.start()))):
            cue = None  # a condition ("if you don't pay within 24 hours") threatens, it does not deny
        elif (c.asking.match(norm, cue.end(), start) or _asking_opens_phrase(c, norm, cue, start, end)) \
                and not c.conditional.search(between):
            pass  # "we will never ask you to move money to a safe account", "no officer will ever send a courier": denied
        elif _denied_after_or(c, norm, lo, cue, start):
            pass  # "I won't go near your online banking or ask for any passwords": the denial's later verb asks
        elif of_request or len(_WORDS.findall(between)) > c.negation_max_words:
            cue = None
    if cue is not None:
        return cue.start(), end
    told = None  # "has anyone told you to...", "if someone asks you to...": a warning, not a request
    for m in c.hypothetical.finditer(norm, max(lo, start - c.negation_window), start):
        told = m
    if told is None and _OR_ITEM_BEFORE.search(norm, max(lo, start - 24), start):
        # a later item of the warning's "or" list: "if anyone calls saying they're us and asks you to send money with
        # zelle or buy gift cards or tells you to read out a code" (round 452)
        for m in c.hypothetical.finditer(norm, max(lo, start - c.negation_list_window), start):
            told = m
    if told is None:  # a notice describing a scam going round reaches further along its clause
        for m in c.scam_notice.finditer(norm, max(lo, start - c.scam_notice_window), start):
            told = m
    if told is not None and not (c.comma_restarts.search(norm, told.end(), end) or c.restart.search(norm, told.end(), start)):
        return told.start(), end
    after = c.negation_after.search(norm[end:hi])
    if after:
        return start, end + after.end()
    return None


def _asking_opens_phrase(c: Cues, norm: str, cue: re.Match, start: int, end: int) -> bool:  # its verb is the phrase's first word
    m, word = c.asking.match(norm, cue.end(), end), _WORDS.match(norm, start)
    return m is not None and word is not None and start < m.end() <= word.end()


_OR_BEFORE = re.compile(r"\bor\s+$")
_OR_ITEM_BEFORE = re.compile(r"\bor (?:[a-z']+ ){0,2}$")
_OR_WORD = re.compile(r"(?<=\s)(?:or|nor)(?=\s)")


def _denied_after_or(c: Cues, norm: str, lo: int, cue: re.Match, start: int) -> bool:
    """A negated clause whose later verb, after "or", is the asking: "we won't ring you or ask for your PIN".
    Not inside a condition ("if you don't reply or call us within 24 hours") or past a comma or a new request."""
    between = norm[cue.end() : start]
    last = None
    for m in _OR_WORD.finditer(between):
        last = m
    if last is None or "," in between or c.conditional.search(between) or c.restart.search(between):
        return False
    if c.conditional.search(norm, max(lo, norm.rfind(",", lo, cue.start()) + 1), cue.start()):
        return False
    return c.asking.match(norm, cue.end() + last.start() - 1, start) is not None  # from the space before "or"


_LIST_OVERRULED = re.compile(r"\b(?:but|except|apart from|other than|on a normal day|normally|usually)\b")


def _denial_of_a_list(c: Cues, norm: str, lo: int, start: int) -> re.Match | None:
    """The denial of asking that a phrase further back belongs to as a later item of an "or" list: "the police
    will never ask you to take money out of the bank or hand cash to a courier or move money to keep it safe".
    Only a cue that denies the asking itself, with nothing between it and the phrase that ends the list (a comma
    or a condition)."""
    cue = None
    for m in c.negation.finditer(norm, max(lo, start - c.negation_list_window), start):
        cue = m
    if cue is None or not c.asking.match(norm, cue.end(), start):
        return None
    between = norm[cue.end() : start]
    if "," in between or c.conditional.search(between) or c.restart.search(between):
        return None
    # "we'd never ask you to ... or move your money to a safe account on a normal day, but today...": the list is
    # recited to be overruled
    return None if _LIST_OVERRULED.search(norm, start, min(len(norm), start + 160)) else cue


def _denies_a_list(c: Cues, norm: str, cue: re.Match, hi: int) -> bool:
    """A denial of asking that lists what is never asked: "we'll never ask you to buy gift cards, move money to
    a safe account or read out a code" - the commas separate the list's items, they start no new instruction
    (its last item comes after "or" with a verb of its own; "..., verify here or your account closes" does not)."""
    comma = norm.find(",", cue.end(), hi)
    return comma > 0 and c.asking.match(norm, cue.end(), comma) is not None and c.list_goes_on.search(norm, comma, hi) is not None


@lru_cache(maxsize=32)
def _request_cues(verbs: tuple[str, ...] | None) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """The request cues (anywhere; an instruction opening the clause; the clause after "unless" naming
    what the reader must do) with the verbs of rules/intent.yaml, or with a flag's own ``request_verbs``."""
    data = rules.load_yaml(rules.RULES_DIR / "intent.yaml")["request"]
    words = verbs or tuple(data["verbs"])
    verb = _verb_regex(words)
    found = [*data["cues"], *(() if verbs else data["general_cues"])]
    anywhere = _compile("request.cues", "|".join(f"(?:{c})" for c in found).replace("{verb}", verb))
    at_start = _compile("request.verbs", rf"\s*(?:please\s+|kindly\s+|now\s+|just\s+)?{verb}\b")
    after_unless = _compile("request.after_unless", rf"\s*(?:you|u)\s+(?:just\s+|now\s+|immediately\s+)?{verb}\b")
    return anywhere, at_start, after_unless


@lru_cache(maxsize=32)
def _refers_back(verbs: tuple[str, ...]) -> re.Pattern:
    """A clause that opens by asking for what the one before named: "You'll get a code. Read it to me.",
    "... Can you read that code back to me?", "We just sent you a 6 digit code - please reply with it." """
    verb = _verb_regex(verbs)
    return _compile("request.refers_back", (
        # (and after the moment it comes: "When it arrives, just read it back to me", round 438)
        r"\s*(?:(?:when|once|as soon as) (?:it|that|the (?:code|text|message)) (?:arrives|comes through|comes in|comes|lands|pops up)\s*,?)?"
        rf"\s*(?:(?:please|now|just|then|and|so|but)\s+)?(?:(?:(?:can|could|would|will) you|you (?:can|could|just|need to|have to))\s+(?:please\s+|just\s+)?)?"
        rf"{verb}\s+(?:(?:back\s+)?with\s+|back\s+)?(?:it|them|that|those|th(?:at|e|is) (?:code|number|digits))\b"))


def request(unit: TextUnit, start: int, end: int, verbs: tuple[str, ...] | None = None) -> tuple[int, int] | None:
    """Where the clause around norm[start:end] asks the reader for something (the cue's range), or None.
    ``verbs``: the flag's own request verbs (a code given to you to "enter" is not asked of you)."""
    c = cues()
    anywhere, at_start, after_unless = _request_cues(verbs)
    norm = unit.norm
    lo, hi = clause(unit, start, end)
    if c.done.search(norm, lo, hi):
        return None  # "the charge has been paid": nothing is asked
    m = at_start.match(norm, lo, hi)
    if m:
        return m.start(), m.end()
    # A threat's condition asks too: "your car will be clamped unless you update payment at ..."
    if norm[max(0, lo - 12) : lo].rstrip().endswith("unless"):
        m = after_unless.match(norm, lo, hi)
        if m:
            return m.start(), m.end()
    m = anywhere.search(norm, max(lo, start - c.request_before), min(hi, end + c.request_after))
    if m:
        return m.start(), m.end()
    # The next clause asks for it by a pronoun ("You'll get a code. Read it to me."): only with a flag's own
    # handing-over verbs, as "Your PIN is 4418. Keep it safe" or "show it to the driver" ask nothing.
    if verbs:
        # ... or later in the same run-on clause, by a pronoun: "he'll get a text from hsbc with a code it's the cancellation
        # code for the new device can you read it to me" (round 456); not "don't read it to anyone"
        m = _refers_back_later(verbs).search(norm, end, min(hi, end + _REFERS_BACK_REACH))
        if m and not _DENIED_JUST_BEFORE.search(norm, max(0, m.start() - 14), m.start()):
            return m.start(), m.end()
    if verbs and hi < len(norm) and hi - end <= c.request_after:
        starts, ends = _breaks(unit)
        j = bisect_left(starts, hi)
        m = _refers_back(verbs).match(norm, ends[j], starts[j + 1] if j + 1 < len(starts) else len(norm))
        if m:
            return m.start(), m.end()
    return None


_REFERS_BACK_REACH = 100
_DENIED_JUST_BEFORE = re.compile(r"(?:n't|\bnot|\bnever|\bno)\s+(?:\w+\s+)?$")


@lru_cache(maxsize=32)
def _refers_back_later(verbs: tuple[str, ...]) -> re.Pattern:
    """A question later in the clause asking for what it named, by a pronoun: "can you read it to me"."""
    verb = _verb_regex(verbs)
    return _compile("request.refers_back_later", (
        rf"\b(?:(?:can|could|would|will) you|you (?:can|could|need to|have to))\s+(?:please\s+|just\s+)?"
        rf"{verb}\s+(?:(?:back\s+)?with\s+|back\s+|out\s+)?(?:it|them|that|those)\b"))


_TOKEN_REACH = 120


def in_link(norm: str, start: int, end: int) -> bool:
    """Whether norm[start:end] is part of a web address ("education.gov.uk/...", "royalmail.com"): a
    link is judged by the link detector, not read as the sender naming itself."""
    # the whitespace-free run around the words, looked at no further than _TOKEN_REACH either side: a web
    # address is never longer, and a hostile run of "hmrc.hmrc.hmrc..." stays cheap
    a, b = max(0, start - _TOKEN_REACH), min(len(norm), end + _TOKEN_REACH)
    lo = max(norm.rfind(" ", a, start), norm.rfind("\n", a, start), a - 1) + 1
    hi = b
    for sep in (" ", "\n"):
        k = norm.find(sep, end, b)
        if k != -1:
            hi = min(hi, k)
    token = norm[lo:hi]
    if "." not in token and ":" not in token:
        return False  # every link holds one (mentions._url_matches)
    found = _LINK_TOKENS.get(token)
    if found is None:
        if len(_LINK_TOKENS) >= _LINK_TOKENS_MAX:
            _LINK_TOKENS.clear()
        found = _LINK_TOKENS[token] = _is_link(token)
    return found


_LINK_TOKENS: dict[str, bool] = {}  # in_link's answer for a whitespace-free run, remembered
_LINK_TOKENS_MAX = 4096


def _is_link(token: str) -> bool:
    token = token.rstrip(".,;!?)\"'")
    if token.endswith(":"):  # "GOV.UK: you are eligible..." names the sender; it is not a link
        return False
    return bool(find_links(token))


def organisation_role(norm: str, start: int, end: int) -> str:
    """Whether the organisation named at norm[start:end] is the one speaking (SPEAKER), a merchant or
    payee (MERCHANT), a body the reader is pointed to (REFERRAL), or only mentioned (MENTION)."""
    c = cues()
    before = norm[max(0, start - c.role_window) : start]
    after = norm[end : end + c.role_window]
    if c.merchant_before.search(before) or c.product_after.match(after):
        return MERCHANT
    if in_link(norm, start, end):
        return REFERRAL
    if c.impersonated_before.search(before):
        return REFERRAL  # who someone else pretended to be, told as a story or a warning
    if c.owned_before.search(before):
        return REFERRAL  # someone's own account there ("his Monzo: monzo.me/...")
    if c.speaker_before.search(before) or c.speaker_after.match(after):
        return SPEAKER
    if c.your_before.search(before) and c.your_after.match(after):
        return SPEAKER
    if c.referral_before.search(before):
        return REFERRAL
    return MENTION
