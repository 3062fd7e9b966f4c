"""The candidate finder (detectors/multimatch.py) must never drop a regex that matches, and the pattern
detector must give the same findings with Hyperscan as with plain ``re``.

Hyperscan (pyperscan, Vectorscan) is compiled in prefilter mode from widened regexes, so its candidates may
be more than the regexes that match, never fewer: checked on every text of the flag tables and the corpus,
each also after lead-in text of several lengths (the ``hyperscan`` package this replaced lost matches that
began past byte 10 or so), on random and hostile text (Hypothesis), and, character by character over all of
Unicode, for the pieces the rules are built from (``\\w``, ``\\d``, ``\\s`` and their negations, in and
out of classes, ``.``, ``[^.\\n]``, ``\\b``). The plain path is forced with ``engine="re"``, and run as it
is where pyperscan is not installed (the import made to fail), so both are tested even where it is.
Without pyperscan, the engine's own tests are skipped.
"""

from __future__ import annotations

import importlib
import multiprocessing
import pickle
import re
import subprocess
import sys
import threading
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

TESTS = Path(__file__).resolve().parent
try:
    import pyperscan  # noqa: F401

    HAVE_HS = True
except ImportError:
    HAVE_HS = False
needs_hs = pytest.mark.skipif(not HAVE_HS, reason="the pyperscan package is not installed (scale extra)")

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
        ("£5", r"\x{a3}5"),  # non-ASCII as escapes: pyperscan refuses non-ASCII bytes in an expression
        (r"m[oó]j \é", r"m[o\x{f3}]j \x{e9}"),
        (r"[^é\w]😀", r"[^\x{e9}0-9A-Za-z_]\x{1f600}"),
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
    import pyperscan as ps

    flags = (ps.Flag.PREFILTER, ps.Flag.UTF8, ps.Flag.ALLOWEMPTY)  # the database's, every match reported
    db = ps.BlockDatabase(ps.Pattern(pattern.encode(), *flags, tag=0))
    ends: list[int] = []

    def on_match(_ctx, _tag, _start, end):
        ends.append(end)
        return ps.Scan.Continue

    db.build(None, on_match).scan(data)
    return ends


@needs_hs
@pytest.mark.parametrize(
    "python,before,after,end",
    [  # (Python regex, text before each character, text after it, where the match of interest ends)
        (r"\w", "", "", 1), (r"\d", "", "", 1), (r"\s", "", "", 1), (r"\W", "", "", 1), (r"\D", "", "", 1),
        (r"\S", "", "", 1), (r".", "", "", 1), (r"[^.\n]", "", "", 1), (r"[\w*#-]", "", "", 1),
        (r"[^\w]", "", "", 1), (r"[^\d\s]", "", "", 1), (r"[^\S]", "", "", 1), (r"[a-z0-9-]", "", "", 1),
        (r"£", "", "", 1), (r"[é£]", "", "", 1),
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


LEAD_INS = ["so ", "ok so, anyway, ", "hello there, sorry to bother you, but ",
            "i was just thinking about what you said the other day and honestly i think you might be right. "]


@needs_hs
def test_candidates_include_every_matching_regex_after_lead_ins():
    """The same texts after lead-in text of several lengths (3 to 95 characters, two a text, in turn):
    the ``hyperscan`` package's database lost a match that began more than ~10 bytes into a text."""
    for i, text in enumerate(TABLE_TEXTS):
        _check_superset(LEAD_INS[i % 4] + text)
        _check_superset(LEAD_INS[(i + 1) % 4] + LEAD_INS[(i + 2) % 4] + text)


BANK_CODE = ("(?:a|the) (?:one[- ]time |security |verification |authori[sz]ation |confirmation )?(?:pass ?code|code|otp) "
             "(?:from|sent by) (?:your |the )?(?:bank|banking app|card (?:provider|issuer))")


@needs_hs
@pytest.mark.parametrize("widened", [False, True])
def test_a_match_after_padding_is_found(widened):
    """The reproduction of the hyperscan 0.9.1 bug: this regex was reported only when the match began within
    the first ten bytes (here with and without the prefilter flags and widening)."""
    m = MultiMatcher.open([re.compile(BANK_CODE)], engine="hyperscan", build="now")
    if not widened:
        import pyperscan as ps

        db = ps.BlockDatabase(ps.Pattern(BANK_CODE.encode(), tag=0))
        got: list[int] = []
        scanner = db.build(got, lambda ctx, tag, _s, _e: (ctx.append(tag), ps.Scan.Continue)[1])
    for n in range(0, 80):
        text = "x" * n + " and a code from your bank"
        if widened:
            assert m.candidates(text) == [0], n
        else:
            got.clear()
            scanner.scan(text.encode())
            assert got == [0], n


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


# ---------------------------------------------------------------------------------------------- build policy

REGEXES = [re.compile(p) for p in (r"gift ?cards?", r"(?:\w+ )?code", r"\d{3,4}", r"(?i)hmrc", r"\N{EM DASH}",
                                   r"\u00a3\d")]


@pytest.fixture
def fresh(monkeypatch):
    """No database compiled yet in this process, and no ``compile_at_start`` (both restored afterwards)."""
    monkeypatch.setattr(multimatch, "_compiled", {})
    monkeypatch.setattr(multimatch, "_eager", False)


def test_plain_engine_compiles_nothing():
    m = MultiMatcher.open(REGEXES, engine="re", build="now")
    assert m.engine == "re" and m.widened is None and m.compile().engine == "re"
    assert m.candidates("a gift card code 1234") == [0, 1, 2]


def test_flags_outside_the_pattern_are_refused():
    with pytest.raises(ValueError):
        MultiMatcher.open([re.compile("x", re.IGNORECASE)])
    with pytest.raises(ValueError):
        MultiMatcher.open(REGEXES, build="background")  # the detached build is gone


@needs_hs
def test_build_now_and_never(fresh):
    never = MultiMatcher.open(REGEXES, build="never")
    assert never.engine == "re" and not multimatch._compiled
    for _ in range(3):
        assert never.candidates("a gift card") == [0]  # plain, however often
    assert never.engine == "re"
    now = MultiMatcher.open(REGEXES, build="now")
    assert now.engine == "hyperscan" and len(multimatch._compiled) == 1
    # "(?i)hmrc" (inline flags), "\N{...}" and "\u00a3" (which Hyperscan refuses) are candidates for every text
    assert now.candidates("a gift card") == [0, 3, 4, 5]
    assert now.candidates("HMRC £5 code 12") == [1, 3, 4, 5]
    assert MultiMatcher.open(REGEXES, engine="re").candidates("HMRC £5 code 12") == [1, 3, 5]
    assert now.candidates("HMRC £5 code 123") == [1, 2, 3, 4, 5]
    assert now.candidates("") == [3, 4, 5]
    assert never.compile().engine == "hyperscan"  # compiled once per process: the same database
    assert never._db is now._db and len(multimatch._compiled) == 1
    assert MultiMatcher.open(REGEXES, build="never").engine == "hyperscan"  # already compiled here


@needs_hs
def test_auto_compiles_once_plain_search_has_cost_a_compile(fresh, monkeypatch):
    m = MultiMatcher.open(REGEXES)  # build="auto", the default
    assert m.engine == "re"
    monkeypatch.setattr(multimatch, "COMPILE_AFTER_S", 1e9)
    for _ in range(50):
        assert m.candidates("a gift card") == [0]
    assert m.engine == "re" and m._plain_s > 0
    monkeypatch.setattr(multimatch, "COMPILE_AFTER_S", m._plain_s)
    assert m.candidates("a gift card") == [0]  # this one still plain, then the compile
    assert m.engine == "hyperscan" and m.candidates("a gift card") == [0, 3, 4, 5]


@needs_hs
def test_one_message_does_not_compile(fresh):
    """``scamshield check`` on one message: the default detector answers plainly, no compile paid."""
    det = PatternDetector.from_rules()
    for text in TABLE_TEXTS[:20]:
        assert det.analyze(make_unit(text)) == PLAIN.analyze(make_unit(text))
    assert det.matcher.engine == "re" and not multimatch._compiled


@needs_hs
def test_a_failed_compile_leaves_the_plain_path(fresh, monkeypatch):
    def broken(_widened):
        raise RuntimeError("no SSSE3 here")

    monkeypatch.setattr(multimatch, "compile_database", broken)
    m = MultiMatcher.open(REGEXES, build="now")
    assert m.engine == "re" and m.widened is None and m.candidates("a gift card") == [0]
    with pytest.raises(RuntimeError):
        MultiMatcher.open(REGEXES, engine="hyperscan", build="now")


@needs_hs
def test_compile_at_start_compiles_open_and_later_auto_matchers(fresh):
    early, never = MultiMatcher.open(REGEXES), MultiMatcher.open(REGEXES[:2], build="never")
    multimatch.compile_at_start()
    assert early.engine == "hyperscan" and never.engine == "re"
    assert MultiMatcher.open(REGEXES[1:]).engine == "hyperscan"  # opened afterwards: compiled at open


@needs_hs
def test_batch_scan_and_server_compile_at_start(fresh, monkeypatch):
    """``scamshield scan`` (one process or many, and each Ray worker: ``Scanner``) and ``scamshield serve``
    (``create_app``, before its workers fork) compile the patterns' database before the first text."""
    from scamshield import scan

    calls = []
    monkeypatch.setattr(multimatch, "compile_at_start", lambda: calls.append(1))
    scan.Scanner(analyzer=None)._analyzer()
    assert calls
    server = (TESTS.parent / "src" / "scamshield" / "server" / "app.py").read_text(encoding="utf-8")
    assert server.index("compile_at_start()") < server.index("app.state.analyzer = _analyzer(")
    source = (TESTS.parent / "src" / "scamshield" / "scan.py").read_text(encoding="utf-8")
    assert source.count("compile_at_start()") == 2  # Scanner._analyzer, and the parent before forking


@needs_hs
def test_a_pickled_matcher_compiles_again_where_it_was_compiled(fresh):
    m = MultiMatcher.open(REGEXES, build="now")
    copy = pickle.loads(pickle.dumps(m))
    assert copy.engine == "hyperscan" and copy.candidates("gift card") == m.candidates("gift card")
    multimatch._compiled.clear()
    lazy = pickle.loads(pickle.dumps(MultiMatcher.open(REGEXES[:3])))  # auto, not compiled yet: stays plain
    assert lazy.engine == "re" and lazy.build == "auto" and lazy.candidates("gift card") == [0]


@needs_hs
def test_threads_each_scan_with_their_own_scanner():
    """A pyperscan scanner is not shared between threads ("Already borrowed"): each thread builds its own."""
    m = FAST.matcher
    texts = [make_unit(t).norm for t in TABLE_TEXTS[:40]]
    want = [m.candidates(t) for t in texts]
    errors: list[BaseException] = []

    def run() -> None:
        try:
            for _ in range(5):
                assert [m.candidates(t) for t in texts] == want
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:1]


def _forked_candidates(text: str) -> list[int]:
    return FAST.matcher.candidates(text)


@needs_hs
@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")
def test_forked_workers_use_the_database_compiled_before_the_fork():
    texts = [make_unit(t).norm for t in TABLE_TEXTS[:30]]
    want = [FAST.matcher.candidates(t) for t in texts]
    with multiprocessing.get_context("fork").Pool(2) as pool:
        assert pool.map(_forked_candidates, texts) == want


def test_setup_installs_pyperscan_and_prebuilds_nothing():
    setup = (TESTS.parent / "scripts" / "setup").read_text(encoding="utf-8")
    assert "scale" in setup and "scamshield.detectors.patterns" not in setup
    pyproject = (TESTS.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'"pyperscan==[\d.]+', pyproject) and '"hyperscan' not in pyproject


def test_the_module_command_compiles_or_explains():
    out = subprocess.run([sys.executable, "-m", "scamshield.detectors.patterns"], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert ("database of" in out.stdout) if HAVE_HS else ("not installed" in out.stdout)


# ------------------------------------------------------------------------------ without pyperscan installed

def test_without_pyperscan_the_plain_path_gives_the_same_findings(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyperscan", None)  # "import pyperscan" now fails, as when not installed
    assert not MultiMatcher.available()
    with pytest.raises(ImportError):
        MultiMatcher.open(REGEXES, engine="hyperscan")
    bare = PatternDetector.from_rules(build="now")  # engine "auto": plain, nothing to compile
    assert bare.matcher.engine == "re" and bare.matcher.widened is None
    for text in TABLE_TEXTS:
        unit = make_unit(text)
        assert bare.analyze(unit) == FAST.analyze(unit), text
    if HAVE_HS:  # a compiled matcher unpickled where pyperscan is missing: plain
        copy = pickle.loads(pickle.dumps(FAST.matcher))
        assert copy.engine == "re" and copy.candidates("gift card") == PLAIN.matcher.candidates("gift card")
    from scamshield.detectors import patterns

    assert patterns.main() == 0
