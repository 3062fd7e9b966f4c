"""Campaigns: near-duplicate wording, shared numbers and domains, merging as evidence arrives,
order independence, re-splitting after "not a scam", and what a campaign shows."""

from __future__ import annotations

import random

import pytest

from scamshield.models import Message, Turn
from scamshield.reports import campaigns as camp
from scamshield.reports.blocklist import to_csv
from scamshield.reports.extract import domain_of, e164, links_in, numbers_in, script_words
from scamshield.reports.ingest import prepare
from scamshield.reports.reputation import ReputationDetector
from scamshield.reports.store import ReportStore

HMRC = "HMRC: You are due a tax refund of £{}. Claim it before midnight at https://taxrebate-{}.top to avoid losing it."
PARCEL = "Royal Mail: your parcel is on hold due to an unpaid shipping fee of £1.{}. Pay now: https://rm-fee-{}.top/pay"
FAMILY = "Hi Mum, this is my new number, my phone broke. Can you text me on WhatsApp? {}"


@pytest.fixture
def store(tmp_path):
    s = ReportStore.open(f"sqlite:///{tmp_path}/c.sqlite3")
    yield s
    s.close()


def add(store, text, **kw):
    return store.add(prepare(Message(text=text, sender=kw.pop("sender", None)), **kw))


@pytest.mark.parametrize(("raw", "expected"), [
    ("07700 900123", "+447700900123"), ("+44 (0)20 7946 0321", "+442079460321"), ("0044 7700 900123", "+447700900123"),
    ("447700900123", "+447700900123"), ("tel:+443002003300;verstat=TN-Validation-Passed", "+443002003300"),
    ("HMRC", None), ("12", None),
])
def test_numbers_are_e164(raw, expected):
    assert e164(raw) == expected


def test_extraction_skips_amounts_and_email_domains():
    text = "Refund £287.40, ref 12345678. Call 07700 900123 or email help@bank.com, or visit www.fake-bank.top/x."
    assert numbers_in(text) == ["+447700900123"]
    assert [domain_of(u) for u in links_in(text)] == ["fake-bank.top"]
    assert domain_of("https://secure.hmrc-refund.co.uk/claim") == "hmrc-refund.co.uk"
    assert domain_of("not a url") is None
    assert script_words("Pay £1.99 at https://a.top now") == ["pay", "<money>", "at", "<link>", "now"]


def test_same_script_with_different_amounts_and_links_is_one_campaign(store):
    ids = [add(store, HMRC.format(amount, site)).campaign_id for amount, site in [(287, "a"), (312, "b"), (99, "c")]]
    other = add(store, PARCEL.format(45, "x")).campaign_id
    assert len(set(ids)) == 1 and other not in ids


def test_wording_needs_matching_scam_types(store):
    a = store.add(prepare(Message(text=HMRC.format(1, "a")), claimed_type="hmrc_tax"))
    b = store.add(prepare(Message(text=HMRC.format(2, "b")), claimed_type="delivery_fee"))
    assert a.campaign_id != b.campaign_id


def test_callback_number_in_a_text_links_later_calls_from_it(store):
    text = add(store, "Your bank: a new payee was added. If this was not you call us at once on 0113 496 0556")
    call = store.add(prepare(Message(channel="call", sender="+441134960556",
                                     turns=(Turn("caller", "Move your money to a safe account now"),))))
    assert call.campaign_id == text.campaign_id
    rep = store.reputation("+441134960556")
    assert rep["reports"] == 2 and rep["as_caller"] == 1 and rep["as_callback"] == 1


def test_shared_domain_links_but_shorteners_and_genuine_numbers_do_not(store):
    a = add(store, "Claim your prize at https://win-big.top/a")
    b = add(store, "You have been selected! Details: http://www.win-big.top/b")
    assert a.campaign_id == b.campaign_id
    c = add(store, "Parcel fee due: https://bit.ly/abc123")
    d = add(store, "Crypto returns guaranteed, join https://bit.ly/zzz999")
    assert c.campaign_id != d.campaign_id
    e = add(store, "Warrant for arrest, pay now", sender="+443002003300")  # HMRC's own number, spoofed
    f = add(store, "Your grandson is in hospital, send money", sender="+443002003300")
    assert e.campaign_id != f.campaign_id


def test_evidence_that_bridges_two_campaigns_merges_them(store):
    text = add(store, "Urgent: call 020 7946 0999 about your account")
    other = add(store, "Totally different wording, see https://bank-verify.top")
    assert text.campaign_id != other.campaign_id
    bridge = add(store, "Your account is locked, visit https://bank-verify.top or ring 020 7946 0999")
    survivor = min(text.campaign_id, other.campaign_id)
    assert bridge.campaign_id == survivor
    merged_away = max(text.campaign_id, other.campaign_id)
    detail = store.campaign(merged_away)  # an old campaign link still leads to the merged campaign
    assert detail["id"] == survivor and detail["merged_from"] == merged_away and detail["size"] == 3
    # the bridge turns out to be genuine: the campaign splits again
    store.feedback(bridge.id, not_scam=True)
    assert store.get(text.id)["campaign_id"] != store.get(other.id)["campaign_id"]


def test_incremental_grouping_matches_batch_clustering_in_any_order(tmp_path):
    texts = [HMRC.format(100 + i, "s" + str(i % 3)) for i in range(6)]
    texts += [PARCEL.format(10 + i, "p") for i in range(5)]
    texts += [FAMILY.format("x" * i) for i in range(4)]
    texts += ["Call 07700 900555 to claim", "Ring 07700 900555 for your refund now", "Lunch at 1?"]
    partitions = []
    for seed in (1, 2, 3):
        order = texts[:]
        random.Random(seed).shuffle(order)
        st = ReportStore.open(f"sqlite:///{tmp_path}/o{seed}.sqlite3")
        groups: dict[int, set[str]] = {}
        for t in order:
            groups.setdefault(add(st, t).campaign_id, set()).add(t)
        incremental = {frozenset(g) for g in groups.values()}
        st.recluster()
        after = {}
        _, items = st.search(limit=200)
        for item in items:
            after.setdefault(item["campaign_id"], set()).add(item["text"])
        assert {frozenset(g) for g in after.values()} == incremental
        partitions.append(incremental)
        st.close()
    assert partitions[0] == partitions[1] == partitions[2]
    sizes = sorted(len(g) for g in partitions[0])
    assert sizes[-3:] == [4, 5, 6]  # the three scripts


def test_campaign_summary(store):
    for i, area in enumerate(["Hertfordshire", "Hertfordshire", "Kent"]):
        add(store, HMRC.format(200 + i, "z"), area=area, money_lost_pence=1000 * (i + 1), sender="+447700900461")
    total, items = store.campaigns()
    assert total == 1
    c = items[0]
    assert c["size"] == 3 and c["money_lost"] == 60.0 and c["reports_with_loss"] == 3
    assert c["typical_wording"] in {HMRC.format(200 + i, "z") for i in range(3)}
    assert c["numbers"] == [{"number": "+447700900461", "reports": 3}]
    assert c["domains"] == [{"domain": "taxrebate-z.top", "reports": 3}]
    assert c["areas"][0] == {"area": "Hertfordshire", "reports": 2}
    assert c["first_seen"] <= c["last_seen"]
    assert store.stats()["campaigns"] == 1


def test_blocklist_counts_evidence_and_never_lists_genuine_numbers(store):
    for i in range(3):
        add(store, f"Parcel held, pay at https://bit.ly/x{i} or https://rm-fee.top/{i}", sender="+443002003300")
        add(store, f"Call 07700 900777 now ({i})")
    entries = {(e["type"], e["value"]): e for e in store.blocklist(min_reports=2)}
    assert entries[("number", "+447700900777")]["reports"] == 3
    assert entries[("domain", "rm-fee.top")]["reports"] == 3
    assert ("number", "+443002003300") not in entries and ("domain", "bit.ly") not in entries
    csv_text = to_csv(list(entries.values()))
    assert csv_text.splitlines()[0] == "type,value,reports,campaigns,first_seen,last_seen,money_lost"
    assert "number,+447700900777,3," in csv_text


def test_reputation_feeds_the_engine_as_an_explained_flag(store):
    from scamshield.analyzer import Analyzer

    for i in range(3):
        add(store, HMRC.format(i, "q") + " Or call 020 7946 0444.", claimed_type="hmrc_tax")
    engine = Analyzer.build(extra_detectors=[ReputationDetector(store)])
    verdict = engine.analyze(Message(channel="call", sender="02079460444", turns=(Turn("caller", "Hello?"),)))
    flag = next(f for f in verdict.flags if f.id == "NUMBER_REPORTED")
    assert flag.confidence == 1.0 and "reported 3 times" in flag.note and "+442079460444" in flag.note
    text = "Please ring 020 7946 0444 today"
    verdict = engine.analyze(Message(text=text))
    flag = next(f for f in verdict.flags if f.id == "NUMBER_REPORTED")
    assert [(s.text, s.start, s.end) for s in flag.evidence] == [("020 7946 0444", 12, 25)]
    # unreported numbers and the default engine raise nothing
    assert "NUMBER_REPORTED" not in engine.analyze(Message(text="ring 020 7946 0111")).flag_ids()
    assert "NUMBER_REPORTED" not in Analyzer.default().analyze(Message(text=text)).flag_ids()


def test_signatures_round_trip_and_empty_texts_never_match():
    sig = camp.signature(HMRC.format(1, "a"))
    assert (camp.from_bytes(camp.to_bytes(sig)) == sig).all()
    index = camp.WordingIndex()
    index.add(1, camp.signature(""), None)
    assert index.similar(camp.signature(""), None) == [] and len(index) == 0
