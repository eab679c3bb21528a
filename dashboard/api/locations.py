"""待核实 locations: records placed from their address, and moving one to its spot (audited)."""
from __future__ import annotations

from flask import Blueprint

from dashboard.api.models import body, parse, responds
from dashboard.api.models.locations import LocationMove, MovedRecord, UnverifiedLocations
from dashboard.api.support import json_body, unit
from services.data.locations import move_record, unverified_locations

locations_api = Blueprint("locations_api", __name__)


@locations_api.get("/api/v1/locations/unverified")
@responds(UnverifiedLocations, errors=(503,))
def unverified():
    """Records without given coordinates, placed at their village (村级) or township seat (乡镇级)."""
    with unit() as uow:
        return {"locations": [u.to_json() for u in unverified_locations(uow)]}


@locations_api.patch("/api/v1/locations/<layer>/<id:record_id>")
@body(LocationMove)
@responds(MovedRecord, errors=(400, 404, 415, 503))
def move(layer: str, record_id: int):
    """Move a record to its spot (WGS-84): its location becomes 坐标 and the move is audited (record.edit)."""
    req = parse(LocationMove, json_body())
    with unit(write=True) as uow:
        return move_record(uow, layer, record_id, req.lon, req.lat).to_json()
