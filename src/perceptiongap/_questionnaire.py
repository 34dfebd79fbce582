"""What was asked: items, the answer scale, the groups (perspectives) and segment variables.

A :class:`Questionnaire` knows nothing about data. It validates itself on construction and
round-trips through ``to_dict`` / ``from_dict`` and JSON or TOML files.
"""

from __future__ import annotations

import json
import math
import sys
import types
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

from .errors import InvalidArgumentError, QuestionnaireError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["Binary", "Item", "Likert", "Numeric", "Questionnaire", "Scale"]


def _check_name(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise InvalidArgumentError(f"{what} must be a string; got {value!r}.")
    if not value or value != value.strip():
        raise InvalidArgumentError(
            f"{what} must be a non-empty string without surrounding spaces; got {value!r}."
        )
    return value


def _names(values: Iterable[object], what: str) -> tuple[str, ...]:
    if isinstance(values, str):
        raise InvalidArgumentError(f"{what} must be a sequence of strings, not a string.")
    names = tuple(_check_name(v, f"each of {what}") for v in values)
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InvalidArgumentError(f"{what} must be unique; {name!r} appears twice.")
        seen.add(name)
    return names


def _item_id(value: object) -> str:
    return _check_name(value, "`Item.id`")


def _to_low_int(value: object) -> int:
    return _integer(value, "`low`")


def _to_high_int(value: object) -> int:
    return _integer(value, "`high`")


def _to_low_real(value: object) -> float:
    return _real(value, "`low`")


def _to_high_real(value: object) -> float:
    return _real(value, "`high`")


def _to_groups(value: Iterable[object]) -> tuple[str, ...]:
    return _names(value, "`groups`")


@attrs.frozen
class Item:
    """One question asked of every group.

    Parameters
    ----------
    id : str
        Identifier, also the name of the item's column in response files.
    label : str, optional
        Human-readable wording; defaults to `id`.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> pg.Item(id="discounts", label="Get discounts or coupons")
    Item(id='discounts', label='Get discounts or coupons')
    >>> pg.Item("community").label
    'community'
    """

    id: str = attrs.field(converter=_item_id)
    label: str = attrs.field(default="")

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.label, str):
            raise InvalidArgumentError(f"`Item.label` must be a string; got {self.label!r}.")
        if not self.label:
            object.__setattr__(self, "label", self.id)

    def to_dict(self) -> dict[str, str]:
        """Return ``{"id": ..., "label": ...}``.

        Returns
        -------
        dict of str to str
            The id and the label (the label is the id when none was given).

        Examples
        --------
        >>> import perceptiongap as pg
        >>> pg.Item("discounts", "Get discounts or coupons").to_dict()
        {'id': 'discounts', 'label': 'Get discounts or coupons'}
        >>> pg.Item("community").to_dict()
        {'id': 'community', 'label': 'community'}
        """
        return {"id": self.id, "label": self.label}


def _real(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InvalidArgumentError(f"{what} must be a number; got {value!r}.")
    out = float(value)
    if not math.isfinite(out):
        raise InvalidArgumentError(f"{what} must be finite; got {value!r}.")
    return out


def _integer(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InvalidArgumentError(f"{what} must be an integer; got {value!r}.")
    return int(value)


@attrs.frozen
class Binary:
    """Yes/no answers coded 1 (selected) and 0 (not selected); a score is a share.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> pg.Binary().describe()
    '0 or 1'
    """

    kind: ClassVar[str] = "binary"

    @property
    def low(self) -> float:
        """The lowest answer, 0."""
        return 0.0

    @property
    def high(self) -> float:
        """The highest answer, 1."""
        return 1.0

    def valid(self, values: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
        """Return a mask of the finite `values` that are valid answers on this scale.

        Parameters
        ----------
        values : ndarray of float
            Answers, any shape; finite (NaN, a missing answer, is the caller's to handle).

        Returns
        -------
        ndarray of bool
            Same shape as `values`: True where the answer is exactly 0 or 1.

        Examples
        --------
        >>> import numpy as np
        >>> import perceptiongap as pg
        >>> pg.Binary().valid(np.array([0.0, 1.0, 0.5, 2.0]))
        array([ True,  True, False, False])
        """
        return np.asarray((values == 0.0) | (values == 1.0), dtype=bool)

    def describe(self) -> str:
        """Return the allowed answers as a phrase for error messages.

        Returns
        -------
        str
            Always ``"0 or 1"``.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> pg.Binary().describe()
        '0 or 1'
        """
        return "0 or 1"

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"type": "binary"}``.

        Returns
        -------
        dict
            The scale as :meth:`Questionnaire.to_dict` writes it; ``Questionnaire.from_dict``
            reads it back.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> pg.Binary().to_dict()
        {'type': 'binary'}
        """
        return {"type": self.kind}


@attrs.frozen
class Likert:
    """Integer rating scale from `low` to `high` inclusive (say 1 to 5).

    Parameters
    ----------
    low, high : int
        The end points; ``low < high``.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> pg.Likert(low=1, high=5).describe()
    'an integer from 1 to 5'
    """

    kind: ClassVar[str] = "likert"
    low: int = attrs.field(converter=_to_low_int)
    high: int = attrs.field(converter=_to_high_int)

    def __attrs_post_init__(self) -> None:
        if not self.low < self.high:
            raise InvalidArgumentError(
                f"`high` must be greater than `low`; got low={self.low}, high={self.high}."
            )

    def valid(self, values: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
        """Return a mask of the finite `values` that are valid answers on this scale.

        Parameters
        ----------
        values : ndarray of float
            Answers, any shape; finite (NaN, a missing answer, is the caller's to handle).

        Returns
        -------
        ndarray of bool
            Same shape as `values`: True where the answer is a whole number from `low` to
            `high` inclusive.

        Examples
        --------
        >>> import numpy as np
        >>> import perceptiongap as pg
        >>> pg.Likert(low=1, high=5).valid(np.array([0.0, 1.0, 2.5, 5.0]))
        array([False,  True, False,  True])
        """
        return np.asarray(
            (values >= self.low) & (values <= self.high) & (values == np.floor(values)), dtype=bool
        )

    def describe(self) -> str:
        """Return the allowed answers as a phrase for error messages.

        Returns
        -------
        str
            ``"an integer from <low> to <high>"``.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> pg.Likert(low=1, high=7).describe()
        'an integer from 1 to 7'
        """
        return f"an integer from {self.low} to {self.high}"

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"type": "likert", "low": low, "high": high}``.

        Returns
        -------
        dict
            The scale as :meth:`Questionnaire.to_dict` writes it; ``Questionnaire.from_dict``
            reads it back.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> pg.Likert(low=1, high=5).to_dict()
        {'type': 'likert', 'low': 1, 'high': 5}
        """
        return {"type": self.kind, "low": self.low, "high": self.high}


@attrs.frozen
class Numeric:
    """Real-valued answers from `low` to `high` inclusive (say a 0-10 importance rating).

    Parameters
    ----------
    low, high : float
        The end points; finite, ``low < high``.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> pg.Numeric(low=0, high=10).describe()
    'a number from 0 to 10'
    """

    kind: ClassVar[str] = "numeric"
    low: float = attrs.field(converter=_to_low_real)
    high: float = attrs.field(converter=_to_high_real)

    def __attrs_post_init__(self) -> None:
        if not self.low < self.high:
            raise InvalidArgumentError(
                f"`high` must be greater than `low`; got low={self.low:g}, high={self.high:g}."
            )

    def valid(self, values: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
        """Return a mask of the finite `values` that are valid answers on this scale.

        Parameters
        ----------
        values : ndarray of float
            Answers, any shape; finite (NaN, a missing answer, is the caller's to handle).

        Returns
        -------
        ndarray of bool
            Same shape as `values`: True where the answer lies from `low` to `high` inclusive.

        Examples
        --------
        >>> import numpy as np
        >>> import perceptiongap as pg
        >>> pg.Numeric(low=0, high=10).valid(np.array([-1.0, 0.0, 2.5, 10.0, 10.5]))
        array([False,  True,  True,  True, False])
        """
        return np.asarray((values >= self.low) & (values <= self.high), dtype=bool)

    def describe(self) -> str:
        """Return the allowed answers as a phrase for error messages.

        Returns
        -------
        str
            ``"a number from <low> to <high>"``, the end points in their shortest form.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> pg.Numeric(low=0.5, high=7.25).describe()
        'a number from 0.5 to 7.25'
        """
        return f"a number from {self.low:g} to {self.high:g}"

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"type": "numeric", "low": low, "high": high}``.

        Returns
        -------
        dict
            The scale as :meth:`Questionnaire.to_dict` writes it (end points as floats);
            ``Questionnaire.from_dict`` reads it back.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> pg.Numeric(low=0, high=10).to_dict()
        {'type': 'numeric', 'low': 0.0, 'high': 10.0}
        """
        return {"type": self.kind, "low": self.low, "high": self.high}


#: The type of a questionnaire's answer scale: ``Binary | Likert | Numeric``.
#:
#: Every scale has ``low`` and ``high``, ``valid(values)`` (a mask of the valid answers among
#: finite ``values``), ``describe()`` (the allowed answers as a phrase) and ``to_dict()``.
#: A union object cannot hold a docstring, so this comment is its documentation (Sphinx
#: reads ``#:`` comments; docs/api.rst documents the name with ``py:data``).
#:
#: Examples: ``isinstance(pg.Likert(low=1, high=5), pg.Scale)`` is True.
Scale: TypeAlias = Binary | Likert | Numeric  # a real union: isinstance() and docs work
_SCALES: dict[str, type[Binary] | type[Likert] | type[Numeric]] = {
    "binary": Binary,
    "likert": Likert,
    "numeric": Numeric,
}


def _to_items(values: Iterable[Item | str]) -> tuple[Item, ...]:
    if isinstance(values, (str, Item)):
        raise InvalidArgumentError("`items` must be a sequence of Item objects.")
    items = tuple(Item(v) if isinstance(v, str) else v for v in values)
    for item in items:
        if not isinstance(item, Item):
            raise InvalidArgumentError(f"`items` must hold Item objects; got {item!r}.")
    return items


def _to_segments(value: Mapping[str, Iterable[str]] | None) -> Mapping[str, tuple[str, ...]]:
    if value is None:
        return types.MappingProxyType({})
    if not isinstance(value, Mapping):
        raise InvalidArgumentError(
            f"`segments` must map a segment name to its levels; got {type(value).__name__}."
        )
    out = {
        _check_name(name, "a segment name"): _names(levels, f"the levels of segment {name!r}")
        for name, levels in value.items()
    }
    for name, levels in out.items():
        if not levels:
            raise InvalidArgumentError(f"segment {name!r} must have at least one level.")
    return types.MappingProxyType(out)


@attrs.frozen
class Questionnaire:
    """The list of items, the answer scale, the groups that answer and the segment variables.

    Parameters
    ----------
    items : sequence of Item
        At least two items with unique ids (a plain string is taken as ``Item(id=string)``).
    scale : Binary, Likert or Numeric
        The answer scale shared by every item.
    groups : sequence of str
        The perspectives that answer the same items, at least two, such as
        ``("customer", "business")``.
    segments : mapping of str to sequence of str, optional
        Segment variables and their levels, such as ``{"generation": ("GenY", "GenX")}``.
    title : str, optional
        A title for reports.

    Raises
    ------
    InvalidArgumentError
        Fewer than two items or groups, duplicate ids, groups or levels, or a segment named
        like an item.

    See Also
    --------
    Questionnaire.from_file : read a questionnaire from a JSON or TOML file.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> q = pg.Questionnaire(
    ...     items=[pg.Item("discounts", "Get discounts"), pg.Item("community", "Be part of a community")],
    ...     scale=pg.Binary(),
    ...     groups=("customer", "business"),
    ...     segments={"generation": ("GenY", "GenX", "Boomer")},
    ... )
    >>> q.item_ids
    ('discounts', 'community')
    >>> pg.Questionnaire.from_dict(q.to_dict()) == q
    True
    """

    items: tuple[Item, ...] = attrs.field(converter=_to_items)
    scale: Scale = attrs.field()
    groups: tuple[str, ...] = attrs.field(converter=_to_groups)
    segments: Mapping[str, tuple[str, ...]] = attrs.field(
        default=None, converter=_to_segments, hash=False
    )
    title: str = attrs.field(default="")

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.scale, (Binary, Likert, Numeric)):
            raise InvalidArgumentError(
                f"`scale` must be Binary(), Likert(low, high) or Numeric(low, high); "
                f"got {self.scale!r}."
            )
        if len(self.items) < 2:
            raise InvalidArgumentError(
                f"`items` must hold at least two items to compare orderings; got {len(self.items)}."
            )
        _names([item.id for item in self.items], "item ids")
        if len(self.groups) < 2:
            raise InvalidArgumentError(
                f"`groups` must name at least two groups; got {list(self.groups)}."
            )
        clash = set(self.segments) & set(self.item_ids)
        if clash:
            raise InvalidArgumentError(
                f"segment {sorted(clash)[0]!r} has the same name as an item; rename one of them."
            )
        if not isinstance(self.title, str):
            raise InvalidArgumentError(f"`title` must be a string; got {self.title!r}.")

    @property
    def item_ids(self) -> tuple[str, ...]:
        """The item ids in questionnaire order."""
        return tuple(item.id for item in self.items)

    @property
    def k(self) -> int:
        """The number of items."""
        return len(self.items)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dictionary; :meth:`from_dict` inverts it.

        Returns
        -------
        dict
            Keys ``title`` (only when there is one), ``scale``, ``groups``, ``items`` and
            ``segments`` (only when there are any), holding plain lists, strings and numbers.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> q = pg.Questionnaire(items=["discounts", pg.Item("community", "Be part of a community")],
        ...                      scale=pg.Binary(), groups=("customer", "business"))
        >>> q.to_dict()
        {'scale': {'type': 'binary'}, 'groups': ['customer', 'business'],
         'items': [{'id': 'discounts', 'label': 'discounts'},
                   {'id': 'community', 'label': 'Be part of a community'}]}
        """
        out: dict[str, Any] = {}
        if self.title:
            out["title"] = self.title
        out["scale"] = self.scale.to_dict()
        out["groups"] = list(self.groups)
        out["items"] = [item.to_dict() for item in self.items]
        if self.segments:
            out["segments"] = {name: list(levels) for name, levels in self.segments.items()}
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, file: str | None = None) -> Questionnaire:
        """Build a questionnaire from the dictionary layout of :meth:`to_dict`.

        Parameters
        ----------
        data : mapping
            Keys ``scale``, ``groups``, ``items`` and optionally ``segments`` and ``title``.
            ``scale`` is ``{"type": "binary"}``, ``{"type": "likert", "low": 1, "high": 5}``
            or ``{"type": "numeric", "low": 0, "high": 10}``; the string ``"binary"`` is
            accepted for the first. Each item is ``{"id": ..., "label": ...}`` or an id string.
        file : str, optional
            The file the dictionary came from, named in error messages.

        Returns
        -------
        Questionnaire

        Raises
        ------
        QuestionnaireError
            A key is missing or unknown, or a value is invalid.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> q = pg.Questionnaire.from_dict({
        ...     "scale": {"type": "likert", "low": 1, "high": 5},
        ...     "groups": ["customer", "business"],
        ...     "items": ["price", {"id": "service", "label": "Friendly service"}],
        ... })
        >>> q.scale, q.item_ids
        (Likert(low=1, high=5), ('price', 'service'))
        >>> pg.Questionnaire.from_dict({"scale": "binary", "groups": ["customer", "business"]})
        Traceback (most recent call last):
        ...
        perceptiongap.errors.QuestionnaireError: the key 'items' is missing.
        """
        try:
            return cls._from_dict(data)
        except QuestionnaireError:
            raise
        except InvalidArgumentError as exc:
            raise QuestionnaireError(str(exc), file=file) from None
        except (TypeError, KeyError, AttributeError) as exc:
            raise QuestionnaireError(f"malformed questionnaire: {exc}", file=file) from None

    @classmethod
    def _from_dict(cls, data: Mapping[str, Any]) -> Questionnaire:
        if not isinstance(data, Mapping):
            raise InvalidArgumentError(
                "a questionnaire must be a table (mapping) at the top level."
            )
        allowed = {"title", "scale", "groups", "items", "segments"}
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise InvalidArgumentError(
                f"unknown key {unknown[0]!r}; allowed keys are {sorted(allowed)}."
            )
        for key in ("scale", "groups", "items"):
            if key not in data:
                raise InvalidArgumentError(f"the key {key!r} is missing.")
        return cls(
            items=[_item_from(entry) for entry in _sequence(data["items"], "items")],
            scale=_scale_from(data["scale"]),
            groups=tuple(_sequence(data["groups"], "groups")),
            segments={
                str(name): tuple(_sequence(levels, f"segments.{name}"))
                for name, levels in _mapping(data.get("segments", {}), "segments").items()
            },
            title=data.get("title", ""),
        )

    @classmethod
    def from_file(cls, path: str | Path) -> Questionnaire:
        """Read a questionnaire from a ``.json`` or ``.toml`` file.

        Reading never executes anything from the file.

        Parameters
        ----------
        path : str or pathlib.Path
            The file; its suffix chooses the format.

        Returns
        -------
        Questionnaire

        Raises
        ------
        QuestionnaireError
            The file cannot be read or parsed, or its content is not a valid questionnaire.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> from perceptiongap.datasets import example_paths
        >>> q = pg.Questionnaire.from_file(example_paths().questionnaire)
        >>> q.groups, q.k
        (('customer', 'business'), 12)
        """
        path = Path(path)
        name = str(path)
        suffix = path.suffix.lower()
        if suffix not in (".json", ".toml"):
            raise QuestionnaireError(
                f"unsupported file type {path.suffix!r}; use a .json or .toml file.", file=name
            )
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise QuestionnaireError(f"cannot read the file: {exc.strerror}.", file=name) from None
        try:
            text = raw.decode("utf-8-sig")
            data = json.loads(text) if suffix == ".json" else tomllib.loads(text)
        except (UnicodeDecodeError, json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
            raise QuestionnaireError(f"cannot parse the file: {exc}.", file=name) from None
        return cls.from_dict(data, file=name)

    def to_file(self, path: str | Path) -> None:
        """Write the questionnaire as JSON (``.json``) or TOML (``.toml``).

        Parameters
        ----------
        path : str or pathlib.Path
            The destination; its suffix chooses the format. An existing file is overwritten.

        Raises
        ------
        InvalidArgumentError
            The suffix is neither ``.json`` nor ``.toml``.

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> import perceptiongap as pg
        >>> q = pg.Questionnaire(items=["price", "service"], scale=pg.Likert(low=1, high=5),
        ...                      groups=("customer", "business"))
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = Path(folder) / "questionnaire.toml"
        ...     q.to_file(path)
        ...     print(path.read_text(encoding="utf-8"))
        ...     pg.Questionnaire.from_file(path) == q
        groups = ["customer", "business"]
        <BLANKLINE>
        [scale]
        type = "likert"
        low = 1
        high = 5
        <BLANKLINE>
        [[items]]
        id = "price"
        label = "price"
        <BLANKLINE>
        [[items]]
        id = "service"
        label = "service"
        <BLANKLINE>
        True
        """
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".json":
            path.write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")
        elif suffix == ".toml":
            path.write_text(_to_toml(self.to_dict()), encoding="utf-8")
        else:
            raise InvalidArgumentError(f"`path` must end in .json or .toml; got {path.suffix!r}.")


def _sequence(value: object, what: str) -> list[Any]:
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise InvalidArgumentError(f"{what!r} must be a list; got {value!r}.")
    return list(value)


def _mapping(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidArgumentError(f"{what!r} must be a table (mapping); got {value!r}.")
    return value


def _item_from(entry: object) -> Item:
    if isinstance(entry, str):
        return Item(entry)
    entry = _mapping(entry, "each item")
    unknown = sorted(set(entry) - {"id", "label"})
    if unknown:
        raise InvalidArgumentError(f"unknown item key {unknown[0]!r}; allowed: 'id', 'label'.")
    if "id" not in entry:
        raise InvalidArgumentError(f"an item has no 'id': {dict(entry)!r}.")
    return Item(id=entry["id"], label=entry.get("label", ""))


def _scale_from(value: object) -> Scale:
    spec: Mapping[str, Any] = (
        {"type": value} if isinstance(value, str) else _mapping(value, "scale")
    )
    kind = spec.get("type")
    if kind not in _SCALES:
        raise InvalidArgumentError(
            f"unknown scale type {kind!r}; expected one of {sorted(_SCALES)}."
        )
    params = {key: val for key, val in spec.items() if key != "type"}
    expected = set() if kind == "binary" else {"low", "high"}
    if set(params) != expected:
        raise InvalidArgumentError(
            f"a {kind} scale takes the keys {sorted(expected) or 'none'}; got {sorted(params)}."
        )
    return _SCALES[kind](**params)


def _toml_value(value: object) -> str:
    if isinstance(value, str):
        # A JSON string literal is a TOML basic string once DEL is escaped too; keep
        # characters beyond U+FFFF literal (JSON's surrogate-pair escapes are not TOML).
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")  # pragma: no cover - internal


def _to_toml(data: Mapping[str, Any]) -> str:
    lines: list[str] = []
    for key in ("title", "groups"):
        if key in data:
            lines.append(f"{key} = {_toml_value(data[key])}")
    lines += ["", "[scale]"] + [f"{k} = {_toml_value(v)}" for k, v in data["scale"].items()]
    if data.get("segments"):
        lines += ["", "[segments]"]
        lines += [f"{json.dumps(k)} = {_toml_value(v)}" for k, v in data["segments"].items()]
    for item in data["items"]:
        lines += ["", "[[items]]"] + [f"{k} = {_toml_value(v)}" for k, v in item.items()]
    return "\n".join(lines) + "\n"
