"""The README's tour shows the real output of each command, and documents every command."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import readme_tour  # noqa: E402

from alignment.cli.app import app  # noqa: E402

TEXT = readme_tour.README.read_text(encoding="utf-8")
RESULTS = readme_tour.tour(TEXT)


def test_tour_has_commands() -> None:
    assert len(RESULTS) == len(re.findall(r"^\$ align ", TEXT, re.M)) >= 10


@pytest.mark.parametrize(("command", "shown", "actual"),
                         [pytest.param(*r, id=r[0]) for r in RESULTS])
def test_readme_output_is_real(command: str, shown: str, actual: str) -> None:
    assert shown == actual, f"README output of '{command}' is stale: python tools/readme_tour.py --update"


def test_every_command_is_documented() -> None:
    for c in app.registered_commands:
        name = c.name or c.callback.__name__.rstrip("_")
        assert f"`align {name}" in TEXT, name
        assert c.callback.__doc__, f"{name} has no help text"


def test_quick_start_is_make_demo_and_make_test() -> None:
    quick = TEXT.split("## Quick start", 1)[1].split("```")[1]
    assert quick.strip().splitlines() == ["make demo", "make test"]
