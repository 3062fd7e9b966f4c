"""The learned model as one more detector: a linear model over word, word-pair and character n-grams.

Inference is pure Python over a shipped table of weights (``data/model.json.gz``), so it needs neither
numpy nor scikit-learn and costs a few microseconds per message. Two heads share the features:

* ``scam``  (scam vs legit)            -> MODEL_SCAM when it leans scam, MODEL_LEGIT when it leans legit;
* ``spam``  (scam or spam vs legit)    -> MODEL_SPAM.

A head's raw score is ``bias + sum(weights of the features seen) / sqrt(tokens + 1)``. The sums add up
across call turns, so a call fed turn by turn costs O(turn length) per turn and ends where scoring the
whole transcript at once would. Character n-grams (2..5, over whitespace-separated chunks padded with
spaces, as scikit-learn's ``char_wb``) are summed per chunk and cached, since chunks repeat. Where the C
extension is built (``_ngrams.c``, by setup.py) the chunk sums, a text's whole sum and its evidence chunks run
in C over a chunk cache and a word-pair table kept in C (no Python string is made for a cached chunk or a word
pair); else in Python (``chunk_sum_py``, ``unit_total_py``, ``chunk_scores_py``: the reference). Both give
bit-identical sums.

Features come from ``unit.norm``, the normalised text, so lookalike letters, zero-width characters,
"H.M.R.C" and leetspeak cannot dodge the model. Training lives in ``scamshield.learn.train``.
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import pairwise, repeat
from pathlib import Path
from typing import Any

from ..errors import RulesError
from ..models import Finding, Span
from ..preprocess import TextUnit
from ..scoring import sigmoid
from ..settings import EngineSettings
from . import model_batch, model_text
from .model_text import _CHUNK, _EVIDENCE_TRIM, HeadPair, _compiled_entry, _entry, _ngrams, _text_state

# the features, as training computes them too (learn/features.py)
CHAR_MIN, CHAR_MAX = model_text.CHAR_MIN, model_text.CHAR_MAX
char_grams, tokens, word_features = model_text.char_grams, model_text.tokens, model_text.word_features

ARTIFACT = "model.json.gz"
MAX_EVIDENCE = 3
# A model flag's confidence is its calibrated log-odds / LOGIT_SCALE, clipped to [0, 1]: the scorer's
# points (weight x confidence) then add the model's log-odds to the rules', as a fitted weight decides.
# (p = 0.73 -> 0.125, p = 0.95 -> 0.37, p = 0.999 -> 0.86.) The note gives the probability itself.
LOGIT_SCALE = 8.0
# MODEL_LEGIT's confidence grows with the text seen, reaching full strength at this many tokens: a model
# cannot vouch for "Hello?".
LEGIT_FULL_TOKENS = 20
_CACHE_LIMIT = 200_000  # chunks remembered, each at most _CACHE_CHUNK_CHARS long
_CACHE_CHUNK_CHARS = 40  # long chunks (links, pasted text) rarely repeat; this bounds the cache in bytes

@dataclass(slots=True)
class Head:
    """One linear head's bias, Platt scaling and switch point. Its weights live in the channel's tables of
    ``HeadPair``, as the real (``part`` 0) or imaginary (``part`` 1) part."""

    name: str
    bias: float
    platt: tuple[float, float]  # calibrated p = sigmoid(a * raw + b)
    decision: float = 0.0  # log-odds where the head's flag switches side (fitted with the weights)
    part: int = 0

    def weight(self, packed: HeadPair) -> float:
        return packed.imag if self.part else packed.real

    def probability(self, total: float, ntok: int) -> float:
        raw = self.bias + total / math.sqrt(ntok + 1)
        a, b = self.platt
        return sigmoid(a * raw + b)


@dataclass(slots=True)
class Model:
    """One ChannelModel per channel: texts and calls read differently and are trained apart."""

    channels: dict[str, ChannelModel]
    meta: dict[str, Any]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Model:
        channels = {ch: ChannelModel.from_dict(cd) for ch, cd in d["channels"].items()}
        if "sms" not in channels:
            raise KeyError("the model has no 'sms' channel")
        return cls(channels, d.get("meta", {}))

    def channel(self, name: str) -> ChannelModel:
        return self.channels.get(name) or self.channels["sms"]


def _pack(v: list[float]) -> HeadPair:
    return complex(v[0], v[1] if len(v) > 1 else 0.0)


@dataclass(slots=True)
class ChannelModel:
    """The heads of one channel share their features. Both heads' weights for a feature are packed into
    one complex number (scam + 1j * spam), so a single dict lookup and a single C-level ``sum`` serve both
    heads: the lookups into the large tables are most of the model's cost."""

    heads: dict[str, Head]
    words: dict[str, HeadPair]
    chars: dict[str, HeadPair]
    chunk_cache: dict[str, tuple[HeadPair, list[str], bool]] = field(default_factory=dict)
    ctable: Any = None  # ``chars`` as the C extension's table (None: the Python sums)
    # The C extension's chunk cache and word-pair table (``_ngrams.text_state``), used by ``unit_total`` and
    # ``chunk_scores`` while ``ctable`` is set; None: the Python loops (``unit_total_py``, ``chunk_scores_py``).
    ctext: Any = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ChannelModel:
        names = d["heads"]
        if not 1 <= len(names) <= 2:
            raise ValueError(f"a channel needs one or two heads, not {len(names)}")
        heads = {
            name: Head(
                name,
                float(d["bias"][i]),
                (float(d["platt"][i][0]), float(d["platt"][i][1])),
                float(d.get("decision_logit", [0.0] * len(names))[i]),
                i,
            )
            for i, name in enumerate(names)
        }
        words = {k: _pack(v) for k, v in d["words"].items() if any(v)}
        chars = {k: _pack(v) for k, v in d["chars"].items() if any(v)}
        ctable = _ngrams.build(chars) if _ngrams is not None else None
        ctext = None
        if ctable is not None and _text_state is not None:
            ctext = _text_state(words, _compiled_entry(ctable, words), _CACHE_LIMIT, _CACHE_CHUNK_CHARS,
                                *_EVIDENCE_TRIM)
        return cls(heads, words, chars, ctable=ctable, ctext=ctext)

    def chunk_sum(self, chunk: str) -> HeadPair:
        """The chunk's char n-gram weights, summed: in C when built, else ``chunk_sum_py`` (same bits)."""
        if self.ctable is not None:
            return _ngrams.chunk_sum(self.ctable, chunk)
        return self.chunk_sum_py(chunk)

    def chunk_sum_py(self, chunk: str) -> HeadPair:
        return sum(map(self.chars.get, char_grams(chunk), repeat(0j)), 0j)

    def chunk_entry(self, chunk: str) -> tuple[HeadPair, list[str], bool]:
        """What a whitespace chunk always contributes (its char n-grams and word unigrams), its word
        tokens, and whether it holds a word worth showing as evidence. Tokens never span whitespace,
        so a text's tokens are its chunks' tokens in order. Cached: chunks repeat across messages."""
        entry = self.chunk_cache.get(chunk)
        if entry is None:
            if len(self.chunk_cache) > _CACHE_LIMIT:
                self.chunk_cache.clear()
            entry = _entry(chunk, self.chunk_sum(chunk), self.words.get)
            if len(chunk) <= _CACHE_CHUNK_CHARS:  # long chunks (links, pasted text) rarely repeat
                self.chunk_cache[chunk] = entry
        return entry

    def clear_cache(self) -> None:
        """Forget every cached chunk (the Python cache and the C one)."""
        self.chunk_cache.clear()
        if self.ctext is not None:
            _ngrams.text_clear(self.ctext)

    def unit_total(self, norm: str) -> tuple[HeadPair, int]:
        """Packed sum of the word and char n-gram weights of one text, and its token count: in C (the chunk
        loop over a chunk cache kept in C, and the word pairs by token id), else ``unit_total_py`` (same bits)."""
        if self.ctext is not None and self.ctable is not None:
            return _ngrams.text_total(self.ctext, norm)
        return self.unit_total_py(norm)

    def unit_total_py(self, norm: str) -> tuple[HeadPair, int]:
        entry = self.chunk_entry
        total = 0j
        toks: list[str] = []
        for chunk in norm.split():
            z, t, _ = entry(chunk)
            total += z
            toks += t
        pairs = map(" ".join, pairwise(toks))
        return total + sum(map(self.words.get, pairs, repeat(0j)), 0j), len(toks)

    def unit_sums(self, norm: str) -> tuple[dict[str, float], int]:
        total, n = self.unit_total(norm)
        return {name: h.weight(total) for name, h in self.heads.items()}, n

    def chunk_scores(self, unit: TextUnit) -> list[tuple[HeadPair, int, int]]:
        """Every meaningful chunk of ``unit`` with its packed weight (both heads at once) and offsets: in C
        where built (``_ngrams.text_chunks``), else ``chunk_scores_py`` (same bits). Worked out once per unit
        and kept on it: texts often raise both MODEL_SCAM and MODEL_SPAM."""
        if unit.model_chunks is not None and unit.model_chunks[0] is self and unit.model_chunks[1] == "scores":
            return unit.model_chunks[2]
        if self.ctext is not None and self.ctable is not None:
            found = _ngrams.text_chunks(self.ctext, unit.norm)
        else:
            found = self.chunk_scores_py(unit.norm)
        unit.model_chunks = (self, "scores", found)
        return found

    def chunk_scores_py(self, norm: str) -> list[tuple[HeadPair, int, int]]:
        """``chunk_scores`` in Python, the reference: a meaningful chunk's weight is its own (char n-grams and
        words) plus the word pairs its words start, the pair across into the next chunk's first word included."""
        get = self.words.get
        chunks = [(m.start(), m.end(), *self.chunk_entry(m.group(0))) for m in _CHUNK.finditer(norm)]
        found = []
        after = None  # the first word after the chunk, for the word pair that crosses into the next one
        for start, end, z, toks, meaningful in reversed(chunks):
            if meaningful:
                # a word pair counts for the chunk its first word is in
                pair_words = [*toks, after] if after is not None else toks
                found.append((z + sum(map(get, map(" ".join, pairwise(pair_words)), repeat(0j)), 0j), start, end))
            if toks:
                after = toks[0]
        found.reverse()
        return found

    def evidence(self, unit: TextUnit, head: str, limit: int = MAX_EVIDENCE) -> tuple[Span, ...]:
        """The chunks of ``unit`` that pushed ``head`` up most, adjacent ones merged, as Spans."""
        part = self.heads[head].part
        if self.ctext is not None and self.ctable is not None:
            # both heads' ranges in one pass in C, trimmed as unit.evidence() trims them ("information." shows
            # as "information"; a range with no letter or digit left is dropped), kept on the unit (texts
            # often raise both model flags)
            key = ("trimmed ranges", limit)
            if unit.model_chunks is None or unit.model_chunks[0] is not self or unit.model_chunks[1] != key:
                unit.model_chunks = (self, key, _ngrams.text_evidence(self.ctext, unit.norm, limit, True))
            span = unit.span
            return tuple([span(s, e) for s, e in unit.model_chunks[2][part]])
        spans = (unit.evidence(s, e) for s, e in self.evidence_ranges_py(unit, part, limit))
        return tuple(sp for sp in spans if sp is not None)

    def evidence_ranges_py(self, unit: TextUnit, part: int, limit: int = MAX_EVIDENCE) -> list[list[int]]:
        """The reference for ``_ngrams.text_evidence``: the ``limit`` chunks whose weight for the head (``part``
        of the packed weight) is highest above 0, then highest offset first, in text order, chunks with only
        whitespace between them merged, as [start, end] ranges of ``unit.norm``."""
        norm = unit.norm
        scored = [(z.imag if part else z.real, start, end) for z, start, end in self.chunk_scores(unit)]
        top = sorted((x for x in scored if x[0] > 0), reverse=True)[:limit]
        ranges = sorted((start, end) for _, start, end in top)
        merged: list[list[int]] = []
        for start, end in ranges:
            if merged and norm[merged[-1][1] : start].isspace():
                merged[-1][1] = end
            else:
                merged.append([start, end])
        return merged


def artifact_path() -> Path | None:
    """The environment's model (``SCAMSHIELD_MODEL``: one you trained), else None: the one shipped in the
    package. ``Analyzer.build(model=...)`` passes one in instead."""
    path = EngineSettings.from_env().model
    return Path(path) if path else None


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> Model:
    """Read the model once per process."""
    try:
        if path:
            raw = Path(path).read_bytes()
        else:
            raw = resources.files("scamshield.data").joinpath(ARTIFACT).read_bytes()
        data = json.loads(gzip.decompress(raw))
        return Model.from_dict(data)
    except Exception as exc:  # a corrupt, truncated or foreign file: say so, never a traceback
        raise RulesError(f"cannot load the scam model from {path or 'the package'}: {exc}") from None


@dataclass(slots=True)
class _State:
    sums: dict[str, float]
    ntok: int = 0
    channel: str = "sms"
    # per head: (unit sum, unit) of the units that pushed it most, for evidence
    best: dict[str, list[tuple[float, int, TextUnit]]] = field(default_factory=dict)


class ModelDetector:
    """AccumulatingDetector over the learned model; see the module docstring."""

    name = "model"

    def __init__(self, model: Model | None = None, path: str | None = None) -> None:
        self._model = model
        self._path = path

    @classmethod
    def default(cls) -> ModelDetector:
        """The shipped model (or $SCAMSHIELD_MODEL), read on first use and then shared by the process."""
        p = artifact_path()
        return cls(None, str(p) if p else None)

    @property
    def model(self) -> Model:
        if self._model is None:
            self._model = load_model(self._path)
        return self._model

    def new_state(self) -> _State:
        return _State(sums={}, best={})

    def prepare(self, units: list[TextUnit], *, explain: bool = False) -> None:
        """A batch's slice of text units worked out in a row, for ``feed`` (``model_batch.prepare``)."""
        model_batch.prepare(self, units, explain, ("trimmed ranges", MAX_EVIDENCE))

    def feed(self, state: _State, unit: TextUnit) -> None:
        channels = self.model.channels
        if not state.sums:  # the first unit says which channel's model reads this message
            state.channel = unit.channel if unit.channel in channels else "sms"
            heads = channels[state.channel].heads
            state.sums = dict.fromkeys(heads, 0.0)
            state.best = {name: [] for name in heads}
        cm = channels[state.channel]
        # as unit_sums(), without building its dict (in a batch, worked out already: model_batch.py)
        total, n = model_batch.prepared(self, state.channel, unit.norm) or cm.unit_total(unit.norm)
        state.ntok += n
        for name, head in cm.heads.items():
            s = head.weight(total)
            state.sums[name] += s
            best = state.best[name]
            # Keep the two units that pushed each way most: O(1) per turn.
            best.append((s, id(unit), unit))
            if len(best) > 4:
                best.sort(key=lambda x: x[0])
                del best[2:-2]

    def probabilities(self, state: _State) -> dict[str, float]:
        if not state.sums:
            return {}
        heads = self.model.channels[state.channel].heads
        return {name: h.probability(state.sums[name], state.ntok) for name, h in heads.items()}

    def _evidence(self, state: _State, head: str, *, up: bool) -> tuple[Span, ...]:
        best = state.best[head]
        if len(best) == 1:  # one unit (a text message): as below, without the sort
            s, _, unit = best[0]
            if (s > 0) != up:
                return ()
            found = unit.model_evidence.get(head) if unit.model_evidence is not None else None
            if found is None:
                if unit.model_evidence is None:
                    unit.model_evidence = {}
                found = unit.model_evidence[head] = self.model.channels[state.channel].evidence(unit, head)
            return tuple(found[:MAX_EVIDENCE])
        units = sorted(best, key=lambda x: x[0], reverse=up)[:2]
        spans: list[Span] = []
        for s, _, unit in units:
            if (s > 0) != up:
                continue
            if unit.model_evidence is None:  # a live call asks again each turn: work it out once per turn
                unit.model_evidence = {}
            found = unit.model_evidence.get(head)
            if found is None:
                found = unit.model_evidence[head] = self.model.channels[state.channel].evidence(unit, head)
            spans.extend(found)
        return tuple(spans[:MAX_EVIDENCE])

    def findings_without_evidence(self, state: _State) -> list[Finding]:
        """``findings()`` without the evidence words (verdicts only): the same flags, confidences and notes."""
        return self.findings(state, evidence=False)

    def findings(self, state: _State, *, evidence: bool = True) -> list[Finding]:
        if state.ntok == 0:
            return []
        probs = self.probabilities(state)
        heads = self.model.channels[state.channel].heads
        out = []
        p_scam = probs.get("scam")
        # texts and calls have a model each, so flags (and fitted weights) of their own
        scam_flag, legit_flag = ("MODEL_CALL_SCAM", "MODEL_CALL_LEGIT") if state.channel == "call" else (
            "MODEL_SCAM", "MODEL_LEGIT")
        if p_scam is not None:
            conf = (_logit(p_scam) - heads["scam"].decision) / LOGIT_SCALE
            if conf > 0:
                out.append(Finding(scam_flag, min(conf, 1.0), self._evidence(state, "scam", up=True) if evidence else (),
                                   _note("scam", p_scam)))
            elif conf < 0:
                conf = min(-conf, 1.0) * min(1.0, state.ntok / LEGIT_FULL_TOKENS)
                out.append(Finding(legit_flag, conf, (), _note("scam", p_scam)))
        # Calls were trained on scam and genuine only (no marketing class): their "unwanted" head just
        # repeats the scam head, so only texts get a marketing signal.
        p_spam = probs.get("spam") if state.channel != "call" else None
        if p_spam is not None:
            conf = (_logit(p_spam) - heads["spam"].decision) / LOGIT_SCALE
            if conf > 0:
                out.append(Finding("MODEL_SPAM", min(conf, 1.0), self._evidence(state, "spam", up=True) if evidence else (),
                                   _note("unwanted", p_spam)))
        return out


def _logit(p: float) -> float:
    p = min(max(p, 1e-12), 1.0 - 1e-12)
    return math.log(p / (1.0 - p))


def _note(what: str, p: float) -> str:
    return f"learned model: probability {what} {p:.2f}"
