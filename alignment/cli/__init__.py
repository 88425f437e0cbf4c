"""The command line `align`: the console entry point (this module) and the click app
(alignment.cli.app), which parses arguments, calls the library and hands results to
alignment.output."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from alignment.cli.app import main as run

        run()
    except BrokenPipeError:  # the reader went away (align ... | head): not an error of ours
        sys.stderr.close()
        sys.exit(0)
    except OSError as exc:  # the answer could not be written (a full disk, a closed stream)
        try:
            sys.stderr.write(f"error: cannot write the output: {exc.strerror or exc}\n")
        except OSError:
            pass
        sys.exit(1)
