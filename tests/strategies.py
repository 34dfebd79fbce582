"""Hypothesis strategies shared by the property tests: small, valid two-group surveys."""

from __future__ import annotations

import attrs
import hypothesis.strategies as st
import numpy as np
import numpy.typing as npt

import perceptiongap as pg

__all__ = ["Survey", "names", "questionnaires", "surveys"]


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


#: Valid names (item ids, groups, segments, levels): non-empty text without surrounding spaces.
names = st.text(min_size=1, max_size=12).filter(lambda name: name == name.strip())


@st.composite
def questionnaires(draw: st.DrawFn) -> pg.Questionnaire:
    """A valid questionnaire: any scale, 2-5 items, 2-3 groups, 0-2 segments, any labels and title."""
    kind = draw(st.sampled_from(["binary", "likert", "numeric"]))
    scale: pg.Scale = pg.Binary()
    if kind == "likert":
        low = draw(st.integers(-10, 10))
        scale = pg.Likert(low=low, high=draw(st.integers(low + 1, low + 20)))
    elif kind == "numeric":
        ends = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
        low, high = sorted(draw(st.lists(ends, min_size=2, max_size=2, unique=True)))
        # a range 64-bit floats resolve: at least a millionth of the largest end
        high = max(high, low + max(1e-3, 1e-6 * max(abs(low), abs(high))))
        scale = pg.Numeric(low=low, high=high)
    ids = draw(st.lists(names, min_size=2, max_size=5, unique=True))
    labels = draw(st.lists(st.text(max_size=15), min_size=len(ids), max_size=len(ids)))
    segment_names = draw(
        st.lists(names.filter(lambda name: name not in ids), max_size=2, unique=True)
    )
    return pg.Questionnaire(
        items=[pg.Item(i, label) for i, label in zip(ids, labels, strict=True)],
        scale=scale,
        groups=draw(st.lists(names, min_size=2, max_size=3, unique=True)),
        segments={
            name: draw(st.lists(names, min_size=1, max_size=3, unique=True))
            for name in segment_names
        },
        title=draw(st.text(max_size=15)),
    )
