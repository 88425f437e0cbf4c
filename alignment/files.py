"""Writing files so that a reader never sees half of one: a temporary file beside the target,
synced to disk, then moved into place; and locks, so that two writers of one file take turns."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["write_atomic", "locked"]


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` while the block runs: a folder (locked as it is, nothing
    written into it) or a file (made if missing). Another process asking for the same lock waits
    until this one leaves. The lock goes with the process, so a writer that is killed leaves
    none behind."""
    import fcntl

    if not path.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDONLY if path.is_dir() else os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temporary file beside `path`, then move it into place."""
    if path.is_dir():
        from alignment.errors import InputError

        raise InputError(f"{path}: is a folder; give a file name to write to")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        from alignment.errors import InputError

        blocked = next((p for p in path.parents if p.is_file()), None)
        why = f"{blocked} is a file, not a folder" if blocked else exc.strerror or str(exc)
        raise InputError(f"{path}: cannot write here ({why}); write elsewhere, or check the "
                         f"folder's permissions") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())  # on disk before it replaces the old file
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as an ordinary new file would be, not mkstemp's 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
