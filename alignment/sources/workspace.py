"""Workspaces: a folder of sources, their manifest, curated files and the built store.

With no workspace, the engine reads the bundled Thurrock data read-only.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from alignment.errors import InputError
from alignment.iri import ABSOLUTE_IRI
from alignment.sources.yamlio import at, load_yaml, validated, yaml_list

if TYPE_CHECKING:
    from alignment.model import Document, Plan

__all__ = [
    "Workspace",
    "bundled_data_dir",
    "ontology_dir",
    "locate",
    "init_workspace",
]

MANIFEST = "manifest.yaml"
STORE_DIR = ".align"
ENV_VAR = "ALIGN_WORKSPACE"


def _bundled(name: str) -> Path:
    """A bundled folder: inside the installed package, or at the top of a source checkout.
    (Found from this file's place: importlib.resources would cost every command 9 ms.)"""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "bundled" / name
    if packaged.is_dir():
        return packaged
    return package.parent / name


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

    def curated_lock(self):  # type: ignore[no-untyped-def]
        """The lock every read-modify-write of a curated file holds (decisions.yaml, the
        manifest): two commands that change one at once take turns, and neither loses the
        other's change. It is the workspace folder itself, locked: nothing is written for it.
        Builds have a lock of their own; they read curated files whole."""
        from alignment.files import locked

        return locked(self.root)

    def describe(self) -> str:
        return str(self.root) if self.writable else "the bundled data (read-only)"

    def manifest(self) -> tuple[list[Plan], list[Document]]:
        from alignment.model import Document, Plan

        raw = load_yaml(self.path(MANIFEST), required=True)
        where = self.path(MANIFEST)
        if not isinstance(raw, dict):
            raise InputError(f"{where}: expected a mapping with 'plans' and 'documents'")
        raw_plans = yaml_list(raw, "plans", where)
        raw_docs = yaml_list(raw, "documents", where)
        plans = [validated(Plan, p, where, f"plans[{i}]") for i, p in enumerate(raw_plans)]
        docs = [validated(Document, d, where, f"documents[{i}]") for i, d in enumerate(raw_docs)]
        if not docs:
            raise InputError(f"{where}: no documents listed; add one with 'align add' or by hand")
        plan_ids = {p.id for p in plans}
        for p, entry in zip(plans, raw_plans, strict=True):
            if p.follows is not None and (p.follows not in plan_ids or p.follows == p.id):
                raise InputError(f"{at(where, entry, 'follows')}: plan '{p.id}' follows "
                                 f"'{p.follows}', which is not another plan under 'plans'; name "
                                 f"the plan it succeeds, or remove 'follows'")
        seen: set[str] = set()
        for d, entry in zip(docs, raw_docs, strict=True):
            d._layout_at = at(where, entry, "layout")
            if d.id in seen:
                raise InputError(f"{at(where, entry, 'id')}: document ID '{d.id}' is listed twice; "
                                 f"IDs must be unique")
            seen.add(d.id)
            if d.plan not in plan_ids:
                raise InputError(f"{at(where, entry, 'plan')}: document '{d.id}' names plan "
                                 f"'{d.plan}', which is not under 'plans'; add it there")
            if d.url is not None and not ABSOLUTE_IRI.fullmatch(d.url):
                raise InputError(f"{at(where, entry, 'url')}: document '{d.id}' has url "
                                 f"'{d.url}', which is not an absolute address the graph can "
                                 f"hold (no spaces, <, >, quotes or braces); give it as "
                                 f"https://..., a space written %20")
            if d.version_of and d.version_of not in {x.id for x in docs}:
                raise InputError(f"{at(where, entry, 'version_of')}: document '{d.id}' is a "
                                 f"version of unknown document '{d.version_of}'")
        return plans, docs


def locate(explicit: str | os.PathLike[str] | None = None) -> Workspace:
    """The workspace named by --workspace, else $ALIGN_WORKSPACE, else the nearest folder holding
    a manifest, from the current folder upwards (as git finds a repository), else the bundled
    data (read-only)."""
    if explicit is not None and not str(explicit).strip():
        raise InputError("--workspace is empty; name a workspace folder")
    named = explicit or os.environ.get(ENV_VAR)
    if named:
        root = Path(named).expanduser().resolve()
        if not (root / MANIFEST).is_file():
            raise InputError(f"{root}: not a workspace (no {MANIFEST}); create one with "
                             f"'align init {named}'")
        return Workspace(root, writable=True)
    bundled = bundled_data_dir()
    for folder in (Path.cwd(), *Path.cwd().parents):
        if (folder / MANIFEST).is_file():
            if folder == bundled.resolve():  # the bundled data itself stays read-only
                break
            return Workspace(folder, writable=True)
    return Workspace(bundled, writable=False)


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
