"""What was asked: items, the answer scale, the groups (perspectives) and segment variables.

A :class:`Questionnaire` knows nothing about data. It validates itself on construction and
round-trips through ``to_dict`` / ``from_dict`` and JSON or TOML files. ``from_dict`` reads the
dictionary layout value by value and names the key path of anything wrong (``items[2].id``);
``_questionnaire_files`` parses and writes the files and finds the line of a key path.

Imports flow ``_questionnaire_files`` <- ``_scales`` <- ``_questionnaire``: the file module
knows nothing of items or scales, so the questionnaire can call it without a cycle.
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from . import _checks as check
from ._questionnaire_files import (
    MAX_BYTES,
    Document,
    KeyPath,
    KeyPathError,
    at,
    read_document,
    write_document,
)
from ._scales import Binary, Likert, Numeric, Scale
from ._scales import _scale_from as _scale_from  # re-exported: _report reads saved scales
from .errors import InvalidArgumentError, QuestionnaireError

__all__ = ["Binary", "Item", "Likert", "Numeric", "Questionnaire", "Scale"]


def _check_text(value: str, what: str) -> str:
    """Text that can be written to a file: no lone surrogate (which no UTF-8 file can hold,
    so a questionnaire with one could be written but never read back)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidArgumentError(
            f"{what} holds a lone surrogate {value[exc.start]!r} at position {exc.start}, "
            f"which is not text; got {value!r}."
        ) from None
    return value


def _check_name(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise InvalidArgumentError(f"{what} must be a string; got {value!r}.")
    if not value or value != value.strip():
        raise InvalidArgumentError(
            f"{what} must be a non-empty string without surrounding spaces; got {value!r}."
        )
    return _check_text(value, what)


def _repeat(names: Sequence[str]) -> int | None:
    """Return the position of the first name that repeats an earlier one, or None."""
    seen: set[str] = set()
    for position, name in enumerate(names):
        if name in seen:
            return position
        seen.add(name)
    return None


def _names(values: Iterable[object], what: str) -> tuple[str, ...]:
    if isinstance(values, str):
        raise InvalidArgumentError(f"{what} must be a sequence of strings, not a string.")
    names = tuple(_check_name(v, f"each of {what}") for v in values)
    repeat = _repeat(names)
    if repeat is not None:
        raise InvalidArgumentError(f"{what} must be unique; {names[repeat]!r} appears twice.")
    return names


def _item_id(value: object) -> str:
    return _check_name(value, "`Item.id`")


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
    reverse : bool, default False
        A reverse-keyed item (worded against the others, such as "I am not interested in
        others" among kindness items): every reader stores ``low + high - x`` for its
        answer `x`, right after parsing the cell, so every statistic sees the reversed
        score. Every scale is bounded, so this works on all three (``1 - x`` on a Binary
        scale, ``6 - x`` on a Likert scale from 1 to 5). Reports mark such items with
        " (R)" after the label in their item tables.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> pg.Item(id="discounts", label="Get discounts or coupons")
    Item(id='discounts', label='Get discounts or coupons')
    >>> pg.Item("community").label
    'community'
    >>> pg.Item("cold", "I am not interested in others", reverse=True).to_dict()
    {'id': 'cold', 'label': 'I am not interested in others', 'reverse': True}
    """

    id: str = attrs.field(converter=_item_id)
    label: str = attrs.field(default="")
    reverse: bool = attrs.field(default=False, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.label, str):
            raise InvalidArgumentError(f"`Item.label` must be a string; got {self.label!r}.")
        _check_text(self.label, "`Item.label`")
        if not self.label:
            object.__setattr__(self, "label", self.id)
        if not isinstance(self.reverse, (bool, np.bool_)):
            raise InvalidArgumentError(
                f"`Item.reverse` must be True or False; got {self.reverse!r}."
            )
        object.__setattr__(self, "reverse", bool(self.reverse))

    def __repr__(self) -> str:
        reverse = ", reverse=True" if self.reverse else ""
        return f"Item(id={self.id!r}, label={self.label!r}{reverse})"

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"id": ..., "label": ...}``, with ``"reverse": True`` when reverse-keyed.

        Returns
        -------
        dict
            The id and the label (the label is the id when none was given); the key
            ``reverse`` only for a reverse-keyed item, so older files stay unchanged.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> pg.Item("discounts", "Get discounts or coupons").to_dict()
        {'id': 'discounts', 'label': 'Get discounts or coupons'}
        >>> pg.Item("community").to_dict()
        {'id': 'community', 'label': 'community'}
        """
        out: dict[str, Any] = {"id": self.id, "label": self.label}
        if self.reverse:
            out["reverse"] = True
        return out


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
        _check_text(self.title, "`title`")

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
            accepted for the first. Each item is ``{"id": ..., "label": ...}`` (optionally with ``"reverse": true``) or an id string.
        file : str, optional
            The file the dictionary came from, named in error messages.

        Returns
        -------
        Questionnaire

        Raises
        ------
        QuestionnaireError
            A key is missing or unknown, or a value is invalid; the message and the error's
            ``key`` name the key path of the value, such as ``items[2].id``.

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
        return cls._from_document(Document(data, file=file))

    @classmethod
    def from_file(cls, path: str | Path, *, max_bytes: int | None = MAX_BYTES) -> Questionnaire:
        """Read a questionnaire from a ``.json`` or ``.toml`` file.

        Reading never executes anything from the file. A table that repeats a key, values
        nested deeper than 32 levels, and numbers that are NaN, infinite or beyond the range
        of 64-bit floats are refused with their key path and line.

        Parameters
        ----------
        path : str or pathlib.Path
            The file; its suffix chooses the format. A regular file or a named pipe (a
            directory or a device such as ``/dev/zero`` is refused).
        max_bytes : int or None, default 16 MiB
            The longest file read; a longer one is refused before it is parsed. None lifts
            the limit.

        Returns
        -------
        Questionnaire

        Raises
        ------
        QuestionnaireError
            The file cannot be read or parsed, is not a regular file or a pipe, is longer
            than `max_bytes`, or its content is not a valid questionnaire; the message and
            the error's ``line`` and ``key`` say where (the line for JSON files, and for TOML
            where a simple scan finds it).
        InvalidArgumentError
            `max_bytes` is neither None nor a positive integer.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> from perceptiongap.datasets import example_paths
        >>> q = pg.Questionnaire.from_file(example_paths().questionnaire)
        >>> q.groups, q.k
        (('customer', 'business'), 12)
        """
        limit = check.size_limit(max_bytes, "max_bytes")
        return cls._from_document(read_document(path, limit))

    @classmethod
    def _from_document(cls, document: Document) -> Questionnaire:
        try:
            return cls(**_arguments(document.data))
        except InvalidArgumentError as exc:
            raise document.error(exc) from None
        except (TypeError, KeyError, AttributeError) as exc:
            raise QuestionnaireError(
                f"malformed questionnaire: {exc}", file=document.file
            ) from None

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
        write_document(path, self.to_dict())


# -- the dictionary layout, read value by value with key paths ---------------------------------

_TOP_KEYS = ("title", "scale", "groups", "items", "segments")
_REQUIRED = ("scale", "groups", "items")


def _table(value: object, path: KeyPath, what: str) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        raise KeyPathError(path, f"{what} must be a table (mapping); got {value!r}.")
    return value


def _list(value: object, path: KeyPath, what: str) -> list[Any]:
    if not isinstance(value, (list, tuple)):
        raise KeyPathError(path, f"{what} must be a list; got {value!r}.")
    return list(value)


def _arguments(data: object) -> dict[str, Any]:
    """Check the layout of :meth:`Questionnaire.to_dict`; return the constructor's arguments.

    Every value is checked where it sits, in file order, so that the first error names its
    key path; the constructor then finds nothing left to reject.
    """
    if not isinstance(data, Mapping):
        raise KeyPathError((), "a questionnaire must be a table (mapping) at the top level.")
    for key in data:
        if key not in _TOP_KEYS:
            raise KeyPathError(
                (str(key),), f"unknown key {key!r}; allowed keys are {sorted(_TOP_KEYS)}."
            )
    for key in _REQUIRED:
        if key not in data:
            raise KeyPathError((), f"the key {key!r} is missing.")
    title = data.get("title", "")
    if not isinstance(title, str):
        raise KeyPathError(("title",), f"the title must be a string; got {title!r}.")
    scale = _scale_from(data["scale"])
    groups = _names_at(data["groups"], ("groups",), "the groups", "a group name")
    if len(groups) < 2:
        raise KeyPathError(
            ("groups",), f"a questionnaire needs at least two groups; got {list(groups)}."
        )
    items = _items_from(data["items"])
    segments = _segments_from(data.get("segments", {}), {item.id for item in items})
    return {"items": items, "scale": scale, "groups": groups, "segments": segments, "title": title}


def _names_at(value: object, path: KeyPath, plural: str, each: str) -> tuple[str, ...]:
    names: list[str] = []
    for position, name in enumerate(_list(value, path, plural)):
        with at((*path, position)):
            names.append(_check_name(name, each))
    repeat = _repeat(names)
    if repeat is not None:
        raise KeyPathError(
            (*path, repeat), f"{plural} must be unique; {names[repeat]!r} appears twice."
        )
    return tuple(names)


def _items_from(value: object) -> tuple[Item, ...]:
    entries = _list(value, ("items",), "the items")
    items = tuple(_item_from(entry, ("items", position)) for position, entry in enumerate(entries))
    repeat = _repeat([item.id for item in items])
    if repeat is not None:
        path: KeyPath = ("items", repeat)
        raise KeyPathError(
            path if isinstance(entries[repeat], str) else (*path, "id"),
            f"item ids must be unique; {items[repeat].id!r} appears twice.",
        )
    if len(items) < 2:
        raise KeyPathError(
            ("items",),
            f"a questionnaire needs at least two items to compare orderings; got {len(items)}.",
        )
    return items


def _item_from(entry: object, path: KeyPath) -> Item:
    if isinstance(entry, str):
        with at(path):
            return Item(_check_name(entry, "an item id"))
    table = _table(entry, path, "an item")
    for key in table:
        if key not in ("id", "label", "reverse"):
            raise KeyPathError(
                (*path, str(key)),
                f"unknown item key {key!r}; allowed: 'id', 'label', 'reverse'.",
            )
    if "id" not in table:
        raise KeyPathError(path, "the item has no 'id'; every item needs one.")
    with at((*path, "id")):
        item_id = _check_name(table["id"], "an item id")
    label = table.get("label", "")
    if not isinstance(label, str):
        raise KeyPathError((*path, "label"), f"an item label must be a string; got {label!r}.")
    reverse = table.get("reverse", False)
    if not isinstance(reverse, bool):
        raise KeyPathError(
            (*path, "reverse"), f"an item's reverse must be true or false; got {reverse!r}."
        )
    return Item(item_id, label, reverse=reverse)


def _segments_from(value: object, item_ids: set[str]) -> dict[str, tuple[str, ...]]:
    segments: dict[str, tuple[str, ...]] = {}
    for name, levels in _table(value, ("segments",), "the segments").items():
        path: KeyPath = ("segments", str(name))
        with at(path):
            _check_name(name, "a segment name")
        if name in item_ids:
            raise KeyPathError(
                path, f"segment {name!r} has the same name as an item; rename one of them."
            )
        segments[name] = _names_at(
            levels, path, f"the levels of segment {name!r}", "a segment level"
        )
        if not segments[name]:
            raise KeyPathError(path, f"segment {name!r} must have at least one level.")
    return segments
