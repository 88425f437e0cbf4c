"""What the generic importers share: an item read from any format, the rules that give items
their place in the tree and their element type, and the step that turns items into the same
elements, statements and responsibility mentions the built-in parsers produce."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from alignment.errors import InputError
from alignment.model import AgentKind, ElementType
from alignment.readers.base import ParseResult, Reader
from alignment.sources.decode import SourceText

__all__ = ["Item", "LEVEL_WORDS", "level_type", "default_levels", "assemble", "split_names"]

#: Words an officer may use for a level (in a spreadsheet's level column, a YAML `level`, a
#: heading such as "Priority 2:", or `align add --levels`), and the element type each means.
LEVEL_WORDS: dict[str, ElementType] = {
    "outcome": ElementType.OUTCOME, "theme": ElementType.OUTCOME,
    "ambition": ElementType.OUTCOME, "pillar": ElementType.OUTCOME,
    "strategic objective": ElementType.STRATEGIC_OBJECTIVE,
    "strategicobjective": ElementType.STRATEGIC_OBJECTIVE,
    "priority": ElementType.PRIORITY,
    "objective": ElementType.OBJECTIVE, "aim": ElementType.OBJECTIVE,
    "deliverable": ElementType.DELIVERABLE, "commitment": ElementType.DELIVERABLE,
    "task": ElementType.DELIVERABLE, "activity": ElementType.DELIVERABLE,
    "action": ElementType.ACTION,
    "milestone": ElementType.MILESTONE,
    "goal": ElementType.GOAL,
    "domain": ElementType.DOMAIN,
    "programme": ElementType.PROGRAMME, "program": ElementType.PROGRAMME,
    "project": ElementType.PROGRAMME,
    "sub-item": ElementType.SUB_ITEM, "subitem": ElementType.SUB_ITEM,
    "sub item": ElementType.SUB_ITEM,
    "strand": ElementType.STRAND, "foundation": ElementType.FOUNDATION,
}

_PLAN_LEVELS = {
    1: [ElementType.DELIVERABLE],
    2: [ElementType.PRIORITY, ElementType.DELIVERABLE],
    3: [ElementType.OUTCOME, ElementType.PRIORITY, ElementType.DELIVERABLE],
    4: [ElementType.OUTCOME, ElementType.STRATEGIC_OBJECTIVE, ElementType.PRIORITY,
        ElementType.DELIVERABLE],
}
_STRATEGY_LEVELS = {
    1: [ElementType.GOAL],
    2: [ElementType.GOAL, ElementType.ACTION],
    3: [ElementType.DOMAIN, ElementType.GOAL, ElementType.ACTION],
    4: [ElementType.DOMAIN, ElementType.GOAL, ElementType.OBJECTIVE, ElementType.ACTION],
}


def level_type(word: str) -> ElementType | None:
    """The element type a level word names ("Priority", "priorities", "Strategic objective")."""
    w = re.sub(r"[\s_]+", " ", word.strip().lower())
    if w in LEVEL_WORDS:
        return LEVEL_WORDS[w]
    for t in ElementType:
        if w.replace(" ", "") == t.value.lower():
            return t
    if w.endswith("ies") and w[:-3] + "y" in LEVEL_WORDS:
        return LEVEL_WORDS[w[:-3] + "y"]
    if w.endswith("s") and w[:-1] in LEVEL_WORDS:
        return LEVEL_WORDS[w[:-1]]
    return None


def default_levels(depth: int, strategy: bool) -> list[ElementType]:
    """The types of a tree `depth` levels deep, top level first: a plan's deepest items are its
    deliverables, a strategy's are the actions under its goals; beyond four levels, sub-items."""
    table = _STRATEGY_LEVELS if strategy else _PLAN_LEVELS
    if depth <= 4:
        return list(table[max(depth, 1)])
    return table[4] + [ElementType.SUB_ITEM] * (depth - 4)


#: The levels that usually sit under one named level, for an outline that names some levels
#: ("## Priority 1: ...") and numbers the rest.
_BELOW = {
    ElementType.OUTCOME: [ElementType.PRIORITY, ElementType.DELIVERABLE],
    ElementType.STRATEGIC_OBJECTIVE: [ElementType.PRIORITY, ElementType.DELIVERABLE],
    ElementType.PRIORITY: [ElementType.DELIVERABLE],
    ElementType.OBJECTIVE: [ElementType.DELIVERABLE],
    ElementType.STRAND: [ElementType.DELIVERABLE],
    ElementType.PROGRAMME: [ElementType.DELIVERABLE],
    ElementType.FOUNDATION: [ElementType.STRAND, ElementType.DELIVERABLE],
    ElementType.DOMAIN: [ElementType.GOAL, ElementType.ACTION],
    ElementType.GOAL: [ElementType.ACTION],
}


def _anchored(items: list[Item], depth: int, strategy: bool) -> list[ElementType]:
    """Types per depth: below the deepest level the input names (a heading "Priority 2:", a
    level column), the levels that usually sit under it; elsewhere the defaults."""
    named = [i for i in items if i.level is not None]
    levels = default_levels(depth, strategy)
    if not named:
        return levels
    for d in sorted({i.depth for i in named}):
        at = [i.level for i in named if i.depth == d]
        levels[d - 1] = max(set(at), key=at.count)  # type: ignore[arg-type]
    anchor_depth = max(i.depth for i in named)
    # filled from the bottom: the deepest items under a named theme are its deliverables
    below = _BELOW.get(levels[anchor_depth - 1], [])
    under = depth - anchor_depth
    chain = below[-under:] if under <= len(below) else below + [ElementType.SUB_ITEM] * (
        under - len(below))
    for d in range(anchor_depth, depth):
        levels[d] = chain[d - anchor_depth]
    return levels


def split_names(cell: str) -> list[str]:
    """Post or team names in one cell or line, separated by ';' or new lines (a comma or "/"
    may be part of one post's name: "Executive Director of Adults, Housing and Health",
    "CFO / Section 151 officer")."""
    return [n.strip(" .") for n in re.split(r"[;\n\u2028]", cell) if n.strip(" .")]


@dataclass
class Item:
    """One element as an importer read it, before it has an ID and a type."""

    line: int  # first source line (a sheet's row number)
    text: str  # the exact source text of that line or row
    title: str
    code: str = ""  # the notation as published: "3.1.1", "a", "" for a bullet
    key: str = ""  # the numbering style, which gives the depth in an outline
    level: ElementType | None = None  # when the input names the level
    end: int = 0
    due: str = ""  # when it is due, as the source gives it
    statements: list[tuple[int, str]] = field(default_factory=list)
    posts: list[tuple[int, str]] = field(default_factory=list)
    teams: list[tuple[int, str]] = field(default_factory=list)
    parent: Item | None = None
    skip: int = 0  # levels missing between this item and its parent (3.1.1 read under 3)
    children: list[Item] = field(default_factory=list)
    sources: list[tuple[int, str, int, int, str]] = field(default_factory=list)
    also: list[tuple[int, str]] = field(default_factory=list)  # lines that repeat the item

    @property
    def depth(self) -> int:
        return 1 + self.skip if self.parent is None else self.parent.depth + 1 + self.skip

    def adopt(self, child: Item) -> None:
        child.parent = self
        self.children.append(child)


def _id_part(code: str) -> str:
    return "-".join(re.findall(r"[A-Za-z0-9]+", code)).upper()


def assemble(src: SourceText, plan: str, roots: list[Item], levels: list[ElementType] | None,
             strategy: bool, skipped: list[tuple[int, str]]) -> ParseResult:
    """Elements from a tree of items. Types: the item's own level word, else the document's
    `levels` (top first), else the default for the tree's depth. IDs: the plan, then the
    published code path ("CYP-2-1" for item 2.1); a repeated code gets an R suffix, and a
    warning naming both lines."""
    reader = Reader(src, plan)
    items: list[Item] = []

    def walk(nodes: list[Item]) -> None:
        for n in nodes:
            items.append(n)
            walk(n.children)

    walk(roots)
    depth = max((i.depth for i in items), default=0)
    numbered = max((i.depth for i in items if not i.key.startswith("bullet")), default=0)
    if numbered and numbered < depth:
        # bullets under only some of the deepest numbered items are their details (sub-items);
        # under most of them, they are a level of their own (actions under priorities)
        deepest = [i for i in items if i.depth == numbered and not i.key.startswith("bullet")]
        bulleted = [i for i in deepest if any(c.key.startswith("bullet") for c in i.children)]
        if 2 * len(bulleted) < len(deepest):
            depth = numbered
    listed = ("number", "letter", "roman")
    bottom = [i for i in items if i.depth == depth]
    if depth > 1 and bottom and all(i.key.startswith(listed) for i in bottom):
        # the same for a lettered or numbered list under only a few items of the level above
        above = [i for i in items if i.depth == depth - 1]
        if 2 * len({id(i.parent) for i in bottom}) < len(above):
            depth -= 1
    if levels and len(levels) < depth:
        deepest = max(items, key=lambda i: i.depth)
        raise InputError(f"{src.path}:{deepest.line}: the document has {depth} levels but its "
                         f"levels name {len(levels)} ({', '.join(t.value for t in levels)}); "
                         f"name one per level")
    by_depth = levels or _anchored(items, depth, strategy)
    ids: dict[int, str] = {}
    seen: dict[str, int] = {}
    bullets: dict[str, int] = {}
    for it in items:
        parent_id = ids[id(it.parent)] if it.parent is not None else plan
        pcode = it.parent.code if it.parent is not None else ""
        if it.code and pcode and re.match(rf"{re.escape(pcode)}[.\-/ ]\w", it.code, re.I):
            base = f"{parent_id}-{_id_part(it.code[len(pcode) + 1:])}"  # E1.1 under E1
        elif it.code:
            part = _id_part(it.code)
            dotted = "." in it.code and it.code.replace(".", "").isdigit()
            base = f"{plan}-{part}" if dotted or it.parent is None else f"{parent_id}-{part}"
        else:
            n = bullets[parent_id] = bullets.get(parent_id, 0) + 1
            mark = {"heading": "H", "group": "G"}.get(it.key.split("-")[0], "B")
            base = f"{parent_id}-{mark}{n}"
        eid, k = base, 1
        while eid in seen:
            k += 1
            eid = f"{base}-R{k}"
        if k > 1:
            reader.warn(it.line, f"code {it.code or '(bullet)'} repeats line {seen[base]}; "
                                 f"read as {eid}: check the numbering")
        seen[eid] = it.line
        ids[id(it)] = eid
        etype = it.level or (by_depth[it.depth - 1] if it.depth <= depth
                             else ElementType.SUB_ITEM)
        el = reader.element(eid, etype, it.code, it.title, parent_id, it.line, it.text)
        if it.due:
            el.due = it.due
        if it.end > it.line:
            last = el.provenance[-1]
            el.provenance[-1] = last.model_copy(update={"line_end": it.end})
        for line, text in it.also:
            el.provenance.append(reader.prov(line, text))
        for line, text in it.statements:
            reader.state(el, "text", line, text)
        for line, name in it.posts:
            reader.mention(el, name, AgentKind.POST, line)
        for line, name in it.teams:
            reader.mention(el, name, AgentKind.TEAM, line)
    for line, why in skipped:
        reader.warn(line, f"skipped: {why}")
    reader.out.skipped = list(skipped)
    # the types given by depth (none when every item names its own level)
    named = all(it.level is not None for it in items)
    reader.out.levels = [] if named else [t.value for t in by_depth[:depth]]
    reader.out.citations = [(ids[id(it)], *cite) for it in items for cite in it.sources]
    return reader.out
