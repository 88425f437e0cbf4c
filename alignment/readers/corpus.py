"""The build: sources -> extraction -> one merged corpus with agents and explicit references."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alignment.errors import InputError
from alignment.model import (
    Agent,
    AgentKind,
    Corpus,
    Document,
    Element,
    ElementType,
    GlossaryTerm,
    Link,
    LinkKind,
    Plan,
    Provenance,
    Variant,
)
from alignment.readers import Mention, ParseResult
from alignment.readers.reuse import Reuse
from alignment.sources.corrections import Corrections
from alignment.sources.decode import SourceText
from alignment.sources.glossary import GLOSSARY_FILE, defined_in, load_glossary
from alignment.sources.registry import Match, Registry
from alignment.sources.workspace import Workspace
from alignment.text import normalise, slug

__all__ = ["build_corpus", "compare_text"]

Progress = Callable[[str], None]


def compare_text(text: str) -> str:
    """The key under which two wordings count as the same: quotes, case, spacing and a closing
    full stop do not matter."""
    return normalise(text).rstrip(". ")


def build_corpus(ws: Workspace, progress: Progress | None = None,
                 reuse: Reuse | None = None) -> Corpus:
    """Read every document of the manifest and merge what they say into one corpus; with
    `reuse`, a document an earlier build read the same way is not read again."""
    say = progress or (lambda _msg: None)
    reuse = reuse or Reuse()
    plans, docs = ws.manifest()
    registry = Registry.load(ws.path("registry.yaml"))
    corrections = Corrections.load(ws.path("corrections.yaml"))
    corrections.check_documents({d.id for d in docs})
    warnings: list[str] = []
    parsed: list[tuple[SourceText, ParseResult]] = []
    # main documents first, so their wording is the label and other versions become variants
    for doc in sorted(docs, key=lambda d: d.version_of is not None):
        say(f"reading {doc.file}")
        src, result = reuse.read(ws, doc, corrections)
        warnings += [*src.warnings, *result.warnings]
        parsed.append((src, result))
    for c in corrections.unused({d.id for d in docs}):
        where = Path(c._where).name or "corrections.yaml"
        warnings.append(f"{where}: correction '{c.id}' was not used (line {c.line} of "
                        f"'{c.document}' did not need it); check or remove it")
    say("merging versions")
    elements = _plan_elements(plans, parsed) + _merge(parsed, warnings)
    _cite(parsed, elements)
    say("resolving posts and teams")
    agents = _agents([m for _, r in parsed for m in r.mentions], elements, registry, warnings)
    say("finding named strategies")
    links = _references(elements, lambda text: reuse.found(registry, ws.path("registry.yaml"),
                                                           text))
    glossary = _glossary(elements, ws)
    return Corpus(plans=plans, documents=docs, elements=elements, agents=agents,
                  strategies=registry.strategies, links=links, warnings=warnings,
                  glossary=glossary)


def _glossary(elements: list[Element], ws: Workspace) -> list[GlossaryTerm]:
    """The terms the documents define, then the workspace's glossary.yaml, which wins where both
    define a term (see alignment.sources.glossary)."""
    texts = []
    for e in elements:
        where = f"{e.provenance[0].document}:{e.provenance[0].line_start}"
        texts += [(e.label, where), *((s.text, where) for s in e.statements)]
    terms = {t.term: t for t in defined_in(texts)}
    terms.update((t.term, t) for t in load_glossary(ws.path(GLOSSARY_FILE)))
    return list(terms.values())


def _cite(parsed: list[tuple[SourceText, ParseResult]], elements: list[Element]) -> None:
    """Add the cited lines of other documents to imported elements' provenance, after checking
    that the quoted words are on those lines."""
    texts = {src.document.id: src for src, _ in parsed}
    index = {e.id: e for e in elements}
    for src, result in parsed:
        for eid, at, doc, first, last, quote in result.citations:
            where = f"{src.path}:{at}"
            cited = texts.get(doc)
            if cited is None:
                raise InputError(f"{where}: cites document '{doc}', which is not in the manifest "
                                 f"(documents: {', '.join(sorted(texts))})")
            if not 1 <= first <= last <= len(cited.lines):
                raise InputError(f"{where}: lines {first}-{last} are outside '{doc}' "
                                 f"({len(cited.lines)} lines)")
            lines = "\n".join(cited.lines[first - 1:last])
            if not quote.strip() or normalise(quote) not in normalise(lines):
                raise InputError(f"{where}: '{quote[:60]}' is not on lines {first}-{last} of "
                                 f"'{doc}'; quote that document's own words")
            index[eid].provenance.append(Provenance(document=doc, line_start=first,
                                                    line_end=last, text=lines.strip(),
                                                    locator=cited.locator(first, last)))


def _plan_elements(plans: list[Plan], parsed: list[tuple[SourceText, ParseResult]]) -> list[Element]:
    out = []
    for order, plan in enumerate(plans):
        provs = []
        for src, _ in parsed:
            if src.document.plan == plan.id:
                first = next(i for i, ln in enumerate(src.lines, 1) if ln.strip())
                provs.append(Provenance(document=src.document.id, line_start=first,
                                        line_end=len(src.lines), text=src.line(first).strip(),
                                        locator=src.locator(first)))
        if provs:
            said = [st for src, result in parsed if src.document.plan == plan.id
                    for st in result.plan_statements]
            out.append(Element(id=plan.id, type=ElementType.PLAN, plan=plan.id, code=plan.id,
                               label=plan.title, order=order, provenance=provs, statements=said))
    return out


def _merge(parsed: list[tuple[SourceText, ParseResult]], warnings: list[str]) -> list[Element]:
    """Merge the elements of every version of a document under one ID each."""
    merged: dict[str, Element] = {}
    for src, result in parsed:
        doc: Document = src.document
        for el in result.elements:
            known = merged.get(el.id)
            if known is None:
                if doc.version_of:
                    warnings.append(f"{src.path.name}:{el.provenance[0].line_start}: {el.id} is "
                                    f"only in version '{doc.id}', not in '{doc.version_of}'")
                merged[el.id] = el  # each parse is made for this build: changed in place
                continue
            known.provenance += el.provenance
            known.variants += el.variants
            if compare_text(el.label) != compare_text(known.label):
                known.variants.append(Variant(document=doc.id, field="label", text=el.label))
            _statement_variants(known, el, doc.id)
    return list(merged.values())


def _statement_variants(known: Element, other: Element, doc: str) -> None:
    kinds = {s.kind for s in known.statements} | {s.kind for s in other.statements}
    for kind in sorted(kinds):
        mine = [s.text for s in known.statements if s.kind == kind]
        theirs = [s.text for s in other.statements if s.kind == kind]
        for i in range(max(len(mine), len(theirs))):
            a = mine[i] if i < len(mine) else ""
            b = theirs[i] if i < len(theirs) else ""
            if compare_text(a) != compare_text(b):
                known.variants.append(Variant(document=doc, field=f"{kind}[{i + 1}]", text=b))


def _agents(mentions: list[Mention], elements: list[Element], registry: Registry,
            warnings: list[str]) -> list[Agent]:
    by_id = {e.id: e for e in elements}
    agents: dict[str, Agent] = {}
    for m in mentions:
        if m.kind == AgentKind.POST:
            aid = registry.post_id(m.name)
            if aid is None:
                aid = f"POST-{slug(m.name)}"
                if aid not in agents:
                    warnings.append(f"{m.provenance.document}:{m.provenance.line_start}: post "
                                    f"'{m.name}' is not in the registry; add it (with aliases) "
                                    f"to registry.yaml")
            entry = next((p for p in registry.posts if p.id == aid), None)
            label = entry.label if entry else m.name
            aliases = entry.aliases if entry else []
        else:
            aid, label, aliases = f"TEAM-{slug(m.name)}", m.name, []
        agent = agents.get(aid)
        if agent is None:
            agent = agents[aid] = Agent(id=aid, kind=AgentKind(m.kind), label=label,
                                        aliases=list(aliases))
        if normalise(m.name) not in {normalise(a) for a in [agent.label, *agent.aliases]}:
            agent.aliases.append(m.name)
        agent.provenance.append(m.provenance)
        el = by_id[m.element]
        if aid not in el.responsible:
            el.responsible.append(aid)
    return sorted(agents.values(), key=lambda a: a.id)


def _references(elements: list[Element], find: Callable[[str], list[Match]]) -> list[Link]:
    """An explicit `references` link for every named strategy in an element's own text (`find`:
    the names of a text, as `Registry.find` gives them)."""
    links: dict[str, Link] = {}
    for el in elements:
        if el.type == ElementType.PLAN:
            continue
        texts = [("label", el.label, el.provenance[0])]
        texts += [(s.kind, s.text, s.provenance) for s in el.statements]
        for field, text, prov in texts:
            for m in find(text):
                if m.target is None:
                    continue
                lid = f"{el.id}.references.{m.target}"
                if lid in links:
                    continue
                links[lid] = Link(id=lid, source=el.id, target=m.target, kind=LinkKind.REFERENCES,
                                  evidence=f"its {'title' if field == 'label' else field} "
                                           f"names '{m.phrase}'", provenance=prov,
                                  named_in=field)
    return list(links.values())
