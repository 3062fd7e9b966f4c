"""A built wheel (not the editable checkout) must carry its rules, model and web page: a fresh
`pip install scamshield` has to work without the source tree or ../shared."""

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    r = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    if r.returncode != 0:
        pytest.fail(f"wheel build failed: {r.stderr[-2000:]}")
    return next(out.glob("scamshield-*.whl"))


def test_wheel_carries_data_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ["scamshield/rules/scores.yaml", "scamshield/rules/flags/red_flags.yaml",
                     "scamshield/rules/advice.yaml", "scamshield/rules/scam_types.yaml",
                     "scamshield/rules/organisations.yaml", "scamshield/data/model.json.gz"]:
        assert required in names, f"{required} missing from the wheel"


def test_installed_wheel_works_without_the_source_tree(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    deps = sysconfig.get_paths()["purelib"]
    # -S skips .pth files, so the editable checkout cannot shadow the installed wheel.
    code = (
        "import sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]\n"
        "import scamshield; assert 'site' in scamshield.__file__, scamshield.__file__\n"
        "v = scamshield.analyze('HMRC: pay the tax you owe in iTunes vouchers today or be arrested')\n"
        "print(v.verdict, sorted(f.id for f in v.flags))\n"
    )
    r = subprocess.run([sys.executable, "-S", "-c", code, str(target), deps], capture_output=True, text=True,
                       timeout=120, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("scam") and "PAYMENT_GIFT_CARDS" in r.stdout
