"""Synthetic declarations with planted fraud patterns, for tests, benchmarks and demos.

The generator is vectorised (a million rows in about a second) and deterministic for a seed.
Planted signal: importers and HS codes carry a latent risk, fraudulent declarations are
undervalued (unit value well below the HS code's usual price), and AEO importers are rarely
fraudulent. Nothing here is real data.
"""

from __future__ import annotations

import datetime
import string

import numpy as np
import polars as pl

from opencen.engine.schema import validate

__all__ = ["synthetic_declarations"]

_COUNTRIES = (
    "CN", "VN", "US", "DE", "JP", "IN", "TR", "TH", "MY", "ID", "IT", "FR", "GB", "KR", "BR",
    "MX", "PL", "NL", "BE", "ES", "AE", "SG", "TW", "HK", "PK", "BD", "EG", "NG", "ZA", "CA",
)  # fmt: skip


def _ids(rng: np.random.Generator, prefix: str, count: int) -> np.ndarray:
    letters = np.array(list(string.ascii_uppercase + string.digits))
    codes = rng.choice(letters, size=(count, 6))
    return np.char.add(prefix, np.array(["".join(row) for row in codes]))


def synthetic_declarations(
    rows: int,
    *,
    seed: int = 0,
    start: datetime.date = datetime.date(2024, 1, 1),
    days: int = 365,
    with_outcome: bool = True,
    world_size: int = 100_000,
    world_seed: int = 0,
) -> pl.DataFrame:
    """A validated frame of ``rows`` declarations dated over ``days`` days from ``start``.

    The parties, HS codes and their latent risks (the "world", sized for ``world_size``
    declarations) depend only on ``world_seed``, so frames drawn with different ``seed`` share
    them: a later batch meets the importers and goods of an earlier history. With
    ``with_outcome`` the frame carries ``result``, ``revenue`` and ``result_date`` (one to ten
    days after the declaration).
    """
    rng = np.random.default_rng(world_seed)
    n_importers = max(10, world_size // 20)
    n_hs = max(10, min(2000, world_size // 50))
    importers = _ids(rng, "I", n_importers)
    declarants = _ids(rng, "D", max(5, world_size // 400))
    sellers = _ids(rng, "S", max(10, world_size // 25))
    hs_codes = np.char.zfill(rng.integers(1010, 9706, n_hs).astype(str), 4)
    hs_codes = np.char.add(hs_codes, np.char.zfill(rng.integers(0, 10**6, n_hs).astype(str), 6))
    hs_price = np.exp(rng.normal(3.0, 1.5, n_hs))
    hs_risk = rng.normal(-2.2, 0.8, n_hs)
    importer_risk = rng.normal(0.0, 1.2, n_importers)
    importer_aeo = rng.random(n_importers) < 0.05

    rng = np.random.default_rng([world_seed, seed])
    imp = np.minimum(rng.zipf(1.6, rows) - 1, n_importers - 1)
    hs = rng.integers(0, n_hs, rows)
    origin = rng.choice(len(_COUNTRIES), rows, p=_origin_weights(len(_COUNTRIES)))
    aeo = importer_aeo[imp]
    logit = hs_risk[hs] + importer_risk[imp] + 0.4 * (origin < 3) - 2.5 * aeo
    fraud = rng.random(rows) < 1.0 / (1.0 + np.exp(-logit))
    mass = np.round(np.exp(rng.normal(4.0, 1.8, rows)), 1) + 0.1
    price = hs_price[hs] * np.exp(rng.normal(0.0, 0.35, rows)) * np.where(fraud, 0.35, 1.0)
    value = np.round(mass * price, 2)
    tax_rate = np.round(rng.choice([0.0, 3.0, 5.0, 6.5, 8.0, 13.0], rows), 1)
    offsets = np.sort(rng.integers(0, days, rows))
    dates = np.datetime64(start) + offsets.astype("timedelta64[D]")

    frame = pl.DataFrame(
        {
            "declaration_id": np.char.add(f"X{seed}-", np.arange(rows).astype(str)),
            "date": pl.Series(dates).cast(pl.Date),
            "office": np.char.add("O", rng.integers(0, 20, rows).astype(str)),
            "procedure": rng.choice(["40", "42", "71"], rows, p=[0.8, 0.15, 0.05]),
            "transport_mode": rng.choice(["1", "3", "4"], rows, p=[0.6, 0.1, 0.3]),
            "declarant": declarants[rng.integers(0, len(declarants), rows)],
            "importer": importers[imp],
            "seller": sellers[rng.integers(0, len(sellers), rows)],
            "hs": hs_codes[hs],
            "origin": np.asarray(_COUNTRIES)[origin],
            "departure": np.asarray(_COUNTRIES)[origin],
            "tax_rate": tax_rate,
            "net_mass": mass,
            "value": value,
            "currency": np.full(rows, "EUR"),
            "importer_aeo": aeo,
        }
    )
    if with_outcome:
        critical = fraud & (rng.random(rows) < 0.05)
        result = fraud.astype(np.int8) + critical.astype(np.int8)
        revenue = np.where(fraud, np.round(value * (1 / 0.35 - 1) * tax_rate / 100, 2), 0.0)
        frame = frame.with_columns(
            pl.Series("result", result, dtype=pl.Int8),
            pl.Series("revenue", revenue, dtype=pl.Float64),
            (pl.col("date") + pl.duration(days=pl.lit(pl.Series(rng.integers(1, 11, rows))))).alias(
                "result_date"
            ),
        )
    return validate(frame, require_outcome=with_outcome)


def _origin_weights(count: int) -> np.ndarray:
    weights = 1.0 / np.arange(1, count + 1)
    return weights / weights.sum()
