"""/api/v1/monitoring: 风险感知's station readings in (a batch, all or nothing), the stations with their status
derived from the readings, one station's series of a kind, and a station's or hazard point's chart series.

The batch is checked by the service, not by the request model (which documents it): every refusal then names the
reading's index, station and time, as the service words it.
"""
from __future__ import annotations

from flask import Blueprint, request
from werkzeug.exceptions import RequestEntityTooLarge

from dashboard.api.models import body, parse_query, query, responds
from dashboard.api.models.monitoring_charts import ChartOut, ChartQuery
from dashboard.api.models.monitoring_readings import (
    IngestAnswer,
    ReadingsBatch,
    ReadingsQuery,
    SeriesOut,
    StationList,
    StationsQuery,
)
from dashboard.api.support import app_settings, json_body, unit
from services.clock import from_user, now_utc
from services.errors import FieldError
from services.monitoring.chain import after_readings
from services.monitoring.charts import chart_series
from services.monitoring.readings import ingest
from services.monitoring.stations import list_stations, station_readings

monitoring_readings_api = Blueprint("monitoring_readings_api", __name__)
ROOT = "/api/v1/monitoring"
_BATCH_FIELDS = ("readings", "drill_id")
BYTES_PER_READING = 512  # {"station": "...", "at": "2026-07-02T08:00:00.000+08:00", "kind": "...", "value": …} is ~100


def body_cap() -> int:
    """The most a batch's body may be: the configured number of readings at a generous size each."""
    return app_settings().monitoring.max_batch * BYTES_PER_READING + 64 * 1024


def _batch_body() -> dict:
    request.max_content_length = body_cap()
    try:
        return json_body()
    except RequestEntityTooLarge:
        error = FieldError.of("body", "readings.body_too_large", max_mb=f"{body_cap() / 1048576:.0f}",
                              max=app_settings().monitoring.max_batch)
        error.code, error.status = "too_large", 413
        raise error from None


@monitoring_readings_api.post(f"{ROOT}/readings")
@body(ReadingsBatch)
@responds(IngestAnswer, 201, errors=(400, 403, 409, 413, 415, 503))
def readings_in():
    """Store a batch of station readings, all or nothing; a retry of a stored batch counts its readings as duplicates.

    400 names the reading (``readings.<index>.<field>``), its station and time: an unknown station or kind, a kind
    the station does not measure, a time without its zone or in the future, a value out of its physical range or in
    a unit that does not convert; 409 a reading stored already with another value (the stored one named); 413 a
    body over the cap (the batch's limit at 512 bytes a reading)."""
    raw = _batch_body()
    extra = next((name for name in raw if name not in _BATCH_FIELDS), None)
    if extra is not None:
        raise FieldError.of(str(extra)[:40], "readings.body_extra", field=str(extra)[:40])
    with unit(write=True) as uow:
        result = ingest(uow, raw.get("readings"), raw.get("drill_id", 0))
        return {**result.to_json(), **after_readings(uow, result).to_json()}  # the rule and its proposals, same unit


@monitoring_readings_api.get(f"{ROOT}/stations")
@query(StationsQuery)
@responds(StationList, errors=(400, 403, 503))
def stations():
    """Monitoring stations with their status derived from their readings and the newest reading of each kind."""
    req = parse_query(StationsQuery, request.args)
    now = now_utc()
    with unit() as uow:
        rows = list_stations(uow, now, township=req.township)
        n = uow.settings.monitoring.offline_intervals
    return {"now": now.isoformat(), "offline_intervals": n, "stations": [s.to_json() for s in rows]}


@monitoring_readings_api.get(f"{ROOT}/stations/<code>/readings")
@query(ReadingsQuery)
@responds(SeriesOut, errors=(400, 403, 404, 503))
def station_series(code: str):
    """One station's readings of one kind between ``from`` and ``to`` (UTC in the answer), oldest first."""
    req = parse_query(ReadingsQuery, request.args)
    with unit() as uow:
        start = from_user(req.start, uow.settings) if req.start else None
        end = from_user(req.end, uow.settings) if req.end else None
        return station_readings(uow, code, req.kind, start, end)


@monitoring_readings_api.get(f"{ROOT}/charts")
@query(ChartQuery)
@responds(ChartOut, errors=(400, 403, 404, 503))
def chart():
    """What a station's or a hazard point's chart draws over the last 24 or 72 h: the readings, the rolling rain
    sums and the displacement rate, and the thresholds that apply (a point's own beats a station's)."""
    req = parse_query(ChartQuery, request.args)
    with unit() as uow:
        return chart_series(uow, station_code=req.station, hazard_code=req.hazard, hours=req.hours)
