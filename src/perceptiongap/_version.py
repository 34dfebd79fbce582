"""The installed version, read from the package metadata once."""

from __future__ import annotations

from functools import cache
from importlib import metadata

__all__ = ["version"]


@cache
def version() -> str:
    """The version of the installed perceptiongap distribution."""
    try:
        return metadata.version("perceptiongap")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"
