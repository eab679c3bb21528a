"""Monitoring stations for the readings tests: added to a ``fresh`` database (which has no sample) in one unit."""
from __future__ import annotations

from shapely.geometry import Point
from sqlalchemy import select, text

from services.db.uow import unit_of_work
from services.models import MonitoringStation, Township

# code → (kind, interval in minutes); the township is the first one unless given
STATIONS = {"RG-1": ("雨量", 60), "RG-2": ("雨量", 5), "HY-1": ("水文", 60), "GEO-1": ("地质灾害", 10),
            "WX-1": ("气象", 60), "EQ-1": ("地震", 60), "FF-1": ("森林防火", 30)}


def add_stations(settings, stations: dict | None = None, township: str | None = None,
                 status: str = "正常") -> dict[str, int]:
    """Stations (code → (kind, interval_min)) in ``township`` (default: the first one); returns code → id."""
    with unit_of_work(settings, write=True) as uow:
        home = township or uow.session.scalar(select(Township.code).order_by(Township.code))
        seat = uow.session.get(Township, home)
        rows = [MonitoringStation(code=code, name=f"station {code}", kind=kind, status=status, interval_min=interval,
                                  lon=seat.seat_lon, lat=seat.seat_lat, geom=Point(seat.seat_lon, seat.seat_lat),
                                  township_code=home)
                for code, (kind, interval) in (stations or STATIONS).items()]
        uow.session.add_all(rows)
        uow.session.flush()
        return {r.code: r.id for r in rows}


def count(settings, sql: str = "SELECT count(*) FROM reading", **params) -> int:
    with unit_of_work(settings) as uow:
        return uow.session.execute(text(sql), params).scalar_one()


def stored(settings) -> list[tuple]:
    """Every reading as (station code, kind, at in UTC, value, drill), in that order: read by SQL, not the services."""
    from services.models.monitoring import Reading
    with unit_of_work(settings) as uow:
        rows = uow.session.execute(select(MonitoringStation.code, Reading.kind, Reading.at, Reading.value,
                                          Reading.drill_id).join(MonitoringStation,
                                                                 MonitoringStation.id == Reading.station_id)
                                   .order_by(Reading.drill_id, MonitoringStation.code, Reading.kind, Reading.at))
        return [tuple(r) for r in rows]


def last_reading(settings, code: str):
    """A station's last_reading_at as stored (UTC)."""
    with unit_of_work(settings) as uow:
        return uow.session.scalar(select(MonitoringStation.last_reading_at).where(MonitoringStation.code == code))
