"""Alignment: the rules that link plan elements to goals and strategies (structural, explicit,
inherited, similarity, continuity), the sentence model and scoring they use, the officers'
decisions applied over them, and the rules that say which links count (rules.py)."""
