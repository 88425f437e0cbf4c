"""The closed vocabularies of the model: element types, kinds of agent, kinds and statuses of
link. Plain enums, light to import: the questions and rules read them without loading the model's
classes."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["AgentKind", "ElementType", "LinkKind", "LinkStatus"]


class ElementType(StrEnum):
    """Kinds of plan element, named after the Business Motivation Model's ends and means."""

    PLAN = "Plan"
    OUTCOME = "Outcome"
    STRATEGIC_OBJECTIVE = "StrategicObjective"
    PRIORITY = "Priority"
    OBJECTIVE = "Objective"
    DELIVERABLE = "Deliverable"
    SUB_ITEM = "SubItem"
    FOUNDATION = "Foundation"
    STRAND = "Strand"
    PROGRAMME = "Programme"
    DOMAIN = "Domain"
    GOAL = "Goal"
    ACTION = "Action"
    MILESTONE = "Milestone"


class AgentKind(StrEnum):
    POST = "Post"
    TEAM = "Team"


class LinkKind(StrEnum):
    """How a link was found. The rules that read kinds live in alignment.links.rules."""

    REFERENCES = "references"  # an element's text names a strategy
    STRUCTURAL = "structural"  # a goal's own action or year-one deliverable
    CURATED = "curated"  # a link an officer added
    EXPLICIT = "explicit"  # names a strategy a goal is delivered through
    INHERITED = "inherited"  # under an element whose title commits to such a strategy
    SIMILARITY = "similarity"  # similar wording: a suggestion
    CONTINUITY = "continuity"  # an older plan's deliverable carried on into a newer one


class LinkStatus(StrEnum):
    """Whether a link stands: stated (by a document or an officer), suggested, or rejected."""

    ASSERTED = "asserted"
    SUGGESTED = "suggested"
    REJECTED = "rejected"
