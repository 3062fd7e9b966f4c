"""Facts about the organisations scammers pretend to be, from ``rules/organisations.yaml``.

One data file, loaded once (cached). Public API::

    from scamshield.organisations import load_organisations, organisation_index

    for org in load_organisations():          # tuple[Organisation, ...]
        org.id, org.name, org.kind            # "hmrc", "HMRC", "tax"
        org.aliases                           # ("hmrc", "hm revenue and customs", ...) lower-case
        org.domains                           # ("gov.uk", "hmrc.gov.uk")
        org.link_names                        # ("hmrc",): what a look-alike web address spells
        org.numbers                           # tuple[OfficialNumber] (.number E.164 or short code,
                                              #   .inbound_only, .universal, .source, .checked, .confidence)
        org.has_number("+443002003300")             # True

    index = organisation_index()              # lookups built once
    index.mentions(unit.norm)                 # [(Organisation, start, end), ...] whole-word alias hits
    index.owners("+443002003300")             # ((Organisation, OfficialNumber), ...)

Aliases are matched against normalised (lower-case, de-obfuscated) text, so "H.M.R.C" and "HMRC"
both hit. Another YAML file with the same shape may be passed in (``organisation_index(path)``,
``Analyzer.build(organisations=path)``); left out, it is the one ``SCAMSHIELD_ORGANISATIONS`` names
(``settings.EngineSettings``), else the shipped file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .callerid.numbers import parse_number
from .errors import RulesError
from .rules import FROM_ENV, RULES_DIR, load_yaml
from .settings import EngineSettings

KINDS = frozenset(
    {"tax", "bank", "police", "government", "health", "delivery", "tech", "telecom", "retail", "payments", "charity"}
)
CONFIDENCES = frozenset({"high", "medium", "low"})
_SHORT_CODE = re.compile(r"^\d{3,6}$")
_LINK_NAME = re.compile(r"^[a-z0-9]{3,}$")


@dataclass(frozen=True, slots=True)
class OfficialNumber:
    number: str  # E.164 ("+443002003300") or a UK short code ("159")
    label: str
    source: str
    confidence: str = "medium"
    checked: str | None = None
    inbound_only: bool = False
    universal: bool = False

    @property
    def is_short_code(self) -> bool:
        return not self.number.startswith("+")

    @property
    def national(self) -> str:
        """How a UK reader writes it: "0300 200 3300", or the short code itself."""
        if self.is_short_code:
            return self.number
        return parse_number(self.number).national or self.number


@dataclass(frozen=True, slots=True)
class Organisation:
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]
    # names a look-alike web address spells out ("royalmail"): see rules/organisations.yaml
    link_names: tuple[str, ...] = ()
    # its own web hosts that serve anyone's pages (instagram.com): not look-alikes, but not official links
    # either, since a page there proves nothing about who wrote the message
    open_hosts: tuple[str, ...] = ()
    # names that are also ordinary words ("nationwide", "sky", "three"): they mean the organisation only
    # where a message speaks as it ("Nationwide: ...", "this is Sky"), never in passing
    speaker_aliases: tuple[str, ...] = ()
    numbers: tuple[OfficialNumber, ...] = ()
    country: str = "GB"
    caller_id_check: bool = True
    cold_calls: bool = True
    # False: no phone number for customers at all, so a number "to ring" in its name is never its own
    phone_line: bool = True
    notes: str | None = None

    @property
    def uk_only(self) -> bool:
        return self.country == "GB"

    def has_number(self, number: str) -> bool:
        return any(n.number == number for n in self.numbers)

    def phone_numbers(self) -> tuple[OfficialNumber, ...]:
        """Full numbers only (no short codes)."""
        return tuple(n for n in self.numbers if not n.is_short_code)


def _resolve(path: str | Path | None) -> str | None:
    """The file to read: ``path``, or for FROM_ENV the environment's choice; None is the shipped file."""
    if path == FROM_ENV:
        return EngineSettings.from_env().organisations
    return str(path) if path else None


def _number(entry: dict, where: str) -> OfficialNumber:
    raw = str(entry["number"]).strip()
    if raw.startswith("+"):
        info = parse_number(raw)
        if info.kind != "number":
            raise RulesError(f"{where}: number {raw!r} cannot be read: {info.parse_error or info.kind}")
        if not info.valid:
            raise RulesError(f"{where}: number {raw!r} is not a valid phone number")
        if info.e164 != raw:
            raise RulesError(f"{where}: write {raw!r} in E.164 form as {info.e164!r}")
    elif not _SHORT_CODE.match(raw):
        raise RulesError(f"{where}: number {raw!r} must be E.164 (+44...) or a 3-6 digit short code")
    confidence = entry.get("confidence", "medium")
    if confidence not in CONFIDENCES:
        raise RulesError(f"{where}: confidence {confidence!r} is not one of {sorted(CONFIDENCES)}")
    if not entry.get("source"):
        raise RulesError(f"{where}: number {raw} has no source")
    checked = entry.get("checked")
    return OfficialNumber(
        number=raw,
        label=str(entry.get("label", "")),
        source=str(entry["source"]),
        confidence=confidence,
        checked=str(checked) if checked else None,
        inbound_only=bool(entry.get("inbound_only", False)),
        universal=bool(entry.get("universal", False)),
    )


@lru_cache(maxsize=4)
def _load(path: Path) -> tuple[Organisation, ...]:
    data = load_yaml(path)
    entries = data.get("organisations") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise RulesError(f"{path.name}: expected a top-level 'organisations:' list")
    orgs: list[Organisation] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        where = f"{path.name}: organisation #{i}"
        try:
            oid = str(entry["id"])
            where = f"{path.name}: {oid}"
            kind = entry["kind"]
            if kind not in KINDS:
                raise RulesError(f"{where}: kind {kind!r} is not one of {sorted(KINDS)}")
            if oid in seen:
                raise RulesError(f"{where}: id defined twice")
            seen.add(oid)
            bad = [n for n in entry.get("link_names") or () if not _LINK_NAME.match(str(n))]
            if bad:
                raise RulesError(f"{where}: link_names {bad} must be three or more lower-case letters or digits")
            orgs.append(
                Organisation(
                    id=oid,
                    name=str(entry["name"]),
                    kind=kind,
                    aliases=tuple(str(a).lower().strip() for a in entry.get("aliases") or ()),
                    speaker_aliases=tuple(str(a).lower().strip() for a in entry.get("speaker_aliases") or ()),
                    domains=tuple(str(d).lower().strip() for d in entry.get("domains") or ()),
                    link_names=tuple(str(n).lower().strip() for n in entry.get("link_names") or ()),
                    open_hosts=tuple(str(d).lower().strip() for d in entry.get("open_hosts") or ()),
                    numbers=tuple(_number(n, where) for n in entry.get("numbers") or ()),
                    country=str(entry.get("country", "GB")),
                    caller_id_check=bool(entry.get("caller_id_check", True)),
                    cold_calls=bool(entry.get("cold_calls", True)),
                    phone_line=bool(entry.get("phone_line", True)),
                    notes=entry.get("notes"),
                )
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise RulesError(f"{where}: missing or malformed field: {exc}") from exc
    return tuple(orgs)


def load_organisations(path: str | Path | None = FROM_ENV) -> tuple[Organisation, ...]:
    """Every organisation in the data file (cached after the first call)."""
    return organisation_index(path).organisations


class OrganisationIndex:
    """Lookups over the organisations, built once: by id, by number, by domain, and one regex for
    every alias."""

    def __init__(self, orgs: tuple[Organisation, ...]) -> None:
        self.organisations = orgs
        self.by_id = {o.id: o for o in orgs}
        by_number: dict[str, list[tuple[Organisation, OfficialNumber]]] = {}
        for org in orgs:
            for n in org.numbers:
                by_number.setdefault(n.number, []).append((org, n))
        self.by_number = {k: tuple(v) for k, v in by_number.items()}
        self.alias_owner: dict[str, Organisation] = {}
        self.speaker_only: set[str] = set()  # aliases that count only where the message speaks as the org
        for org in orgs:
            for alias in org.aliases:
                self.alias_owner.setdefault(alias, org)
        for org in orgs:
            for alias in org.speaker_aliases:
                if alias not in self.alias_owner:
                    self.alias_owner[alias] = org
                    self.speaker_only.add(alias)
        aliases = sorted(self.alias_owner, key=len, reverse=True)
        body = "|".join(re.escape(a) for a in aliases) or r"(?!x)x"
        self.alias_re = re.compile(rf"(?<![a-z0-9])(?:{body})(?![a-z0-9])")

    def mentions(self, norm_text: str) -> list[tuple[Organisation, int, int]]:
        """Whole-word alias hits in normalised text, in order."""
        from .intent import SPEAKER, organisation_role

        return [
            (self.alias_owner[m.group(0)], m.start(), m.end())
            for m in self.alias_re.finditer(norm_text)
            if m.group(0) not in self.speaker_only or organisation_role(norm_text, m.start(), m.end()) == SPEAKER
        ]

    def owners(self, number: str | None) -> tuple[tuple[Organisation, OfficialNumber], ...]:
        if not number:
            return ()
        return self.by_number.get(number, ())

    def inbound_only(self, number: str | None) -> tuple[Organisation, OfficialNumber] | None:
        for org, n in self.owners(number):
            if n.inbound_only:
                return org, n
        return None


@lru_cache(maxsize=8)
def _index(path: str | None) -> OrganisationIndex:
    return OrganisationIndex(_load(Path(path) if path else RULES_DIR / "organisations.yaml"))


def organisation_index(path: str | Path | None = FROM_ENV) -> OrganisationIndex:
    """The lookups over the organisations of ``path`` (default: the environment's file, else the shipped
    one), built once per file. Detectors are handed theirs when the analyzer is built."""
    return _index(_resolve(path))
