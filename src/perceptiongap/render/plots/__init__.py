"""Figures of a :class:`~perceptiongap.GapReport`, one module per figure.

``_style`` holds what they share (palette, sizes, the lazy matplotlib import, the argument
checks) and ``_text`` the text helpers (wrapping, fitting, spreading labels, titles). The
public names are re-exported by :mod:`perceptiongap.plot`. matplotlib is imported only when
a figure is drawn.
"""

from __future__ import annotations

from ._gaps import gaps
from ._ranks import ranks
from ._segments import segments

__all__ = ["gaps", "ranks", "segments"]
