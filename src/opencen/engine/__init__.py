"""opencen scoring engine: features, risk profiles, model, selection, metrics.

A pure-Python library on polars and LightGBM (Dask for scale-out) that imports nothing from
Django. The flow is ``schema`` (validated declarations) -> ``features`` (time-safe history
statistics) -> ``model`` (LightGBM score, calibration, explanations) -> ``rules`` (risk
profiles) -> ``selection`` (lanes under budget) -> ``metrics``; ``pipeline`` ties them together
and ``distributed`` runs them on a Dask cluster. See docs/engine.md.
"""
