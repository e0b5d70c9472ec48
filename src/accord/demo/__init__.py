"""Generated data for trying Accord: the Wanzhou demo (``wanzhou``) and a portfolio at scale (``scale``).

Not part of the running application: pages, API and services never import it; the CLI, the benchmarks
and the tests do.
"""
