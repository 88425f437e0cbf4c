"""Console entry point `align`. In an installed wheel the top-level cli.py ships as
alignment/_cli.py; in a source checkout (editable install) it is the top-level module `cli`."""

from __future__ import annotations


def main() -> None:
    try:
        from alignment import _cli as cli  # type: ignore[attr-defined]
    except ImportError:
        import cli  # type: ignore[no-redef]
    cli.main()
