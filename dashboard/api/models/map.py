"""Request models of the map API: a drawn area, the text search, the evacuation and supply read-outs, exports."""
from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from dashboard.api.models import Request, Text
from services.map.choropleth import MEASURES
from services.map.export_png import PAPER_MM


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

