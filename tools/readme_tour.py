"""Runs every `$ align …` command shown in the documentation (README.md, docs/tour.md and
docs/importing.md) and compares the output shown under it with the real output; with --update,
replaces the shown output.

Each file's commands run in order in a fresh temporary folder of their own: a file whose commands
need a workspace starts with its own `align init NAME`, which creates it and moves into it.

    python tools/readme_tour.py            # report the blocks whose output is stale (exit 1)
    python tools/readme_tour.py --update   # write the real output into every file
"""

from __future__ import annotations

import os
import re
import shlex
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: the files whose console blocks are executed, each as its own tour
FILES = [ROOT / "README.md", ROOT / "docs" / "tour.md", ROOT / "docs" / "importing.md"]
README = FILES[0]
BLOCK = re.compile(r"```console\n\$ (align [^\n]*)\n(.*?)```", re.S)


def blocks(text: str) -> list[tuple[str, str]]:
    """(command, shown output) for every console block, in order; nothing is run."""
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(text)]


def cli_app():  # type: ignore[no-untyped-def]
    """The command-line app of `align` (the one place that names its module)."""
    from alignment.cli.app import app

    return app


def run(command: str) -> str:
    from click.testing import CliRunner

    args = shlex.split(command)[1:]
    result = CliRunner().invoke(cli_app(), args, env={"COLUMNS": "100", "ALIGN_WORKSPACE": None})
    return result.stdout + result.stderr


def tour(text: str) -> list[tuple[str, str, str]]:
    """(command, shown output, actual output) for every console block, run in order in a fresh
    temporary folder (the tour's `align init NAME` creates the workspace there and moves into it)."""
    out = []
    old = Path.cwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            for command, shown in blocks(text):
                actual = run(command)
                if command.startswith("align init "):
                    os.chdir(shlex.split(command)[2])
                out.append((command, shown, actual))
        finally:
            os.chdir(old)
    return out


def update(path: Path) -> int:
    """Writes the real output under every command of one file; returns how many blocks changed."""
    text = path.read_text(encoding="utf-8")
    results = iter(tour(text))
    changed = 0

    def replace(m: re.Match[str]) -> str:
        nonlocal changed
        command, shown, actual = next(results)
        changed += shown != actual
        return f"```console\n$ {command}\n{actual}```"

    path.write_text(BLOCK.sub(replace, text), encoding="utf-8")
    return changed


def check(path: Path) -> int:
    """Prints the commands of one file whose shown output is stale; returns how many."""
    stale = [command for command, shown, actual in tour(path.read_text(encoding="utf-8"))
             if shown != actual]
    for command in stale:
        print(f"{path.relative_to(ROOT)}: stale output of '$ {command}'")
    return len(stale)


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    if "--update" in argv:
        for path in FILES:
            print(f"{path.relative_to(ROOT)}: {update(path)} block(s) updated")
        return 0
    stale = sum(check(path) for path in FILES)
    if stale:
        print("run: python tools/readme_tour.py --update")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
