"""DISCOUNT_TOO_GOOD_TO_BE_TRUE (detectors/prices.py): four-fifths or more off, with a link to buy it."""

from __future__ import annotations

import pytest

from flag_cases import FIRES, SILENT, check_row, row
from scamshield import Message
from scamshield.analyzer import Analyzer
from scamshield.detectors.prices import FLAG, PriceDetector

ROWS = [
    # "were £129, now £24.99" (hampers, round 773)
    row("Last few luxury Christmas hampers - were £129, now £24.99 as we clear warehouse stock. Order: luxehampers-clearance.shop",
        FLAG, FIRES, "were £129, now £24.99", id="discount-were-now"),
    row("Our hampers were £129 last year and are £119 now. Order: luxehampers-example.co.uk", FLAG, SILENT,
        id="discount-were-now-ordinary"),
    # a hamper at 87% off from a shop's link (round 562)
    row("Fortnum hampers, warehouse clearance, RRP £150 now £19.99!! Order at fm-hampers-outlet.shop", FLAG, FIRES,
        "RRP £150 now £19.99", id="discount-rrp-now"),
    # 85% off from a look-alike outlet (round 563)
    row("Airwraps at 85% off because of packaging damage, ends tonight dyson-ukoutlet-store.com", FLAG, FIRES, "85% off",
        id="discount-percent"),
    row("Air Max clearance: was £1,200 only £99 today at nike-clearance-uk.com", FLAG, FIRES, "was £1,200 only £99",
        id="discount-thousands"),
    row("Boxing Day clearance!! Classic boots now just £24.99 (RRP £160). Ends midnight: boots-outletuk-sale.shop", FLAG, FIRES,
        "now just £24.99 (RRP £160)", id="discount-now-first"),
    # a shop's sale banner, not one price
    row("Boots: up to 80% off Christmas gifts at boots.com", FLAG, SILENT, id="discount-up-to"),
    # a third off: an ordinary sale
    row("RRP £150 now £99 at our outlet: outlet-example.co.uk", FLAG, SILENT, id="discount-ordinary-sale"),
    # no link to a shop
    row("Hampers RRP £150 now £19.99 in store this weekend", FLAG, SILENT, id="discount-no-link"),
    # too small a price to be a lure
    row("Was £10 now £1 at the corner shop: cornershop-example.co.uk", FLAG, SILENT, id="discount-small-price"),
]


@pytest.mark.parametrize(("text", "flag", "expect", "span", "at"), ROWS)
def test_price_rows(text, flag, expect, span, at):
    check_row(PriceDetector.from_rules(), text, flag, expect, span, at)


def test_the_brands_own_site_cancels_it():
    verdict = Analyzer.default().analyze(Message(channel="sms", text="Was £150 now £19.99 at currys.co.uk"))
    flag = next(f for f in verdict.flags if f.id == FLAG)
    assert flag.status == "cancelled"
    assert verdict.verdict == "safe"


def test_a_fake_shop_is_its_scam_type():
    verdict = Analyzer.default().analyze(Message(channel="sms", text=(
        "LAST CHANCE Christmas hampers, warehouse clearance, RRP £150 now £19.99!! Only 12 left. Order at "
        "fm-hampers-outlet.shop before midnight")))
    assert verdict.verdict in ("suspicious", "scam")
    assert verdict.scam_type == "fake_shop"
