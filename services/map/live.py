"""What changes on 一张图 while it is open (the map is live like the duty view): incidents in progress and the
warning areas in force, with the change counter they were read at, so that the page redraws only on a change."""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

import shapely
from sqlalchemy import select

from services import vocabulary
from services.db import audit
from services.db.uow import UnitOfWork
from services.dispatch.incidents import list_incidents
from services.dispatch.warnings import active_warnings
from services.models import Warning


@dataclass(frozen=True)
class LiveOverlays:
    version: int     # the change counter (services.db.audit) these were read at
    incidents: dict  # GeoJSON points: id, title, level, status
    warnings: dict   # GeoJSON areas: id, level, colour, headline

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


def change_version(uow: UnitOfWork) -> int:
    """The change counter: it moves on every audited write (closures, incidents, warnings, positions, ...)."""
    return audit.change_counter(uow.session)


def live_overlays(uow: UnitOfWork) -> LiveOverlays:
    """Incidents not closed and warnings in force (township staff: theirs), read from one snapshot."""
    version = change_version(uow)
    incidents = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [i["lon"], i["lat"]]},
                  "properties": {"id": i["id"], "title": i["title"], "level": i["level"], "status": i["status"]}}
                 for i in list_incidents(uow, active_only=True)]
    ids = [w["id"] for w in active_warnings(uow)]
    rows = uow.session.scalars(select(Warning).where(Warning.id.in_(ids)).order_by(Warning.id)).all() if ids else []
    areas = [{"type": "Feature", "geometry": json.loads(shapely.to_geojson(shapely.set_precision(w.area, 1e-6))),
              "properties": {"id": w.id, "level": w.level, "headline": w.headline,
                             "colour": vocabulary.WARNING_COLOURS.get(w.level, "#d62828")}}
             for w in rows if w.area is not None]
    return LiveOverlays(version, {"type": "FeatureCollection", "features": incidents},
                        {"type": "FeatureCollection", "features": areas})
