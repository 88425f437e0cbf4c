"""A fast path for the question officers ask most, `align serves GOAL`, when a workspace's store
is built and current: the answer is read from the Oxigraph store with the standard library and
pyoxigraph only, without the command-line framework, the model classes or any RDF library.

It takes only the plain forms of the command (the options `serves` documents, a workspace named
by --workspace or $ALIGN_WORKSPACE). Anything else, and every error, is left to the full command
line, which prints the same answer or the same error, so the two can never disagree in kind.
"""

from __future__ import annotations

import os
import sys
from typing import Any

__all__ = ["parse_serves", "answer_serves", "run"]

_FORMATS = ("table", "json", "csv")
_VALUED = {"--min-score": "min_score", "--kind": "kind", "--plan": "plan", "--status": "status",
           "--format": "fmt", "-f": "fmt"}


def parse_serves(argv: list[str]) -> dict[str, Any] | None:
    """The options of a plain `[--workspace W] serves ID [options]` call; None for anything else
    (help, completion, other commands, unknown or repeated options)."""
    args = list(argv)
    opts: dict[str, Any] = {"workspace": None, "kind": [], "min_score": None, "plan": None,
                            "status": None, "fmt": "table", "target": None}

    def take(i: int, name: str) -> tuple[str, int] | None:
        arg = args[i]
        if "=" in arg and arg.startswith("--"):
            return arg.split("=", 1)[1], i + 1
        if arg == name and i + 1 < len(args):
            return args[i + 1], i + 2
        return None

    i = 0
    while i < len(args) and args[i] != "serves":
        head = args[i].split("=", 1)[0]
        if head not in ("--workspace", "-w") or ("=" in args[i] and head == "-w"):
            return None
        got = take(i, args[i])
        if got is None or opts["workspace"] is not None:
            return None
        opts["workspace"], i = got
    if i >= len(args):
        return None
    i += 1
    seen: set[str] = set()
    while i < len(args):
        arg = args[i]
        head = arg.split("=", 1)[0] if arg.startswith("--") else arg
        if head in _VALUED:
            if "=" in arg and not arg.startswith("--"):
                return None
            got = take(i, head if "=" in arg else arg)
            if got is None:
                return None
            value, i = got
            key = _VALUED[head]
            if key in {"kind", "status"}:  # named as the full command names them, any case
                value = value.lower()
            if key == "kind":
                opts["kind"].append(value)
                continue
            if key in seen:
                return None
            seen.add(key)
            opts[key] = value
        elif arg.startswith("-") or opts["target"] is not None:
            return None
        else:
            opts["target"], i = arg, i + 1
    if opts["target"] is None or opts["fmt"] not in _FORMATS:
        return None
    if opts["min_score"] is not None:
        try:
            opts["min_score"] = float(opts["min_score"])
        except ValueError:
            return None
    return opts


def answer_serves(opts: dict[str, Any]) -> str | None:
    """The rendered answer from a current store, or None when the full command line should
    answer (no workspace store, a stale store, or any input error, which it reports)."""
    from .errors import AlignError
    from .iri import base_iri
    from .kinds import check_filters
    from .output import Format, render_links
    from .resolve import resolve_id
    from .workspace import locate

    workspace = opts["workspace"]
    if workspace is None:
        workspace = os.environ.get("ALIGN_WORKSPACE") or None
    score = opts["min_score"]
    try:
        check_filters(score, opts["status"], opts["kind"])
        from . import storeanswers

        ws = locate(workspace)
        store = storeanswers.open_current(ws)
        if store is None:
            return None
        target = opts["target"]
        if not storeanswers.has_id(store, target):  # an exact ID needs no index
            target = resolve_id(storeanswers.node_index(store), target)
        rows = storeanswers.serves(store, base_iri(), target, score, opts["kind"] or None,
                                   opts["plan"], opts["status"])
    except (AlignError, OSError):
        return None
    if not rows:  # the full path explains an empty answer (a domain asked, not a goal)
        return None
    return render_links(rows, Format(opts["fmt"]), f"{target}: {len(rows)} links serve it or name it")


def run(argv: list[str]) -> bool:
    """Answer argv on the fast path if it can; True when it printed the answer."""
    opts = parse_serves(argv)
    if opts is None:
        return False
    text = answer_serves(opts)
    if text is None:
        return False
    sys.stdout.write(text)
    return True
