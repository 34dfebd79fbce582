"""Read-only array fields for the frozen value objects (ResponseSet, SummaryTable).

Each converter copies what it is given and sets the copy read-only, so the caller's array stays
the caller's and nobody can change a validated object afterwards (a read-only array that owns
its memory, as the readers hand over, is kept without a copy: a large data set is not held
twice); the comparers let attrs
compare array fields by value (NaN equal to NaN in float arrays).
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

__all__ = [
    "ARRAY_EQ",
    "MAPPING_EQ",
    "FloatArray",
    "IntArray",
    "float_array",
    "frozen_codes",
    "int_array",
    "optional_float_array",
    "str_tuple",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _readonly(array: npt.ArrayLike, dtype: type[Any]) -> Any:
    if (
        isinstance(array, np.ndarray)
        and array.dtype == dtype
        and array.flags.owndata
        and not array.flags.writeable
    ):
        return array  # already frozen, and no other array sees its memory: no copy needed
    out = np.array(array, dtype=dtype, copy=True)
    out.setflags(write=False)
    return out


def float_array(value: npt.ArrayLike) -> FloatArray:
    """Converter: a read-only float64 copy (the caller's array stays the caller's)."""
    out: FloatArray = _readonly(value, np.float64)
    return out


def int_array(value: npt.ArrayLike) -> IntArray:
    """Converter: a read-only int64 copy."""
    out: IntArray = _readonly(value, np.int64)
    return out


def optional_float_array(value: npt.ArrayLike | None) -> FloatArray | None:
    """Converter: None, or a read-only float64 copy."""
    return None if value is None else float_array(value)


def str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    """Converter: a tuple of the strings."""
    return tuple(value)


def frozen_codes(value: Mapping[str, npt.ArrayLike]) -> Mapping[str, IntArray]:
    """Converter: a read-only mapping of read-only int64 copies."""
    return types.MappingProxyType(
        {name: _readonly(codes, np.int64) for name, codes in value.items()}
    )


def _array_eq(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    return bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))


def _mapping_eq(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return a.keys() == b.keys() and all(_array_eq(a[key], b[key]) for key in a)


ARRAY_EQ = attrs.cmp_using(eq=_array_eq)
MAPPING_EQ = attrs.cmp_using(eq=_mapping_eq)
