"""The organisations data file and its loader."""

import phonenumbers
import pytest

from scamshield.errors import RulesError
from scamshield.organisations import (
    KINDS,
    load_organisations,
    organisation_index,
)

REQUIRED = [
    "hmrc", "dvla", "nhs", "police", "barclays", "hsbc", "lloyds", "natwest", "santander", "nationwide",
    "halifax", "monzo", "starling", "royal_mail", "evri", "dpd", "amazon", "bt", "microsoft", "apple", "paypal",
]


def test_required_organisations_are_present_with_names_aliases_and_domains():
    by_id = {o.id: o for o in load_organisations()}
    for oid in REQUIRED:
        org = by_id[oid]
        assert org.name and org.kind in KINDS
        assert org.aliases, oid
        assert all(a == a.lower() for a in org.aliases)
        assert org.domains, oid


def test_every_number_is_valid_and_sourced():
    for org in load_organisations():
        for n in org.numbers:
            assert n.source and n.confidence in ("high", "medium", "low")
            if not n.is_short_code:
                num = phonenumbers.parse(n.number, None)
                assert phonenumbers.is_valid_number(num), n.number
            if n.inbound_only:
                assert n.confidence == "high" and n.checked, "inbound-only entries need a checked source"


def test_hmrc_helpline_is_the_seed_inbound_only_number():
    hit = organisation_index().inbound_only("+443002003300")
    assert hit is not None
    org, entry = hit
    assert org.id == "hmrc" and entry.national == "0300 200 3300"


def test_loaded_once():
    assert load_organisations() is load_organisations()
    assert organisation_index() is organisation_index()


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("this is hmrc calling", ["hmrc"]),
        ("hm revenue and customs", ["hmrc"]),
        ("calling from the tax office about revenue and customs", ["hmrc", "hmrc"]),
        ("your barclays and natwest cards", ["barclays", "natwest"]),
        ("a nationwide survey of shoppers", []),  # the plain word is not the building society
        ("an apple a day", []),
        ("your apple id is locked", ["apple"]),
        ("hsbcx is not hsbc", ["hsbc"]),
        ("royal mail: your parcel", ["royal_mail"]),
    ],
)
def test_alias_mentions(text, ids):
    assert [o.id for o, _, _ in organisation_index().mentions(text)] == ids


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("organisations: {}", "organisations"),
        ("organisations:\n  - {id: x, name: X, kind: spaceship}", "kind"),
        ("organisations:\n  - {id: x, name: X, kind: bank, numbers: [{number: '+4412', source: s}]}", "not a valid"),
        ("organisations:\n  - {id: x, name: X, kind: bank, numbers: [{number: '03002003300', source: s}]}", "E.164"),
        ("organisations:\n  - {id: x, name: X, kind: bank, numbers: [{number: '+443002003300'}]}", "source"),
        ("organisations:\n  - {id: x, name: X, kind: bank}\n  - {id: x, name: Y, kind: bank}", "twice"),
        ("organisations:\n  - {name: X, kind: bank}", "missing"),
        ("organisations: [", "cannot read"),
    ],
)
def test_bad_data_file_is_a_clear_error(tmp_path, monkeypatch, yaml_text, message):
    path = tmp_path / "orgs.yaml"
    path.write_text(yaml_text)
    monkeypatch.setenv("SCAMSHIELD_ORGANISATIONS", str(path))
    with pytest.raises(RulesError, match=message):
        load_organisations()
