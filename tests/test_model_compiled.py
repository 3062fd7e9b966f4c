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
from scamshield.preprocess import make_unit

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


needs_c_total = pytest.mark.skipif(model_mod._unit_total is None, reason="the C extension is not built here")


def _total_bits(cm, norm: str) -> tuple[tuple[str, str], int]:
    z, n = cm.unit_total(norm)
    return _bits(z), n


def _total_bits_py(cm, norm: str) -> tuple[tuple[str, str], int]:
    z, n = cm.unit_total_py(norm)
    return _bits(z), n


@needs_c_total
def test_compiled_and_python_text_totals_give_the_same_bits():
    """A text's whole sum (chunk loop and word pairs) in C equals the Python loop's, bit for bit."""
    fast, _ = _models()
    for channel in ("sms", "call"):
        cm = fast.channels[channel]
        for text in _texts() + HOSTILE:
            for norm in {make_unit(text, channel=channel).norm, text}:
                assert _total_bits(cm, norm) == _total_bits_py(cm, norm), text[:200]


@needs_c_total
def test_compiled_text_totals_while_the_chunk_cache_is_cleared(monkeypatch):
    """The chunk cache may be cleared by a miss in the middle of a text: the C loop reads each entry at once."""
    monkeypatch.setattr(model_mod, "_CACHE_LIMIT", 3)
    fast, _ = _models()
    texts = ["Pay the £1.99 fee now at royalmail-redeliver.com 07700900123 or your parcel is returned today",
             *HOSTILE[:-3], *_texts()[:300]]
    for cm in fast.channels.values():
        for text in texts:
            cm.chunk_cache.clear()
            first = _total_bits(cm, text)
            cm.chunk_cache.clear()
            assert first == _total_bits_py(cm, text) == _total_bits(cm, text), text[:200]
        cm.chunk_cache.clear()


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
