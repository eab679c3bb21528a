"""Checking a batch of station readings before anything is written: its shape, each reading's station, kind, time,
value and unit, and readings given twice in it (services/monitoring/readings.py writes what passes).

Every refusal is a FieldError whose field is ``readings.<index>.<field>`` and whose text names the reading (its
index, or the sheet's row: ``where``), its station code and its time; ``params`` carry ``index`` for the edges.
"""
from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from services import vocabulary
from services.errors import FieldError
from services.text import both, t, term

FIELDS = ("station", "at", "kind", "value", "unit")
REQUIRED = ("station", "at", "kind", "value")
FUTURE_ALLOWED = dt.timedelta(minutes=5)  # clocks of field loggers drift; further ahead is a wrong zone or date
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.timezone.utc)
MAX_CODE = 40

Where = Callable[[int], tuple[str, str]]


def api_where(index: int) -> tuple[str, str]:
    """A reading of an API batch named by its 0-based index: ``readings[3]``."""
    return both("readings.where", index=index)


@dataclass(frozen=True, slots=True)
class Checked:
    """One reading as it will be stored: the station's id, the kind, the instant in UTC and the value in the kind's
    unit; ``index`` is its place in the batch."""

    index: int
    station_id: int
    kind: str
    at: dt.datetime
    value: float


@dataclass(frozen=True)
class Station:
    """What the checks need of a station: its id and kind."""

    id: int
    kind: str


class BatchChecker:
    """Checks readings one by one against the stations named in the batch (``stations``: code → Station)."""

    def __init__(self, stations: Mapping[str, Station], now: dt.datetime, where: Where = api_where):
        self.stations, self.where = stations, where
        self.latest_allowed = now + FUTURE_ALLOWED
        self._measured = {k: frozenset(v) for k, v in vocabulary.STATION_READING_KINDS.items()}

    def refuse(self, index: int, part: str, code: str, **params) -> FieldError:
        """The refusal of reading ``index`` for its field ``part`` (``readings.<index>.<part>``)."""
        where, where_en = self.where(index)
        error = FieldError.of(f"readings.{index}.{part}", code, where=where, where_en=where_en, **params)
        error.params["index"] = index
        error.params["reading_field"] = part
        return error

    def check(self, index: int, raw) -> Checked:
        if not isinstance(raw, Mapping):
            raise self.refuse(index, "reading", "readings.not_object")
        for name in REQUIRED:
            if raw.get(name) is None:
                raise self.refuse(index, name, "readings.missing", field=name)
        if len(raw) > 4:
            extra = next((k for k in raw if k not in FIELDS), None)
            if extra is not None:
                raise self.refuse(index, str(extra), "readings.extra", field=str(extra)[:40])
        code = raw["station"]
        if not isinstance(code, str) or not 0 < len(code) <= MAX_CODE:
            raise self.refuse(index, "station", "readings.station_text")
        shown = raw["at"] if isinstance(raw["at"], str) else str(raw["at"])
        at = self._instant(index, code, raw["at"], shown[:40])
        named = {"station": code, "at": shown[:40]}
        station = self.stations.get(code)
        if station is None:
            raise self.refuse(index, "station", "readings.unknown_station", **named)
        kind = raw["kind"]
        if kind not in vocabulary.READING_UNITS:
            raise self.refuse(index, "kind", "readings.unknown_kind", kind=str(kind)[:40],
                              kinds=", ".join(vocabulary.READING_KINDS), **named)
        if kind not in self._measured[station.kind]:
            measured = vocabulary.STATION_READING_KINDS[station.kind]
            raise self.refuse(index, "kind", "readings.kind_of_station", station_kind=station.kind,
                              station_kind_en=term(station.kind, "en").lower(),
                              measured=t("list.separator").join(term(k) for k in measured),
                              measured_en=", ".join(term(k, "en").lower() for k in measured),
                              **_kind_names(kind), **named)
        value = self._value(index, raw["value"], raw.get("unit"), kind, named)
        return Checked(index, station.id, kind, at, value)

    def _instant(self, index: int, code: str, raw, shown: str) -> dt.datetime:
        named = {"station": code, "at": shown}
        if isinstance(raw, dt.datetime):
            at = raw
        elif isinstance(raw, str) and 10 <= len(raw) <= 40:
            try:
                at = dt.datetime.fromisoformat(raw)
            except ValueError:
                raise self.refuse(index, "at", "readings.at_text", **named) from None
        else:
            raise self.refuse(index, "at", "readings.at_text", **named)
        if at.tzinfo is None or at.utcoffset() is None:
            raise self.refuse(index, "at", "readings.at_naive", **named)
        at = at.astimezone(dt.timezone.utc)
        if not EARLIEST <= at < LATEST:
            raise self.refuse(index, "at", "readings.at_range", **named)
        if at > self.latest_allowed:
            raise self.refuse(index, "at", "readings.at_future", minutes=int(FUTURE_ALLOWED.total_seconds() // 60),
                              **named)
        return at

    def _value(self, index: int, raw, unit, kind: str, named: dict) -> float:
        try:
            value = float(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else math.nan
        except OverflowError:  # an integer of 400 digits
            value = math.nan
        if not math.isfinite(value):
            raise self.refuse(index, "value", "readings.value_number", value=str(raw)[:40], **named)
        own = vocabulary.READING_UNITS[kind]
        if unit is not None and unit != own:
            value = self._converted(index, raw, unit, kind, own, named)
        low, high = vocabulary.READING_RANGES[kind]
        if not low <= value <= high:
            raise self.refuse(index, "value", "readings.value_range", value=_number(value), unit=own,
                              minimum=_number(low), maximum=_number(high), **_kind_names(kind), **named)
        return value

    def _converted(self, index: int, raw, unit, kind: str, own: str, named: dict) -> float:
        symbol = vocabulary.READING_UNIT_SPELLINGS.get(_unit_key(unit)) if isinstance(unit, str) else None
        factors = vocabulary.READING_UNIT_FACTORS.get((symbol, own)) if symbol else None
        if factors is None:
            convertible = sorted({s for s, target in vocabulary.READING_UNIT_FACTORS if target == own} - {own})
            raise self.refuse(index, "unit", "readings.unit", unit=str(unit)[:20], expected=own,
                              convertible=", ".join(convertible) or "-", **_kind_names(kind), **named)
        factor, offset = factors
        exact = Fraction(repr(raw) if isinstance(raw, float) else int(raw)) * Fraction(factor) + Fraction(offset)
        return float(exact)


def _unit_key(unit: str) -> str:
    """A unit as compared: NFKC (℃ → °C, full-width letters → ASCII), no spaces, lower-cased."""
    return "".join(unicodedata.normalize("NFKC", unit).split()).lower()


def _kind_names(kind: str) -> dict[str, str]:
    return {"kind_name": term(kind), "kind_name_en": term(kind, "en").lower()}


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def check_shape(readings, max_batch: int) -> Sequence:
    """The batch is a non-empty list of at most ``max_batch`` readings; raises FieldError naming ``readings``."""
    if not isinstance(readings, (list, tuple)):
        raise FieldError.of("readings", "readings.not_list")
    if not readings:
        raise FieldError.of("readings", "readings.empty")
    if len(readings) > max_batch:
        raise FieldError.of("readings", "readings.too_many", max=max_batch, count=len(readings))
    return readings


def named_codes(readings: Sequence) -> set[str]:
    """The station codes a batch names (readings that are not objects, or name no text code, are left for the
    checks to refuse in their order)."""
    codes = set()
    for raw in readings:
        if isinstance(raw, Mapping):
            code = raw.get("station")
            if isinstance(code, str):
                codes.add(code)
    return codes


def value_text(value: float) -> str:
    return _number(value)
