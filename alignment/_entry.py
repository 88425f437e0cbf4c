"""Console entry point `align`. In an installed wheel the top-level cli.py ships as
alignment/_cli.py; in a source checkout (editable install) it is the top-level module `cli`.

`align serves GOAL` on a built workspace is answered first by alignment.fastpath, which needs
neither the command-line framework nor the model; whatever it cannot answer goes to the full
command line."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        _main()
    except BrokenPipeError:  # the reader went away (align ... | head): not an error of ours
        sys.stderr.close()
        sys.exit(0)
    except OSError as exc:  # the answer could not be written (a full disk, a closed stream)
        print(f"error: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
        sys.exit(1)


def _main() -> None:
    if len(sys.argv) > 1 and "serves" in sys.argv[1:4]:
        from alignment import fastpath

        if fastpath.run(sys.argv[1:]):
            sys.stdout.flush()
            return
    try:
        from alignment import _cli as cli  # type: ignore[attr-defined]
    except ImportError:
        import cli  # type: ignore[no-redef]
    cli.main()
