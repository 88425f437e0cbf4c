"""Runs every `$ align …` command shown in README.md and compares (or, with --update, replaces)
the output shown under it. The tour runs in a fresh workspace made by its first command."""

from __future__ import annotations

import os
import re
import shlex
import sys
import tempfile
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"```console\n\$ (align [^\n]*)\n(.*?)```", re.S)


def run(command: str) -> str:
    from typer.testing import CliRunner

    from alignment.cli.app import app

    args = shlex.split(command)[1:]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "100", "ALIGN_WORKSPACE": None})
    return result.stdout + result.stderr


def tour(text: str) -> list[tuple[str, str, str]]:
    """(command, shown output, actual output) for every console block, run in order in a
    temporary folder (the tour's `align init thurrock` creates the workspace there)."""
    out = []
    old = Path.cwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            for m in BLOCK.finditer(text):
                command = m.group(1)
                actual = run(command)
                if command.startswith("align init "):
                    os.chdir(shlex.split(command)[2])
                out.append((command, m.group(2), actual))
        finally:
            os.chdir(old)
    return out


def update() -> None:
    text = README.read_text(encoding="utf-8")
    results = iter(tour(text))

    def replace(m: re.Match[str]) -> str:
        command, _, actual = next(results)
        return f"```console\n$ {command}\n{actual}```"

    README.write_text(BLOCK.sub(replace, text), encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(README.parent))
    if "--update" in sys.argv:
        update()
