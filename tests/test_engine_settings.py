"""The engine's data is passed in (issue 14): ``Analyzer.build(rules=..., model=..., organisations=...)``;
the SCAMSHIELD_* environment variables are only the defaults, read in settings.py when an analyzer is
built, never inside the checks."""

from __future__ import annotations

import ast
import gzip
import json
from pathlib import Path

import scamshield
from scamshield import Analyzer, Message
from scamshield.settings import EngineSettings

SRC = Path(scamshield.__file__).resolve().parent
ACME = """organisations:
  - id: acme_bank
    name: Acme Bank
    kind: bank
    aliases: [acme bank]
    domains: [acmebank.example]
    numbers:
      - number: "+442079460000"
        label: Customer services
        source: test
"""
TEXT = "Acme Bank: your card is blocked, call 020 7946 0999 now"


def _flags(verdict) -> dict[str, object]:
    return {f.id: f for f in verdict.flags}


def test_organisations_are_passed_in(tmp_path, monkeypatch):
    monkeypatch.delenv("SCAMSHIELD_ORGANISATIONS", raising=False)
    path = tmp_path / "orgs.yaml"
    path.write_text(ACME, encoding="utf-8")
    mine = Analyzer.build(organisations=str(path)).analyze(Message(text=TEXT))
    shipped = Analyzer.default().analyze(Message(text=TEXT))
    assert "Acme Bank" in _flags(mine)["CALLBACK_NUMBER_MISMATCH"].note
    assert "CALLBACK_NUMBER_MISMATCH" not in _flags(shipped)  # the shipped file has no Acme Bank


def test_a_rules_overlay_is_passed_in(tmp_path, monkeypatch):
    monkeypatch.delenv("SCAMSHIELD_RULES_OVERLAY", raising=False)
    path = tmp_path / "overlay.yaml"
    path.write_text("weights: {CLAIMS_TAX_AUTHORITY: 0.25}\n", encoding="utf-8")
    text = "HMRC: you owe tax, pay today"
    mine = _flags(Analyzer.build(rules=str(path)).analyze(Message(text=text)))
    shipped = _flags(Analyzer.default().analyze(Message(text=text)))
    assert mine["CLAIMS_TAX_AUTHORITY"].weight == 0.25
    assert shipped["CLAIMS_TAX_AUTHORITY"].weight != 0.25


def _tiny_model(path: Path, bias: float) -> None:
    head = {"heads": ["scam", "spam"], "bias": [bias, -5.0], "platt": [[1.0, 0.0], [1.0, 0.0]],
            "decision_logit": [0.0, 0.0], "words": {"hello": [0.0, 0.0]}, "chars": {}}
    path.write_bytes(gzip.compress(json.dumps({"format": 2, "channels": {"sms": head, "call": head}}).encode()))


def test_a_model_is_passed_in(tmp_path, monkeypatch):
    monkeypatch.delenv("SCAMSHIELD_MODEL", raising=False)
    path = tmp_path / "model.json.gz"
    _tiny_model(path, 6.0)  # reads everything as a scam
    text = "see you at the station at five, love mum"
    mine = _flags(Analyzer.build(model=str(path)).analyze(Message(text=text)))
    assert "MODEL_SCAM" in mine and "probability scam 1.00" in mine["MODEL_SCAM"].note
    assert "MODEL_SCAM" not in _flags(Analyzer.default().analyze(Message(text=text)))


def test_the_environment_is_the_default(tmp_path, monkeypatch):
    path = tmp_path / "orgs.yaml"
    path.write_text(ACME, encoding="utf-8")
    monkeypatch.setenv("SCAMSHIELD_ORGANISATIONS", str(path))
    assert EngineSettings.from_env().organisations == str(path)
    assert "CALLBACK_NUMBER_MISMATCH" in _flags(Analyzer.default().analyze(Message(text=TEXT)))
    assert "CALLBACK_NUMBER_MISMATCH" in _flags(Analyzer.build().analyze(Message(text=TEXT)))
    monkeypatch.delenv("SCAMSHIELD_ORGANISATIONS")
    assert "CALLBACK_NUMBER_MISMATCH" not in _flags(Analyzer.default().analyze(Message(text=TEXT)))


# Where the core may read the environment: settings.py (the engine's data), and the command line's colour.
# The rest of the package (server, calls, learn, reports) reads its own settings at its own edge.
ENV_READERS = {"scamshield.settings", "scamshield.cli", "scamshield.callerid.checks"}
EDGES = ("scamshield.server", "scamshield.calls", "scamshield.learn", "scamshield.scan", "scamshield.reports")


def test_the_core_reads_the_environment_in_one_place():
    found = set()
    for path in SRC.rglob("*.py"):
        name = ".".join(path.relative_to(SRC.parent).with_suffix("").parts).removesuffix(".__init__")
        if name.startswith(EDGES):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv") and \
                    getattr(node.value, "id", "") == "os":
                found.add(name)
    assert found <= ENV_READERS, sorted(found - ENV_READERS)
