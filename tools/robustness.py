"""Try every bad, hostile and faulty input of tools/robustness_cases.py and print what happened:
one row per case, then the totals (crashes, files left half-written and payloads that ran in a
browser should all be 0).

    python tools/robustness.py [--no-browser] [NAME-FRAGMENT ...]

Maps written by hostile cases are opened in Debian's Chromium ($CHROMIUM, else
/usr/bin/chromium) through Playwright. Exits 1 if any case did not behave as expected.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import robustness_cases as rc  # noqa: E402


def main(argv: list[str]) -> int:
    browser = "--no-browser" not in argv
    wanted = [a.lower() for a in argv if not a.startswith("--")]
    cases = [c for c in rc.CASES if not wanted or any(w in c.name.lower() for w in wanted)]
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    where = Path(tempfile.mkdtemp(prefix="align-robustness-"))
    rows = []
    totals = {"tried": 0, "clear errors": 0, "warnings": 0, "ok": 0, "crashes": 0,
              "half-written": 0, "payloads executed": 0, "not as expected": 0}
    try:
        for case in cases:
            start = time.monotonic()
            obs = rc.run_case(case, where)
            executed = "-"
            if case.html and browser and obs.code == 0:
                page = rc.case_dir(case, where) / case.html
                if not page.is_file():
                    obs.problems.append(f"{case.html} was not written")
                else:
                    ran = rc.payload_executed(page, chromium)
                    executed = "yes" if ran else "no"
                    totals["payloads executed"] += ran
            totals["tried"] += 1
            totals["clear errors"] += obs.clear_error
            totals["warnings"] += obs.observed == "warning"
            totals["ok"] += obs.observed == "ok"
            totals["crashes"] += obs.crashed
            totals["half-written"] += bool(obs.half_written)
            good = not obs.problems and not obs.crashed and not obs.half_written and executed != "yes"
            totals["not as expected"] += not good
            message = (obs.err.strip() or next(iter(obs.new_warnings), "")
                       or obs.note).removeprefix("error: ")
            message = message.replace(f"{where}/", "")
            rows.append((case.group, case.name, case.expect, obs.observed,
                         "yes" if obs.half_written else "no", executed,
                         "ok" if good else "FAIL", f"{time.monotonic() - start:.1f}",
                         "; ".join(obs.problems + obs.half_written) or message))
            print(f"  {rows[-1][6]:4} {case.name}", file=sys.stderr)
    finally:
        shutil.rmtree(where, ignore_errors=True)
    head = ("group", "case", "expected", "observed", "half-written", "payload ran", "result", "s",
            "message")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head) - 1)]
    for r in [head, *rows]:
        cells = [str(c).ljust(w) for c, w in zip(r, widths, strict=False)]
        print("  ".join(cells) + "  " + str(r[-1])[:90])
    print()
    for name, n in totals.items():
        print(f"{name:>18}: {n}")
    return 1 if totals["not as expected"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
