"""Run every benchmark (bench/bench_*.py) one after another; each writes bench/results/<name>.json.

    .venv/bin/python bench/run_all.py             # all of them
    .venv/bin/python bench/run_all.py accuracy    # only those whose name contains "accuracy"
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if any(a in s.stem for a in argv)]
    failed = []
    for script in scripts:
        print(f"==> {script.name}", flush=True)
        t = time.time()
        rc = subprocess.run([sys.executable, str(script)], cwd=HERE.parent).returncode
        print(f"    {script.name}: exit {rc} in {time.time() - t:.0f}s", flush=True)
        if rc:
            failed.append(script.name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
