"""Bad, hostile and faulty input: every case of tools/robustness_cases.py (the registry that
`make robustness` prints as a table) gives what it expects: a one-line error naming the file and
line with nothing written, or a completed build that names the problem; never a traceback, a
half-written file, or a payload that runs in a browser."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import robustness_cases as rc  # noqa: E402

BROWSER_FLAGS = rc.BROWSER_FLAGS  # the browser fixture's (tests/conftest.py)

#: writers at once: 3 trials a pair here (tests/test_curated_writes.py pins the lock itself);
#: `make robustness` tries 20
os.environ.setdefault("ALIGN_ROBUSTNESS_TRIALS", "3")


@pytest.fixture(scope="module")
def where(tmp_path_factory: pytest.TempPathFactory, built_workspace: Path) -> Path:
    """Where the cases run: each copies the template, the workspace built once per test run."""
    where = tmp_path_factory.mktemp("robustness")
    rc.make_template(where, built_workspace,
                     (built_workspace.parent / "build.out").read_text(encoding="utf-8"))
    return where


def test_every_group_has_cases() -> None:
    groups = {c.group for c in rc.CASES}
    assert groups == {"source", "curated", "import", "hostile", "query", "kill", "concurrent"}
    assert len({c.name for c in rc.CASES}) == len(rc.CASES)  # names are unique


def _builds(case: rc.Case) -> bool:
    """Whether a case runs a whole build in a new process (a few seconds or more): a build that
    is to complete, one that is killed or run twice at once, or an import that is then built."""
    return (case.group in {"kill", "concurrent"}
            or (case.args == ("build",) and case.expect != "error")
            or case.check in (rc.hostile_import, rc.formulas_stay_text) or case.slow)


def _marks(case: rc.Case) -> list[pytest.MarkDecorator]:
    return ([pytest.mark.slow] if _builds(case) else []) + \
        ([pytest.mark.browser] if case.html else [])


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name, marks=_marks(c)) for c in rc.CASES])
def test_case(case: rc.Case, where: Path, request: pytest.FixtureRequest) -> None:
    """Each case as the table reports it; a case that writes a map with hostile text also opens
    that map in Chromium (search, table, hover) and no payload may run."""
    obs = rc.run_case(case, where)
    assert not obs.crashed, obs.err
    assert not obs.half_written, obs.half_written
    assert not obs.problems, obs.problems
    assert obs.observed == case.expect
    if case.html:
        page = rc.case_dir(case, where) / case.html
        assert not rc.payload_executed(page, request.getfixturevalue("chromium"),
                                       request.getfixturevalue("browser"))


@pytest.mark.browser
def test_the_browser_check_sees_a_payload_that_runs(tmp_path: Path, browser: Any,
                                                    chromium: str) -> None:
    """The detector itself: a page with the payload as raw markup is caught."""
    page = tmp_path / "raw.html"
    page.write_text('<div id="network"></div><details id="table-view"><summary>t</summary>'
                    f'</details><input id="search">{rc.PAYLOAD}', encoding="utf-8")
    assert rc.payload_executed(page, chromium, browser)
