"""The code's shape (issue 14): no import cycles, one finder each for phone numbers and web addresses,
no parsing of CPython's private regex internals, and every module small and saying what its one job is.

These read the source (its syntax trees and, for the finders, its compiled patterns); they run nothing
of the engine.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import scamshield

SRC = Path(scamshield.__file__).resolve().parent
MAX_LINES = 400  # "every module under ~400 lines"
# Modules still over MAX_LINES, each with why it is not split yet. The test fails when one of them is split
# (the entry must then go) and when any other module grows past the limit.
TOO_LONG: dict[str, str] = {
    "scamshield.scan": "being written by the speed engineer (issue 11: scan command); split when it settles",
}
# Import cycles in modules this change may not edit, each with the issue that owns them. strict: once
# untied the test says so, and the entry must go.
KNOWN_CYCLES: dict[frozenset[str], str] = {}

# Modules this change may not edit that still read numbers with phonenumbers themselves.
KNOWN_PARSERS: dict[str, str] = {}


def _modules() -> dict[str, tuple[Path, bool]]:
    """Every module under src/scamshield: dotted name -> (file, is a package)."""
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        is_pkg = parts[-1] == "__init__"
        if is_pkg:
            parts.pop()
        out[".".join(parts)] = (path, is_pkg)
    return out


MODULES = _modules()
# Compiled extension modules (built by setup.py from a .c file of the same name): modules too, and leaves, as
# they import nothing of scamshield; an import of one is an import of it, not of the package above.
EXTENSIONS = frozenset(".".join(p.relative_to(SRC.parent).with_suffix("").parts) for p in SRC.rglob("*.c"))


def _tree(name: str) -> ast.Module:
    return ast.parse(MODULES[name][0].read_text(encoding="utf-8"))


def _known(name: str) -> str:
    """The module ``name`` is, or else the nearest package above it that exists."""
    while name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def import_graph() -> dict[str, set[str]]:
    """module -> the scamshield modules it imports, anywhere in it (a function-level import is still an
    import: deferring it hides a tangle, it does not remove it). ``from pkg import name`` counts as an
    import of ``pkg.name`` when that is a module, else of ``pkg``. The implicit import of the packages
    above a module is not counted: a package importing its own modules is how packages work."""
    graph: dict[str, set[str]] = {}
    for name, (_path, is_pkg) in MODULES.items():
        edges: set[str] = set()
        here = name.split(".") if is_pkg else name.split(".")[:-1]
        for node in ast.walk(_tree(name)):
            if isinstance(node, ast.Import):
                edges.update(_known(a.name) for a in node.names if a.name.split(".")[0] == "scamshield")
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here[: len(here) - node.level + 1]
                    target = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    target = node.module or ""
                if target.split(".")[0] != "scamshield":
                    continue
                for a in node.names:
                    sub = f"{target}.{a.name}"
                    edges.add(sub if sub in MODULES or sub in EXTENSIONS else _known(target))
        edges.discard(name)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = set()
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    comp.add(top)
                    if top == node:
                        break
                if len(comp) > 1:
                    found.append(frozenset(comp))
    return found


def test_the_import_graph_sees_imports_inside_functions():
    graph = import_graph()
    assert "scamshield.analyzer" in graph["scamshield"]
    assert "scamshield.detectors.registry" in graph["scamshield.analyzer"]  # imported inside Analyzer.build
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [frozenset("abc")]


def test_no_import_cycles():
    found = cycles(import_graph())
    unexpected = [sorted(c) for c in found if c not in KNOWN_CYCLES]
    assert not unexpected, f"modules that import each other (directly or round a loop): {unexpected}"
    fixed = [sorted(c) for c in KNOWN_CYCLES if c not in found]
    assert not fixed, f"these cycles are gone: remove them from KNOWN_CYCLES: {fixed}"


# ----------------------------------------------------------------------------- one finder each

_PROBE = "Pay at royalmail-fees.co.uk/pay or https://secure.example.com/login, www.pay-now.xyz today"
_HOSTS = ("royalmail-fees.co.uk", "example.com", "pay-now.xyz")
_NO_LINK = "Pay the fee today, thank you. Ring 0161 496 0188 at 5:30"


def _patterns(module) -> list[tuple[str, re.Pattern]]:
    out = []
    for attr, value in vars(module).items():
        if isinstance(value, re.Pattern):
            out.append((attr, value))
        elif isinstance(value, type) and value.__module__ == module.__name__:
            out.extend((f"{attr}.{a}", v) for a, v in vars(value).items() if isinstance(v, re.Pattern))
    return out


def _literal_regexes(name: str) -> list[tuple[int, str]]:
    """Regex literals passed straight to ``re.compile``/``re.search``/... anywhere in a module."""
    out = []
    for node in ast.walk(_tree(name)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            out.append((node.lineno, node.args[0].value))
    return out


def _finds_links(pattern: re.Pattern | str) -> bool:
    """Whether a pattern picks web addresses out of text: it finds the hosts in a text full of them, and
    nothing in one without any (``\\S+`` finds hosts too, but it finds every word)."""
    rx = re.compile(pattern) if isinstance(pattern, str) else pattern
    if isinstance(rx.pattern, bytes) or rx.search(_NO_LINK):
        return False
    return any(host in m.group(0) for m in rx.finditer(_PROBE) for host in _HOSTS)


def _import(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:  # an optional extra that is not installed
        return None


def test_one_url_finder():
    """Web addresses in text are found by scamshield.mentions alone (issue 13: a second, different URL
    finder in the reports code could stall the server)."""
    finders = []
    for name in MODULES:
        if "migrations" in name or name.endswith("__main__"):
            continue
        module = _import(name)
        found = [f"{name}.{attr}" for attr, rx in (_patterns(module) if module else ()) if _finds_links(rx)]
        found += [f"{name}:{line}" for line, rx in _literal_regexes(name) if _finds_links(rx)]
        finders += found
    assert finders and all(f.startswith(("scamshield.mentions.", "scamshield.mentions:")) for f in finders), finders


def test_one_phone_number_finder():
    """Phone numbers in text are found by scamshield.mentions alone; single numbers are read by
    callerid.numbers.parse_number alone."""
    matchers, parsers = [], []
    for name in MODULES:
        for node in ast.walk(_tree(name)):
            if isinstance(node, ast.Attribute | ast.Name | ast.alias):
                ident = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) \
                    else node.name
                if ident.endswith("PhoneNumberMatcher"):
                    matchers.append(name)
                # phonenumbers.parse reads a raw string; the organisations file is checked with it on load
                if isinstance(node, ast.Attribute) and ident == "parse" and getattr(node.value, "id", "") == "phonenumbers":
                    parsers.append(name)
    assert set(matchers) == {"scamshield.mentions"}, matchers
    others = set(parsers) - {"scamshield.callerid.numbers"}
    assert others <= KNOWN_PARSERS.keys(), f"phonenumbers.parse outside callerid.numbers: {sorted(others)}"
    fixed = sorted(KNOWN_PARSERS.keys() - others)
    assert not fixed, f"these no longer parse numbers themselves: remove them from KNOWN_PARSERS: {fixed}"


# ----------------------------------------------------------------------------- no private regex internals

PRIVATE_RE = ("re._parser", "re._compiler", "re._constants", "sre_parse", "sre_compile", "sre_constants")


def _private_re_imports() -> list[str]:
    found = []
    for name in MODULES:
        for node in ast.walk(_tree(name)):
            if isinstance(node, ast.Import):
                found += [f"{name}:{node.lineno} {a.name}" for a in node.names if a.name in PRIVATE_RE]
            elif isinstance(node, ast.ImportFrom):
                mods = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
                found += [f"{name}:{node.lineno} {m}" for m in mods if m in PRIVATE_RE]
    return found


def test_the_private_regex_check_sees_an_import():
    tree = ast.parse("import re._parser as p\nfrom re import _parser\nimport sre_parse\n")
    seen = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    assert len(seen) == 3


def test_nothing_imports_cpythons_private_regex_parser():
    """The pattern detector's candidates come from Hyperscan or plain ``re`` (detectors/multimatch.py),
    never from parsing regexes with CPython's private ``re._parser``."""
    assert not _private_re_imports()


# ----------------------------------------------------------------------------- small modules, one job each

def _lines(name: str) -> int:
    return len(MODULES[name][0].read_text(encoding="utf-8").splitlines())


def test_every_module_states_its_job():
    missing = []
    for name in MODULES:
        doc = ast.get_docstring(_tree(name)) or ""
        if len(doc.split()) < 4:  # a sentence, not a word
            missing.append(name)
    assert not missing, f"modules without a docstring saying what they are for: {missing}"


def test_every_module_is_small():
    long = {name: _lines(name) for name in MODULES if _lines(name) > MAX_LINES}
    unexpected = {k: v for k, v in long.items() if k not in TOO_LONG}
    assert not unexpected, f"modules over {MAX_LINES} lines: split them by job: {unexpected}"
    split = [k for k in TOO_LONG if k not in long]
    assert not split, f"now {MAX_LINES} lines or fewer: remove from TOO_LONG: {split}"
