"""The project vocabulary, closed: a misspelt term raises instead of minting a wrong IRI."""

from __future__ import annotations

from rdflib.namespace import ClosedNamespace, DefinedNamespace, Namespace
from rdflib.term import URIRef

__all__ = ["SA", "OA", "SKOSXL"]


class SA(DefinedNamespace):
    """Strategy alignment ontology (ontology/alignment.ttl)."""

    _fail = True
    _NS = Namespace("https://w3id.org/strategy-alignment/ontology#")

    # classes: plan elements (named after the Business Motivation Model)
    Plan: URIRef  # a published plan or strategy, as a concept scheme
    Element: URIRef  # any element of a plan
    Outcome: URIRef  # a policy or corporate outcome (BMM: desired result)
    StrategicObjective: URIRef  # a numbered strategic objective of an outcome
    Priority: URIRef  # a lettered or numbered priority
    Objective: URIRef  # an objective under a priority (2014-15 tables)
    Deliverable: URIRef  # a numbered deliverable (BMM: tactic)
    SubItem: URIRef  # an item listed inside a deliverable
    Foundation: URIRef  # a cross-cutting foundation ("well run organisation")
    Strand: URIRef  # a strand of a foundation
    Programme: URIRef  # a transformation programme
    Domain: URIRef  # a strategy domain
    Goal: URIRef  # a domain goal such as 4C (BMM: goal)
    Action: URIRef  # an action listed under a goal (BMM: course of action)
    Milestone: URIRef  # a year-one deliverable or milestone of a goal
    Strategy: URIRef  # a named strategy, plan or programme from the registry
    Statement: URIRef  # a piece of an element's text: a bullet, a paragraph
    Alignment: URIRef  # a qualified link between two nodes
    Responsibility: URIRef  # a post or team named as responsible, in its place among those named
    SourceDocument: URIRef  # a published document the facts were read from

    # properties
    plan: URIRef  # the plan an element belongs to
    order: URIRef  # position among siblings, in document order; of a source, statement, ...
    sequence: URIRef  # the order the build read an element or strategy or found a link in
    responsible: URIRef  # post or team responsible for an element
    qualifiedResponsibility: URIRef  # links an element to one of its responsibilities
    agent: URIRef  # the post or team of a responsibility
    references: URIRef  # the element's text names this strategy (binary shortcut)
    serves: URIRef  # the element serves this goal: an asserted alignment (binary shortcut)
    strategy: URIRef  # the strategy a plan publishes
    partOf: URIRef  # a strategy that is part of another
    strategyKind: URIRef  # strategy, plan, programme
    statement: URIRef  # links an element to one of its statements
    statementKind: URIRef  # policy_outcome, benefit, capability, achieve, challenge, ...
    variant: URIRef  # another published wording of an element's text
    variantField: URIRef  # which text a variant is of: label, capability[2]
    qualifiedAlignment: URIRef  # links a source node to a qualified link
    source: URIRef  # the source of a qualified link
    target: URIRef  # the target of a qualified link
    kind: URIRef  # the kind of a link: references, structural, explicit, ...
    status: URIRef  # asserted, suggested, rejected
    score: URIRef  # strength of a link, 0..1
    evidence: URIRef  # why the link exists, in words
    decision: URIRef  # an officer's decision on a link: accept, reject or add
    document: URIRef  # the source document of a derivation or variant
    lineStart: URIRef  # first line (1-based) of a derivation
    lineEnd: URIRef  # last line (inclusive) of a derivation
    sourceText: URIRef  # the exact text read at those lines
    locator: URIRef  # where those lines stand in a PDF, Word, web or ODF document: "page 3"
    sha256: URIRef  # content hash of a source document
    layout: URIRef  # the parser layout of a source document
    versionOf: URIRef  # a document that is another version of this one
    id: URIRef  # the element's stable, typeable ID
    due: URIRef  # when an element is due, as its source gives it ("2027-03-31", "March 2027")


OA = Namespace("http://www.w3.org/ns/oa#")

#: SKOS eXtension for Labels: an alias as a resource, so that it keeps its place among the others
SKOSXL = ClosedNamespace("http://www.w3.org/2008/05/skos-xl#", ["Label", "altLabel", "literalForm"])
