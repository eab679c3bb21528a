"""/api/v1 endpoints of the map: townships, boundary, point layers, features, search, choropleth, drawn areas."""
from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, request, send_file

from dashboard.api.models import GEOJSON, XLSX, body, parse, parse_query, path, query, responds
from dashboard.api.models.geojson import FeatureCollection
from dashboard.api.models.map import (
    AreaRequest,
    AreaSummary,
    Choropleth,
    EntityPath,
    ImportablePath,
    TemplateQuery,
    FeatureDetails,
    FeaturePath,
    Health,
    HealthUnavailable,
    LayerPath,
    LayerQuery,
    MeasurePath,
    NearbyQuery,
    NearbySummary,
    SearchHits,
    SearchQuery,
)
from dashboard.api.support import app_settings, bad, unit
from services.data.specs import IMPORTABLE, SPECS
from services.data.templates import template_xlsx
from services.map.layers import (
    POINT_LAYERS,
    VIEWS,
    boundary_geojson,
    entity_counts,
    parse_filter,
    point_layer,
    township_codes,
    townships_geojson,
)
from services.text import both, t

api = Blueprint("api", __name__)


def _unknown_choice(what: str, value: str, allowed) -> tuple[str, str]:
    """(zh, en) reason for a path value that is none of ``allowed``, naming it as the catalogue's ``what``."""
    what_zh, what_en = both(what)
    return both("filter.choice", what=what_zh, what_en=what_en, value=value,
                allowed=t("list.separator").join(allowed), allowed_en=t("list.separator", "en").join(allowed))


@api.get("/healthz")
@responds(Health, errors={503: HealthUnavailable})
def healthz():
    """ok with counts per entity, or 503 saying the database cannot be reached (for monitors and load balancers)."""
    from sqlalchemy.exc import InterfaceError, OperationalError
    settings = app_settings()
    region = {"adcode": settings.region.adcode, "name": settings.region.name_zh}
    try:
        with unit() as uow:
            counts = entity_counts(uow)
    except (OperationalError, InterfaceError) as exc:
        reason, reason_en = both("health.unavailable")
        return HealthUnavailable.model_validate({
            "status": "unavailable", "database": settings.database_kind, "region": region,
            "reason": reason, "reason_en": reason_en,
            "detail": type(exc.orig).__name__ if getattr(exc, "orig", None) else type(exc).__name__,
        }).model_dump(), 503
    return {"status": "ok", "database": settings.database_kind, "region": region, "counts": counts}


@api.get("/api/v1/townships")
@responds(FeatureCollection, media_type=GEOJSON, errors=(503,))
def townships():
    """Townships (乡镇街道) with their official codes and seats."""
    with unit() as uow:
        return townships_geojson(uow)


@api.get("/api/v1/boundary")
@responds(FeatureCollection, media_type=GEOJSON, errors=(503,))
def boundary():
    """The district boundary and the neighbouring counties."""
    with unit() as uow:
        return boundary_geojson(uow)


@api.get("/api/v1/layers/<layer>")
@path(LayerPath)
@query(LayerQuery)
@responds(FeatureCollection, media_type=GEOJSON, errors=(400, 404, 503))
def layer(layer: str):
    """One point layer, filtered by township, bounding box, text and the layer's vocabulary fields."""
    if layer not in POINT_LAYERS:
        return bad("layer", *_unknown_choice("choice.layer", layer, POINT_LAYERS), 404)
    view = request.args.get("view", "full")
    if view not in VIEWS:
        return bad("view", *both("filter.view", view=view, allowed=t("list.separator").join(VIEWS),
                                 allowed_en=t("list.separator", "en").join(VIEWS)))
    with unit() as uow:
        flt = parse_filter(layer, request.args, township_codes(uow))
        result = point_layer(uow, layer, flt, view)
    return result.to_geojson()


@api.get("/api/v1/templates/<entity>.xlsx")
@path(ImportablePath)
@query(TemplateQuery)
@responds(None, media_type=XLSX, errors=(400, 404))
def template(entity: str):
    """The import template of an entity or a 安全监管 ledger (隐患台账 danger_ledger, 检查记录 inspection_ledger), with
    its Chinese headers (the file format) and its notes in ``lang``."""
    lang = parse_query(TemplateQuery, request.args).lang
    if entity not in IMPORTABLE:
        return bad("entity", *both("entity.unknown", entity=entity), 404)
    return send_file(template_xlsx(IMPORTABLE[entity], lang), as_attachment=True,
                     download_name=f"{entity}_template.xlsx",
                     mimetype=XLSX)


@api.get("/api/v1/records/<entity>.xlsx")
@path(EntityPath)
@responds(None, media_type=XLSX, errors=(404, 503))
def records(entity: str):
    """Every record of the entity as an .xlsx in its import format (edit and import it back)."""
    from services.data.exports import records_xlsx
    if entity not in SPECS:
        return bad("entity", *both("entity.unknown", entity=entity), 404)
    with unit() as uow:
        workbook = records_xlsx(uow, entity)
    return send_file(workbook, as_attachment=True, download_name=f"{entity}.xlsx", mimetype=XLSX)


@api.get("/api/v1/features/<layer>/<id:feature_id>")
@path(FeaturePath)
@responds(FeatureDetails, errors=(404, 503))
def feature(layer: str, feature_id: int):
    """One record of a point layer: its fields with labels, and the shelters and depots nearby."""
    from services.map.features import feature_details
    if layer not in POINT_LAYERS:
        return bad("layer", *both("filter.layer", layer=layer), 404)
    with unit() as uow:
        details = feature_details(uow, layer, feature_id)
    if details is None:
        return bad("id", *both("feature.not_found", layer=layer, id=feature_id), 404)
    return {
        "layer": details.layer, "id": details.id, "name": details.name, "lon": details.lon, "lat": details.lat,
        "fields": [{"field": f, "label": zh, "label_en": en, "value": v} for f, zh, en, v in details.fields],
        "nearby": [{"kind": n.kind, "id": n.id, "name": n.name, "distance_m": n.distance_m,
                    "distance_kind": "straight_line"} for n in details.nearby],
    }


@api.get("/api/v1/search")
@query(SearchQuery)
@responds(SearchHits, errors=(400, 503))
def search():
    """Features whose name (or address) contains ``q``, across the point layers."""
    from services.map.search import search_features
    req = parse_query(SearchQuery, request.args)
    if not req.q:  # only spaces
        return bad("q", *both("search.q_length"))
    with unit() as uow:
        hits = search_features(uow, req.q)
    return {"hits": [asdict(hit) for hit in hits]}


@api.get("/api/v1/choropleth/<measure>")
@path(MeasurePath)
@responds(Choropleth, errors=(404, 503))
def choropleth_measure(measure: str):
    """One measure per township (people threatened, major-risk enterprises or shelter places per 1000), classed."""
    from services.map.choropleth import MEASURES, choropleth
    if measure not in MEASURES:
        return bad("measure", *_unknown_choice("choice.measure", measure, MEASURES), 404)
    with unit() as uow:
        return choropleth(uow, measure).to_json()


@api.post("/api/v1/area")
@body(AreaRequest)
@responds(AreaSummary, errors=(400, 503))
def area():
    """What lies inside a drawn area: counts, people and the listed points (read only)."""
    from services.map.area import area_from_geojson, summarise_area
    raw = request.get_json(silent=True)
    parse(AreaRequest, raw)
    area = area_from_geojson(raw, "body")
    with unit() as uow:
        summary = summarise_area(uow, area)
    return asdict(summary)


@api.get("/api/v1/nearby")
@query(NearbyQuery)
@responds(NearbySummary, errors=(400, 503))
def nearby():
    """周边研判: what lies within ``radius_m`` metres (straight line) of (``lon``, ``lat``): people threatened,
    enterprises by risk (hazardous chemicals first), shelters with free places, teams and depots (read only)."""
    from services.map.nearby import within_radius
    req = parse_query(NearbyQuery, request.args)
    with unit() as uow:
        return within_radius(uow, req.lon, req.lat, req.radius_m).to_json()
