"""What every parser returns, and helpers they share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from alignment.model import Element, ElementType, Provenance, Statement
from alignment.sources.decode import SourceText

__all__ = ["Mention", "ParseResult", "Reader", "BULLET"]

#: A bullet line: "- text", "• text", "■ text" (any indentation).
BULLET = re.compile(r"^\s*[-\u2022\u25a0]\s*(.+)$")


@dataclass
class Mention:
    """A responsible post or team named in the text of an element."""

    element: str
    name: str
    kind: str  # "Post" | "Team"
    provenance: Provenance


@dataclass
class ParseResult:
    elements: list[Element] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    corrections_used: set[str] = field(default_factory=set)
    #: lines an importer did not read into the model: (line, why)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    #: where other documents say what an imported element says: (element ID, line of the
    #: citation in this document, cited document, first line, last line, quoted text)
    citations: list[tuple[str, int, str, int, int, str]] = field(default_factory=list)
    #: for imported documents: the element type each level was read as, top first
    levels: list[str] = field(default_factory=list)
    #: text that speaks for the plan as a whole (its vision), as statements of the plan
    plan_statements: list[Statement] = field(default_factory=list)


class Reader:
    """Shared state of one parse: the source, the result, and element construction helpers."""

    def __init__(self, src: SourceText, plan: str):
        self.src = src
        self.plan = plan
        self.out = ParseResult()
        self._by_id: dict[str, Element] = {}

    @property
    def doc(self) -> str:
        return self.src.document.id

    def prov(self, line: int, text: str | None = None, end: int | None = None) -> Provenance:
        exact = text if text is not None else self.src.line(line).strip()
        return Provenance(document=self.doc, line_start=line, line_end=end or line, text=exact,
                          locator=self.src.locator(line, end))

    def warn(self, line: int, message: str) -> None:
        self.out.warnings.append(f"{self.src.at(line)}: {message}")

    def get(self, element_id: str) -> Element | None:
        return self._by_id.get(element_id)

    def element(self, id: str, type: ElementType, code: str, label: str, parent: str | None,
                line: int, text: str | None = None) -> Element:
        """Create an element, or add provenance to one this document already has."""
        known = self._by_id.get(id)
        if known is not None:
            known.provenance.append(self.prov(line, text))
            return known
        order = sum(1 for e in self.out.elements if e.parent == parent)
        el = Element(id=id, type=type, plan=self.plan, code=code, label=label, parent=parent,
                     order=order, provenance=[self.prov(line, text)])
        self._by_id[id] = el
        self.out.elements.append(el)
        return el

    def state(self, el: Element, kind: str, line: int, text: str | None = None) -> None:
        exact = text if text is not None else self.src.line(line).strip()
        el.statements.append(Statement(kind=kind, text=_clean(exact),
                                       provenance=self.prov(line, exact)))

    def mention(self, el: Element, name: str, kind: str, line: int) -> None:
        self.out.mentions.append(Mention(el.id, name.strip(), kind, self.prov(line, name.strip())))

    def extend(self, el: Element, line: int, text: str) -> None:
        """Continue an element's label with text from a later line (a page break)."""
        el.label = f"{el.label} {_clean(text)}"
        last = el.provenance[-1]
        el.provenance[-1] = Provenance(document=last.document, line_start=last.line_start,
                                       line_end=line, text=f"{last.text}\n{text.strip()}",
                                       locator=self.src.locator(last.line_start, line))


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
