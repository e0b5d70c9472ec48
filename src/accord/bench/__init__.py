"""Benchmarks: the ``accord bench …`` commands and what they generate and measure.

Not part of the running application: figures go into docs/benchmarks.md, never into tests.
"""
