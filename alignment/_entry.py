"""Console entry point `align`. In an installed wheel the top-level cli.py ships as
alignment/_cli.py; in a source checkout (editable install) it is the top-level module `cli`.

`align serves GOAL` on a built workspace is answered first by alignment.fastpath, which needs
neither the command-line framework nor the model; whatever it cannot answer goes to the full
command line."""

from __future__ import annotations

import sys


def main() -> None:
    if len(sys.argv) > 1 and "serves" in sys.argv[1:4]:
        from alignment import fastpath

        if fastpath.run(sys.argv[1:]):
            return
    try:
        from alignment import _cli as cli  # type: ignore[attr-defined]
    except ImportError:
        import cli  # type: ignore[no-redef]
    cli.main()
