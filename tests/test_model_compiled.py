"""The learned model's char n-gram sums in C (detectors/_ngrams.c) give exactly what the pure-Python sums
give: the same bits for every chunk, the same probabilities, flags, confidences and evidence, on a few
thousand training texts, the team's texts and hostile strings; and the model works without the extension."""

import functools
import gzip
import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from scamshield.detectors import model as model_mod
from scamshield.detectors.model import Model, ModelDetector
from scamshield.learn.data import load
from scamshield.preprocess import TextUnit, make_unit

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "data" / "splits" / "sms_train.csv"
HOSTILE = [
    "", " ", "\x00", "a\x00b \x00\x00", "\ud800", "pay \udfff now \ud83d", "🎁 win a 💷£500 voucher 🎉🎉",
    "ｐａｙ ｎｏｗ", "ＨＭＲＣ", "Ĳ ǅ ﬁ", "\u200b\u200bpay", "a", "ab", "x" * 200_000,
    ("Pay the £1.99 fee now at royalmail-redeliver.com 07700900123 " * 20_000)[:1_000_000],
    "".join(chr(c) for c in range(1, 0x3000, 7)), "𝐏𝐚𝐲 𝐧𝐨𝐰 \U0010ffff \U0001f600",
]


@functools.cache
def _models() -> tuple[Model, Model]:
    data = json.loads(gzip.decompress(resources.files("scamshield.data").joinpath("model.json.gz").read_bytes()))
    fast, pure = Model.from_dict(data), Model.from_dict(data)
    for cm in pure.channels.values():
        cm.ctable = None
    return fast, pure


def _texts() -> list[str]:
    texts = [e.message.text for e in load(TRAIN)[::5]] if TRAIN.is_file() else []
    for p in sorted((ROOT / "training" / "sms").glob("*.jsonl")):
        texts += [e.message.text for e in load(p)]
    return texts


def _bits(z: complex) -> tuple[str, str]:
    return z.real.hex(), z.imag.hex()


def _outcome(det: ModelDetector, text: str, channel: str):
    state = det.new_state()
    det.feed(state, make_unit(text, channel=channel))
    probs = {k: v.hex() for k, v in det.probabilities(state).items()}
    return probs, [(f.flag, f.confidence.hex(), f.evidence, f.note) for f in det.findings(state)]


needs_c = pytest.mark.skipif(model_mod._ngrams is None, reason="the C extension is not built here")


def test_the_extension_is_used_where_it_was_built():
    built = list(Path(model_mod.__file__).parent.glob("_ngrams*.so"))
    if built:
        assert model_mod._ngrams is not None, "the extension is built but not used"
        assert all(cm.ctable is not None for cm in model_mod.load_model().channels.values())


@needs_c
def test_compiled_and_python_paths_give_the_same_bits():
    texts = _texts()
    assert len(texts) > 2000 or not TRAIN.is_file()
    fast, pure = _models()
    for channel in ("sms", "call"):
        f_det, p_det = ModelDetector(fast), ModelDetector(pure)
        cm = fast.channels[channel]
        for text in texts + HOSTILE:
            norm = make_unit(text, channel=channel).norm
            for chunk in {*norm.split(), *text.split()}:
                if len(chunk) <= 5000:  # the long ones are checked below, once
                    assert _bits(cm.chunk_sum(chunk)) == _bits(cm.chunk_sum_py(chunk)), chunk
            assert _outcome(f_det, text, channel) == _outcome(p_det, text, channel), text[:200]


@needs_c
@pytest.mark.parametrize("chunk", [*HOSTILE[:-3], "x" * 1_000_000, "£" * 100_000, "\ud800" * 1000 + "🎁" * 1000])
def test_hostile_chunks_sum_alike(chunk):
    for cm in _models()[0].channels.values():
        assert _bits(cm.chunk_sum(chunk)) == _bits(cm.chunk_sum_py(chunk))


needs_c_total = pytest.mark.skipif(model_mod._text_state is None, reason="the C extension is not built here")


def _total_bits(cm, norm: str) -> tuple[tuple[str, str], int]:
    z, n = cm.unit_total(norm)
    return _bits(z), n


def _total_bits_py(cm, norm: str) -> tuple[tuple[str, str], int]:
    z, n = cm.unit_total_py(norm)
    return _bits(z), n


def _chunk_bits(found) -> list:
    return [(_bits(z), start, end) for z, start, end in found]


@needs_c_total
def test_the_text_sums_run_in_c_where_built():
    for cm in model_mod.load_model().channels.values():
        assert cm.ctext is not None
        cm.unit_total("pay now")
        assert not cm.chunk_cache, "the C path fills the C cache, not the Python one"


@needs_c_total
def test_compiled_and_python_text_totals_give_the_same_bits():
    """A text's whole sum (chunk loop and word pairs) in C equals the Python loop's, bit for bit, and so do
    its evidence chunks (each meaningful chunk's weight and offsets)."""
    fast, _ = _models()
    for channel in ("sms", "call"):
        cm = fast.channels[channel]
        for text in _texts() + HOSTILE:
            for norm in {make_unit(text, channel=channel).norm, text}:
                assert _total_bits(cm, norm) == _total_bits_py(cm, norm), text[:200]
                unit = make_unit(norm, channel=channel)
                assert _chunk_bits(cm.chunk_scores(unit)) == _chunk_bits(cm.chunk_scores_py(unit.norm)), text[:200]
                for head, h in cm.heads.items():
                    for limit in (3, 1, 0, 40):
                        want = [tuple(r) for r in cm.evidence_ranges_py(unit, h.part, limit)]
                        assert model_mod._ngrams.text_evidence(cm.ctext, unit.norm, limit)[h.part] == want, text[:200]
                    assert cm.evidence(make_unit(norm, channel=channel), head) == _models()[1].channels[channel].evidence(
                        make_unit(norm, channel=channel), head), text[:200]


def _small_state(cm, limit: int, entry=None):
    return model_mod._ngrams.text_state(cm.words, entry or model_mod._compiled_entry(cm.ctable, cm.words), limit,
                                        model_mod._CACHE_CHUNK_CHARS)


@needs_c_total
@pytest.mark.parametrize("limit", [0, 1, 3, 50])
def test_compiled_text_totals_with_a_small_chunk_cache(limit):
    """A C chunk cache that empties itself every few chunks (or holds none) gives the same bits."""
    ng = model_mod._ngrams
    texts = ["Pay the £1.99 fee now at royalmail-redeliver.com 07700900123 or your parcel is returned today",
             *HOSTILE[:-3], *_texts()[:300]]
    for cm in _models()[0].channels.values():
        state = _small_state(cm, limit)
        for text in texts + texts[:50]:
            z, n = ng.text_total(state, text)
            assert ((_bits(z), n)) == _total_bits_py(cm, text), text[:200]
            assert _chunk_bits(ng.text_chunks(state, text)) == _chunk_bits(cm.chunk_scores_py(text)), text[:200]
            unit = make_unit(text)
            assert ng.text_evidence(state, unit.norm, 3) == tuple(
                [tuple(r) for r in cm.evidence_ranges_py(unit, part)] for part in (0, 1)), text[:200]
            assert ng.text_size(state) <= max(limit, 0)
        ng.text_clear(state)
        assert ng.text_size(state) == 0


@needs_c_total
def test_compiled_text_totals_while_the_cache_is_emptied_mid_text():
    """A chunk entry is Python and may let another thread in that empties (or fills) the C cache in the middle
    of a text: the C loop holds nothing from the cache across the call."""
    ng = model_mod._ngrams
    cm = _models()[0].channels["sms"]
    plain = model_mod._compiled_entry(cm.ctable, cm.words)
    box = {}

    def entry(chunk):
        if not box.get("inside"):  # as another thread would: empty the cache, then fill it with other chunks
            box["inside"] = True
            ng.text_clear(box["state"])
            ng.text_total(box["state"], f"your parcel {len(chunk)} is held pay the fee at royalmail-redeliver.com now")
            box["inside"] = False
        return plain(chunk)

    box["state"] = _small_state(cm, 1000, entry)
    for text in _texts()[:200] + HOSTILE[:-3]:
        z, n = ng.text_total(box["state"], text)
        assert ((_bits(z), n)) == _total_bits_py(cm, text), text[:200]
        assert _chunk_bits(ng.text_chunks(box["state"], text)) == _chunk_bits(cm.chunk_scores_py(text))
        unit = make_unit(text)
        assert ng.text_evidence(box["state"], unit.norm, 3)[0] == [tuple(r) for r in cm.evidence_ranges_py(unit, 0)]


@needs_c_total
@pytest.mark.parametrize("text", [
    "(pay) [now] {x} <y> ((( call ))) )( ][ }{ >< 'quoted.' \"done\" -- ... £5! (see: www.x.com) [a", "(((", "..", "- -",
    "(a] [b) <c} {d>", "x/y\\z | ~_~ `q`", "½ ² ٣ 𝟘 Ⅻ ⑴ ① (①)", "\u00a0(pay)\u2009", "pay(now) now) (now",
])
def test_compiled_evidence_trims_as_the_unit_does(text):
    """The C evidence ranges, trimmed in C, are the spans TextUnit.evidence gives for the untrimmed ranges."""
    for channel, cm in _models()[0].channels.items():
        for limit in (1, 3, 40):
            unit = make_unit(text, channel=channel)
            for h in cm.heads.values():
                want = [sp for sp in (unit.evidence(s, e) for s, e in cm.evidence_ranges_py(unit, h.part, limit)) if sp]
                got = [unit.span(s, e) for s, e in model_mod._ngrams.text_evidence(cm.ctext, unit.norm, limit, True)[h.part]]
                assert got == want
        # every chunk as its own range, whatever the model's weights: trimmed alike (in norm's offsets)
        plain = TextUnit(text=unit.norm, norm=unit.norm)
        state = model_mod._ngrams.text_state({}, lambda chunk: (1 + 1j, ["w"], True), 10, 40, *model_mod._EVIDENCE_TRIM)
        for start, end in ((m.start(), m.end()) for m in model_mod._CHUNK.finditer(unit.norm)):
            sp = plain.evidence(start, end)
            got = model_mod._ngrams.text_evidence(state, unit.norm[start:end], 5, True)
            assert got[0] == got[1] == ([] if sp is None else [(sp.start - start, sp.end - start)])


def test_the_evidence_brackets_pair_one_to_one():
    from scamshield.preprocess import _CLOSERS, _OPENERS

    assert len(set(_OPENERS.values())) == len(_OPENERS) and {v: k for k, v in _CLOSERS.items()} == _OPENERS


@needs_c_total
def test_compiled_text_state_refuses_bad_input():
    ng = model_mod._ngrams
    cm = _models()[0].channels["sms"]
    with pytest.raises(TypeError):
        ng.text_state([], len, 1, 1)
    with pytest.raises(ValueError):
        ng.text_state({}, len, 1, 1000)
    with pytest.raises(ValueError):
        ng.text_state({}, len, 1, 10, "x" * 65, "")
    with pytest.raises(ValueError):
        ng.text_state({}, len, 1, 10, "", "(")
    with pytest.raises(TypeError):
        ng.text_state({}, len, 1, 10, "", None)
    state = ng.text_state({"a b": 1 + 2j, "odd key": 1.0, 7: 1j, "x  y": 1j}, model_mod._compiled_entry(cm.ctable, {}),
                          10, 40)
    assert ng.text_total(state, "") == (0j, 0)
    with pytest.raises(TypeError):
        ng.text_total(state, b"bytes")
    with pytest.raises(ValueError):
        ng.text_total(cm.ctable, "wrong capsule")
    bad = ng.text_state({}, lambda chunk: (1, [], False), 10, 40)
    with pytest.raises(TypeError):
        ng.text_total(bad, "pay now")

    def boom(chunk):
        raise RuntimeError("entry failed")

    with pytest.raises(RuntimeError):
        ng.text_chunks(ng.text_state({}, boom, 10, 40), "pay now")
    with pytest.raises(RuntimeError):
        ng.text_evidence(ng.text_state({}, boom, 10, 40), "pay now", 3)
    with pytest.raises(TypeError):
        ng.text_evidence(state, "pay now", "3")
    assert ng.text_evidence(state, "", 3) == ([], []) and ng.text_evidence(state, "pay now", -1) == ([], [])


def test_the_model_works_without_the_extension(tmp_path):
    code = (
        "import sys\n"
        "if sys.argv[1] == 'pure': sys.modules['scamshield.detectors._ngrams'] = None\n"
        "from scamshield.detectors import model\n"
        "assert (model._ngrams is None) == (sys.argv[1] == 'pure')\n"
        "m = model.load_model(); assert all((cm.ctable is None) == (model._ngrams is None) for cm in m.channels.values())\n"
        "import scamshield\n"
        "for t in ['HMRC: pay the tax you owe in iTunes vouchers today or be arrested', 'URGENT: your parcel is on "
        "hold, pay the £1.99 fee at royalmail-redeliver.com', 'see you at 7 x']:\n"
        "    v = scamshield.analyze(t)\n"
        "    print(v.verdict, v.risk, [(f.id, f.confidence, f.evidence) for f in v.flags])\n"
    )
    modes = ["pure", "default"] if model_mod._ngrams is not None else ["pure"]
    outs = []
    for mode in modes:
        r = subprocess.run([sys.executable, "-c", code, mode], capture_output=True, text=True, timeout=120,
                           cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        assert r.stdout.startswith("scam") and "MODEL_" in r.stdout
        outs.append(r.stdout)
    assert len(set(outs)) == 1, outs
