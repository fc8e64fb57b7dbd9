"""cotrain: plan co-training programmes run by the croisement des savoirs et des pratiques."""

__version__ = "0.1.0"
