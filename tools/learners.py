"""Learners tried for the review loop, measured by `make eval`'s simulated officer: each takes the
decisions so far (accepted or rejected pairs) and scores the remaining suggestions again. The
engine ships one (alignment/links/learning.py: decisions carried to elements that read alike,
below the threshold only); those here do not help on both judged plans in every measure
(docs/evaluation.md has the figures), and stay so that the measurement can be repeated, and a
better learner measured beside them.

`rescore` is relevance feedback (Rocchio, from information retrieval): a goal is read as the mean
of its lines' sentence vectors; the decisions move it towards the elements accepted for it and
away from those rejected, and every element of another plan is measured against the moved goal.
It needs no training beyond the decisions themselves, works from the first decision, and cannot
run away with a few examples: the goal's own text keeps the largest weight. A score moves by how
much closer the element came to the moved goal than its plan's elements did on average, so one
threshold still holds for every plan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from alignment.links.learning import element_vectors, twins
from alignment.links.similarity import PARAMS, Params

if TYPE_CHECKING:
    import numpy as np

    from alignment.links.linking import SimilarityFeatures

__all__ = ["FEEDBACK", "Feedback", "element_vectors", "rescore", "near_twins"]



def near_twins(f: SimilarityFeatures, scores: np.ndarray, labels: dict[tuple[int, int], bool],
               vectors: np.ndarray, weight: float = 0.2, closeness: float = 0.8) -> np.ndarray:
    """A decision carried to the elements that read almost the same (cosine above
    `closeness`), over the whole order and into the graph (`review` carries it, with a wider
    reach, below the threshold only: alignment/links/learning.py)."""
    return twins(f, scores, labels, vectors, weight, closeness)


class Feedback(NamedTuple):
    """Rocchio's weights: the goal's own text, the accepted elements, the rejected ones."""

    goal: float = 1.0
    accepted: float = 0.75
    rejected: float = 0.25


FEEDBACK = Feedback()


def rescore(f: SimilarityFeatures, scores: np.ndarray, labels: dict[tuple[int, int], bool],
            params: Params = PARAMS, feedback: Feedback = FEEDBACK,
            vectors: np.ndarray | None = None) -> np.ndarray:
    """The scores (elements x goals) after learning from `labels`: (element row, goal column) ->
    accepted (True) or rejected (False). Goals without a decision keep their scores."""
    import numpy as np

    from alignment.links.similarity import combine

    if not labels:
        return scores
    v = element_vectors(f, params) if vectors is None else vectors
    out = scores.copy()
    plans = np.array([e.plan for e in f.candidates], dtype=object)
    for j in sorted({j for _, j in labels}):
        yes = [i for (i, g), ok in labels.items() if g == j and ok]
        no = [i for (i, g), ok in labels.items() if g == j and not ok]
        centre = f.line_vectors[j].mean(axis=0)
        centre = centre / max(float(np.linalg.norm(centre)), 1e-12)
        moved = feedback.goal * centre
        if yes:
            moved = moved + feedback.accepted * v[yes].mean(axis=0)
        if no:
            moved = moved - feedback.rejected * v[no].mean(axis=0)
        moved = moved / max(float(np.linalg.norm(moved)), 1e-12)
        before = combine(f.sims[:, :, j:j + 1], f.present, params)[:, 0]
        after = combine((f.vectors @ moved)[:, :, None], f.present, params)[:, 0]
        change = after - before
        for plan in dict.fromkeys(plans):
            rows = plans == plan
            out[rows, j] = scores[rows, j] + change[rows] - change[rows].mean()
    return out
