"""Hazard points, stations, assignments and readings inserted directly (Core bulk inserts in one unit of work), for
the tests of thresholds and rules and for bench/monitoring_rules.py: the ingest of readings is not this module's."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select

from services import vocabulary
from services.db.uow import unit_of_work
from services.models import HazardPoint, HazardStation, MonitoringStation, Reading

T = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.timezone.utc)  # the evaluation time of the hand-computed tests
HOME, AWAY = "500114001", "500114002"  # 城东街道, 城南街道
HYDRO, RAIN, GEO, QUAKE, WEATHER, FIRE = vocabulary.STATION_KINDS


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)


def hazard_rows(points: list[tuple[str, float, float, str]]) -> list[dict]:
    """(code, lon, lat, township) → hazard_point rows."""
    return [{"code": code, "name": code, "hazard_type": vocabulary.HAZARD_TYPES[0], "threatened_households": 1,
             "threatened_people": 3, "threatened_property_10k_yuan": 1.0, "stability": vocabulary.HAZARD_STABILITY[2],
             "influence_radius_m": 50.0, "warning_level": vocabulary.WARNING_NONE, "lon": lon, "lat": lat,
             "geom": f"POINT({lon} {lat})", "township_code": township, "is_sample": False}
            for code, lon, lat, township in points]


def station_rows(stations: list[tuple[str, str, float, float, int, str]]) -> list[dict]:
    """(code, kind, lon, lat, interval_min, township) → monitoring_station rows."""
    return [{"code": code, "name": code, "kind": kind, "status": vocabulary.STATION_NORMAL, "interval_min": interval,
             "lon": lon, "lat": lat, "geom": f"POINT({lon} {lat})", "township_code": township, "is_sample": False}
            for code, kind, lon, lat, interval, township in stations]


def add_world(settings, hazards: list[tuple], stations: list[tuple], links: list[tuple[str, str]] = ()) -> dict:
    """Insert hazard points, stations and explicit links (hazard code, station code); returns code → id of both."""
    with unit_of_work(settings, write=True) as uow:
        s = uow.session
        if hazards:
            s.execute(insert(HazardPoint), hazard_rows(hazards))
        if stations:
            s.execute(insert(MonitoringStation), station_rows(stations))
        ids = dict(s.execute(select(HazardPoint.code, HazardPoint.id)).all())
        ids |= dict(s.execute(select(MonitoringStation.code, MonitoringStation.id)).all())
        if links:
            s.execute(insert(HazardStation), [{"hazard_point_id": ids[h], "station_id": ids[st],
                                               "assigned": vocabulary.STATION_EXPLICIT, "distance_m": 0.0}
                                              for h, st in links])
    return ids


def add_readings(settings, rows: list[tuple[int, str, dt.datetime, float]], drill_id: int = 0) -> None:
    """(station id, kind, at, value) → reading rows, in one unit of work."""
    with unit_of_work(settings, write=True) as uow:
        uow.session.execute(insert(Reading), [{"drill_id": drill_id, "station_id": s, "kind": k, "at": at,
                                               "value": v, "received_at": at} for s, k, at, v in rows])
