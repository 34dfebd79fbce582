"""Simulate respondent-level data matching the IBM 2011 social-CRM table.

The published table (``src/perceptiongap/datasets/ibm2011_social_crm.json``) gives, for 12
multi-select reasons to interact with companies on social media, the share of 1,056 consumers
("customer") who chose each reason and the share of 351 executives ("business") who thought
consumers would; executives answered 329-336 of the items each.  This script builds a plausible
respondent-level data set whose group marginals reproduce that table exactly at two decimals.

Model
-----
1. Segments.  Customers get a generation (GenY/GenX/Boomer, about 40/35/25 %) and one of nine
   countries; executives get one of the same countries except Canada and no generation (the
   business survey did not record it).
2. Latent propensities (Gaussian copula).  Respondent *i* has an engagement factor ``f_i`` and
   item noise ``e_ij`` (all standard normal), ``z_ij = sqrt(rho) f_i + sqrt(1 - rho) e_ij`` with
   ``rho = 0.3``, so items are positively correlated.  Segment effects are added to ``z_ij``:
   GenY leans to discounts, community, feeling connected and events; Boomers to customer service
   and general information; respondents (and executives) in India, China and Brazil are more
   engaged overall, those in Germany, France and the UK less, plus a few item-specific nudges.
3. Exact marginals.  For each business item, ``351 - business_n`` executives chosen at random
   leave it unanswered.  Then, per item and group, exactly ``round(p * n)`` of the ``n``
   respondents who answered are marked as selecting it: those with the largest ``z_ij``.
4. Weights.  Customers get post-stratification weights per generation x country cell: target
   share (generation targets 33/35/32 %, countries equal) divided by the sample share, so the
   mean weight is 1 up to rounding to 4 decimals.  Executives get weight 1.

The result is seeded and written with a fixed column order and ``\\n`` line endings, so running
``python scripts/simulate_social_crm.py`` twice yields byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INPUT = ROOT / "src/perceptiongap/datasets/ibm2011_social_crm.json"
DEFAULT_OUTPUT = ROOT / "src/perceptiongap/datasets/social_crm_simulated.csv"
DEFAULT_SEED = 20111005
RHO = 0.3
N_CUSTOMER = 1056
N_BUSINESS = 351

GENERATIONS = ("GenY", "GenX", "Boomer")
GEN_SHARES = (0.40, 0.35, 0.25)
GEN_TARGETS = (0.33, 0.35, 0.32)
COUNTRIES = ("US", "Canada", "UK", "France", "Germany", "India", "China", "Australia", "Brazil")
CUSTOMER_COUNTRY_SHARES = (0.13, 0.09, 0.12, 0.10, 0.11, 0.12, 0.12, 0.10, 0.11)
BUSINESS_COUNTRY_SHARES = (0.16, 0.0, 0.13, 0.11, 0.12, 0.13, 0.13, 0.10, 0.12)

GEN_EFFECTS: dict[str, dict[str, float]] = {
    "GenY": {
        "discounts": 0.30,
        "community": 0.35,
        "feel_connected": 0.30,
        "events": 0.30,
        "submit_ideas": 0.15,
        "customer_service": -0.20,
        "general_info": -0.10,
    },
    "GenX": {"purchase": 0.10, "reviews": 0.10},
    "Boomer": {
        "customer_service": 0.35,
        "general_info": 0.30,
        "reviews": 0.10,
        "community": -0.30,
        "events": -0.20,
        "discounts": -0.10,
    },
}
COUNTRY_SHIFT = {
    "US": 0.0,
    "Canada": -0.05,
    "UK": -0.10,
    "France": -0.15,
    "Germany": -0.20,
    "India": 0.25,
    "China": 0.20,
    "Australia": -0.05,
    "Brazil": 0.25,
}
COUNTRY_ITEM_EFFECTS: dict[str, dict[str, float]] = {
    "US": {"discounts": 0.20},
    "Germany": {"reviews": 0.15},
    "China": {"purchase": 0.20},
    "India": {"new_products": 0.15},
    "Brazil": {"community": 0.20, "feel_connected": 0.15},
}


@dataclass(frozen=True)
class Item:
    """One row of the published table."""

    id: str
    customer: float
    business: float
    business_n: int


def load_items(path: Path) -> list[Item]:
    """Read the 12 items, in table order, from the JSON table."""
    with path.open(encoding="utf-8") as fh:
        table = json.load(fh)
    return [
        Item(str(it["id"]), float(it["customer"]), float(it["business"]), int(it["business_n"]))
        for it in table["items"]
    ]


def effects(items: list[Item], gens: list[str], countries: list[str]) -> npt.NDArray[np.float64]:
    """Additive segment effects on the latent scale, one row per respondent."""
    out = np.zeros((len(countries), len(items)))
    for i, (gen, country) in enumerate(zip(gens, countries, strict=True)):
        for j, item in enumerate(items):
            out[i, j] = (
                GEN_EFFECTS.get(gen, {}).get(item.id, 0.0)
                + COUNTRY_SHIFT[country]
                + COUNTRY_ITEM_EFFECTS.get(country, {}).get(item.id, 0.0)
            )
    return out


def select_top(
    z: npt.NDArray[np.float64], answered: npt.NDArray[np.bool_], counts: list[int]
) -> npt.NDArray[np.int64]:
    """Per item, mark the ``counts[j]`` answering respondents with the largest z as 1."""
    values = np.full(z.shape, -1, dtype=np.int64)
    for j, k in enumerate(counts):
        idx = np.flatnonzero(answered[:, j])
        values[idx, j] = 0
        values[idx[np.argsort(-z[idx, j], kind="stable")[:k]], j] = 1
    return values


def simulate(items: list[Item], seed: int) -> tuple[list[list[str]], npt.NDArray[np.int64]]:
    """Return the CSV rows (without header) and the full 0/1/-1 response matrix."""
    rng = np.random.default_rng(seed)
    n_items = len(items)
    gens = [GENERATIONS[g] for g in rng.choice(3, size=N_CUSTOMER, p=GEN_SHARES)]
    c_cty = [COUNTRIES[c] for c in rng.choice(9, size=N_CUSTOMER, p=CUSTOMER_COUNTRY_SHARES)]
    b_cty = [COUNTRIES[c] for c in rng.choice(9, size=N_BUSINESS, p=BUSINESS_COUNTRY_SHARES)]
    z_c = np.sqrt(RHO) * rng.standard_normal((N_CUSTOMER, 1)) + np.sqrt(
        1 - RHO
    ) * rng.standard_normal((N_CUSTOMER, n_items))
    z_b = np.sqrt(RHO) * rng.standard_normal((N_BUSINESS, 1)) + np.sqrt(
        1 - RHO
    ) * rng.standard_normal((N_BUSINESS, n_items))
    z_c += effects(items, gens, c_cty)
    z_b += effects(items, [""] * N_BUSINESS, b_cty)
    answered_b = np.ones((N_BUSINESS, n_items), dtype=bool)
    for j, item in enumerate(items):
        missing = rng.choice(N_BUSINESS, size=N_BUSINESS - item.business_n, replace=False)
        answered_b[missing, j] = False
    vals_c = select_top(
        z_c, np.ones_like(z_c, dtype=bool), [round(it.customer * N_CUSTOMER) for it in items]
    )
    vals_b = select_top(z_b, answered_b, [round(it.business * it.business_n) for it in items])
    verify(items, vals_c, vals_b)

    # Post-stratification weights per generation x country cell (countries targeted equally).
    cells = [(GENERATIONS.index(g), COUNTRIES.index(c)) for g, c in zip(gens, c_cty, strict=True)]
    cell_n = np.zeros((3, 9))
    for g, c in cells:
        cell_n[g, c] += 1
    assert (cell_n > 0).all(), "empty generation x country cell"
    target = np.outer(GEN_TARGETS, np.full(9, 1 / 9))
    weights = np.array([target[g, c] / (cell_n[g, c] / N_CUSTOMER) for g, c in cells])
    assert np.all((weights >= 0.4) & (weights <= 2.5)), (weights.min(), weights.max())

    def cell(v: np.int64) -> str:
        return "" if v < 0 else str(int(v))

    rows = [
        [
            f"c{i + 1:04d}",
            "customer",
            gens[i],
            c_cty[i],
            f"{weights[i]:.4f}",
            *(cell(v) for v in vals_c[i]),
        ]
        for i in range(N_CUSTOMER)
    ]
    rows += [
        [f"b{i + 1:03d}", "business", "", b_cty[i], "1", *(cell(v) for v in vals_b[i])]
        for i in range(N_BUSINESS)
    ]
    return rows, np.vstack([vals_c, vals_b])


def verify(
    items: list[Item], vals_c: npt.NDArray[np.int64], vals_b: npt.NDArray[np.int64]
) -> None:
    """Assert that the simulated marginals reproduce the table at two decimals."""
    assert (vals_c >= 0).all(), "customers must answer every item"
    for j, item in enumerate(items):
        n_b = int((vals_b[:, j] >= 0).sum())
        assert n_b == item.business_n, (item.id, n_b)
        for vals, n, p in (
            (vals_c[:, j], N_CUSTOMER, item.customer),
            (vals_b[:, j], n_b, item.business),
        ):
            share = int((vals == 1).sum()) / n
            assert round(share, 2) == p, (item.id, share, p)


def mean_corr(vals: npt.NDArray[np.int64]) -> float:
    """Mean pairwise phi correlation between items (pairwise complete cases)."""
    rs: list[float] = []
    for a in range(vals.shape[1]):
        for b in range(a + 1, vals.shape[1]):
            ok = (vals[:, a] >= 0) & (vals[:, b] >= 0)
            rs.append(float(np.corrcoef(vals[ok, a], vals[ok, b])[0, 1]))
    return float(np.mean(rs))


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point: simulate, verify, write the CSV and print a summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="RNG seed")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="CSV to write")
    args = parser.parse_args(argv)
    items = load_items(DEFAULT_INPUT)
    rows, vals = simulate(items, args.seed)
    header = ["respondent_id", "role", "generation", "country", "weight", *(it.id for it in items)]
    output: Path = args.output
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)

    vals_c, vals_b = vals[:N_CUSTOMER], vals[N_CUSTOMER:]
    weights = np.array([float(r[4]) for r in rows[:N_CUSTOMER]])
    print(f"wrote {output} ({len(rows)} rows, seed {args.seed})")
    print(f"{'item':<18}{'customer':>9}{'table':>7}{'business':>10}{'table':>7}")
    for j, it in enumerate(items):
        answered = vals_b[:, j] >= 0
        share_b = float(vals_b[answered, j].mean())
        print(
            f"{it.id:<18}{vals_c[:, j].mean():>9.4f}{it.customer:>7.2f}"
            f"{share_b:>10.4f}{it.business:>7.2f}"
        )
    print(
        f"mean inter-item phi: customer {mean_corr(vals_c):.3f}, business {mean_corr(vals_b):.3f}"
    )
    print(
        f"customer weights: min {weights.min():.4f}, max {weights.max():.4f}, "
        f"mean {weights.mean():.6f}"
    )


if __name__ == "__main__":
    main()
