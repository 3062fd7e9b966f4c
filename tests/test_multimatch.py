"""The candidate finder (detectors/multimatch.py) must never drop a regex that matches, and the pattern
detector must give the same findings with Hyperscan as with plain ``re``.

Hyperscan is compiled in prefilter mode from widened regexes, so its candidates may be more than the
regexes that match, never fewer: checked on every text of the flag tables and the corpus, on random and
hostile text (Hypothesis), and, character by character over all of Unicode, for the pieces the rules
are built from (``\\w``, ``\\d``, ``\\s`` and their negations, in and out of classes, ``.``, ``[^.\\n]``,
``\\b``). The plain path is forced with ``engine="re"``, and run as it is where Hyperscan is not installed
(the import made to fail), so both are tested even where Hyperscan is installed.
"""

from __future__ import annotations

import importlib
import os
import pickle
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scamshield.detectors import multimatch
from scamshield.detectors.multimatch import MultiMatcher
from scamshield.detectors.patterns import PatternDetector, split_alternatives
from scamshield.detectors.widen import widen
from scamshield.preprocess import make_unit
from scamshield.settings import CACHE_ENV

TESTS = Path(__file__).resolve().parent
try:
    import hyperscan  # noqa: F401

    HAVE_HS = True
except ImportError:
    HAVE_HS = False
needs_hs = pytest.mark.skipif(not HAVE_HS, reason="the hyperscan package is not installed (scale extra)")

PLAIN = PatternDetector.from_rules(engine="re")
FAST = PatternDetector.from_rules(build="now") if HAVE_HS else PLAIN


# ---------------------------------------------------------------------------------------------- widening

NA = r"\x{80}-\x{10ffff}"  # every non-ASCII character


@pytest.mark.parametrize(
    "pattern,widened",
    [
        ("abc", "abc"),
        (r"(?:\w+ )?code", rf"(?:[0-9A-Za-z_{NA}]+ )?code"),
        (r"[\w*#-]{1,20} ", rf"[0-9A-Za-z_{NA}*#-]{{1,}} "),
        (r"[^\w]x", r"[^0-9A-Za-z_]x"),  # within a negated class, only the ASCII members: the class grows
        (r"\S{0,60}?", r"[^\t-\r\x1c-\x20]{0,}?"),
        (r"[^\S]", r"[\x00-\x{10ffff}]"),
        (r"[^.\n]{0,60}now", r"[^.\n]{0,}now"),
        (r"\d{3,4}", rf"[0-9{NA}]{{3,}}"),
        (r"x{3}", r"x{3}"),  # an exact count stays
        (r"x{,5}", r"x{0,}"),  # Python's {,n}; Hyperscan would read it as text
        (r"\{1,2\}", r"\{1,2\}"),  # escaped braces are text
        (r"[{1,2}]", r"[{1,2}]"),  # so are braces in a class
        (r"[]\w]", rf"[]0-9A-Za-z_{NA}]"),  # "]" first in a class is a literal
        (r"\\w", r"\\w"),  # an escaped backslash, then "w"
        (r"\bbt\b", r"\bbt\b"),  # beside a literal ASCII word character, \b stays
        (r"\b\d{3}\b", rf"[0-9{NA}]{{3}}"),  # elsewhere it goes
        (r"\bx?y", r"x?y"),
        (r"(?<!\d)09(?!\d)", "09"),  # look-arounds go
        (r"ab(?=[^\n]{0,100}(?:if (?:you|x)|[)]))c", "abc"),
        ("(?i)hmrc", ""),  # inline flags: the empty pattern, a candidate for every text
        ("(?i:hmrc)", ""),
        ("[[:alpha:]]", ""),
    ],
)
def test_widen(pattern, widened):
    assert widen(pattern) == widened


def test_split_alternatives_respects_groups_classes_and_escapes():
    assert split_alternatives(r"a|(?:b|c)|[|]|\||d") == ["a", "(?:b|c)", "[|]", r"\|", "d"]


def test_every_rule_alternative_compiles_separately():
    for rule in PLAIN.rules:
        assert rule.alternatives and all(isinstance(rx, re.Pattern) for rx, _ in rule.alternatives)


# ------------------------------------------------------------------- Hyperscan's pieces against Python's

_CHARS = [chr(c) for c in range(1, 0x110000) if not 0xD800 <= c <= 0xDFFF and c != 10]  # "\n" separates them


def _hs_ends(pattern: str, data: bytes) -> list[int]:
    """End offsets (bytes) of every match of ``pattern`` in ``data``, compiled as the database's are."""
    import hyperscan as hs

    db = hs.Database(mode=hs.HS_MODE_BLOCK)
    flags = multimatch._flags(hs) & ~hs.HS_FLAG_SINGLEMATCH  # the database's flags, every match reported
    db.compile(expressions=[pattern.encode()], ids=[0], elements=1, flags=[flags])
    ends: list[int] = []
    db.scan(data, match_event_handler=lambda _i, _s, e, _f, _c: ends.append(e))
    return ends


@needs_hs
@pytest.mark.parametrize(
    "python,before,after,end",
    [  # (Python regex, text before each character, text after it, where the match of interest ends)
        (r"\w", "", "", 1), (r"\d", "", "", 1), (r"\s", "", "", 1), (r"\W", "", "", 1), (r"\D", "", "", 1),
        (r"\S", "", "", 1), (r".", "", "", 1), (r"[^.\n]", "", "", 1), (r"[\w*#-]", "", "", 1),
        (r"[^\w]", "", "", 1), (r"[^\d\s]", "", "", 1), (r"[^\S]", "", "", 1), (r"[a-z0-9-]", "", "", 1),
        (r"£", "", "", 1),
        (r"a\b", "a", "", 1),  # a word boundary after "a", before the character
        (r"\ba", "", "a", 2),  # one after the character, before "a"
    ],
)
def test_hyperscan_reads_each_character_as_widely_as_python(python, before, after, end):
    """Every character Python's regex accepts, Hyperscan's widened one accepts too (all of Unicode)."""
    lines = [before + c + after for c in _CHARS]
    text = "\n".join(lines) + "\n"
    py_ends = {m.end() for m in re.finditer(python, text)}
    hs_ends = set(_hs_ends(widen(python), text.encode()))
    missed, pos, byte = [], 0, 0
    for c, line in zip(_CHARS, lines, strict=True):
        if pos + end in py_ends and byte + len(line[:end].encode()) not in hs_ends:
            missed.append(hex(ord(c)))
        pos += len(line) + 1
        byte += len(line.encode()) + 1
    assert not missed, f"{python}: Hyperscan rejects {missed[:10]} ({len(missed)} characters)"


# ---------------------------------------------------------------------------------------------- exactness

TABLE_MODULES = [p.stem for p in sorted(TESTS.glob("test_flags_*.py"))] + ["test_links", "test_intent"]


def _table_texts() -> list[str]:
    """Every text of the table-driven flag tests and of the regression corpus."""
    texts: list[str] = []
    for name in TABLE_MODULES:
        mod = importlib.import_module(name)
        for value in vars(mod).values():
            if isinstance(value, list):
                for item in value:
                    vals = getattr(item, "values", item)
                    if isinstance(vals, tuple) and vals and isinstance(vals[0], str):
                        texts.append(vals[0])
    corpus = yaml.safe_load((TESTS / "corpus" / "messages.yaml").read_text(encoding="utf-8"))["messages"]
    texts += [e["text"] for e in corpus]
    for call in yaml.safe_load((TESTS / "corpus" / "calls.yaml").read_text(encoding="utf-8"))["calls"]:
        texts += [t["text"] for t in call["turns"]]
    return texts


TABLE_TEXTS = _table_texts()


def test_the_table_texts_were_found():
    """Every row of every table (``ROWS``, ``VERDICTS``), every corpus message and every call turn."""
    rows = sum(len(getattr(importlib.import_module(name), table, ()))
               for name in TABLE_MODULES for table in ("ROWS", "VERDICTS"))
    corpus = yaml.safe_load((TESTS / "corpus" / "messages.yaml").read_text(encoding="utf-8"))["messages"]
    calls = yaml.safe_load((TESTS / "corpus" / "calls.yaml").read_text(encoding="utf-8"))["calls"]
    assert rows > 300 and len(corpus) > 50 and len(calls) > 10
    assert len(TABLE_TEXTS) == rows + len(corpus) + sum(len(c["turns"]) for c in calls)


def _check_superset(text: str) -> None:
    norm = make_unit(text).norm
    got = FAST.matcher.candidates(norm)
    assert got == sorted(set(got))
    missed = {i for i, rx in enumerate(PLAIN.matcher.regexes) if rx.search(norm)} - set(got)
    assert not missed, [(PLAIN.rules[PLAIN._keys[i][0]].flag, PLAIN.matcher.regexes[i].pattern[:60]) for i in missed]


@needs_hs
def test_candidates_include_every_matching_regex_on_the_table_texts():
    assert FAST.matcher.engine == "hyperscan"
    for text in TABLE_TEXTS:
        _check_superset(text)


def test_plain_candidates_are_exactly_the_matching_regexes():
    for text in TABLE_TEXTS[::7]:
        norm = make_unit(text).norm
        assert PLAIN.matcher.candidates(norm) == [i for i, rx in enumerate(PLAIN.matcher.regexes) if rx.search(norm)]


def test_both_engines_give_the_same_findings_on_the_table_texts():
    for text in TABLE_TEXTS:
        unit = make_unit(text)
        assert FAST.analyze(unit) == PLAIN.analyze(unit), text


PIECES = st.sampled_from(
    ["hmrc ", "court order ", "itunes ", "gift card ", "read me the codes ", "press 1 ", "call back ",
     "0161 496 0000 ", "urgent ", "don't tell your bank ", "safe account ", "t&c ", "dob ", "£1.50/min ",
     "hi mum ", "anydesk ", "win a ", "your account has been suspended ", "ups ", "6 digit code ", "x", " ",
     ".", "\n", "-", "'", "é", "\u00a0", "\u2003", "\u0660", "٣", "ſ", "K", "\u200b", "😀", "阿", "_", "*#"]
)
TEXTS = st.one_of(
    st.lists(PIECES, min_size=1, max_size=40).map("".join),
    st.text(max_size=200),
    st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=30).map("".join),
)


@needs_hs
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_candidates_include_every_matching_regex_on_random_text(text):
    _check_superset(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_both_engines_give_the_same_findings_on_random_text(text):
    unit = make_unit(text)
    assert FAST.analyze(unit) == PLAIN.analyze(unit)


HOSTILE = ["a" * 20_000, "call " * 4_000, "0" * 20_000, "h.m.r.c." * 2_500, "your account " * 1_500,
           "\u200b".join("hmrc" * 2_000), "£" + "1," * 10_000, "hi mum " * 3_000, "é阿😀 " * 5_000]


@pytest.mark.parametrize("text", HOSTILE, ids=[f"hostile{i}" for i in range(len(HOSTILE))])
def test_hostile_text_same_candidates_and_findings(text):
    _check_superset(text)
    unit = make_unit(text)
    assert FAST.analyze(unit) == PLAIN.analyze(unit)


def test_a_lone_surrogate_is_answered_plainly():
    text = "hmrc: your account has been suspended \ud800 call now"
    assert FAST.matcher.candidates(text) == PLAIN.matcher.candidates(text)
    assert FAST.analyze(make_unit(text)) == PLAIN.analyze(make_unit(text))


# ---------------------------------------------------------------------------------------------- the cache

REGEXES = [re.compile(p) for p in (r"gift ?cards?", r"(?:\w+ )?code", r"\d{3,4}", r"(?i)hmrc", r"\u00a3\d")]


def test_plain_engine_needs_no_cache(tmp_path):
    m = MultiMatcher.open(REGEXES, engine="re", root=tmp_path)
    assert m.engine == "re" and m.path is None and not list(tmp_path.iterdir())
    assert m.candidates("a gift card code 1234") == [0, 1, 2]


def test_flags_outside_the_pattern_are_refused():
    with pytest.raises(ValueError):
        MultiMatcher.open([re.compile("x", re.IGNORECASE)])


@needs_hs
def test_built_once_then_loaded(tmp_path):
    assert MultiMatcher.open(REGEXES, build="never", root=tmp_path).engine == "re"
    assert not list(tmp_path.iterdir())  # never built: nothing written
    built = MultiMatcher.open(REGEXES, build="now", root=tmp_path)
    assert built.engine == "hyperscan" and built.path.is_file() and built.path.parent == tmp_path
    assert [p.name for p in tmp_path.iterdir()] == [built.path.name]  # no temporary file left behind
    multimatch._loaded.clear()  # as a new process would: load from the file
    again = MultiMatcher.open(REGEXES, build="never", root=tmp_path)
    assert again.engine == "hyperscan"
    # "(?i)hmrc" and "\u00a3" (which Hyperscan refuses) are candidates for every text; the rest as they match
    assert again.candidates("a gift card") == [0, 3, 4]
    assert again.candidates("HMRC £5 code 12") == [1, 3, 4]
    assert MultiMatcher.open(REGEXES, engine="re").candidates("HMRC £5 code 12") == [1, 3, 4]
    assert again.candidates("HMRC £5 code 123") == [1, 2, 3, 4]


@needs_hs
def test_a_damaged_cache_file_is_rebuilt(tmp_path):
    path = MultiMatcher.open(REGEXES, build="now", root=tmp_path).path
    path.write_bytes(b"not a database")
    multimatch._loaded.clear()
    assert MultiMatcher.open(REGEXES, build="never", root=tmp_path).engine == "re"
    assert MultiMatcher.open(REGEXES, build="now", root=tmp_path).engine == "hyperscan"


@needs_hs
def test_a_pickled_matcher_loads_its_database_again(tmp_path):
    m = MultiMatcher.open(REGEXES, build="now", root=tmp_path)
    copy = pickle.loads(pickle.dumps(m))
    assert copy.engine == "hyperscan" and copy.candidates("gift card") == m.candidates("gift card")


_BUILD_ONE = """
import re, sys
from pathlib import Path
from scamshield.detectors.multimatch import MultiMatcher
regexes = [re.compile(p) for p in sys.argv[2:]]
m = MultiMatcher.open(regexes, build="now", root=Path(sys.argv[1]))
print(m.engine, m.path)
"""


@needs_hs
def test_processes_building_at_once_leave_one_whole_file(tmp_path):
    patterns = [r"[\w*#-]{1,20} (?:has |have )?been suspended", r"(?:read|tell) (?:me )?the codes?", "x{2,9}y"]
    procs = [subprocess.Popen([sys.executable, "-c", _BUILD_ONE, str(tmp_path), *patterns], stdout=subprocess.PIPE,
                              text=True) for _ in range(4)]
    outs = [p.communicate(timeout=300)[0].split() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert {o[0] for o in outs} == {"hyperscan"} and len({o[1] for o in outs}) == 1
    assert [p.name for p in tmp_path.iterdir()] == [Path(outs[0][1]).name]
    multimatch._loaded.clear()
    m = MultiMatcher.open([re.compile(p) for p in patterns], build="never", root=tmp_path)
    assert m.engine == "hyperscan" and m.candidates("my card has been suspended; read the code xxy") == [0, 1, 2]


@needs_hs
def test_a_missing_database_is_built_in_the_background(tmp_path, monkeypatch):
    monkeypatch.setattr(multimatch, "_LOOK_EVERY_S", 0.0)
    regexes = [re.compile(r"(?:\w+ ){0,3}background build \d{2,5}")]
    m = MultiMatcher.open(regexes, root=tmp_path)  # build="background": start-up does not wait
    assert m.candidates("a background build 42") == [0]  # answered plainly meanwhile
    deadline = time.monotonic() + 240
    while m.engine != "hyperscan" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert m.engine == "hyperscan"
    assert m.candidates("a background build 42") == [0] and m.candidates("nothing") == []
    assert [p.name for p in tmp_path.iterdir()] == [m.path.name]  # the build's spec file is gone too


def test_setup_builds_the_shipped_database():
    setup = (TESTS.parent / "scripts" / "setup").read_text(encoding="utf-8")
    assert "python -m scamshield.detectors.patterns" in setup


def test_the_module_command_builds_or_explains(tmp_path):
    env = {**os.environ, CACHE_ENV: str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "scamshield.detectors.patterns"], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert ("Hyperscan database of" in out.stdout) if HAVE_HS else ("not installed" in out.stdout)
    if HAVE_HS:  # the very database the detector then loads
        multimatch._loaded.clear()
        m = MultiMatcher.open(PLAIN.matcher.regexes, build="never", root=tmp_path)
        assert m.engine == "hyperscan" and [p.name for p in tmp_path.iterdir()] == [m.path.name]


# ------------------------------------------------------------------------------ without Hyperscan installed

def test_without_hyperscan_the_plain_path_gives_the_same_findings(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "hyperscan", None)  # "import hyperscan" now fails, as when not installed
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    assert not MultiMatcher.available()
    with pytest.raises(ImportError):
        MultiMatcher.open(REGEXES, engine="hyperscan")
    bare = PatternDetector.from_rules()  # the defaults: engine "auto", build "background"
    assert bare.matcher.engine == "re" and bare.matcher.path is None
    for text in TABLE_TEXTS:
        unit = make_unit(text)
        assert bare.analyze(unit) == FAST.analyze(unit), text
    assert not list(tmp_path.iterdir())  # nothing built, nothing started
    from scamshield.detectors import patterns

    assert patterns.main() == 0
