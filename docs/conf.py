"""Sphinx configuration of the perceptiongap documentation.

Build from the repository root::

    sphinx-build -W --keep-going -b html docs docs/_build/html
    sphinx-build -b doctest docs docs/_build/doctest

The second command runs every example on these pages against the installed package and the
bundled data.
"""

from __future__ import annotations

import doctest
import os
from importlib import metadata

# -- Project information ------------------------------------------------------------------

project = "perceptiongap"
author = "perceptiongap developers"
copyright = "perceptiongap developers"

# The version comes from the installed distribution (as perceptiongap.__version__ does), so
# the documentation always names the version whose docstrings it shows.
release = metadata.version("perceptiongap")
version = ".".join(release.split(".")[:2])

# -- General configuration ----------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "matplotlib.sphinxext.plot_directive",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
# docs/images/ is written by other tooling (pictures referenced from the README); it holds no
# pages of its own.
exclude_patterns = ["_build", "images", "Thumbs.db", ".DS_Store"]
nitpicky = False

# -- autodoc and numpydoc -----------------------------------------------------------------

autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "none"  # numpydoc's Parameters sections already give the types
autodoc_class_signature = "mixed"
add_module_names = False

# The classes list their fields under "Attributes" in their docstrings; autodoc's
# ``:members:`` documents the methods. numpydoc's own member tables would repeat both.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = True
numpydoc_xref_aliases = {
    "ResponseSet": "perceptiongap.ResponseSet",
    "Questionnaire": "perceptiongap.Questionnaire",
    "GapReport": "perceptiongap.GapReport",
    "Estimate": "perceptiongap.Estimate",
    "ItemGap": "perceptiongap.ItemGap",
    "ProfileGap": "perceptiongap.ProfileGap",
    "Item": "perceptiongap.Item",
    "Binary": "perceptiongap.Binary",
    "Likert": "perceptiongap.Likert",
    "Numeric": "perceptiongap.Numeric",
    "SummaryTable": "perceptiongap.SummaryTable",
    "LevelSummary": "perceptiongap.LevelSummary",
    "LevelDifference": "perceptiongap.LevelDifference",
    "Contrast": "perceptiongap.Contrast",
    "Note": "perceptiongap.Note",
    "Perspectives": "perceptiongap.Perspectives",
    "SegmentComparison": "perceptiongap.SegmentComparison",
    "ndarray": "numpy.ndarray",
    "Generator": "numpy.random.Generator",
}
# Words in type descriptions that are not objects ("sequence of str", "optional", ...).
numpydoc_xref_ignore = {
    "of",
    "or",
    "optional",
    "default",
    "shape",
    "mapping",
    "object",
}

# -- Intersphinx --------------------------------------------------------------------------
#
# Links to Python, numpy and scipy. Sphinx downloads each project's objects.inv when a build
# starts and reports an unreachable inventory as a plain warning. That warning has no
# type, so ``suppress_warnings`` cannot silence it, and under ``-W`` it fails the build.
# This project's machines and CI reach package registries only, never docs.python.org,
# numpy.org or scipy.org, and the docs must build there with -W.
#
# So the mapping is configured, but the inventories are fetched only when the environment
# says the network is there: PERCEPTIONGAP_DOCS_INTERSPHINX=1, or a Read the Docs build.
# Offline, the mapping is empty: references to numpy or scipy objects are then rendered as
# plain code, never as errors, because the build is not nitpicky. A short timeout keeps an
# online build from hanging on a slow inventory. No reference type is disabled
# (intersphinx_disabled_reftypes = []), so online builds resolve every kind of object,
# including :doc: targets if a page ever wants them.
_INTERSPHINX = {
    "python": ("https://docs.python.org/3", None),
    "numpy": ("https://numpy.org/doc/stable", None),
    "scipy": ("https://docs.scipy.org/doc/scipy", None),
}
_ONLINE = (
    os.environ.get("PERCEPTIONGAP_DOCS_INTERSPHINX", "") == "1"
    or os.environ.get("READTHEDOCS", "") == "True"
)
intersphinx_mapping = _INTERSPHINX if _ONLINE else {}
intersphinx_timeout = 10
intersphinx_disabled_reftypes: list[str] = []
if not _ONLINE:
    # numpydoc links common type words to the Python and numpy docs through explicit
    # intersphinx targets (":class:`python:str`", ":term:`python:sequence`"). Offline those
    # targets do not exist: a term or label then warns, and a class shows as "python:str".
    # So offline these words stay plain text; links to perceptiongap's own classes remain.
    from numpydoc.xref import DEFAULT_LINKS

    _plain = {word for word, target in DEFAULT_LINKS.items() if ":" in target}
    numpydoc_xref_aliases.update({word: word for word in _plain})
    numpydoc_xref_ignore |= _plain

# -- doctest ------------------------------------------------------------------------------
#
# Every page's examples run against the installed package and the bundled data.
# perceptiongap's own warnings are silenced here because they are part of each report
# (report.warnings), which the pages show where they matter; printed as well they would only
# clutter the output. Other warnings still show. Exception
# details are compared in full (no IGNORE_EXCEPTION_DETAIL): the error messages are part of
# what the pages document.
doctest_global_setup = """
import warnings
import numpy as np
import perceptiongap as pg
warnings.simplefilter("ignore", pg.PerceptionGapWarning)
try:
    import pandas
except ImportError:
    pandas = None
"""
# Only the ``.. doctest::`` blocks of these pages run here. The ``>>>`` examples in docstrings,
# which autodoc pulls into the API page, are the test suite's: pytest runs them with
# --doctest-modules and its own option flags (NUMBER among them, which Sphinx lacks), so
# running them here too would test them twice, under different rules.
doctest_test_doctest_blocks = ""
doctest_default_flags = (
    doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | doctest.DONT_ACCEPT_TRUE_FOR_1
)

# -- matplotlib plot directive ------------------------------------------------------------

plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 120)]
plot_rcparams = {"figure.figsize": (7.0, 4.2), "font.size": 9}
plot_pre_code = """
import warnings
import numpy as np
import matplotlib.pyplot as plt
import perceptiongap as pg
warnings.simplefilter("ignore", pg.PerceptionGapWarning)
"""

# -- MyST ---------------------------------------------------------------------------------

myst_heading_anchors = 3

# -- HTML output --------------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"perceptiongap {release}"
html_theme_options = {
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version", "theme-version"],
}
html_sidebars = {"changelog": [], "installation": [], "performance": []}
html_show_sourcelink = False
