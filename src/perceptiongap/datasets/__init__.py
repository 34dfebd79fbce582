"""The bundled example: the IBM 2011 social CRM study.

* ``ibm2011_social_crm.json``: the published table (12 reasons to interact with brands on
  social media; share of 1,056 consumers giving each reason vs share of 351 executives who
  thought consumers would). Source: IBM Institute for Business Value, "From social media to
  Social CRM: What customers want" (C. H. Baird and G. Parasnis, 2011).
* ``social_crm_simulated.csv``: simulated respondent-level answers whose group marginals match
  that table, with correlated items, generation and country segments and survey weights,
  made by ``scripts/simulate_social_crm.py`` in the source repository (seeded; it regenerates
  the file byte for byte). It is an illustration, not the survey's raw data.
* ``social_crm.toml``: the questionnaire of both.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from .._questionnaire import Binary, Item, Questionnaire
from .._responses import ResponseSet
from .._summary import SummaryTable

__all__ = ["ExamplePaths", "example_paths", "load_example", "load_published", "published_table"]


@attrs.frozen
class ExamplePaths:
    """Paths of the bundled example files.

    Attributes
    ----------
    questionnaire : pathlib.Path
        ``social_crm.toml``.
    responses : pathlib.Path
        ``social_crm_simulated.csv`` (group column ``role``, weight column ``weight``).
    published : pathlib.Path
        ``ibm2011_social_crm.json``.

    Examples
    --------
    >>> from perceptiongap.datasets import example_paths
    >>> paths = example_paths()
    >>> paths.questionnaire.name, paths.responses.name, paths.published.name
    ('social_crm.toml', 'social_crm_simulated.csv', 'ibm2011_social_crm.json')
    >>> paths.responses.is_file()
    True
    """

    questionnaire: Path
    responses: Path
    published: Path


def example_paths() -> ExamplePaths:
    """Locate the bundled example files.

    Returns
    -------
    ExamplePaths
        The paths of the questionnaire, the simulated responses and the published table,
        inside the installed package.

    Examples
    --------
    >>> from perceptiongap.datasets import example_paths
    >>> example_paths().responses.name
    'social_crm_simulated.csv'
    """
    root = Path(str(resources.files(__name__)))
    return ExamplePaths(
        questionnaire=root / "social_crm.toml",
        responses=root / "social_crm_simulated.csv",
        published=root / "ibm2011_social_crm.json",
    )


def load_example(*, weighted: bool = False) -> ResponseSet:
    """The simulated respondent-level IBM example as a ResponseSet.

    Parameters
    ----------
    weighted : bool, default False
        Use the survey weights in the ``weight`` column.

    Returns
    -------
    ResponseSet
        1,056 customers and 351 executives (group column ``role``) answering 12 binary items,
        with the segments ``generation`` (customers only) and ``country``.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> rs = pg.datasets.load_example()
    >>> rs.n
    {'customer': 1056, 'business': 351}
    """
    paths = example_paths()
    q = Questionnaire.from_file(paths.questionnaire)
    return ResponseSet.from_csv(
        paths.responses, q, group="role", weight="weight" if weighted else None
    )


def published_table() -> dict[str, Any]:
    """The published IBM 2011 table as stored (title, source, groups, items).

    Returns
    -------
    dict
        The parsed JSON file: ``title``, ``source``, ``measure``, ``confidence``, ``groups``
        (each group's ``n`` and description) and ``items`` (per item: ``id``, ``label``, the
        share of each group as published and ``business_n``, the executives answering it).

    Examples
    --------
    >>> from perceptiongap.datasets import published_table
    >>> table = published_table()
    >>> table["groups"]["customer"]["n"], table["groups"]["business"]["n"]
    (1056, 351)
    >>> table["items"][0]
    {'id': 'discounts', 'label': 'Get discounts or coupons', 'customer': 0.61, 'business': 0.6, 'business_n': 331}
    """
    with open(example_paths().published, encoding="utf-8") as handle:
        table: dict[str, Any] = json.load(handle)
    return table


def load_published() -> SummaryTable:
    """The published IBM 2011 table as a :class:`~perceptiongap.SummaryTable`.

    Uses the executives' per-item answer counts. Analyses of it warn that they come from
    summary data.

    Returns
    -------
    SummaryTable
        The published figures (see :meth:`ResponseSet.from_summary`): the share of each
        group for each of the 12 items, with the group sizes.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> table = pg.datasets.load_published()
    >>> table.is_summary, table.n
    (True, {'customer': 1056, 'business': 351})
    """
    table = published_table()
    q = Questionnaire(
        items=[Item(entry["id"], entry["label"]) for entry in table["items"]],
        scale=Binary(),  # shares of respondents who chose each reason
        groups=("customer", "business"),
        title=table["title"],
    )
    figures = {
        "customer": {
            "n": table["groups"]["customer"]["n"],
            "scores": {e["id"]: e["customer"] for e in table["items"]},
        },
        "business": {
            "n": table["groups"]["business"]["n"],
            "scores": {e["id"]: e["business"] for e in table["items"]},
            "item_n": {e["id"]: e["business_n"] for e in table["items"]},
        },
    }
    return ResponseSet.from_summary(q, figures)
