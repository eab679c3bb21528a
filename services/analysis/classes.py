"""Class breaks for choropleths and density maps (mapclassify): quantiles or natural breaks (Fisher-Jenks).

Every class holds at least one value and classes never overlap: where a scheme's breaks coincide (many
townships with 0 hazard points) the empty classes are dropped, and with no more distinct values than classes
each distinct value is a class of its own, labelled by that value ("0"), never as a range "0 – 0".
"""
from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import mapclassify
import numpy as np

SCHEMES = ("quantiles", "natural_breaks")
DEFAULT_CLASSES = 5
MIN_CLASSES, MAX_CLASSES = 2, 9


@dataclass(frozen=True)
class ValueClass:
    """One class: the smallest and largest value in it, how many values it holds, and its legend label."""

    lower: float
    upper: float
    count: int
    label: str

    def to_json(self) -> dict:
        return asdict(self)


def _number(value: float, digits: int = 4) -> str:
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{value:.0f}"
    return f"{value:.{digits}g}"


def _label(lower: float, upper: float) -> str:
    """"3", or "1 – 2.5" with as many significant digits as it takes for the two ends to read differently."""
    if lower == upper:
        return _number(lower)
    for digits in range(2, 16):
        low, high = _number(lower, digits), _number(upper, digits)
        if low != high:
            return f"{low} – {high}"
    return f"{lower!r} – {upper!r}"


def _bins(data: np.ndarray, scheme: str, k: int) -> np.ndarray:
    """The class of each value under ``scheme`` (ids ascend with the values; some ids may be unused)."""
    with warnings.catch_warnings():  # mapclassify warns about duplicate quantiles: they are merged below
        warnings.simplefilter("ignore")
        if scheme == "quantiles":
            return mapclassify.Quantiles(data, k=k).yb
        return mapclassify.FisherJenks(data, k=k).yb


def class_breaks(values: Iterable[float | None], scheme: str = "quantiles",
                 k: int = DEFAULT_CLASSES) -> list[ValueClass]:
    """Up to ``k`` non-empty, ascending, disjoint classes of ``values`` (None and NaN left out).

    Each class's ``upper`` is its largest value, so ``value <= upper`` of the first class that admits it
    classifies every value the same way as the scheme did.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r} (one of {', '.join(SCHEMES)})")
    if not MIN_CLASSES <= k <= MAX_CLASSES:
        raise ValueError(f"classes must be {MIN_CLASSES}–{MAX_CLASSES}, not {k}")
    data = np.asarray([float(v) for v in values if v is not None], dtype=float)
    data = data[np.isfinite(data)]
    if data.size == 0:
        return []
    distinct = np.unique(data)
    if distinct.size <= k:  # few values (or all equal): one class per value
        bins = np.searchsorted(distinct, data)
    else:
        bins = _bins(data, scheme, k)
    classes = []
    for b in np.unique(bins):  # only the ids in use: empty classes vanish
        members = data[bins == b]
        lower, upper = float(members.min()), float(members.max())
        classes.append(ValueClass(lower, upper, int(members.size), _label(lower, upper)))
    return classes


def class_of(value: float | None, classes: list[ValueClass]) -> int | None:
    """The index of the class ``value`` falls in (by the uppers), or None for no value."""
    if value is None or not classes:
        return None
    for i, c in enumerate(classes):
        if value <= c.upper:
            return i
    return len(classes) - 1
