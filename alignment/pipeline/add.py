"""`align add`: check a plan document with its importer, then register it in the workspace.

Nothing is written unless the document imports: the report says what was recognised (counts
per level, posts and teams named) and what was skipped (with line numbers). Then the file is
copied unchanged into the workspace's sources/ and the manifest gains the plan and the document
(its comments and layout kept), each written atomically.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alignment.errors import InputError
from alignment.model import Document, ElementType, Plan
from alignment.readers import IMPORT_LAYOUTS, layout_for
from alignment.readers.base import ParseResult
from alignment.readers.common import default_levels, level_type
from alignment.sources.decode import SourceText, decode_source, read_source
from alignment.sources.workspace import MANIFEST, Workspace

__all__ = ["add_document", "check_document"]

_PLAN_ID = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$")
_DOC_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _parse(ws: Workspace, doc: Document, path: Path, data: bytes,
           docs: list[Document]) -> tuple[SourceText, ParseResult]:
    from alignment.readers.corpus import _cite

    src = decode_source(doc, path, data)
    result = IMPORT_LAYOUTS[doc.layout](src, doc.plan, None)
    result.warnings = [*src.warnings, *result.warnings]
    cited = {c[2] for c in result.citations}
    if cited:
        known = {d.id: d for d in docs}
        others = [(read_source(ws, known[d]), ParseResult()) for d in sorted(cited) if d in known]
        _cite([*others, (src, result)], [e.model_copy(deep=True) for e in result.elements])
    return src, result


def _report(doc: Document, plan: Plan, result: ParseResult, dest: str,
            written: bool) -> dict[str, Any]:
    order = {t.value: i for i, t in enumerate(ElementType)}
    counts: dict[str, int] = {}
    for e in sorted(result.elements, key=lambda e: order[e.type.value]):
        counts[e.type.value] = counts.get(e.type.value, 0) + 1
    posts = sorted({m.name for m in result.mentions if m.kind == "Post"})
    teams = sorted({m.name for m in result.mentions if m.kind == "Team"})
    skipped = [{"line": line, "why": why} for line, why in result.skipped]
    warnings = [w for w in result.warnings if ": skipped: " not in w]
    owners: dict[str, list[str]] = {}
    for m in result.mentions:
        owners.setdefault(m.element, [])
        if m.name not in owners[m.element]:
            owners[m.element].append(m.name)
    tree = [{"id": e.id, "type": e.type.value, "label": e.label, "parent": e.parent,
             "owners": owners.get(e.id, []), "line": e.provenance[0].line_start,
             **({"where": e.provenance[0].locator} if e.provenance[0].locator else {})}
            for e in result.elements]
    return {"document": doc.id, "plan": plan.id, "title": plan.title, "layout": doc.layout,
            "file": dest, "levels": doc.levels or [], "elements": len(result.elements),
            "counts": counts, "posts": posts, "teams": teams, "skipped": skipped,
            "warnings": warnings, "written": written, "tree": tree}


def check_document(ws: Workspace, file: Path, plan_id: str, title: str, **options: Any
                   ) -> dict[str, Any]:
    """The import report for a file, without writing anything."""
    return add_document(ws, file, plan_id, title, dry_run=True, **options)


def add_document(ws: Workspace, file: Path, plan_id: str, title: str, layout: str | None = None,
                 kind: str | None = None, period: str | None = None,
                 strategy: str | None = None, levels: list[str] | None = None,
                 doc_id: str | None = None, publisher: str | None = None,
                 sheet: str | None = None, dry_run: bool = False,
                 follows: str | None = None) -> dict[str, Any]:
    """Import `file` as the document of a new plan; register it unless `dry_run`. The manifest
    is read, checked and written under the workspace's lock: two plans added at once are both
    kept."""
    if dry_run:
        return _add(ws, file, plan_id, title, layout, kind, period, strategy, levels, doc_id,
                    publisher, sheet, dry_run, follows)
    if not ws.writable:
        raise InputError("the bundled data is read-only: create a workspace with "
                         "'align init DIR' and add the plan there (--workspace DIR)")
    with ws.curated_lock():
        return _add(ws, file, plan_id, title, layout, kind, period, strategy, levels, doc_id,
                    publisher, sheet, dry_run, follows)


def _add(ws: Workspace, file: Path, plan_id: str, title: str, layout: str | None,
         kind: str | None, period: str | None, strategy: str | None, levels: list[str] | None,
         doc_id: str | None, publisher: str | None, sheet: str | None,
         dry_run: bool, follows: str | None = None) -> dict[str, Any]:
    if not file.is_file():
        raise InputError(f"{file}: {'is a folder' if file.is_dir() else 'not found'}; give the "
                         f"plan's file")
    if not _PLAN_ID.match(plan_id):
        raise InputError(f"plan ID '{plan_id}': use capital letters, digits and hyphens, "
                         f"e.g. CYP25")
    if not title.strip():
        raise InputError("--title is empty; give the plan's title")
    data = file.read_bytes()
    layout = layout_for(file, layout, data)
    plans, docs = ws.manifest()
    if plan_id in {p.id for p in plans}:
        raise InputError(f"plan '{plan_id}' is already in {MANIFEST}; choose a new plan ID")
    # a plan's ID begins every ID of its elements: it must not run into another plan's, or
    # into the prefixes of posts, teams and strategies
    for other in [*(p.id for p in plans), "POST", "TEAM", "STRAT"]:
        if plan_id.startswith(f"{other}-") or other.startswith(f"{plan_id}-"):
            raise InputError(f"plan ID '{plan_id}' would share IDs with '{other}' (its IDs begin "
                             f"'{other}-'); choose an ID that neither begins nor ends one")
    doc_id = doc_id or re.sub(r"[^a-z0-9]+", "-", file.stem.lower()).strip("-") or "document"
    if not _DOC_ID.match(doc_id):
        raise InputError(f"document ID '{doc_id}': use lower-case letters, digits and hyphens")
    if doc_id in {d.id for d in docs}:
        raise InputError(f"document ID '{doc_id}' is already in {MANIFEST}; give another with "
                         f"--id")
    if follows is not None and follows not in {p.id for p in plans}:
        raise InputError(f"--follows {follows}: no such plan in {MANIFEST}; plans: "
                         f"{', '.join(p.id for p in plans)}")
    if strategy is not None:
        from alignment.sources.registry import Registry

        known = {s.id for s in Registry.load(ws.path("registry.yaml")).strategies}
        if strategy not in known:
            raise InputError(f"strategy '{strategy}' is not in registry.yaml; add it there "
                             f"first, or leave out --strategy")
    for word in levels or []:
        if level_type(word) is None:
            raise InputError(f"--levels: unknown level '{word}'; use words such as outcome, "
                             f"priority, deliverable, goal, action")
    is_strategy = strategy is not None or "strategy" in (kind or "").lower()
    plan = Plan(id=plan_id, title=title.strip(), kind=kind or ("strategy" if is_strategy
                                                                else "plan"),
                period=period or "not stated", strategy=strategy, follows=follows)
    rel = f"sources/{file.name}"
    dest = ws.path(rel)
    # a workbook may hold several plans, one per sheet
    taken = next((d for d in docs if d.file == rel and (layout != "xlsx" or d.sheet == sheet)),
                 None)
    if taken is not None:
        raise InputError(f"{rel} is already document '{taken.id}' of plan '{taken.plan}'")
    if dest.exists() and dest.read_bytes() != data:
        raise InputError(f"{rel} already exists with other content; rename the file to add it")
    digest = hashlib.sha256(data).hexdigest()
    same = [d for d in docs if d.sha256 == digest and (layout != "xlsx" or d.sheet == sheet)]
    typed = [level_type(w).value for w in levels] if levels else None  # type: ignore[union-attr]
    doc = Document(id=doc_id, file=rel, plan=plan_id, layout=layout, title=title.strip(),
                   publisher=publisher or "not stated", period=plan.period, kind="imported plan",
                   sha256=digest, levels=typed, sheet=sheet)
    try:
        src, result = _parse(ws, doc, file, data, docs)
    except InputError as first_error:
        # a workbook whose first sheet is a cover or notes page: the one other sheet that reads
        # as a plan is taken, and said so (with --sheet, the sheet named is read or refused)
        found = _other_sheet(ws, doc, file, data, docs) if layout == "xlsx" and sheet is None \
            and "no title column" in str(first_error) else None
        if found is None:
            raise
        doc, src, result, cover = found
        result.warnings.append(f"{file.name}: read sheet '{doc.sheet}', the only one with a "
                               f"header row naming a title column (the first, '{cover}', has "
                               f"none); --sheet chooses another")
    if layout != "yaml" and typed is None:
        # record the levels as read, so that the manifest says how each level is typed; a
        # strategy that names none of its levels gets a strategy's (goals, actions)
        found = result.levels
        plain = [t.value for t in default_levels(len(found), strategy=False)]
        if is_strategy and found and found == plain:
            found = [t.value for t in default_levels(len(found), strategy=True)]
        doc = doc.model_copy(update={"levels": found or None})
        if found != result.levels:
            src, result = _parse(ws, doc, file, data, docs)
    if typed and not result.levels:
        doc = doc.model_copy(update={"levels": None})
        result.warnings.append(f"{file.name}: --levels not used: every element names its own "
                               f"level")
    _check_structure(file, plan, doc, result)
    for d in same:  # the same bytes under another name: a second plan with the same elements
        result.warnings.append(f"{file.name}: the same content is already in the workspace as "
                               f"{d.file} (document '{d.id}' of plan '{d.plan}'); if that was "
                               f"not meant, take one out with 'align remove {plan.id}'")
    report = _report(doc, plan, result, rel, written=not dry_run)
    # a PDF, Word, web or ODF document's text as read, kept beside it: the lines that
    # provenance names are this file's lines
    text = "\n".join(src.lines) + "\n" if src.locators else None
    if text is not None:
        report["text"] = f"{rel}.txt"
        kept = dest.with_name(f"{dest.name}.txt")
        if kept.exists() and kept.read_text(encoding="utf-8", errors="replace") != text:
            raise InputError(f"{rel}.txt already exists with other text, where the text read "
                             f"from {file.name} is kept; rename the file to add it")
    if dry_run:
        return report
    _register(ws, plan, doc, dest, data, text)
    return report


def _other_sheet(ws: Workspace, doc: Document, file: Path, data: bytes, docs: list[Document]
                 ) -> tuple[Document, Any, ParseResult, str] | None:
    """The one sheet after the first that reads as a plan, read; None if none or several do."""
    from alignment.sources.decode import sheet_names

    names = sheet_names(data)
    read = []
    for name in names[1:]:
        candidate = doc.model_copy(update={"sheet": name})
        try:
            read.append((candidate, *_parse(ws, candidate, file, data, docs)))
        except InputError:
            continue
    if len(read) != 1:
        return None
    candidate, src, result = read[0]
    return candidate, src, result, names[0]


def _check_structure(file: Path, plan: Plan, doc: Document, result: ParseResult) -> None:
    """The new plan's elements on their own, against the graph's shapes: a level typed so that
    the build would refuse it (a goal under a priority) is reported now, naming the line."""
    from alignment.graph.rdf import to_rdf
    from alignment.graph.validate import validate
    from alignment.model import Corpus, Element

    top = Element(id=plan.id, type=ElementType.PLAN, plan=plan.id, code=plan.id, label=plan.title,
                  provenance=result.elements[0].provenance[:1])
    elements = [top, *(e.model_copy(update={"responsible": []}) for e in result.elements)]
    corpus = Corpus(plans=[plan], documents=[doc], elements=elements, agents=[], strategies=[],
                    links=[])
    check = validate(to_rdf(corpus))
    if check.conforms:
        return
    from alignment.graph.validate import short

    index = {e.id: e for e in result.elements}
    for r in check.results:
        if r.severity == "Violation":
            focus = short(r.focus)
            message = r.message
            path = r.path
            el = index.get(focus)
            if el is None:
                continue
            p = el.provenance[0]
            where = f"{file}:{p.line_start}{f' ({p.locator})' if p.locator else ''}: {el.id}"
            if str(path).endswith("#broader"):
                parent = index.get(el.parent or "")
                under = f" under {parent.id} ({parent.type.value})" if parent else ""
                if message.startswith("Node ") or not message:
                    message = f"a {el.type.value} may not sit there"
                raise InputError(f"{where} would be a {el.type.value}{under}, but {message}; "
                                 f"name the levels with --levels (top first) or in the file")
            raise InputError(f"{where}: {message or 'does not fit the graph'}; check that "
                             f"line of the file")
    raise InputError(f"{file}: the plan's structure does not fit the graph's shapes "
                     f"({check.violations} violations); name the levels with --levels")


def _edited_manifest(ws: Workspace, change: Callable[[Any], None]) -> str:
    """The manifest's text after `change` edits its YAML tree, with its comments, quoting and
    indentation kept (ruamel.yaml's round trip)."""
    from alignment.sources.yamlio import edit_yaml

    return edit_yaml(ws.path(MANIFEST), change)


def _register(ws: Workspace, plan: Plan, doc: Document, dest: Path, data: bytes,
              text: str | None = None) -> None:
    from alignment.files import write_atomic

    def append(raw: Any) -> None:
        raw.setdefault("plans", []).append(plan.model_dump(exclude_none=True))
        raw.setdefault("documents", []).append(doc.model_dump(exclude_none=True))

    manifest = _edited_manifest(ws, append)
    created = not dest.exists()
    extracted = dest.with_name(f"{dest.name}.txt")
    try:
        if created:
            write_atomic(dest, data)
        if text is not None:
            write_atomic(extracted, text)
        write_atomic(ws.path(MANIFEST), manifest)
    except BaseException:
        if created:
            dest.unlink(missing_ok=True)
        if text is not None:
            extracted.unlink(missing_ok=True)
        raise


def remove_plan(ws: Workspace, plan_id: str) -> dict[str, Any]:
    """Take a plan and its documents out of the manifest. The source files stay in sources/
    (nothing an officer brought is deleted); decisions about the plan's elements must be
    withdrawn first, or the next build would refuse them."""

    if not ws.writable:
        raise InputError("the bundled data is read-only: plans are removed from a workspace "
                         "('align init DIR', then --workspace DIR)")
    with ws.curated_lock():
        return _remove(ws, plan_id)


def _remove(ws: Workspace, plan_id: str) -> dict[str, Any]:
    from alignment.files import write_atomic
    from alignment.links.decisions import load_decisions

    plans, docs = ws.manifest()
    if plan_id not in {p.id for p in plans}:
        raise InputError(f"no plan '{plan_id}' in {MANIFEST} (plans: "
                         f"{', '.join(p.id for p in plans)})")
    if len(plans) == 1:
        raise InputError(f"'{plan_id}' is the workspace's only plan; a workspace needs one")
    mine = [d for d in docs if d.plan == plan_id]
    gone = {d.id for d in mine}
    for d in docs:  # a YAML record that cites the plan's documents would no longer build
        if d.plan != plan_id and d.layout == "yaml":
            src = read_source(ws, d)
            cited = {c[2] for c in IMPORT_LAYOUTS["yaml"](src, d.plan, None).citations}
            if cited & gone:
                raise InputError(f"{d.file} cites '{sorted(cited & gone)[0]}', a document of plan "
                                 f"'{plan_id}'; remove plan '{d.plan}' first, or its citations")
    for n, d in enumerate(load_decisions(ws.path("decisions.yaml")), 1):
        if d.active and any(end == plan_id or end.startswith(f"{plan_id}-")
                            for end in (d.source, d.target)):
            raise InputError(f"decision {n} ({d.source} -> {d.target}) is about plan "
                             f"'{plan_id}'; withdraw it first with 'align withdraw {n}'")

    def drop(raw: Any) -> None:
        for key, field in (("plans", "id"), ("documents", "plan")):
            entries = raw.get(key) or []
            for i in range(len(entries) - 1, -1, -1):
                if entries[i].get(field) == plan_id:
                    del entries[i]

    write_atomic(ws.path(MANIFEST), _edited_manifest(ws, drop))
    return {"plan": plan_id, "documents": [d.id for d in mine],
            "kept": [d.file for d in mine]}
