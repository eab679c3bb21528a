"""One feature's full record for the details panel: labelled fields, township, nearest shelter and depot."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from geo.distance import nearest
from services.clock import format_local
from services.data.specs import SPECS
from services.db.uow import UnitOfWork
from services.map.layers import POINT_LAYERS, LayerFilter, point_layer
from services.models import Depot, Shelter, Township
from services.text import both

# Labels of fields that are not import columns (catalogue keys ``label.<field>``).
EXTRA_FIELDS = ("township_name", "capacity_people", "available_places", "below_minimum", "expired", "is_sample",
                "location_quality", "interval_min", "last_reading_at")
LOCAL_TIMES = ("last_reading_at",)  # instants shown in the deployment's zone (2026-07-02 08:00), not as stored
EXTRA_LABELS: dict[str, tuple[str, str]] = {name: both(f"label.{name}") for name in EXTRA_FIELDS}
_HIDDEN = {"id", "layer", "township_code", "township", "occupancy_class", "lon", "lat"}


@dataclass(frozen=True)
class Nearby:
    kind: str          # "shelter" or "depot"
    id: int
    name: str
    distance_m: float  # straight-line (great-circle), not by road


@dataclass(frozen=True)
class FeatureDetails:
    layer: str
    id: int
    name: str
    lon: float
    lat: float
    fields: list[tuple[str, str, str, object]]  # (field, label zh, label en, value)
    nearby: list[Nearby]
    properties: dict


def _labels(layer: str) -> dict[str, tuple[str, str]]:
    return {c.field: (c.header, c.header_en) for c in SPECS[layer].columns} | EXTRA_LABELS


def feature_details(uow: UnitOfWork, layer: str, feature_id: int) -> FeatureDetails | None:
    """The record of ``layer`` with ``feature_id`` (None if there is none), labelled, with what is nearest."""
    model = POINT_LAYERS[layer]
    session = uow.session
    record = session.get(model, feature_id)
    if record is None:
        return None
    uow.principal.require_township("map.read", record.township_code)  # township staff: their own only
    township = session.get(Township, record.township_code)
    shelters = session.execute(select(Shelter.id, Shelter.name, Shelter.lon, Shelter.lat)).all()
    depots = session.execute(select(Depot.id, Depot.name, Depot.lon, Depot.lat)).all()
    props = _record_properties(uow, layer, record)
    props["township_name"] = township.name if township else None
    props["township_name_en"] = township.name_en if township else None  # shown in English pages
    labels = _labels(layer)
    fields = [(k, *labels.get(k, (k, k)), format_local(v, uow.settings) if k in LOCAL_TIMES and v else v)
              for k, v in props.items() if k not in _HIDDEN and k in labels]
    nearby = []
    for kind, rows in (("shelter", shelters), ("depot", depots)):
        rows = [r for r in rows if not (kind == "shelter" and layer == "shelters" and r.id == record.id) and
                not (kind == "depot" and layer == "depots" and r.id == record.id)]
        i, distance = nearest(record.lon, record.lat, [r.lon for r in rows], [r.lat for r in rows])
        if i >= 0:
            nearby.append(Nearby(kind, rows[i].id, rows[i].name, round(distance)))
    return FeatureDetails(layer, record.id, record.name, record.lon, record.lat, fields, nearby, props)


def _record_properties(uow: UnitOfWork, layer: str, record) -> dict:
    """The record's columns plus computed fields, as the full layer view gives them."""
    return dict(point_layer(uow, layer, LayerFilter(feature_id=record.id), "full").features[0].properties)
