"""Stepwise: a visual, step-by-step machine-learning playground."""

__version__ = "0.1.0"
