"""One vocabulary of argument checks, shared by every public entry point's validator.

Each check converts one argument or raises an error that names the parameter in backticks and
says what is allowed. Validators (``_options.py``) call them in signature order.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence

import numpy as np

from .errors import InvalidArgumentError

__all__ = [
    "batch_fits",
    "byte_size",
    "callback",
    "choice",
    "count",
    "group_name",
    "level",
    "limit",
    "names",
    "positive",
    "seed_material",
    "size_limit",
]


def count(value: object, name: str) -> int:
    """A non-negative integer (``True`` is not a count)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or int(value) < 0:
        raise InvalidArgumentError(f"`{name}` must be a non-negative integer; got {value!r}.")
    return int(value)


def positive(value: object, name: str) -> int:
    """A positive integer."""
    number = count(value, name)
    if number == 0:
        raise InvalidArgumentError(f"`{name}` must be a positive integer; got {value!r}.")
    return number


#: How close to 0 or 1 a confidence level may come: the simultaneous procedures split
#: ``1 - level`` over many pairs and tails, which must stay representable next to 1.
LEVEL_MARGIN = 1e-9


def level(value: object, name: str = "confidence_level") -> float:
    """A probability strictly between 0 and 1, at least `LEVEL_MARGIN` from either end."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < float(value) < 1:
        raise InvalidArgumentError(
            f"`{name}` must be a number between 0 and 1 (exclusive), such as 0.95; got {value!r}."
        )
    if not LEVEL_MARGIN <= float(value) <= 1 - LEVEL_MARGIN:
        raise InvalidArgumentError(
            f"`{name}` must lie between {LEVEL_MARGIN:g} and 1 - {LEVEL_MARGIN:g}: its tails are "
            f"split over many pairs and must stay representable; got {value!r}."
        )
    return float(value)


def choice(value: object, name: str, allowed: Sequence[str]) -> str:
    """One of `allowed` (case-sensitive, with a hint when only the case differs)."""
    if not isinstance(value, str) or value not in allowed:
        folded = {a.lower(): a for a in allowed}
        hint = ""
        if isinstance(value, str) and value.lower() in folded:
            hint = f" (the name is case-sensitive: {folded[value.lower()]!r})"
        raise InvalidArgumentError(
            f"`{name}` must be one of {', '.join(repr(a) for a in allowed)}; got {value!r}{hint}."
        )
    return value


def group_name(value: object, name: str, groups: Sequence[str]) -> int:
    """The index of a group of the questionnaire."""
    if not isinstance(value, str) or value not in groups:
        raise InvalidArgumentError(
            f"`{name}` must be one of the questionnaire's groups "
            + ", ".join(repr(g) for g in groups)
            + f"; got {value!r}."
        )
    return list(groups).index(value)


def names(
    value: object, name: str, known: Sequence[str], what: str, example: str
) -> tuple[str, ...]:
    """A sequence of distinct names from `known` (a single string is refused, not split; a
    repeated name is refused, not silently dropped)."""
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidArgumentError(
            f"`{name}` must be a sequence of {what}, such as {example}; got {value!r}."
        )
    seen: set[str] = set()
    for entry in value:
        if not isinstance(entry, str) or entry not in known:
            raise InvalidArgumentError(
                f"`{name}` names {entry!r}; the questionnaire's {what} are "
                + (", ".join(repr(k) for k in known) or "none")
                + "."
            )
        if entry in seen:
            raise InvalidArgumentError(f"`{name}` names {entry!r} twice; name each once.")
        seen.add(entry)
    return tuple(value)


def limit(value: object, name: str) -> int | None:
    """None (no limit) or a non-negative integer."""
    return None if value is None else count(value, name)


def size_limit(value: object, name: str) -> int | None:
    """None (no limit) or a positive integer: a size of a file or a cell."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or int(value) < 1:
        raise InvalidArgumentError(
            f"`{name}` must be a positive integer or None (no limit); got {value!r}."
        )
    return int(value)


def byte_size(size: float) -> str:
    """A number of bytes for messages: ``"256 MiB"``, ``"1.5 GiB"``, ``"3,000 TiB"``."""
    units = ("bytes", "KiB", "MiB", "GiB", "TiB")
    power = 0
    while power < len(units) - 1 and size >= 1024:
        size /= 1024
        power += 1
    if power == 0:
        return f"{int(size)} bytes"
    return f"{size:,.0f} {units[power]}" if size >= 10 else f"{size:.1f} {units[power]}"


def batch_fits(batch: int, working: int, budget: int, workers: int) -> None:
    """Refuse a forced `batch` whose working set (`working` bytes, over all `workers`)
    exceeds the `budget` that `max_memory` leaves beside the replicates kept."""
    if working > budget:
        raise InvalidArgumentError(
            f"`batch`={batch:,} replicates per chunk would need about {byte_size(working)} of "
            f"working memory for these data (with `workers`={workers}), more than the "
            f"{byte_size(budget)} `max_memory` leaves beside the replicates kept; lower "
            "`batch` (or leave it unset) or raise `max_memory`."
        )


def seed_material(rng: object) -> int:
    """Normalise `rng` once into the integer seed material recorded in the report."""
    if rng is None:
        entropy = np.random.SeedSequence().entropy
        if not isinstance(entropy, int):  # pragma: no cover - numpy always gives an int
            raise TypeError("numpy gave no integer entropy")
        return entropy
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(0, 2**63))
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        if int(rng) < 0:
            raise InvalidArgumentError(f"`rng` must be a non-negative integer seed; got {rng!r}.")
        return int(rng)
    raise TypeError(
        f"`rng` must be None, a non-negative integer or a numpy.random.Generator; got {rng!r}."
    )


def callback(value: object, name: str, signature: str) -> Callable[[int, int], object] | None:
    """None or a callable."""
    if value is not None and not callable(value):
        raise TypeError(f"`{name}` must be a callable {signature}; got {value!r}.")
    return value
