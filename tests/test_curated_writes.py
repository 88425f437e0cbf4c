"""Writes to curated files: every read-modify-write holds the workspace's lock, so commands run
at once lose nothing; decisions.yaml is read strictly (a key twice is an error at its line) and
written so that an officer's comments survive."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from alignment.cli.app import app
from alignment.sources.workspace import Workspace

#: suggested links to HWB-4C in the bundled workspace, each a decision to record
LINKS = ["CP24-PEOPLE-22.similarity.HWB-4C", "CP24-PEOPLE-23.similarity.HWB-4C"]


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args), env={"COLUMNS": "100"})
    return r.exit_code, r.stdout, r.stderr


def _align(ws: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ}
    env.pop("ALIGN_WORKSPACE", None)
    return subprocess.Popen([sys.executable, "-c", "from alignment.cli import main; main()",
                             "--workspace", str(ws), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=ws.parent)


def _recorded(ws: Path) -> list[tuple[str, str, str]]:
    from alignment.links.decisions import load_decisions

    return [(d.source, d.target, d.decision) for d in load_decisions(ws / "decisions.yaml")]


def test_a_decision_waits_for_the_lock_and_keeps_what_the_holder_wrote(built_ws: Path) -> None:
    """Deterministic: while another writer holds the lock, `accept` waits; it then reads the
    file as that writer left it, and keeps that writer's decision."""
    ws = Workspace(built_ws, writable=True)
    with ws.curated_lock():
        proc = _align(built_ws, "accept", LINKS[0], "--why", "second")
        time.sleep(1.5)
        assert proc.poll() is None, "accept did not wait for the lock"
        (built_ws / "decisions.yaml").write_text(
            "# kept by hand\ndecisions:\n  - source: CP24-PEOPLE-23\n    target: HWB-4C\n"
            "    decision: reject\n    by: officer\n    date: 2026-01-05\n", encoding="utf-8")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert _recorded(built_ws) == [("CP24-PEOPLE-23", "HWB-4C", "reject"),
                                   ("CP24-PEOPLE-22", "HWB-4C", "accept")]


@pytest.mark.slow
def test_accepts_and_rejects_at_once_lose_nothing(built_ws: Path) -> None:
    """Two commands at once, repeated: every decision each reported is in the file."""
    trials = 6
    pairs = [(f"CP24-PEOPLE-{a}.similarity.HWB-4C", f"CP24-PEOPLE-{b}.similarity.HWB-4C")
             for a, b in [(22, 23)] * trials]
    lost = 0
    for n, (first, second) in enumerate(pairs):
        (built_ws / "decisions.yaml").unlink(missing_ok=True)
        procs = [_align(built_ws, "accept", first, "--why", f"trial {n}"),
                 _align(built_ws, "reject", second, "--why", f"trial {n}")]
        for p in procs:
            _, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
        lost += 2 - len(_recorded(built_ws))
    assert lost == 0, f"{lost} decisions lost in {trials} trials"


OUTLINE = "# A plan\n\n## 1. Safe at home\n\n1.1 Open two family hubs\n\n## 2. Good jobs\n\n" \
          "2.1 Run a jobs fair each year\n"


@pytest.mark.slow
def test_plans_added_at_once_are_all_kept(ws: Path) -> None:
    """Two `align add` at once, repeated: the manifest keeps every plan that was reported
    added (before the lock, one of the two was lost in half the trials)."""
    from alignment.sources.workspace import Workspace as W

    trials = 3
    for n in range(trials):
        names = [f"plan-{n}-{k}" for k in range(2)]
        for name in names:
            (ws.parent / f"{name}.md").write_text(OUTLINE.replace("A plan", name), encoding="utf-8")
        procs = [_align(ws, "add", f"{name}.md", "--plan", f"P{n}X{k}", "--title", name)
                 for k, name in enumerate(names)]
        for p in procs:
            _, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
    plans = {p.id for p in W(ws, writable=True).manifest()[0]}
    assert {f"P{n}X{k}" for n in range(trials) for k in range(2)} <= plans


# --- decisions.yaml, read strictly and written in place ----------------------------------------

ENTRY = ("  - source: CP24-PEOPLE-23\n    target: HWB-4C\n    decision: {decision}\n"
         "    by: officer\n    date: 2026-01-05\n")


@pytest.mark.parametrize("text,needle", [
    pytest.param("decisions:\n" + ENTRY.format(decision="accept") + "    decision: reject\n",
                 "decisions.yaml:7: invalid YAML: key 'decision' is given twice in one entry "
                 "(first at line 4)", id="a-key-twice-in-an-entry"),
    pytest.param("decisions:\n" + ENTRY.format(decision="accept") + "decisions:\n"
                 + ENTRY.format(decision="reject"),
                 "decisions.yaml:7: invalid YAML: key 'decisions' is given twice",
                 id="two-decisions-blocks"),
    pytest.param("decisions:\n" + ENTRY.format(decision="accept") + '    why: "half \\ud83d"\n',
                 "decisions.yaml:7: invalid YAML: a lone surrogate (U+D83D)", id="lone-surrogate"),
    pytest.param("decisions:\n" + ENTRY.format(decision="accept") + "    why: " + "[" * 1000
                 + "]" * 1000 + "\n", "decisions.yaml: invalid YAML: values nested too deeply",
                 id="nested-1000-deep"),
    pytest.param("decisions:\n" + ENTRY.format(decision="accept") + "    why: " + "a" * 30_000
                 + "\n", "decisions.yaml:7: decision 1.why: 30,000 characters",
                 id="a-30000-character-reason"),
])
def test_a_decisions_file_that_says_two_things_is_refused_where_it_does(
        ws: Path, text: str, needle: str) -> None:
    """Before: the later key or block silently won (and the next accept rewrote the file
    without the first block); a lone surrogate or deep nesting was a traceback."""
    (ws / "decisions.yaml").write_text(text, encoding="utf-8")
    for args in (["decisions"], ["accept", LINKS[0]]):
        code, out, err = run("--workspace", str(ws), *args)
        assert code == 2 and out == "" and err.count("\n") == 1, err
        assert needle in err, err
    assert (ws / "decisions.yaml").read_text(encoding="utf-8") == text  # nothing rewritten


def test_an_escaped_emoji_in_a_reason_is_its_character(ws: Path) -> None:
    (ws / "decisions.yaml").write_text("decisions:\n" + ENTRY.format(decision="reject")
                                       + '    why: "board \\ud83d\\ude00"\n', encoding="utf-8")
    code, out, err = run("--workspace", str(ws), "decisions", "--format", "json")
    assert code == 0, err
    assert '"board \U0001f600"' in out


def test_comments_survive_every_command_that_writes_decisions(ws: Path) -> None:
    text = ("# the board's decisions, kept by Jo\ndecisions:\n  # March board\n"
            + ENTRY.format(decision="reject  # wrong domain") + "\n# new ones below\n")
    (ws / "decisions.yaml").write_text(text, encoding="utf-8")
    code, _, err = run("--workspace", str(ws), "accept", LINKS[0], "--why", "agreed")
    assert code == 0, err
    code, _, err = run("--workspace", str(ws), "withdraw", "1")
    assert code == 0, err
    after = (ws / "decisions.yaml").read_text(encoding="utf-8")
    for comment in ("# the board's decisions, kept by Jo", "# March board", "# wrong domain",
                    "# new ones below"):
        assert comment in after
    assert _recorded(ws) == [("CP24-PEOPLE-23", "HWB-4C", "reject"),
                             ("CP24-PEOPLE-22", "HWB-4C", "accept")]
    code, out, _ = run("--workspace", str(ws), "decisions", "--format", "json")
    assert '"withdrawn_by"' in out and '"why": "agreed"' in out


def test_a_reason_too_long_to_be_one_is_refused_at_the_command(ws: Path) -> None:
    code, out, err = run("--workspace", str(ws), "accept", LINKS[0], "--why", "a" * 20_001)
    assert code == 2 and err.startswith("error: --why: 20,001 characters") and out == ""
    assert not (ws / "decisions.yaml").exists()
