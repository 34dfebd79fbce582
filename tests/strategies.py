"""Hypothesis strategies shared by the property tests: small, valid two-group surveys."""

from __future__ import annotations

import attrs
import hypothesis.strategies as st
import numpy as np
import numpy.typing as npt

import perceptiongap as pg

__all__ = ["Survey", "surveys"]


@attrs.frozen(eq=False)
class Survey:
    """Raw material of a ResponseSet, kept so tests can transform it."""

    questionnaire: pg.Questionnaire
    values: npt.NDArray[np.float64]
    groups: npt.NDArray[np.str_]

    def responses(self) -> pg.ResponseSet:
        """The validated ResponseSet of this survey."""
        return pg.ResponseSet.from_arrays(self.questionnaire, self.values, self.groups)


@st.composite
def surveys(
    draw: st.DrawFn,
    *,
    min_n: int = 3,
    max_n: int = 25,
    min_items: int = 3,
    max_items: int = 6,
    missing: bool = True,
) -> Survey:
    """A two-group survey (groups 'customer' and 'business') on a Binary or Likert scale.

    Every item has at least one answer in each group, so every score is defined.
    """
    k = draw(st.integers(min_items, max_items))
    likert = draw(st.booleans())
    scale: pg.Binary | pg.Likert = pg.Likert(low=1, high=5) if likert else pg.Binary()
    q = pg.Questionnaire(
        items=[pg.Item(f"item{j}") for j in range(k)], scale=scale, groups=("customer", "business")
    )
    n_ref = draw(st.integers(min_n, max_n))
    n_comp = draw(st.integers(min_n, max_n))
    n = n_ref + n_comp
    low, high = (1, 5) if likert else (0, 1)
    flat = draw(st.lists(st.integers(low, high), min_size=n * k, max_size=n * k))
    values = np.asarray(flat, dtype=np.float64).reshape(n, k)
    if missing:
        holes = draw(st.lists(st.booleans(), min_size=n * k, max_size=n * k))
        mask = np.asarray(holes).reshape(n, k) & (np.arange(n)[:, None] % 3 == 0)
        mask[0] = mask[n_ref] = False  # the first respondent of each group answers everything
        values[mask] = np.nan
    groups = np.array(["customer"] * n_ref + ["business"] * n_comp)
    return Survey(q, values, groups)
