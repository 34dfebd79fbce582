"""Control characters made visible: the one function that keeps a user string on one line.

Labels, group names, file names and cell values come from files the user may not have
written. Printed raw, a newline splits a one-line error message or a table row, an ESC
starts a terminal escape sequence (clear the screen, set the window title, ...), and a
Unicode bidirectional override reverses the text that follows it. :func:`visible` writes
each such character as a Python-style escape (``\\n``, ``\\x1b``, ``\\u202e``) and keeps
everything else, accents and other scripts included, as it is.
"""

from __future__ import annotations

import re

__all__ = ["INVISIBLE", "visible"]

#: The characters :func:`visible` escapes: C0 controls (newline and tab included), DEL, C1
#: controls, the line and paragraph separators, and the bidirectional marks, embeddings,
#: overrides and isolates (U+061C, U+200E-200F, U+202A-202E, U+2066-2069), and lone
#: surrogates (U+D800-DFFF), which no encoding can write.
INVISIBLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(match.group())
    if named is not None:
        return named
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control, line-separator and bidi-control character escaped.

    Parameters
    ----------
    text : str
        Any string (a label, a group name, a file name, a cell).

    Returns
    -------
    str
        The same string when it holds none of those characters; otherwise each is replaced
        by its Python escape, so the result is one line that cannot drive a terminal.

    Examples
    --------
    >>> from perceptiongap._visible import visible
    >>> visible("Café ☕")
    'Café ☕'
    >>> print(visible("two\\nlines, \\x1b[2J and \\u202eevil"))
    two\\nlines, \\x1b[2J and \\u202eevil
    """
    return INVISIBLE.sub(_escape, text)
