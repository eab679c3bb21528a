"""Road attributes as OSM tags or file columns write them: one-way, access restrictions and speed limits.

The same rules read an OSM way's tags and a GeoJSON/GeoPackage/Shapefile feature's columns, so a network means
the same whichever format it came in. Unknown values are not guessed: they count in a ``TagReport``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

ONEWAY_FORWARD = ("yes", "true", "1")
ONEWAY_REVERSE = ("-1", "reverse")
ONEWAY_NO = ("no", "false", "0", "")
NO_ACCESS = ("no", "private")
VEHICLE_KEYS = ("access", "vehicle", "motor_vehicle", "motorcar")  # the last one given decides
IMPLIED_ONEWAY = ("motorway", "motorway_link")
# service=* kinds kept for driving when the import keeps "public" service roads (the default)
PUBLIC_SERVICE = ("", "alley", "emergency_access", "yes")
# Default limits of maxspeed zones (km/h), from the OSM wiki's "Default speed limits"; others are ignored.
ZONE_SPEEDS_KMH: dict[str, float] = {
    "CN:urban": 50, "CN:rural": 70, "CN:motorway": 120, "CN:expressway": 100,
    "DE:urban": 50, "DE:rural": 100, "FI:urban": 50, "FI:rural": 80, "RU:urban": 60, "RU:rural": 90,
    "FR:urban": 50, "FR:rural": 80, "GB:nsl_single": 96.6, "GB:nsl_dual": 112.7,
}
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(km/h|kmh|kph|mph|knots)?\s*$")
_UNITS = {None: 1.0, "km/h": 1.0, "kmh": 1.0, "kph": 1.0, "mph": 1.609344, "knots": 1.852}


@dataclass
class TagReport:
    """How many values of each kind were not understood (and so ignored), and how many lines each rule hit."""

    oneway_unknown: dict[str, int] = field(default_factory=dict)
    maxspeed_ignored: dict[str, int] = field(default_factory=dict)
    maxspeed_used: int = 0
    not_drivable: int = 0
    not_walkable: int = 0
    cut_at_edge: int = 0
    dropped_outside: int = 0

    def count(self, table: dict[str, int], value: str) -> None:
        table[value] = table.get(value, 0) + 1


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip().lower()


def parse_oneway(value, report: TagReport | None = None) -> int:
    """1: one-way along the line, -1: one-way against it, 0: both ways (unknown values too, counted)."""
    text = _text(value)
    if text in ONEWAY_FORWARD:
        return 1
    if text in ONEWAY_REVERSE:
        return -1
    if text not in ONEWAY_NO and report is not None:
        report.count(report.oneway_unknown, text)  # reversible, alternating: time-dependent, taken as two-way
    return 0


def parse_maxspeed(value, report: TagReport | None = None) -> float | None:
    """A speed limit in km/h ("50", "50 km/h", "30 mph", "CN:urban"; the lowest of "50;70"), else None."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    speeds = []
    for part in text.split(";"):
        match = _NUMBER.match(part.lower())
        if match:
            speeds.append(float(match.group(1)) * _UNITS[match.group(2)])
        elif part.strip() in ZONE_SPEEDS_KMH:
            speeds.append(ZONE_SPEEDS_KMH[part.strip()])
    if not speeds or min(speeds) <= 0:
        if report is not None:
            report.count(report.maxspeed_ignored, text)
        return None
    if report is not None:
        report.maxspeed_used += 1
    return round(min(speeds), 2)


def access_modes(tags, highway: str = "", service_roads: str = "public") -> tuple[bool, bool]:
    """(drivable, walkable) from access tags: access / vehicle / motor_vehicle / motorcar = no or private close
    a road to cars (the most specific key given wins), foot=no to walkers; ``service_roads`` is "all",
    "public" (driveways, parking aisles and drive-throughs closed to cars) or "none"."""
    drive = True
    for key in VEHICLE_KEYS:
        value = _text(tags.get(key))
        if value:
            drive = value not in NO_ACCESS
    if highway == "service":
        kind = _text(tags.get("service"))
        if service_roads == "none" or (service_roads == "public" and kind not in PUBLIC_SERVICE):
            drive = False
    foot = _text(tags.get("foot"))
    walk = highway not in IMPLIED_ONEWAY and highway != "motorway" if not foot else foot not in NO_ACCESS
    return drive, walk
