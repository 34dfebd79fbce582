"""How a user string is made safe in each output: one function per output, used everywhere.

Item ids and labels, group names, segment names and levels, titles and the messages that
quote them come from files and may hold anything. Every renderer passes each such string
through the function of its output, and nothing else:

- :func:`text_safe` (text report, ``repr``, the command line): control characters, line
  breaks and bidirectional overrides are shown as escapes (``\\x1b``, ``\\n``, ``\\u202e``),
  so one label stays on one line and no escape sequence reaches a terminal.
- :func:`markdown_safe`: the same, then HTML special characters as entities (Markdown
  renders raw HTML) and the characters that would end a table cell or start emphasis, code,
  a link or an image backslash-escaped.
- :func:`html_safe`: the same visible escapes, then every HTML special character (quotes
  included, so the result is safe in an attribute value too) as an entity.
- :func:`csv_safe`: the visible escapes (a CSV printed to a terminal is text too), then a
  text cell that a spreadsheet would run as a formula gets a leading apostrophe.
- :func:`plot_safe`: a line break as a space (figures wrap labels themselves), the other
  visible escapes; the figures also draw every user string with matplotlib's mathtext and
  TeX turned off (:data:`~perceptiongap.render.plots._text.PLAIN`), so ``$`` and ``\\``
  are drawn as they are.
"""

from __future__ import annotations

import html
import math
import numbers
import re

from .._visible import visible

__all__ = ["FORMULA_START", "csv_safe", "html_safe", "markdown_safe", "plot_safe", "text_safe"]

#: A spreadsheet runs a text cell starting with one of these as a formula (CSV injection),
#: also behind leading spaces; the full-width forms are read as the ASCII ones by some.
FORMULA_START = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")

# Markdown punctuation that could end a table cell or start emphasis, code, strike-through,
# a link or (GitHub) maths; a backslash before ASCII punctuation shows it as itself. (``<`` and ``&`` become
# entities; numbers are left alone: none of these occurs in them.)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~$])")


def text_safe(text: object) -> str:
    """`text` on one line, with no character that a terminal would act on.

    Examples
    --------
    >>> from perceptiongap.render._escape import text_safe
    >>> print(text_safe("Save $5\\nnow \\x1b[2J"))
    Save $5\\nnow \\x1b[2J
    """
    return visible(str(text))


def markdown_safe(text: object) -> str:
    """`text` as literal Markdown inside a table cell or a line: shown exactly as it is.

    Examples
    --------
    >>> from perceptiongap.render._escape import markdown_safe
    >>> print(markdown_safe("a|b <i>x</i> *y* [z](u)"))
    a\\|b &lt;i&gt;x&lt;/i&gt; \\*y\\* \\[z\\](u)
    """
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", visible(str(text)))
    return html.escape(escaped, quote=False)


def html_safe(text: object) -> str:
    """`text` as HTML text or a quoted attribute value: no tag, no entity, no quote survives.

    Examples
    --------
    >>> from perceptiongap.render._escape import html_safe
    >>> print(html_safe('<img src=x onerror="alert(1)">'))
    &lt;img src=x onerror=&quot;alert(1)&quot;&gt;
    """
    return html.escape(visible(str(text)), quote=True)


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def csv_safe(value: object) -> str:
    """One CSV cell: a number as its shortest exact text, text that no spreadsheet runs.

    Numbers (negative ones included) stay numbers; NaN is an empty cell. A text cell whose
    first non-blank character is ``= + - @`` (or their full-width forms) gets a leading
    apostrophe, which spreadsheets show as text and never evaluate.

    Examples
    --------
    >>> from perceptiongap.render._escape import csv_safe
    >>> csv_safe(-0.125), csv_safe(float("nan")), csv_safe(" =1+1"), csv_safe("-3 dB")
    ('-0.125', '', "' =1+1", "'-3 dB")
    """
    if _is_number(value):
        number = float(value)  # type: ignore[arg-type]
        if math.isnan(number):
            return ""
        return repr(number) if isinstance(value, float) else str(value)
    text = visible(str(value))
    stripped = text.lstrip()
    if stripped and stripped[0] in FORMULA_START:
        return "'" + text  # neutralised: shown as text, never evaluated
    return text


def plot_safe(text: object) -> str:
    """`text` for a figure: a line break as a space (figures wrap text themselves), every
    other control character as a visible escape.

    Examples
    --------
    >>> from perceptiongap.render._escape import plot_safe
    >>> print(plot_safe("two\\nlines\\x07 $5"))
    two lines\\x07 $5
    """
    return " ".join(visible(line) for line in str(text).split("\n"))
