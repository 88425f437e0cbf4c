"""Documents read once: what a build read from a document (its numbered lines and what its
reader made of them), kept in the build folder and reused by the next build when nothing that
went into reading it changed.

An entry is named by a hash of everything its reading depended on: the document's bytes (whose
hash the manifest records and every build checks), its manifest entry (with its file's path in
the workspace: a workspace copied elsewhere reuses its entries), the corrections recorded for
it, and the reading code itself (the source of the readers and of the decoders, and the versions
of the libraries that read PDF, Word, web, ODF and workbook files). A change to any of them gives
a new name, so the document is read again; a code change needs no version number raised by
hand. An entry that cannot be read is ignored (the document is read again).

Each build writes the entries it used into its own folder, so a build killed half-way changes
nothing the current build reads.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from alignment.model import Document
from alignment.readers import ParseResult, extract
from alignment.sources.corrections import Corrections
from alignment.sources.decode import SourceText, decode_source, source_bytes
from alignment.sources.registry import Match, Registry
from alignment.sources.workspace import Workspace

__all__ = ["Reuse", "reading_code"]

#: the libraries whose version can change what a document reads as
_LIBRARIES = ("pdfplumber", "pdfminer.six", "pypdfium2", "python-docx", "lxml", "openpyxl",
              "PyYAML", "ruamel.yaml")


@lru_cache(maxsize=1)
def reading_code() -> str:
    """A hash of the code that turns a document's bytes into elements: the modules of the readers
    and of the source decoders, the model they fill, and the versions of the libraries they use."""
    from importlib.metadata import PackageNotFoundError, version

    package = Path(__file__).resolve().parents[1]
    files = sorted([*(package / "readers").glob("*.py"), *(package / "sources").glob("*.py"),
                    package / "model.py", package / "terms.py", package / "text.py"])
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    for name in _LIBRARIES:
        try:
            h.update(f"{name}={version(name)}\0".encode())
        except PackageNotFoundError:
            h.update(f"{name}=-\0".encode())
    return h.hexdigest()


#: the names found in each text, kept beside the readings (`Reuse.found`)
NAMES_FILE = "names.json"


def _names_key(registry_file: Path) -> str:
    """What the names found in a text depend on besides the text: the registry's bytes and the
    code that reads it."""
    h = hashlib.sha256(reading_code().encode() + b"\0")
    try:
        h.update(registry_file.read_bytes())
    except OSError:
        h.update(b"no registry")
    return h.hexdigest()


@lru_cache(maxsize=1)
def _adapter():  # type: ignore[no-untyped-def]
    from pydantic import TypeAdapter

    return TypeAdapter(ParseResult)


class Reuse:
    """Read documents, reusing what an earlier build read (`earlier`: its folder of entries, or
    None); `write` then puts every entry this build used into the new build's folder."""

    def __init__(self, earlier: Path | None = None):
        self.earlier = earlier
        #: name -> the entry's JSON, and the earlier build's file it was reused from (or None)
        self.entries: dict[str, tuple[bytes, Path | None]] = {}
        self.reused: list[str] = []  # the IDs of the documents not read again
        #: the names of strategies and bodies found in each text (by a digest of it) by this
        #: build, and by the earlier one, for a registry (`_names_key`)
        self.names: dict[str, list[list[object]]] = {}
        self._earlier_names: dict[str, list[list[object]]] | None = None
        self._names_key = ""

    def found(self, registry: Registry, registry_file: Path, text: str) -> list[Match]:
        """The strategies and bodies `registry` names in `text`: as the earlier build found
        them in the same text with the same registry (its file's bytes) and reading code, else
        found now (a tenth of a second per thousand texts)."""
        if self._earlier_names is None:
            self._names_key = _names_key(registry_file)
            self._earlier_names = self._read_names()
        key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
        found = self.names.get(key)
        if found is None:
            found = self._earlier_names.get(key)
            if found is None:
                found = [[m.start, m.end, m.phrase, m.target] for m in registry.find(text)]
            self.names[key] = found
        return [Match(*m) for m in found]  # type: ignore[arg-type]

    def _read_names(self) -> dict[str, list[list[object]]]:
        import json

        if self.earlier is None:
            return {}
        try:
            kept = json.loads((self.earlier / NAMES_FILE).read_text(encoding="utf-8"))
            if kept["key"] != self._names_key:
                return {}
            found = kept["found"]
            if not all(isinstance(v, list) and all(isinstance(m, list) and len(m) == 4
                                                   for m in v) for v in found.values()):
                return {}
            return found
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}  # none, or not one this engine can read: the names are found again

    def read(self, ws: Workspace, doc: Document, corrections: Corrections
             ) -> tuple[SourceText, ParseResult]:
        """A document's lines and what its reader made of them: from the earlier build when it
        read the same bytes the same way, else read now."""
        path, data = source_bytes(ws, doc)  # the bytes are checked against the manifest always
        name = self._name(doc, corrections)
        found = self._earlier(name, doc, path, corrections)
        if found is not None:
            self.reused.append(doc.id)
            return found
        src = decode_source(doc, path, data)
        before = set(corrections.used)
        result = extract(src, corrections)
        self.entries[name] = (_dump(src, result, sorted(corrections.used - before)), None)
        return src, result

    def write(self, folder: Path) -> None:
        """Put the entries of this build in `folder` (a new build's): those reused as links to
        the earlier build's files where the file system allows (and the file is still there),
        else written out."""
        import json

        folder.mkdir(parents=True, exist_ok=True)
        if self.names:
            (folder / NAMES_FILE).write_text(json.dumps({"key": self._names_key,
                                                         "found": self.names}), encoding="utf-8")
        for name, (data, earlier) in self.entries.items():
            target = folder / name
            if earlier is not None:
                try:
                    os.link(earlier, target)
                    continue
                except OSError:  # another file system, or a build since removed it
                    pass
            target.write_bytes(data)

    @staticmethod
    def _name(doc: Document, corrections: Corrections) -> str:
        h = hashlib.sha256(reading_code().encode())
        h.update(doc.model_dump_json().encode() + b"\0")
        for c in corrections.items:
            if c.document == doc.id:
                h.update(c.model_dump_json().encode() + b"\0")
        return h.hexdigest()[:40] + ".json"

    def _earlier(self, name: str, doc: Document, path: Path, corrections: Corrections
                 ) -> tuple[SourceText, ParseResult] | None:
        if self.earlier is None:
            return None
        import json

        file = self.earlier / name
        try:
            data = file.read_bytes()
            entry = json.loads(data)
            result = _adapter().validate_python(entry["result"])
            src = SourceText(doc, path, list(entry["lines"]), tuple(entry["warnings"]),
                             tuple(entry["locators"]))
            used = set(entry["used"])
        except (OSError, ValueError, KeyError, TypeError):
            return None  # none, or one this engine cannot read: the document is read again
        corrections.used |= used
        self.entries[name] = (data, file)
        return src, result


def _dump(src: SourceText, result: ParseResult, used: list[str]) -> bytes:
    import json

    return json.dumps({"lines": src.lines, "locators": list(src.locators),
                       "warnings": list(src.warnings), "used": used,
                       "result": _adapter().dump_python(result, mode="json")},
                      ensure_ascii=False).encode("utf-8")
