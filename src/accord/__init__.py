"""Accord: turn signed cooperation agreements into delivered results."""

__version__ = "0.1.0"
