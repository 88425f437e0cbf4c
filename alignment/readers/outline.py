"""Numbered outlines in plain text or Markdown.

Recognised, line by line: Markdown headings (`#`..`######`); dotted numbers (`3.1`, `3.1.1`);
numbered, lettered and roman lists (`1.`, `2)`, `a)`, `(b)`, `A.`, `iv.`); headings that name
their level (`Priority 2: ...`, `Goal 4C. ...`, also as a bullet: `• Outcome 1: ...,`);
bullets (`-`, `*`, `•`), without the commas that run a list on. Each numbering style opens a
level under the item above it, and returns to that level when it comes again (as an outliner
reads it); dotted numbers find their parent by their own code (`3.1.1` under `3.1`).
A dotted number alone on its line (`3.1`) titles the next line with text. A plan with none of
these has plain sub-headings, each followed by the commitments under it (`We will ...`).
Sections that set the scene (`Our vision`, `What success looks like`), bullets included, are
the text of the heading or numbered item they stand under, or of the plan before the first
item; a line that announces a list (`The 3 priorities for this outcome are:`) gives the level
of the list's items.

Lines that name a responsible post (`Lead: ...`, `Responsible director: ...`, or a
`Responsible Directors:` line followed by bullets, or a trailing `(Lead: ...)`) or a team
(`Lead team: ...`) record who is responsible for the item (several names are separated by
`;`). Such a line straight after an item's title belongs to that item; after a run of
siblings (3.1.1 to 3.1.3, or bullets) it closes their block and belongs to their parent (3.1).
Other lines are the item's text: a line straight after an item whose title has not ended
continues the title. Lines before the
first item, page furniture and Markdown tables are skipped and reported with their numbers.
"""

from __future__ import annotations

import re

from alignment.errors import InputError
from alignment.model import ElementType, Statement
from alignment.readers.base import ParseResult, Reader
from alignment.readers.common import Item, assemble, level_type, split_names
from alignment.sources.corrections import Corrections
from alignment.sources.decode import SourceText
from alignment.text import counted, normalise

__all__ = ["parse"]

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_DOTTED = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+)\.?(?:\s+)(\S.*)$")
_NUM = re.compile(r"^(\d{1,3})(?:[.)]\s+|\t+|\s{2,})(\S.*)$")
_PAREN = re.compile(r"^\((\d{1,3}|[a-zA-Z]|[ivxIVX]{1,5})\)\s+(\S.*)$")
_LETTER = re.compile(r"^([a-zA-Z]|[ivxIVX]{2,5})[.)]\s+(\S.*)$")
_ROMAN = re.compile(r"^(?=[ivx]+$)x{0,3}(ix|iv|v?i{0,3})$", re.I)
#: Bullets: ASCII and typographic marks, and the private-use glyphs that PDF and Word
#: converters leave for Symbol and Wingdings bullets (U+F0B7, U+F0A7, ...).
_BULLET = re.compile("^([-*+\u2022\u2023\u2043\u25aa\u25a0\u25cf\u25cb\u25e6\u2013\u27a2"
                     "\u00b7\u00a7\u00d8\uf0a7\uf0b7\uf076\uf0d8\uf0fc])\\s*(\\S.*)$"
                     "|^(o)\t+(\\S.*)$")  # Word's plain text: "o<tab>" for a second-level bullet
#: Headings that name a part of the document, not a level of the plan: "Section 2: ...".
_PART = re.compile(r"^(section|chapter|part)\s+(\d{1,3}|[A-Z]|[IVX]{1,5})\s*[:.)\-\u2013\u2014]?"
                   r"\s+(\S.*)$", re.I)
_WORDS = ("strategic objective|outcome|theme|ambition|pillar|priority|objective|aim|goal|domain|"
          "action|deliverable|commitment|programme|project|milestone")
_LEVEL_WORD = re.compile(rf"^({_WORDS})\s+(\d{{1,3}}[0-9A-Za-z.]*|[A-Za-z]\d*)\s*[:.)\-\u2013\u2014]?"
                         rf"\s+(\S.*)$", re.I)
_LABEL = re.compile(r"^([A-Za-z][A-Za-z()' /]{1,48}?)\s*[:\u2013\u2014]\s*(.*)$")
#: The words of a label that introduces who is responsible: "Lead:", "Responsible director(s):",
#: "Directors responsible:", "Accountable officer:", "Lead team:", "Service:".
_RESPONSIBLE = {"responsible", "accountable", "lead", "leads", "owner", "owners", "sponsor",
                "sponsors", "director", "directors", "officer", "officers", "executive", "post",
                "posts", "for", "delivery", "s", "senior", "the"}
_TEAMS = {"team", "teams", "service", "services"}


def _responsibility(text: str) -> tuple[str, str] | None:
    """('post' or 'team', the names after the label) for a line that says who is responsible."""
    m = _LABEL.match(text)
    if m is None:
        return None
    words = re.findall(r"[a-z]+", m.group(1).lower())
    if not words or len(words) > 4 or not set(words) <= _RESPONSIBLE | _TEAMS:
        return None
    if set(words) <= {"for", "delivery", "s", "the", "senior", "executive"}:
        return None
    return ("team" if set(words) & _TEAMS else "post"), m.group(2)


_INLINE_POST = re.compile(r"\s*[(\[](?:lead|owner|responsible|director)s?\s*:\s*([^)\]]+)[)\]]\s*$",
                          re.I)
#: A dotted number alone on its line: the title follows on the next line with text ("3.1", a
#: blank line, "Build a stronger local economy").
_BARE = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+)\.?$")
#: A line that states a commitment: "We will ...", "We'll ...", "The council will ...".
_PLEDGE = re.compile(r"^(?:we\s+will|we['\u2019]ll|we\s+are\s+going\s+to|the\s+council\s+will)\s+\S",
                     re.I)
#: Sections that set the scene rather than commit to anything: their lines, bullets included,
#: are the text of the item they stand under (or of the plan, before the first item).
_CONTEXT = re.compile(r"^(?:our\s+)?(?:vision|context|background|introduction|foreword|"
                      r"why (?:this|it) matters|what success (?:looks|will look) like|"
                      r"how we will (?:know|measure success|measure progress)|measures? of success|"
                      r"success measures|what we have (?:achieved|done|delivered)(?: so far)?|"
                      r"achievements|progress(?: so far)?|where we are now|"
                      r"we have made an? (?:good |strong |great )?start|"
                      r"what (?:you|residents|people) told us)\s*:?$", re.I)
#: A line that announces a list and names its level: "The 10 priorities for this plan are:".
_PLURALS = _WORDS.replace("priority", "priorit(?:y|ies)")
_ANNOUNCES = re.compile(rf"^(?!.*[.;:].).*?\b(?:{_PLURALS})s?\b[^:]*\b(?:are|include|"
                        rf"are as follows)\s*:$", re.I)
#: The punctuation that runs a list on from one bullet to the next: "...right," "...; and".
_LISTED = re.compile(r"\s*[,;](?:\s+(?:and|or))?\s*$")
_NOISE = re.compile(r"^(?:page\s+\d+(?:\s+of\s+\d+)?|\d{1,3}|[-_=*]{3,})$", re.I)
_TABLE = re.compile(r"^\|.*\|$")
_CAPS = re.compile(r"^[A-Z][A-Z&',\- ]{2,}[A-Z]$")
_ENDED = re.compile(r"[.:;!?]$")
#: A line at least this long that stops mid-sentence was wrapped: the next line continues it.
_WRAPPED = 60


_ROMANS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]


def _ordinal(code: str) -> int | None:
    """The position a list code stands for: '3' -> 3, 'c' -> 3, 'iv' -> 4."""
    c = code.lower()
    if c.isdecimal():
        return int(c)
    if c in _ROMANS and len(c) > 1:
        return _ROMANS.index(c) + 1
    if len(c) == 1 and c.isalpha():
        return ord(c) - ord("a") + 1
    return None


def _starts(code: str) -> bool:
    return _ordinal(code) == 1


def _follows(code: str, before: str) -> bool:
    a, b = _ordinal(code), _ordinal(before)
    return a is not None and b is not None and a == b + 1


def _bullet(text: str) -> str | None:
    """A bullet line's text, or None."""
    m = _BULLET.match(text)
    return None if m is None else (m.group(2) if m.group(2) is not None else m.group(4))


def _plain(md: bool, text: str) -> str:
    """In Markdown, strong emphasis, code marks and links reduced to their text (CommonMark's
    rule for underscores: not inside a word, so "__init__"-like text stays). Plain text is
    taken as it is."""
    if not md:
        return text.strip()
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", r"\1", text)
    text = re.sub(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)", r"\1", text)
    return re.sub(r"`([^`]+)`", r"\1", text).strip()


def _title(md: bool, text: str) -> str:
    """A title; in Markdown, without emphasis (*word*, _word_)."""
    text = _plain(md, text)
    if not md:
        return text
    text = re.sub(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])", r"\1", text)
    return re.sub(r"(?<!\w)_(?=\S)([^_]+?)(?<=\S)_(?!\w)", r"\1", text).strip()


class _Outline:
    def __init__(self, src: SourceText):
        self.src = src
        self.md = src.path.suffix.lower() in {".md", ".markdown"}
        # "3 People" opens item 3 only in a document that numbers items 3.1, 3.2, ...
        self.tops = {m.group(1).split(".")[0] for ln in src.lines
                     if (m := _DOTTED.match(_plain(self.md, ln.strip().lstrip("#").strip())))}
        self.roots: list[Item] = []
        self.stack: list[Item] = []
        self.codes: dict[str, Item] = {}
        self.last: dict[str, Item] = {}  # the last item of each numbering style
        self.published: dict[int, str] = {}  # an item's code as written, before renumbering
        self.seen: dict[tuple[str, str, str], Item] = {}  # (style, code, title) -> item
        self.skipped: list[tuple[int, str]] = []
        self.warnings: list[tuple[int, str]] = []
        self.plan_text: list[tuple[int, str]] = []  # lines that speak for the whole plan

    # --- placing an item in the tree -----------------------------------------------------
    def _attach(self, item: Item, parent: Item | None) -> None:
        if parent is None:
            self.roots.append(item)
            self.stack = [item]
        else:
            parent.adopt(item)
            self.stack = self.stack[: self.stack.index(parent) + 1] + [item]
        if item.code:
            self.codes[item.code.lower()] = item
            self.seen.setdefault((item.key, item.code.lower(), normalise(item.title)), item)

    def place(self, item: Item) -> None:
        if not item.key.startswith("bullet"):
            # a bullet list ends where a numbered item or heading starts
            while self.stack and self.stack[-1].key.startswith("bullet"):
                self.stack.pop()
        if item.key.startswith("dotted"):
            parts = item.code.split(".")
            for n in range(len(parts) - 1, 0, -1):
                parent = self.codes.get(".".join(parts[:n]).lower())
                if parent is not None and parent in self.stack:
                    if n < len(parts) - 1:
                        self.warnings.append((item.line, f"{item.code} has no parent "
                                              f"{'.'.join(parts[:-1])}; read under {parent.code}"))
                        item.skip = len(parts) - 1 - n
                    self._attach(item, parent)
                    return
            if len(parts) >= 3:
                # no item has any of its codes: it goes where its missing parent would be,
                # beside the last item of that parent's level, a level down
                missing, level = ".".join(parts[:-1]), f"dotted-{len(parts) - 2}"
                peer = next((i for i in reversed(self.stack) if i.key == level), None) or \
                    self.last.get(level)
                if peer is not None:
                    where = peer.parent
                    self.warnings.append((item.line, f"{item.code} has no parent {missing}; read "
                                          + (f"under {where.code or where.title}" if where
                                             else "directly under the plan")))
                    item.skip = 1
                    self.stack = _path(where) if where is not None else []
                    self._attach(item, where)
                    # the items after it find their place beside the missing parent's level
                    self.stack = self.stack[:-1] + [peer] if where is not None else [peer]
                    return
        self.published.setdefault(id(item), item.code)
        last = self.last.get(item.key)
        self.last[item.key] = item
        top = self.stack[-1] if self.stack else None
        at = next((i for i in range(len(self.stack) - 1, -1, -1)
                   if self.stack[i].key == item.key), None)
        if self.md and at is not None and item.key.startswith("number@") and \
                not item.key.startswith("number@h") and \
                item.code == self.published.get(id(self.stack[at])) and item.code.isdecimal():
            # Markdown numbers a list itself: "1." on every item reads 1, 2, 3
            self.published[id(item)] = item.code
            item.code = str(int(self.stack[at].code) + 1)
            self._attach(item, self.stack[at - 1] if at > 0 else None)
        elif at is not None and _follows(item.code, self.stack[at].code):
            self._attach(item, self.stack[at - 1] if at > 0 else None)  # the next in its list
        elif last is not None and last not in self.stack and _follows(item.code, last.code):
            self._attach(item, top)  # numbering that runs on under the next heading or priority
        elif at is not None and not (_starts(item.code) and at < len(self.stack) - 1):
            self._attach(item, self.stack[at - 1] if at > 0 else None)
        else:
            self._attach(item, top)  # a new list, or numbering that starts again under an item

    def _opens_next(self, n: int) -> bool:
        """Whether the next line with text opens a numbered item (so that a capitalised line
        above it is its heading, not a running page header)."""
        for ln in self.src.lines[n:]:
            text = ln.strip()
            if text:
                return any(p.match(text) for p in (_DOTTED, _NUM, _LEVEL_WORD, _PAREN, _LETTER))
        return False

    def letter_key(self, token: str) -> str:
        """'i', 'v' and 'x' are letters when they continue a lettered list, else roman."""
        lower = token.lower()
        case = "upper" if token.isupper() else "lower"
        if not _ROMAN.match(lower):
            return f"letter-{case}"
        for it in reversed(self.stack):
            if it.key == f"roman-{case}":
                return it.key
            if it.key == f"letter-{case}" and len(lower) == 1 and \
                    ord(lower) == ord(it.code.lower()) + 1:
                return it.key
        if len(lower) == 1 and lower != "i":
            return f"letter-{case}"
        return f"roman-{case}"

    # --- reading a line ------------------------------------------------------------------
    def item(self, n: int, raw: str, text: str) -> Item | None:
        """The item a line opens, if it opens one."""
        indent = len(raw) - len(raw.lstrip(" \t"))
        heading = _HEADING.match(text)
        level = 0
        if heading:
            level, text = len(heading.group(1)), _plain(self.md, heading.group(2))
        m = _LEVEL_WORD.match(text)
        if m and level_type(m.group(1)) is not None:
            t = level_type(m.group(1))
            assert t is not None
            return Item(n, raw.strip(), m.group(3), code=m.group(2).rstrip("."), key=f"word-{t}",
                        level=t)
        m = _DOTTED.match(text)
        if m:
            code = m.group(1)
            if re.fullmatch(r"\d+(\.0+)+", code):  # "2.0 People": section 2 itself
                return Item(n, raw.strip(), m.group(2), code=code.split(".")[0], key="dotted-0")
            return Item(n, raw.strip(), m.group(2), code=code, key=f"dotted-{code.count('.')}")
        m = _NUM.match(text) or (_PAREN.match(text) if text[1:2].isdigit() else None)
        if m is None:
            top = re.match(r"^(\d{1,3})\s+(\S.*)$", text)
            m = top if top and top.group(1) in self.tops else None
        # a heading's numbers are a style of their own: a list under "## 1. People" is its child
        where = f"h{level}" if heading else str(indent)
        if m:
            return Item(n, raw.strip(), m.group(2), code=m.group(1), key=f"number@{where}")
        m = _PAREN.match(text) or _LETTER.match(text)
        if m:
            return Item(n, raw.strip(), m.group(2), code=m.group(1),
                        key=f"{self.letter_key(m.group(1))}@{where}")
        if heading:
            return Item(n, raw.strip(), text, code="", key=f"heading-{level}") if text else None
        if not self.md and _CAPS.match(text) and len(text.split()) <= 8 and self._opens_next(n):
            # "PEOPLE", "OUR PRIORITIES": a plain-text heading
            return Item(n, raw.strip(), text.title() if text.isupper() else text, code="",
                        key="heading-caps")
        content = _bullet(text)
        if content is not None:
            content = _LISTED.sub("", content) or content
            m = _LEVEL_WORD.match(content)
            t = level_type(m.group(1)) if m else None
            if m and t is not None:
                # "• Outcome 1: Getting our finances right," is outcome 1, a heading in a list
                return Item(n, raw.strip(), m.group(3).rstrip(" ."), code=m.group(2).rstrip("."),
                            key=f"word-{t}", level=t)
            return Item(n, raw.strip(), content, code="", key=f"bullet@{indent}")
        return None


def parse(src: SourceText, plan: str, _corrections: Corrections | None = None) -> ParseResult:
    o = _Outline(src)
    collecting: str | None = None  # "post" or "team" after a "Responsible Directors:" line
    owner: Item | None = None  # whom those lines name as responsible
    previous: Item | None = None  # the item whose title the last line was (or continued)
    named: set[int] = set()  # items given a responsible post or team of their own
    closing: tuple[Item, int] | None = None  # an owner line after a run of siblings, and its line

    def close(after: Item | None) -> None:
        """An owner line after a run of siblings names their parent's owner, unless the item
        it followed is the parent of the next item (the line came after that item's title)."""
        nonlocal closing
        if closing is None:
            return
        last, line = closing
        closing = None
        while after is not None and after is not last:
            after = after.parent
        if after is last or last.parent is None:
            return
        parent = last.parent
        for mine, theirs in ((last.posts, parent.posts), (last.teams, parent.teams)):
            theirs += [p for p in mine if p[0] >= line]
            mine[:] = [p for p in mine if p[0] < line]
        named.discard(id(last))
        named.add(id(parent))

    headings = [n for n, ln in enumerate(src.lines, 1) if re.match(r"^#\s", ln.strip())]
    md = o.md
    numbered = any(p.match(_plain(md, ln.strip().lstrip("#").strip()))
                   for ln in src.lines for p in (_DOTTED, _NUM, _LEVEL_WORD))
    numbered = numbered or bool(headings) or any(_BARE.match(ln.strip()) for ln in src.lines)
    bare: tuple[int, str] | None = None  # a number alone on its line, waiting for its title
    context = False  # in a section that sets the scene ("Our vision")
    said_in: list[tuple[int, str]] = o.plan_text  # where that section's lines go
    announced: ElementType | None = None  # the level a list's announcement named
    heads: set[int] = set()
    pledges: set[int] = set()
    if not numbered and not any(o.item(n, ln, ln.strip()) for n, ln in enumerate(src.lines, 1)
                                if ln.strip()):
        # plain sub-headings, each followed by the commitments ("We will ...") under it
        heads, pledges = _pledges(src.lines)
    for n, raw in enumerate(src.lines, 1):
        text = _plain(md, raw) if not _HEADING.match(raw.strip()) else raw.strip()
        if not text:
            previous = None
            continue
        if bare is not None:
            start, code = bare
            bare = None
            if o.item(n, raw, text) is None and _responsibility(text) is None and \
                    re.search(r"[A-Za-z]{2}", text) and not _BARE.match(text) and \
                    not _NOISE.match(text) and not _TABLE.match(raw.strip()):
                # the number's title: one item traced to both lines
                item = o.item(n, raw, f"{code} {text}")
                assert item is not None
                item.line, item.end = start, n
                item.text = "\n".join(src.lines[start - 1:n]).strip()
                item.title = _title(md, item.title)
                o.place(item)
                close(item)
                previous = item
                continue
            o.warnings.append((start, f"{code} stands alone with no title after it; skipped"))
        m = _BARE.match(text)
        if m is not None:
            bare = (n, m.group(1))
            continue
        current = o.stack[-1] if o.stack else None
        if _TABLE.match(raw.strip()) or len([c for c in raw.split("\t") if c.strip()]) >= 3:
            o.skipped.append((n, "a table row (import tables as a spreadsheet: csv or xlsx)"))
            continue
        if _NOISE.match(text):
            o.skipped.append((n, "page furniture (a page number or a rule)"))
            continue
        bulleted = _bullet(text)
        said = _responsibility(text) or (_responsibility(bulleted) if bulleted else None)
        if current is not None and said is not None:
            kind, names = said
            owner = current
            indented = raw[:1] in (" ", "\t") and not bulleted
            siblings = [c for c in current.parent.children if c.key == current.key] \
                if current.parent is not None else []
            if closing is None and not indented and not bulleted and len(siblings) >= 2 and \
                    not any(c.children for c in siblings) and \
                    not any(id(c) in named for c in siblings):
                # after a run of siblings with no children of their own (deliverables, bullets)
                # it closes their block and names their parent's
                # owner, unless the item it follows goes on to have children of its own
                closing = (current, n)
            named.add(id(owner))
            if names.strip():
                bucket = owner.posts if kind == "post" else owner.teams
                bucket += [(n, name) for name in split_names(names)]
                collecting = None
            else:
                collecting = kind
            previous = None
            continue
        bullet = _bullet(text)
        if collecting and owner is not None and bullet is not None:
            bucket = owner.posts if collecting == "post" else owner.teams
            bucket += [(n, name) for name in split_names(_plain(md, bullet))]
            continue
        collecting = None
        if n in headings and len(headings) == 1 and not o.roots and current is None:
            o.skipped.append((n, "the document's title"))
            continue
        if _PART.match(_HEADING.sub(r"\2", text) if _HEADING.match(text) else text):
            o.skipped.append((n, "a section heading: a part of the document, not of the plan"))
            close(None)
            o.stack, previous = [], None
            continue
        opens = o.item(n, raw, text) if n not in heads | pledges else None
        if context and (opens is None or opens.key.startswith("bullet")) and \
                not _announces(text):
            said_in.append((n, raw.strip()))  # a line of a scene-setting section
            previous = None
            continue
        context = False
        # a scene-setting section may have a heading of its own ("## Our vision"), as a Word
        # document's or a web page's sections do
        scene = _CONTEXT.match(_HEADING.sub(r"\2", text)) if _HEADING.match(text) else None
        if (opens is None or scene) and n not in heads | pledges and (
                _CONTEXT.match(text) or scene or _announces(text)):
            # "What success looks like" or "The 3 priorities for this outcome are:": text of
            # the heading or numbered item it stands under (a list item's section ends there)
            while o.stack and _listed(o.stack[-1]):
                o.stack.pop()
            close(None)
            said_in = o.stack[-1].statements if o.stack else o.plan_text
            said_in.append((n, scene.group(0) if scene else raw.strip()))
            context = _CONTEXT.match(text) is not None or scene is not None
            announced = None if context else _announces(text)
            previous = None
            continue
        if current is not None and bulleted is not None and _FIELD.match(bulleted):
            current.statements.append((n, raw.strip()))  # "- Timescale: March 2027"
            previous = None
            continue
        if previous is not None and _runs_on(previous, text):
            previous.title = f"{previous.title} {text}"
            previous.text = f"{previous.text}\n{raw.strip()}"
            previous.end = n
            continue
        item = o.item(n, raw, text)
        if n in heads:
            item = Item(n, raw.strip(), text, code="", key="heading-plain")
        elif n in pledges:
            item = Item(n, raw.strip(), text, code="", key="pledge")
        if item is not None and item.key.startswith("bullet") and current is None and numbered \
                and announced is None:
            o.skipped.append((n, "a bullet before the first heading or numbered item"))
            continue
        if item is not None:
            item.title = _title(md, item.title)
            inline = _INLINE_POST.search(item.title)
            if inline:  # "... (Lead: Director of Place)"
                item.posts += [(n, name) for name in split_names(inline.group(1))]
                item.title = item.title[: inline.start()].strip()
            same = o.seen.get((item.key, item.code.lower(), normalise(item.title)))
            if same is not None and item.code:
                # the same numbered item again (a running header, a summary then the detail):
                # one element, traced to every line that states it
                same.also.append((n, raw.strip()))
                close(None)
                o.stack = _path(same)
                previous = None
                continue
            if _listed(item) and announced is not None:
                item.level = announced  # an item of the list that named its level
            elif not _listed(item):
                announced = None
            o.place(item)
            close(item)
            previous = item
            continue
        if current is None:
            o.skipped.append((n, "before the first heading or numbered item"))
            continue
        if previous is not None and _unfinished(previous, md and raw[:1] in (" ", "\t")):
            previous.title = f"{previous.title} {text}"
            previous.text = f"{previous.text}\n{raw.strip()}"
            previous.end = n
            continue
        current.statements.append((n, raw.strip()))
        previous = None
    close(None)
    _bullets_as_text(o.roots)
    count = sum(1 for _ in _walk(o.roots))
    if count < 2:
        found = counted(count, "heading, numbered item or bullet",
                        "headings, numbered items or bullets")
        raise InputError(f"{src.path}: no structure found ({found}); an outline needs headings or "
                         f"numbered items such as 1, 1.1, a); see 'align template outline'")
    levels = [_level(src, w) for w in src.document.levels] if src.document.levels else None
    result = assemble(src, plan, o.roots, levels, False, o.skipped)
    result.warnings += [f"{src.at(line)}: {msg}" for line, msg in o.warnings]
    reader = Reader(src, plan)
    result.plan_statements = [Statement(kind="text", text=re.sub(r"\s+", " ", text),
                                        provenance=reader.prov(line, text))
                              for line, text in o.plan_text]
    return result


def _announces(text: str) -> ElementType | None:
    """The level a line that announces a list names ("The 3 priorities for this outcome
    are:" names priorities: the first word in the plural, else the first)."""
    if _ANNOUNCES.match(text) is None:
        return None
    words = re.findall(rf"\b(?:{_PLURALS})s?\b", text, re.I)
    plural = [w for w in words if w.lower().endswith("s")]
    return level_type((plural or words)[0])


def _listed(item: Item) -> bool:
    """An item of a list (bulleted, numbered or lettered), not a heading."""
    return item.key.startswith(("bullet", "letter", "roman", "pledge")) or (
        item.key.startswith("number@") and not item.key.startswith("number@h"))


def _pledges(lines: list[str]) -> tuple[set[int], set[int]]:
    """In a plan with no numbers, bullets or headings: the plain sub-headings (a short line
    after a blank line that does not end a sentence, followed straight away by "We will ...")
    and the commitments under them, by line number."""
    heads: set[int] = set()
    pledges: set[int] = set()
    under = False
    for n, raw in enumerate(lines, 1):
        text = raw.strip()
        if not text:
            continue
        after = next((ln.strip() for ln in lines[n:] if ln.strip()), "")
        blank_before = n == 1 or not lines[n - 2].strip()
        if blank_before and not _PLEDGE.match(text) and len(text) <= 80 and \
                not _ENDED.search(text) and _PLEDGE.match(after) and lines[n:n + 1] and \
                lines[n].strip():
            heads.add(n)
            under = True
        elif under and _PLEDGE.match(text):
            pledges.add(n)
        elif blank_before:
            under = False
    return heads, pledges


def _level(src: SourceText, word: str):  # type: ignore[no-untyped-def]
    t = level_type(word)
    if t is None:
        raise InputError(f"manifest.yaml: document '{src.document.id}': unknown level '{word}' "
                         f"in levels; use words such as outcome, priority, deliverable, goal, "
                         f"action")
    return t


#: Bullets that give a field of the item above rather than an item: "- Timescale: March 2027".
_FIELD = re.compile(r"^(?:timescales?|timelines?|targets?|measures?|deadline|by when|due|due date|"
                    r"dates?|budget|costs?|funding|status|kpis?|performance measures?|rag|"
                    r"progress|resources?|success measures?)\s*[:\u2013\u2014-]", re.I)


def _unfinished(item: Item, lazy: bool) -> bool:
    """Whether the item's title stops mid-sentence on a long (wrapped) line, or the next line
    is an indented continuation of a Markdown list item."""
    if _ENDED.search(item.title):
        return False
    return lazy or len(item.text.split("\n")[-1]) >= _WRAPPED


def _runs_on(item: Item, text: str) -> bool:
    """A line that looks like a numbered item but continues a wrapped title: "45.5 per cent by
    2028" or "2 hubs in Stanford" after a line that stopped mid-sentence, starting lower-case."""
    if not _unfinished(item, False):
        return False
    m = _DOTTED.match(text) or _NUM.match(text) or re.match(r"^(\d{1,3})\s+(\S.*)$", text)
    return m is not None and m.group(2)[:1].islower()


def _bullets_as_text(items: list[Item]) -> None:
    """Bullets beside numbered items (a priority's capability bullets above its numbered
    deliverables) are the parent's text, not elements of their own."""
    for it in items:
        kinds = {c.key.startswith("bullet") for c in it.children}
        if kinds == {True, False}:
            for b in [c for c in it.children if c.key.startswith("bullet")]:
                it.statements += [(d.line, d.text) for d in _walk([b])]
            it.children = [c for c in it.children if not c.key.startswith("bullet")]
            it.statements.sort()
        _bullets_as_text(it.children)


def _path(item: Item) -> list[Item]:
    path = [item]
    while path[0].parent is not None:
        path.insert(0, path[0].parent)
    return path


def _walk(items: list[Item]):  # type: ignore[no-untyped-def]
    for it in items:
        yield it
        yield from _walk(it.children)
