"""`make bench`: each read-only question asked as an officer asks it, from a new process in a
built workspace, against `python -c "import rdflib"` on the same machine in the same run (the
target: every question at most 1.0x). Runs alternate between the question and the reference, so
a pause of the machine falls on both; each figure is the median of the runs."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(os.environ.get("BENCH_RUNS", "7"))
QUESTIONS = [
    ["serves", "HWB-4C"],
    ["supports", "CP24-PEOPLE-9"],
    ["review", "4C"],
    ["show", "HWB-4C"],
    ["list", "--plan", "HWB"],
    ["search", "procurement"],
    ["director", "Executive Director of Place"],
    ["versions"],
    ["gaps"],
    ["why", "CP24-PEOPLE-9", "HWB-4C"],
    ["matrix"],
    ["continuity"],
    ["sparql", "gaps"],
]


def _time(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True, env={**os.environ, "COLUMNS": "100"})
    return time.perf_counter() - start


def main() -> None:
    align = shutil.which("align", path=str(Path(sys.executable).parent)) or "align"
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        subprocess.run([align, "init", str(ws)], check=True, capture_output=True)
        subprocess.run([align, "build"], cwd=ws, check=True, capture_output=True)
        reference = [sys.executable, "-c", "import rdflib"]
        print(f"cold questions in a built workspace, median of {RUNS} runs, against "
              f"'python -c \"import rdflib\"' (target: ratio at most 1.0)")
        print(f"{'question':42} {'seconds':>8} {'rdflib':>8} {'ratio':>6}")
        for q in QUESTIONS:
            ours, ref = [], []
            for _ in range(RUNS):
                ours.append(_time([align, *q], ws))
                ref.append(_time(reference, ws))
            a, b = statistics.median(ours), statistics.median(ref)
            print(f"{'align ' + ' '.join(q):42} {a:8.3f} {b:8.3f} {a / b:6.2f}")


if __name__ == "__main__":
    main()
