"""What a supply route plan is: vehicles with their stops and loads, the shelters left unserved and why, totals.

Typed records for the page, the dispatch sheets and the API; ``to_json()`` gives the field names the API has always
given (an unserved shelter's ``reason`` in Chinese, with ``reason_en`` and ``reason_code`` beside it), and
``from_json()`` reads that back (the page keeps the last plan in the browser to compare with the next, and to
re-plan from it: services/supply/replan.py).
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
    critical: bool = False  # ★ water, food, medicine: listed first


def _reason(d: dict | None) -> Reason | None:
    return Reason.from_json(d) if d else None


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
    items: tuple[StopItem, ...]  # ★ critical items first
    trip: int = 1         # the vehicle's trip (it reloads at its depot between trips)
    wave: int = 1         # 1: critical items (or the whole demand); 2: the rest, unloaded after them
    ready_s: int | None = None  # unloading starts no earlier (after the shelter's critical items); None: any time
    wait_s: int = 0       # the vehicle waits this long for ready_s
    split: Reason | None = None  # why this shelter gets more than one load (capacity)
    roads: tuple[str, ...] = ()  # roads followed from the previous stop (or the depot), in order
    contact_person: str | None = None
    contact_phone: str | None = None

    def to_json(self) -> dict:
        data = asdict(self)
        data["split"] = self.split.to_json() if self.split else None
        data["split_text"] = self.split.text("zh") if self.split else None
        data["split_text_en"] = self.split.text("en") if self.split else None
        return data

    @classmethod
    def from_json(cls, s: dict) -> Stop:
        fields = {k: v for k, v in s.items() if k in cls.__dataclass_fields__}
        return cls(**{**fields, "items": tuple(StopItem(**x) for x in s["items"]), "split": _reason(s.get("split")),
                      "roads": tuple(s.get("roads") or ())})


@dataclass(frozen=True)
class VehicleRoute:
    plate: str
    kind: str
    depot: str
    stops: tuple[Stop, ...]
    kg: int
    distance_m: int
    duration_s: int               # from setting out to the return from the last trip
    geometry: dict | None = None  # GeoJSON LineString along the roads, depot → stops → depot (each trip)
    driver_name: str | None = None
    driver_phone: str | None = None
    trips: int = 1

    def to_json(self) -> dict:
        data = asdict(self)
        data["stops"] = [s.to_json() for s in self.stops]
        if self.geometry is None:
            del data["geometry"]
        return data

    @classmethod
    def from_json(cls, d: dict) -> VehicleRoute:
        return cls(d["plate"], d["kind"], d["depot"], tuple(Stop.from_json(s) for s in d["stops"]), d["kg"],
                   d["distance_m"], d["duration_s"], d.get("geometry"), d.get("driver_name"), d.get("driver_phone"),
                   int(d.get("trips", 1)))

    def shelters(self) -> set[int]:
        return {s.shelter_id for s in self.stops}


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
class TruckChange:
    """What a re-plan changed for one vehicle: shelters added and removed (names), and its time."""

    plate: str
    status: str                  # "same", "changed", "new" (not in the previous plan), "dropped" (no route now)
    added: tuple[str, ...]
    removed: tuple[str, ...]
    duration_change_s: int       # this plan's time minus the previous one's

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict) -> TruckChange:
        return cls(d["plate"], d["status"], tuple(d["added"]), tuple(d["removed"]), int(d["duration_change_s"]))


@dataclass(frozen=True)
class RoutePlan:
    feasible: bool
    synthetic_network: bool
    vehicles: tuple[VehicleRoute, ...]
    unserved: tuple[Unserved, ...]
    totals: RouteTotals
    changes: tuple[TruckChange, ...] | None = None  # against the previous plan, when re-planned from one

    def to_json(self) -> dict:
        return {"feasible": self.feasible, "synthetic_network": self.synthetic_network,
                "vehicles": [v.to_json() for v in self.vehicles], "unserved": [u.to_json() for u in self.unserved],
                "totals": asdict(self.totals),
                "changes": None if self.changes is None else [c.to_json() for c in self.changes]}

    @classmethod
    def from_json(cls, d: dict) -> RoutePlan:
        changes = d.get("changes")
        return cls(bool(d["feasible"]), bool(d["synthetic_network"]),
                   tuple(VehicleRoute.from_json(v) for v in d["vehicles"]),
                   tuple(Unserved.from_json(u) for u in d["unserved"]), RouteTotals(**d["totals"]),
                   None if changes is None else tuple(TruckChange.from_json(c) for c in changes))
