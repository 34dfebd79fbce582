"""The bundled example data."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import perceptiongap as pg
from perceptiongap.datasets import example_paths

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "simulate_social_crm.py"


def test_published_table_is_the_shared_copy() -> None:
    """The bundled published table carries its source note and the 12 items."""
    table = pg.datasets.published_table()
    assert "IBM Institute for Business Value" in table["source"]
    assert len(table["items"]) == 12
    shared = ROOT.parent / "shared" / "data" / "ibm2011_social_crm.json"
    if shared.exists():
        assert json.loads(shared.read_text()) == table


def test_simulated_marginals_match_the_published_table() -> None:
    """Every simulated share rounds to the published share at two decimals."""
    rs = pg.datasets.load_example()
    table = pg.datasets.published_table()
    for j, entry in enumerate(table["items"]):
        for code, group in enumerate(("customer", "business")):
            column = rs.values[rs.group_codes == code, j]
            assert round(float(np.nanmean(column)), 2) == entry[group]
        answered = np.count_nonzero(~np.isnan(rs.values[rs.group_codes == 1, j]))
        assert answered == entry["business_n"]


def test_example_has_segments_and_weights() -> None:
    """The example records generation for customers only, country for both, and weights."""
    rs = pg.datasets.load_example(weighted=True)
    assert rs.weighted
    assert np.all(rs.weights > 0)
    assert rs.recorded_by("generation") == ("customer",)
    assert rs.recorded_by("country") == ("customer", "business")


@pytest.mark.skipif(not SCRIPT.exists(), reason="the generator script is in the source repository")
def test_generator_script_regenerates_the_file_byte_for_byte(tmp_path: Path) -> None:
    """Running the committed generator gives exactly the shipped CSV."""
    output = tmp_path / "again.csv"
    subprocess.run(
        [sys.executable, str(SCRIPT), "--output", str(output)], check=True, capture_output=True
    )
    shipped = example_paths().responses.read_bytes()
    assert hashlib.sha256(output.read_bytes()).hexdigest() == hashlib.sha256(shipped).hexdigest()
