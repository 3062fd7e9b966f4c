"""House rules that keep the core small: no web/CLI/audio imports, a curated public API."""

import subprocess
import sys

import scamshield

CORE = [
    "scamshield",
    "scamshield.analyzer",
    "scamshield.scoring",
    "scamshield.preprocess",
    "scamshield.models",
    "scamshield.inputs",
    "scamshield.advice",
    "scamshield.detectors.registry",
]
FORBIDDEN = ["fastapi", "starlette", "uvicorn", "sqlalchemy", "typer", "argparse", "torch", "sklearn",
             "numpy", "faster_whisper", "ctranslate2", "soundfile", "sounddevice", "pocketsphinx"]


def test_core_imports_no_web_cli_audio_or_ml_libraries():
    code = (
        "import sys\n"
        f"for m in {CORE!r}: __import__(m)\n"
        "from scamshield import Analyzer, analyze\n"
        "Analyzer.default(); analyze('HMRC: pay now')\n"
        f"bad = [m for m in {FORBIDDEN!r} if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "", f"core pulled in: {r.stdout.strip()}"


def test_public_api_is_sorted_and_importable():
    assert scamshield.__all__ == sorted(scamshield.__all__)
    for name in scamshield.__all__:
        assert hasattr(scamshield, name)
