"""Live call sessions fed text turns: no audio stack needed. The seed HMRC call must alert on the voucher
turn, a genuine call must not alert, alerts fire once, and a turn costs the same at turn 5 and 500."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from scamshield import Analyzer, Message, Turn
from scamshield.calls.session import AlertEvent, CallSession, FinalEvent, UpdateEvent
from scamshield.errors import InputError
from scamshield.models import Finding

# The seed case as the audio tests speak it (scamshield.calls.synth.HMRC_CALL), one turn per entry.
SEED = [
    ("caller", "Good afternoon, this is James Walker calling from HMRC, the tax office."),
    ("callee", "Oh, hello. What is this about?"),
    ("caller", "We have found a problem with your tax return from last year."),
    ("callee", "Oh no. What do I need to do?"),
    ("caller", "You owe four hundred pounds. You must pay it today with iTunes vouchers."),
    ("callee", "Can I not pay by bank transfer?"),
    ("caller", "No. If you do not pay, there will be a warrant for your arrest. "
               "Buy the vouchers at your local shop and read me the codes."),
    ("callee", "All right."),
    ("caller", "Do not tell anyone about this call."),
]
VOUCHER_TURN = 4
GENUINE = [
    ("caller", "Hello, this is Sarah from the Riverside Dental Practice."),
    ("callee", "Oh hi Sarah, how can I help?"),
    ("caller", "Your check up next Tuesday at ten has to move, as the dentist is away that day."),
    ("callee", "No problem. Is Thursday morning possible?"),
    ("caller", "Yes, Thursday at half past nine is free. I have booked it for you."),
    ("callee", "Lovely, thank you. See you then."),
]
# An ordinary Birmingham landline: valid, not a drama number, not inbound-only.
ORDINARY_NUMBER = "+441212345678"


def _turns(script, step=4.0):
    return [Turn(speaker, text, i * step, i * step + step - 0.5) for i, (speaker, text) in enumerate(script)]


def _run(script, sender=ORDINARY_NUMBER, analyzer=None):
    session = CallSession(Message(channel="call", sender=sender, id="t"), analyzer=analyzer)
    events = []
    for turn in _turns(script):
        events.extend(session.add_turn(turn))
    return session, events


def _alerts(events, level=None):
    return [e for e in events if isinstance(e, AlertEvent) and (level is None or e.level == level)]


def test_seed_call_alerts_on_the_voucher_turn():
    _, events = _run(SEED)
    scam = _alerts(events, "scam")
    assert len(scam) == 1, [e.to_dict() for e in _alerts(events)]
    alert = scam[0]
    assert alert.turn == VOUCHER_TURN
    assert alert.time == pytest.approx(_turns(SEED)[VOUCHER_TURN].end)
    assert "PAYMENT_GIFT_CARDS" in alert.flags
    assert any("voucher" in words.lower() for words in alert.evidence)
    assert alert.scam_type == "hmrc_tax"
    assert alert.advice, "an alert says what to do"
    # The authority was claimed three turns before the vouchers: both must count together.
    flags_at_alert = next(e for e in events if isinstance(e, UpdateEvent) and e.turn == VOUCHER_TURN).verdict
    assert {"CLAIMS_TAX_AUTHORITY", "PAYMENT_GIFT_CARDS"} <= flags_at_alert.flag_ids()


def test_seed_call_warns_at_most_once_and_only_before_the_scam_alert():
    _, events = _run(SEED)
    levels = [a.level for a in _alerts(events)]
    assert levels in (["scam"], ["warning", "scam"]), levels
    warnings = _alerts(events, "warning")
    # A warning may come before the vouchers: an HMRC claim from an ordinary number that the learned
    # model reads as a scam.
    assert all(w.turn < VOUCHER_TURN for w in warnings)


class _Keywords:
    """A real TextDetector with fixed keywords, so the alert mechanics are tested apart from the tuning
    of the shipped rules (which other tests cover)."""

    name = "keywords"
    WORDS = {"hmrc": "T_AUTHORITY", "debt": "T_DEBT", "vouchers": "T_VOUCHERS", "genuinely": "T_REASSURE"}

    def analyze(self, unit):
        return [Finding(flag, 1.0) for word, flag in self.WORDS.items() if word in unit.norm]


def _toy_analyzer() -> Analyzer:
    from scamshield.advice import Advisor
    from scamshield.rules import FlagDef
    from scamshield.scoring import Scorer

    weights = {"T_AUTHORITY": 1.0, "T_DEBT": 2.5, "T_VOUCHERS": 4.0, "T_REASSURE": -6.0}
    defs = {k: FlagDef(k, "toy", "scam", w, k.lower(), "test", {}) for k, w in weights.items()}
    config = {"bias": -3.0, "spam_bias": -3.0, "thresholds": {"scam": 0.8, "suspicious": 0.5, "spam": 0.5}}
    return Analyzer([_Keywords()], Scorer(defs, (), config), Advisor.from_rules())


# risk = sigmoid(-3 + points): HMRC alone 0.12 safe; + debt 0.62 suspicious; + vouchers 0.99 scam.
@pytest.mark.parametrize(
    "texts, want",
    [
        (["this is hmrc", "hello", "you have a tax debt", "ok", "pay in vouchers", "ok"],
         [("warning", 2), ("scam", 4)]),
        (["hmrc here: pay your debt in vouchers", "what?", "a debt, hmrc says"], [("scam", 0)]),
        (["hmrc", "debt", "debt again", "hmrc debt"], [("warning", 1)]),
        (["hmrc", "hello", "how are you"], []),
        # scam, then reassurance drags the verdict back down: no warning after the alert,
        # and no second alert when it climbs back.
        (["hmrc debt vouchers", "genuinely", "vouchers", "hmrc vouchers debt"], [("scam", 0)]),
    ],
    ids=["warning-then-scam", "scam-first", "warning-only", "nothing", "once-only"],
)
def test_alert_levels_fire_once_each_in_order(texts, want):
    session = CallSession(Message(channel="call"), analyzer=_toy_analyzer())
    events = []
    for i, text in enumerate(texts):
        events += session.add_turn(Turn("caller", text, float(i), float(i) + 0.5))
    assert [(a.level, a.turn) for a in _alerts(events)] == want
    for a in _alerts(events):
        assert a.time == a.turn + 0.5


def test_alert_names_the_flags_that_tipped_it():
    session = CallSession(Message(channel="call"), analyzer=_toy_analyzer())
    session.add_turn(Turn("caller", "hmrc calling about a debt"))
    events = session.add_turn(Turn("caller", "pay in vouchers"))
    (alert,) = _alerts(events)
    assert alert.level == "scam" and alert.flags == ("T_VOUCHERS",)


def test_every_turn_gets_exactly_one_update_in_order():
    _, events = _run(SEED)
    updates = [e for e in events if isinstance(e, UpdateEvent)]
    assert [u.turn for u in updates] == list(range(len(SEED)))
    # The alert follows the update of the turn that tipped it.
    i = events.index(_alerts(events, "scam")[0])
    assert isinstance(events[i - 1], UpdateEvent) and events[i - 1].turn == VOUCHER_TURN


def test_genuine_call_raises_no_alert():
    session, events = _run(GENUINE)
    assert _alerts(events) == []
    final = session.finish()
    assert final.verdict.verdict == "safe", final.verdict.flag_ids()
    assert final.alerts == ()


def test_alert_fires_once_however_often_the_demand_is_repeated():
    session, events = _run(SEED)
    for i in range(20):
        events += session.add_turn(Turn("caller", "Buy more iTunes vouchers now or you will be arrested.", 40.0 + i))
    assert len(_alerts(events, "scam")) == 1
    scam_time = _alerts(events, "scam")[0].time
    # no softer warning after the scam alert
    assert all(w.time < scam_time for w in _alerts(events, "warning"))


def test_no_warning_when_the_first_verdict_is_already_scam():
    session = CallSession(Message(channel="call", sender=ORDINARY_NUMBER))
    events = session.add_turn(
        Turn("caller", "This is HMRC. There is a warrant for your arrest. Pay the fine today in iTunes vouchers "
                       "and read me the codes.")
    )
    events += session.add_turn(Turn("callee", "Oh dear."))
    assert [a.level for a in _alerts(events)] == ["scam"]


def test_final_summary_is_the_whole_transcript_verdict():
    session, _ = _run(SEED)
    final = session.finish()
    assert isinstance(final, FinalEvent)
    whole = Analyzer.default().analyze(Message(channel="call", sender=ORDINARY_NUMBER, id="t", turns=tuple(_turns(SEED))))
    got, want = final.verdict.to_dict(), whole.to_dict()
    # Same flags, evidence, scores and advice; contributions may be listed in arrival order.
    got["contributions"] = sorted(got["contributions"], key=lambda c: c["id"])
    want["contributions"] = sorted(want["contributions"], key=lambda c: c["id"])
    assert got == want
    assert final.turns == len(SEED)
    assert session.finish() is final  # finishing twice is harmless


def test_events_serialise_to_json_lines():
    session, events = _run(SEED)
    events.append(session.finish())
    kinds = []
    for e in events:
        d = json.loads(json.dumps(e.to_dict()))
        kinds.append(d["event"])
    assert set(kinds) == {"update", "alert", "final"}
    alert = next(json.loads(json.dumps(e.to_dict())) for e in _alerts(events, "scam"))
    assert alert["turn"] == VOUCHER_TURN and alert["level"] == "scam" and alert["message"].startswith("Scam alert")


def test_bad_turns_are_clear_errors():
    session = CallSession()
    with pytest.raises(InputError, match="speaker"):
        session.add_turn(Turn("robot", "hello"))
    session.add_turn(Turn("caller", "hello"))
    session.finish()
    with pytest.raises(InputError, match="ended"):
        session.add_turn(Turn("caller", "more"))


def test_caller_id_alone_can_alert_before_anyone_speaks():
    # HMRC's helpline only receives calls: showing it on an incoming call means the number was faked.
    session = CallSession(Message(channel="call", sender="+443002003300"))
    start = session.start()
    events = start + session.add_turn(Turn("caller", "Hello, this is HM Revenue and Customs about your tax."))
    first = _alerts(events)
    assert first and first[0].turn in (None, 0)
    assert session.start() == []  # start is idempotent


class _CountingDetector:
    """A real TextDetector that records the work the analyzer gives it: units and characters per turn."""

    name = "counting"

    def __init__(self) -> None:
        self.units = 0
        self.chars = 0

    def analyze(self, unit) -> list[Finding]:
        self.units += 1
        self.chars += len(unit.norm)
        return []


class _CountingAccumulator:
    """An AccumulatingDetector whose findings() call cost is proportional to its state size."""

    name = "counting_acc"

    def __init__(self) -> None:
        self.feeds = 0
        self.state_sizes: list[int] = []

    def new_state(self) -> dict:
        return {"n": 0}

    def feed(self, state, unit) -> None:
        self.feeds += 1
        state["n"] += 1

    def findings(self, state) -> list[Finding]:
        self.state_sizes.append(len(state))
        return []


def test_cost_per_turn_does_not_grow_with_the_call():
    counter, acc = _CountingDetector(), _CountingAccumulator()
    analyzer = Analyzer.build(extra_detectors=[counter, acc])
    session = CallSession(Message(channel="call", sender=ORDINARY_NUMBER), analyzer=analyzer)
    script = (SEED + GENUINE) * 40  # 520 turns
    work, flags_scored = [], []
    for i, (speaker, text) in enumerate(script):
        before_units, before_chars, before_feeds = counter.units, counter.chars, acc.feeds
        events = session.add_turn(Turn(speaker, text, float(i), float(i) + 0.9))
        update = next(e for e in events if isinstance(e, UpdateEvent))
        work.append((counter.units - before_units, counter.chars - before_chars, acc.feeds - before_feeds))
        flags_scored.append(len(update.verdict.contributions))
    # Each turn is read once: exactly one unit, exactly its own characters, whatever came before.
    for i, (units, chars, feeds) in enumerate(work):
        assert units == 1 and feeds == 1, (i, units, feeds)
        assert chars == len(script[i][1].lower()), i
    # Scoring works on merged per-flag state: its size is bounded by the flags seen, not the turns.
    # (Two rounds of the script: a group cap may first be exceeded in the second.)
    assert max(flags_scored[100:]) <= max(flags_scored[:2 * (len(SEED) + len(GENUINE))])
    assert set(acc.state_sizes) == {1}


def test_session_module_imports_no_audio_or_cli_libraries():
    code = (
        "import sys\n"
        "import scamshield.calls.session\n"
        "bad = [m for m in ('numpy', 'soundfile', 'faster_whisper', 'ctranslate2', 'sounddevice', "
        "'pocketsphinx', 'argparse', 'fastapi') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == ""


# --- partial transcripts: scored without being committed ----------------------------------------------


def _prefixes(text):
    words = text.split()
    return [" ".join(words[:k]) for k in range(1, len(words) + 1)]


def test_a_partial_tips_the_alert_before_the_turn_is_committed_explained_by_its_words():
    session = CallSession(Message(channel="call", sender=ORDINARY_NUMBER))
    for turn in _turns(SEED)[:VOUCHER_TURN]:
        session.add_turn(turn)
    committed = session.verdict.to_dict()
    speaker, text = SEED[VOUCHER_TURN]
    start = VOUCHER_TURN * 4.0
    alert = None
    for k, words in enumerate(_prefixes(text)):  # the voucher sentence as it is being spoken
        events = session.preview(Turn(speaker, words, start, start + 0.3 * (k + 1)))
        scam = _alerts(events, "scam")
        if scam:
            alert, partial = scam[0], words
            break
    assert alert is not None, "the voucher demand tips the call before the caller pauses"
    assert alert.partial and alert.turn == VOUCHER_TURN and alert.to_dict()["partial"] is True
    # (the shipped rules tip it at "You owe", after the HMRC claim; the full turn goes on to the vouchers)
    assert alert.flags and alert.evidence and all(e in partial for e in alert.evidence)  # the partial's words
    assert partial != text and alert.time < start + 0.3 * len(text.split())
    # Nothing was committed: the same turns, the same verdict.
    assert session.turns == VOUCHER_TURN and session.verdict.to_dict() == committed
    # The final transcript becomes the turn; the scam alert is not raised twice.
    events = session.add_turn(_turns(SEED)[VOUCHER_TURN])
    assert [type(e) for e in events] == [UpdateEvent]
    assert events[0].turn == VOUCHER_TURN and events[0].verdict.verdict == "scam"
    assert session.preview(Turn("caller", "and read me the codes")) == []  # nothing left to raise


def test_previews_change_nothing_later_turns_are_scored_on():
    from scamshield.calls.session import _fork

    script = (SEED + GENUINE) * 3
    plain = CallSession(Message(channel="call", sender=ORDINARY_NUMBER))
    previewed = CallSession(Message(channel="call", sender=ORDINARY_NUMBER))
    for turn in _turns(script):
        for words in _prefixes(turn.text):
            # scored on a copy (as preview() does before the scam alert, after which it returns at once)
            _fork(previewed.analysis).add_turn(Turn(turn.speaker, words))
            previewed.preview(Turn(turn.speaker, words, turn.start, turn.end))
        got = next(e for e in previewed.add_turn(turn) if isinstance(e, UpdateEvent)).verdict
        want = next(e for e in plain.add_turn(turn) if isinstance(e, UpdateEvent)).verdict
        assert got.to_dict() == want.to_dict()
    assert previewed.finish().verdict.to_dict() == plain.finish().verdict.to_dict()
    assert previewed.turns == plain.turns == len(script)


def test_a_partial_alert_stands_but_the_committed_turn_decides_the_verdict():
    session = CallSession(Message(channel="call"), analyzer=_toy_analyzer())
    events = session.add_turn(Turn("caller", "this is hmrc about a debt", 0.0, 2.0))
    assert [a.level for a in _alerts(events)] == ["warning"]
    # The recogniser's partial hears vouchers; the final transcript of the turn does not.
    events = session.preview(Turn("caller", "pay it in vouchers", 2.5, 3.5))
    (alert,) = _alerts(events)
    assert (alert.level, alert.turn, alert.time, alert.partial, alert.flags) == ("scam", 1, 3.5, True, ("T_VOUCHERS",))
    assert session.verdict.verdict == "suspicious"
    events = session.add_turn(Turn("caller", "pay it in person", 2.5, 4.0))
    assert _alerts(events) == [] and session.verdict.verdict == "suspicious"
    final = session.finish()
    assert final.verdict.verdict == "suspicious" and [a.level for a in final.alerts] == ["warning", "scam"]
    assert final.alerts[1].partial and not final.alerts[0].partial


def test_a_preview_flags_only_what_its_words_add_to_the_committed_turns():
    session = CallSession(Message(channel="call"), analyzer=_toy_analyzer())
    session.add_turn(Turn("caller", "hmrc calling about a debt"))
    (alert,) = _alerts(session.preview(Turn("caller", "pay in vouchers")))
    assert alert.flags == ("T_VOUCHERS",)  # compared with the committed turns, not with earlier previews
    # the scam alert has been shown: neither a later preview nor the committed turn raises it again
    assert session.preview(Turn("caller", "pay in vouchers now")) == []
    assert _alerts(session.add_turn(Turn("caller", "hmrc debt vouchers"))) == []


def test_preview_errors_and_empty_partials():
    session = CallSession()
    assert session.preview(Turn("caller", "   ")) == []
    with pytest.raises(InputError, match="speaker"):
        session.preview(Turn("robot", "hello"))
    session.add_turn(Turn("caller", "hello"))
    session.finish()
    with pytest.raises(InputError, match="ended"):
        session.preview(Turn("caller", "more"))


def test_a_preview_reads_its_words_once_at_turn_5_or_500_and_feeds_no_accumulator():
    counter, acc = _CountingDetector(), _CountingAccumulator()
    analyzer = Analyzer.build(extra_detectors=[counter, acc])
    session = CallSession(Message(channel="call", sender=ORDINARY_NUMBER), analyzer=analyzer)
    script = GENUINE * 90  # 540 turns, no scam alert to cut previews short
    for i, (speaker, text) in enumerate(script):
        if i in (5, 500):
            units, chars, feeds, scored = counter.units, counter.chars, acc.feeds, len(acc.state_sizes)
            session.preview(Turn(speaker, text[: len(text) // 2]))
            # the rules read the partial's words once; the accumulating detectors (the learned model, the
            # call-back check) are asked for their findings on the committed turns, and not fed the partial
            assert (counter.units - units, counter.chars - chars, acc.feeds - feeds) == (
                1, len(text[: len(text) // 2].lower()), 0)
            assert len(acc.state_sizes) == scored + 1
        session.add_turn(Turn(speaker, text, float(i), float(i) + 0.9))
    assert next(s for det, s in session.analysis.states if det is acc) == {"n": len(script)}
    assert session.alerts == []


def test_the_learned_model_does_not_read_a_partial():
    """On the first words of a turn ("Hello, this") the call model, trained on whole turns, leans to scam
    on many genuine calls; a partial is scored on the red flags its words raise, on top of the committed
    turns (the model takes the turn once it is committed)."""
    session = CallSession(Message(channel="call"))
    session.add_turn(Turn("caller", "Hello, is that Mr Pritchard?"))
    before = {f.id: f.confidence for f in session.verdict.flags}
    from scamshield.calls.session import _fork

    verdict = _fork(session.analysis).add_turn(Turn("callee", "Yes, speaking. Who is this?"))
    assert {f.id: f.confidence for f in verdict.flags if f.id.startswith("MODEL_")} == {
        k: v for k, v in before.items() if k.startswith("MODEL_")}


def test_early_in_a_call_a_warning_needs_something_asked_or_threatened():
    """In a call's first turns a caller's name and tone alone (here a claim strong enough for "suspicious")
    do not interrupt with a warning; a threat does at once, and so does the same claim later in the call."""
    from scamshield.advice import Advisor
    from scamshield.calls.session import EARLY_TURNS
    from scamshield.rules import FlagDef
    from scamshield.scoring import Scorer

    groups = {"T_AUTHORITY": "impersonation", "T_DEBT": "threat"}
    defs = {k: FlagDef(k, groups[k], "scam", 3.5, k.lower(), "test", {}) for k in groups}
    config = {"bias": -3.0, "spam_bias": -3.0, "thresholds": {"scam": 0.8, "suspicious": 0.5, "spam": 0.5},
              "scam_needs": {"groups": ["threat"]}}
    analyzer = Analyzer([_Keywords()], Scorer(defs, (), config), Advisor.from_rules())

    def warnings(texts):
        session = CallSession(Message(channel="call"), analyzer=analyzer)
        events = [e for i, t in enumerate(texts) for e in session.add_turn(Turn("caller", t, float(i), i + 0.5))]
        return [(a.level, a.turn) for a in _alerts(events)]

    assert warnings(["this is hmrc", "hello"]) == []
    assert warnings(["you have a debt"]) == [("warning", 0)]
    late = ["hello"] * EARLY_TURNS + ["this is hmrc"]
    assert warnings(late) == [("warning", EARLY_TURNS)]
