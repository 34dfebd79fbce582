"""The public façade."""

from __future__ import annotations

import importlib
from importlib import metadata

import perceptiongap as pg


def test_every_public_name_imports() -> None:
    """Every name in __all__ exists, and __all__ is sorted."""
    for name in pg.__all__:
        assert getattr(pg, name) is not None
    assert list(pg.__all__) == sorted(pg.__all__)


def test_version_comes_from_metadata() -> None:
    """__version__ is the installed distribution's version."""
    assert pg.__version__ == metadata.version("perceptiongap")


def test_errors_are_value_errors_and_warnings_are_user_warnings() -> None:
    """Every error class is a PerceptionGapError and a ValueError; warnings are UserWarnings."""
    errors = importlib.import_module("perceptiongap.errors")
    for name in errors.__all__:
        cls = getattr(errors, name)
        if name.endswith("Error"):
            assert issubclass(cls, pg.PerceptionGapError)
            assert issubclass(cls, ValueError)
        else:
            assert issubclass(cls, pg.PerceptionGapWarning)
            assert issubclass(cls, UserWarning)


def test_typed_package() -> None:
    """The package ships py.typed."""
    from importlib import resources

    assert resources.files("perceptiongap").joinpath("py.typed").is_file()
