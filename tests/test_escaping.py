"""Labels are data, never markup or control: every output shows any label safely.

Item labels, ids, group names, segment levels and titles may hold line breaks, terminal
escape sequences, bidi overrides, HTML, Markdown, spreadsheet formulas and mathtext. Each
output has one escaping function (``render/_escape.py``); these tests feed it the nasty
strings a hostile or careless file could hold.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import warnings
from html.parser import HTMLParser
from pathlib import Path

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

import perceptiongap as pg
from perceptiongap._visible import visible
from perceptiongap.render._escape import FORMULA_START, csv_safe, markdown_safe, plot_safe

NASTY = [
    "Save $5 or $10",
    "$$",
    "$x^$",
    "\\foo \\frac{1}{2}",
    "clear \x1b[2J screen",
    "title \x1b]0;owned\x07 set",
    "csi \x9b31m red",
    "del \x7f char",
    "two\nlines",
    "carriage\rreturn",
    "tab\there",
    "bidi \u202eevil\u202c text",
    "isolate \u2066x\u2069",
    "line\u2028separator",
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "\uff1dHYPERLINK()",
    "a|b|c",
    "`code` *bold* _it_ [link](javascript:alert(1)) ~~s~~",
    "<script>alert('x')</script>",
    "\"quoted\" & 'single'",
    "100%",
    "{}",
    "Café – 日本語 ☕",
    "word " * 40 + "end",
]

# A control, separator or bidi character that must never reach an output raw.
_RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def _report(labels: list[str], groups: tuple[str, str] = ("customer", "business")) -> pg.GapReport:
    items = [pg.Item(id=f"item{j}", label=label) for j, label in enumerate(labels)]
    q = pg.Questionnaire(items=items, scale=pg.Binary(), groups=groups)
    rng = np.random.default_rng(1)
    n = 16
    values = (rng.random((2 * n, len(labels))) < 0.5).astype(float)
    values[0] = 1.0
    values[n] = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        responses = pg.ResponseSet.from_arrays(q, values, [groups[0]] * n + [groups[1]] * n)
        return pg.compare(responses, groups[0], groups[1], n_resamples=0, rng=1)


def _valid(text: str) -> bool:
    return bool(text) and text == text.strip()


labels = st.text(
    alphabet=st.sampled_from(
        list("ab =+-@|\\`*_[]<>&\"'$%{}#\n\r\t\x1b\x07\x7f\x9b\u202e\u2066\u2028\uff1d日")
    ),
    min_size=1,
    max_size=12,
).filter(_valid)


def _markdown_cells(line: str) -> int:
    """The number of cells of a Markdown table row (pipes not escaped by a backslash)."""
    tokens = re.findall(r"\\.|\|", line)
    return tokens.count("|") - 1


class _Cells(HTMLParser):
    """The tags of an HTML fragment and the text of its item-label cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.labels: list[str] = []
        self._in_label = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self._in_label = tag == "td" and ("class", "label") in attrs
        if self._in_label:
            self.labels.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_label = False

    def handle_data(self, data: str) -> None:
        if self._in_label:
            self.labels[-1] += data


_HTML_TAGS = {"div", "style", "h3", "p", "strong", "table", "caption", "thead", "tr", "th"}
_HTML_TAGS |= {"tbody", "td", "ul", "li", "small"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(labels, min_size=3, max_size=5, unique=True))
def test_every_output_is_safe_for_any_label(names: list[str]) -> None:
    """Text: no raw control character, one line per item; CSV: one row per item, no cell a
    spreadsheet runs; HTML: no tag from a label; Markdown: every row keeps its cells."""
    report = _report(names)
    plain = _report([f"x{j}" for j in range(len(names))])

    text = str(report)
    assert _RAW.search(text) is None
    assert len(text.splitlines()) == len(str(plain).splitlines())
    assert _RAW.search(repr(report)) is None

    rows = list(csv.reader(io.StringIO(report.to_csv())))
    assert len(rows) == 1 + len(names)
    for row in rows[1:]:
        assert len(row) == len(rows[0])
        for cell in row:
            assert _RAW.search(cell) is None
            assert cell.lstrip()[:1] not in FORMULA_START or _is_number(cell)
    assert [row[1] for row in rows[1:]] == [csv_safe(label) for label in names]

    parser = _Cells()
    parser.feed(report.to_html())
    assert parser.tags <= _HTML_TAGS
    assert parser.labels[: len(names)] == [visible(label) for label in names]
    assert _RAW.search(report.to_html()) is None

    markdown = report.to_markdown()
    assert _RAW.search(markdown) is None
    tables = [block.splitlines() for block in markdown.split("\n\n") if block.startswith("| ")]
    assert len(tables[0]) == 2 + len(names)  # header, rule, one row per item
    for table in tables:
        assert len({_markdown_cells(line) for line in table}) == 1
    assert "<" not in markdown.replace("<sub>", "").replace("</sub>", "")


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_text_report_escapes_terminal_sequences_and_keeps_one_line_per_item() -> None:
    """ESC, CSI, OSC, newlines and bidi overrides in labels and group names are shown as
    escapes; each item stays on one line of the table."""
    report = _report(NASTY[:14], groups=("cust\x1b[31mer", "busi\nness"))
    text = str(report)
    assert "\x1b" not in text
    assert "\x9b" not in text
    assert "\u202e" not in text
    assert "clear \\x1b[2J screen" in text
    assert "busi\\nness" in text
    assert "cust\\x1b[31mer" in text
    rows = [line for line in text.splitlines() if line.endswith("untested")]
    assert len(rows) == 14
    assert "\x1b" not in repr(report)
    assert "\n" not in repr(report)


def test_csv_neutralises_formulas_but_keeps_numbers() -> None:
    """A formula behind blanks, a full-width sign or after a newline is neutralised; negative
    numbers stay numbers."""
    assert csv_safe(" =1+1") == "' =1+1"
    assert csv_safe("\t=1+1") == "\\t=1+1"  # the tab is shown, so the cell starts with "\"
    assert csv_safe("x\n=1+1") == "x\\n=1+1"  # one line: no second line to start a formula
    assert csv_safe("\uff1d1+1") == "'\uff1d1+1"
    assert csv_safe("\uff20A1") == "'\uff20A1"
    assert csv_safe("-3 dB") == "'-3 dB"
    assert csv_safe("plain") == "plain"
    assert csv_safe(-0.123) == "-0.123"
    assert csv_safe(np.float64(-1.5)) == "-1.5"
    assert csv_safe(-3) == "-3"
    assert csv_safe(True) == "True"
    assert csv_safe(float("nan")) == ""
    report = _report(["=1+1", " +A1", "-x", "ok"])
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    assert [row["label"] for row in rows] == ["'=1+1", "' +A1", "'-x", "ok"]
    gaps = [float(row["gap"]) for row in rows]  # negative gaps are numeric cells
    assert gaps == pytest.approx([g.gap.value for g in report.items])


def test_markdown_cell_cannot_break_the_table_or_format() -> None:
    """Pipes, backticks, emphasis, links, maths and HTML in a label show as written."""
    cell = markdown_safe("a|b `c` *d* _e_ [f](g) $5 <b>h</b> \\ i\nj")
    assert cell == (
        "a\\|b \\`c\\` \\*d\\* \\_e\\_ \\[f\\](g) \\$5 &lt;b&gt;h&lt;/b&gt; \\\\ i\\\\nj"
    )
    assert _markdown_cells(f"| {cell} | x |") == 2


def test_html_escapes_labels_in_text_and_attributes() -> None:
    """Every user string is escaped, quotes included; control characters are visible."""
    report = _report(['<img src=x onerror="alert(1)">', "a & b", "c\x1b[2J"])
    page = report.to_html(full_page=True)
    assert "<img" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "a &amp; b" in page
    assert "c\\x1b[2J" in page


def test_visible_keeps_letters_and_escapes_controls() -> None:
    """Accents, other scripts and emoji are kept; every control or bidi character escaped."""
    assert visible("Café 日本語 ☕ 👩‍💻") == "Café 日本語 ☕ 👩‍💻"
    for code in [*range(0x20), *range(0x7F, 0xA0), 0x202E, 0x2066, 0x2028, 0xD800]:
        shown = visible(f"a{chr(code)}b")
        assert shown.startswith("a\\")
        assert shown.endswith("b")
        assert all(unicodedata.category(c) not in ("Cc", "Cs") for c in shown)


def test_error_messages_stay_on_one_line(tmp_path: Path) -> None:
    """A file name, column or value with a newline or an escape does not split the message."""
    q = pg.Questionnaire(items=["a", "b"], scale=pg.Binary(), groups=("customer", "business"))
    path = tmp_path / "bad\nname\x1b[2J.csv"
    path.write_text("group,a,b\ncustomer,1,0\nbusi\nness,0,1\n", encoding="utf-8")
    with pytest.raises(pg.PerceptionGapError) as caught:
        pg.ResponseSet.from_csv(path, q)
    message = str(caught.value)
    assert "\n" not in message
    assert "\x1b" not in message
    assert "bad\\nname\\x1b[2J.csv" in message
    error = pg.ResponseError("bad value", file="x\ny.csv", row=2, column="c\rd", value="v\n")
    assert str(error) == "x\\ny.csv, row 2, column 'c\\rd': bad value"
    assert error.file == "x\ny.csv"  # the attributes keep the data as it is
    key = pg.QuestionnaireError("bad", file="q\n.toml", key="segments.a\x1bb")
    assert str(key) == "q\\n.toml, segments.a\\x1bb: bad"


@pytest.fixture
def plt() -> object:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    pyplot.close("all")
    yield pyplot
    pyplot.close("all")


PLOT_LABELS = [
    "$$",
    "$x^$",
    "\\foo",
    "Save $5 or $10",
    "%",
    "{}",
    "two\nlines",
    "ctrl\x1b[2J",
    "x" * 40,
    "a very long label " * 6 + "end",
]


def _drawn(texts: list[object]) -> list[str]:
    return [" ".join(t.get_text().split()) for t in texts]  # type: ignore[attr-defined]


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_figures_draw_labels_as_written(plt: object, tmp_path: Path, suffix: str) -> None:
    """`$`, `\\`, `%`, braces, newlines and long labels are drawn as text, never mathtext,
    in every figure, its legend and its titles; saving succeeds."""
    groups = ("$cust$", "\\biz")
    report = _report(PLOT_LABELS, groups=groups)
    items = pg.Questionnaire(
        items=[pg.Item(id=f"item{j}", label=label) for j, label in enumerate(PLOT_LABELS)],
        scale=pg.Binary(),
        groups=groups,
        segments={"$seg$": ("$a$", "\\b")},
    )
    rng = np.random.default_rng(2)
    values = (rng.random((40, len(PLOT_LABELS))) < 0.5).astype(float)
    values[:4] = 1.0
    values[20:24] = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        responses = pg.ResponseSet.from_arrays(
            items,
            values,
            [groups[0]] * 20 + [groups[1]] * 20,
            segments={"$seg$": ["$a$", "\\b"] * 20},
        )
        segmented = pg.compare(
            responses, groups[0], groups[1], n_resamples=0, rng=1, segments=("$seg$",)
        )
    expected = {" ".join(plot_safe(label).split()) for label in PLOT_LABELS}
    for draw in (
        lambda: pg.plot.gaps(report),
        lambda: pg.plot.ranks(report),
        lambda: pg.plot.segments(segmented, "$seg$"),
    ):
        ax = draw()
        figure = ax.figure
        texts = list(figure.findobj(lambda a: hasattr(a, "get_parse_math")))
        user = [t for t in texts if any(c in t.get_text() for c in "$\\%{}")]
        assert user, "no text drawn from a user string"
        assert all(not t.get_parse_math() for t in user)
        drawn = set(_drawn(texts))
        assert expected & drawn, drawn
        figure.savefig(tmp_path / f"figure{suffix}")
        assert (tmp_path / f"figure{suffix}").stat().st_size > 0
    ticks = _drawn(pg.plot.gaps(report).get_yticklabels())
    assert set(ticks) == expected


def _segmented(group: str, level: str) -> pg.ResponseSet:
    """Few respondents in a segment level with control characters in the names."""
    q = pg.Questionnaire(
        items=["a", "b", "c"],
        scale=pg.Likert(low=1, high=5),
        groups=(group, "other"),
        segments={"s\x1b]0;T\x07": (level, "plain")},
    )
    rng = np.random.default_rng(0)
    n = 30
    values = rng.integers(1, 6, (n, 3)).astype(float)
    groups = [group, "other"] * (n // 2)
    levels = [level] * (n - 4) + ["plain"] * 4
    return pg.ResponseSet.from_arrays(q, values, groups, segments={"s\x1b]0;T\x07": levels})


def test_warnings_are_shown_on_one_line_and_kept_raw_in_the_report() -> None:
    """Python's warning display shows a group, segment or level name escaped, as error
    messages do; report.warnings keeps the text and every renderer escapes it."""
    group, level = "c\x1b[31mX\u202e", "l\x1b[2J\n1"
    responses = _segmented(group, level)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = pg.compare(
            responses, group, "other", n_resamples=20, rng=1, segments=("s\x1b]0;T\x07",)
        )
    shown = [str(w.message) for w in caught if issubclass(w.category, pg.PerceptionGapWarning)]
    assert any("c\\x1b[31mX\\u202e" in message for message in shown)
    assert any("l\\x1b[2J\\n1" in message for message in shown)
    assert not any(_RAW.search(message) or "\n" in message for message in shown)
    assert any(level in raw for raw in report.warnings)  # the data, as it is
    formatted = warnings.formatwarning(caught[-1].message, caught[-1].category, "x.py", 1)
    assert "\x1b" not in formatted
    for output in (str(report), report.to_markdown(), report.to_html()):
        assert "warnings" in output.lower()
        assert not _RAW.search(output)


def test_the_repr_of_responses_is_one_line() -> None:
    """Group names and the source file come from the data: escaped in repr()."""
    responses = _segmented("c\x1b[31mX\u202e", "l1")
    shown = repr(responses)
    assert "c\\x1b[31mX\\u202e 15" in shown
    assert not _RAW.search(shown)
