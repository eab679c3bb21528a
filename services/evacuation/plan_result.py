"""What an evacuation plan is: typed records of its rows, totals and shelters, and their JSON (API and storage).

The JSON keeps the field names the API has always given (``unmet_reason`` in Chinese, ``totals``, ``demand``,
…); the coded reason rides beside it (``unmet_code``, ``unmet_reason_en``) so a printout or page can render
it in either language. Plans saved before reasons were coded carry only the Chinese text; they load too.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from services.clock import as_utc
from services.evacuation.scenario import Scenario
from services.text import both, t
from services.text.reasons import Reason

OBJECTIVE_KEY = "plan.objective_flow"
UNSAVED_ID = 0  # the id of a plan computed and not stored (试算, services.evacuation.plans.what_if)


def made_by(author: str, actor: str, lang: str) -> str:
    """Who made a plan as people read it: "display name (account)", or the account name alone."""
    return t("plan.author", lang, name=author, username=actor) if author and author != actor else actor


def objective_text() -> str:
    """The objective as the JSON has always stated it: Chinese / English."""
    return " / ".join(both(OBJECTIVE_KEY))


@dataclass(frozen=True)
class Assignment:
    """People of one hazard point sent to one shelter, with the road route when one was found."""

    shelter_id: int
    shelter_name: str
    people: int
    travel_s: int
    to: tuple[float, float]                      # the shelter, [lon, lat]
    route: tuple[tuple[float, float], ...] | None  # road coordinates, hazard point → shelter; None: straight
    via: tuple[str, ...]                          # road names along the route

    def to_json(self) -> dict:
        return {"shelter_id": self.shelter_id, "shelter_name": self.shelter_name, "people": self.people,
                "travel_s": self.travel_s, "to": list(self.to),
                "route": None if self.route is None else [list(p) for p in self.route], "via": list(self.via)}

    @classmethod
    def from_json(cls, d: dict) -> Assignment:
        route = d.get("route")
        return cls(d["shelter_id"], d["shelter_name"], d["people"], d["travel_s"], tuple(d["to"]),
                   None if route is None else tuple(tuple(p) for p in route), tuple(d.get("via") or ()))


@dataclass(frozen=True)
class DemandRow:
    """A hazard point's people: where they go, and how many are left unhoused and why."""

    id: int
    name: str
    township_name: str
    lon: float
    lat: float
    people: int
    assigned: tuple[Assignment, ...]
    unmet: int
    unmet_reason: Reason | None
    township_code: str | None = None  # None in plans saved before codes were kept (their name is Chinese)

    def to_json(self) -> dict:
        reason = self.unmet_reason
        return {"id": self.id, "name": self.name, "township_code": self.township_code,
                "township_name": self.township_name, "lon": self.lon,
                "lat": self.lat, "people": self.people, "assigned": [a.to_json() for a in self.assigned],
                "unmet": self.unmet, "unmet_reason": reason.text("zh") if reason else None,
                "unmet_reason_en": reason.text("en") if reason else None,
                "unmet_code": reason.to_json() if reason else None}

    @classmethod
    def from_json(cls, d: dict) -> DemandRow:
        if d.get("unmet_code"):
            reason = Reason.from_json(d["unmet_code"])
        elif d.get("unmet_reason"):  # saved before reasons were coded: the stored text, as it was
            reason = Reason("plan.unmet.saved", {"text": d["unmet_reason"]})
        else:
            reason = None
        return cls(d["id"], d["name"], d["township_name"], d["lon"], d["lat"], d["people"],
                   tuple(Assignment.from_json(a) for a in d["assigned"]), d["unmet"], reason, d.get("township_code"))


@dataclass(frozen=True)
class PlanShelter:
    id: int
    name: str
    township_name: str
    lon: float
    lat: float
    available_before: int
    arrivals: int
    remaining: int
    township_code: str | None = None


@dataclass(frozen=True)
class PlanTotals:
    demand_points: int
    people: int
    assigned: int
    unmet: int
    max_travel_s: int | None
    mean_travel_s: int | None


@dataclass(frozen=True)
class RoadNetworkUsed:
    synthetic: bool
    nodes: int
    edges: int
    blocked_edges: int


@dataclass(frozen=True)
class PlanResult:
    """A computed plan (not yet saved): its scenario, the network it used, the rows, totals and shelters."""

    scenario: Scenario
    road_network: RoadNetworkUsed
    totals: PlanTotals
    demand: tuple[DemandRow, ...]
    shelters: tuple[PlanShelter, ...]
    objective: str = field(default_factory=lambda: objective_text())  # as the JSON states it

    def to_json(self) -> dict:
        return {"scenario": asdict(self.scenario), "road_network": asdict(self.road_network),
                "objective": self.objective, "totals": asdict(self.totals),
                "demand": [d.to_json() for d in self.demand], "shelters": [asdict(s) for s in self.shelters]}

    @classmethod
    def from_json(cls, d: dict) -> PlanResult:
        return cls(Scenario.saved(d["scenario"]), RoadNetworkUsed(**d["road_network"]), PlanTotals(**d["totals"]),
                   tuple(DemandRow.from_json(x) for x in d["demand"]),
                   tuple(PlanShelter(**s) for s in d["shelters"]), d.get("objective") or objective_text())


@dataclass(frozen=True)
class SavedPlan:
    """A stored plan: its id, name, when (aware UTC) and by whom it was made, and the plan."""

    id: int
    name: str
    created_at: dt.datetime
    actor: str
    plan: PlanResult
    author: str = ""  # the display name of the account that made it ("" when there is none: system, deleted)

    def made_by(self, lang: str) -> str:
        return made_by(self.author, self.actor, lang)

    @property
    def stored(self) -> bool:
        """Whether the plan is in the database (a what-if is not: it has no workbook, printout or GeoJSON)."""
        return self.id != UNSAVED_ID

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "created_at": as_utc(self.created_at).isoformat(),
                "actor": self.actor, **self.plan.to_json()}

    @classmethod
    def from_json(cls, d: dict) -> SavedPlan:
        """A plan from its JSON (a page's store); ``created_at`` as ISO text."""
        return cls(d["id"], d["name"], as_utc(dt.datetime.fromisoformat(d["created_at"])), d["actor"],
                   PlanResult.from_json(d))


@dataclass(frozen=True)
class PlanListing:
    """One line of the saved plans' list."""

    id: int
    name: str
    created_at: dt.datetime
    actor: str
    people: int
    assigned: int
    author: str = ""  # as on SavedPlan

    def made_by(self, lang: str) -> str:
        return made_by(self.author, self.actor, lang)

    @property
    def stored(self) -> bool:
        """Whether the plan is in the database (a what-if is not: it has no workbook, printout or GeoJSON)."""
        return self.id != UNSAVED_ID

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "created_at": as_utc(self.created_at).isoformat(),
                "actor": self.actor, "people": self.people, "assigned": self.assigned}
