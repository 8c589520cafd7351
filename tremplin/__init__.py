"""Tremplin: the human side of an AI rollout."""

__version__ = "0.1.0"
