"""`make eval`: precision, recall and F1 of the engine's links against the judgments in data/eval/
(which deliverables of the 2014-15 delivery plan and of the 2024-29 corporate plan serve HWB goals
4A-4D).

The machine is measured, not the officers: curated decisions are left out. A pair the engine
links is a true positive when its grade is 1 or 2. The default threshold is chosen by
leave-one-group-out cross-validation: each priority of the 2014-15 plan, its foundation, and each
outcome of the 2024-29 plan is held out in turn and the threshold is fitted on the rest. The level
weights are set by the annotators' rule (a deliverable is judged from its own text and its
objective: equal weights) and were compared on all judgments, so the same is also reported with
the weights and the plan prior fitted in each fold, the stricter figure; and across plans: fitted
on one plan, measured on the other.
"""

from __future__ import annotations

import atexit
import csv
import itertools
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from learners import FEEDBACK, element_vectors, near_twins, rescore  # noqa: E402

from alignment.links.learning import below, twins  # noqa: E402
from alignment.links.linking import SimilarityFeatures, similarity_features  # noqa: E402
from alignment.links.similarity import PARAMS, Params  # noqa: E402
from alignment.model import Corpus  # noqa: E402
from alignment.pipeline.add import add_document  # noqa: E402
from alignment.pipeline.building import aligned, load_bundled  # noqa: E402
from alignment.sources.workspace import Workspace, init_workspace  # noqa: E402

EVAL = ROOT / "data" / "eval"
#: plan -> judgments file; a row's group is its priority (2014-15), outcome (2024-29) or theme
JUDGMENTS = {"CP14": EVAL / "cp14_hwb4_judgments.tsv", "CP24": EVAL / "cp24_hwb4_judgments.tsv",
             "MBC24": EVAL / "mbc24_hwb4_judgments.tsv", "KC24": EVAL / "kc24_hwb4_judgments.tsv",
             "WCC25": EVAL / "wcc25_hwb4_judgments.tsv", "AMBC25": EVAL / "ambc25_hwb4_judgments.tsv"}
#: the two Thurrock plans the engine's defaults were first chosen on
THURROCK = ("CP14", "CP24")
#: plans of other (invented) councils, read as an officer adds them: two short plans (themes or
#: outcomes with one-line priorities, CSV), a county's delivery plan (a Word outline pasted as
#: Markdown) and a borough's action plan (a workbook with merged cells): plan -> (file, title,
#: period)
IMPORTED = {"MBC24": ("plans/marshford-council-plan.csv", "Marshford Council Plan 2024-2028",
                      "2024-2028"),
            "KC24": ("plans/kingsbridge-council-plan.csv", "Kingsbridge Council Plan 2024-2028",
                     "2024-2028"),
            "WCC25": ("plans/westmere-delivery-plan.md",
                      "Westmere County Council Delivery Plan 2025-26", "2025-2026"),
            "AMBC25": ("plans/ashbridge-action-plan.xlsx",
                       "Ashbridge Council Action Plan 2025/26", "2025-2026")}
#: the plans the scoring was not chosen on (judged after the choice)
UNSEEN = ("WCC25", "AMBC25")
GOALS = ["4A", "4B", "4C", "4D"]
GRID_PARENT = [0.2, 0.4, 0.6, 0.8, 1.0, 1.5, 2.0]
GRID_GRAND = [0.0, 0.2, 0.4]
GRID_PRIOR = [0.0, 10.0]
GRID_THRESHOLD = [round(t, 4) for t in np.arange(0.0, 0.30, 0.0025)]


@dataclass
class Data:
    ids: list[str]
    plans: list[str]  # the plan of each judged deliverable
    groups: list[str]  # CP14 P1..P5, CP14 WRO, CP24 PEOPLE, ...
    truth: np.ndarray  # bool, deliverables x goals
    grade: np.ndarray  # 0/1/2
    asserted: np.ndarray  # bool: a non-similarity machine link exists
    corpus: Corpus  # the bundled corpus and the imported plans, without curated decisions
    feats: SimilarityFeatures
    rows: list[int]  # each judged deliverable's row in feats
    cols: list[int]  # each goal's column in feats

    def scores(self, p: Params) -> np.ndarray:
        """The engine's scores of the judged pairs under the parameters `p`, rounded as the
        links store them."""
        return np.round(self.feats.scores(p)[np.ix_(self.rows, self.cols)], 3)

    def mask(self, plan: str) -> np.ndarray:
        return np.array([p == plan for p in self.plans])


def read_judgments(plan: str) -> list[dict[str, str]]:
    with JUDGMENTS[plan].open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def imported_workspace() -> Workspace:
    """A copy of the bundled workspace with the other councils' plans added by `align add`'s
    code, in a temporary folder removed when the process ends."""
    folder = Path(tempfile.mkdtemp(prefix="align-eval-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    ws = init_workspace(folder / "workspace")
    for plan, (file, title, period) in IMPORTED.items():
        add_document(ws, EVAL / file, plan, title, period=period)
    return ws


def load() -> Data:
    corpus = aligned(imported_workspace(), decisions=False)
    feats = similarity_features(corpus)
    assert feats is not None
    row_of = {e.id: i for i, e in enumerate(feats.candidates)}
    col_of = {g.code: j for j, g in enumerate(feats.goals)}
    ids, plans, groups, grades = [], [], [], []
    for plan in JUDGMENTS:
        for r in read_judgments(plan):
            ids.append(r["id"])
            plans.append(plan)
            groups.append(f"{plan} {r['id'].split('-')[1]}")
            grades.append([int(r[g]) for g in GOALS])
    grade = np.array(grades)
    asserted = np.zeros_like(grade, dtype=bool)
    at = {i: k for k, i in enumerate(ids)}
    for source, goal in stated_pairs(corpus):
        if source in at:
            asserted[at[source], GOALS.index(goal)] = True
    return Data(ids, plans, groups, grade > 0, grade, asserted, corpus, feats,
                [row_of[i] for i in ids], [col_of[g] for g in GOALS])


def stated_pairs(corpus: Corpus) -> set[tuple[str, str]]:
    """The (element, goal) pairs the documents state, as the judgments count them: a link
    asserted by a rule (an element that names a strategy a goal is delivered through), and a
    commitment to the whole HWB strategy, which the annotators graded a partial link to each of
    its goals (data/eval/README.md). Officers' decisions are left out."""
    whole = {p.strategy for p in corpus.plans if p.id == "HWB" and p.strategy}
    out = set()
    for lk in corpus.links:
        if lk.kind == "references" and lk.target in whole:
            out |= {(lk.source, g) for g in GOALS}
        elif lk.kind in {"structural", "explicit"} and lk.status == "asserted":
            code = lk.target.removeprefix("HWB-")
            if code in GOALS:
                out.add((lk.source, code))
    return out


def engine_predictions(d: Data) -> np.ndarray:
    """The pairs the built engine links (asserted, or suggested at or above the default
    threshold), machine links only."""
    from alignment.links.rules import serving

    pred = d.asserted.copy()
    rows = {i: k for k, i in enumerate(d.ids)}
    for lk in serving(d.corpus):
        code = lk.target.removeprefix("HWB-")
        if lk.source in rows and code in GOALS and lk.kind != "curated":
            pred[rows[lk.source], GOALS.index(code)] = True
    return pred


def prf(pred: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    tp = int((pred & truth).sum())
    p = tp / max(int(pred.sum()), 1)
    r = tp / max(int(truth.sum()), 1)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


class Evaluator:
    """Fits parameters on some judged rows and predicts others; scores are computed once per
    setting of the weights."""

    def __init__(self, d: Data):
        self.d = d
        self._scores: dict[tuple[float, float, float], np.ndarray] = {}

    def scores(self, p: Params) -> np.ndarray:
        key = (p.parent_weight, p.grandparent_weight, p.plan_prior)
        if key not in self._scores:
            self._scores[key] = self.d.scores(p)
        return self._scores[key]

    def predict(self, p: Params, rows: np.ndarray) -> np.ndarray:
        return self.d.asserted[rows] | (self.scores(p)[rows] >= p.threshold)

    def fit(self, rows: np.ndarray, weights: bool = False) -> Params:
        """The parameters with the best F1 on `rows`: the threshold alone at the shipped weights,
        or (`weights`) the level weights and the plan prior too."""
        settings = (itertools.product(GRID_PARENT, GRID_GRAND, GRID_PRIOR) if weights else
                    [(PARAMS.parent_weight, PARAMS.grandparent_weight, PARAMS.plan_prior)])
        best = (-1.0, PARAMS)
        for pw, gw, prior in settings:
            base = PARAMS._replace(parent_weight=pw, grandparent_weight=gw, plan_prior=prior)
            score = self.scores(base)[rows]
            for t in GRID_THRESHOLD:
                f = prf(self.d.asserted[rows] | (score >= t), self.d.truth[rows])[2]
                if f > best[0]:
                    best = (f, base._replace(threshold=t))
        return best[1]

    def cross_validate(self, weights: bool = False) -> tuple[np.ndarray, list[tuple[str, Params]]]:
        pred = np.zeros_like(self.d.truth)
        chosen = []
        groups = np.array(self.d.groups)
        for g in dict.fromkeys(self.d.groups):
            test = groups == g
            p = self.fit(~test, weights)
            pred[test] = self.predict(p, test)
            chosen.append((g, p))
        return pred, chosen


class EvaluatorRaw(Evaluator):
    """Scores measured from one baseline for the whole corpus (no plan baselines), for
    comparison."""

    def scores(self, p: Params) -> np.ndarray:
        key = (p.parent_weight, p.grandparent_weight, -1.0)
        if key not in self._scores:
            sim = self.d.feats.similarity(p)
            self._scores[key] = (sim - sim.mean())[np.ix_(self.d.rows, self.d.cols)]
        return self._scores[key]


def report(title: str, pred: np.ndarray, d: Data, rows: np.ndarray | None = None) -> None:
    rows = np.ones(len(d.ids), dtype=bool) if rows is None else rows
    pred, truth, grade = pred[rows], d.truth[rows], d.grade[rows]
    print(f"\n{title}")
    print(f"  {'goal':<8}{'precision':>10}{'recall':>8}{'F1':>7}{'grade-2 recall':>16}{'links':>7}")
    for j, g in enumerate([*GOALS, "overall"]):
        cols = slice(None) if g == "overall" else slice(j, j + 1)
        p, r, f = prf(pred[:, cols], truth[:, cols])
        two = grade[:, cols] == 2
        r2 = int((pred[:, cols] & two).sum()) / max(int(two.sum()), 1)
        print(f"  {g:<8}{p:>10.2f}{r:>8.2f}{f:>7.2f}{r2:>16.2f}{int(pred[:, cols].sum()):>7}")
    p, r, f = prf(pred, grade == 2)
    print(f"  {'grade 2 alone (only direct links count as true)':<48} precision {p:.2f}, recall "
          f"{r:.2f}, F1 {f:.2f}")


def line(label: str, pred, truth, continuity: Continuity | None = None) -> str:  # type: ignore[no-untyped-def]
    p, r, f = continuity.prf(pred) if continuity else prf(pred, truth)
    return f"  {label:<44} precision {p:.2f}, recall {r:.2f}, F1 {f:.2f}"


def main() -> None:
    d = load()
    ev = Evaluator(d)
    everyone = np.ones(len(d.ids), dtype=bool)
    for plan in JUDGMENTS:
        m = d.mask(plan)
        print(f"{plan}: {int(m.sum())} deliverables x {len(GOALS)} goals, "
              f"{int(d.truth[m].sum())} positive pairs; pairs the documents state "
              f"(explicit links, whole-strategy commitments): "
              f"{int(d.asserted[m].sum())}")
    shipped = ev.predict(PARAMS, everyone)
    report(f"At the shipped defaults (parent {PARAMS.parent_weight}, grandparent "
           f"{PARAMS.grandparent_weight}, plan prior {PARAMS.plan_prior:g}, threshold "
           f"{PARAMS.threshold}) — in-sample, both plans", shipped, d)
    pred, chosen = ev.cross_validate()
    report("Leave-one-group-out cross-validation, both plans (the threshold fitted without the "
           "held-out priority or outcome)", pred, d)
    for plan in JUDGMENTS:
        print(line(f"{plan} alone", pred[d.mask(plan)], d.truth[d.mask(plan)]))
    print("  thresholds chosen: " + ", ".join(f"{g} {p.threshold:.4f}" for g, p in chosen))
    wpred, wchosen = ev.cross_validate(weights=True)
    print("\nThe same with the level weights and the plan prior fitted in each fold too:")
    print(line("both plans", wpred, d.truth))
    for g, p in wchosen:
        print(f"    {g:<13} parent {p.parent_weight:.1f}  grandparent {p.grandparent_weight:.1f}  "
              f"prior {p.plan_prior:g}  threshold {p.threshold:.4f}")
    print("\nAcross plans (fitted on the other plans, measured on one):")
    raw = EvaluatorRaw(d)
    for plan in JUDGMENTS:
        test = d.mask(plan)
        p = ev.fit(~test)
        print(line(f"{plan}: threshold fitted on the others ({p.threshold:.4f})",
                   ev.predict(p, test), d.truth[test]))
        p = ev.fit(~test, weights=True)
        print(line(f"{plan}: weights fitted too (parent {p.parent_weight:g}, grandparent "
                   f"{p.grandparent_weight:g}, prior {p.plan_prior:g})", ev.predict(p, test),
                   d.truth[test]))
        print(line(f"{plan}: without plan baselines", raw.predict(raw.fit(~test), test),
                   d.truth[test]))
    thurrock = np.isin(d.plans, THURROCK)
    p = ev.fit(thurrock)
    print(line(f"fitted on the Thurrock plans ({p.threshold:.4f}), measured on the others",
               ev.predict(p, ~thurrock), d.truth[~thurrock]))
    print("\nAcross thresholds (shipped weights):")
    print(f"  {'threshold':>9}{'precision':>10}{'recall':>8}{'F1':>7}   F1 per plan")
    for t in [0.06, 0.08, 0.10, 0.12, 0.13, 0.135, 0.14, 0.15, 0.17, 0.20]:
        pt = ev.predict(PARAMS._replace(threshold=t), everyone)
        per = "  ".join(f"{plan} {prf(pt[d.mask(plan)], d.truth[d.mask(plan)])[2]:.2f}"
                        for plan in JUDGMENTS)
        p, r, f = prf(pt, d.truth)
        print(f"  {t:>9.3f}{p:>10.2f}{r:>8.2f}{f:>7.2f}   {per}")
    engine = engine_predictions(d)
    print("\nThe engine's own links at the defaults (as 'align serves' counts them):")
    print(line("both plans", engine, d.truth))
    for plan in JUDGMENTS:
        print(line(plan, engine[d.mask(plan)], d.truth[d.mask(plan)]))
    full = ev.fit(everyone)
    print(f"\nThreshold fitted on all judgments at the shipped weights (the shipped default): "
          f"{full.threshold}")
    ranking_report(d)
    curves = loop_report(d, ev)
    write_curve(curves, ROOT / "docs" / "review-curve.svg")
    continuity_report(load_bundled(decisions=False))


def ranking_report(d: Data) -> None:
    """How well the engine ranks: for each goal, the plan's deliverables in the order `serves`
    lists them (stated links first, then by score); average precision (MAP over the goals) and
    the share of the goal's links in the first 10."""
    print("\nRanking (each goal's deliverables of one plan, in the order 'serves' lists them):")
    scores = d.scores(PARAMS) + 10 * d.asserted
    for plan in JUDGMENTS:
        m = d.mask(plan)
        aps, tens = [], []
        for j in range(len(GOALS)):
            ap, ten = rank_quality(scores[m, j], d.truth[m, j])
            if ap is not None:
                aps.append(ap)
                tens.append(ten)
        print(f"  {plan:<6} MAP {np.mean(aps):.2f}   recall in the first 10 per goal "
              f"{np.mean(tens):.2f}")


def rank_quality(scores: np.ndarray, truth: np.ndarray) -> tuple[float | None, float]:
    """Average precision, and recall in the first 10, of one ranked list (stable order)."""
    order = np.argsort(-scores, kind="stable")
    t = truth[order]
    if not t.any():
        return None, 0.0
    hits = np.cumsum(t)
    return float((hits / np.arange(1, len(t) + 1))[t].mean()), float(t[:10].sum() / t.sum())


#: learner name -> (features, base scores, labels, element vectors) -> the scores again
LEARNERS = {
    "none": lambda f, base, labels, v: base,
    "relevance feedback": lambda f, base, labels, v: rescore(f, base, labels, PARAMS, FEEDBACK, v),
    "near twins": lambda f, base, labels, v: near_twins(f, base, labels, v),
    "twins, order only": lambda f, base, labels, v: near_twins(f, base, labels, v, weight=0.2,
                                                               closeness=0.6),
    "twins below threshold": lambda f, base, labels, v: below(base, twins(f, base, labels, v)),
}
#: the order `align review` reads in (alignment/links/learning.py)
SHIPPED = "twins below threshold"
#: learners that only choose what to review next: the graph keeps the machine's own scores for
#: what is not decided (a wider reach, 0.6, lifts the screening curve but moves too many pairs
#: across the threshold to keep the graph's F1)
ORDER_ONLY = {"twins, order only", SHIPPED}


def simulate(d: Data, plan: str, threshold: float, per_goal: int | None,
             learner: str = "none") -> tuple[np.ndarray, list[int]]:
    """A simulated officer on one plan: `review` order (what the documents state first, then the
    strongest suggestion), every decision the judgments' answer, every decision given at once to
    the learner (tools/learners.py). With `per_goal`, that many decisions per goal, goal after
    goal; the final graph is returned. Without it, every pair of the plan is read, always the
    strongest undecided one next: the positives found after each pair read (the recall curve)."""
    f = d.feats
    learn = LEARNERS[learner]
    m = d.mask(plan)
    rows = np.array(d.rows)[m]
    truth = d.truth[m]
    stated = d.asserted[m]
    vectors = element_vectors(f)
    base = f.scores(PARAMS)
    scores = base.copy()
    labels: dict[tuple[int, int], bool] = {}
    decided = np.zeros_like(truth)

    def current(j: int) -> np.ndarray:
        # ties (rows moved to the same place) broken as `review` breaks them: the stronger first
        return np.round(scores[rows, d.cols[j]], 3) + 10 * stated[:, j] + 1e-6 * base[rows, d.cols[j]]

    def decide(i: int, j: int) -> None:
        nonlocal scores
        decided[i, j] = True
        labels[(int(rows[i]), d.cols[j])] = bool(truth[i, j])
        scores = learn(f, base, labels, vectors)

    if per_goal is not None:
        for j in range(len(GOALS)):
            for _ in range(per_goal):
                s = np.where(decided[:, j], -np.inf, current(j))
                decide(int(np.argmax(s)), j)
        final = np.zeros_like(truth)
        kept = base if learner in ORDER_ONLY else scores
        for j in range(len(GOALS)):
            own = np.round(kept[rows, d.cols[j]], 3) + 10 * stated[:, j]
            final[:, j] = np.where(decided[:, j], truth[:, j], stated[:, j] | (own >= threshold))
        return final, []
    found, curve = 0, []
    while not decided.all():
        s = np.stack([np.where(decided[:, j], -np.inf, current(j)) for j in range(len(GOALS))],
                     axis=1)
        i, j = np.unravel_index(int(np.argmax(s)), s.shape)
        found += int(truth[i, j])
        decide(int(i), int(j))
        curve.append(found)
    return np.zeros_like(truth), curve


def curve_figures(curve: list[int]) -> tuple[float, float, int]:
    """WSS@95 (work saved over reading in random order, at 95% recall), the share of the links
    found after 10% of the pairs read, and the pairs read to find 95%."""
    total, n = curve[-1], len(curve)
    n95 = next(k for k, c in enumerate(curve, 1) if c >= 0.95 * total)
    return (n - n95) / n - 0.05, curve[max(int(0.1 * n) - 1, 0)] / total, n95


def loop_report(d: Data, ev: Evaluator) -> dict[str, list[int]]:
    """`review` with a simulated officer (ASReview's simulation mode is the model): the graph
    after 5, 10 and 20 decisions per goal, and the recall curve over all the plan's pairs, with
    work saved over sampling at 95% recall (WSS@95) and the links found after 10% read. The
    threshold is fitted on the other plans; only the plan's own decisions so far teach a
    learner. Returns each plan's curve in review's order."""
    print("\nThe review loop, simulated (decisions in 'review' order, each answered by the "
          "judgments; the threshold fitted on the other plans):")
    print(f"  {'plan':<7}{'learner':<24}{'F1 after 0':>11}{'5':>6}{'10':>6}{'20':>6}"
          f"{'WSS@95':>8}{'found at 10%':>14}")
    curves = {}
    for plan in JUDGMENTS:
        m = d.mask(plan)
        t = ev.fit(~m).threshold
        alone = prf(ev.predict(PARAMS._replace(threshold=t), m), d.truth[m])[2]
        for learner in LEARNERS:
            cells = [prf(simulate(d, plan, t, k, learner)[0], d.truth[m])[2] for k in (5, 10, 20)]
            _, curve = simulate(d, plan, t, None, learner)
            wss, tenth, _ = curve_figures(curve)
            print(f"  {plan:<7}{learner:<24}{alone:>11.2f}" + "".join(f"{c:>6.2f}" for c in cells)
                  + f"{wss:>8.2f}{tenth:>14.2f}")
            if learner == SHIPPED:
                curves[plan] = curve
    for plan, curve in curves.items():
        _, _, n95 = curve_figures(curve)
        total, n = curve[-1], len(curve)
        marks = ", ".join(f"{int(100 * r)}% after {next(k for k, c in enumerate(curve, 1) if c >= r * total)}"
                          for r in (0.5, 0.8, 0.9, 0.95, 1.0))
        print(f"  {plan}: {total} links in {n} pairs, in review's order found {marks} read")
    return curves


def write_curve(curves: dict[str, list[int]], path: Path) -> None:
    """The recall curves as a small SVG picture: the share of a plan's judged links found
    against the share of its pairs read, in `review` order, beside reading in random order."""
    w, h, pad = 480, 300, 40
    colours = {"CP14": "#1f77b4", "CP24": "#d62728", "MBC24": "#2ca02c", "KC24": "#9467bd",
               "WCC25": "#ff7f0e", "AMBC25": "#8c564b"}

    def xy(fx: float, fy: float) -> str:
        return f"{pad + fx * (w - 2 * pad):.1f},{h - pad - fy * (h - 2 * pad):.1f}"

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
             f'font-family="sans-serif" font-size="12">',
             f'<rect width="{w}" height="{h}" fill="white"/>',
             f'<polyline fill="none" stroke="#999" stroke-dasharray="4 3" '
             f'points="{xy(0, 0)} {xy(1, 1)}"/>',
             f'<polyline fill="none" stroke="black" points="{xy(0, 1)} {xy(0, 0)} {xy(1, 0)}"/>',
             f'<text x="{w / 2}" y="{h - 8}" text-anchor="middle">pairs read (share of the '
             f'plan\'s deliverable x goal pairs)</text>',
             f'<text x="12" y="{h / 2}" transform="rotate(-90 12 {h / 2})" '
             f'text-anchor="middle">judged links found</text>']
    for k, (plan, curve) in enumerate(curves.items()):
        n, total = len(curve), curve[-1]
        points = " ".join(xy(i / n, c / total) for i, c in enumerate([0, *curve]))
        wss, _, _ = curve_figures(curve)
        parts.append(f'<polyline fill="none" stroke="{colours.get(plan, "black")}" '
                     f'stroke-width="2" points="{points}"/>')
        parts.append(f'<text x="{w - pad - 150}" y="{h - pad - 40 - 16 * k}" '
                     f'fill="{colours.get(plan, "black")}">{plan}: WSS@95 {wss:.2f}</text>')
    parts.append(f'<text x="{w - pad - 150}" y="{h - pad - 8}" fill="#999">random order</text>')
    path.write_text("\n".join([*parts, "</svg>"]) + "\n", encoding="utf-8")
    print(f"  the curves: {path.relative_to(ROOT)}")


CONTINUITY = EVAL / "cp14_cp24_continuity_judgments.tsv"
GRID_CONTINUITY = [round(t, 4) for t in np.arange(0.08, 0.40, 0.005)]


@dataclass
class Continuity:
    """The engine's continuity links (new -> old) with their scores, and the judged pool."""

    links: dict[tuple[str, str], float]  # (old, new) -> score, every suggestion drawn
    truth: set[tuple[str, str]]  # pairs graded 1 or 2
    groups: dict[str, str]  # old deliverable -> its priority or foundation

    def predict(self, threshold: float, olds: set[str] | None = None) -> set[tuple[str, str]]:
        return {k for k, s in self.links.items()
                if s >= threshold and (olds is None or k[0] in olds)}

    def prf(self, pred: set[tuple[str, str]], olds: set[str] | None = None
            ) -> tuple[float, float, float]:
        truth = {k for k in self.truth if olds is None or k[0] in olds}
        tp = len(pred & truth)
        p, r = tp / max(len(pred), 1), tp / max(len(truth), 1)
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def fit(self, olds: set[str]) -> float:
        return max(GRID_CONTINUITY, key=lambda t: (self.prf(self.predict(t, olds), olds)[2], -t))


def load_continuity(corpus: Corpus) -> Continuity:
    with CONTINUITY.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    links = {(lk.target, lk.source): lk.score for lk in corpus.links if lk.kind == "continuity"}
    truth = {(r["old"], r["new"]) for r in rows if int(r["grade"]) > 0}
    olds = {e.id for e in corpus.elements if e.plan == "CP14" and e.type.value == "Deliverable"}
    return Continuity(links, truth, {o: o.split("-")[1] for o in olds})


def continuity_report(corpus: Corpus) -> None:
    """Which 2014-15 deliverables carried on into the 2024-29 plan: the engine's continuity links
    against the judged pool (data/eval/README.md says how the pool was drawn)."""
    from alignment.links.linking import CONTINUITY_TOP_K
    from alignment.links.rules import CONTINUITY_THRESHOLD

    c = load_continuity(corpus)
    print(f"\nContinuity, 2014-15 -> 2024-29 ({len(c.truth)} judged pairs carried on, in a pool "
          f"of {sum(1 for _ in CONTINUITY.open(encoding='utf-8')) - 1}; TF-IDF suggestions, "
          f"the top {CONTINUITY_TOP_K} older deliverables of each newer one)")
    print(line(f"at the shipped threshold {CONTINUITY_THRESHOLD}", c.predict(CONTINUITY_THRESHOLD),
               c.truth, c))
    pred: set[tuple[str, str]] = set()
    chosen = []
    for g in dict.fromkeys(sorted(c.groups.values())):
        test = {o for o, h in c.groups.items() if h == g}
        t = c.fit(set(c.groups) - test)
        pred |= c.predict(t, test)
        chosen.append(f"{g} {t:.3f}")
    print(line("leave-one-priority-out cross-validation", pred, c.truth, c))
    print("  thresholds chosen: " + ", ".join(chosen))
    print(f"  {'threshold':>9}{'precision':>10}{'recall':>8}{'F1':>7}{'links':>7}")
    for t in [0.10, 0.12, 0.14, 0.15, 0.16, 0.17, 0.175, 0.18, 0.20, 0.25]:
        p, r, f = c.prf(c.predict(t))
        print(f"  {t:>9.3f}{p:>10.2f}{r:>8.2f}{f:>7.2f}{len(c.predict(t)):>7}")
    print(f"  threshold fitted on all continuity judgments: {c.fit(set(c.groups))}")


if __name__ == "__main__":
    main()
