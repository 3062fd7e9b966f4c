"""The scorer: weights x confidence, group caps, combos, thresholds, and recomputable risk."""

import math

import pytest

from scamshield import analyze, rules
from scamshield.models import Finding
from scamshield.rules import ComboDef, FlagDef
from scamshield.scoring import FindingSet, Scorer, sigmoid


def _def(fid, group, weight, score="scam"):
    return FlagDef(fid, group, score, weight, f"{fid} description", "test.yaml", {})


DEFS = {
    "A1": _def("A1", "alpha", 2.0),
    "A2": _def("A2", "alpha", 2.0),
    "B": _def("B", "beta", 1.0),
    "NEG": _def("NEG", "reassurance", -1.5),
    "SP": _def("SP", "marketing", 3.0, "spam"),
}
CONFIG = {"bias": -3.0, "spam_bias": -3.0, "group_caps": {"alpha": 3.0},
          "thresholds": {"scam": 0.8, "suspicious": 0.5, "spam": 0.5}}


def score(findings, combos=()):
    fs = FindingSet()
    for f in findings:
        fs.add(f)
    return Scorer(DEFS, combos, CONFIG).score(fs)


def score_all(scorer, *fids):
    """``scorer``'s score of one finding at full confidence for each of ``fids``."""
    fs = FindingSet()
    for fid in fids:
        fs.add(Finding(fid, 1.0))
    return scorer.score(fs)


def test_no_findings_is_bias():
    s = score([])
    assert s.risk == pytest.approx(sigmoid(-3.0))
    assert s.contributions == ()


def test_points_are_weight_times_confidence():
    s = score([Finding("B", 0.5)])
    (c,) = s.contributions
    assert (c.id, c.points, c.weight, c.confidence) == ("B", 0.5, 1.0, 0.5)
    assert s.risk == pytest.approx(sigmoid(-3.0 + 0.5))


def test_group_cap_takes_back_the_excess():
    s = score([Finding("A1", 1.0), Finding("A2", 1.0)])
    cap = [c for c in s.contributions if c.kind == "cap"]
    assert len(cap) == 1 and cap[0].id == "CAP:alpha" and cap[0].points == pytest.approx(-1.0)
    assert s.risk == pytest.approx(sigmoid(-3.0 + 3.0))


def test_group_floor_bounds_negative_points():
    cfg = {**CONFIG, "group_floors": {"reassurance": -1.0}}
    fs = FindingSet()
    fs.add(Finding("NEG", 1.0))
    s = Scorer(DEFS, (), cfg).score(fs)
    assert [c.id for c in s.contributions] == ["NEG", "FLOOR:reassurance"]
    assert s.risk == pytest.approx(sigmoid(-3.0 - 1.0))


def test_negative_weights_reassure_and_are_not_capped():
    s = score([Finding("B", 1.0), Finding("NEG", 1.0)])
    assert s.risk == pytest.approx(sigmoid(-3.0 + 1.0 - 1.5))


def test_combo_fires_only_with_all_parts_and_scales_by_weakest():
    combo = ComboDef("AB", ("group:alpha", "B"), 2.0, "scam")
    s = score([Finding("A1", 1.0), Finding("B", 0.5)], [combo])
    c = [c for c in s.contributions if c.kind == "combo"]
    assert c and c[0].points == pytest.approx(1.0)
    assert not [c for c in score([Finding("A1", 1.0)], [combo]).contributions if c.kind == "combo"]


def test_combo_with_number_needs_a_digit_in_that_flags_evidence():
    from scamshield.models import Span

    combo = ComboDef("AB", ("A1", "B"), 2.0, "scam", with_number=("B",))

    def combo_points(b_text):
        found = score([Finding("A1", 1.0), Finding("B", 1.0, (Span(b_text, 0, len(b_text)),))], [combo])
        return [c.points for c in found.contributions if c.kind == "combo"]

    assert combo_points("call us on 0161 496 0123") == [pytest.approx(2.0)]
    assert combo_points("call us immediately") == []


def test_spam_flags_feed_the_spam_score_only():
    s = score([Finding("SP", 1.0)])
    assert s.risk == pytest.approx(sigmoid(-3.0))
    assert s.spam_score == pytest.approx(sigmoid(0.0))
    assert Scorer(DEFS, (), CONFIG).label(s.risk, s.spam_score) == "spam"


def test_merge_keeps_highest_confidence_and_pools_evidence():
    from scamshield.models import Span

    fs = FindingSet()
    fs.add(Finding("B", 0.3, (Span("x", 0, 1),)))
    fs.add(Finding("B", 0.9, (Span("y", 2, 3),)))
    fs.add(Finding("B", 0.5, (Span("x", 0, 1),)))
    hit = fs.hits["B"]
    assert hit.confidence == 0.9 and [s.text for s in hit.evidence] == ["x", "y"]


def test_unknown_flag_is_ignored_not_crashing():
    assert score([Finding("NOT_DEFINED", 1.0)]).flags == ()


@pytest.mark.parametrize("label,risk", [("scam", 0.8), ("suspicious", 0.5), ("safe", 0.49)])
def test_thresholds(label, risk):
    assert Scorer(DEFS, (), CONFIG).label(risk, 0.0) == label


@pytest.mark.parametrize(
    "text",
    [
        "HMRC: you owe £1,284 in unpaid tax. Legal action starts today unless you call 0161 496 0188 now",
        "Your parcel is waiting. Pay the £1.45 redelivery fee at royalmail-redelivery.com",
        "see you at 6",
    ],
)
def test_risk_recomputes_from_contributions_and_score_file(text):
    out = analyze(text).to_dict()
    cfg = rules.score_config()
    scam = cfg["bias"] + sum(c["points"] for c in out["contributions"] if c["score"] == "scam")
    spam = cfg["spam_bias"] + sum(c["points"] for c in out["contributions"] if c["score"] == "spam")
    assert out["risk"] == pytest.approx(1 / (1 + math.exp(-scam)), abs=1e-4)
    assert out["spam_score"] == pytest.approx(1 / (1 + math.exp(-spam)), abs=1e-4)
    for c in out["contributions"]:
        if c["kind"] == "flag":
            assert c["weight"] == rules.flag_defs()[c["id"]].weight


def test_every_flag_is_defined_once_with_description_and_group():
    defs = rules.flag_defs()
    assert len(defs) >= 30
    for fid, d in defs.items():
        assert fid == fid.upper() and " " not in fid
        assert d.description and d.group
    for combo in rules.combo_defs():
        for part in combo.all:
            if not part.startswith("group:"):
                assert part in defs, f"combo {combo.id} names unknown flag {part}"


def test_scam_types_name_defined_flags_and_have_sourced_advice():
    defs = rules.flag_defs()
    advice = rules.advice_data()
    for tid, spec in rules.scam_types()["types"].items():
        assert advice["types"][tid], tid
        assert spec["signals"], f"scam type {tid} has no signal"
        unknown = [f for f in (*spec["signals"], *(spec.get("fallback") or {})) if f not in defs]
        assert not unknown, f"scam type {tid} names undefined flags {unknown}"
    for line in advice["general_scam"]:
        assert line["source"]


def test_overlay_changes_weights_without_editing_shipped_files(tmp_path, monkeypatch):
    overlay = tmp_path / "local.yaml"
    overlay.write_text("weights: {URGENCY: 0.0}\nthresholds: {scam: 0.99}\n")
    monkeypatch.setenv("SCAMSHIELD_RULES_OVERLAY", str(overlay))
    rules.clear_caches()
    try:
        assert rules.flag_defs()["URGENCY"].weight == 0.0
        assert Scorer.from_rules().t_scam == 0.99
    finally:
        monkeypatch.delenv("SCAMSHIELD_RULES_OVERLAY")
        rules.clear_caches()


def test_a_cancel_with_unless_link_holds_only_for_a_message_without_a_web_address():
    config = {**CONFIG, "cancels": [{"by": "SP", "cancels": ["A1"], "unless_link": True, "reason": "marketing"}]}
    statuses = {}
    for has_link in (False, True):
        fs = FindingSet()
        fs.has_link = has_link
        fs.add(Finding("SP", 1.0))
        fs.add(Finding("A1", 1.0))
        out = Scorer(DEFS, (), config).score(fs)
        statuses[has_link] = {f.id: f.status for f in out.flags}["A1"]
        assert (out.risk == pytest.approx(sigmoid(-3.0))) is (not has_link)
    assert statuses == {False: "cancelled", True: "warning"}
    # a merged copy (a live call's verdict so far) keeps the fact
    fs = FindingSet()
    fs.has_link = True
    assert fs.merged_with([Finding("B", 0.5)]).has_link


def test_a_request_only_the_user_spoke_neither_cancels_nor_holds_back_a_cancel():
    # "they told me to move it into a protected account", said to the bank's real fraud team (round 665): the
    # user's report of a request is no request made of them - the fraud team's reassurance still stands
    config = {**CONFIG, "user_reports": ["alpha"],
              "cancels": [{"by": "NEG", "cancels": ["B"], "unless": ["A1"], "reason": "stopped"},
                          {"by": "A2", "cancels": ["NEG"], "reason": "asked"}]}
    scorer = Scorer(DEFS, (), config)

    def statuses(user_only: bool) -> dict[str, str]:
        fs = FindingSet()
        fs.add(Finding("NEG", 1.0))
        fs.add(Finding("B", 1.0))
        for fid in ("A1", "A2"):
            fs.add(Finding(fid, 1.0), 0.5 if user_only else 1.0)
        return {f.id: f.status for f in scorer.score(fs).flags}

    assert statuses(user_only=False)["NEG"] == "cancelled" and statuses(user_only=False)["B"] == "warning"
    heard = statuses(user_only=True)
    assert heard["NEG"] != "cancelled" and heard["B"] == "cancelled"
    assert heard["A1"] != "cancelled"  # the report still counts, at the user's factor
    # the other party saying it too makes it a request again
    fs = FindingSet()
    for fid, factor in (("NEG", 1.0), ("B", 1.0), ("A1", 0.5), ("A1", 1.0)):
        fs.add(Finding(fid, 1.0), factor)
    assert {f.id: f.status for f in scorer.score(fs).flags}["B"] == "warning"


def test_a_scam_verdict_needs_a_sign_from_the_groups_that_say_why():
    """Claims and the model's reading alone stop just short of "scam"; one sign of what is asked makes it."""
    defs = {**DEFS, "C": _def("C", "gamma", 6.0)}
    config = {**CONFIG, "group_caps": {}, "scam_needs": {"groups": ["beta"]}}
    scorer = Scorer(defs, (), config)

    held = score_all(scorer, "A1", "A2", "C")  # 10 points, none from "beta"
    assert scorer.label(held.risk, held.spam_score) == "suspicious"
    assert 0.78 < held.risk < 0.8
    assert [c.id for c in held.contributions if c.kind == "cap"] == ["CAP:scam_needs"]
    assert held.risk == pytest.approx(sigmoid(-3.0 + sum(c.points for c in held.contributions if c.score == "scam")))
    said = score_all(scorer, "A1", "A2", "C", "B")
    assert scorer.label(said.risk, said.spam_score) == "scam"
    low = score_all(scorer, "A1")  # below the scam threshold: nothing to hold back
    assert not [c for c in low.contributions if c.kind == "cap"]


def test_marketing_never_hides_what_only_scams_ask_for():
    """A message the spam score calls marketing that also fired a not_spam_when flag is at least
    suspicious, with a FLOOR contribution saying which flag; without it, it stays spam."""
    config = {**CONFIG, "group_caps": {}, "not_spam_when": {"groups": ["beta"], "flags": ["A1"]}}
    scorer = Scorer(DEFS, (), config)

    spam = score_all(scorer, "SP", "SP")
    assert scorer.label(spam.risk, spam.spam_score) == "spam"
    for extra in ("B", "A1"):
        s = score_all(scorer, "SP", extra)
        assert scorer.label(s.risk, s.spam_score) == "suspicious", extra
        assert [c.id for c in s.contributions if c.kind == "floor"] == [f"FLOOR:{extra}"]
        assert s.risk == pytest.approx(sigmoid(-3.0 + sum(c.points for c in s.contributions if c.score == "scam")))
    other = score_all(scorer, "SP", "A2")  # same group as A1, but only A1 is named
    assert scorer.label(other.risk, other.spam_score) == "spam"


def test_a_cancel_with_companions_holds_only_when_all_of_them_fired():
    """``with``: the canceller counts only beside every flag listed (a gift card *and* its code read out)."""
    config = {**CONFIG, "cancels": [{"by": "A1", "with": ["B"], "cancels": ["NEG"], "reason": "both"}]}
    scorer = Scorer(DEFS, (), config)
    for present, expected in (({"A1", "NEG"}, "reassuring"), ({"A1", "B", "NEG"}, "cancelled"), ({"B", "NEG"}, "reassuring")):
        fs = FindingSet()
        for fid in sorted(present):
            fs.add(Finding(fid, 1.0))
        statuses = {f.id: f.status for f in scorer.score(fs).flags}
        assert statuses["NEG"] == expected, present
        assert statuses.get("B", "warning") == "warning"  # the companion itself is never cancelled


def test_a_real_number_beside_a_lookalike_link_neither_reassures_nor_warns():
    """The bank's real number is never the red flag (its call request is cancelled), and beside a link that is
    not the bank's site it reassures nobody either (the official-number reassurance is cancelled too)."""
    v = analyze("Lloyds Bank: login from a new device. Check activity at lloyds-activity-review.com or call us on "
                "0345 300 0000.", sender="Lloyds")
    status = {f.id: f.status for f in v.flags}
    assert v.verdict == "scam"
    assert status["CALLBACK_REQUEST"] == "cancelled"
    assert status["OFFICIAL_NUMBER_GIVEN"] == "cancelled"
    assert status["LINK_NOT_ORGS_WEBSITE"] == "warning"


def test_the_official_app_named_beside_a_lookalike_link_reassures_nobody():
    """Naming the real app is the disguise when the text sends you to a look-alike site (round 479); with only the
    official route, the same words reassure."""
    v = analyze("Your digital driving licence is now available in the DVLA app. Activate it by entering your licence "
                "number at dvla-digital-licence.com.")
    status = {f.id: f.status for f in v.flags}
    assert status["REASSURANCE_OFFICIAL_ROUTE"] == "cancelled"
    assert status["LINK_LOOKALIKE_DOMAIN"] in ("warning", "outweighed")
    alone = analyze("Your digital driving licence is now available in the DVLA app.")
    assert {f.id: f.status for f in alone.flags}.get("REASSURANCE_OFFICIAL_ROUTE") in (None, "reassuring")


def test_identity_details_asked_over_a_chat_app_combine():
    """Date of birth and NHS number asked for on WhatsApp (round 479): each sign is weak, together suspicious."""
    v = analyze("We've had a cancellation and can see you on Thursday. Can you whatsapp me on 07700 900583 with "
                "your NHS number and DOB so I can lock it in?")
    assert "COMBO:DETAILS_OVER_A_CHAT_APP" in {c.id for c in v.contributions}
    assert v.verdict in ("suspicious", "scam")


def test_a_card_issuers_yes_or_no_question_is_no_alarm_but_the_safe_account_after_it_is():
    """A fraud check that only asks whether a payment was yours is safe whatever the model reads in "suspicious activity"
    (round 487); the same question followed by "reply NO and we'll move your funds" stays a scam."""
    v = analyze("American Express: Suspicious activity detected on your Card ending 31005. Did you attempt to spend £742.18 "
                "at APPLE.COM/BILL on 02 Oct? Reply 1 for Yes, 2 for No. Do not reply with personal information.",
                sender="Amex")
    status = {f.id: f.status for f in v.flags}
    assert v.verdict == "safe"
    assert status["ALARM_ACCOUNT_ACTIVITY"] == "cancelled"
    scam = analyze("Barclays Alert: Did you authorise a payment of £749.00 to VINTED LTD? If NOT reply NO and a member of our "
                   "fraud team will call you shortly to secure your funds into a protected account.")
    assert scam.verdict == "scam"
    assert {f.id: f.status for f in scam.flags}.get("PAYMENT_QUESTION_BY_REPLY") in (None, "cancelled")


def test_a_number_to_ring_in_the_name_of_a_firm_with_no_phone_line_is_never_its_own():
    """Google has no phone line for account holders (organisations.yaml phone_line: false): "call Google Account Support
    on 0306 ..." is a number that cannot be Google's (round 503)."""
    # (a valid line outside Ofcom's drama ranges: a drama number is "a number that does not exist" first)
    v = analyze("Google Security: your recovery phone number was changed. If this wasn't you, call Google Account Support "
                "on 0330 808 1234")
    mismatch = next(f for f in v.flags if f.id == "CALLBACK_NUMBER_MISMATCH")
    assert mismatch.confidence == 1.0
    assert "no phone line" in (mismatch.note or "")
    assert v.verdict in ("suspicious", "scam")


def test_the_official_route_named_from_an_ordinary_mobile_reassures_nobody():
    """"NatWest Alert ... If this was NOT you, reply NO and our fraud team will call you shortly to secure your funds" from an
    ordinary mobile number (round 536): the bank cannot be texting from it, so naming its reply route cancels nothing."""
    v = analyze("NatWest Alert: A payment of £1,249.00 to P. SHARMA has been requested from your account. If this was NOT "
                "you, reply NO and a member of our fraud team will call you shortly to secure your funds.",
                sender="+447700900133")
    status = {f.id: f.status for f in v.flags}
    assert status.get("CLAIMS_BANK") != "cancelled"
    assert v.verdict in ("suspicious", "scam")
