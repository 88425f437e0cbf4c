"""Recorded corrections of faults in the sources, applied by code at build time."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, PrivateAttr

from alignment.errors import InputError
from alignment.sources.yamlio import at, load_yaml, validated, yaml_list

__all__ = ["Correction", "Corrections"]


class Correction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    document: str
    line: int
    action: str
    split_before: list[str]
    why: str
    by: str
    date: str
    _where: str = PrivateAttr(default="")  # "corrections.yaml:LINE" when read from the file


class Corrections:
    """The corrections of one workspace, keyed by (document, line)."""

    def __init__(self, items: list[Correction], path: Path | None = None):
        self.path = path
        self.items = items
        self.used: set[str] = set()
        self._by_line = {(c.document, c.line): c for c in items}

    @classmethod
    def load(cls, path: Path) -> Corrections:
        raw = load_yaml(path)
        items = []
        for i, entry in enumerate(yaml_list(raw, "corrections", path)):
            c = validated(Correction, entry, path, f"corrections[{i}]")
            c._where = at(path, entry)
            if c.action != "split":
                raise InputError(f"{at(path, entry, 'action')}: correction '{c.id}': unknown "
                                 f"action '{c.action}' (known: split)")
            items.append(c)
        return cls(items, path)

    def split(self, document: str, line: int, text: str) -> list[str]:
        """Split a run-on line into items at the recorded item starts (or return it whole)."""
        c = self._by_line.get((document, line))
        if c is None:
            return [text]
        cuts = []
        for phrase in c.split_before:
            pos = text.find(phrase)
            if pos <= 0:
                raise InputError(f"{c._where or self.path}: correction '{c.id}': '{phrase}' not "
                                 f"found on line {line} of '{document}'; the source changed: "
                                 f"update or remove the correction")
            cuts.append(pos)
        self.used.add(c.id)
        bounds = [0, *sorted(cuts), len(text)]
        return [text[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]

    def unused(self, documents: set[str]) -> list[Correction]:
        return [c for c in self.items if c.id not in self.used and c.document in documents]

    def check_documents(self, documents: set[str]) -> None:
        """Every correction names a document of the manifest (else it could never apply)."""
        for c in self.items:
            if c.document not in documents:
                raise InputError(f"{c._where or self.path}: correction '{c.id}' names unknown "
                                 f"document '{c.document}'; use an ID from manifest.yaml")
