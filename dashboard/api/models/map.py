"""Request and response models of the map API: layers, a drawn area, the text search, choropleths, the
evacuation and supply read-outs, exports, and the health answer."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from dashboard.api.models import Number, Reply, Request, Text
from services.data.specs import IMPORTABLE, SPECS
from services.map.choropleth import MEASURES
from services.map.export_png import PAPER_MM
from services.map.layers import POINT_LAYERS, VIEWS

LayerName = Literal[tuple(POINT_LAYERS)]  # type: ignore[valid-type]


class AreaRequest(Request):
    """A drawn shape: a GeoJSON Feature or bare geometry (Polygon, MultiPolygon, or a Point with a radius)."""

    model_config = ConfigDict(extra="allow")  # GeoJSON members (bbox, id, foreign members) travel along
    type: Text(40, min_length=1)  # Feature, Polygon, MultiPolygon or Point (the service names what is wrong)
    geometry: dict | None = None
    properties: dict | None = None
    coordinates: list | None = None


class SearchQuery(Request):
    q: Text(100, min_length=1)


class CapacityQuery(Request):
    exclude_unsafe: bool = False


class CoverageQuery(Request):
    people: int | None = Field(default=None, ge=0, le=10_000_000)
    days: int | None = Field(default=None, ge=1, le=365)


class ExportQuery(Request):
    """The map's view; ``<layer>.<field>=v1,v2`` filters (the layer's vocabulary fields, and ``q``) come too."""

    model_config = ConfigDict(extra="allow")
    layers: Text(500) | None = None  # comma-separated layer names
    township: Text(9) | None = None  # official 9-digit township code
    bbox: Text(200) | None = None  # minlon,minlat,maxlon,maxlat in WGS-84
    choropleth: Literal[MEASURES] | None = None  # type: ignore[valid-type]
    lang: Literal["zh", "en"] = "zh"
    paper: Literal[tuple(PAPER_MM)] = "a4"  # type: ignore[valid-type]
    dpi: int = Field(default=150, ge=50, le=300)



class TemplateQuery(Request):
    """An import template: its notes sheet (what each column takes) in ``lang``; the headers are the file format
    and stay Chinese."""

    lang: Literal["zh", "en"] = "zh"


class LayerPath(Request):
    layer: LayerName


class FeaturePath(Request):
    layer: LayerName
    feature_id: int = Field(ge=1, le=2**31 - 1)


class EntityPath(Request):
    entity: Literal[tuple(SPECS)]  # type: ignore[valid-type]


class ImportablePath(Request):
    """An entity or a 安全监管 ledger: what has an import template."""

    entity: Literal[tuple(IMPORTABLE)]  # type: ignore[valid-type]


class MeasurePath(Request):
    measure: Literal[MEASURES]  # type: ignore[valid-type]


class LayerQuery(Request):
    """The layer's filters; its vocabulary fields filter too (``risk_level=重大,较大``)."""

    model_config = ConfigDict(extra="allow")
    township: str | None = Field(default=None, pattern="^[0-9]{9}$", description="official 9-digit township code")
    bbox: str | None = Field(default=None, description="minlon,minlat,maxlon,maxlat in WGS-84")
    view: Literal[VIEWS] = Field(default="full", description="full (every field) or map (what the map draws)")  # type: ignore[valid-type]
    q: str | None = Field(default=None, max_length=100, description="text in the name")


# Answers


class Region(Reply):
    adcode: str
    name: str


class Health(Reply):
    status: Literal["ok"]
    database: str  # sqlite or postgresql
    region: Region
    counts: dict[str, int]  # records per entity


class HealthUnavailable(Reply):
    status: Literal["unavailable"]
    database: str
    region: Region
    reason: str
    reason_en: str
    detail: str  # the driver's exception class


class FieldValue(Reply):
    field: str
    label: str
    label_en: str
    value: Any


class NearbyPlace(Reply):
    kind: str  # shelter or depot
    id: int
    name: str
    distance_m: Number
    distance_kind: Literal["straight_line"]


class FeatureDetails(Reply):
    """One record of a point layer: its fields with their labels, and the shelters and depots nearby."""

    layer: str
    id: int
    name: str
    lon: float
    lat: float
    fields: list[FieldValue]
    nearby: list[NearbyPlace]


class SearchHit(Reply):
    layer: str
    id: int
    name: str
    township_name: str
    lon: float
    lat: float
    name_en: str | None = None
    township_name_en: str | None = None


class SearchHits(Reply):
    hits: list[SearchHit]


class Choropleth(Reply):
    """Values per township code, with the class breaks (upper bounds) and one colour per class."""

    measure: str
    values: dict[str, Number | None]
    breaks: list[Number]
    colours: list[str]


class AreaItem(Reply):
    layer: str
    id: int
    name: str
    level: str | None
    people: int | None


class AreaSummary(Reply):
    """What lies inside a drawn area: counts, people, places, and the listed points (riskiest first)."""

    area_km2: float
    enterprises_by_risk: dict[str, int]
    hazards: int
    threatened_people: int
    shelters: int
    shelter_capacity: int
    shelter_available: int
    items: list[AreaItem]


class OpenAPIDocument(Reply):
    """This document (OpenAPI 3.1)."""

    model_config = ConfigDict(extra="allow")
    openapi: str
    info: dict[str, Any]
    paths: dict[str, Any]
    components: dict[str, Any]


class NearbyQuery(Request):
    """周边研判: a point (WGS-84) and a radius in metres (100 m to 50 km)."""

    lon: float = Field(ge=-180, le=180)
    lat: float = Field(gt=-90, lt=90)
    radius_m: float = Field(ge=100, le=50_000)


class NearbyItem(Reply):
    layer: str
    id: int
    name: str
    distance_m: int
    level: str | None
    kind: str | None
    people: int | None


class NearbySummary(Reply):
    """What lies within the radius: counts and sums over everything inside, lists of at most 30 each."""

    lon: float
    lat: float
    radius_m: float
    hazards: int
    threatened_people: int
    enterprises_by_risk: dict[str, int]
    hazardous_chemicals: int
    shelters_with_room: int
    free_places: int
    hazard_points: list[NearbyItem]
    enterprises: list[NearbyItem]
    shelters: list[NearbyItem]
    teams: list[NearbyItem]
    depots: list[NearbyItem]
