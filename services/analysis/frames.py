"""The records the analyses read, as GeoDataFrames in WGS-84 (EPSG:4326), and their projection to metres.

Metric work (distances, hexagon grids) projects to the CGCS2000 3-degree Gauss-Krüger zone of the district
(EPSG:4545, central meridian 108°E, for Qianjiang), derived from the townships' seats so another county gets
its own zone. The CRS travels with every frame; nothing here measures in degrees.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import geopandas as gpd
import pandas as pd
from sqlalchemy import func, or_, select

from geo.candidates import metric_crs
from services import vocabulary
from services.clock import local_today
from services.db.uow import UnitOfWork
from services.errors import FieldError
from services.evacuation.capacity import available_places, shelter_capacity
from services.models import (
    Depot,
    Enterprise,
    HazardPoint,
    MonitoringStation,
    RescueTeam,
    Shelter,
    StockLine,
    SupplyItem,
    Township,
)
from services.monitoring.stations import derived_statuses
from services.text import t

WGS84 = "EPSG:4326"

# Filter parameter → (the vocabulary it takes, the column it filters).
FILTER_VOCABULARIES: dict[str, tuple[str, ...]] = {
    "sector": tuple(vocabulary.ENTERPRISE_SECTORS), "risk_level": vocabulary.RISK_LEVELS,
    "hazard_type": vocabulary.HAZARD_TYPES, "warning_level": vocabulary.WARNING_LEVELS,
}


@dataclass(frozen=True)
class AnalysisFilter:
    """What a figure is limited to; an empty tuple means all. Sector and risk level select enterprises, hazard
    type and warning level select hazard points, townships select everything."""

    township: tuple[str, ...] = ()
    sector: tuple[str, ...] = ()
    risk_level: tuple[str, ...] = ()
    hazard_type: tuple[str, ...] = ()
    warning_level: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {name: list(values) for name, values in asdict(self).items()}


def _values(raw: str | Sequence[str] | None) -> tuple[str, ...]:
    if raw is None:
        return ()
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    return tuple(dict.fromkeys(str(v).strip() for v in items if str(v).strip()))


def parse_filter(args: Mapping[str, object], known_townships: set[str]) -> AnalysisFilter:
    """The filter from comma-separated values (or lists); an unknown value raises FieldError naming its parameter."""
    townships = _values(args.get("township"))  # type: ignore[arg-type]
    for code in townships:
        if code not in known_townships:
            raise FieldError.of("township", "filter.township", township=code)
    chosen: dict[str, tuple[str, ...]] = {}
    for name, allowed in FILTER_VOCABULARIES.items():
        chosen[name] = _values(args.get(name))  # type: ignore[arg-type]
        bad = [v for v in chosen[name] if v not in allowed]
        if bad:
            raise FieldError.of(name, "filter.value", value=bad[0], name=name,
                                allowed=t("list.separator").join(allowed),
                                allowed_en=t("list.separator", "en").join(allowed))
    return AnalysisFilter(township=townships, **chosen)


def district_crs(uow: UnitOfWork) -> str:
    """The metric CRS of the district: the zone of the middle of its township seats (EPSG:4545 for Qianjiang)."""
    low, high = uow.session.execute(select(func.min(Township.seat_lon), func.max(Township.seat_lon))).one()
    return metric_crs((low + high) / 2) if low is not None else metric_crs(108.0)


def _points(rows, columns: list[str], index: str = "id") -> gpd.GeoDataFrame:
    frame = pd.DataFrame(list(rows), columns=columns)
    geometry = gpd.points_from_xy(frame.pop("lon"), frame.pop("lat"))
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=WGS84).set_index(index)


def _where(column, values: tuple[str, ...]) -> list:
    return [column.in_(values)] if values else []


def townships_frame(uow: UnitOfWork, flt: AnalysisFilter = AnalysisFilter()) -> gpd.GeoDataFrame:
    """Townships (index: code) with names, population and whether it is sample, and their polygons."""
    rows = uow.session.execute(
        select(Township.code, Township.name, Township.name_en, Township.population, Township.population_is_sample,
               Township.geom).where(*_where(Township.code, flt.township)).order_by(Township.code)).all()
    frame = pd.DataFrame([r[:5] for r in rows],
                         columns=["code", "name", "name_en", "population", "population_is_sample"])
    frame["population"] = frame["population"].astype("Int64")
    return gpd.GeoDataFrame(frame, geometry=[r[5] for r in rows], crs=WGS84).set_index("code")


ENTERPRISE_COLUMNS = ["id", "township_code", "sector", "scale", "risk_level", "duty_card_status",
                      "open_hidden_dangers", "lon", "lat"]


def enterprises_frame(uow: UnitOfWork, flt: AnalysisFilter = AnalysisFilter()) -> gpd.GeoDataFrame:
    """Enterprises under the filter's townships, sectors and risk levels."""
    rows = uow.session.execute(select(*(getattr(Enterprise, c) for c in ENTERPRISE_COLUMNS)).where(
        *_where(Enterprise.township_code, flt.township), *_where(Enterprise.sector, flt.sector),
        *_where(Enterprise.risk_level, flt.risk_level)).order_by(Enterprise.id))
    return _points(rows, ENTERPRISE_COLUMNS)


HAZARD_COLUMNS = ["id", "township_code", "hazard_type", "warning_level", "stability", "threatened_people",
                  "threatened_households", "threatened_property_10k_yuan", "lon", "lat"]


def hazards_frame(uow: UnitOfWork, flt: AnalysisFilter = AnalysisFilter()) -> gpd.GeoDataFrame:
    """Hazard points under the filter's townships, hazard types and warning levels."""
    rows = uow.session.execute(select(*(getattr(HazardPoint, c) for c in HAZARD_COLUMNS)).where(
        *_where(HazardPoint.township_code, flt.township), *_where(HazardPoint.hazard_type, flt.hazard_type),
        *_where(HazardPoint.warning_level, flt.warning_level)).order_by(HazardPoint.id))
    return _points(rows, HAZARD_COLUMNS)


def shelters_frame(uow: UnitOfWork, flt: AnalysisFilter = AnalysisFilter()) -> gpd.GeoDataFrame:
    """Shelters of the filter's townships with their capacity and free places (a closed shelter has none free)."""
    rows = uow.session.execute(select(
        Shelter.id, Shelter.township_code, Shelter.status, Shelter.shelter_type, Shelter.declared_capacity_people,
        Shelter.effective_area_m2, Shelter.occupancy_people, Shelter.blocked_places, Shelter.lon, Shelter.lat)
        .where(*_where(Shelter.township_code, flt.township)).order_by(Shelter.id)).all()
    shaped = []
    for r in rows:
        capacity = shelter_capacity(uow.settings, r.declared_capacity_people, r.effective_area_m2, r.shelter_type)
        is_open = r.status != vocabulary.SHELTER_CLOSED
        free = available_places(capacity, r.occupancy_people, r.blocked_places) if is_open else 0
        shaped.append((r.id, r.township_code, r.status, capacity, free, is_open, r.lon, r.lat))
    return _points(shaped, ["id", "township_code", "status", "capacity_people", "available_places", "is_open",
                            "lon", "lat"])


def stations_frame(uow: UnitOfWork) -> gpd.GeoDataFrame:
    """Monitoring stations with their kind and status (正常 / 离线, as their readings say: services/monitoring)."""
    statuses = derived_statuses(uow)
    rows = uow.session.execute(select(MonitoringStation.id, MonitoringStation.kind, MonitoringStation.status,
                                      MonitoringStation.lon, MonitoringStation.lat).order_by(MonitoringStation.id))
    return _points([(i, kind, statuses.get(i, status), lon, lat) for i, kind, status, lon, lat in rows],
                   ["id", "kind", "status", "lon", "lat"])


def teams_frame(uow: UnitOfWork) -> gpd.GeoDataFrame:
    """Rescue teams at their bases, with their township and members."""
    rows = uow.session.execute(select(RescueTeam.id, RescueTeam.township_code, RescueTeam.kind, RescueTeam.members,
                                      RescueTeam.status, RescueTeam.lon, RescueTeam.lat).order_by(RescueTeam.id))
    return _points(rows, ["id", "township_code", "kind", "members", "status", "lon", "lat"])


def stock_kg_by_township(uow: UnitOfWork) -> pd.Series:
    """Unexpired stock held in each township's depots, in kg (quantity × unit weight), by township code."""
    today = local_today(uow.settings)
    rows = uow.session.execute(
        select(Depot.township_code, StockLine.quantity, SupplyItem.unit_weight_kg)
        .join(StockLine, StockLine.depot_id == Depot.id).join(SupplyItem, SupplyItem.code == StockLine.item_code)
        .where(or_(StockLine.expires_on.is_(None), StockLine.expires_on >= today))).all()
    frame = pd.DataFrame(rows, columns=["township_code", "quantity", "unit_weight_kg"])
    if frame.empty:
        return pd.Series(dtype=float)
    kg = frame["quantity"].astype(float) * frame["unit_weight_kg"].astype(float)
    return kg.groupby(frame["township_code"]).sum()


def to_metric(frame: gpd.GeoDataFrame, crs: str) -> gpd.GeoDataFrame:
    """``frame`` projected to the metric ``crs`` (from :func:`district_crs`); refuses a frame without a CRS."""
    if frame.crs is None:
        raise ValueError("a frame without a CRS cannot be projected")
    return frame.to_crs(crs)
