"""The answer scales: Binary, Likert and Numeric, and reading one from a questionnaire file.

A scale validates its end points on construction and knows its valid answers. ``_scale_from``
reads the layout of ``Scale.to_dict`` (as questionnaire files and saved reports hold it) and
names the key path of anything wrong (``scale.high``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

from ._questionnaire_files import KeyPath, KeyPathError, at
from .errors import InvalidArgumentError

__all__ = ["Binary", "Likert", "Numeric", "Scale"]


#: The largest end point of a Numeric scale, in absolute value: gaps are squared (d2), so
#: are answers (variances), and variances are squared again (Welch's degrees of freedom);
#: with ends within 1e50 every such figure, summed over items and respondents, stays finite
#: in 64-bit floats.
NUMERIC_LIMIT = 1e50

#: The narrowest range of a Numeric scale relative to its largest end: 64-bit floats resolve
#: about 1e-16 of a number, so answers on a narrower range far from 0 would lose their digits.
NUMERIC_RESOLUTION = 1e-6

#: The largest end point of a Likert scale, in absolute value: answers are 64-bit floats,
#: which hold every integer only up to 2**53 (about 9e15).
LIKERT_LIMIT = 10**15


def _real(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InvalidArgumentError(f"{what} must be a number; got {value!r}.")
    try:
        out = float(value)
    except OverflowError:  # an int beyond the range of floats
        raise InvalidArgumentError(
            f"{what} must be finite; got an integer beyond the range of 64-bit floats."
        ) from None
    if not math.isfinite(out):
        raise InvalidArgumentError(f"{what} must be finite; got {value!r}.")
    if abs(out) > NUMERIC_LIMIT:
        raise InvalidArgumentError(
            f"{what} must lie within +-1e50 (squared gaps and squared variances must stay "
            f"finite in 64-bit floats); got {out:g}. Express the answers in a larger unit."
        )
    return out


def _integer(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InvalidArgumentError(f"{what} must be an integer; got {value!r}.")
    out = int(value)
    if abs(out) > LIKERT_LIMIT:
        shown = f"{out:.3g}" if out.bit_length() < 1000 else "an integer too large to show"
        raise InvalidArgumentError(
            f"{what} must lie within +-10**15 (answers are 64-bit floats, exact integers "
            f"only that far); got {shown}. Use pg.Numeric for a scale that wide."
        )
    return out


def _check_order(low: float, high: float, names: tuple[str, str] = ("`low`", "`high`")) -> None:
    """Raise unless ``low < high``; `names` name the end points (parameters or file keys)."""
    if not low < high:
        shown = [str(end) if isinstance(end, int) else f"{end:g}" for end in (low, high)]
        raise InvalidArgumentError(
            f"{names[1]} must be greater than {names[0]}; got low={shown[0]}, high={shown[1]}."
        )


def _to_low_int(value: object) -> int:
    return _integer(value, "`low`")


def _to_high_int(value: object) -> int:
    return _integer(value, "`high`")


def _to_low_real(value: object) -> float:
    return _real(value, "`low`")


def _to_high_real(value: object) -> float:
    return _real(value, "`high`")


def fold(text: str) -> str:
    """The form in which an answer label is matched: trimmed, NFC-normalised, case-folded."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text.strip()).casefold())


# A plain decimal number (as in ``_cells``): a label that reads as one must be its own code.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)

#: The most answer labels a message lists in full; a longer list shows its first and last.
SHOWN_LABELS = 6


def _to_labels(value: Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidArgumentError(
            f"`labels` must be a sequence of strings, one per answer in scale order; got {value!r}."
        )
    labels = tuple(value)
    for label in labels:
        if not isinstance(label, str):
            raise InvalidArgumentError(f"each of `labels` must be a string; got {label!r}.")
        if not label.strip():
            raise InvalidArgumentError(f"an answer label must not be empty; got {label!r}.")
        try:
            label.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidArgumentError(
                f"the answer label {label!r} holds a lone surrogate, which is not text."
            ) from None
    return labels


def _check_labels(labels: tuple[str, ...], low: int, high: int) -> None:
    """One label per answer from `low` to `high`, distinct after folding, and none that
    reads as a number other than its own code (it could never be told from that number)."""
    if not labels:
        return
    if len(labels) != high - low + 1:
        raise InvalidArgumentError(
            f"`labels` must hold one label per answer from {low} to {high} "
            f"({high - low + 1}); got {len(labels)}."
        )
    seen: dict[str, str] = {}
    for code, label in enumerate(labels, start=low):
        key = fold(label)
        if key in seen:
            raise InvalidArgumentError(
                f"the answer labels {seen[key]!r} and {label!r} are the same once case and "
                "surrounding spaces are ignored; make them distinct."
            )
        seen[key] = label
        text = label.strip()
        if _NUMBER.fullmatch(text) and float(text) != code:
            raise InvalidArgumentError(
                f"the answer label {label!r} (answer {code}) reads as a different answer "
                f"number, {text}; a label that is a number must be its own code."
            )


def _list_labels(labels: tuple[str, ...]) -> str:
    """The labels for a message; a long list is cut to its first and last labels."""
    if len(labels) <= SHOWN_LABELS:
        return ", ".join(map(repr, labels))
    head = ", ".join(map(repr, labels[: SHOWN_LABELS - 2]))
    return f"{head}, ..., {labels[-1]!r} ({len(labels)} labels)"


def _repr(scale: object, names: tuple[str, ...], optional: tuple[str, ...]) -> str:
    """The scale's repr, leaving out options at their defaults (older reprs stay unchanged)."""
    shown = [f"{name}={getattr(scale, name)!r}" for name in names]
    shown += [f"{name}={getattr(scale, name)!r}" for name in optional if getattr(scale, name)]
    return f"{type(scale).__name__}({', '.join(shown)})"


def label_codes(scale: Binary | Likert | Numeric) -> dict[str, float]:
    """The answer of each answer label of `scale`, keyed by its folded text (empty when the
    scale has no labels)."""
    labels: tuple[str, ...] = getattr(scale, "labels", ())
    return {fold(label): float(scale.low + code) for code, label in enumerate(labels)}


@attrs.frozen(repr=False)
class Binary:
    """Yes/no answers coded 1 (selected) and 0 (not selected); a score is a share.

    Parameters
    ----------
    labels : sequence of two str, optional
        The answer labels of 0 and 1, in that order, such as ``("No", "Yes")``. A cell
        holding a label (matched after trimming, ignoring case, Unicode-normalised) reads as
        its code; the codes 0 and 1 (and booleans) are still accepted. No labels by default.
    multi_select : bool, default False
        For a "select all that apply" export, where each option is a column: an empty cell
        means "not chosen" (0) instead of a missing answer, and a checked box may hold 1,
        the "yes" label, or the item's id or label (the option's text), matched as labels
        are. Any other text is an error naming the cell.

    Notes
    -----
    A reverse-keyed item (``Item(..., reverse=True)``) scores ``1 - x``.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> pg.Binary().describe()
    '0 or 1'
    >>> pg.Binary(labels=("No", "Yes")).describe()
    "0 or 1 or one of 'No', 'Yes'"
    >>> pg.Binary(labels=("No", "Yes"), multi_select=True).to_dict()
    {'type': 'binary', 'labels': ['No', 'Yes'], 'multi_select': True}
    """

    kind: ClassVar[str] = "binary"
    labels: tuple[str, ...] = attrs.field(default=(), converter=_to_labels)
    multi_select: bool = attrs.field(default=False, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.multi_select, (bool, np.bool_)):
            raise InvalidArgumentError(
                f"`multi_select` must be True or False; got {self.multi_select!r}."
            )
        object.__setattr__(self, "multi_select", bool(self.multi_select))
        _check_labels(self.labels, 0, 1)

    def __repr__(self) -> str:
        return _repr(self, (), ("labels", "multi_select"))

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
            ``"0 or 1"``, followed by the answer labels when the scale has them.

        Examples
        --------
        >>> import perceptiongap as pg
        >>> pg.Binary().describe()
        '0 or 1'
        """
        if self.labels:
            return f"0 or 1 or one of {_list_labels(self.labels)}"
        return "0 or 1"

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"type": "binary"}``, with ``labels`` and ``multi_select`` when set.

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
        out: dict[str, Any] = {"type": self.kind}
        if self.labels:
            out["labels"] = list(self.labels)
        if self.multi_select:
            out["multi_select"] = True
        return out


@attrs.frozen(repr=False)
class Likert:
    """Integer rating scale from `low` to `high` inclusive (say 1 to 5).

    Parameters
    ----------
    low, high : int
        The end points; ``low < high``, each within +-10**15 (answers are 64-bit floats;
        use :class:`Numeric` for a wider scale).
    labels : sequence of str, optional
        The answer labels in scale order, exactly ``high - low + 1`` of them (the first is
        the label of `low`). A cell holding a label reads as its answer; labels are matched
        after trimming, ignoring case and Unicode-normalised (NFC), so they must be distinct
        that way, and a label that reads as a number must be its own answer ("3" may label
        3 only). The numeric answers are still accepted. A pandas categorical column is read
        by its categories' text, never by its category codes. No labels by default.

    Notes
    -----
    A reverse-keyed item (``Item(..., reverse=True)``) scores ``low + high - x``.

    Examples
    --------
    >>> import perceptiongap as pg
    >>> pg.Likert(low=1, high=5).describe()
    'an integer from 1 to 5'
    >>> agree = pg.Likert(1, 3, labels=("Disagree", "Neutral", "Agree"))
    >>> agree.describe()
    "1 to 3 or one of 'Disagree', 'Neutral', 'Agree'"
    """

    kind: ClassVar[str] = "likert"
    low: int = attrs.field(converter=_to_low_int)
    high: int = attrs.field(converter=_to_high_int)
    labels: tuple[str, ...] = attrs.field(default=(), converter=_to_labels)

    def __attrs_post_init__(self) -> None:
        _check_order(self.low, self.high)
        _check_labels(self.labels, self.low, self.high)

    def __repr__(self) -> str:
        return _repr(self, ("low", "high"), ("labels",))

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
            ``"an integer from <low> to <high>"``; with answer labels,
            ``"<low> to <high> or one of <labels>"`` (a long list cut to its ends).

        Examples
        --------
        >>> import perceptiongap as pg
        >>> pg.Likert(low=1, high=7).describe()
        'an integer from 1 to 7'
        """
        if self.labels:
            return f"{self.low} to {self.high} or one of {_list_labels(self.labels)}"
        return f"an integer from {self.low} to {self.high}"

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"type": "likert", "low": low, "high": high}``, with ``labels`` when set.

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
        out: dict[str, Any] = {"type": self.kind, "low": self.low, "high": self.high}
        if self.labels:
            out["labels"] = list(self.labels)
        return out


@attrs.frozen
class Numeric:
    """Real-valued answers from `low` to `high` inclusive (say a 0-10 importance rating).

    Parameters
    ----------
    low, high : float
        The end points; ``low < high``, each within +-1e50 (so that squared gaps and
        squared variances stay finite in 64-bit floats).

    Notes
    -----
    A reverse-keyed item (``Item(..., reverse=True)``) scores ``low + high - x``.

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
        _check_order(self.low, self.high)
        width = self.high - self.low
        if width < NUMERIC_LIMIT**-1 or width < NUMERIC_RESOLUTION * max(
            abs(self.low), abs(self.high)
        ):
            raise InvalidArgumentError(
                f"the range of a Numeric scale must be at least 1e-50 and at least "
                f"{NUMERIC_RESOLUTION:g} times its largest end, so that 64-bit floats resolve "
                f"answers and their variances; got low={self.low:g}, high={self.high:g}. "
                "Express the answers in another unit, or subtract a constant (gaps do not change)."
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

# The keys of each scale type in its dictionary layout (required, then optional), and how a
# bounded scale reads its ends.
_KEYS: dict[str, tuple[str, ...]] = {
    "binary": (),
    "likert": ("low", "high"),
    "numeric": ("low", "high"),
}
_OPTIONAL: dict[str, tuple[str, ...]] = {
    "binary": ("labels", "multi_select"),
    "likert": ("labels",),
    "numeric": (),
}
_BOUNDED: dict[str, tuple[type[Likert] | type[Numeric], Callable[[object, str], float]]] = {
    "likert": (Likert, _integer),
    "numeric": (Numeric, _real),
}


def _scale_from(value: object, path: KeyPath = ("scale",)) -> Scale:
    """Read a scale from the layout of ``to_dict``; the string ``"binary"`` is a short form.

    Parameters
    ----------
    value : object
        ``{"type": "binary"}``, ``{"type": "likert", "low": 1, "high": 5}``,
        ``{"type": "numeric", "low": 0, "high": 10}`` or ``"binary"``; a Likert or Binary
        scale may add ``"labels": [...]``, a Binary scale ``"multi_select": true``.
    path : tuple of str and int, optional
        The key path of `value` in its file, named in error messages.

    Returns
    -------
    Binary, Likert or Numeric

    Raises
    ------
    KeyPathError
        An :class:`~perceptiongap.InvalidArgumentError` naming the key path of the problem:
        `path` (not a table, a key missing), ``<path>.type`` or the key that is not allowed,
        ``<path>.low``, ``<path>.high`` (not a number, or not above ``low``),
        ``<path>.labels`` or ``<path>.multi_select``.
    """
    if isinstance(value, str):
        spec: Mapping[Any, Any] = {"type": value}
        type_path = path
    elif isinstance(value, Mapping):
        spec, type_path = value, (*path, "type")
    else:
        raise KeyPathError(
            path, f"the scale must be a table (mapping) with a 'type'; got {value!r}."
        )
    if "type" not in spec:
        raise KeyPathError(path, f"the scale has no 'type'; use one of {sorted(_KEYS)}.")
    kind = spec["type"]
    if not isinstance(kind, str) or kind not in _KEYS:
        raise KeyPathError(
            type_path, f"unknown scale type {kind!r}; expected one of {sorted(_KEYS)}."
        )
    keys = sorted(str(key) for key in spec if key != "type")
    allowed = (*_KEYS[kind], *_OPTIONAL[kind])
    unknown = [key for key in keys if key not in allowed]
    if unknown or not set(_KEYS[kind]) <= set(keys):
        raise KeyPathError(
            (*path, unknown[0]) if unknown else path,
            f"a {kind} scale takes the keys {sorted(_KEYS[kind]) or 'none'}"
            + (f" and optionally {list(_OPTIONAL[kind])}" if _OPTIONAL[kind] else "")
            + f"; got {keys}.",
        )
    options: dict[str, Any] = {}
    if "labels" in spec:
        labels = spec["labels"]
        with at((*path, "labels")):
            if not isinstance(labels, (list, tuple)):
                raise InvalidArgumentError(
                    f"the answer labels must be a list of strings; got {labels!r}."
                )
            options["labels"] = _to_labels(labels)
    if "multi_select" in spec:
        if not isinstance(spec["multi_select"], bool):
            raise KeyPathError(
                (*path, "multi_select"),
                f"multi_select must be true or false; got {spec['multi_select']!r}.",
            )
        options["multi_select"] = spec["multi_select"]
    if kind not in _BOUNDED:
        with at((*path, "labels")):
            return Binary(**options)
    make, read = _BOUNDED[kind]
    ends = {}
    for end in ("low", "high"):
        with at((*path, end)):
            ends[end] = read(spec[end], f"the {end} end of a {kind} scale")
    with at((*path, "high")):
        _check_order(ends["low"], ends["high"], names=("the low end", "the high end"))
    with at((*path, "labels")):
        return make(low=ends["low"], high=ends["high"], **options)
