"""Markdown, HTML, CSV and DataFrame renderers, progress, and every command-line format."""

from __future__ import annotations

import csv
import io
import math
import warnings
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

import perceptiongap as pg
from perceptiongap.cli import main
from perceptiongap.datasets import example_paths

NASTY = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _quiet() -> Iterator[None]:
    """Reports of tiny or segmented data warn by design."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pg.PerceptionGapWarning)
        yield


@pytest.fixture(scope="module")
def hostile() -> pg.GapReport:
    """A report whose labels, groups and levels would run as code or formulas if not escaped."""
    q = pg.Questionnaire(
        items=[
            pg.Item("a", NASTY),
            pg.Item("b", '=HYPERLINK("http://x")'),
            pg.Item("c", "+cmd|' /C calc'!A0"),
            pg.Item("d", "a | b & <c>"),
        ],
        scale=pg.Binary(),
        groups=("cust<b>omer", "@business"),
        segments={"seg": ("<i>x</i>", "-y")},
        title="<h1>title</h1>",
    )
    rng = np.random.default_rng(1)
    values = (rng.random((80, 4)) < [0.2, 0.4, 0.6, 0.8]).astype(float)
    groups = ["cust<b>omer", "@business"] * 40
    levels = ["<i>x</i>", "-y"] * 20 + ["-y", "<i>x</i>"] * 20
    rs = pg.ResponseSet.from_arrays(q, values, groups, segments={"seg": levels})
    return pg.compare(rs, "cust<b>omer", "@business", n_resamples=200, rng=2, segments=("seg",))


@pytest.fixture(scope="module")
def example() -> pg.GapReport:
    """A report of the bundled example."""
    return pg.compare(pg.datasets.load_example(), "customer", "business", n_resamples=200, rng=2)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.mark.parametrize("full_page", [False, True])
def test_html_escapes_every_user_string(hostile: pg.GapReport, full_page: bool) -> None:
    """The HTML parses, has no script tag, and shows the labels as text."""
    page = hostile.to_html(full_page=full_page)
    assert NASTY not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    parser = _Collector()
    parser.feed(page)
    assert "script" not in parser.tags
    assert "h1" not in parser.tags
    assert "i" not in parser.tags
    assert NASTY in "".join(parser.text)  # shown, as text
    assert "http" not in "".join(t for t in parser.tags)
    assert ("<!DOCTYPE html>" in page) is full_page
    assert "<link" not in page
    assert "src=" not in page


def test_repr_html_is_the_fragment(example: pg.GapReport) -> None:
    """Notebooks display the HTML fragment."""
    assert example._repr_html_() == example.to_html()
    assert example._repr_html_().startswith('<div class="perceptiongap-report">')


def test_markdown_has_a_row_per_item_and_escapes(
    hostile: pg.GapReport, example: pg.GapReport
) -> None:
    """The Markdown item table has one row per item; pipes and HTML in labels are escaped."""
    lines = example.to_markdown().splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| item |"))
    rows = [line for line in lines[header + 2 :] if line.startswith("| ")]
    assert len(rows[: len(example.items)]) == 12
    assert all(line.count(" | ") >= 8 for line in rows[:12])
    text = hostile.to_markdown()
    assert NASTY not in text
    assert "a \\| b &amp; &lt;c&gt;" in text
    assert "### Segment seg" in text


def test_csv_neutralises_formulas_and_reads_back(hostile: pg.GapReport, tmp_path: Path) -> None:
    """Formula-like text cells get a leading quote; numbers read back to the same floats."""
    path = tmp_path / "report.csv"
    text = hostile.to_csv(path)
    assert path.read_text(encoding="utf-8") == text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 4
    for row, gap in zip(rows, hostile.items, strict=True):
        for cell in (row["label"], row["comparison"]):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert float(row["gap"]) == gap.gap.value
        assert float(row["reference_score"]) == gap.reference_score
        assert (row["p_value"] == "") == math.isnan(gap.p_value)
    assert rows[1]["label"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["comparison"] == "'@business"


def test_csv_nan_is_an_empty_cell() -> None:
    """n_resamples=0 leaves interval cells empty, not 'nan'."""
    report = pg.compare(pg.datasets.load_example(), "customer", "business", n_resamples=0)
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    assert rows[0]["gap_low"] == ""
    assert "nan" not in report.to_csv().lower()


def test_to_frame_has_identifier_columns(example: pg.GapReport) -> None:
    """to_frame gives one row per item with identifier column names and the raw numbers."""
    pd = pytest.importorskip("pandas")
    frame = example.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == 12
    assert list(frame.columns[:4]) == ["item", "label", "reference", "comparison"]
    assert "gap_low" in frame.columns
    assert "gap_high" in frame.columns
    assert frame["gap"].tolist() == [g.gap.value for g in example.items]


def test_to_frame_without_pandas_names_the_extra(
    example: pg.GapReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without pandas, to_frame raises ImportError naming the extra to install."""
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"perceptiongap\[pandas\]"):
        example.to_frame()


def test_segment_reports_render_too(hostile: pg.GapReport) -> None:
    """Segment level reports render in every format."""
    level = next(iter(hostile.segments["seg"].values()))
    assert level.to_markdown()
    assert level.to_html()
    assert level.to_csv()


def test_progress_callback_counts_up_to_the_total() -> None:
    """progress(done, total) rises monotonically to the total of resamples and permutations."""
    calls: list[tuple[int, int]] = []
    rs = pg.datasets.load_example()
    pg.compare(
        rs,
        "customer",
        "business",
        n_resamples=600,
        n_permutations=300,
        rng=1,
        progress=lambda d, t: calls.append((d, t)),
        segments=("generation",),
    )
    totals = {t for _, t in calls}
    assert totals == {(600 + 300) * 4}
    done = [d for d, _ in calls]
    assert done == sorted(done)
    assert done[-1] == (600 + 300) * 4
    with pytest.raises(TypeError, match="`progress`"):
        pg.compare(rs, "customer", "business", n_resamples=0, progress=3)  # type: ignore[arg-type]


@pytest.mark.parametrize("format_name", ["text", "markdown", "html", "json", "csv"])
@pytest.mark.parametrize("command", ["report", "example"])
def test_every_cli_format_writes_a_non_empty_file(
    tmp_path: Path, format_name: str, command: str
) -> None:
    """Both commands write a non-empty file in every format."""
    output = tmp_path / f"out.{format_name}"
    args = ["--resamples", "50", "--seed", "1", "--format", format_name, "--output", str(output)]
    if command == "report":
        paths = example_paths()
        args = [
            "report",
            str(paths.responses),
            "-q",
            str(paths.questionnaire),
            "--group",
            "role",
            "--reference",
            "customer",
            "--comparison",
            "business",
            *args,
        ]
    else:
        args = ["example", *args]
    assert main(args) == 0
    text = output.read_text(encoding="utf-8")
    assert len(text) > 200
    if format_name == "json" and command == "example":
        import json

        assert len(json.loads(text)) == 2


def test_cli_plot_writes_an_image(tmp_path: Path) -> None:
    """--plot writes the gap chart."""
    pytest.importorskip("matplotlib")
    image = tmp_path / "gaps.png"
    assert (
        main(
            [
                "example",
                "--resamples",
                "50",
                "--seed",
                "1",
                "--plot",
                str(image),
                "--output",
                str(tmp_path / "r.txt"),
            ]
        )
        == 0
    )
    assert image.read_bytes().startswith(b"\x89PNG")
