"""The one number formatter every renderer shares."""

from __future__ import annotations

import math

__all__ = [
    "MISSING", "fmt", "fmt_interval", "fmt_level", "fmt_p", "fmt_rank", "fmt_rank_set", "fmt_signed",
]  # fmt: skip

MISSING = "n/a"


def _is_negative_zero(text: str) -> bool:
    """A value that rounds to zero from below ("-0", "-0.000") is shown unsigned."""
    return text.startswith("-") and set(text[1:]) <= {"0", "."}


def fmt(value: float, digits: int = 3) -> str:
    """A number with `digits` decimals; NaN as ``n/a``."""
    if value is None or math.isnan(value):
        return MISSING
    out = f"{value:.{digits}f}"
    return out[1:] if _is_negative_zero(out) else out


def fmt_signed(value: float, digits: int = 3) -> str:
    """A number with an explicit sign (gaps read as directions)."""
    if value is None or math.isnan(value):
        return MISSING
    out = f"{value:+.{digits}f}"
    return "+" + out[1:] if _is_negative_zero(out) else out


def fmt_interval(low: float, high: float, digits: int = 3, *, signed: bool = False) -> str:
    """``[low, high]``; empty when no interval was computed."""
    if math.isnan(low) and math.isnan(high):
        return ""
    f = fmt_signed if signed else fmt
    return f"[{f(low, digits)}, {f(high, digits)}]"


def fmt_level(level: float) -> str:
    """A confidence level as a percentage: "95%", and "97.5%" rather than a rounded "98%"."""
    percent = round(level * 100, 6)
    return f"{percent:.0f}%" if percent == int(percent) else f"{percent:g}%"


def fmt_rank(value: float) -> str:
    """A rank: an integer, or one decimal for a shared (tied) rank."""
    if math.isnan(value):
        return MISSING
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def fmt_rank_set(value: float, rank_set: tuple[int, ...] | None) -> str:
    """A rank with its simultaneous confidence set: ``1 [1-2]``; the rank alone without one."""
    if rank_set is None:
        return fmt_rank(value)
    low, high = rank_set
    return f"{fmt_rank(value)} [{low}-{high}]" if low != high else f"{fmt_rank(value)} [{low}]"


def fmt_p(value: float) -> str:
    """A p-value: three decimals, ``<0.001`` below that."""
    if math.isnan(value):
        return MISSING
    return "<0.001" if value < 0.001 else f"{value:.3f}"
