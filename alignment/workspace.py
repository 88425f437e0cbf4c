"""Workspaces: a folder of sources, their manifest, curated files and the built store.

With no workspace, the engine reads the bundled Thurrock data read-only.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import InputError

if TYPE_CHECKING:
    from .model import Document, Plan

__all__ = [
    "Workspace",
    "SourceText",
    "bundled_data_dir",
    "ontology_dir",
    "locate",
    "init_workspace",
    "load_yaml",
    "read_source",
    "decode_source",
    "validated",
    "yaml_list",
]

MANIFEST = "manifest.yaml"
STORE_DIR = ".align"
ENV_VAR = "ALIGN_WORKSPACE"


def _bundled(name: str) -> Path:
    """A bundled folder: inside the installed package, or at the top of a source checkout."""
    from importlib import resources

    packaged = Path(str(resources.files("alignment"))) / "bundled" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name


def bundled_data_dir() -> Path:
    return _bundled("data")


def ontology_dir() -> Path:
    return _bundled("ontology")


class Workspace(NamedTuple):
    root: Path
    writable: bool

    @property
    def store(self) -> Path:
        return self.root / STORE_DIR

    def path(self, name: str) -> Path:
        return self.root / name

    def describe(self) -> str:
        return str(self.root) if self.writable else "the bundled data (read-only)"

    def manifest(self) -> tuple[list[Plan], list[Document]]:
        from .model import Document, Plan

        raw = load_yaml(self.path(MANIFEST), required=True)
        where = self.path(MANIFEST)
        if not isinstance(raw, dict):
            raise InputError(f"{where}: expected a mapping with 'plans' and 'documents'")
        plans = [validated(Plan, p, where, f"plans[{i}]")
                 for i, p in enumerate(yaml_list(raw, "plans", where))]
        docs = [validated(Document, d, where, f"documents[{i}]")
                for i, d in enumerate(yaml_list(raw, "documents", where))]
        if not docs:
            raise InputError(f"{where}: no documents listed; add one with 'align add' or by hand")
        plan_ids = {p.id for p in plans}
        seen: set[str] = set()
        for d in docs:
            if d.id in seen:
                raise InputError(f"{where}: document ID '{d.id}' is listed twice; IDs must be unique")
            seen.add(d.id)
            if d.plan not in plan_ids:
                raise InputError(f"{where}: document '{d.id}' names plan '{d.plan}', which is not "
                                 f"under 'plans'; add it there")
            if d.version_of and d.version_of not in {x.id for x in docs}:
                raise InputError(f"{where}: document '{d.id}' is a version of unknown document "
                                 f"'{d.version_of}'")
        return plans, docs


def validated(cls: Any, raw: Any, where: Path, what: str) -> Any:
    """`cls.model_validate(raw)`, or a one-line InputError naming the file, entry and field."""
    from pydantic import ValidationError

    try:
        return cls.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise InputError(f"{where}: {what}.{field}: {err['msg']}") from None


def load_yaml(path: Path, required: bool = False) -> Any:
    """Read a YAML file; a syntax error names the file and line."""
    import yaml

    if not path.exists():
        if required:
            raise InputError(f"{path}: file not found; create it or run 'align init'")
        return None
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"{path}{line}: invalid YAML: {problem}") from None


def yaml_list(raw: Any, key: str, path: Path) -> list[Any]:
    """raw[key] as a list (empty when absent); anything else is a one-line error."""
    if raw is None:
        return []
    if not isinstance(raw, dict):
        raise InputError(f"{path}: expected a mapping of sections ('{key}: ...'), found "
                         f"{type(raw).__name__}")
    value = raw.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{path}: '{key}' must be a list (one '- ' entry per item), found "
                         f"{type(value).__name__}")
    return value


class SourceText(NamedTuple):
    document: Document
    path: Path
    lines: list[str]  # lines[0] is line 1

    def line(self, n: int) -> str:
        return self.lines[n - 1]


def read_source(ws: Workspace, doc: Document) -> SourceText:
    """Read a source document, verifying its recorded hash."""
    path = ws.path(doc.file)
    if not path.is_file():
        raise InputError(f"{path}: source of document '{doc.id}' not found; check 'file' in "
                         f"{MANIFEST}")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != doc.sha256:
        raise InputError(f"{path}: sha256 is {digest}, but {MANIFEST} records {doc.sha256} for "
                         f"'{doc.id}'; the source changed: restore it, or record the new hash")
    return decode_source(doc, path, data)


def decode_source(doc: Document, path: Path, data: bytes) -> SourceText:
    """A source's bytes as numbered lines: UTF-8 text (a BOM and CR/CRLF endings are read as
    plain line breaks), or a workbook's rows."""
    if not data.strip():
        raise InputError(f"{path}: document '{doc.id}' is empty")
    if doc.layout == "xlsx":
        from .importers.tabular import workbook_lines

        return SourceText(doc, path, workbook_lines(data, path, doc.sheet))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 text; convert the file to UTF-8") from None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return SourceText(doc, path, lines)


def locate(explicit: str | os.PathLike[str] | None = None) -> Workspace:
    """The workspace named by --workspace, else $ALIGN_WORKSPACE, else the current folder if it
    holds a manifest, else the bundled data (read-only)."""
    if explicit is not None and not str(explicit).strip():
        raise InputError("--workspace is empty; name a workspace folder")
    named = explicit or os.environ.get(ENV_VAR)
    if named:
        root = Path(named).expanduser().resolve()
        if not (root / MANIFEST).is_file():
            raise InputError(f"{root}: not a workspace (no {MANIFEST}); create one with "
                             f"'align init {named}'")
        return Workspace(root, writable=True)
    cwd = Path.cwd()
    if (cwd / MANIFEST).is_file():
        return Workspace(cwd, writable=True)
    return Workspace(bundled_data_dir(), writable=False)


def init_workspace(target: Path) -> Workspace:
    """Create a workspace seeded with the bundled Thurrock documents and curated files."""
    target = target.expanduser().resolve()
    if (target / MANIFEST).exists():
        raise InputError(f"{target}: already a workspace ({MANIFEST} exists); nothing changed")
    if target.exists() and not target.is_dir():
        raise InputError(f"{target}: is a file; choose a new or empty folder")
    if any(p.exists() and not p.is_dir() for p in target.parents):
        raise InputError(f"{target}: a part of this path is a file; choose another folder")
    if target.exists() and any(target.iterdir()):
        raise InputError(f"{target}: folder is not empty; choose a new or empty folder")
    import shutil

    src = bundled_data_dir()
    tmp = target.with_name(f".{target.name}.init-tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    shutil.copytree(src, tmp, ignore=shutil.ignore_patterns(STORE_DIR, "__pycache__"))
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.rmdir()
    tmp.rename(target)
    return Workspace(target, writable=True)
