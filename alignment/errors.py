"""One exception hierarchy; the CLI maps it to exit codes (1: check found problems, 2: bad input)."""

from __future__ import annotations

__all__ = ["AlignError", "InputError", "NotFoundError", "CheckFailed", "Interrupted"]


class AlignError(Exception):
    """Base of every error the engine reports to a person. The message is one line."""

    exit_code = 2


class InputError(AlignError):
    """A source, manifest or curated file is missing or malformed. Names the file and line."""


class NotFoundError(AlignError):
    """An ID or name could not be resolved. Says what was tried and the nearest matches."""


class CheckFailed(AlignError):
    """A check ran and found problems (e.g. the graph does not conform to the shapes)."""

    exit_code = 1


class Interrupted(AlignError):
    """The person stopped the command (Ctrl-C) while it waited on work it could abandon."""

    exit_code = 130
