"""What the command line writes to standard output and standard error, and the one rule every
byte of it follows: no control character other than tab and line feed reaches the stream raw.

Text from plans, curated files and queries can hold ESC, BEL, the C1 controls (U+0080-U+009F,
U+009B being a second ESC [), a carriage return that overwrites the line, or DEL. A terminal
obeys them: a title like "\\x1b]0;PWNED\\x07" renames the window, "\\x1b[31m" paints what follows.
Each is written as the six characters \\uXXXX instead. That is a readable escape on a terminal,
and in JSON, Turtle and N-Triples (the data formats the commands print) it is the language's own
escape for the very same character, so a file written through a pipe reads back unchanged.

Every byte is written, or the command fails: a short write (a disk filling up while standard
output is redirected to it) is retried until it either completes or raises.
"""

from __future__ import annotations

import sys
from typing import TextIO

from alignment.text import CONTROL, escape_controls

__all__ = ["CONTROL", "printable", "emit", "argument_problem"]



def printable(text: str) -> str:
    r"""`text` with every control character but tab and line feed written as \uXXXX
    (alignment.text.escape_controls: the rule every output of the engine follows)."""
    return escape_controls(text)


def emit(text: str, stream: TextIO | None = None) -> None:
    """Write `text` (made printable) to `stream` (standard output by default), every byte of
    it: a write that takes only part is repeated for the rest, so a full disk or a file-size
    limit raises OSError instead of leaving a file cut short. A character the stream's encoding
    cannot hold (a lone surrogate) is written as its escape."""
    stream = stream if stream is not None else sys.stdout
    text = printable(text)
    raw = getattr(stream, "buffer", None)
    if raw is None:  # a stream of text only (a test's capture)
        stream.write(text)
        stream.flush()
        return
    data = memoryview(text.encode(getattr(stream, "encoding", None) or "utf-8",
                                  errors="backslashreplace"))
    stream.flush()  # whatever was written as text goes first
    while data:
        n = raw.write(data)
        if n is None:  # a non-blocking stream not ready: try again
            continue
        data = data[n:]
    raw.flush()


def argument_problem(argv: list[str]) -> str | None:
    """What is wrong with a command line whose argument is not UTF-8 text (its bytes arrive as
    lone surrogates, which no store, file or terminal can hold); None when every one is text."""
    for arg in argv:
        stray = [ord(c) - 0xDC00 for c in arg if "\udc80" <= c <= "\udcff"]
        if stray:
            shown = arg.encode("utf-8", "replace").decode("utf-8")[:40]
            return (f"the argument '{shown}' is not UTF-8 text (byte 0x{stray[0]:02X}); check "
                    f"the terminal's or the script's encoding")
    return None
