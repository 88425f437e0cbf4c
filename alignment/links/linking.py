"""Alignment rules. Each rule is a pure function of the corpus that returns links with their
evidence; `align_corpus` runs them in order and applies the officers' curated decisions last.

Kinds, strongest first:
- structural: a goal's own actions and year-one deliverables;
- curated: a link an officer added;
- explicit: the element's text names a strategy the goal is delivered through (named in the
  goal's own title or in one of its actions or year-one deliverables);
- inherited: a suggestion for an element under one with an explicit link, with the path as
  evidence, scored by the element's own text;
- similarity: text similarity, a suggestion. Where the element names a strategy that the goal's
  narrative only mentions, the suggestion says so (a hint, not a statement that it serves).

Naming the goal's whole strategy ("partners ... the HWB Strategy") is a `references` link to that
strategy: it serves the strategy as a whole, not each of its goals.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from alignment.links.decisions import Decision, apply_decisions
from alignment.links.reuse import Entry, SimilarityReuse
from alignment.links.rules import GOAL_TYPES, KINDS
from alignment.links.similarity import (
    PARAMS,
    Params,
    SimilarityModel,
    baselines,
    combine,
    counts,
    idf,
    level_weights,
    positions,
    shared_words,
)
from alignment.links.similarity import terms as terms_of
from alignment.model import Corpus, Element, ElementType, Link, LinkKind, LinkStatus, Provenance

if TYPE_CHECKING:
    import numpy as np

__all__ = ["KINDS", "GOAL_TYPES", "SERVING_TYPES", "align_corpus", "structural", "explicit",
           "inherited", "similarity", "goal_channels", "hints", "pair_scores", "Channel"]

#: element types whose similarity to goals is scored (deliverable-level elements)
SERVING_TYPES = {ElementType.DELIVERABLE, ElementType.PROGRAMME, ElementType.MILESTONE,
                 ElementType.ACTION}
EXPLICIT_SCORE = 0.9  # names a strategy the goal is delivered through
CONTINUITY_FLOOR = 0.08
CONTINUITY_TOP_K = 2


def _goals(corpus: Corpus) -> list[Element]:
    return [e for e in corpus.elements if e.type in GOAL_TYPES]


def _link(source: str, kind: LinkKind, target: str, score: float, evidence: str,
          prov: Provenance, status: LinkStatus = LinkStatus.ASSERTED, **fields: object) -> Link:
    return Link(id=f"{source}.{kind}.{target}", source=source, target=target, kind=kind,
                status=status, score=round(score, 3), evidence=evidence, provenance=prov,
                **fields)


def structural(corpus: Corpus) -> list[Link]:
    """A goal's own actions and year-one deliverables serve it (also when they sit under an
    objective of the goal, as in an imported strategy)."""
    out = []
    for goal in _goals(corpus):
        for child, _path in _descendants(corpus, goal.id):
            if child.type not in SERVING_TYPES:
                continue
            word = {"Action": "action", "Milestone": "year-one deliverable"}.get(child.type.value,
                                                                                  "part")
            out.append(_link(child.id, LinkKind.STRUCTURAL, goal.id, 1.0,
                             f"{word} {child.code} of goal {goal.code}", child.provenance[0]))
    return out


class Channel(NamedTuple):
    """A strategy named by a goal: `delivered` when the goal is delivered through it (named in
    its title or one of its actions or year-one deliverables), else only mentioned in its
    narrative."""

    delivered: bool
    why: str


def goal_channels(corpus: Corpus) -> dict[str, dict[str, Channel]]:
    """Goal ID -> {strategy ID: Channel}: the strategies a goal names, read from the goal's own
    text and from the titles of its own actions and year-one deliverables."""
    names = {s.id: s.label for s in corpus.strategies}
    refs: dict[str, list[Link]] = {}
    for lk in corpus.links:
        if lk.kind == LinkKind.REFERENCES:
            refs.setdefault(lk.source, []).append(lk)
    out: dict[str, dict[str, Channel]] = {}
    for goal in _goals(corpus):
        channels: dict[str, Channel] = {}
        for lk in refs.get(goal.id, []):
            name = names.get(lk.target, lk.target)
            if lk.named_in == "label":
                channels[lk.target] = Channel(True, f"{goal.id} is delivered through {name} "
                                                    f"(its title names it)")
            elif lk.target not in channels:
                channels[lk.target] = Channel(False, f"{goal.id}'s narrative mentions {name} "
                                                     f"({lk.evidence})")
        for child, _path in _descendants(corpus, goal.id):
            for lk in refs.get(child.id, []):
                if lk.named_in == "label" and not channels.get(lk.target, Channel(False, "")).delivered:
                    name = names.get(lk.target, lk.target)
                    what = {"Action": "action", "Milestone": "year-one deliverable"}.get(
                        child.type.value, "part")
                    channels[lk.target] = Channel(True, f"{goal.id} is delivered through {name} "
                                                        f"(its {what} {child.code} names it)")
        out[goal.id] = channels
    return out


def _named(corpus: Corpus) -> Iterable[tuple[Element, Link, str, Channel]]:
    """Every (element, its name of a strategy, goal, the goal's channel) for elements of other
    plans than the goal's that name a strategy the goal names."""
    channels = goal_channels(corpus)
    goals = {g.id: g for g in _goals(corpus)}
    index = corpus.element_index()
    for ref in corpus.links:
        if ref.kind != LinkKind.REFERENCES:
            continue
        src = index.get(ref.source)
        if src is None:
            continue
        for gid, chans in channels.items():
            if ref.target in chans and src.plan != goals[gid].plan:
                yield src, ref, gid, chans[ref.target]


def explicit(corpus: Corpus) -> list[Link]:
    """An element whose text names a strategy that a goal is delivered through serves the goal."""
    best: dict[str, Link] = {}
    for src, ref, gid, chan in _named(corpus):
        if not chan.delivered:
            continue
        link = _link(src.id, LinkKind.EXPLICIT, gid, EXPLICIT_SCORE,
                     f"{ref.evidence} ({ref.provenance.document}:{ref.provenance.line_start}); "
                     f"{chan.why}", ref.provenance, named_in=ref.named_in)
        best.setdefault(link.id, link)
    return list(best.values())


def hints(corpus: Corpus) -> dict[tuple[str, str], str]:
    """(element, goal) -> a sentence, where the element names a strategy that the goal's
    narrative only mentions: worth saying beside a suggestion, not a link by itself."""
    out: dict[tuple[str, str], str] = {}
    for src, ref, gid, chan in _named(corpus):
        if not chan.delivered:
            named = ref.evidence.split(" names ", 1)[-1]
            out.setdefault((src.id, gid), f"names {named} ({ref.provenance.document}:"
                                          f"{ref.provenance.line_start}); {chan.why}, a hint "
                                          f"rather than a link")
    return out


def _descendants(corpus: Corpus, parent: str) -> Iterable[tuple[Element, list[str]]]:
    for child in corpus.children(parent):
        yield child, [child.id]
        for d, path in _descendants(corpus, child.id):
            yield d, [child.id, *path]


def inherited(corpus: Corpus, explicit_links: list[Link],
              scores: dict[tuple[str, str], float]) -> list[Link]:
    """Everything under an element whose own title commits to a strategy (People priority D,
    "Continue to deliver the Brighter Futures ... Strategy") gets a suggestion for its explicit
    links, scored by its own text (`scores`, as a similarity suggestion would be): a commitment
    of the priority is a reason to look, not a statement about each of its deliverables. The
    path is the evidence. A strategy named only in an element's narrative (a domain's aims)
    links that element, not everything under it."""
    have = {(lk.source, lk.target) for lk in explicit_links}
    out: dict[str, Link] = {}
    for lk in explicit_links:
        if lk.named_in != "label":  # only an element's own title commits what is under it
            continue
        for d, path in _descendants(corpus, lk.source):
            if (d.id, lk.target) in have or (d.id, lk.target) not in scores:
                continue
            own = scores[(d.id, lk.target)]
            chain = " ⊂ ".join(reversed([lk.source, *path[:-1]]))
            link = _link(d.id, LinkKind.INHERITED, lk.target, min(max(own, 0.0), 1.0),
                         f"under {chain}: {lk.evidence}; its own text scores {own:+.3f} for "
                         f"{lk.target}", lk.provenance, status=LinkStatus.SUGGESTED,
                         named_in=lk.named_in, path=[lk.source, *path])
            out.setdefault(link.id, link)
    return list(out.values())


#: a parent or grandparent title of fewer words than this is a heading ("People", "An
#: Enabling Council"), not a statement of purpose: it is left out of the score
HEADING_WORDS = 4


class Context(NamedTuple):
    """The three texts an element is judged by, and what each is ("text", "objective", ...)."""

    texts: tuple[str, str, str]
    names: tuple[str, str, str]


def _context(corpus: Corpus, el: Element, index: dict[str, Element]) -> Context:
    own = " ".join([el.label, *(c.label for c in corpus.children(el.id))])
    parent = index.get(el.parent) if el.parent else None
    grand = index.get(parent.parent) if parent and parent.parent else None

    def statement(e: Element | None) -> str:
        if e is None or e.type == ElementType.PLAN or len(e.label.split()) < HEADING_WORDS:
            return ""
        return e.label

    names = ("text", parent.type.value.lower() if parent else "parent",
             grand.type.value.lower() if grand else "grandparent")
    return Context((own, statement(parent), statement(grand)), names)


#: what each kind of goal line is called in evidence
_LINE_KINDS = {"achieve": "what it wants to achieve", "approach": "how it will be achieved"}


def goal_lines(corpus: Corpus, goal: Element) -> list[tuple[str, str]]:
    """A goal's lines, each with its kind: its title, what it wants to achieve, its challenges,
    how it will be achieved, and its own actions and year-one deliverables."""
    lines = [("title", goal.label)]
    lines += [(_LINE_KINDS.get(s.kind, s.kind), s.text) for s in goal.statements]
    lines += [(f"{c.type.value.lower()} {c.code}".strip(), c.label)
              for c in corpus.children(goal.id)]
    return [(kind, text) for kind, text in lines if text.strip()]


@dataclass
class SimilarityFeatures:
    """Similarities of every candidate element with every goal, at three levels of context:
    the element's own text, its parent's and its grandparent's (shape: 3 x elements x goals)."""

    candidates: list[Element]
    goals: list[Element]
    contexts: list[Context]
    sims: np.ndarray  # cosine with each goal's mean line vector, 3 x elements x goals
    present: np.ndarray  # which levels have text, 3 x elements
    vectors: np.ndarray  # the context texts' vectors, 3 x elements x dimensions
    lines: list[list[tuple[str, str]]]  # each goal's lines (kind, text)
    line_vectors: list[np.ndarray]  # and their vectors
    words: SharedWords  # for the words shared, in evidence
    others: list[dict[str, tuple[float, int]]]  # other plans' similarity sums, for baselines

    def similarity(self, params: Params = PARAMS) -> np.ndarray:
        """The similarity of every (element, goal) pair: the weighted mean over the levels."""
        return combine(self.sims, self.present, params)

    def baselines(self, similarity: np.ndarray, params: Params = PARAMS) -> np.ndarray:
        """Each pair's baseline: its element's plan against its goal's strategy (see
        similarity.baselines)."""
        return baselines(similarity, [e.plan for e in self.candidates],
                         [g.plan for g in self.goals], params.plan_prior, self.others)

    def scores(self, params: Params = PARAMS) -> np.ndarray:
        """The score of every (element, goal) pair: its similarity less its plan's baseline."""
        sim = self.similarity(params)
        return sim - self.baselines(sim, params)

    def closest_line(self, i: int, j: int, params: Params = PARAMS) -> tuple[str, str]:
        """The line of goal j closest to candidate i's texts, weighted as in its score."""
        return self.lines[j][int((self.line_vectors[j] @ self.mixed(i, params)).argmax())]

    def mixed(self, i: int, params: Params = PARAMS) -> np.ndarray:
        """Candidate i's texts as one vector, weighted as in its score."""
        import numpy as np

        w = np.array(level_weights(params)) * self.present[:, i]
        return (self.vectors[:, i] * w[:, None]).sum(axis=0)


#: in a workspace of this many texts a build lets the sentence model go once it has read the new
#: ones (at 10,000 deliverables its weights were a third of the peak memory; reloading costs
#: 0.3 s)
RELEASE_AT = 2_000


def similarity_features(corpus: Corpus, plans: Collection[str] | None = None,
                        others: Sequence[dict[str, tuple[float, int]]] = (),
                        contexts: dict[str, Context] | None = None) -> SimilarityFeatures | None:
    """Every candidate's three texts and every goal's lines, as sentence vectors and TF-IDF:
    the candidates of `plans` only, when given, with the sums of the other plans' similarities
    (`others`, as `similarity.plan_sums` gives them) for the baselines. A plan's figures are
    worked out apart from every other plan's, so that they are the same bytes whichever plans
    are worked out with it. The texts are read as written: reading the glossary's meanings
    beside its terms lowered F1 on both judged plans (docs/evaluation.md), so the glossary is
    shown in evidence only."""
    import numpy as np

    from alignment.links.embedding import embed, release

    index = corpus.element_index()
    lines_of = {g.id: goal_lines(corpus, g) for g in _goals(corpus)}
    goals = [g for g in _goals(corpus) if lines_of[g.id]]
    goal_plans = {g.plan for g in goals}
    cands = [e for e in corpus.elements if e.type in SERVING_TYPES and e.plan not in goal_plans
             and (plans is None or e.plan in plans)]
    if not goals or not cands:
        return None
    lines = [lines_of[g.id] for g in goals]
    known = contexts or {}
    contexts = [known[e.id] if e.id in known else _context(corpus, e, index) for e in cands]
    texts = [t for ls in lines for _, t in ls] + [c.texts[k] for k in range(3) for c in contexts]
    vectors = embed(texts)
    everyone = sum(1 for e in corpus.elements if e.type in SERVING_TYPES and e.plan not in goal_plans)
    if 3 * everyone + len(texts) - 3 * len(cands) >= RELEASE_AT:
        release()  # the model, read for the new texts, is not needed while the rest is worked
        # out; a small workspace keeps it for the next build
    line_vectors, at = [], 0
    for ls in lines:
        line_vectors.append(vectors[at:at + len(ls)])
        at += len(ls)
    centroids = np.stack([v.mean(axis=0) for v in line_vectors])
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    n = len(cands)
    # the three levels' texts were given level by level: a view, not a copy (1.2 GB at 100,000)
    context_vectors = vectors[at:at + 3 * n].reshape(3, n, vectors.shape[1])
    sims = np.empty((3, n, len(goals)), dtype=np.float32)
    for rows in _plan_rows(cands).values():
        block = context_vectors[:, rows]
        part = block @ centroids.T
        _with_closest_lines(part, block, line_vectors, PARAMS.line_weight)
        sims[:, rows] = part
    present = np.array([[bool(c.texts[k].strip()) for c in contexts] for k in range(3)])
    words = SharedWords(corpus, cands, lines)
    return SimilarityFeatures(cands, goals, contexts, sims, present, context_vectors, lines,
                              line_vectors, words, list(others))


def _plan_rows(cands: list[Element]) -> dict[str, np.ndarray]:
    """Each plan's rows among the candidates."""
    return positions([e.plan for e in cands])


class SharedWords:
    """The words an element shares with a goal, for evidence: TF-IDF over stemmed words and
    pairs of words, their rarity weighed within the element's own plan and the goals' lines
    (one plan's evidence does not change with another plan's words)."""

    def __init__(self, corpus: Corpus, cands: list[Element], lines: list[list[tuple[str, str]]]):
        goal_lines = [t for ls in lines for _, t in ls]
        self.goals = [counts("\n".join(t for _, t in ls)) for ls in lines]
        self.plans = [e.plan for e in cands]
        wanted = set(self.plans)  # the texts of the plans worked out, not of every plan
        texts: dict[str, list[str]] = {}
        for e in corpus.elements:
            if e.plan in wanted:
                texts.setdefault(e.plan, []).append(e.text())
        self.weights = {plan: idf(texts.get(plan, []) + goal_lines) for plan in dict.fromkeys(self.plans)}

    def shared(self, i: int, j: int, text: str) -> list[str]:
        """The words candidate i's `text` (one of its levels) shares with goal j."""
        return shared_words(text, self.goals[j], self.weights[self.plans[i]])


#: rows of texts compared with every goal line at once (4,096 x 5,000 lines: 80 MB)
_CHUNK = 4096


def _with_closest_lines(sims: np.ndarray, vectors: np.ndarray, line_vectors: list[np.ndarray],
                        weight: float) -> None:
    """Mixes into `sims` (3 x elements x goals, in place) each text's similarity with the goal's
    closest line, at `weight`: a deliverable that is one of a goal's actions in other words
    matches that line closely although it matches the goal as a whole no better than its
    neighbours do. Chunk by chunk, so that no texts x lines matrix is held whole."""
    import numpy as np

    if weight <= 0 or not sims.size:
        return
    lines = np.concatenate(line_vectors)
    starts = np.cumsum([0] + [len(v) for v in line_vectors[:-1]])
    flat = vectors.reshape(-1, vectors.shape[-1])
    out = sims.reshape(-1, sims.shape[-1])
    for k in range(0, len(flat), _CHUNK):
        closest = np.maximum.reduceat(flat[k:k + _CHUNK] @ lines.T, starts, axis=1)
        out[k:k + _CHUNK] *= 1.0 - weight
        out[k:k + _CHUNK] += weight * closest


def _quote(line: str, limit: int = 100) -> str:
    line = " ".join(line.split())
    return line if len(line) <= limit else line[: limit - 1].rsplit(" ", 1)[0] + "…"


def pair_scores(f: SimilarityFeatures | None, params: Params = PARAMS
                ) -> dict[tuple[str, str], float]:
    """(element, goal) -> the score a similarity suggestion of the pair has."""
    if f is None:
        return {}
    score = f.scores(params)
    return {(el.id, g.id): float(score[i, j]) for i, el in enumerate(f.candidates)
            for j, g in enumerate(f.goals)}


def similarity(corpus: Corpus, params: Params = PARAMS, f: SimilarityFeatures | None = None,
               hinted: dict[tuple[str, str], str] | None = None) -> list[Link]:
    """Suggested links by text similarity, for deliverable-level elements of other plans: the
    strongest few of each element for each strategy, and every pair with a hint (`hints`),
    which the evidence states."""
    import numpy as np

    f = f or similarity_features(corpus)
    if f is None:
        return []
    hinted = hinted or {}
    glossary = {t.term: t for t in corpus.glossary}
    sim = f.similarity(params)
    base = f.baselines(sim, params)
    score = sim - base
    weights = level_weights(params)
    blend = (f", each the goal as a whole x{1 - PARAMS.line_weight:g} + its closest line "
             f"x{PARAMS.line_weight:g}" if PARAMS.line_weight > 0 else "")
    # at most top_k suggestions per element and strategy: a strategy added to the workspace
    # does not crowd out the suggestions for another's goals
    strategy_of = np.array([g.plan for g in f.goals], dtype=object)
    columns = [np.flatnonzero(strategy_of == s) for s in dict.fromkeys(strategy_of)]
    out = []
    # as Python floats: the same text, formatted faster than NumPy's
    sims, sim_rows, base_rows = f.sims.tolist(), sim.tolist(), base.tolist()
    for i, el in enumerate(f.candidates):
        ctx = f.contexts[i]
        chosen = [int(cols[k]) for cols in columns
                  for k in np.argsort(-score[i, cols], kind="stable")[: params.top_k]]
        chosen += [j for j, g in enumerate(f.goals) if (el.id, g.id) in hinted and j not in chosen]
        mixed = None
        for j in chosen:
            s = float(score[i, j])
            hint = hinted.get((el.id, f.goals[j].id))
            if not (s >= params.floor or (hint and s == s)):  # also refuses a score not a number
                continue
            parts = ", ".join(f"its {ctx.names[k]} {sims[k][i][j]:.2f} (x{weights[k]:g})"
                              for k in range(3) if f.present[k, i])
            if mixed is None:
                mixed = f.mixed(i, params)
            kind, line = f.lines[j][int((f.line_vectors[j] @ mixed).argmax())]
            shown = round(min(max(s, 0.0), 1.0), 3)  # as the link's score column shows it
            goal = f.goals[j]
            # one plain sentence first (what matched, the words shared, the terms read), the
            # arithmetic on a second line
            level = 0 if terms_of(ctx.texts[0]) else 1  # an own text of no words: its parent's
            terms = f.words.shared(i, j, ctx.texts[level])
            plain = f"{hint}; " if hint else ""
            plain += f"matches the goal's {kind}: '{_quote(line)}'"
            if terms:
                whose = "" if level == 0 else f" (its {ctx.names[1]})"
                plain += f"; shares{whose}: {', '.join(terms)}"
            used = _terms_used([ctx.texts[0], line], glossary)
            if used:
                plain += "; " + ", ".join(f"{t.term} means {t.means} ({t.where})"
                                          for t in used)
            evidence = (f"{plain[0].upper()}{plain[1:]}\n"
                        f"closer to {goal.id} than plan {el.plan} usually is to {goal.plan}'s "
                        f"goals: similarity {sim_rows[i][j]:.3f} against their average "
                        f"{base_rows[i][j]:.3f} ({s:+.3f}; suggestions count from "
                        f"+{params.threshold:g}); {sim_rows[i][j]:.2f} = weighted mean of {parts}"
                        f"{blend}")
            out.append(_link(el.id, LinkKind.SIMILARITY, f.goals[j].id, shown, evidence,
                             el.provenance[0], status=LinkStatus.SUGGESTED,
                             matched=f"{kind}: {line}", shared=list(terms),
                             similarity=round(sim_rows[i][j], 3),
                             baseline=round(base_rows[i][j], 3)))
    return out


def _terms_used(parts: list[str], terms: dict) -> list:  # type: ignore[type-arg]
    """The glossary's terms that the texts (read as one, a line apart) use without saying what
    they mean."""
    from alignment.sources.glossary import used_in

    return used_in(parts, terms)


def continuity(corpus: Corpus) -> list[Link]:
    """Continuity between a plan and the plan it follows (the manifest's `follows`: a 2024-29
    corporate plan follows the 2014-15 delivery plan): each newer deliverable is linked to the
    older deliverables whose text it most resembles. Suggestions, like every similarity link.
    Plans that do not say what they follow get none: a youth plan added after the corporate
    plan does not continue it."""
    by_id = {p.id: p for p in corpus.plans}
    out: list[Link] = []
    model: SimilarityModel | None = None
    for new in corpus.plans:
        old = by_id.get(new.follows or "")
        if old is None:
            continue
        olds = [e for e in corpus.elements if e.plan == old.id and e.type == ElementType.DELIVERABLE]
        news = [e for e in corpus.elements if e.plan == new.id and e.type == ElementType.DELIVERABLE]
        if not olds or not news:
            continue
        model = model or SimilarityModel([e.text() for e in corpus.elements])
        old_v, new_v = model.rows([e.label for e in olds]), model.rows([e.label for e in news])
        for i, (el, closest) in enumerate(zip(news, model.closest(new_v, old_v, CONTINUITY_TOP_K),
                                              strict=True)):
            for j, s in closest:
                if s < CONTINUITY_FLOOR:
                    continue
                terms = model.shared_terms(new_v[i], old_v[j], el.label)
                out.append(_link(el.id, LinkKind.CONTINUITY, olds[j].id, min(s, 1.0),
                                 f"continues {olds[j].id} ({old.id}): shares {', '.join(terms)}",
                                 el.provenance[0], status=LinkStatus.SUGGESTED,
                                 shared=list(terms)))
    return out


def align_corpus(corpus: Corpus, decisions: list[Decision] | None = None,
                 with_similarity: bool = True, reuse: SimilarityReuse | None = None) -> Corpus:
    """The corpus with every rule's links added and the curated decisions applied; each plan's
    suggestions taken from an earlier build where nothing they depend on changed (`reuse`)."""
    from alignment.links.embedding import NO_MODEL, model_installed

    links = structural(corpus)
    exp = explicit(corpus)
    links += exp
    missing = [NO_MODEL] if with_similarity and not model_installed() else []
    if with_similarity and not missing:
        suggested, scores = _suggestions(corpus, hints(corpus), reuse)
        links += inherited(corpus, exp, scores)
        del scores
        taken = {(lk.source, lk.target) for lk in links}
        links += [lk for lk in suggested if (lk.source, lk.target) not in taken]
    if with_similarity:
        links += continuity(corpus)
    links, warnings = apply_decisions(corpus, links, decisions or [])
    warnings = missing + warnings
    return corpus.model_copy(update={"links": corpus.links + links,
                                     "warnings": corpus.warnings + warnings})


class _Scores:
    """(element, goal) -> the score of the pair, for elements that have one: read from the
    features worked out now, or from a plan's entry when it is first asked for."""

    def __init__(self, f: SimilarityFeatures | None, entries: dict[str, Entry],
                 plan_of: dict[str, str], rows: dict[str, int]):
        self.now = f.scores(PARAMS) if f is not None else None
        self.now_rows = {e.id: i for i, e in enumerate(f.candidates)} if f is not None else {}
        self.now_cols = {g.id: j for j, g in enumerate(f.goals)} if f is not None else {}
        self.entries = entries
        self.plan_of = plan_of
        self.rows = rows  # a reused plan's candidate -> its row in its entry
        self.read: dict[str, tuple[np.ndarray, dict[str, int]]] = {}

    def _row(self, key: tuple[str, str]) -> float | None:
        source, goal = key
        if source in self.now_rows:
            j = self.now_cols.get(goal)
            return None if j is None or self.now is None else float(self.now[self.now_rows[source], j])
        plan = self.plan_of.get(source)
        entry = self.entries.get(plan or "")
        if entry is None or plan is None or source not in self.rows:
            return None
        if plan not in self.read:
            self.read[plan] = (entry.score_rows(), {g: j for j, g in enumerate(entry.goals)})
        matrix, cols = self.read[plan]
        j = cols.get(goal)
        return None if j is None else float(matrix[self.rows[source], j])

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and self._row(key) is not None  # type: ignore[arg-type]

    def __getitem__(self, key: tuple[str, str]) -> float:
        value = self._row(key)
        if value is None:
            raise KeyError(key)
        return value


def _plan_signature(corpus: Corpus, plan: str, elements: list[Element], cands: list[Element],
                    index: dict[str, Element], hint_of: dict[str, list[list[str]]]) -> str:
    """What a plan's candidates' contexts (`_context`) and links are made from, as text: every
    element of the plan as it stands in its tree (its ID, parent, type, order and title), and
    each candidate's first provenance and hints. A candidate's context is its own title, its
    children's, its parent's and its grandparent's, all of the plan; should one of them belong to
    another plan, the candidates' contexts themselves are written instead."""
    import json

    def tree(e: Element) -> list[object]:
        return [e.id, e.parent, e.type.value, e.order, e.label]

    def source(e: Element) -> list[object] | None:
        if not e.provenance:
            return None
        p = e.provenance[0]
        return [p.document, p.line_start, p.line_end, p.text, p.locator]

    ids = {e.id for e in elements}
    elsewhere = any(e.parent and e.parent not in ids and e.parent in index for e in elements) or \
        any(c.plan != plan for e in cands for c in corpus.children(e.id))
    own = [[e.id, list(_context(corpus, e, index)) if elsewhere else None, source(e),
            hint_of.get(e.id, [])] for e in cands]
    return json.dumps([[tree(e) for e in elements], own])


def _suggestions(corpus: Corpus, hinted: dict[tuple[str, str], str],
                 reuse: SimilarityReuse | None) -> tuple[list[Link], _Scores]:
    """The similarity suggestions of every plan, in the order of their elements, and the score
    of every pair: each plan's from `reuse` where its entry stands (alignment/links/reuse.py),
    the others worked out now, and kept in `reuse` for the next build."""
    import json

    from alignment.links.similarity import overall_means, plan_sums

    reuse = reuse or SimilarityReuse(None, "")

    index = corpus.element_index()
    lines_of = {g.id: goal_lines(corpus, g) for g in _goals(corpus)}
    goals = [g for g in _goals(corpus) if lines_of[g.id]]
    goal_plans = {g.plan for g in goals}
    cands = [e for e in corpus.elements if e.type in SERVING_TYPES and e.plan not in goal_plans]
    if not goals or not cands:
        return [], _Scores(None, {}, {}, {})
    by_plan: dict[str, list[Element]] = {}
    for e in cands:
        by_plan.setdefault(e.plan, []).append(e)
    of_plan: dict[str, list[Element]] = {}
    for e in corpus.elements:
        of_plan.setdefault(e.plan, []).append(e)
    shared = json.dumps([[g.id, g.code, g.plan, lines_of[g.id]] for g in goals]) + "\0" + \
        json.dumps([t.model_dump(mode="json") for t in corpus.glossary]) + "\0" + repr(PARAMS)
    hint_of: dict[str, list[list[str]]] = {}
    for (source, goal), text in sorted(hinted.items()):
        hint_of.setdefault(source, []).append([goal, text])
    names = {plan: reuse.name(shared, plan, _plan_signature(corpus, plan, of_plan[plan], els, index,
                                                            hint_of),
                              json.dumps([e.text() for e in of_plan[plan]]))
             for plan, els in by_plan.items()}
    contexts: dict[str, Context] = {}  # worked out by similarity_features where needed
    entries = {plan: reuse.get(name) for plan, name in names.items()}
    found = {plan: e for plan, e in entries.items() if e is not None}
    strategies = [g.plan for g in goals]
    goal_ids = [g.id for g in goals]
    while True:
        todo = [plan for plan in by_plan if plan not in found]
        f = (similarity_features(corpus, set(todo), [e.sums for e in found.values()], contexts)
             if todo else None)
        sums = {} if f is None else plan_sums(f.similarity(), [e.plan for e in f.candidates],
                                              strategies)
        overall = overall_means([*sums.values(), *(e.sums for e in found.values())])
        # an entry stands while the means it was worked out with stand, and its links can be
        # read (after the sentence model has read the new texts and let go)
        drop = [plan for plan, e in found.items() if e.overall != overall
                or not e.fits(len(by_plan[plan]), goal_ids)]
        drop = drop or [plan for plan, e in found.items() if reuse.links(e) is None]
        if not drop:
            break
        for plan in drop:
            del found[plan]
    made = similarity(corpus, f=f, hinted=hinted) if f is not None else []
    of_plan: dict[str, list[Link]] = {}
    plan_of = {e.id: e.plan for e in cands}
    for lk in made:
        of_plan.setdefault(plan_of[lk.source], []).append(lk)
    if f is not None:
        score = f.scores(PARAMS)
        rows = _plan_rows(f.candidates)
        ids = [g.id for g in f.goals]
        for plan, r in rows.items():
            reuse.put(names[plan], Entry(sums[plan], overall, ids, Entry.scores_of(score[r]),
                                         of_plan.get(plan, [])))
    for plan, e in found.items():
        reuse.use(names[plan], plan)
        of_plan[plan] = e.read_links()
    place = {e.id: i for i, e in enumerate(cands)}
    out = sorted((lk for links in of_plan.values() for lk in links), key=lambda lk: place[lk.source])
    reused_rows = {e.id: r for plan in found for r, e in enumerate(by_plan[plan])}
    return out, _Scores(f, found, plan_of, reused_rows)
