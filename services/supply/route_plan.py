"""What a supply route plan is: vehicles with their stops and loads, the shelters left unserved and why, totals.

Typed records for the page, the dispatch sheets and the API; ``to_json()`` gives the field names the API has always
given (an unserved shelter's ``reason`` in Chinese, with ``reason_en`` and ``reason_code`` beside it), and
``from_json()`` reads that back (the page keeps the last plan in the browser to compare with the next).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from services.text.reasons import Reason


@dataclass(frozen=True)
class StopItem:
    code: str
    name: str
    unit: str
    quantity: float


@dataclass(frozen=True)
class Stop:
    """One visit of a vehicle: what it unloads at a shelter and when it arrives (seconds after setting out)."""

    shelter_id: int
    name: str
    kg: int
    m3: float
    eta_s: int
    latest_s: int | None  # the visit's time window ends here; None: any time in the shift
    late: bool
    critical: bool        # water, food and medicine only
    items: tuple[StopItem, ...]


@dataclass(frozen=True)
class VehicleRoute:
    plate: str
    kind: str
    depot: str
    stops: tuple[Stop, ...]
    kg: int
    distance_m: int
    duration_s: int
    geometry: dict | None = None  # GeoJSON LineString along the roads, depot → stops → depot

    def to_json(self) -> dict:
        data = asdict(self)
        if self.geometry is None:
            del data["geometry"]
        return data

    @classmethod
    def from_json(cls, d: dict) -> VehicleRoute:
        stops = tuple(Stop(**{**s, "items": tuple(StopItem(**x) for x in s["items"])}) for s in d["stops"])
        return cls(d["plate"], d["kind"], d["depot"], stops, d["kg"], d["distance_m"], d["duration_s"],
                   d.get("geometry"))


@dataclass(frozen=True)
class Unserved:
    """A shelter (or a share of its demand) no vehicle serves, and why."""

    shelter_id: int
    name: str
    kg: int
    reason: Reason

    def to_json(self) -> dict:
        return {"shelter_id": self.shelter_id, "name": self.name, "kg": self.kg, "reason": self.reason.text("zh"),
                "reason_en": self.reason.text("en"), "reason_code": self.reason.to_json()}

    @classmethod
    def from_json(cls, d: dict) -> Unserved:
        reason = Reason.from_json(d["reason_code"]) if d.get("reason_code") else \
            Reason("plan.unmet.saved", {"text": d.get("reason", "")})
        return cls(d["shelter_id"], d["name"], d["kg"], reason)


@dataclass(frozen=True)
class RouteTotals:
    distance_m: int
    duration_s: int
    kg: int


@dataclass(frozen=True)
class RoutePlan:
    feasible: bool
    synthetic_network: bool
    vehicles: tuple[VehicleRoute, ...]
    unserved: tuple[Unserved, ...]
    totals: RouteTotals

    def to_json(self) -> dict:
        return {"feasible": self.feasible, "synthetic_network": self.synthetic_network,
                "vehicles": [v.to_json() for v in self.vehicles], "unserved": [u.to_json() for u in self.unserved],
                "totals": asdict(self.totals)}

    @classmethod
    def from_json(cls, d: dict) -> RoutePlan:
        return cls(bool(d["feasible"]), bool(d["synthetic_network"]),
                   tuple(VehicleRoute.from_json(v) for v in d["vehicles"]),
                   tuple(Unserved.from_json(u) for u in d["unserved"]), RouteTotals(**d["totals"]))
