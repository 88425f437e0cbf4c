"""The one model every stage shares: a corpus of plans, elements, agents, strategies and links.

Every fact carries provenance: the document, the line span, and the exact source text.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from alignment.terms import AgentKind, ElementType, LinkKind, LinkStatus

__all__ = [
    "AgentKind",
    "Agent",
    "Corpus",
    "Document",
    "Element",
    "GlossaryTerm",
    "ElementType",
    "Link",
    "LinkKind",
    "LinkStatus",
    "Plan",
    "Provenance",
    "Statement",
    "Strategy",
    "Variant",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Provenance(_Model):
    """Where a fact was read: document ID, 1-based inclusive line span, exact source text, and
    for a PDF, Word, web or ODF document, where in it those lines stand (`locator`: "page 3",
    "paragraph 12", "table 1, row 4", an HTML element's path); the lines are those of the
    document's extracted text."""

    document: str
    line_start: int
    line_end: int
    text: str
    locator: str | None = None


class Statement(_Model):
    """A piece of text attached to an element (a bullet, a paragraph), with its own provenance."""

    kind: str  # e.g. policy_outcome, benefit, capability, achieve, challenge, approach, aim, note
    text: str
    provenance: Provenance


class Variant(_Model):
    """Another published wording of one of an element's texts (its label, or a statement)."""

    document: str
    field: str = "label"  # "label", or a statement as "capability[2]"
    text: str


class Element(_Model):
    id: str
    type: ElementType
    plan: str
    code: str  # the notation as published: "4C", "21", "D", "P2"
    label: str
    parent: str | None = None
    order: int = 0  # position among its siblings, in document order
    due: str | None = None  # when it is due, as the source gives it: "2027-03-31", "March 2027"
    statements: list[Statement] = Field(default_factory=list)
    responsible: list[str] = Field(default_factory=list)  # agent IDs
    provenance: list[Provenance] = Field(default_factory=list)
    variants: list[Variant] = Field(default_factory=list)

    def text(self) -> str:
        """The element's label and statements: the text that names things."""
        return "\n".join([self.label, *(s.text for s in self.statements)])


class Agent(_Model):
    """A post (org:Post) or a team (org:OrganizationalUnit)."""

    id: str
    kind: AgentKind
    label: str
    aliases: list[str] = Field(default_factory=list)
    provenance: list[Provenance] = Field(default_factory=list)


class Strategy(_Model):
    """A named strategy, plan or programme from the curated registry."""

    id: str
    label: str
    kind: str
    aliases: list[str] = Field(default_factory=list)
    part_of: str | None = None
    note: str | None = None


class Link(_Model):
    """A qualified link between two nodes, with its kind, evidence and provenance.

    `evidence` is the sentence shown to people, composed from the typed fields, which are what
    rules read: `kind` and `status`; `named_in` (for a link from a named strategy: the element's
    field that names it, "label" for its own title); `path` (for an inherited link: the elements
    from the one that names the strategy down to the source); `matched` (for a similarity link:
    the goal's closest line, as "kind: text"); `shared` (the words the two texts share);
    `similarity` and `baseline` (a similarity link's weighted similarity and the average its
    score is measured from); `decision` (an officer's decision on it: accept, reject, add)."""

    id: str
    source: str
    target: str
    kind: LinkKind
    status: LinkStatus = LinkStatus.ASSERTED
    score: float = 1.0
    evidence: str
    provenance: Provenance
    named_in: str | None = None
    path: list[str] = Field(default_factory=list)
    matched: str | None = None
    shared: list[str] = Field(default_factory=list)
    similarity: float | None = None
    baseline: float | None = None
    decision: str | None = None  # an officer's: accept, reject or add


class Document(_Model):
    id: str
    file: str
    plan: str
    layout: str
    title: str
    publisher: str
    period: str
    kind: str
    sha256: str
    version_of: str | None = None
    url: str | None = None
    #: for imported documents: the element type of each level, top first (outline, csv, xlsx)
    levels: list[str] | None = None
    #: for an xlsx workbook: the sheet to read (default: the first)
    sheet: str | None = None
    _layout_at: str = PrivateAttr(default="")  # "manifest.yaml:LINE" of its layout, once read


class Plan(_Model):
    id: str
    title: str
    kind: str
    period: str
    strategy: str | None = None
    #: the plan this one succeeds (a 2024-29 corporate plan follows the 2014-15 delivery plan):
    #: continuity suggestions run between the two, and between no others
    follows: str | None = None


class GlossaryTerm(_Model):
    """A term and what it means ("AEB": "Adult Education Budget"); `source` says where that is
    stated (a document and line, or the reference an officer gave), `where` where the engine read
    it (the document's line, or glossary.yaml's)."""

    term: str = Field(min_length=2, max_length=40)
    means: str = Field(min_length=3, max_length=200)
    source: str = Field(min_length=3)
    where: str = ""


class Corpus(_Model):
    """Everything one build read, merged: the input of the graph stage."""

    plans: list[Plan]
    documents: list[Document]
    elements: list[Element]
    agents: list[Agent]
    strategies: list[Strategy]
    links: list[Link]
    warnings: list[str] = Field(default_factory=list)
    glossary: list[GlossaryTerm] = Field(default_factory=list)
    _children: dict[str, list[Element]] = PrivateAttr(default_factory=dict)
    _children_key: tuple[int, int] | None = PrivateAttr(default=None)

    def element_index(self) -> dict[str, Element]:
        return {e.id: e for e in self.elements}

    def children(self, parent_id: str) -> list[Element]:
        """An element's children in document order (indexed once per list of elements)."""
        key = (id(self.elements), len(self.elements))
        if self._children_key != key:
            index: dict[str, list[Element]] = {}
            for e in self.elements:
                if e.parent is not None:
                    index.setdefault(e.parent, []).append(e)
            for kids in index.values():
                kids.sort(key=lambda e: e.order)
            self._children, self._children_key = index, key
        return list(self._children.get(parent_id, []))
