"""One serialiser for every result record, derived from its attrs fields.

A :class:`Record` gets ``to_dict``/``from_dict``, equality and hashing from its field
declarations alone: floats are written as numbers with NaN as ``None`` (JSON has no NaN),
tuples as lists, mappings as objects, items and scales as their own ``to_dict()``. Reading
checks every value against the field's declared type and names the key path of anything that
does not fit, so a report file never becomes a half-built object. Equality treats NaN as equal
to NaN (a report equals its own round trip) and equal records hash equal.
"""

from __future__ import annotations

import math
import sys
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

import attrs

from ._questionnaire import Binary, Item, Likert, Numeric, _scale_from
from .errors import InvalidArgumentError

__all__ = ["Record", "frozen_mapping"]

R = TypeVar("R", bound="Record")

_NAN_KEY = ("<nan>",)  # what NaN contributes to equality and hashing
_SCALES = (Binary, Likert, Numeric)


def frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only copy of a mapping (the converter of mapping fields)."""
    return types.MappingProxyType(dict(value))


def _key(value: object) -> object:
    """A hashable stand-in that is equal exactly when the values are equal (NaN == NaN)."""
    if isinstance(value, Record):
        return (
            type(value).__name__,
            *(_key(getattr(value, f.name)) for f in _fields(type(value))),
        )
    if isinstance(value, float):
        return _NAN_KEY if math.isnan(value) else value
    if isinstance(value, Mapping):
        return frozenset((k, _key(v)) for k, v in value.items())
    if isinstance(value, (tuple, list)):
        return tuple(_key(v) for v in value)
    return value


def _plain(value: object) -> Any:
    """The JSON-ready form of a field value."""
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, (Item, *_SCALES)):
        return value.to_dict()
    return value


_FIELDS: dict[type[Any], tuple[attrs.Attribute[Any], ...]] = {}
_HINTS: dict[type[Any], dict[str, Any]] = {}


def _fields(cls: type[Any]) -> tuple[attrs.Attribute[Any], ...]:
    if cls not in _FIELDS:
        _FIELDS[cls] = tuple(attrs.fields(cls))
    return _FIELDS[cls]


def _hints(cls: type[Any]) -> dict[str, Any]:
    """The resolved field types (annotations are strings under ``from __future__``)."""
    if cls not in _HINTS:
        module = sys.modules[cls.__module__]
        _HINTS[cls] = typing.get_type_hints(cls, vars(module))
    return _HINTS[cls]


_LARGEST = int(sys.float_info.max)
_ITEM_KEYS = frozenset(field.name for field in attrs.fields(Item))


def _key_path(path: str, key: object) -> str:
    """The key path of `key` under `path`: ``a.b``, or ``a['odd key']`` for a key that is not
    a plain name (so a hostile key can never break the one-line message)."""
    if isinstance(key, str) and key.isidentifier() and key.isascii():
        return f"{path}.{key}" if path else key
    return f"{path}[{key!r}]"


def _fail(path: str, expected: str, value: object) -> InvalidArgumentError:
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return InvalidArgumentError(
        f"`data` is not a valid report: {path or 'the top level'}: expected {expected}; "
        f"got {shown}."
    )


def _read(hint: Any, value: object, path: str) -> Any:
    """Check `value` against the type `hint` and convert it; errors name `path`."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if isinstance(hint, type) and issubclass(hint, Record):
        return hint._read(value, path)
    if hint is float:
        if value is None:
            return float("nan")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _fail(path, "a number or null", value)
        if isinstance(value, int) and not -_LARGEST <= value <= _LARGEST:
            raise _fail(path, "a number within the floating-point range", value)
        return float(value)
    if hint in (int, str, bool):
        if not isinstance(value, hint) or (hint is int and isinstance(value, bool)):
            raise _fail(path, f"{'an' if hint is int else 'a'} {hint.__name__}", value)
        return value
    if hint is Item:
        if not isinstance(value, Mapping) or "id" not in value or set(value) - _ITEM_KEYS:
            raise _fail(path, "an item {'id': ..., 'label': ...}", value)
        try:
            return Item(**value)
        except InvalidArgumentError as exc:
            raise _fail(path, f"a valid item ({exc})", value) from None
    if origin is typing.Literal:
        if value not in args:
            raise _fail(path, "one of " + ", ".join(map(repr, args)), value)
        return value
    if origin in (types.UnionType, typing.Union):
        if set(args) == set(_SCALES):
            if not isinstance(value, Mapping):
                raise _fail(path, "a scale {'type': ...}", value)
            return _scale_from(value)
        if value is None and type(None) in args:
            return None
        (arm,) = (a for a in args if a is not type(None))
        return _read(arm, value, path)
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise _fail(path, "a list", value)
        return tuple(_read(args[0], v, f"{path}[{i}]") for i, v in enumerate(value))
    if origin is Mapping:
        if not isinstance(value, Mapping):
            raise _fail(path, "an object", value)
        return {str(k): _read(args[1], v, _key_path(path, k)) for k, v in value.items()}
    raise TypeError(f"no reader for {hint!r}")  # pragma: no cover - a programming error


class Record:
    """Base of the result records: derived equality, hashing and dict round trip.

    Subclasses are ``attrs.frozen(eq=False)`` classes (the comparison is defined here once).
    """

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _key(self) == _key(other)

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(_key(self))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary of the record's fields; NaN becomes None.

        Returns
        -------
        dict
            Field name to plain value: numbers (None for NaN), strings, lists and
            dictionaries; nested records as their own dictionaries.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> pg.Estimate(value=0.21, low=0.18, high=0.24, standard_error=0.015,
        ...             method="percentile").to_dict()
        {'value': 0.21, 'low': 0.18, 'high': 0.24, 'standard_error': 0.015, 'method': 'percentile', 'flags': []}
        >>> pg.Estimate(value=0.21).to_dict()
        {'value': 0.21, 'low': None, 'high': None, 'standard_error': None, 'method': 'none', 'flags': []}
        """
        return {f.name: _plain(getattr(self, f.name)) for f in _fields(type(self))}

    @classmethod
    def from_dict(cls: type[R], data: Mapping[str, Any]) -> R:
        """Rebuild a record from :meth:`to_dict` output, checking every value.

        Parameters
        ----------
        data : mapping
            A dictionary in the layout of :meth:`to_dict`; None is read as NaN.

        Returns
        -------
        The record.

        Raises
        ------
        InvalidArgumentError
            A key is missing or unknown, or a value has the wrong type; the message names its
            key path.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> e = pg.Estimate(value=0.21, low=0.18, high=0.24, standard_error=0.015)
        >>> pg.Estimate.from_dict(e.to_dict()) == e
        True
        >>> pg.Estimate.from_dict({"value": "0.2"})
        Traceback (most recent call last):
        ...
        perceptiongap.errors.InvalidArgumentError: `data` is not a valid report: value: expected a number or null; got '0.2'.
        """
        return cls._read(data, "")

    @classmethod
    def _read(cls: type[R], data: object, path: str) -> R:
        if not isinstance(data, Mapping):
            raise _fail(path, f"an object ({cls.__name__})", data)
        fields = _fields(cls)
        names = {f.name for f in fields}
        unknown = [k for k in data if k not in names]
        if unknown:
            where = _key_path(path, unknown[0])
            raise _fail(where, "no such key", data[unknown[0]])
        hints = _hints(cls)
        values = {}
        for f in fields:
            where = _key_path(path, f.name)
            if f.name not in data:
                if f.default is attrs.NOTHING:
                    raise InvalidArgumentError(
                        f"`data` is not a valid report: {where}: this key is missing."
                    )
                continue
            values[f.name] = _read(hints[f.name], data[f.name], where)
        try:
            return cls(**values)
        except (InvalidArgumentError, TypeError) as exc:
            raise InvalidArgumentError(
                f"`data` is not a valid report: {path or 'the top level'}: {exc}"
            ) from None
